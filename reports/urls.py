from django.urls import path

import goals.core.converters  # noqa: F401  (registers <quarter:…>)

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.pack_index, name="pack_index"),
    path("published/<int:pk>/<str:format_name>/", views.published_download, name="published_download"),
    path("<slug:slug>/", views.pack, name="pack"),
    path("<slug:slug>/<quarter:quarter>/<slug:layout>/", views.pack_preview, name="pack_preview"),
    path("<slug:slug>/<quarter:quarter>/<slug:layout>/publish/", views.pack_publish, name="pack_publish"),
    path("<slug:slug>/<quarter:quarter>/<slug:layout>/<str:format_name>/", views.pack_download, name="pack_download"),
]
