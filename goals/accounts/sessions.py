"""Session time limits: signed out after a spell of inactivity (idle timeout, default 30 minutes)
and after an absolute lifetime whatever the activity (default 12 hours).

The clock is `django.utils.timezone.now`, read on every request: the session keeps when the user
signed in and when they were last active (epoch seconds). Activity is written back at most once a
minute, so a busy user does not write their session on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from goals.core.security import security_event

SIGNED_IN_AT = "session_signed_in_at"
LAST_ACTIVE_AT = "session_last_active_at"
ACTIVITY_WRITE_INTERVAL = 60  # seconds between writes of LAST_ACTIVE_AT
IDLE = "idle"
LIFETIME = "lifetime"


@dataclass(frozen=True)
class SessionClock:
    """When this session ends and why: `reason` is IDLE (can be extended) or LIFETIME (cannot)."""

    ends_at: datetime
    reason: str
    warning_seconds: int

    @property
    def extendable(self) -> bool:
        return self.reason == IDLE

    @property
    def ends_at_epoch(self) -> int:
        return int(self.ends_at.timestamp())


def _limits() -> tuple[int, int]:
    return settings.SESSION_IDLE_TIMEOUT_SECONDS, settings.SESSION_LIFETIME_SECONDS


def session_clock(session, now: float) -> SessionClock:
    idle, lifetime = _limits()
    idle_ends = session.get(LAST_ACTIVE_AT, now) + idle
    lifetime_ends = session.get(SIGNED_IN_AT, now) + lifetime
    ends, reason = (idle_ends, IDLE) if idle_ends < lifetime_ends else (lifetime_ends, LIFETIME)
    return SessionClock(
        ends_at=datetime.fromtimestamp(ends, tz=timezone.get_current_timezone()),
        reason=reason,
        warning_seconds=settings.SESSION_TIMEOUT_WARNING_SECONDS,
    )


def mark_signed_in(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: the lifetime and the idle clock start now."""
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_ACTIVE_AT] = now


def mark_active(request) -> None:
    """The user asked to stay signed in: the idle clock restarts (the lifetime does not)."""
    request.session[LAST_ACTIVE_AT] = timezone.now().timestamp()


def signed_out_url(reason: str, next_path: str = "") -> str:
    query = {"reason": reason, **({"next": next_path} if next_path else {})}
    return f"{reverse('goals:signed_out')}?{urlencode(query)}"


class SessionTimeoutMiddleware:
    """Signs out a session that has been idle too long or has lived too long, and sends the user to
    the "You've been signed out" page; otherwise records the activity and puts the session's clock on
    the request (`request.session_clock`) for the page's "you're about to be signed out" warning."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        now = timezone.now().timestamp()
        idle, lifetime = _limits()
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_active_at = session.setdefault(LAST_ACTIVE_AT, now)
        if now - signed_in_at >= lifetime or now - last_active_at >= idle:
            reason = LIFETIME if now - signed_in_at >= lifetime else IDLE
            security_event("session_lifetime_ended" if reason == LIFETIME else "session_idle_timeout", request=request)
            logout(request)
            next_path = request.get_full_path() if request.method == "GET" else ""
            return redirect(signed_out_url(reason, next_path))
        if now - last_active_at >= ACTIVITY_WRITE_INTERVAL:
            session[LAST_ACTIVE_AT] = now
        request.session_clock = session_clock(session, now)
        return self.get_response(request)
