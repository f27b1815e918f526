"""Narrative text as the import format defines it: paragraphs and "- " bullets, never markup."""

from reports.text import plain_text, text_blocks, xml_safe


def test_blank_lines_separate_paragraphs_and_lines_of_a_paragraph_join():
    blocks = text_blocks("First line\nsame paragraph.\n\nSecond paragraph.")
    assert [(b.bullets, b.items) for b in blocks] == [
        (False, ("First line same paragraph.",)),
        (False, ("Second paragraph.",)),
    ]


def test_dash_and_bullet_lines_make_a_list_and_indented_lines_continue_a_bullet():
    blocks = text_blocks("Intro:\n- one\n  continued\n• two\nAfter.")
    assert [(b.bullets, b.items) for b in blocks] == [
        (False, ("Intro:",)),
        (True, ("one continued", "two")),
        (False, ("After.",)),
    ]


def test_empty_text_has_no_blocks_and_markup_is_just_text():
    assert text_blocks("") == text_blocks(None) == ()
    assert text_blocks("<b>bold</b>")[0].text == "<b>bold</b>"


def test_plain_text_for_spreadsheets():
    assert plain_text("Intro\n\n- a\n- b") == "Intro\n\n• a\n• b"


def test_xml_safe_drops_only_what_xml_cannot_hold():
    assert xml_safe("a\x00b\x07c\x0bd\te\nf\ufffe") == "abcd\te\nf"
    assert xml_safe(None) == "" and xml_safe(12) == "12"
