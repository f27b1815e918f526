"""Published board packs: rendered once, stored in the database (so any app process can serve
them), checksummed, and never re-rendered."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.core.choices import ReportLayout
from goals.models import Goal, Period, Person, Risk


class PublicationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")


class PublicationSource(models.TextChoices):
    APP = "app", _("Published here")
    IMPORT = "import", _("Published by import")


class Publication(models.Model):
    """One publishing of a quarter's pack in one layout; re-publishing makes the next version."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="publications")
    layout = models.CharField(max_length=20, choices=ReportLayout.choices)
    version = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Publishing runs in the background worker (reports.tasks): queued → rendering → published, or
    # failed with the reason (nothing stored then; it can be retried).
    status = models.CharField(max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.QUEUED)
    failure_reason = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=PublicationSource.choices, default=PublicationSource.APP)
    # Frozen with the publication: the cover sheet as it was, and what the publisher was warned of.
    cover_sheet = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("period", "layout", "-version")
        constraints = [
            models.UniqueConstraint(
                fields=("period", "layout", "version"),
                name="%(app_label)s_%(class)s_unique_period_layout_version",
                violation_error_message=_("This version of the pack has already been published."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period.strategy} {self.period} {self.get_layout_display()} v{self.version}"


class PublishedFile(models.Model):
    """One format (PDF, Word, Excel, HTML) of a publication, frozen with its SHA-256."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word"
        XLSX = "xlsx", "Excel"
        HTML = "html", "HTML"

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=10, choices=Format.choices)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ("publication", "format")
        constraints = [
            models.UniqueConstraint(
                fields=("publication", "format"),
                name="%(app_label)s_%(class)s_unique_publication_format",
                violation_error_message=_("This publication already has a file in that format."),
            ),
        ]

    def __str__(self) -> str:
        return self.filename

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PublishedFileIsFrozen(f"{self.filename} is published: its bytes never change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PublishedFileIsFrozen(f"{self.filename} is published: it is kept for good.")

    def content_matches(self) -> bool:
        """Do the stored bytes still have the SHA-256 recorded when they were published?"""
        return hashlib.sha256(bytes(self.content)).hexdigest() == self.sha256

    @property
    def is_intact(self) -> bool:
        """For a file listed with `StoredSHA256` (without its bytes): its checksum still matches."""
        return self.stored_sha256 == self.sha256


class PublishedFileIsFrozen(Exception):
    """A published file was about to be changed or deleted."""


class CoverSheet(models.Model):
    """The NHS board paper's front sheet of one quarter's pack in one layout, filled in by the
    programme office; printed as page 1 of every format and frozen with each publication."""

    class Purpose(models.TextChoices):
        DECISION = "decision", _("Decision")
        DISCUSSION = "discussion", _("Discussion")
        ASSURANCE = "assurance", _("Assurance")
        INFORMATION = "information", _("Information")

    class AssuranceLevel(models.TextChoices):
        NONE = "none", _("None")
        LIMITED = "limited", _("Limited")
        REASONABLE = "reasonable", _("Reasonable")
        SUBSTANTIAL = "substantial", _("Substantial")

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="cover_sheets")
    layout = models.CharField(max_length=20, choices=ReportLayout.choices)
    meeting = models.CharField(max_length=200, blank=True)
    meeting_date = models.DateField(null=True, blank=True)
    agenda_item = models.CharField(max_length=50, blank=True)
    title = models.CharField(max_length=300)
    # The title on the pack's own cover (after the cover sheet); blank: the strategy's name and years.
    # The form starts from the quarter's (Period.pack_title, set by import).
    pack_title = models.CharField(max_length=300, blank=True)
    lead_director = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.ASSURANCE)
    assurance_level = models.CharField(max_length=20, choices=AssuranceLevel.choices, default=AssuranceLevel.NONE)
    goals = models.ManyToManyField(Goal, blank=True, related_name="+")
    risks = models.ManyToManyField(Risk, blank=True, related_name="+")
    previously_considered_by = models.TextField(blank=True)
    recommendation = models.TextField(blank=True)
    equality_impact = models.TextField(blank=True)
    history = HistoricalRecords(m2m_fields=[goals, risks])

    class Meta:
        ordering = ("period", "layout")
        constraints = [
            models.UniqueConstraint(
                fields=("period", "layout"),
                name="%(app_label)s_%(class)s_unique_period_layout",
                violation_error_message=_("This pack already has a cover sheet."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StoredSHA256(models.Func):
    """The SHA-256 (hex) of a binary column worked out by the database, so a list of published
    files is verified without fetching their bytes. PostgreSQL has sha256(bytea); on SQLite the
    function is registered on each connection (reports.apps)."""

    output_field = models.CharField()
    function = SQLITE_SHA256 = "REPORTS_SHA256_BYTES"

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="encode(sha256(%(expressions)s), 'hex')", **extra_context)


def sqlite_sha256(content: bytes | None) -> str | None:
    return None if content is None else hashlib.sha256(bytes(content)).hexdigest()
