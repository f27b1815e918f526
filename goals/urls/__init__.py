"""The goals app's URLs, assembled from one list per capability (each owned by its views module)."""

from .dashboard import urlpatterns as dashboard_urls
from .metrics import urlpatterns as metrics_urls
from .strategy import urlpatterns as strategy_urls
from .updates import urlpatterns as updates_urls

app_name = "goals"

urlpatterns = strategy_urls + updates_urls + dashboard_urls + metrics_urls
