"""URLs of the metrics section (/metrics/…), served by goals/metrics/views.py."""

from django.urls import path

from goals.metrics import views

urlpatterns = [
    path("metrics/", views.metric_index, name="metric_index"),
    path("metrics/<slug:slug>/", views.metric_list, name="metric_list"),
    path("metrics/<slug:slug>/<slug:key>/", views.metric_detail, name="metric_detail"),
    path("metrics/<slug:slug>/<slug:key>/values/add/", views.metric_value_add, name="metric_value_add"),
    path("metrics/<slug:slug>/<slug:key>/values/<int:pk>/edit/", views.metric_value_edit, name="metric_value_edit"),
    path("metrics/<slug:slug>/<slug:key>/upload/", views.metric_values_upload, name="metric_values_upload"),
]
