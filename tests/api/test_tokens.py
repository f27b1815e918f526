"""Personal access tokens: a user makes, names, sees the last use of and revokes their own tokens;
nobody sees or revokes another's; only the secret's SHA-256 is stored; a revoked or unknown token
gets 401; every request is logged with the token's name (never its secret); throttled per token."""

import hashlib
import logging

import pytest
from django.urls import reverse

from api.models import ApiToken
from api.tokens import token_create, token_revoke

pytestmark = pytest.mark.django_db
TOKENS = "/account/api-tokens/"


def test_the_pages_need_sign_in(client, director):
    token = token_create(name="Mine", by=director).token
    for method, url in (("get", TOKENS), ("post", TOKENS), ("post", f"{TOKENS}{token.pk}/revoke/")):
        response = getattr(client, method)(url, {"name": "Sneaky"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert list(ApiToken.objects.values_list("name", "revoked_at")) == [("Mine", None)]


def test_making_a_token_shows_its_secret_once_and_stores_only_its_hash(client, director):
    client.force_login(director)
    response = client.post(TOKENS, {"name": "Power BI board dashboard"})
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    secret = response.context["created"].secret
    assert secret.startswith("st_") and secret in response.content.decode()
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (director, "Power BI board dashboard")
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())
    page = client.get(TOKENS).content.decode()
    assert "Power BI board dashboard" in page and secret not in page and "Never" in page


def test_a_token_needs_a_name_and_the_error_is_shown(client, director):
    client.force_login(director)
    response = client.post(TOKENS, {"name": ""})
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_nobody_sees_or_revokes_another_users_token(client, director, secretary):
    theirs = token_create(name="Secretary's feed", by=secretary).token
    client.force_login(director)
    assert "Secretary&#x27;s feed" not in client.get(TOKENS).content.decode()
    assert client.post(f"{TOKENS}{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_revoking_a_token_keeps_it_listed_and_it_then_gets_401(client, director, bearer):
    new = token_create(name="Old dashboard", by=director)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {new.secret}"}
    assert client.get("/api/v1/strategies", **headers).status_code == 200
    client.force_login(director)
    assert client.post(f"{TOKENS}{new.token.pk}/revoke/").status_code == 302
    new.token.refresh_from_db()
    assert new.token.revoked_at is not None and new.token.last_used_at is not None
    assert "Revoked" in client.get(TOKENS).content.decode()
    client.logout()
    response = client.get("/api/v1/strategies", **headers)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header", [None, "Bearer st_not-a-token", "Basic ZGlyZWN0b3I6Y29ycmVjdC1ob3JzZS1iYXR0ZXJ5", "Bearer "]
)
def test_unknown_or_missing_tokens_get_401(client, director, header):
    client.force_login(director)  # a session is not a token
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    assert client.get("/api/v1/strategies", **extra).status_code == 401


def test_a_deactivated_users_token_gets_401(client, director, bearer):
    headers = bearer(director)
    director.is_active = False
    director.save()
    assert client.get("/api/v1/strategies", **headers).status_code == 401


def test_the_service_refuses_to_revoke_anothers_token(director, secretary):
    from django.http import Http404

    theirs = token_create(name="Theirs", by=secretary).token
    with pytest.raises(Http404):
        token_revoke(token_id=theirs.pk, by=director)


def test_every_request_is_logged_with_the_tokens_name_never_its_secret(client, director, caplog):
    new = token_create(name="Board dashboard", by=director)
    with caplog.at_level(logging.INFO, logger="api.requests"):
        client.get("/api/v1/goals?limit=5", HTTP_AUTHORIZATION=f"Bearer {new.secret}")
    logged = " ".join(r.getMessage() for r in caplog.records if r.name == "api.requests")
    assert "'Board dashboard'" in logged and "/api/v1/goals?limit=5" in logged
    assert new.secret not in logged


def test_requests_are_throttled_per_token(client, director, bearer, settings):
    settings.API_RATE = "3/min"
    first, second = bearer(director, "First"), bearer(director, "Second")
    assert [client.get("/api/v1/strategies", **first).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert int(client.get("/api/v1/strategies", **first)["Retry-After"]) >= 1
    assert client.get("/api/v1/strategies", **second).status_code == 200  # its own allowance


@pytest.mark.parametrize("url", [TOKENS, "/api/v1/docs/"])
def test_the_pages_read_a_pinned_number_of_queries_however_many_tokens(client, director, count_queries, url):
    client.force_login(director)
    token_create(name="One", by=director)
    few = count_queries(client, url)
    for n in range(20):
        token_create(name=f"Token {n}", by=director)
    assert few == count_queries(client, url) == PAGE_QUERIES[url]


PAGE_QUERIES = {TOKENS: 4, "/api/v1/docs/": 3}  # session, user, roles (navigation), [the tokens]
