from django.template import Context, Template

from goals.core.prose import Block, blocks


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
