"""The audit history prints many-to-many changes by name: "SROs: A, B → A, C"."""

import pytest

from goals.core.history import ACTION_HISTORY_FIELDS, history_of
from goals.models import Objective
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_actions_sros_show_before_and_after_by_name():
    ann, bob, cat = (factories.PersonFactory(name=name) for name in ("Ann Able", "Bob Best", "Cat Cole"))
    action = factories.ActionFactory(sros=[ann, bob])
    action.sros.set([ann, cat])  # django-simple-history records a version per add and remove
    entries = history_of(action, ACTION_HISTORY_FIELDS)
    changes = [(c.label, c.before, c.after) for entry in entries for c in entry.changes if c.label == "SROs"]
    assert changes[0] == ("SROs", "Ann Able", "Ann Able, Cat Cole")  # newest first: Cat added
    assert changes[1] == ("SROs", "Ann Able, Bob Best", "Ann Able")  # Bob removed


def test_an_objectives_lead_directors_are_in_its_history(django_assert_num_queries):
    dee = factories.PersonFactory(name="Dee Dunn")
    objective = factories.ObjectiveFactory()
    objective.lead_directors.add(dee)
    objective = Objective.objects.get(pk=objective.pk)
    with django_assert_num_queries(2):  # the versions, then the lead directors of each
        entries = history_of(objective, ("title", "lead_directors"))
    assert [(c.before, c.after) for c in entries[0].changes] == [("", "Dee Dunn")]
