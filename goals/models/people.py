"""People named in strategies, and their names and titles as they were in a quarter."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Person(models.Model):
    """Someone named in a strategy: an SRO, a lead director or a programme lead."""

    key = models.SlugField(max_length=100, unique=True, help_text=_("Stable identifier used by imports."))
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=300, blank=True)
    email = models.EmailField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When it was archived: kept for the quarters that reported on it, out of new ones."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title}" if self.job_title else self.name


class JobTitle(models.Model):
    """A person's job title from a date: a role change applies from its date, so quarters before it
    keep printing the title that was in force then. `starts_on` empty: the title before any dated
    change. Person.job_title is the title in force today."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="job_titles")
    job_title = models.CharField(max_length=300)
    starts_on = models.DateField(null=True, blank=True, help_text=_("The title applies from this date."))
    history = HistoricalRecords()

    class Meta:
        ordering = ("person", models.F("starts_on").asc(nulls_first=True))
        constraints = [
            models.UniqueConstraint(
                fields=("person", "starts_on"),
                name="%(app_label)s_%(class)s_unique_person_start",
                violation_error_message=_("This person already has a title starting on that date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_title} (from {self.starts_on:%d %B %Y})" if self.starts_on else self.job_title


class PersonTitle(models.Model):
    """A person's name and job title as they were in one period, so reports never rewrite history."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="titles")
    period = models.ForeignKey("goals.Period", on_delete=models.CASCADE, related_name="person_titles")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("period", "person")
        constraints = [
            models.UniqueConstraint(
                fields=("person", "period"),
                name="%(app_label)s_%(class)s_unique_person_period",
                violation_error_message=_("This person already has a recorded title for the period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title}" if self.job_title else self.name


@dataclass(frozen=True)
class PersonAsOf:
    name: str
    job_title: str

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title}" if self.job_title else self.name


def people_as_of(period, people) -> dict[int, PersonAsOf]:
    """Name and job title of each person as they were in `period` (one query).

    A locked quarter keeps the titles recorded for it (PersonTitle); otherwise today's are used.
    """
    people = list(people)
    recorded = {
        t.person_id: PersonAsOf(t.name, t.job_title)
        for t in PersonTitle.objects.filter(period=period, person__in=[p.pk for p in people])
    }
    return {p.pk: recorded.get(p.pk, PersonAsOf(p.name, p.job_title)) for p in people}
