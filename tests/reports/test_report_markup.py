"""The pack's repeated markup written in Python (reports/templatetags/report_markup.py): the exact
markup the PDF's tags and stylesheet expect, every user value escaped."""

from goals.core.choices import rag_style
from goals.core.prose import blocks
from goals.models import PersonAsOf
from reports.builder import PackActionRow
from reports.templatetags.report_markup import (
    action_row_html,
    change_row_html,
    labelled_html,
    priority_action_row_html,
    rag_html,
)


def row(**values) -> PackActionRow:
    defaults = {
        "goal_order": 1,
        "goal_title": "Access <all>",
        "objective_title": "Waits",
        "theme": "Access & flow",
        "number": 3,
        "title": 'Cut "waits"',
        "sros": (PersonAsOf("Sam <Sro>", "Director & lead"),),
        "status": "active",
        "rag": "green",
        "previous_rag": "amber",
        "progress": "Waits are down.\nBy a third.\n\n- clinic <one>\n- clinic two",
        "impact": "Fewer complaints.",
        "next_focus": "Weekend lists.",
        "rag_reason": "",
        "state": "approved",
        "objective_order": 2,
    }
    return PackActionRow(**{**defaults, **values})


def test_a_rag_tag_has_its_letter_and_word_or_keeps_the_word_for_screen_readers():
    assert rag_html(rag_style("red")) == '<span class="report-rag report-rag--red">R Red</span>'
    assert rag_html(rag_style(""), word=False) == (
        '<span class="report-rag report-rag--not-rated">–<span class="report-visually-hidden"> Not rated</span></span>'
    )


def test_an_action_row_is_written_compactly_with_every_value_escaped():
    assert action_row_html(row(), "Q3 2024/25") == (
        '<tr><td class="report-col-number">1.2.3</td><td>Access &amp; flow</td>'
        '<td><p class="report-update__action">Cut &quot;waits&quot;</p>'
        '<p>Waits are down.<br>By a third.</p><ul class="report-list"><li>clinic &lt;one&gt;</li><li>clinic two</li></ul>'
        '<div class="report-impact"><p><strong class="report-label">Impact:</strong> Fewer complaints.</p></div>'
        '<p class="report-labelled"><strong class="report-label">Focus next quarter:</strong> Weekend lists.</p></td>'
        '<td class="report-person"><strong>Sam &lt;Sro&gt;</strong>&#10;Director &amp; lead</td>'
        '<td><span class="report-rag report-rag--green">G Green</span>'
        '<p class="report-was">↑ Improved&#10;was A</p></td></tr>'
    )


def test_an_action_without_an_update_or_sro_says_so():
    html = action_row_html(row(state="", sros=(), previous_rag=None, rag=""), "Q3 2024/25")
    assert '<p class="report-muted">No update was reported for Q3 2024/25.</p>' in html
    assert '<td><p class="report-muted">None named</p></td>' in html
    assert "report-was" not in html


def test_two_sros_are_a_paragraph_each():
    html = action_row_html(row(sros=(PersonAsOf("Ann", ""), PersonAsOf("Bob", "CEO"))), "Q3 2024/25")
    assert '<td class="report-person"><p><strong>Ann</strong></p><p><strong>Bob</strong>&#10;CEO</p></td>' in html


def test_a_labelled_text_opening_with_bullets_puts_the_label_above_them():
    assert labelled_html("Reason for rating:", blocks("- one\n- two\n\nAfter.")) == (
        '<div class="report-labelled"><p><strong class="report-label">Reason for rating:</strong></p>'
        '<ul class="report-list"><li>one</li><li>two</li></ul><p>After.</p></div>'
    )


def test_change_and_priority_rows():
    assert change_row_html(row()) == (
        "<tr><td>Access &lt;all&gt;</td><td>Access &amp; flow 1.2.3: Cut &quot;waits&quot;</td>"
        '<td><span class="report-rag report-rag--amber">A Amber</span></td>'
        '<td><span class="report-rag report-rag--green">G Green</span></td><td>↑ Improved</td></tr>'
    )
    assert priority_action_row_html(row()) == (
        '\n    <tr>\n      <td class="report-col-number">1.2.3</td>\n      <td>Cut &quot;waits&quot;</td>'
        '\n      <td class="report-col-sro">Sam &lt;Sro&gt;, Director &amp; lead</td>'
        '\n      <td class="report-col-rag"><span class="report-rag report-rag--green">G Green</span>'
        '<p class="report-was">↑ Improved</p></td>\n    </tr>\n    '
    )
