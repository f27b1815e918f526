from django.urls import path

import goals.core.converters  # noqa: F401  (registers <quarter:…>)
from goals.risks import views

urlpatterns = [
    path("strategies/<slug:slug>/baf/", views.risk_register, name="risk_register"),
    path("strategies/<slug:slug>/baf/add/", views.risk_add, name="risk_add"),
    path("strategies/<slug:slug>/baf/<int:pk>/", views.risk_detail, name="risk_detail"),
    path("strategies/<slug:slug>/baf/<int:pk>/edit/", views.risk_edit, name="risk_edit"),
    path("strategies/<slug:slug>/baf/<int:pk>/archive/", views.risk_archive, name="risk_archive"),
    path("strategies/<slug:slug>/quarters/<quarter:period>/baf/", views.risk_scoring, name="risk_scoring"),
    path("strategies/<slug:slug>/quarters/<quarter:period>/baf/<int:pk>/", views.risk_score, name="risk_score"),
]
