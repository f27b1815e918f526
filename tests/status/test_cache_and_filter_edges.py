"""The pages' cache after a save from an older copy of the strategy, and a person's key in the typed
SRO and lead filters."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from goals.core.choices import RAG
from goals.models import ActionUpdate, Strategy
from goals.setup import services as setup_services
from goals.status.action_list import action_list
from tests import factories

pytestmark = pytest.mark.django_db


def dashboard_url(rated):
    return reverse("goals:dashboard", kwargs={"slug": "better-care", "quarter": rated.q2.slug})


def test_saving_a_strategy_read_before_another_write_does_not_bring_back_a_cached_version(
    client, director, admin_user, rated
):
    """Two requests at once: an administrator's edit reads the strategy (data version v); an
    approval elsewhere raises it to v+1 and a director's request caches the dashboard at v+1. The
    edit then saves its copy of the strategy, which writes data_version = v back before the signal
    adds one: v+1 again, the key of the entry cached before the edit."""
    client.force_login(director)
    edit_reads = Strategy.objects.get(pk=rated.strategy.pk)  # the edit request's copy (version v)

    update = ActionUpdate.objects.get(action=rated.complete, period=rated.q2)
    update.rag = RAG.RED
    update.save()  # another request: version v+1
    caption = '<span class="nhsuk-caption-l">{}</span>'  # the strategy's name inside the cached fragment
    assert caption.format("Better Care") in client.get(dashboard_url(rated)).content.decode()  # cached at v+1

    setup_services.strategy_update(strategy=edit_reads, fields={"name": "Better Care Together"}, by=admin_user)

    page = client.get(dashboard_url(rated)).content.decode()
    assert "<title>RAG status Q2 2024/25 – Better Care Together" in page  # outside the fragment: new
    assert caption.format("Better Care Together") in page  # fails: the entry of v+1, drawn before the edit, is served


def titles(query: str) -> list[str]:
    return [a.title for a in action_list(QueryDict(query)).queryset]


def test_a_persons_key_filters_by_that_person_only(client, director, rated):
    """A shared link `lead=lee` (a person's key: the stable value links use) is summarised as
    "Programme lead: Lee Lead…" but also lists the actions of everyone whose name contains "lee"."""
    kathleen = factories.PersonFactory(key="kathleen", name="Kathleen Ash", job_title="Matron")
    factories.ActionFactory(objective=rated.worse.objective, number=9, title="Ward rounds", leads=[kathleen])
    client.force_login(director)
    response = client.get(
        reverse("goals:action_list"), {"strategy": "better-care", "quarter": "2024-Q2", "lead": "lee"}
    )
    summary = dict(response.context["filterset"].summary)
    assert summary["Programme lead"].startswith("Lee Lead")  # the summary names Lee only
    listed = titles("strategy=better-care&quarter=2024-Q2&lead=lee")
    assert "Ward rounds" not in listed  # fails: Kathleen's action is listed under Lee's name
