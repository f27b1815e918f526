"""Who may see and do what, per organisation or per strategy: organisations (trusts) own
strategies, and role grants give a user a role on one organisation's strategies or on one strategy."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals.core.choices import Role


class Organisation(models.Model):
    """A trust. It owns strategies; a host may serve a group of trusts."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class RoleGrantQuerySet(models.QuerySet):
    def current(self):
        return self.filter(revoked_at__isnull=True)


class RoleGrant(models.Model):
    """A role on an organisation's strategies or on one strategy. Never deleted: revoking sets
    `revoked_at`, so the grants of a user are also their history."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="role_grants"
    )
    strategy = models.ForeignKey(
        "goals.Strategy", null=True, blank=True, on_delete=models.CASCADE, related_name="role_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        ordering = ("-granted_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, strategy__isnull=True)
                | Q(organisation__isnull=True, strategy__isnull=False),
                name="%(app_label)s_%(class)s_organisation_or_strategy",
                violation_error_message=_("A role is granted on an organisation or on a strategy, not both."),
            ),
        ]
        indexes = [
            # permissions.roles_on: a user's current grants, read once per request.
            models.Index(fields=("user", "revoked_at"), name="goals_rolegrant_user_current"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} on {self.organisation or self.strategy}"


def organisation_named(name: str) -> Organisation:
    """The organisation with this name, made when there is none (its slug unique)."""
    from django.utils.text import slugify

    found = Organisation.objects.filter(name=name).first()
    if found:
        return found
    base = slugify(name)[:90] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Organisation.objects.create(name=name, slug=slug)
