"""The security log: sign-in, sign-out, failed sign-ins, lockouts, unlocks and refused permission
checks, each a named event with the user and the client's IP address. Never a password or a token:
only the event name, the username and the address are written.

Events (logger ``goals.accounts.security``, field ``event``):
  sign_in, sign_out, sign_in_failed, locked_out, unlocked, session_idle_timeout,
  session_lifetime_ended, permission_refused, sso_sign_in, sso_refused
"""

from __future__ import annotations

import logging

logger = logging.getLogger("goals.accounts.security")


def client_ip(request) -> str:
    """The client's address as the lockout sees it (django-axes' resolution, proxy settings included)."""
    if request is None:
        return ""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or ""


def log_event(event: str, *, request=None, username: str = "", level: int = logging.INFO, **fields) -> None:
    """Write one named security event: `event user=<username> ip=<address> key=value…`."""
    if not username and request is not None:
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False):
            username = user.get_username()
    ip = client_ip(request)
    details = " ".join(f"{key}={value}" for key, value in fields.items())
    logger.log(
        level,
        "%s user=%s ip=%s%s",
        event,
        username or "-",
        ip or "-",
        f" {details}" if details else "",
        extra={"event": event, "username": username, "ip": ip, **fields},
    )


def on_signed_in(sender, request, user, **kwargs) -> None:
    log_event("sign_in", request=request, username=user.get_username(), backend=getattr(user, "backend", ""))


def on_signed_out(sender, request, user, **kwargs) -> None:
    log_event("sign_out", request=request, username=user.get_username() if user else "")


def on_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # `credentials` is already cleansed by Django (the password is masked); only the username is kept.
    log_event("sign_in_failed", request=request, username=str(credentials.get("username", "")), level=logging.WARNING)


def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    log_event("locked_out", request=request, username=username or "", level=logging.WARNING)


def connect_signals() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(on_signed_in, dispatch_uid="goals.accounts.sign_in")
    user_logged_out.connect(on_signed_out, dispatch_uid="goals.accounts.sign_out")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid="goals.accounts.sign_in_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="goals.accounts.locked_out")


class PermissionLogMiddleware:
    """Logs every refused permission check (any 403 answer, raised or returned) with user and IP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            log_event("permission_refused", request=request, level=logging.WARNING, path=request.path)
        return response
