"""Single sign-on with OpenID Connect (mozilla-django-oidc): Microsoft Entra ID, NHS CIS2 or any
standard provider, configured from environment variables (strategy_tracker/settings.py).

Who may sign in: the provider's *verified* email must match an active account (User.email), or a
person in the directory (Person.email) — then their account is created and linked to them. Anyone
else is refused with a clear page. Roles may come from a groups/app-roles claim (OIDC_ROLES_CLAIM,
OIDC_ROLE_MAP). The provider's endpoints are given one by one or read from its discovery document
(OIDC_OP_DISCOVERY_URL), fetched once per process.
"""

from __future__ import annotations

import functools
import logging

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from goals.core import permissions
from goals.core.security import security_event

logger = logging.getLogger(__name__)

# Endpoint settings a discovery document can supply, and the key that supplies each.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
# Why a single sign-on was refused (the refusal page's wording is chosen by these).
NO_ACCOUNT = "no-account"
UNVERIFIED = "unverified"
DEACTIVATED = "deactivated"
FAILED = "failed"
REFUSALS = (NO_ACCOUNT, UNVERIFIED, DEACTIVATED, FAILED)


def sso_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


@functools.lru_cache(maxsize=4)
def discovery_document(url: str) -> dict:
    response = requests.get(url, timeout=getattr(settings, "OIDC_TIMEOUT", 10) or 10)
    response.raise_for_status()
    return response.json()


def oidc_setting(attr, *default):
    """A mozilla-django-oidc setting; an endpoint not set explicitly comes from the discovery document."""
    if attr in DISCOVERED and not getattr(settings, attr, "") and getattr(settings, "OIDC_OP_DISCOVERY_URL", ""):
        return discovery_document(settings.OIDC_OP_DISCOVERY_URL)[DISCOVERED[attr]]
    return import_from_settings(attr, *default)


def role_map() -> dict[str, str]:
    """OIDC_ROLE_MAP "claim value=role,…" → {claim value: role group}; roles: strategy_admin,
    programme_office, director."""
    groups = {
        "strategy_admin": permissions.STRATEGY_ADMINS,
        "programme_office": permissions.PROGRAMME_OFFICE,
        "director": permissions.DIRECTORS,
    }
    mapping = {}
    for pair in getattr(settings, "OIDC_ROLE_MAP", "").split(","):
        value, _, role = pair.partition("=")
        if value.strip() and role.strip() in groups:
            mapping[value.strip()] = groups[role.strip()]
    return mapping


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """Signs in through the provider; does nothing at all while single sign-on is not configured."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        self.enabled = sso_enabled()
        if self.enabled:
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not self.enabled or request is None or "code" not in request.GET:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except Exception:  # the provider refused or answered nonsense: a clear page, not a 500
            logger.exception("Single sign-on failed")
            _refuse(request, FAILED, "")
            return None

    def verify_claims(self, claims) -> bool:
        email = (claims.get("email") or "").strip()
        verified = claims.get(settings.OIDC_EMAIL_VERIFIED_CLAIM) in (True, "true", "True", "1", 1)
        if not email or not (verified or settings.OIDC_TRUST_EMAIL):
            _refuse(self.request, UNVERIFIED, email)
            return False
        return True

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        claims = {**payload, **claims}  # roles and groups are often only in the ID token
        if not self.verify_claims(claims):
            return None
        email = claims["email"].strip()
        user = match_user(email)
        if user is None:
            _refuse(self.request, NO_ACCOUNT, email)
            return None
        if not user.is_active:
            _refuse(self.request, DEACTIVATED, email)
            return None
        apply_role_claims(user, claims)
        return user


def _refuse(request, reason: str, email: str) -> None:
    if request is not None and not hasattr(request, "sso_refusal"):
        request.sso_refusal = reason
        security_event("sso_refused", request=request, username=email, reason=reason)


@transaction.atomic
def match_user(email: str):
    """The account for a verified email: an account with that email, or a new account for the person
    in the directory with that email (linked to them). None when neither exists."""
    from goals.models import Person

    User = get_user_model()
    users = list(User.objects.filter(email__iexact=email)[:2])
    if len(users) == 1:
        return users[0]
    if len(users) > 1:
        return None  # ambiguous: never pick one of two accounts
    people = list(Person.objects.filter(email__iexact=email, archived_at__isnull=True).select_related("user")[:2])
    if len(people) != 1:
        return None
    person = people[0]
    if person.user is not None:
        return person.user
    username = email.lower()
    if User.objects.filter(username=username).exists():
        return None
    user = User.objects.create_user(username, email=email, first_name=person.name.split(" ")[0])
    user.set_unusable_password()
    user.save(update_fields=["password"])
    person.user = user
    person._change_reason = "Account created at first single sign-on"
    person.save()
    return user


def apply_role_claims(user, claims) -> None:
    """With OIDC_ROLES_CLAIM set, the mapped roles follow the claim: granted when present, taken away
    when absent. Roles the map does not mention are left alone."""
    claim = getattr(settings, "OIDC_ROLES_CLAIM", "")
    mapping = role_map()
    if not claim or not mapping:
        return
    values = claims.get(claim) or []
    if isinstance(values, str):
        values = [values]
    wanted = {mapping[value] for value in values if value in mapping}
    groups = permissions.ensure_role_groups()
    for name in set(mapping.values()):
        if name in wanted:
            user.groups.add(groups[name])
        else:
            user.groups.remove(groups[name])
    permissions.forget_roles(user)
