"""User administration for strategy admins: invite a user by email, link them to a person, grant
and revoke roles on their organisation's strategies, deactivate (never delete). Services check the
permission, validate, save and log; the role grants (granted and revoked, by whom, when) and the
security log are the audit history.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from goals.core import permissions
from goals.core.choices import Role
from goals.core.security import security_event
from goals.core.sites import absolute_url
from goals.models import Organisation, Person, RoleGrant, Strategy


def administered_organisations(user) -> list[Organisation]:
    """The organisations whose users this user administers: strategy admin on the organisation
    (every organisation for a superuser or a host-wide strategy admin)."""
    organisations = Organisation.objects.order_by("name")
    if getattr(user, "is_superuser", False) or permissions.ADMIN in permissions._roles(user)[0]:
        return list(organisations)
    ids = {o for role, o, _ in permissions._roles(user)[1] if role == permissions.ADMIN and o is not None}
    return list(organisations.filter(pk__in=ids))


def may_administer_users(user) -> bool:
    return bool(administered_organisations(user))


def _require_admin_of(by, organisation) -> None:
    if organisation is None or organisation.pk not in {o.pk for o in administered_organisations(by)}:
        raise PermissionDenied("Only a strategy admin of this organisation can change its users.")


def _in_scope(organisations) -> Q:
    ids = [o.pk for o in organisations]
    return Q(role_grants__organisation_id__in=ids) | Q(role_grants__strategy__owner_id__in=ids)


@dataclass(frozen=True)
class UserRow:
    user: object
    roles: list[RoleGrant]


def user_list(*, by) -> list[UserRow]:
    """Users with a role (now or before) in the organisations `by` administers, with current roles."""
    organisations = administered_organisations(by)
    if not organisations:
        raise PermissionDenied
    users = list(get_user_model().objects.filter(_in_scope(organisations)).distinct().order_by("username"))
    grants: dict[int, list[RoleGrant]] = {}
    for grant in (
        RoleGrant.objects.current()
        .filter(user__in=users)
        .filter(Q(organisation__in=organisations) | Q(strategy__owner__in=organisations))
        .select_related("organisation", "strategy")
    ):
        grants.setdefault(grant.user_id, []).append(grant)
    return [UserRow(user=user, roles=grants.get(user.pk, [])) for user in users]


def user_for_admin(*, pk: int, by):
    """A user `by` may administer (404 otherwise: someone of another organisation)."""
    from django.http import Http404

    organisations = administered_organisations(by)
    if not organisations:
        raise PermissionDenied
    user = get_user_model().objects.filter(_in_scope(organisations), pk=pk).distinct().first()
    if user is None:
        raise Http404("No such user in your organisation.")
    return user


def grant_history(*, user, by) -> list[RoleGrant]:
    organisations = administered_organisations(by)
    return list(
        RoleGrant.objects.filter(user=user)
        .filter(Q(organisation__in=organisations) | Q(strategy__owner__in=organisations))
        .select_related("organisation", "strategy", "granted_by", "revoked_by")
        .order_by("-granted_at")
    )


def set_password_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("goals:set_password", kwargs={"uidb64": uid, "token": token}))


@transaction.atomic
def user_invite(
    *, email: str, person: Person | None, role: str, organisation: Organisation, strategy=None, by, request=None
):
    """Create an account for `email` (its username), link it to `person`, grant `role` on the
    organisation (or one of its strategies) and email a one-time link to set a password; with single
    sign-on they may simply sign in through it."""
    _require_admin_of(by, organisation)
    User = get_user_model()
    email = email.strip()
    if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        raise ValidationError({"email": "Someone already has an account with this email address"})
    if person is not None and person.user_id is not None:
        raise ValidationError({"person": "This person already has an account"})
    user = User(username=email.lower(), email=email)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    if person is not None:
        person.user = user
        person._change_reason = f"Account invited by {by.get_username()}"
        person.save()
    role_grant(user=user, role=role, organisation=None if strategy else organisation, strategy=strategy, by=by)
    send_mail(
        f"You have been invited to {settings.SERVICE_NAME}",
        f"{by.get_full_name() or by.get_username()} has invited you to {settings.SERVICE_NAME}.\n\n"
        f"Set your password (this link works once): {set_password_url(user)}\n"
        + ("\nOr sign in with your NHS account.\n" if getattr(settings, "OIDC_RP_CLIENT_ID", "") else ""),
        None,
        [email],
    )
    security_event("user_invited", request=request, username=by.get_username(), invited=user.get_username())
    return user


def role_grant(*, user, role: str, organisation=None, strategy=None, by) -> RoleGrant:
    owner = organisation or (strategy.owner if strategy else None)
    _require_admin_of(by, owner)
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role"})
    existing = RoleGrant.objects.current().filter(user=user, role=role, organisation=organisation, strategy=strategy)
    if existing.exists():
        raise ValidationError({"role": "They already have this role there"})
    grant = RoleGrant(user=user, role=role, organisation=organisation, strategy=strategy, granted_by=by)
    grant.full_clean()
    grant.save()
    permissions.forget_roles(user)
    security_event("role_granted", username=by.get_username(), user_changed=user.get_username(), role=role)
    return grant


def role_revoke(*, grant: RoleGrant, by) -> None:
    _require_admin_of(by, grant.organisation or grant.strategy.owner)
    if grant.revoked_at is not None:
        return
    grant.revoked_at, grant.revoked_by = timezone.now(), by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    permissions.forget_roles(grant.user)
    security_event("role_revoked", username=by.get_username(), user_changed=grant.user.get_username(), role=grant.role)


@transaction.atomic
def user_deactivate(*, user, by) -> None:
    """Switch the account off (never deleted: what they did stays theirs) and revoke its roles in
    `by`'s organisations."""
    if user.pk == by.pk:
        raise ValidationError("You cannot deactivate your own account")
    organisations = administered_organisations(by)
    for grant in (
        RoleGrant.objects.current()
        .filter(user=user)
        .filter(Q(organisation__in=organisations) | Q(strategy__owner__in=organisations))
    ):
        role_revoke(grant=grant, by=by)
    user.is_active = False
    user.save(update_fields=["is_active"])
    security_event("user_deactivated", username=by.get_username(), user_changed=user.get_username())


def strategies_of(organisations) -> list[Strategy]:
    return list(Strategy.objects.filter(owner__in=organisations).order_by("name"))
