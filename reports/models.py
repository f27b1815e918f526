"""Published board packs: rendered once, stored in the database (so any app process can serve
them), checksummed, and never re-rendered."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goals.core.choices import ReportLayout
from goals.models import Period


class Publication(models.Model):
    """One publishing of a quarter's pack in one layout; re-publishing makes the next version."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="publications")
    layout = models.CharField(max_length=20, choices=ReportLayout.choices)
    version = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

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
