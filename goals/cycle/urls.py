"""URLs of the quarterly cycle. A quarter is named by its slug ("2024-Q3")."""

from django.urls import path

import goals.core.converters  # noqa: F401  (registers <quarter:…>)
from goals.cycle import views

urlpatterns = [
    path("updates/", views.my_updates, name="my_updates"),
    path("review/", views.to_review, name="to_review"),
    path("actions/<int:pk>/quarters/<quarter:period>/update/", views.update_edit, name="update_edit"),
    path("actions/<int:pk>/quarters/<quarter:period>/review/", views.update_review, name="update_review"),
    path("measures/<int:pk>/quarters/<quarter:period>/evidence/", views.evidence_edit, name="evidence_edit"),
    path("tracker/", views.tracker_home, name="tracker_home"),
    path("quarters/", views.period_list, name="period_list"),
    path("strategies/<slug:slug>/quarters/open/", views.period_open, name="period_open"),
    path("strategies/<slug:slug>/quarters/<quarter:period>/tracker/", views.tracker, name="tracker"),
    path("strategies/<slug:slug>/quarters/<quarter:period>/deadline/", views.period_deadline, name="period_deadline"),
    path("strategies/<slug:slug>/quarters/<quarter:period>/lock/", views.period_lock, name="period_lock"),
    path("strategies/<slug:slug>/quarters/<quarter:period>/reopen/", views.period_reopen, name="period_reopen"),
]
