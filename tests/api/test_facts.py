"""The flat fact tables for Power BI: the demo's Step Up To Great in Q2 2024/25, pages that add up
to the whole table in a stable order, and the CSV with the same columns and rows (formulas made
harmless)."""

import csv
import io
from collections import Counter

import pytest

from api import schemas
from goals.models import Action

pytestmark = pytest.mark.django_db
STEP_UP_Q2 = "/api/v1/facts/actions?strategy=step-up-to-great&quarter=2024-Q2"


def _csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _as_text(row: dict) -> dict:
    return {k: "" if v is None else str(v) for k, v in row.items()}


def test_step_up_to_great_q2_has_17_actions_13_green_and_4_amber(client, demo_data, director, bearer):
    headers = bearer(director)
    body = client.get(STEP_UP_Q2, **headers).json()
    assert body["count"] == 17 and len(body["results"]) == 17 and body["next"] is None
    assert Counter(row["rag"] for row in body["results"]) == {"green": 13, "amber": 4}
    assert {row["quarter_label"] for row in body["results"]} == {"Q2 2024/25"}
    assert list(body["results"][0]) == list(schemas.ActionFact.model_fields)
    numbers = [row["action_number"] for row in body["results"]]
    assert numbers == sorted(numbers, key=lambda n: tuple(int(part) for part in n.split(".")))
    # The CSV, read back with the csv module, is the same rows with the same columns.
    response = client.get(STEP_UP_Q2 + "&format=csv", **headers)
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="action-facts-step-up-to-great-2024-q2.csv"' in response["Content-Disposition"]
    assert _csv_rows(response) == [_as_text(row) for row in body["results"]]


def test_the_label_of_a_quarter_is_a_filter_too(client, demo_data, director, bearer):
    body = client.get("/api/v1/facts/actions?strategy=step-up-to-great&quarter=Q2 2024/25", **bearer(director)).json()
    assert body["count"] == 17


@pytest.mark.parametrize("endpoint", ["facts/actions", "facts/risks", "facts/metric-values", "actions", "goals"])
def test_pages_add_up_to_the_whole_table_in_a_stable_order(client, demo_data, director, bearer, endpoint):
    headers = bearer(director)
    whole = client.get(f"/api/v1/{endpoint}?limit=1000", **headers).json()
    assert whole["count"] == len(whole["results"]) > 7
    rows, url = [], f"/api/v1/{endpoint}?limit=7"
    while url:
        page = client.get(url, **headers).json()
        rows += page["results"]
        url = page["next"]
    assert rows == whole["results"]


def test_a_bad_filter_or_page_answers_400(client, demo_data, director, bearer):
    headers = bearer(director)
    for query in ("quarter=Q9 2024", "limit=0", "limit=1001", "page=0"):
        response = client.get(f"/api/v1/facts/actions?{query}", **headers)
        assert response.status_code == 400, query
        assert response.json()["detail"]


def test_csv_cells_never_run_as_formulas(client, demo_data, director, bearer):
    Action.objects.filter(objective__goal__strategy__slug="step-up-to-great", number=1).update(
        title='=HYPERLINK("http://example.com")'
    )
    rows = _csv_rows(client.get(STEP_UP_Q2 + "&format=csv", **bearer(director)))
    titles = [row["action"] for row in rows if row["action"].startswith(("=", "'="))]
    assert titles and all(title.startswith("'=") for title in titles)


def test_a_csv_page_is_that_page_only(client, demo_data, director, bearer):
    rows = _csv_rows(client.get(STEP_UP_Q2 + "&format=csv&page=2&limit=5", **bearer(director)))
    assert [row["action_number"] for row in rows] == [
        r["action_number"] for r in client.get(STEP_UP_Q2 + "&page=2&limit=5", **bearer(director)).json()["results"]
    ]


def test_risk_facts_carry_band_and_direction(client, demo_data, director, bearer):
    body = client.get("/api/v1/facts/risks?strategy=step-up-to-great", **bearer(director)).json()
    assert body["count"] > 0
    for row in body["results"]:
        assert row["band"] in {"low", "moderate", "high", "extreme"}
        assert row["direction"] in {"up", "down", "same", "new"}


def test_metric_value_facts_carry_the_spc_analysis(client, demo_data, director, bearer):
    body = client.get("/api/v1/facts/metric-values?limit=1000", **bearer(director)).json()
    assert body["count"] > 0
    for row in body["results"]:
        assert row["variation"].startswith(("common_cause", "special_cause_"))
        assert row["special_cause"] == (row["variation"] != "common_cause")
