"""Writes of the BAF risk register and of each quarter's scores, each a keyword-only function
`risk_<verb>(*, …, by)`: it checks who may do it, validates with `full_clean()` and saves with a
history change reason.

- The register (create, edit, archive) is for administrators of the strategy (`may_administer`).
  A risk that has scores is archived, never deleted.
- A quarter's score (likelihood × consequence on the 5×5 matrix, and a rationale) is entered by
  the risk's owner, the programme office or a strategy admin (`may_score_risk`), only while the
  quarter is open: the scores freeze when it is locked.
Refusals: PermissionDenied (who), ValidationError (what; code "refused" when the quarter's state
refuses it: the page answers 409).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from goals.core.history import save_with_history
from goals.core.pages import REFUSED
from goals.core.permissions import may_administer, may_score_risk
from goals.models import Period, Person, Risk, RiskScore, Strategy
from goals.people.selectors import directory_people

CREATED_REASON = "Added to the register"
UPDATED_REASON = "Details changed"
ARCHIVED_REASON = "Archived"
RESTORED_REASON = "Restored from the archive"
SCORED_REASON = "Scored"


def _require_admin(user, strategy: Strategy) -> None:
    if not may_administer(user, strategy):
        raise PermissionDenied("Only an administrator of this strategy can change its BAF risks.")


def _check_links(risk: Risk, owner: Person | None, goals) -> None:
    """The owner is one of the strategy's people (or the risk's owner already, even archived since);
    the goals are the strategy's."""
    strategy, errors = risk.strategy, {}
    kept = owner is not None and owner.pk == risk.owner_id
    if owner is not None and not kept and not directory_people(strategy).filter(pk=owner.pk).exists():
        errors["owner"] = "Choose an owner from this strategy's people"
    if any(goal.strategy_id != strategy.pk for goal in goals):
        errors["goals"] = "Choose goals of this strategy"
    if errors:
        raise ValidationError(errors)


def _write(risk: Risk, *, number, title, owner, goals, target_score, by, reason: str) -> Risk:
    goals = list(goals or [])
    _check_links(risk, owner, goals)
    risk.number, risk.title, risk.owner, risk.target_score = number.strip(), title.strip(), owner, target_score
    with transaction.atomic():
        save_with_history(risk, by=by, reason=reason)
        risk.goals.set(goals)
    return risk


def risk_create(*, strategy: Strategy, number: str, title: str, owner=None, goals=(), target_score=None, by) -> Risk:
    _require_admin(by, strategy)
    return _write(
        Risk(strategy=strategy),
        number=number,
        title=title,
        owner=owner,
        goals=goals,
        target_score=target_score,
        by=by,
        reason=CREATED_REASON,
    )


def risk_update(*, risk: Risk, number: str, title: str, owner=None, goals=(), target_score=None, by) -> Risk:
    _require_admin(by, risk.strategy)
    return _write(
        risk,
        number=number,
        title=title,
        owner=owner,
        goals=goals,
        target_score=target_score,
        by=by,
        reason=UPDATED_REASON,
    )


def risk_archive(*, risk: Risk, archived: bool = True, by) -> Risk:
    """Archive a risk (its scores stay in every quarter that has them; it is not scored again), or
    restore it."""
    _require_admin(by, risk.strategy)
    risk.archived_at = timezone.now() if archived else None
    save_with_history(risk, by=by, reason=ARCHIVED_REASON if archived else RESTORED_REASON)
    return risk


@transaction.atomic
def risk_score_save(
    *, risk: Risk, period: Period, likelihood: int, consequence: int, rationale: str = "", by
) -> RiskScore:
    """The risk's score for the open quarter: likelihood × consequence (1–5 each)."""
    if not may_score_risk(by, risk):
        raise PermissionDenied("Only the risk's owner or the programme office can score it.")
    if period.strategy_id != risk.strategy_id:
        raise PermissionDenied("That quarter belongs to another strategy.")
    period = Period.objects.select_for_update().get(pk=period.pk)
    if not period.is_open:
        raise ValidationError(
            f"{period.label} is {period.get_state_display().lower()}: its BAF scores are frozen and can no longer be changed.",
            code=REFUSED,
        )
    if risk.archived_at is not None:
        raise ValidationError("This risk is archived: it is no longer scored.", code=REFUSED)
    errors = {}
    for name, value in (("likelihood", likelihood), ("consequence", consequence)):
        if not isinstance(value, int) or not 1 <= value <= 5:
            errors[name] = f"Choose a {name} from 1 to 5"
    if errors:
        raise ValidationError(errors)
    row = RiskScore.objects.filter(risk=risk, period=period).first() or RiskScore(risk=risk, period=period)
    row.likelihood, row.consequence, row.score = likelihood, consequence, likelihood * consequence
    row.rationale = (rationale or "").strip()
    if len(row.rationale) > RiskScore._meta.get_field("rationale").max_length:
        raise ValidationError({"rationale": "The rationale must be 2000 characters or fewer"})
    save_with_history(row, by=by, reason=SCORED_REASON)
    return row
