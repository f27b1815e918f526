"""Account pages: single sign-on (start, the provider's callback, the refusal page), the session's
"stay signed in" page, the "you've been signed out" page, and the locked sign-ins a strategy admin
may unlock."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from goals.accounts import lockout, oidc, services, sessions, users
from goals.accounts.forms import GrantForm, InviteForm
from goals.core.forms import apply_errors


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


# --- User administration (strategy admins) --------------------------------------------------------


def _users_breadcrumbs(*more):
    return [("Strategies", reverse("goals:strategy_list")), ("Users", reverse("goals:user_list")), *more]


@require_safe
def user_list(request: HttpRequest) -> HttpResponse:
    rows = users.user_list(by=request.user)
    breadcrumbs = [("Strategies", reverse("goals:strategy_list")), ("Users", None)]
    return render(request, "accounts/user_list.html", {"rows": rows, "breadcrumbs": breadcrumbs})


def _grant_form_kwargs(request) -> dict:
    organisations = users.administered_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    return {"organisations": organisations, "strategies": users.strategies_of(organisations)}


@require_http_methods(["GET", "POST"])
def user_invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, **_grant_form_kwargs(request))
    if request.method == "POST" and form.is_valid():
        place = form.place()
        try:
            user = users.user_invite(
                email=form.cleaned_data["email"],
                person=form.cleaned_data["person"],
                role=form.cleaned_data["role"],
                organisation=place["organisation"] or place["strategy"].owner,
                strategy=place["strategy"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{user.email} has been invited: we have emailed them a link to set a password.")
            return redirect("goals:user_detail", pk=user.pk)
    context = {"form": form, "breadcrumbs": _users_breadcrumbs(("Invite a user", None))}
    return render(request, "accounts/user_invite.html", context)


@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A user's roles and their history; POST grants a role."""
    user = users.user_for_admin(pk=pk, by=request.user)
    form = GrantForm(request.POST or None, **_grant_form_kwargs(request))
    if request.method == "POST" and form.is_valid():
        try:
            users.role_grant(user=user, role=form.cleaned_data["role"], **form.place(), by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The role has been granted.")
            return redirect("goals:user_detail", pk=user.pk)
    context = {
        "account": user,
        "person": getattr(user, "person", None) if hasattr(user, "person") else None,
        "grants": users.grant_history(user=user, by=request.user),
        "form": form,
        "breadcrumbs": _users_breadcrumbs((user.get_full_name() or user.get_username(), None)),
    }
    return render(request, "accounts/user_detail.html", context)


@require_POST
def role_revoke(request: HttpRequest, pk: int, grant: int) -> HttpResponse:
    user = users.user_for_admin(pk=pk, by=request.user)
    found = next((g for g in users.grant_history(user=user, by=request.user) if g.pk == grant), None)
    if found is None:
        raise Http404
    users.role_revoke(grant=found, by=request.user)
    messages.success(request, "The role has been revoked.")
    return redirect("goals:user_detail", pk=user.pk)


@require_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = users.user_for_admin(pk=pk, by=request.user)
    try:
        users.user_deactivate(user=user, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{user.get_username()} has been deactivated and can no longer sign in.")
    return redirect("goals:user_detail", pk=user.pk)


class SetPassword(PasswordResetConfirmView):
    """The invitation's one-time link: choose a password (Django's token generator)."""

    template_name = "accounts/set_password.html"
    post_reset_login = False

    def get_success_url(self):
        messages.success(self.request, "Your password has been set. You can now sign in.")
        return reverse("login")


set_password = login_not_required(SetPassword.as_view())
