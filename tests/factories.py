"""factory-boy factories that keep related rows consistent (a goal's objectives share its
strategy; an update's period belongs to its action's strategy)."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from goals import models
from goals.core.choices import RAG, PeriodState, UpdateState


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.nhs.uk")
    password = factory.django.Password("correct-horse-battery")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    name = factory.Faker("name")
    key = factory.Sequence(lambda n: f"person-{n}")
    job_title = "Director of Delivery"
    email = factory.LazyAttribute(lambda p: f"{p.key}@example.nhs.uk")


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Strategy

    organisation = "Example NHS Foundation Trust"
    name = factory.Sequence(lambda n: f"Strategy {n}")
    slug = factory.LazyAttribute(lambda s: slugify(s.name))
    years = "2024/27"
    vision = "Outstanding care, every time."
    success_statements = factory.LazyFunction(lambda: ["Patients tell us care is better."])


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Goal

    strategy = factory.SubFactory(StrategyFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Goal {n}")
    key = factory.LazyAttribute(lambda g: slugify(g.title))
    description = "What this goal is for."


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Objective

    goal = factory.SubFactory(GoalFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Objective {n}")
    key = factory.LazyAttribute(lambda o: slugify(o.title))
    theme = "Access to Services"


class SuccessMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SuccessMeasure

    objective = factory.SubFactory(ObjectiveFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"We know we are great when measure {n} is met")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Action
        skip_postgeneration_save = True  # the hooks only set many-to-many rows

    objective = factory.SubFactory(ObjectiveFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Deliver improvement {n}")

    @factory.post_generation
    def sros(self, create, extracted, **kwargs):
        if create and extracted:
            self.sros.set(extracted)

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        if create and extracted:
            self.leads.set(extracted)


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Period
        django_get_or_create = ("strategy", "year", "quarter")

    strategy = factory.SubFactory(StrategyFactory)
    year = 2024
    quarter = 2
    state = PeriodState.OPEN
    deadline = datetime.date(2024, 10, 18)


class ActionUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ActionUpdate

    action = factory.SubFactory(ActionFactory)
    period = factory.SubFactory(PeriodFactory, strategy=factory.SelfAttribute("..action.objective.goal.strategy"))
    rag = RAG.GREEN
    progress = "Work is on plan."
    state = UpdateState.SUBMITTED


class MeasureEvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MeasureEvidence

    measure = factory.SubFactory(SuccessMeasureFactory)
    period = factory.SubFactory(PeriodFactory, strategy=factory.SelfAttribute("..measure.objective.goal.strategy"))
    evidence = "Evidence from this quarter."
    state = UpdateState.APPROVED


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Risk

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: f"{n + 1:02d}")
    title = factory.Sequence(lambda n: f"If risk {n} happens, care will suffer.")
    target_score = 8


class RiskScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RiskScore

    risk = factory.SubFactory(RiskFactory)
    period = factory.SubFactory(PeriodFactory, strategy=factory.SelfAttribute("..risk.strategy"))
    score = 12


class MetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Metric

    strategy = factory.SubFactory(StrategyFactory)
    key = factory.Sequence(lambda n: f"metric-{n}")
    name = factory.Sequence(lambda n: f"Metric {n} (illustrative)")
    unit = "%"


class MetricValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MetricValue

    metric = factory.SubFactory(MetricFactory)
    date = factory.Sequence(lambda n: datetime.date(2022 + n // 12, n % 12 + 1, 1))
    value = factory.Sequence(lambda n: 50 + (n % 7))
