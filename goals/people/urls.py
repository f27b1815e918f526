from django.urls import path

from goals.people import views

urlpatterns = [
    path("strategies/<slug:slug>/people/", views.person_list, name="person_list"),
    path("strategies/<slug:slug>/people/add/", views.person_add, name="person_add"),
    path("strategies/<slug:slug>/people/<int:pk>/", views.person_detail, name="person_detail"),
    path("strategies/<slug:slug>/people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("strategies/<slug:slug>/people/<int:pk>/title/", views.person_title_change, name="person_title_change"),
    path("strategies/<slug:slug>/people/<int:pk>/archive/", views.person_archive, name="person_archive"),
    path("strategies/<slug:slug>/people/<int:pk>/delete/", views.person_delete, name="person_delete"),
]
