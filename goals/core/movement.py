"""How things moved since the previous quarter: RAG movement of an action and the direction of
travel of a BAF risk score. Used by the status pages and by every report format."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goals.core.choices import RAG, RiskBand

# Better → worse. Blue (complete) counts as the best place to be; "not rated" has no rank.
_RAG_RANK = {RAG.BLUE: 0, RAG.GREEN: 1, RAG.AMBER: 2, RAG.RED: 3}


class Movement(models.TextChoices):
    IMPROVED = "improved", _("Improved")
    DETERIORATED = "deteriorated", _("Deteriorated")
    UNCHANGED = "unchanged", _("Unchanged")
    NEW = "new", _("New")  # no rated update the quarter before
    NOT_RATED = "not_rated", _("Not rated")  # no rated update this quarter


MOVEMENT_ARROWS = {Movement.IMPROVED: "↑", Movement.DETERIORATED: "↓", Movement.UNCHANGED: "→"}


def rag_movement(previous: str | None, current: str | None) -> Movement:
    if not current:
        return Movement.NOT_RATED
    if not previous:
        return Movement.NEW
    before, now = _RAG_RANK[previous], _RAG_RANK[current]
    if now < before:
        return Movement.IMPROVED
    if now > before:
        return Movement.DETERIORATED
    return Movement.UNCHANGED


class Direction(models.TextChoices):
    """Direction of travel of a risk score: a higher score is a worse risk."""

    UP = "up", _("Score increased")
    DOWN = "down", _("Score decreased")
    SAME = "same", _("No change")
    NEW = "new", _("No previous score")


DIRECTION_ARROWS = {Direction.UP: "↑", Direction.DOWN: "↓", Direction.SAME: "→", Direction.NEW: ""}


def risk_direction(previous: int | None, current: int | None) -> Direction | None:
    if current is None:
        return None
    if previous is None:
        return Direction.NEW
    if current > previous:
        return Direction.UP
    if current < previous:
        return Direction.DOWN
    return Direction.SAME


# Default 5×5 bands: 1–3 low, 4–6 moderate, 8–12 high, 15–25 extreme (scores are products, so 7,
# 11, 13, 14 never occur). Override with settings.RISK_BANDS = [(upper_bound, band), …].
DEFAULT_RISK_BANDS = [(3, RiskBand.LOW), (6, RiskBand.MODERATE), (12, RiskBand.HIGH), (25, RiskBand.EXTREME)]

# Band colours (fill, text) — the one place for them, like RAG_STYLES for RAG.
RISK_BAND_STYLES = {
    RiskBand.LOW: ("#CCE3D8", "#005A30"),
    RiskBand.MODERATE: ("#FFF59D", "#594D00"),
    RiskBand.HIGH: ("#FFD8B0", "#6B3A00"),
    RiskBand.EXTREME: ("#F7D7DA", "#8A1538"),
}


def risk_band(score: int | None) -> RiskBand | None:
    if score is None:
        return None
    for upper, band in getattr(settings, "RISK_BANDS", DEFAULT_RISK_BANDS):
        if score <= upper:
            return RiskBand(band)
    raise ValueError(f"risk score {score} is above every band")
