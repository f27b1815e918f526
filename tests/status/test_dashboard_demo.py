"""With the real demo data, Q2 2024/25 of Step Up To Great shows 17 actions — 13 Green and 4 Amber
with the seeds' SROs — and 9 BAF risks with the seeds' scores, on the pages and in the downloads."""

import csv
import io
from collections import Counter

import pytest
from django.urls import reverse
from openpyxl import load_workbook

Q2 = {"slug": "step-up-to-great", "quarter": "2024-Q2"}
# The seed (shared/seeds/004) names each Amber's SRO with their 2024/25 title.
AMBER_SROS = {
    "Bhanu Chadalavada, Medical Director; James Mullins, Director of Nursing",
    "Paul Sheldon, Group Chief Finance Officer",
    "Sarah Willis, Director of HR",
    "David Williams, Executive Director of Strategy and Partnerships",
}
SEED_SCORES = {"01": 20, "02": 9, "03": 12, "04": 20, "05": 12, "06": 20, "07": 12, "08": 9, "09": 12}


@pytest.fixture
def signed_in(demo_db, db, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="director"))
    return client


@pytest.mark.django_db
def test_the_dashboard_shows_17_actions_13_green_and_4_amber_with_their_sros(signed_in):
    response = signed_in.get(reverse("goals:dashboard", kwargs=Q2))
    data = response.context["dashboard"]
    assert data.total == 17
    assert {c.rag: c.count for c in data.rag_counts if c.count} == {"green": 13, "amber": 4}
    assert {row.sro_names for row in data.red_and_amber.rows} == AMBER_SROS
    content = response.content.decode()
    for names in AMBER_SROS:
        for name in names.split("; "):
            assert name in content
    assert "No action is rated Red" not in content  # there are Ambers to list
    assert [t.count for t in data.headline[:2]] == [0, 4]


@pytest.mark.django_db
def test_the_action_list_and_its_downloads_have_the_same_17_actions(signed_in):
    params = {"strategy": "step-up-to-great", "quarter": "2024-Q2"}
    page = signed_in.get(reverse("goals:action_list"), params)
    assert page.context["table"].paginator.count == 17
    assert "17 actions." in page.content.decode()

    text = signed_in.get(reverse("goals:action_list_csv"), params).content.decode("utf-8").lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 17
    assert Counter(r["RAG"] for r in rows) == {"Green": 13, "Amber": 4}
    assert {r["SRO"] for r in rows if r["RAG"] == "Amber"} == AMBER_SROS
    assert all(r["SRO"] for r in rows)  # every seed row names its SRO

    workbook = load_workbook(io.BytesIO(signed_in.get(reverse("goals:action_list_xlsx"), params).content))
    heading, *body = list(workbook.active.iter_rows(values_only=True))
    rag = heading.index("RAG")
    sro = heading.index("SRO")
    assert len(body) == 17
    assert Counter(r[rag] for r in body) == {"Green": 13, "Amber": 4}
    assert {r[sro] for r in body if r[rag] == "Amber"} == AMBER_SROS


@pytest.mark.django_db
def test_the_risks_page_shows_the_9_baf_risks_with_the_seeds_scores(signed_in):
    response = signed_in.get(reverse("goals:risks", kwargs=Q2))
    register = response.context["register"]
    assert {r.risk.number: r.score for r in register.rows} == SEED_SCORES
    # The seed prints scores only: nothing is placed on the grid, all nine are listed beneath it.
    assert len(register.not_placed) == 9
    assert all(not cell.risks for _, cells in register.grid for cell in cells)
    content = response.content.decode()
    assert "Not placed: score only" in content
    assert content.count("Extreme</strong>") >= 3  # 01, 04, 06 score 20


@pytest.mark.django_db
def test_the_heat_map_shows_every_goal_of_the_demo(signed_in):
    response = signed_in.get(reverse("goals:heat_map", kwargs=Q2))
    goals = [row.title for row in response.context["heat_map"].rows if row.kind == "goal"]
    assert goals == ["Great Outcomes", "Great Care", "Great place to work", "Part of the community"]
