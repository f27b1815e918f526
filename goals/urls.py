"""The goals app's URLs, assembled from one list per capability (each owned by its package)."""

from goals.accounts.urls import urlpatterns as accounts_urls
from goals.cycle.urls import urlpatterns as cycle_urls
from goals.interchange.urls import urlpatterns as interchange_urls
from goals.metrics.urls import urlpatterns as metrics_urls
from goals.operations.urls import urlpatterns as operations_urls
from goals.people.urls import urlpatterns as people_urls
from goals.risks.urls import urlpatterns as risks_urls
from goals.setup.urls import urlpatterns as setup_urls
from goals.status.urls import urlpatterns as status_urls
from goals.strategy.urls import urlpatterns as strategy_urls

app_name = "goals"

urlpatterns = (
    strategy_urls
    + cycle_urls
    + status_urls
    + metrics_urls
    + setup_urls
    + people_urls
    + risks_urls
    + interchange_urls
    + accounts_urls
    + operations_urls
)
