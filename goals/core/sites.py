"""The address links in emails point to: the host the request came to while answering a
request (so a copy on another host or port links to itself), else ``settings.SITE_URL`` (for
``manage.py send_reminders`` and anything else run outside a request).

``SiteURLMiddleware`` records the request's address for the length of the request; the host has
passed Django's ``ALLOWED_HOSTS`` check by then (``request.get_host()`` raises otherwise).
"""

from contextvars import ContextVar

from django.conf import settings

_request_site_url: ContextVar[str | None] = ContextVar("request_site_url", default=None)


def site_url() -> str:
    """ "https://strategy.example.nhs.uk" (no trailing slash)."""
    return (_request_site_url.get() or settings.SITE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """`path` ("/updates/…") as a full address on the site."""
    return site_url() + path


class SiteURLMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_site_url.set(request.build_absolute_uri("/"))
        try:
            return self.get_response(request)
        finally:
            _request_site_url.reset(token)


def keep_site_url(callback):
    """`callback` wrapped to run with the site address as it is now: for work deferred past the
    request (``transaction.on_commit``) whose links must still point to the request's host."""
    captured = site_url()

    def run():
        token = _request_site_url.set(captured)
        try:
            return callback()
        finally:
            _request_site_url.reset(token)

    return run
