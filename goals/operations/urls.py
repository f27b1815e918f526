"""URLs for goals/operations: /health/ and /palette.css (no sign-in)."""

from django.urls import path

from goals.operations import views

urlpatterns = [
    path("health/", views.health, name="health"),
    path("palette.css", views.palette_css, name="palette_css"),
]
