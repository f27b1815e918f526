"""Authentication backends: the lockout check first, then passwords (and single sign-on)."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, refusing a locked-out sign-in before any password is hashed.

    A call without a request is not a sign-in from a client (a management command or a script
    calling `authenticate()` in-process): there is no address to lock, so it is left to the next
    backend instead of failing. Every web sign-in (the sign-in page, single sign-on) passes its request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LocalPasswordBackend(ModelBackend):
    """Username and password. With LOCAL_SIGN_IN off (single sign-on only) it signs in only the
    break-glass accounts named in BREAK_GLASS_USERNAMES, and refuses everyone else before hashing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_SIGN_IN and username not in settings.BREAK_GLASS_USERNAMES:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
