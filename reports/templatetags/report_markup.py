"""The board pack's repeated markup, written in Python: `{% load report_markup %}`.

A pack repeats a few small pieces (a RAG tag, narrative paragraphs, a labelled paragraph, a person)
in every row of its long tables; a 20,000-action pack has about a million of them. Drawn by
`{% include %}`s they cost a template context and a dozen variable lookups each, most of the
preview's time; here each is a function of plain values (one place for each piece's markup) and the
long tables' rows are written in one call per table body. Every value is escaped as the template
engine escapes it (`escape`, and `linebreaksbr` for a paragraph's line breaks), so no user text
reaches the markup.

Rows are written compactly — no whitespace between the tags of action and change rows — because the
PDF lays out every node: see templates/reports/includes/action_table.html."""

from functools import cache
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from goals.core.movement import MOVEMENT_ARROWS, Movement

register = template.Library()

# `escape` is the standard library's, which Django's escape filter and autoescaping call (same
# entities), without their lazy-text check: it runs a few hundred thousand times in a large pack.


# --- The pieces --------------------------------------------------------------------------------


@cache
def rag_html(style, word: bool = True) -> str:
    """A RAG rating as a coloured tag with its letter and word (colour is never the only signal).
    `word=False` prints the letter only and keeps the word for screen readers. One element with
    plain text: the PDF lays out every node. The colour classes are written from RAG_STYLES
    (renderers.html.palette_css)."""
    css_class, letter, label = (
        f"report-rag report-rag--{slugify(style.label)}",
        escape(style.letter),
        escape(style.label),
    )
    if word:
        return f'<span class="{css_class}">{letter} {label}</span>'
    return f'<span class="{css_class}">{letter}<span class="report-visually-hidden"> {label}</span></span>'


def _lines(block) -> str:
    """A paragraph's text with its line breaks as <br> (as `linebreaksbr`: its lines hold no "\r")."""
    return escape(block.text).replace("\n", "<br>")


def _bullets(block) -> str:
    return '<ul class="report-list">' + "".join([f"<li>{escape(item)}</li>" for item in block.lines]) + "</ul>"


def blocks_html(blocks) -> str:
    """Narrative text (goals.core.prose blocks) as paragraphs and bullet lists."""
    return "".join([_bullets(block) if block.bullets else f"<p>{_lines(block)}</p>" for block in blocks])


def labelled_html(label: str, blocks, impact: bool = False) -> str:
    """Text with a bold label before it ("Impact:", "Focus next quarter:"): the label runs into the
    first paragraph. One paragraph without a box (`impact`) is written as a single <p>."""
    strong = f'<strong class="report-label">{escape(label)}</strong>'
    if not impact and len(blocks) == 1 and not blocks[0].bullets:
        return f'<p class="report-labelled">{strong} {_lines(blocks[0])}</p>'
    parts = []
    for index, block in enumerate(blocks):
        if block.bullets:
            if index == 0:
                parts.append(f"<p>{strong}</p>")
            parts.append(_bullets(block))
        else:
            lead = f"{strong} " if index == 0 else ""
            parts.append(f"<p>{lead}{_lines(block)}</p>")
    return f'<div class="{"report-impact" if impact else "report-labelled"}">{"".join(parts)}</div>'


def person_html(person) -> str:
    """A person as printed that quarter: name, then job title after a newline character (shown by
    the caller's `white-space: pre-line`: cheaper for the PDF than a <br>). Inline content only."""
    name = f"<strong>{escape(person.name)}</strong>"
    return f"{name}&#10;{escape(person.job_title)}" if person.job_title else name


class _Movements(dict):
    """Movement → its arrow and word as a row prints them ("↑ Improved"; "" when there is no
    previous quarter or no rating), translated once per table rather than once per row."""

    def __missing__(self, movement):
        if movement in (None, Movement.NOT_RATED):
            text = ""
        else:
            text = f"{escape(MOVEMENT_ARROWS.get(movement, ''))} {escape(str(movement.label))}"
        self[movement] = text
        return text


def _movements(movements: "_Movements | None") -> "_Movements":
    return _Movements() if movements is None else movements


def _movement_html(row, movements: _Movements, *, previous_letter: bool) -> str:
    """What the RAG was the quarter before, under the RAG tag ("↑ Improved", and "was A")."""
    movement = row.movement
    text = movements[movement]
    if not text:
        return ""
    if previous_letter and movement in (Movement.IMPROVED, Movement.DETERIORATED):
        text += f"&#10;was {escape(row.previous_rag_style.letter)}"
    return f'<p class="report-was">{text}</p>'


# --- The long tables' rows ---------------------------------------------------------------------


def action_row_html(row, quarter_label: str, movements: _Movements | None = None) -> str:
    """One numbered action of the progress report: number, theme, action with its update, SRO as
    they were that quarter, RAG (and what it was the quarter before)."""
    if row.state:
        update = blocks_html(row.progress_blocks)
        reason = row.rag_reason_blocks
        if reason:
            update += labelled_html("Reason for rating:", reason)
        if row.impact:
            update += labelled_html("Impact:", row.impact_blocks, impact=True)
        if row.next_focus:
            update += labelled_html("Focus next quarter:", row.next_focus_blocks)
    else:
        update = f'<p class="report-muted">No update was reported for {escape(quarter_label)}.</p>'
    sros = row.sros
    if not sros:
        people = '<td><p class="report-muted">None named</p></td>'
    elif len(sros) == 1:
        people = f'<td class="report-person">{person_html(sros[0])}</td>'
    else:
        people = '<td class="report-person">' + "".join(f"<p>{person_html(p)}</p>" for p in sros) + "</td>"
    return (
        f'<tr><td class="report-col-number">{escape(row.action_number)}</td><td>{escape(row.theme)}</td>'
        f'<td><p class="report-update__action">{escape(row.title)}</p>{update}</td>{people}'
        f"<td>{rag_html(row.rag_style)}{_movement_html(row, _movements(movements), previous_letter=True)}</td></tr>"
    )


def change_row_html(row, movements: _Movements | None = None) -> str:
    """An action whose RAG moved since the previous quarter."""
    movement = (_movements(movements))[row.movement]
    return (
        f"<tr><td>{escape(row.goal_title)}</td>"
        f"<td>{escape(row.theme)} {escape(row.action_number)}: {escape(row.title)}</td>"
        f"<td>{rag_html(row.previous_rag_style)}</td><td>{rag_html(row.rag_style)}</td>"
        f"<td>{movement}</td></tr>"
    )


def priority_action_row_html(row, movements: _Movements | None = None) -> str:
    """An action in brief for the highlight report: number, title, SRO, RAG. Indented as the
    template around it is."""
    return (
        "\n    <tr>"
        f'\n      <td class="report-col-number">{escape(row.action_number)}</td>'
        f"\n      <td>{escape(row.title)}</td>"
        f'\n      <td class="report-col-sro">{escape(row.sro_text)}</td>'
        f'\n      <td class="report-col-rag">{rag_html(row.rag_style)}{_movement_html(row, _movements(movements), previous_letter=False)}</td>'
        "\n    </tr>\n    "
    )


# --- Template tags -----------------------------------------------------------------------------


@register.simple_tag
def report_rag(style, word: bool = True) -> SafeString:
    """`{% report_rag style %}`, `{% report_rag style word=False %}`: see rag_html."""
    return mark_safe(rag_html(style, word))


@register.simple_tag
def prose_blocks(blocks) -> SafeString:
    """`{% prose_blocks goal.description_blocks %}`: see blocks_html."""
    return mark_safe(blocks_html(blocks))


@register.simple_tag
def labelled(label: str, blocks, impact: bool = False) -> SafeString:
    """`{% labelled "Impact:" measure.impact_blocks impact=True %}`: see labelled_html."""
    return mark_safe(labelled_html(label, blocks, impact))


@register.simple_tag
def action_rows(rows, quarter_label: str) -> SafeString:
    """`{% action_rows objective.actions report.quarter_label %}`: the rows of one objective."""
    movements = _Movements()
    return mark_safe("".join([action_row_html(row, quarter_label, movements) for row in rows]))


@register.simple_tag
def change_rows(rows) -> SafeString:
    """`{% change_rows report.rag_changes %}`: the RAG ratings that moved."""
    movements = _Movements()
    return mark_safe("".join([change_row_html(row, movements) for row in rows]))


@register.simple_tag
def priority_action_rows(rows) -> SafeString:
    """`{% priority_action_rows objective.actions %}`: a priority's actions in brief."""
    movements = _Movements()
    return mark_safe("".join([priority_action_row_html(row, movements) for row in rows]))
