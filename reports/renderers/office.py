"""Text for the Office formats: Word and Excel files are XML, which cannot hold every character a
user may type. Narrative text itself is parsed by goals.core.prose."""

import re

# Characters XML 1.0 cannot hold: C0 controls other than tab and newline, lone surrogates, U+FFFE
# and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text) -> str:
    """The text without the characters an XML file (Word, Excel) cannot hold."""
    return _NOT_XML.sub("", "" if text is None else str(text))
