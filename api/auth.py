"""How the API knows who is asking: `Authorization: Bearer <token>` (a personal access token),
each request logged with the token's name (never its secret), throttled per token."""

from __future__ import annotations

import logging

from django.conf import settings
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from api.tokens import token_for_secret

logger = logging.getLogger("api.requests")


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = token_for_secret(token)
        if found is None:
            logger.warning("API request refused: unknown or revoked token, %s %s", request.method, request.path)
            return None
        request.user = found.user
        logger.info(
            "API request by token %r of %s: %s %s",
            found.name,
            found.user.get_username(),
            request.method,
            request.get_full_path(),
        )
        return found


class TokenRateThrottle(SimpleRateThrottle):
    """At most settings.API_RATE requests per token (e.g. "120/min"); then 429."""

    scope = "api-token"

    def get_rate(self) -> str:
        return getattr(settings, "API_RATE", "120/min")

    def allow_request(self, request) -> bool:
        self.rate = self.get_rate()  # read on each request, so a setting change applies at once
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        token = getattr(request, "auth", None)
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
