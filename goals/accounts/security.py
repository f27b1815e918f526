"""The security log: sign-in, sign-out, failed sign-ins, lockouts, unlocks and refused permission
checks, each a named event with the user and the client's IP address. Never a password or a token:
only the event name, the username and the address are written.

Events (the "security" logger of goals.core.security, field ``event``):
  sign_in, sign_out, sign_in_failed, locked_out, unlocked, session_idle_timeout,
  session_lifetime_ended, permission_refused, sso_sign_in, sso_refused
"""

from __future__ import annotations

import logging

from goals.core.security import security_event


def on_signed_in(sender, request, user, **kwargs) -> None:
    security_event("sign_in", request=request, username=user.get_username(), backend=getattr(user, "backend", ""))


def on_signed_out(sender, request, user, **kwargs) -> None:
    security_event("sign_out", request=request, username=user.get_username() if user else "")


def on_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # `credentials` is already cleansed by Django (the password is masked); only the username is kept.
    security_event(
        "sign_in_failed", request=request, username=str(credentials.get("username", "")), level=logging.WARNING
    )


def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    security_event("locked_out", request=request, username=username or "", level=logging.WARNING)


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
            security_event(
                "permission_refused",
                request=request,
                level=logging.WARNING,
                reason=getattr(request, "refused_because", ""),
            )
        return response
