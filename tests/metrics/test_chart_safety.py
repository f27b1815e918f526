"""Chart text is drawn as typed (no matplotlib mathtext), and a chart that cannot be drawn never
takes the metric page or the board pack (preview, PDF, Word) down: they say so and show the values."""

import datetime
import io
from decimal import Decimal

import matplotlib
import pytest
from django.urls import reverse
from docx import Document

from goals.metrics import charts
from goals.models import MetricValue
from tests import factories
from tests.metrics.test_charts import STABLE, summary_of
from tests.reports.conftest import pdf_text

LITERAL = "Agency spend cut from $5m to $3m"
BROKEN_MATHS = "Rate 5% then $x^$ oops"


def drawn_texts(summary):
    with matplotlib.rc_context(charts._RC):
        figure = charts._draw(summary)
        return [text for text in figure.findobj(matplotlib.text.Text) if text.get_text()]


def test_dollar_signs_are_drawn_as_typed_not_as_maths():
    summary = summary_of(STABLE, annotations={3: LITERAL, 6: BROKEN_MATHS})
    texts = drawn_texts(summary)
    annotations = [text for text in texts if "$" in text.get_text()]
    assert {text.get_text() for text in annotations} >= {LITERAL, BROKEN_MATHS}
    for text in annotations:
        assert text._preprocess_math(text.get_text()) == (text.get_text(), False)


def test_an_annotation_that_is_bad_mathtext_still_draws():
    summary = summary_of(STABLE, annotations={2: BROKEN_MATHS})
    assert charts.spc_chart_svg(summary).startswith("<svg")
    assert charts.spc_chart_png(summary).startswith(b"\x89PNG")


@pytest.fixture
def falls_with_text(cycle):
    metric = factories.MetricFactory(strategy=cycle.strategy, key="falls", name="Falls (illustrative)")
    MetricValue.objects.bulk_create(
        [
            MetricValue(
                metric=metric,
                date=datetime.date(2023 + i // 12, i % 12 + 1, 1),
                value=Decimal(v),
                annotation={2: BROKEN_MATHS, 5: LITERAL}.get(i, ""),
            )
            for i, v in enumerate(STABLE)
        ]
    )
    return metric


@pytest.fixture
def charts_fail(monkeypatch):
    def fail(summary):
        raise RuntimeError("matplotlib fell over")

    monkeypatch.setattr(charts, "_draw", fail)


def metric_page(metric):
    return reverse("goals:metric_detail", args=[metric.strategy.slug, metric.key])


def pack(fmt=None):
    args = ["better-care", "2024-Q3", "progress"]
    if fmt:
        return reverse("reports:pack_download", args=[*args, fmt])
    return reverse("reports:pack_preview", args=args)


@pytest.mark.django_db
def test_the_metric_page_and_packs_answer_with_mathtext_like_annotations(client, director, falls_with_text):
    client.force_login(director)
    assert client.get(metric_page(falls_with_text)).status_code == 200
    for url in (pack(), pack("pdf"), pack("docx"), pack("html")):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_a_metric_page_whose_chart_fails_says_so_and_shows_the_table(client, director, falls_with_text, charts_fail):
    client.force_login(director)
    response = client.get(metric_page(falls_with_text))
    content = response.content.decode()
    assert response.status_code == 200
    assert charts.CHART_NOT_DRAWN in content
    assert "Show the data as a table" in content and "Lower limit" in content


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", [None, "html", "pdf"])
def test_a_pack_whose_chart_fails_says_so(client, director, falls_with_text, charts_fail, fmt):
    client.force_login(director)
    response = client.get(pack(fmt))
    assert response.status_code == 200
    if fmt == "pdf":
        text = " ".join(pdf_text(response.content).split())
    else:
        text = response.content.decode()
    assert charts.CHART_NOT_DRAWN in text
    assert "Falls (illustrative)" in text


@pytest.mark.django_db
def test_a_word_pack_whose_chart_fails_says_so(client, director, falls_with_text, charts_fail):
    client.force_login(director)
    response = client.get(pack("docx"))
    assert response.status_code == 200
    paragraphs = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert charts.CHART_NOT_DRAWN in paragraphs
    assert any(p.startswith("Falls (illustrative)") for p in paragraphs)
