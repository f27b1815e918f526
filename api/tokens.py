"""Personal access tokens: make one (its secret returned once), revoke one, and find the token a
request's secret belongs to. Only the SHA-256 of a secret is stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from api.models import ApiToken

SECRET_PREFIX = "st_"  # makes a leaked token recognisable to secret scanners


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def token_create(*, name: str, by) -> NewToken:
    """A new token of `by` named `name`; the secret is in the result and nowhere else."""
    if not getattr(by, "is_authenticated", False):
        raise PermissionDenied("Sign in to make an API token.")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=by, name=name.strip(), token_hash=hash_secret(secret))
    token.full_clean()
    token.save()
    return NewToken(token=token, secret=secret)


def token_revoke(*, token_id: int, by) -> ApiToken:
    """Revoke one of `by`'s own tokens (another user's token answers 404: it is not theirs to see)."""
    token = ApiToken.objects.filter(pk=token_id, user=by).first() if by.is_authenticated else None
    if token is None:
        raise Http404("No such token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def tokens_of(user) -> list[ApiToken]:
    """The user's tokens, newest first, revoked ones included (one query)."""
    return list(ApiToken.objects.filter(user=user))


def token_for_secret(secret: str) -> ApiToken | None:
    """The current token this secret belongs to, with its user, or None (unknown or revoked);
    its last use becomes now. Two queries."""
    if not secret:
        return None
    token = (
        ApiToken.objects.current()
        .select_related("user")
        .filter(token_hash=hash_secret(secret), user__is_active=True)
        .first()
    )
    if token is not None:
        token.last_used_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    return token
