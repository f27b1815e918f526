"""A locked or published quarter's pack preview is built once and then read from the pages cache
(reports.selectors.pack_preview), until something it prints changes: the strategy's data (its data
version) or the cover sheet."""

import pytest
from django.urls import reverse

from goals.core.choices import UpdateState
from goals.cycle.services import period_lock, period_reopen
from reports import selectors
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """How many times a pack has been built (reports.builder.build_report) since the test began."""
    calls = []
    build_report = selectors.build_report

    def counted(**kwargs):
        calls.append(kwargs)
        return build_report(**kwargs)

    monkeypatch.setattr(selectors, "build_report", counted)
    return calls


@pytest.fixture
def locked_q3(cycle, secretary):
    factories.ActionUpdateFactory(
        action=cycle.action, period=cycle.period, rag="amber", progress="Waits are down.", state=UpdateState.APPROVED
    )
    period_lock(period=cycle.period, by=secretary)
    return cycle.period


def preview_url(period, layout="progress"):
    return reverse("reports:pack_preview", args=[period.strategy.slug, period.slug, layout])


def pack_of(response) -> str:
    """The pack inside the preview page (the page around it names the reader)."""
    content = response.content.decode()
    return content[content.index('<div class="report report--preview') :]


def test_the_second_preview_of_a_locked_quarter_is_not_built_again(client, locked_q3, director, secretary, builds):
    client.force_login(director)
    first = client.get(preview_url(locked_q3))
    client.force_login(secretary)  # the cached pack is the same for every reader
    second = client.get(preview_url(locked_q3))
    assert first.status_code == second.status_code == 200
    assert len(builds) == 1
    assert pack_of(first) == pack_of(second)
    assert "Waits are down." in pack_of(second)


def test_each_layout_is_kept_apart(client, locked_q3, director, builds):
    client.force_login(director)
    progress = client.get(preview_url(locked_q3, "progress")).content.decode()
    highlight = client.get(preview_url(locked_q3, "highlight")).content.decode()
    assert len(builds) == 2
    assert "progress report" in progress and "Highlight Report" in highlight


def test_an_open_quarters_preview_is_built_every_time(client, cycle, director, builds):
    client.force_login(director)
    client.get(preview_url(cycle.period))
    client.get(preview_url(cycle.period))
    assert len(builds) == 2


def test_a_cover_sheet_edit_shows_in_the_next_preview(client, locked_q3, secretary, builds):
    client.force_login(secretary)
    assert "Board paper, third quarter" not in pack_of(client.get(preview_url(locked_q3)))
    edit = reverse("reports:cover_sheet_edit", args=[locked_q3.strategy.slug, locked_q3.slug, "progress"])
    response = client.post(
        edit, {"title": "Board paper, third quarter", "purpose": "assurance", "assurance_level": "none"}
    )
    assert response.status_code == 302
    assert "Board paper, third quarter" in pack_of(client.get(preview_url(locked_q3)))
    assert len(builds) == 2


def test_a_change_made_while_re_opened_shows_once_locked_again(client, cycle, locked_q3, secretary, builds):
    client.force_login(secretary)
    assert "Waits are down." in pack_of(client.get(preview_url(locked_q3)))
    period = period_reopen(period=locked_q3, reason="A late correction", by=secretary)
    update = cycle.action.updates.get(period=period)
    update.progress = "Waits are down by a third."
    update.save()
    period_lock(period=period, by=secretary)
    assert "Waits are down by a third." in pack_of(client.get(preview_url(period)))
    assert len(builds) == 2
