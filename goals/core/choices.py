"""Choices shared across the app. RAG lives here and only here: value, label, letter and colours.

Every renderer (HTML tag include, table column, PDF, Word, Excel, charts) reads `RAG_STYLES`,
so a colour changes in one place.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class RAG(models.TextChoices):
    GREEN = "green", _("Green")
    AMBER = "amber", _("Amber")
    RED = "red", _("Red")
    BLUE = "blue", _("Blue (complete)")


RAG_MEANINGS = {
    RAG.GREEN: "On track.",
    RAG.AMBER: "At risk: slippage, with a mitigation in hand.",
    RAG.RED: "Off track: needs escalation.",
    RAG.BLUE: "Complete.",
}

NOT_RATED = ""


@dataclass(frozen=True)
class RagStyle:
    label: str  # the word printed beside the colour
    letter: str  # printed in tables and cells: colour is never the only signal
    tag_class: str  # NHS.UK frontend tag modifier (no amber tag: yellow stands in)
    fill: str  # background hex for PDF, Word and Excel cells
    text: str  # text colour on that background (contrast-checked)


RAG_STYLES: dict[str, RagStyle] = {
    RAG.GREEN: RagStyle("Green", "G", "nhsuk-tag--green", "#CCE3D8", "#005A30"),
    RAG.AMBER: RagStyle("Amber", "A", "nhsuk-tag--yellow", "#FFF59D", "#594D00"),
    RAG.RED: RagStyle("Red", "R", "nhsuk-tag--red", "#F7D7DA", "#8A1538"),
    RAG.BLUE: RagStyle("Blue", "B", "nhsuk-tag--blue", "#D0E1F5", "#003087"),
    NOT_RATED: RagStyle("Not rated", "–", "nhsuk-tag--grey", "#E8EDEE", "#212B32"),
}

# Ordering used for "worst first" lists: red, amber, not rated, green, blue.
RAG_SEVERITY = {RAG.RED: 0, RAG.AMBER: 1, NOT_RATED: 2, RAG.GREEN: 3, RAG.BLUE: 4}


def rag_style(value: str | None) -> RagStyle:
    return RAG_STYLES.get(value or NOT_RATED, RAG_STYLES[NOT_RATED])


class UpdateState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


# --- Where an action's update stands in a quarter: the one vocabulary ---------------------------
# "not started"    no update written yet this quarter (NOT_STARTED);
# "not submitted"  not started, draft or returned (NOT_SUBMITTED): nothing reported yet, so readers
#                  see "not rated" and the programme office chases it. The dashboard's "not submitted
#                  yet" tally and the lock page's count are this.
# "missing" is not a state: it is only how shared URLs spell two filters, kept so links keep working:
# the tracker's `?state=missing` shows "not submitted" (MISSING_FILTER), and the action list's
# `?state=missing` (and its rows' `update_state`) stands for "not started" (NOT_STARTED_IN_LISTS).
NOT_STARTED = "not_started"
NOT_SUBMITTED = (NOT_STARTED, UpdateState.DRAFT, UpdateState.RETURNED)
MISSING_FILTER = "missing"
NOT_STARTED_IN_LISTS = "missing"
NOT_SUBMITTED_LABEL = "Not submitted yet"


@dataclass(frozen=True)
class StateTag:
    value: str
    label: str
    tag_class: str  # NHS tag modifier; the label is always printed


# The one place update states get their words and tag colours (not RAG colours: those are
# RAG_STYLES, and these avoid green/yellow/red/blue so they never read as a RAG).
STATE_TAGS = {
    NOT_STARTED: StateTag(NOT_STARTED, "Not started", "nhsuk-tag--grey"),
    UpdateState.DRAFT: StateTag(UpdateState.DRAFT, "Draft", "nhsuk-tag--white"),
    UpdateState.RETURNED: StateTag(UpdateState.RETURNED, "Returned", "nhsuk-tag--orange"),
    UpdateState.SUBMITTED: StateTag(UpdateState.SUBMITTED, "Submitted", "nhsuk-tag--purple"),
    UpdateState.APPROVED: StateTag(UpdateState.APPROVED, "Approved", "nhsuk-tag--aqua-green"),
}
UPDATE_STATE_LABELS = {value: tag.label for value, tag in STATE_TAGS.items()} | {
    NOT_STARTED_IN_LISTS: STATE_TAGS[NOT_STARTED].label
}


def state_tag(state: str | None) -> StateTag:
    """The tag of an update state; None, "" or the lists' "missing" is not started."""
    if state == NOT_STARTED_IN_LISTS:
        state = NOT_STARTED
    return STATE_TAGS.get(state or NOT_STARTED, STATE_TAGS[NOT_STARTED])


def needs_rag_reason(rag: str | None, rag_reason: str | None) -> bool:
    """Amber and Red need a reason for the rating (written once: the cycle's services, the model's
    validation and the importer ask this)."""
    return rag in (RAG.AMBER, RAG.RED) and not (rag_reason or "").strip()


class ActionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETE = "complete", _("Complete")
    STEPPED_DOWN = "stepped_down", _("Stepped down")


class PeriodState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    LOCKED = "locked", _("Locked")
    PUBLISHED = "published", _("Published")


class Improvement(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")
    NEITHER = "neither", _("Neither")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class ReportLayout(models.TextChoices):
    PROGRESS = "progress", _("Progress report")
    HIGHLIGHT = "highlight", _("Highlight report")


class RiskBand(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    EXTREME = "extreme", _("Extreme")


@dataclass(frozen=True)
class RagCount:
    """How many of something have one RAG rating (pages and packs alike)."""

    rag: str
    count: int

    @property
    def style(self) -> RagStyle:
        return rag_style(self.rag)


def rag_counts(rags) -> list[RagCount]:
    """Counts of RAG values in the scale's order (red first), not rated included, zeros kept."""
    counts = dict.fromkeys(RAG_SEVERITY, 0)
    for rag in rags:
        counts[rag or ""] += 1
    return rag_tally(counts)


def rag_tally(counts) -> list[RagCount]:
    """`counts` ({RAG value: how many}, as a grouped query returns them) as rag_counts does. The
    ratings are plain strings, not RAG members: cached pages unpickle thousands of them."""
    merged = {str(rag): 0 for rag in RAG_SEVERITY}
    for rag, count in counts.items():
        merged[rag or ""] += count
    return [RagCount(rag, count) for rag, count in sorted(merged.items(), key=lambda kv: RAG_SEVERITY[kv[0]])]


class Role(models.TextChoices):
    """A role granted on an organisation's strategies or on one strategy (goals.models.RoleGrant)."""

    STRATEGY_ADMIN = "strategy_admin", _("Strategy admin")
    PROGRAMME_OFFICE = "programme_office", _("Programme office")
    DIRECTOR = "director", _("Director / reader")
