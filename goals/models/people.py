"""People named in strategies, and their names and titles as they were in a quarter."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.core.names import name_and_title


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
        return name_and_title(self.name, self.job_title)


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
        return name_and_title(self.name, self.job_title)


@dataclass(frozen=True)
class PersonAsOf:
    name: str
    job_title: str

    def __str__(self) -> str:
        return name_and_title(self.name, self.job_title)


def people_as_of(period, people) -> dict[int, PersonAsOf]:
    """Name and job title of each person as they were in `period` (one query).

    In order: the snapshot recorded for the quarter when it locked or was imported (PersonTitle);
    else the dated job title in force on the quarter's last day (JobTitle); else today's title.
    """
    people = list(people)
    snapshot = PersonTitle.objects.filter(period=period, person=models.OuterRef("pk"))
    dated = (
        JobTitle.objects.filter(person=models.OuterRef("pk"))
        .filter(models.Q(starts_on__isnull=True) | models.Q(starts_on__lte=period.end))
        .order_by(models.F("starts_on").desc(nulls_last=True))
    )
    rows = (
        Person.objects.filter(pk__in=[p.pk for p in people])
        .annotate(
            recorded_name=models.Subquery(snapshot.values("name")[:1]),
            recorded_title=models.Subquery(snapshot.values("job_title")[:1]),
            dated_title=models.Subquery(dated.values("job_title")[:1]),
        )
        .values_list("pk", "recorded_name", "recorded_title", "dated_title")
    )
    found = {pk: (name, recorded, dated) for pk, name, recorded, dated in rows}
    as_of = {}
    for person in people:
        name, recorded, dated_title = found.get(person.pk, (None, None, None))
        if name is not None:
            as_of[person.pk] = PersonAsOf(name, recorded or "")
        elif dated_title is not None:
            as_of[person.pk] = PersonAsOf(person.name, dated_title)
        else:
            as_of[person.pk] = PersonAsOf(person.name, person.job_title)
    return as_of
