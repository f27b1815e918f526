"""Text for the Office formats: what XML cannot hold is dropped. (Narrative text is parsed by
goals.core.prose: tests/core/test_prose.py.)"""

from reports.renderers.office import xml_safe


def test_xml_safe_drops_only_what_xml_cannot_hold():
    assert xml_safe("a\x00b\x07c\x0bd\te\nf\ufffe") == "abcd\te\nf"
    assert xml_safe(None) == "" and xml_safe(12) == "12"
