"""The accounts' writes: unlocking a locked sign-in. Each checks permission and logs the change."""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.utils import reset
from django.core.exceptions import PermissionDenied

from goals.core import permissions
from goals.core.security import security_event


def may_unlock(user) -> bool:
    """A locked sign-in belongs to no strategy: any strategy admin may unlock it."""
    return permissions.is_strategy_admin(user)


def lockout_unlock(*, attempt_id: int, by, request=None) -> str:
    """Clear the failed attempts behind one lockout; returns the username unlocked."""
    if not may_unlock(by):
        raise PermissionDenied("Only a strategy admin may unlock a sign-in.")
    attempt = AccessAttempt.objects.get(pk=attempt_id)
    reset(ip=attempt.ip_address, username=attempt.username)
    security_event("unlocked", request=request, username=by.get_username(), unlocked=attempt.username or "")
    return attempt.username or ""
