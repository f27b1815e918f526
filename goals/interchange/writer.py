"""Writing a validated strategy plan: all or nothing, only what differs.

`write_plan` runs inside the caller's transaction. It prefetches each kind of row once, then
bulk-creates and bulk-updates only the rows whose values differ (each such write a history
record), so writing the same plan twice changes nothing. Locked and published quarters are
frozen: a change to one raises StrategyImportError, and the caller's transaction is rolled back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from goals import models as m
from goals.core.quarters import Quarter
from goals.interchange.schema import CHANGE_REASON, FROZEN_STATES, DocumentError, StrategyImportError
from goals.models.accounts import organisation_named
from goals.models.versioning import strategy_changed

_ORDER_SHIFT = 10000  # moved rows park above every real position, so unique orders never clash
_BATCH = 500


@dataclass
class KindCounts:
    """Rows of one kind created, updated and left unchanged; `rows` holds the created and updated
    rows themselves (for a preview), by state."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: dict[str, list] = field(default_factory=lambda: {"created": [], "updated": []}, repr=False, compare=False)


# Every kind of row an import writes, in the order it writes them.
KINDS = (
    m.Person,
    m.JobTitle,
    m.Strategy,
    m.Period,
    m.PersonTitle,
    m.Goal,
    m.Objective,
    m.SuccessMeasure,
    m.MeasureEvidence,
    m.Action,
    m.ActionUpdate,
    m.Risk,
    m.RiskScore,
    m.Metric,
    m.MetricValue,
)


@dataclass
class ImportResult:
    """What an import did: the strategy, and rows created/updated/unchanged per model."""

    strategy: m.Strategy
    counts: dict[type, KindCounts] = field(default_factory=lambda: {model: KindCounts() for model in KINDS})

    @property
    def created(self) -> int:
        return sum(count.created for count in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(count.updated for count in self.counts.values())

    @property
    def unchanged(self) -> int:
        return sum(count.unchanged for count in self.counts.values())

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        return f"{self.strategy.slug}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"

    def details(self) -> list[str]:
        """One line per kind of row the document holds, e.g. "action updates: 4 created, ..."."""
        return [
            f"{model._meta.verbose_name_plural}: {count.created} created, {count.updated} updated, "
            f"{count.unchanged} unchanged"
            for model, count in self.counts.items()
            if count.created or count.updated or count.unchanged
        ]

    def __str__(self) -> str:
        return self.summary()


CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def write_plan(plan: dict, *, by=None) -> ImportResult:
    """Write a validated plan (from `validator.read_document`); call it inside a transaction.

    Raises StrategyImportError when the plan would change a locked or published quarter.
    """
    writer = _Writer(plan, by=by)
    strategy = writer.write()
    return ImportResult(strategy=strategy, counts=writer.counts)


def _has_history(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def _place(mentioned: list, existing: dict) -> tuple[dict, dict]:
    """Positions (from 1) for the rows a document lists, in its order, and new positions for the
    rows it does not list that would otherwise clash (those keep their relative order, after)."""
    orders = {key: position for position, key in enumerate(mentioned, start=1)}
    next_free = len(mentioned) + 1
    moved = {}
    unlisted = sorted((row.order, key) for key, row in existing.items() if key not in orders)
    for order, key in unlisted:
        new = max(order, next_free)
        next_free = new + 1
        if new != order:
            moved[key] = new
    return orders, moved


def _update_rows(model, rows: list, field_names: list[str]) -> None:
    """Save `field_names` of `rows`: one UPDATE statement run for every row (executemany).

    QuerySet.bulk_update builds a CASE expression per field per row, which takes minutes for
    tens of thousands of updates; this takes seconds on both SQLite and PostgreSQL.
    """
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields] + [row.pk] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


class _Writer:
    """Writes a validated plan: prefetches each kind's rows once, then bulk-creates and
    bulk-updates only what differs."""

    def __init__(self, plan: dict, *, by=None):
        self.plan = plan
        self.user = by if getattr(by, "pk", None) else None
        self.now = timezone.now()
        self.counts = {model: KindCounts() for model in KINDS}
        self.new_strategy = False

    # -- generic parts

    def sync(self, model, existing: dict, wanted: dict, *, on_create=None, on_update=None) -> tuple[dict, dict]:
        """Make rows match `wanted` ({natural key: field values}); write only rows that differ.

        Returns ({natural key: row}, {natural key: CREATED | UPDATED | UNCHANGED}).
        """
        rows, status = {}, {}
        creates, updates, moving, changed_fields = [], [], [], set()
        for key, values in wanted.items():
            row = existing.get(key)
            if "archived" in values:
                values = self.archived_at(values, row)
            if row is None:
                row = model(**values)
                if on_create:
                    on_create(row)
                creates.append(row)
                status[key] = CREATED
            else:
                changed = [name for name, value in values.items() if getattr(row, name) != value]
                if changed:
                    if "order" in changed:
                        moving.append(row.pk)
                    for name in changed:
                        setattr(row, name, values[name])
                    changed_fields.update(changed)
                    if on_update:
                        changed_fields.update(on_update(row))
                    updates.append(row)
                    status[key] = UPDATED
                else:
                    status[key] = UNCHANGED
            rows[key] = row
        if moving:  # park moved rows first, so no two rows hold one position mid-update
            for start in range(0, len(moving), _BATCH):
                model.objects.filter(pk__in=moving[start : start + _BATCH]).update(order=F("order") + _ORDER_SHIFT)
        if updates:
            _update_rows(model, updates, sorted(changed_fields))
            if _has_history(model):
                get_history_manager_for_model(model).bulk_history_create(
                    updates,
                    update=True,
                    batch_size=_BATCH,
                    default_user=self.user,
                    default_change_reason=CHANGE_REASON,
                )
        if creates:
            if _has_history(model):
                bulk_create_with_history(
                    creates, model, batch_size=_BATCH, default_user=self.user, default_change_reason=CHANGE_REASON
                )
            else:
                model.objects.bulk_create(creates, batch_size=_BATCH)
        return rows, status

    def archived_at(self, values: dict, row) -> dict:
        """The document's `archived: true/false` as `archived_at`: an archived row keeps the time it
        was archived; a row newly archived by the document is archived now."""
        values = dict(values)
        archived = values.pop("archived")
        current = getattr(row, "archived_at", None)
        values["archived_at"] = (current or self.now) if archived else None
        return values

    def sync_m2m(self, model, name: str, owner_filter: dict, wanted: dict[int, list[int]]) -> set[int]:
        """Set each owner's `name` relation to exactly the wanted ids; return the owners changed."""
        relation = model._meta.get_field(name)
        through = relation.remote_field.through
        source, target = f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id"
        current: dict[int, dict[int, int]] = defaultdict(dict)
        if not self.new_strategy:
            for pk, owner, other in through.objects.filter(**owner_filter).values_list("pk", source, target):
                current[owner][other] = pk
        creates, deletes, changed = [], [], set()
        for owner, targets in wanted.items():
            have = current.get(owner, {})
            want = set(targets)
            for other in targets:
                if other not in have:
                    creates.append(through(**{source: owner, target: other}))
                    changed.add(owner)
            for other, pk in have.items():
                if other not in want:
                    deletes.append(pk)
                    changed.add(owner)
        for start in range(0, len(deletes), _BATCH):
            through.objects.filter(pk__in=deletes[start : start + _BATCH]).delete()
        through.objects.bulk_create(creates, batch_size=_BATCH)
        return changed

    def count(self, model, rows: dict, status: dict, m2m_changed: set[int] = frozenset()) -> None:
        counts = self.counts[model]
        for key, state in status.items():
            if state == UNCHANGED and rows[key].pk in m2m_changed:
                state = UPDATED
            setattr(counts, state, getattr(counts, state) + 1)
            if state != UNCHANGED:
                counts.rows[state].append(rows[key])

    def existing(self, queryset, key) -> dict:
        if self.new_strategy:
            return {}
        return {key(row): row for row in queryset}

    def stamp_update(self, row) -> list[str]:
        """An imported change to an update or evidence is a save like any other: bump its version."""
        self.refuse_if_frozen(row)
        row.version += 1
        row.updated_at = self.now
        row.updated_by = self.user
        return ["version", "updated_at", "updated_by"]

    def stamp_create(self, row) -> None:
        self.refuse_if_frozen(row)
        row.updated_by = self.user

    def refuse_if_frozen_fields(self, row) -> list[str]:
        self.refuse_if_frozen(row)
        return []

    def refuse_if_frozen(self, row) -> None:
        label = self.frozen_periods.get(row.period_id)
        if label:
            what = f"action {row.action_id}" if isinstance(row, m.ActionUpdate) else str(row._meta.verbose_name)
            self.frozen_errors.append(
                DocumentError(
                    f"strategy.periods[{label}]",
                    f"{label} is locked or published: its {what} entry cannot change by import (re-open it first)",
                )
            )

    # -- the document, kind by kind

    def write(self) -> m.Strategy:
        self.frozen_periods, self.frozen_errors = {}, []
        strategy = self._write()
        if self.frozen_errors:
            raise StrategyImportError(self.frozen_errors)  # inside the transaction: nothing is kept
        # Rows were written in bulk, past the model signals; people are shared by every strategy.
        strategy_changed()
        return strategy

    def _write(self) -> m.Strategy:
        people = self.write_people()
        strategy = self.write_strategy(people)
        periods = self.write_periods(strategy)
        self.write_titles(strategy, people, periods)
        objectives = self.write_goals(strategy, people)
        measures = self.write_measures(strategy, objectives)
        self.write_evidence(strategy, measures, periods)
        actions = self.write_actions(strategy, objectives, people)
        self.write_updates(strategy, actions, periods)
        goals = {goal.key: goal for goal in m.Goal.objects.filter(strategy=strategy)}
        self.write_risks(strategy, goals, people, periods)
        self.write_metrics(strategy, goals, periods)
        return strategy

    def write_people(self) -> dict[str, m.Person]:
        listed = self.plan["people"]
        keys = {person["key"] for person in listed} | self.plan["referenced_people"]
        existing = {person.key: person for person in m.Person.objects.filter(key__in=keys)}
        wanted = {person["key"]: {"key": person["key"], **person["fields"]} for person in listed}
        rows, status = self.sync(m.Person, existing, wanted)
        self.count(m.Person, rows, status)
        people = {**existing, **rows}
        self.write_job_titles(people)
        return people

    def write_job_titles(self, people) -> None:
        """Dated job titles of the people listed with `job_titles`; titles not listed stay."""
        listed = [person for person in self.plan["people"] if person["job_titles"]]
        if not listed:
            return
        ids = [people[person["key"]].pk for person in listed]
        existing = {(t.person_id, t.starts_on): t for t in m.JobTitle.objects.filter(person_id__in=ids)}
        wanted = {
            (people[person["key"]].pk, title["starts_on"]): {"person_id": people[person["key"]].pk, **title}
            for person in listed
            for title in person["job_titles"]
        }
        rows, status = self.sync(m.JobTitle, existing, wanted)
        self.count(m.JobTitle, rows, status)

    def write_strategy(self, people) -> m.Strategy:
        plan = self.plan["strategy"]
        existing = {row.slug: row for row in m.Strategy.objects.filter(slug=plan["slug"])}
        self.new_strategy = not existing
        sro = people[plan["sro"]].pk if plan["sro"] else None
        fields = {"slug": plan["slug"], **plan["fields"], "sro_id": sro}
        if fields.get("organisation"):  # the organisation named owns it (its roles apply to this strategy)
            fields["owner_id"] = organisation_named(fields["organisation"]).pk
        wanted = {plan["slug"]: fields}
        rows, status = self.sync(m.Strategy, existing, wanted)
        self.count(m.Strategy, rows, status)
        return rows[plan["slug"]]

    def write_periods(self, strategy) -> dict[Quarter, m.Period]:
        existing = self.existing(m.Period.objects.filter(strategy=strategy), lambda p: Quarter(p.year, p.quarter))
        # Locked and published quarters are frozen: an import may repeat them but not change them,
        # and it cannot re-open one (that needs a recorded reason, through the programme office).
        self.frozen_periods = {p.pk: p.label for p in existing.values() if p.state in FROZEN_STATES}
        for quarter, values in self.plan["strategy"]["periods"]:
            period = existing.get(quarter)
            if period and period.pk in self.frozen_periods and values.get("state") not in FROZEN_STATES:
                self.frozen_errors.append(
                    DocumentError(
                        f"strategy.periods[{quarter.slug}]",
                        f"{period.label} is {period.state}: re-open it in the app (with a reason) instead of by import",
                    )
                )
        wanted = {
            quarter: {"strategy_id": strategy.pk, "year": quarter.year, "quarter": quarter.quarter, **values}
            for quarter, values in self.plan["strategy"]["periods"]
        }
        rows, status = self.sync(m.Period, existing, wanted)
        self.count(m.Period, rows, status)
        return {**existing, **rows}

    def write_titles(self, strategy, people, periods) -> None:
        existing = self.existing(
            m.PersonTitle.objects.filter(period__strategy=strategy), lambda t: (t.person_id, t.period_id)
        )
        wanted = {}
        for person in self.plan["people"]:
            person_id = people[person["key"]].pk
            for quarter, values in person["titles"]:
                period_id = periods[quarter].pk
                wanted[(person_id, period_id)] = {"person_id": person_id, "period_id": period_id, **values}
        rows, status = self.sync(m.PersonTitle, existing, wanted)
        self.count(m.PersonTitle, rows, status)

    def write_goals(self, strategy, people) -> dict[tuple[str, str], m.Objective]:
        plans = self.plan["strategy"]["goals"]
        existing = self.existing(m.Goal.objects.filter(strategy=strategy), lambda g: g.key)
        orders, moved = _place([goal["key"] for goal in plans], existing)
        wanted = {
            goal["key"]: {
                "strategy_id": strategy.pk,
                "key": goal["key"],
                "order": orders[goal["key"]],
                **goal["fields"],
            }
            for goal in plans
        }
        wanted.update({key: {"order": order} for key, order in moved.items()})
        goal_rows, status = self.sync(m.Goal, existing, wanted)
        self.count(m.Goal, goal_rows, {key: status[key] for key in orders})

        existing_objectives = self.existing(
            m.Objective.objects.filter(goal__strategy=strategy), lambda o: (o.goal_id, o.key)
        )
        by_goal = defaultdict(dict)
        for (goal_id, key), row in existing_objectives.items():
            by_goal[goal_id][key] = row
        wanted, listed = {}, []
        for goal in plans:
            goal_id = goal_rows[goal["key"]].pk
            orders, moved = _place([objective["key"] for objective in goal["objectives"]], by_goal[goal_id])
            for objective in goal["objectives"]:
                natural = (goal_id, objective["key"])
                listed.append(natural)
                wanted[natural] = {
                    "goal_id": goal_id,
                    "key": objective["key"],
                    "order": orders[objective["key"]],
                    **objective["fields"],
                }
            wanted.update({(goal_id, key): {"order": order} for key, order in moved.items()})
        rows, status = self.sync(m.Objective, existing_objectives, wanted)
        changed = self.sync_m2m(
            m.Objective,
            "lead_directors",
            {"objective__goal__strategy": strategy},
            {
                rows[(goal_rows[goal["key"]].pk, objective["key"])].pk: [
                    people[key].pk for key in objective["lead_directors"]
                ]
                for goal in plans
                for objective in goal["objectives"]
            },
        )
        self.count(m.Objective, rows, {key: status[key] for key in listed}, changed)
        return {
            (goal["key"], objective["key"]): rows[(goal_rows[goal["key"]].pk, objective["key"])]
            for goal in plans
            for objective in goal["objectives"]
        }

    def _each_objective(self):
        for goal in self.plan["strategy"]["goals"]:
            for objective in goal["objectives"]:
                yield (goal["key"], objective["key"]), objective

    def write_measures(self, strategy, objectives) -> dict[tuple, m.SuccessMeasure]:
        existing = self.existing(
            m.SuccessMeasure.objects.filter(objective__goal__strategy=strategy), lambda s: (s.objective_id, s.order)
        )
        wanted, plans = {}, {}
        for natural, objective in self._each_objective():
            objective_id = objectives[natural].pk
            for order, measure in enumerate(objective["measures"], start=1):
                wanted[(objective_id, order)] = {"objective_id": objective_id, "order": order, **measure["fields"]}
                plans[(objective_id, order)] = measure
        rows, status = self.sync(m.SuccessMeasure, existing, wanted)
        self.count(m.SuccessMeasure, rows, status)
        self.measure_plans = plans
        return rows

    def write_evidence(self, strategy, measures, periods) -> None:
        existing = self.existing(
            m.MeasureEvidence.objects.filter(measure__objective__goal__strategy=strategy),
            lambda e: (e.measure_id, e.period_id),
        )
        wanted = {}
        for natural, measure in self.measure_plans.items():
            measure_id = measures[natural].pk
            for quarter, values in measure["evidence"]:
                period_id = periods[quarter].pk
                wanted[(measure_id, period_id)] = {"measure_id": measure_id, "period_id": period_id, **values}
        rows, status = self.sync(
            m.MeasureEvidence, existing, wanted, on_create=self.stamp_create, on_update=self.stamp_update
        )
        self.count(m.MeasureEvidence, rows, status)

    def write_actions(self, strategy, objectives, people) -> dict[tuple, m.Action]:
        existing = self.existing(
            m.Action.objects.filter(objective__goal__strategy=strategy), lambda a: (a.objective_id, a.number)
        )
        wanted, plans = {}, {}
        for natural, objective in self._each_objective():
            objective_id = objectives[natural].pk
            for action in objective["actions"]:
                key = (objective_id, action["number"])
                wanted[key] = {"objective_id": objective_id, "number": action["number"], **action["fields"]}
                plans[key] = action
        rows, status = self.sync(m.Action, existing, wanted)
        changed = set()
        for relation in ("sros", "leads"):
            changed |= self.sync_m2m(
                m.Action,
                relation,
                {"action__objective__goal__strategy": strategy},
                {rows[key].pk: [people[k].pk for k in action[relation]] for key, action in plans.items()},
            )
        self.count(m.Action, rows, status, changed)
        self.action_plans = plans
        return rows

    def write_updates(self, strategy, actions, periods) -> None:
        existing = self.existing(
            m.ActionUpdate.objects.filter(action__objective__goal__strategy=strategy),
            lambda u: (u.action_id, u.period_id),
        )
        wanted = {}
        for key, action in self.action_plans.items():
            action_id = actions[key].pk
            for quarter, values in action["updates"]:
                period_id = periods[quarter].pk
                wanted[(action_id, period_id)] = {"action_id": action_id, "period_id": period_id, **values}
        rows, status = self.sync(
            m.ActionUpdate, existing, wanted, on_create=self.stamp_create, on_update=self.stamp_update
        )
        self.count(m.ActionUpdate, rows, status)

    def write_risks(self, strategy, goals, people, periods) -> None:
        plans = self.plan["strategy"]["risks"]
        existing = self.existing(m.Risk.objects.filter(strategy=strategy), lambda r: r.number)
        wanted = {
            risk["number"]: {
                "strategy_id": strategy.pk,
                "number": risk["number"],
                **risk["fields"],
                "owner_id": people[risk["owner"]].pk if risk["owner"] else None,
            }
            for risk in plans
        }
        rows, status = self.sync(m.Risk, existing, wanted)
        changed = self.sync_m2m(
            m.Risk,
            "goals",
            {"risk__strategy": strategy},
            {rows[risk["number"]].pk: [goals[key].pk for key in risk["goals"]] for risk in plans},
        )
        self.count(m.Risk, rows, status, changed)

        existing = self.existing(
            m.RiskScore.objects.filter(risk__strategy=strategy), lambda s: (s.risk_id, s.period_id)
        )
        wanted = {}
        for risk in plans:
            risk_id = rows[risk["number"]].pk
            for quarter, values in risk["scores"]:
                period_id = periods[quarter].pk
                wanted[(risk_id, period_id)] = {"risk_id": risk_id, "period_id": period_id, **values}
        rows, status = self.sync(
            m.RiskScore, existing, wanted, on_create=self.refuse_if_frozen, on_update=self.refuse_if_frozen_fields
        )
        self.count(m.RiskScore, rows, status)

    def write_metrics(self, strategy, goals, periods) -> None:
        plans = self.plan["strategy"]["metrics"]
        objectives = {}
        if any(metric["objective"] for metric in plans):
            objectives = {
                (objective.goal.key, objective.key): objective
                for objective in m.Objective.objects.filter(goal__strategy=strategy).select_related("goal")
            }
        existing = self.existing(m.Metric.objects.filter(strategy=strategy), lambda r: r.key)
        wanted = {
            metric["key"]: {
                "strategy_id": strategy.pk,
                "key": metric["key"],
                **metric["fields"],
                "goal_id": goals[metric["goal"]].pk if metric["goal"] else None,
                "objective_id": objectives[metric["objective"]].pk if metric["objective"] else None,
            }
            for metric in plans
        }
        rows, status = self.sync(m.Metric, existing, wanted)
        self.count(m.Metric, rows, status)

        existing = self.existing(
            m.MetricValue.objects.filter(metric__strategy=strategy), lambda v: (v.metric_id, v.date)
        )
        wanted = {}
        for metric in plans:
            metric_id = rows[metric["key"]].pk
            for day, values in metric["values"]:
                wanted[(metric_id, day)] = {"metric_id": metric_id, "date": day, **values}
        rows, status = self.sync(m.MetricValue, existing, wanted)
        self.count(m.MetricValue, rows, status)
