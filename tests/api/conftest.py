import pytest

from api.tokens import token_create


@pytest.fixture(autouse=True)
def empty_throttle_cache():
    """Each test starts with no request counted against any token (the throttle's cache)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def bearer():
    """bearer(user, name="Power BI") → the headers of a request with a new token of `user`."""

    def make(user, name="Power BI") -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {token_create(name=name, by=user).secret}"}

    return make
