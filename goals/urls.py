"""The goals app's URLs, assembled from one list per capability (each owned by its package)."""

from goals.cycle.urls import urlpatterns as cycle_urls
from goals.metrics.urls import urlpatterns as metrics_urls
from goals.operations.urls import urlpatterns as operations_urls
from goals.status.urls import urlpatterns as status_urls
from goals.strategy.urls import urlpatterns as strategy_urls

app_name = "goals"

urlpatterns = strategy_urls + cycle_urls + status_urls + metrics_urls + operations_urls
