"""The strategy domain: what a trust plans (strategy → goal → objective → action) and what it
reports each quarter (action updates, success-measure evidence, BAF risk scores, metric values).

One module per part of the domain; every model is importable from here. Rules about *changing*
these rows (who may, when) live in the capabilities' services, not here.
"""

from goals.models.accounts import Organisation, RoleGrant
from goals.models.cycle import ActionUpdate, MeasureEvidence, Period
from goals.models.metrics import Metric, MetricValue
from goals.models.people import JobTitle, Person, PersonAsOf, PersonTitle, people_as_of
from goals.models.risks import Risk, RiskScore
from goals.models.strategy import TEXT_LIMIT, TITLE_LIMIT, Action, Goal, Objective, Strategy, SuccessMeasure

__all__ = [
    "Organisation",
    "RoleGrant",
    "TEXT_LIMIT",
    "TITLE_LIMIT",
    "JobTitle",
    "Person",
    "PersonAsOf",
    "people_as_of",
    "PersonTitle",
    "Strategy",
    "Goal",
    "Objective",
    "SuccessMeasure",
    "Action",
    "Period",
    "ActionUpdate",
    "MeasureEvidence",
    "Risk",
    "RiskScore",
    "Metric",
    "MetricValue",
]
