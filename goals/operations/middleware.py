"""Middleware for running in production: security headers, limits on what a request may carry,
and a 503 page while the database is unreachable."""

import logging
import sys

from django.conf import settings
from django.contrib import messages
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.utils.cache import patch_vary_headers

from goals.operations.problems import BAD_INPUT, TOO_LARGE, UNAVAILABLE, problem_response


class SecurityHeadersMiddleware:
    """Permissions-Policy (no camera, microphone, location…) on every response and, for a signed-in
    user, `Cache-Control: private, no-store`, so no shared cache or browser history keeps a page that
    showed someone's data. (Content-Security-Policy comes from django-csp.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        # Signed in = has a session cookie: asking request.user would load the session from the
        # database even for a stylesheet.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # A view that set its own caching (published packs are immutable) keeps it.
            response.setdefault("Cache-Control", "private, no-store")
            patch_vary_headers(response, ("Cookie",))
        return response


def _contains_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


class RequestLimitsMiddleware:
    """Input a page cannot use gets a page that says so, never a server error or a bare 400:

    - a NUL character in the address's query (the database cannot store or search it): 400;
    - a form post larger than REQUEST_MAX_BYTES: the form is shown again (answered as a GET of the
      same page, so nothing is read or saved) with a message, status 413. Smaller posts reach the
      form, whose length limits refuse long text and show it again as typed.
    Runs before CSRF, which would otherwise read (and refuse) the oversized body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _contains_nul(request.GET):
            return problem_response(BAD_INPUT, status=400, back=True)
        if request.method == "POST" and _content_length(request) > settings.REQUEST_MAX_BYTES:
            return self._too_large(request)
        return self.get_response(request)

    def _too_large(self, request):
        limit = settings.REQUEST_MAX_BYTES // 1_000_000
        request.method = "GET"  # the body is never read
        messages.error(
            request, f"What you sent is larger than {limit} MB, so nothing was saved. Shorten it and try again."
        )
        response = self.get_response(request)
        if response.status_code != 200:
            return problem_response(TOO_LARGE, status=413, back=True)
        response.status_code = 413
        return response


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


logger = logging.getLogger(__name__)
DATABASE_ERRORS = (OperationalError, InterfaceError)


def _note_database_error(sender, request=None, **kwargs):
    """got_request_exception: Django turns an exception anywhere below into a 500 response before an
    outer middleware sees it; this marks the request when the cause was the database."""
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        request.database_unavailable = True


got_request_exception.connect(_note_database_error, dispatch_uid="operations-database-unavailable")


class DatabaseUnavailableMiddleware:
    """While the database is unreachable (a restart, a fail-over), pages answer 503 with an NHS.UK
    "try again in a minute" page and Retry-After instead of a server error. Placed before the
    session middleware so a session that cannot be loaded or saved is covered too; connections are
    health-checked (CONN_HEALTH_CHECKS), so the first request after the database is back succeeds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "database_unavailable", False):
            logger.warning("database_unavailable", extra={"event": "database_unavailable", "path": request.path})
            return problem_response(UNAVAILABLE, status=503)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            request.database_unavailable = True
            return problem_response(UNAVAILABLE, status=503)
        return None
