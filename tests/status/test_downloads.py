"""CSV and Excel downloads of the action list's filtered rows: attachments with sensible names,
and user text that a spreadsheet would run as a formula neutralised."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from goals.core.downloads import safe_cell


@pytest.mark.parametrize(
    "text, expected",
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+44 113 243 3144", "'+44 113 243 3144"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("On track = good", "On track = good"),
        ("", ""),
    ],
)
def test_safe_cell_neutralises_text_that_starts_like_a_formula(text, expected):
    assert safe_cell(text) == expected


def test_safe_cell_leaves_numbers_and_none_alone():
    assert safe_cell(-3) == -3
    assert safe_cell(None) is None


@pytest.fixture
def signed_in(client, director):
    client.force_login(director)
    return client


@pytest.fixture
def formula_action(rated):
    rated.worse.title = '=HYPERLINK("http://evil.example","Click")'
    rated.worse.save()
    update = rated.worse.updates.get(period=rated.q2)
    update.rag_reason = "@SUM(1+1)"
    update.progress = "-1 week behind"
    update.save()
    return rated


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so Excel reads UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.django_db
def test_csv_download_is_an_attachment_named_after_strategy_and_quarter(signed_in, rated):
    response = signed_in.get(reverse("goals:action_list_csv"), {"strategy": "better-care", "quarter": "2024-Q2"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="better-care-actions-2024-Q2.csv"'
    rows = read_csv(response)
    assert rows[0][:4] == ["Goal", "Objective", "Action number", "Action"]
    assert len(rows) == 1 + 8


@pytest.mark.django_db
def test_csv_download_has_only_the_filtered_rows(signed_in, rated):
    response = signed_in.get(
        reverse("goals:action_list_csv"), {"strategy": "better-care", "quarter": "2024-Q2", "rag": "amber", "page": 2}
    )
    rows = read_csv(response)
    heading = rows[0]
    body = [dict(zip(heading, row)) for row in rows[1:]]
    assert [(r["Action"], r["RAG"], r["SRO"], r["Reason for rating"]) for r in body] == [
        ("Recruit more therapists", "Amber", "Sharon Murphy, Director of Finance", "Recruitment is slow"),
        ("Show waiting times online", "Amber", "Paul Sheldon, Medical Director", "Started late"),
    ]
    assert body[1]["Movement"] == "New" and body[1]["Previous quarter RAG"] == "Not rated"


@pytest.mark.django_db
def test_csv_download_neutralises_formulas(signed_in, formula_action):
    rows = read_csv(signed_in.get(reverse("goals:action_list_csv"), {"strategy": "better-care", "quarter": "2024-Q2"}))
    heading = rows[0]
    worse = dict(zip(heading, rows[1]))
    assert worse["Action"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert worse["Reason for rating"] == "'@SUM(1+1)"
    assert worse["Progress this quarter"] == "'-1 week behind"


@pytest.mark.django_db
def test_excel_download_is_an_attachment_with_the_filtered_rows(signed_in, rated):
    response = signed_in.get(
        reverse("goals:action_list_xlsx"), {"strategy": "better-care", "quarter": "2024-Q2", "sro": "paul"}
    )
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="better-care-actions-2024-Q2.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3] == "Action"
    assert [r[3] for r in rows[1:]] == [
        "Cut waiting lists",
        "Show waiting times online",
        "Review referral criteria",
        "Falls collaborative",
    ]
    assert sheet.freeze_panes == "A2"


@pytest.mark.django_db
def test_excel_download_stores_formula_like_text_as_text(signed_in, formula_action):
    response = signed_in.get(reverse("goals:action_list_xlsx"), {"strategy": "better-care", "quarter": "2024-Q2"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {cell.value: cell.data_type for row in sheet.iter_rows(min_row=2, max_row=2) for cell in row}
    assert cells['\'=HYPERLINK("http://evil.example","Click")'] == "s"
    assert cells["'@SUM(1+1)"] == "s"
    assert all(data_type != "f" for row in sheet.iter_rows() for data_type in [c.data_type for c in row])


@pytest.mark.django_db
def test_downloads_print_the_full_action_number_and_the_quarter(signed_in, rated):
    params = {"strategy": "better-care", "quarter": "2024-Q2"}
    rows = read_csv(signed_in.get(reverse("goals:action_list_csv"), params))
    body = [dict(zip(rows[0], row)) for row in rows[1:]]
    numbers = {r["Action"]: r["Action number"] for r in body}
    assert numbers["Open a single point of access"] == "1.1.1"
    assert numbers["Text reminders"] == "1.1.7"
    assert numbers["Falls collaborative"] == "2.1.1"
    assert {r["Quarter"] for r in body} == {"Q2 2024/25"}
    sheet = load_workbook(io.BytesIO(signed_in.get(reverse("goals:action_list_xlsx"), params).content)).active
    heading, first, *_ = list(sheet.iter_rows(values_only=True))
    assert dict(zip(heading, first))["Quarter"] == "Q2 2024/25"
    assert dict(zip(heading, first))["Action number"] == "1.1.1"


@pytest.mark.django_db
def test_the_action_list_prints_the_full_action_number(signed_in, rated):
    content = signed_in.get(reverse("goals:action_list"), {"strategy": "better-care", "quarter": "2024-Q2"})
    text = content.content.decode()
    assert ">1.1.7<" in text and ">2.1.1<" in text
