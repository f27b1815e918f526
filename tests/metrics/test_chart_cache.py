"""The SPC chart cache is shared between processes through Django's database cache by default."""

import pytest
from django.conf import settings
from django.core.cache import CacheHandler
from django.core.management import call_command

from tests.conftest import local_cache


def test_the_product_caches_charts_in_the_database_by_default():
    from strategy_tracker import settings as product_settings

    assert product_settings.CACHES["charts"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.CACHES["charts"]["BACKEND"] == local_cache("charts")["BACKEND"]  # tests: in memory


@pytest.mark.django_db
def test_a_chart_drawn_by_one_process_is_served_to_another(settings):
    from strategy_tracker import settings as product_settings

    settings.CACHES = {"charts": product_settings.CACHES["charts"]}
    call_command("createcachetable", verbosity=0)  # what `make migrate` runs
    first, second = CacheHandler(), CacheHandler()  # two processes' own cache connections
    first["charts"].set("spc-chart-key", "<svg>drawn once</svg>")
    assert second["charts"].get("spc-chart-key") == "<svg>drawn once</svg>"
