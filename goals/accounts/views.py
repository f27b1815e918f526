"""Account pages: single sign-on (start, the provider's callback, the refusal page), the session's
"stay signed in" page, the "you've been signed out" page, and the locked sign-ins a strategy admin
may unlock."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from goals.accounts import lockout, oidc, services, sessions


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@require_http_methods(["GET", "POST"])
def session_status(request: HttpRequest) -> HttpResponse:
    """GET: when the session ends and why. POST: stay signed in (restarts the idle clock)."""
    if request.method == "POST":
        sessions.mark_active(request)
        return redirect(_safe_next(request, reverse("goals:session_status")))
    breadcrumbs = [("Strategies", reverse("goals:strategy_list")), ("Your session", None)]
    context = {
        "clock": request.session_clock,
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT_SECONDS // 60,
        "lifetime_hours": settings.SESSION_LIFETIME_SECONDS // 3600,
        "breadcrumbs": breadcrumbs,
    }
    return render(request, "accounts/session_status.html", context)


@login_not_required
@require_safe
def signed_out(request: HttpRequest) -> HttpResponse:
    """Why the user was signed out (inactivity or the session's lifetime), with a way back in."""
    reason = request.GET.get("reason")
    if reason not in (sessions.IDLE, sessions.LIFETIME):
        raise Http404
    context = {
        "reason": reason,
        "next": _safe_next(request, ""),
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT_SECONDS // 60,
        "lifetime_hours": settings.SESSION_LIFETIME_SECONDS // 3600,
    }
    return render(request, "accounts/signed_out.html", context)


@require_safe
def lockout_list(request: HttpRequest) -> HttpResponse:
    if not services.may_unlock(request.user):
        raise PermissionDenied
    breadcrumbs = [("Strategies", reverse("goals:strategy_list")), ("Locked sign-ins", None)]
    context = {
        "lockouts": lockout.locked_out_list(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": lockout.cool_off_minutes(),
        "breadcrumbs": breadcrumbs,
    }
    return render(request, "accounts/lockout_list.html", context)


@require_POST
def lockout_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    if not services.may_unlock(request.user):
        raise PermissionDenied
    try:
        username = services.lockout_unlock(attempt_id=pk, by=request.user, request=request)
    except AccessAttempt.DoesNotExist:
        raise Http404 from None
    messages.success(request, f"{username or 'The sign-in'} can sign in again.")
    return redirect("goals:lockout_list")


# --- Single sign-on (OpenID Connect) -------------------------------------------------------------


class SingleSignOnStart(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's sign-in page (404 while single sign-on is not configured)."""

    get_settings = staticmethod(oidc.oidc_setting)

    def dispatch(self, request, *args, **kwargs):
        if not oidc.sso_enabled():
            raise Http404
        self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().dispatch(request, *args, **kwargs)

    def __init__(self, *args, **kwargs):  # endpoints are read per request (dispatch), not at start-up
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)


class SingleSignOnCallback(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here; a refusal goes to a page that says why."""

    get_settings = staticmethod(oidc.oidc_setting)

    def dispatch(self, request, *args, **kwargs):
        if not oidc.sso_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def login_failure(self):
        reason = getattr(self.request, "sso_refusal", None)
        if reason is None and getattr(self, "user", None) is not None and not self.user.is_active:
            reason = oidc.DEACTIVATED
        return redirect(f"{reverse('goals:sso_refused')}?reason={reason or oidc.FAILED}")


sso_start = login_not_required(SingleSignOnStart.as_view())
sso_callback = login_not_required(SingleSignOnCallback.as_view())


@login_not_required
@require_safe
def sso_refused(request: HttpRequest) -> HttpResponse:
    """Why single sign-on did not sign the user in, and what to do about it (status 403)."""
    reason = request.GET.get("reason")
    if reason not in oidc.REFUSALS:
        raise Http404
    return render(request, "accounts/sso_refused.html", {"reason": reason}, status=403)
