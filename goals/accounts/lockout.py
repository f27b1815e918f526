"""What a locked-out sign-in sees (django-axes' AXES_LOCKOUT_CALLABLE), and the locked accounts a
strategy admin may unlock. A locked-out attempt is refused by the axes backend before any password
is hashed, so a flood of wrong passwords costs the server almost nothing once it is locked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone


def cool_off_minutes() -> int:
    cool_off = get_cool_off()
    return int(cool_off.total_seconds() // 60) if cool_off else 0


def locked_out_response(request, original_response=None, credentials=None):
    """The NHS.UK "account locked" page, status 429 (Too Many Requests)."""
    context = {
        "cool_off_minutes": cool_off_minutes(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lock_extends": settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT,
    }
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


@dataclass(frozen=True)
class Lockout:
    pk: int
    username: str
    ip_address: str
    failures: int
    last_attempt_at: datetime
    unlocks_at: datetime | None


def locked_out_list() -> list[Lockout]:
    """Sign-ins locked now (at or over the failure limit, cool-off not yet over), latest first."""
    cool_off = get_cool_off()
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    if cool_off:
        attempts = attempts.filter(attempt_time__gt=timezone.now() - cool_off)
    return [
        Lockout(
            pk=attempt.pk,
            username=attempt.username or "",
            ip_address=attempt.ip_address or "",
            failures=attempt.failures_since_start,
            last_attempt_at=attempt.attempt_time,
            unlocks_at=attempt.attempt_time + cool_off if cool_off else None,
        )
        for attempt in attempts.order_by("-attempt_time")
    ]
