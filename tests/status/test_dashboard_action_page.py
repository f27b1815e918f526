"""The action page's RAG timeline across every quarter of its strategy and the history of each
reported update (who, when, before → after)."""

import pytest

from goals.core.choices import RAG
from goals.core.movement import Movement
from goals.strategy.selectors import action_detail
from tests import factories


@pytest.mark.django_db
def test_the_timeline_has_every_quarter_with_its_reported_rating_and_movement(rated):
    action = action_detail(rated.worse.pk)
    assert [(e.period.slug, e.rag, e.movement) for e in action.timeline] == [
        ("2024-Q1", RAG.GREEN, Movement.NEW),
        ("2024-Q2", RAG.RED, Movement.DETERIORATED),
        ("2024-Q3", "", Movement.NOT_RATED),
    ]


@pytest.mark.django_db
def test_a_draft_is_not_on_the_timeline(rated):
    action = action_detail(rated.draft.pk)
    assert [e.rag for e in action.timeline] == [RAG.GREEN, "", ""]


@pytest.mark.django_db
def test_each_reported_update_carries_its_history_newest_first(rated, director):
    update = rated.worse.updates.get(period=rated.q2)
    update._history_user = director
    update.rag = RAG.AMBER
    update.rag_reason = "A new contractor starts in May."
    update.save()
    action = action_detail(rated.worse.pk)
    q2_update = next(u for u in action.update_list if u.period_id == rated.q2.pk)
    latest, first = q2_update.history_entries
    assert latest.who == director.get_full_name()
    changes = {c.label: (c.before, c.after) for c in latest.changes}
    assert changes["RAG"] == ("Red", "Amber")
    assert changes["Reason for rating"] == ("The contractor went bust", "A new contractor starts in May.")
    assert first.who == "Import or system"
    # The first version says how the update started; its text is the "before" of the change above.
    assert [(c.label, c.after) for c in first.changes] == [("State", "Approved"), ("RAG", "Red")]


@pytest.mark.django_db
def test_the_page_shows_the_timeline_linking_to_each_update_and_the_history(client, director, rated):
    client.force_login(director)
    content = client.get(rated.worse.get_absolute_url()).content.decode()
    q2_update = rated.worse.updates.get(period=rated.q2)
    assert "RAG by quarter" in content
    assert f'<a href="#update-{q2_update.pk}">Q2 2024/25</a>' in content
    assert "Deteriorated" in content
    assert "History of this update" in content
    assert "The contractor went bust" in content


@pytest.mark.django_db
def test_the_history_of_a_draft_is_not_shown(client, director, rated):
    client.force_login(director)
    content = client.get(rated.draft.get_absolute_url()).content.decode()
    assert "Digital letters: Q2 progress." not in content
    assert content.count("History of this update") == 1  # the Q1 update only


@pytest.mark.django_db
def test_history_text_is_escaped(client, director, rated):
    update = rated.worse.updates.get(period=rated.q2)
    update.progress = "<img src=x onerror=alert(1)>"
    update.save()
    client.force_login(director)
    content = client.get(rated.worse.get_absolute_url()).content.decode()
    assert "<img src=x onerror=alert(1)>" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content


@pytest.mark.django_db
def test_an_action_of_a_strategy_without_quarters_has_an_empty_timeline(client, director):
    action = factories.ActionFactory()
    assert action_detail(action.pk).timeline == []
    client.force_login(director)
    assert client.get(action.get_absolute_url()).status_code == 200
