"""Reads of the BAF risk register and of a quarter's scoring. Each runs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404

from goals.core.history import HistoryEntry, history_of, history_of_rows
from goals.core.movement import Direction, risk_band, risk_direction
from goals.core.permissions import may_score_risk, may_see_risk_scores
from goals.core.quarters import Quarter
from goals.models import Goal, Period, Risk, RiskScore, Strategy
from goals.people.selectors import administered_strategy

RISK_HISTORY_FIELDS = ("number", "title", "target_score", "archived_at")
SCORE_HISTORY_FIELDS = ("likelihood", "consequence", "score", "rationale")

# The NHS 5×5 matrix's words for each level.
LIKELIHOOD_WORDS = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
CONSEQUENCE_WORDS = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Catastrophic"}


def _risks(strategy: Strategy):
    return strategy.risks.select_related("owner").prefetch_related(
        Prefetch("goals", queryset=Goal.objects.order_by("order"), to_attr="goal_list")
    )


@dataclass
class ScoreLine:
    """A risk's score in one quarter, as the pages print it."""

    score: int | None
    previous: int | None = None

    @property
    def band_label(self) -> str:
        band = risk_band(self.score)
        return band.label if band else "Not scored"

    @property
    def direction(self) -> Direction | None:
        return risk_direction(self.previous, self.score)

    @property
    def direction_label(self) -> str:
        return self.direction.label if self.direction else ""


# --- The register ------------------------------------------------------------------------------


@dataclass
class Register:
    strategy: Strategy
    risks: list[Risk]  # each with goal_list and latest (ScoreLine of its latest scored quarter)


def risk_register(user, *, slug: str) -> Register:
    """Every BAF risk of the strategy, archived last, with owner, goals and latest score (4 queries)."""
    strategy = administered_strategy(user, slug)
    latest = RiskScore.objects.filter(risk=OuterRef("pk")).order_by("-period__year", "-period__quarter")
    risks = list(
        _risks(strategy).annotate(latest_score=Subquery(latest.values("score")[:1])).order_by("archived_at", "number")
    )
    for risk in risks:
        risk.latest = ScoreLine(risk.latest_score)
    return Register(strategy=strategy, risks=risks)


def administered_risk(user, *, slug: str, pk: int) -> Risk:
    strategy = administered_strategy(user, slug)
    risk = get_object_or_404(_risks(strategy), pk=pk)
    risk.strategy = strategy
    return risk


@dataclass
class QuarterScore:
    period: Period
    line: ScoreLine
    row: RiskScore | None


@dataclass
class RiskPage:
    risk: Risk
    quarters: list[QuarterScore]  # latest first
    history: list[HistoryEntry]
    score_history: list[HistoryEntry]


def risk_page(user, *, slug: str, pk: int) -> RiskPage:
    """A risk with its score in every quarter and the history of the risk and its scores (9 queries)."""
    risk = administered_risk(user, slug=slug, pk=pk)
    periods = list(Period.objects.filter(strategy=risk.strategy).order_by("year", "quarter"))
    scores = {s.period_id: s for s in RiskScore.objects.filter(risk=risk)}
    quarters, previous = [], None
    for period in periods:
        row = scores.get(period.pk)
        score = row.score if row else None
        quarters.append(QuarterScore(period, ScoreLine(score, previous), row))
        previous = score
    score_records = list(
        RiskScore.history.filter(risk_id=risk.pk).select_related("history_user").order_by("history_date", "history_id")
    )
    return RiskPage(
        risk=risk,
        quarters=quarters[::-1],
        history=history_of(risk, RISK_HISTORY_FIELDS),
        score_history=history_of_rows(score_records, SCORE_HISTORY_FIELDS),
    )


# --- Scoring a quarter -------------------------------------------------------------------------


def _period(strategy: Strategy, quarter: Quarter) -> Period:
    period = Period.objects.get_at_or_404(quarter, strategy=strategy)
    period.strategy = strategy
    return period


def _previous_scores(period: Period, risk_ids) -> dict[int, int]:
    """Each risk's score in the quarter before `period` (one query): the direction of travel is
    from there, as on the status pages and in the packs."""
    before = period.as_quarter.previous()
    return dict(
        RiskScore.objects.filter(
            risk_id__in=risk_ids,
            period__strategy=period.strategy_id,
            period__year=before.year,
            period__quarter=before.quarter,
        ).values_list("risk_id", "score")
    )


@dataclass
class ScoringRow:
    risk: Risk
    line: ScoreLine  # this quarter's score, and the latest before it
    may_score: bool


@dataclass
class Scoring:
    strategy: Strategy
    period: Period
    rows: list[ScoringRow]

    @property
    def not_scored(self) -> list[ScoringRow]:
        return [row for row in self.rows if row.line.score is None]


def scoring(user, *, slug: str, quarter: Quarter) -> Scoring:
    """Every open BAF risk with its last score and this quarter's, for the programme office and
    strategy admins (6 queries)."""
    strategy = get_object_or_404(Strategy, slug=slug)
    if not may_see_risk_scores(user, strategy):
        raise PermissionDenied("Only the programme office can see every risk's score.")
    period = _period(strategy, quarter)
    risks = list(_risks(strategy).filter(archived_at__isnull=True).order_by("number"))
    now = dict(RiskScore.objects.filter(period=period).values_list("risk_id", "score"))
    before = _previous_scores(period, [risk.pk for risk in risks])
    rows = []
    for risk in risks:
        risk.strategy = strategy
        rows.append(ScoringRow(risk, ScoreLine(now.get(risk.pk), before.get(risk.pk)), may_score_risk(user, risk)))
    return Scoring(strategy=strategy, period=period, rows=rows)


@dataclass
class ScorePage:
    risk: Risk
    period: Period
    row: RiskScore | None
    line: ScoreLine
    history: list[HistoryEntry]


def score_page(user, *, slug: str, quarter: Quarter, pk: int) -> ScorePage:
    """One risk's score for one quarter (6 queries). Another strategy's risk is a 404; a user who
    may not score it a 403."""
    strategy = get_object_or_404(Strategy, slug=slug)
    risk = get_object_or_404(Risk.objects.select_related("owner"), strategy=strategy, pk=pk)
    risk.strategy = strategy
    if not may_score_risk(user, risk):
        raise PermissionDenied("Only the risk's owner or the programme office can score it.")
    period = _period(strategy, quarter)
    row = RiskScore.objects.filter(risk=risk, period=period).first()
    previous = _previous_scores(period, [risk.pk]).get(risk.pk)
    return ScorePage(
        risk=risk,
        period=period,
        row=row,
        line=ScoreLine(row.score if row else None, previous),
        history=history_of(row, SCORE_HISTORY_FIELDS),
    )


def risks_not_scored(periods, *, owned_only: bool = False) -> list[Risk]:
    """The open BAF risks of each period's strategy with no score for that period, each with
    `period_id` (the period it is missing from) and its owner (one query). For the tracker and
    the reminders; `owned_only` keeps the risks with an owner to remind."""
    periods = list(periods)
    if not periods:
        return []
    scored = RiskScore.objects.filter(risk=OuterRef("pk"), period=OuterRef("period_id"))
    risks = (
        Risk.objects.filter(strategy__periods__in=periods, archived_at__isnull=True)
        .annotate(period_id=F("strategy__periods"))
        .filter(~Exists(scored))
        .select_related("owner__user")
        .order_by("strategy_id", "number")
    )
    if owned_only:
        risks = risks.filter(owner__isnull=False)
    return list(risks)
