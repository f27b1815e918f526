from django.urls import path

from goals.interchange import views

urlpatterns = [
    path("workbook/template.xlsx", views.workbook_template, name="workbook_template"),
    path("workbook/upload/", views.workbook_upload, name="workbook_upload_new"),
    path("workbook/<str:digest>/", views.workbook_preview, name="workbook_preview"),
    path("strategies/<slug:slug>/workbook.xlsx", views.workbook_export, name="workbook_export"),
    path("strategies/<slug:slug>/workbook/upload/", views.workbook_upload, name="workbook_upload"),
]
