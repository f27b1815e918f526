"""URLs of the RAG status pages. A quarter in a URL is its slug
(2024-Q2), so a page a director shares names its quarter:
/strategies/step-up-to-great/dashboard/2024-Q2/"""

from django.urls import path

import goals.core.converters  # noqa: F401  (registers <quarter:…>)
from goals.status import views

urlpatterns = [
    path("strategies/<slug:slug>/dashboard/", views.dashboard_latest, name="dashboard_latest"),
    path("strategies/<slug:slug>/dashboard/<quarter:quarter>/", views.strategy_dashboard, name="dashboard"),
    path("strategies/<slug:slug>/heat-map/", views.heat_map_latest, name="heat_map_latest"),
    path("strategies/<slug:slug>/heat-map/<quarter:quarter>/", views.heat_map, name="heat_map"),
    path("strategies/<slug:slug>/risks/", views.risks_latest, name="risks_latest"),
    path("strategies/<slug:slug>/risks/<quarter:quarter>/", views.risks, name="risks"),
    path("strategies/<slug:slug>/risks/<str:number>/history/", views.risk_history, name="risk_history"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/download.csv", views.action_list_download, {"file_format": "csv"}, name="action_list_csv"),
    path("actions/download.xlsx", views.action_list_download, {"file_format": "xlsx"}, name="action_list_xlsx"),
]
