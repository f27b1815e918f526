from django.template import Context, Template

from goals.core.prose import Block, blocks, plain_text


def test_blank_lines_separate_paragraphs_and_dashes_make_bullets():
    text = "First line\nsame paragraph\n\n- one\n- two\n  continued\n\nAfter"
    assert blocks(text) == [
        Block("paragraph", ("First line", "same paragraph")),
        Block("bullets", ("one", "two continued")),
        Block("paragraph", ("After",)),
    ]


def test_empty_text_has_no_blocks():
    assert blocks("") == [] and blocks(None) == []


def test_the_prose_filter_escapes_everything_the_user_wrote():
    html = Template("{% load nhsuk %}{{ text|prose }}").render(
        Context({"text": "<script>alert(1)</script>\n\n- <b>bold</b>"})
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<ul class="nhsuk-list nhsuk-list--bullet"><li>&lt;b&gt;bold&lt;/b&gt;</li></ul>' in html


# The board pack's cases, read by the one parser (the pack once had a parser of its own).


def test_a_single_newline_is_a_line_break_and_a_blank_line_a_new_paragraph():
    assert [(b.bullets, b.lines) for b in blocks("First line\nsame paragraph.\n\nSecond paragraph.")] == [
        (False, ("First line", "same paragraph.")),
        (False, ("Second paragraph.",)),
    ]


def test_dash_star_and_bullet_lines_make_a_list_and_indented_lines_continue_a_bullet():
    assert [(b.bullets, b.lines) for b in blocks("Intro:\n- one\n  continued\n• two\n* three\nAfter.")] == [
        (False, ("Intro:",)),
        (True, ("one continued", "two", "three")),
        (False, ("After.",)),
    ]


def test_markup_is_just_text():
    assert blocks("<b>bold</b>")[0].text == "<b>bold</b>"


def test_plain_text_for_spreadsheets():
    assert plain_text("Intro\n\n- a\n- b") == "Intro\n\n• a\n• b"
    assert plain_text("Line one\nline two\n\n* item") == "Line one\nline two\n\n• item"
