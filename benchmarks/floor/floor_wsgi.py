"""The WSGI application benchmarks/throughput.py serves with gunicorn: the checkout's own application
(gunicorn runs in that checkout, whichever it is) with the floor, a trivial view, at /benchmark-floor/
in front of its URLs: what any signed-in request costs (sessions, middleware, the user), as in
benchmarks/scale.py. Alone in its folder, which gunicorn puts first on the import path, so it hides
none of the checkout's modules."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_tracker.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after Django is set up)
from django.http import HttpResponse  # noqa: E402
from django.urls import include, path  # noqa: E402


def floor(request):
    return HttpResponse("ok")


urlpatterns = [path("benchmark-floor/", floor, name="benchmark_floor"), path("", include(settings.ROOT_URLCONF))]
settings.ROOT_URLCONF = __name__
