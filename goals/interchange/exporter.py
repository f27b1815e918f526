"""Export a whole strategy in the import format of docs/import-format.md.

`export_strategy` reads the strategy's rows (`read_strategy`) and assembles them
(`assemble_document`) into the document as plain data (keys in the documented order, empty
optional fields left out); `dump_yaml` writes it as readable block-style YAML. Importing an
export gives the same data back, and importing it over the same database changes nothing.
The number of queries is fixed: each kind of row is read once for the whole strategy.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import yaml

from goals import models as m
from goals.interchange.schema import FORMAT

HEADER = "# Strategy Tracker strategy document: see docs/import-format.md\n"


@dataclass
class StrategyRows:
    """Every row of one strategy that its document holds, read with a fixed number of queries."""

    strategy: m.Strategy
    periods: dict[int, m.Period]
    goals: list[m.Goal]
    objectives: list[m.Objective]
    measures: list[m.SuccessMeasure]
    evidence: list[m.MeasureEvidence]
    actions: list[m.Action]
    updates: list[m.ActionUpdate]
    risks: list[m.Risk]
    scores: list[m.RiskScore]
    metrics: list[m.Metric]
    values: list[m.MetricValue]
    lead_directors: dict[int, list[int]]
    sros: dict[int, list[int]]
    leads: dict[int, list[int]]
    risk_goals: dict[int, list[int]]
    titles: list[m.PersonTitle]
    people: dict[int, m.Person]
    job_titles: dict[int, list[m.JobTitle]]


def export_strategy(strategy: m.Strategy) -> dict:
    """The whole strategy as a document for `import_strategy` (and `dump_yaml`)."""
    return assemble_document(read_strategy(strategy))


def read_strategy(strategy: m.Strategy) -> StrategyRows:
    """The read step: each kind of row read once for the whole strategy."""
    risks = list(m.Risk.objects.filter(strategy=strategy).order_by("number"))
    # Many-to-many links in the order they were made, which is the order the document gave.
    lead_directors = _links(m.Objective, "lead_directors", objective__goal__strategy=strategy)
    sros = _links(m.Action, "sros", action__objective__goal__strategy=strategy)
    leads = _links(m.Action, "leads", action__objective__goal__strategy=strategy)
    titles = list(m.PersonTitle.objects.filter(period__strategy=strategy))
    person_ids = {strategy.sro_id, *(risk.owner_id for risk in risks), *(title.person_id for title in titles)}
    for links in (lead_directors, sros, leads):
        person_ids.update(pk for pks in links.values() for pk in pks)
    person_ids.discard(None)
    job_titles = defaultdict(list)
    for title in m.JobTitle.objects.filter(person_id__in=person_ids):
        job_titles[title.person_id].append(title)
    return StrategyRows(
        strategy=strategy,
        periods={period.pk: period for period in m.Period.objects.filter(strategy=strategy)},
        goals=list(m.Goal.objects.filter(strategy=strategy).order_by("order")),
        objectives=list(m.Objective.objects.filter(goal__strategy=strategy).order_by("goal__order", "order")),
        measures=list(m.SuccessMeasure.objects.filter(objective__goal__strategy=strategy).order_by("order")),
        evidence=list(m.MeasureEvidence.objects.filter(measure__objective__goal__strategy=strategy)),
        actions=list(m.Action.objects.filter(objective__goal__strategy=strategy).order_by("number")),
        updates=list(m.ActionUpdate.objects.filter(action__objective__goal__strategy=strategy)),
        risks=risks,
        scores=list(m.RiskScore.objects.filter(risk__strategy=strategy)),
        metrics=list(m.Metric.objects.filter(strategy=strategy).order_by("name", "key")),
        values=list(m.MetricValue.objects.filter(metric__strategy=strategy).order_by("date")),
        lead_directors=lead_directors,
        sros=sros,
        leads=leads,
        risk_goals=_links(m.Risk, "goals", risk__strategy=strategy),
        titles=titles,
        people={person.pk: person for person in m.Person.objects.filter(pk__in=person_ids)},
        job_titles=job_titles,
    )


def assemble_document(rows: StrategyRows) -> dict:
    """The assemble step: the rows as a document, keys in the documented order, no queries."""
    strategy, periods, people = rows.strategy, rows.periods, rows.people
    goal_keys = {goal.pk: goal.key for goal in rows.goals}
    objective_refs = {objective.pk: f"{goal_keys[objective.goal_id]}/{objective.key}" for objective in rows.objectives}

    def quarter(period_id: int) -> str:
        return periods[period_id].slug

    def by_quarter(items, parent_field: str, render) -> dict[int, dict]:
        grouped = defaultdict(list)
        for row in items:
            grouped[getattr(row, parent_field)].append(row)
        return {
            parent: {
                quarter(row.period_id): render(row) for row in sorted(group, key=lambda r: _period_order(periods, r))
            }
            for parent, group in grouped.items()
        }

    evidence_by_measure = by_quarter(
        rows.evidence,
        "measure_id",
        lambda row: _compact(
            {
                "evidence": row.evidence,
                "impact": row.impact,
                "next_focus": row.next_focus,
                "state": row.state,
            }
        ),
    )
    updates_by_action = by_quarter(
        rows.updates,
        "action_id",
        lambda row: _compact(
            {
                "rag": row.rag,
                "progress": row.progress,
                "impact": row.impact,
                "next_focus": row.next_focus,
                "rag_reason": row.rag_reason,
                "state": row.state,
            }
        ),
    )
    scores_by_risk = by_quarter(rows.scores, "risk_id", _score)
    values_by_metric = defaultdict(list)
    for value in rows.values:
        values_by_metric[value.metric_id].append(
            _compact(
                {
                    "date": value.date,
                    "value": _number(value.value),
                    "annotation": value.annotation,
                    "recalculate_limits": value.recalculate_limits or None,
                }
            )
        )

    measures_by_objective = defaultdict(list)
    for measure in rows.measures:
        measures_by_objective[measure.objective_id].append(
            _compact(
                {
                    "title": measure.title,
                    "archived": _archived(measure),
                    "evidence": evidence_by_measure.get(measure.pk),
                }
            )
        )
    actions_by_objective = defaultdict(list)
    for action in rows.actions:
        actions_by_objective[action.objective_id].append(
            _compact(
                {
                    "number": action.number,
                    "title": action.title,
                    "description": action.description,
                    "status": action.status,
                    "status_changed_on": action.status_changed_on,
                    "status_reason": action.status_reason,
                    "sros": [people[pk].key for pk in rows.sros.get(action.pk, [])],
                    "leads": [people[pk].key for pk in rows.leads.get(action.pk, [])],
                    "archived": _archived(action),
                    "updates": updates_by_action.get(action.pk),
                }
            )
        )
    objectives_by_goal = defaultdict(list)
    for objective in rows.objectives:
        register = _compact(
            {
                "reference": objective.risk_register_reference,
                "date": objective.risk_register_date,
                "entry": objective.risk_register_entry,
            }
        )
        objectives_by_goal[objective.goal_id].append(
            _compact(
                {
                    "key": objective.key,
                    "title": objective.title,
                    "theme": objective.theme,
                    "commitments": objective.commitments,
                    "aims": objective.aims,
                    "lead_directors": [people[pk].key for pk in rows.lead_directors.get(objective.pk, [])],
                    "risk_register": register,
                    "archived": _archived(objective),
                    "success_measures": measures_by_objective.get(objective.pk),
                    "actions": actions_by_objective.get(objective.pk),
                }
            )
        )

    titles_by_person = defaultdict(list)
    for title in sorted(rows.titles, key=lambda t: _period_order(periods, t)):
        titles_by_person[title.person_id].append(title)

    return {
        "format": FORMAT,
        "people": [
            _person(person, rows.job_titles.get(person.pk, []), titles_by_person.get(person.pk, []), quarter)
            for person in sorted(people.values(), key=lambda p: (p.name, p.key))
        ],
        "strategy": _compact(
            {
                "slug": strategy.slug,
                "name": strategy.name,
                "organisation": strategy.organisation,
                "years": strategy.years,
                "vision": strategy.vision,
                "sro": people[strategy.sro_id].key if strategy.sro_id else None,
                "default_layout": strategy.default_layout,
                "success_statements": list(strategy.success_statements or []),
                "periods": [
                    _compact(
                        {
                            "quarter": period.slug,
                            "state": period.state,
                            "deadline": period.deadline,
                            "pack_title": period.pack_title,
                        }
                    )
                    for period in sorted(periods.values(), key=lambda p: (p.year, p.quarter))
                ],
                "goals": [
                    _compact(
                        {
                            "key": goal.key,
                            "title": goal.title,
                            "description": goal.description,
                            "objectives_text": goal.objectives_text,
                            "archived": _archived(goal),
                            "objectives": objectives_by_goal.get(goal.pk),
                        }
                    )
                    for goal in rows.goals
                ],
                "risks": [
                    _compact(
                        {
                            "number": risk.number,
                            "title": risk.title,
                            "goals": [goal_keys[pk] for pk in rows.risk_goals.get(risk.pk, [])],
                            "owner": people[risk.owner_id].key if risk.owner_id else None,
                            "target_score": risk.target_score,
                            "archived": _archived(risk),
                            "scores": scores_by_risk.get(risk.pk),
                        }
                    )
                    for risk in rows.risks
                ],
                "metrics": [
                    _compact(
                        {
                            "key": metric.key,
                            "name": metric.name,
                            "description": metric.description,
                            "unit": metric.unit,
                            "improvement": metric.improvement,
                            "target": _number(metric.target),
                            "frequency": metric.frequency,
                            "baseline": metric.baseline,
                            "goal": goal_keys.get(metric.goal_id),
                            "objective": objective_refs.get(metric.objective_id),
                            "archived": _archived(metric),
                            "values": values_by_metric.get(metric.pk),
                        }
                    )
                    for metric in rows.metrics
                ],
            }
        ),
    }


def dump_yaml(document: dict) -> str:
    """Readable YAML: block style, multi-line text as `|` blocks, keys in the order given.

    Risk scores and metric values, which are short and many, are written one per line.
    """
    return HEADER + yaml.dump(
        _flow_small_mappings(document),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,  # never fold a long line of text: editors wrap, diffs stay readable
    )


# ----------------------------------------------------------------------------------------------


def _links(model, name: str, **owner_filter) -> dict[int, list[int]]:
    relation = model._meta.get_field(name)
    through = relation.remote_field.through
    source, target = f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id"
    links = defaultdict(list)
    for owner, other in through.objects.filter(**owner_filter).order_by("pk").values_list(source, target):
        links[owner].append(other)
    return links


def _period_order(periods: dict, row) -> tuple[int, int]:
    period = periods[row.period_id]
    return period.year, period.quarter


def _score(row: m.RiskScore):
    if row.likelihood and row.consequence:
        return _compact(
            {
                "score": row.score,
                "likelihood": row.likelihood,
                "consequence": row.consequence,
                "rationale": row.rationale,
            }
        )
    if row.rationale:
        return {"score": row.score, "rationale": row.rationale}
    return row.score


def _archived(row) -> bool | None:
    return True if row.archived_at else None


def _person(person: m.Person, job_titles: list[m.JobTitle], titles: list[m.PersonTitle], quarter) -> dict:
    return _compact(
        {
            "key": person.key,
            "name": person.name,
            "job_title": person.job_title,
            "email": person.email,
            "job_titles": [
                _compact({"job_title": title.job_title, "from": title.starts_on})
                for title in sorted(job_titles, key=lambda t: (t.starts_on is not None, t.starts_on))
            ],
            "titles": {
                quarter(title.period_id): (
                    title.job_title
                    if title.name == person.name
                    else _compact({"name": title.name, "job_title": title.job_title})
                )
                for title in titles
            },
            "archived": _archived(person),
        }
    )


def _number(value: Decimal | None):
    """A decimal as the plainest YAML number that reads back to the same value."""
    if value is None:
        return None
    value = value.normalize()
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _compact(mapping: dict) -> dict:
    """Leave out empty optional fields: the importer reads a missing field as empty."""
    return {key: value for key, value in mapping.items() if value not in (None, "", [], {})}


class _Flow(dict):
    """A mapping written on one line: {date: 2022-04-01, value: 7.9}."""


class _FlowList(list):
    """A short list written on one line: [sharon-murphy, pat-lead]."""


def _flow_small_mappings(document: dict) -> dict:
    """A copy of the document with lists of keys, risk scores and metric values marked for
    one-line output (the document itself is left as it is)."""
    strategy = document.get("strategy")
    if not isinstance(strategy, dict):
        return document

    def with_flow(mapping: dict, **changes) -> dict:
        return {**mapping, **{name: change(mapping[name]) for name, change in changes.items() if name in mapping}}

    def scores(values: dict) -> dict:
        return {key: _Flow(score) if isinstance(score, dict) else score for key, score in values.items()}

    def objective(entry: dict) -> dict:
        return with_flow(
            entry,
            lead_directors=_FlowList,
            actions=lambda actions: [with_flow(action, sros=_FlowList, leads=_FlowList) for action in actions],
        )

    strategy = with_flow(
        strategy,
        goals=lambda goals: [
            with_flow(goal, objectives=lambda objectives: [objective(entry) for entry in objectives]) for goal in goals
        ],
        risks=lambda risks: [with_flow(risk, goals=_FlowList, scores=scores) for risk in risks],
        metrics=lambda metrics: [
            with_flow(metric, values=lambda values: [_Flow(value) for value in values]) for metric in metrics
        ],
    )
    return {**document, "strategy": strategy}


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        # Indent lists under their key, as the format documentation shows them.
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data):
        return True


def _represent_str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow(dumper, value: _Flow):
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(
    _FlowList, lambda dumper, value: dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)
)
