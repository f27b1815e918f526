"""Service-wide endpoints that need no sign-in: the health check for the load balancer and the
colour stylesheet pages share (so no page needs an inline style)."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from goals.core.palette import palette_css as palette_text
from goals.core.security import security_event
from goals.operations.health import service_health
from goals.operations.problems import BAD_INPUT, problem_response


@login_not_required
@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 {"status": "ok", "database": {...}, "worker": {...}}, or 503 when the database is unreachable."""
    healthy, report = service_health()
    return JsonResponse(report, status=200 if healthy else 503)


@login_not_required
@cache_control(public=True, max_age=3600)
@require_safe
def palette_css(request: HttpRequest) -> HttpResponse:
    return HttpResponse(palette_text(), content_type="text/css; charset=utf-8")


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """handler400: malformed or oversized input that Django refused before any view ran."""
    return problem_response(BAD_INPUT, status=400, back=True)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """handler403: Django's 403 page. The refusal is logged as a security event by
    goals.accounts.security.PermissionLogMiddleware (every 403), with the reason kept here."""
    request.refused_because = str(exception or "")
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """handler404: for a signed-in user (another strategy's object answers 404) a security event."""
    if getattr(request.user, "is_authenticated", False):
        security_event("not_found", request=request, level=logging.INFO)
    return defaults.page_not_found(request, exception)
