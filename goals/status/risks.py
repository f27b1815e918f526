"""Reads for the BAF risks page: the register of a quarter (grid and table) and one risk's
history.
Every read returns evaluated data (lists and dataclasses, not lazy querysets) with a fixed number
of queries however large the strategy; the counts are pinned in tests/status at two data sizes."""

from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404
from django.urls import reverse

from goals.core.choices import (
    RiskBand,
)
from goals.core.movement import (
    DIRECTION_ARROWS,
    RISK_BAND_STYLES,
    Direction,
    risk_band,
    risk_direction,
)
from goals.core.quarters import Quarter
from goals.models import (
    Goal,
    Period,
    PersonAsOf,
    Risk,
    RiskScore,
    people_as_of,
)
from goals.status.shared import (
    StatusPeriod,
    page_status,
)

RISK_GRID_SIZE = 5
RISK_BAND_LABELS = dict(RiskBand.choices)


# --- BAF risks --------------------------------------------------------------------------------


@dataclass
class RiskRow:
    """A BAF risk's score in one quarter, with its band and its direction of travel."""

    risk: Risk
    period: Period | None
    score: int | None
    likelihood: int | None
    consequence: int | None
    previous_score: int | None
    goals: list[Goal] = field(default_factory=list)
    owner: PersonAsOf | None = None

    @property
    def url(self) -> str:
        return reverse("goals:risk_history", kwargs={"slug": self.risk.strategy.slug, "number": self.risk.number})

    @property
    def band(self) -> RiskBand | None:
        return risk_band(self.score)

    @property
    def band_label(self) -> str:
        return RISK_BAND_LABELS[self.band] if self.band else "Not scored"

    @property
    def band_style(self) -> tuple[str, str] | None:
        return RISK_BAND_STYLES[self.band] if self.band else None

    @property
    def target_band_label(self) -> str:
        band = risk_band(self.risk.target_score)
        return RISK_BAND_LABELS[band] if band else ""

    @property
    def direction(self) -> Direction | None:
        return risk_direction(self.previous_score, self.score)

    @property
    def arrow(self) -> str:
        return DIRECTION_ARROWS[self.direction] if self.direction else ""

    @property
    def direction_label(self) -> str:
        return self.direction.label if self.direction else "Not scored"

    @property
    def placed(self) -> bool:
        return bool(self.likelihood and self.consequence)


@dataclass
class GridCell:
    likelihood: int
    consequence: int
    risks: list[RiskRow]

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence

    @property
    def band(self) -> RiskBand:
        return risk_band(self.score)

    @property
    def band_label(self) -> str:
        return RISK_BAND_LABELS[risk_band(self.score)]

    @property
    def band_style(self) -> tuple[str, str]:
        return RISK_BAND_STYLES[risk_band(self.score)]


@dataclass
class RiskRegister:
    status: StatusPeriod
    rows: list[RiskRow]
    grid: list[tuple[int, list[GridCell]]]  # likelihood 5 → 1, each with consequence 1 → 5

    @property
    def not_placed(self) -> list[RiskRow]:
        """Scored without likelihood and consequence (packs often print only the score)."""
        return [r for r in self.rows if r.score is not None and not r.placed]

    @property
    def not_scored(self) -> list[RiskRow]:
        return [r for r in self.rows if r.score is None]

    @property
    def consequences(self) -> list[int]:
        return list(range(1, RISK_GRID_SIZE + 1))


def _owner_names(status: StatusPeriod, risks) -> dict[int, PersonAsOf]:
    owners = [r.owner for r in risks if r.owner_id]
    return people_as_of(status.period, owners) if owners else {}


def risk_register(*, slug: str, quarter: Quarter | None = None) -> RiskRegister:
    """Every BAF risk with this quarter's score, band, direction of travel from the quarter before,
    target, goals and owner; and the 5×5 likelihood × consequence grid (5 queries, 6 when risks
    have owners)."""
    status = page_status(slug, quarter)
    risks = list(status.strategy.risks.select_related("owner").prefetch_related("goals").order_by("number"))
    wanted = [p for p in (status.period, status.previous) if p]
    scores = {(s.risk_id, s.period_id): s for s in RiskScore.objects.filter(period__in=wanted)}
    owners = _owner_names(status, risks)
    rows = []
    for risk in risks:
        risk.strategy = status.strategy
        now = scores.get((risk.pk, status.period.pk))
        before = scores.get((risk.pk, status.previous.pk)) if status.previous else None
        rows.append(
            RiskRow(
                risk=risk,
                period=status.period,
                score=now.score if now else None,
                likelihood=now.likelihood if now else None,
                consequence=now.consequence if now else None,
                previous_score=before.score if before else None,
                goals=sorted(risk.goals.all(), key=lambda g: g.order),
                owner=owners.get(risk.owner_id),
            )
        )
    grid = [
        (
            likelihood,
            [
                GridCell(
                    likelihood,
                    consequence,
                    [r for r in rows if (r.likelihood, r.consequence) == (likelihood, consequence)],
                )
                for consequence in range(1, RISK_GRID_SIZE + 1)
            ],
        )
        for likelihood in range(RISK_GRID_SIZE, 0, -1)
    ]
    return RiskRegister(status=status, rows=rows, grid=grid)


@dataclass
class RiskHistory:
    risk: Risk
    owner: PersonAsOf | None
    goals: list[Goal]
    rows: list[RiskRow]  # every quarter of the strategy, latest first


def risk_history(*, slug: str, number: str) -> RiskHistory:
    """One BAF risk's score in every quarter of its strategy, latest first (4 queries)."""
    risk = get_object_or_404(
        Risk.objects.select_related("strategy", "owner").prefetch_related("goals"), strategy__slug=slug, number=number
    )
    periods = list(risk.strategy.periods.chronological())
    scores = {s.period_id: s for s in risk.scores.all()}
    by_quarter = {p.as_quarter: p for p in periods}
    goals = sorted(risk.goals.all(), key=lambda g: g.order)
    for goal in goals:
        goal.strategy = risk.strategy  # already read: spares a query per goal for its URL
    rows = []
    for period in periods:
        now = scores.get(period.pk)
        earlier = by_quarter.get(period.as_quarter.previous())
        before = scores.get(earlier.pk) if earlier else None
        rows.append(
            RiskRow(
                risk=risk,
                period=period,
                score=now.score if now else None,
                likelihood=now.likelihood if now else None,
                consequence=now.consequence if now else None,
                previous_score=before.score if before else None,
                goals=goals,
            )
        )
    latest = periods[-1] if periods else None
    owner = people_as_of(latest, [risk.owner])[risk.owner_id] if risk.owner and latest else None
    return RiskHistory(risk=risk, owner=owner, goals=goals, rows=rows[::-1])
