"""Narrative text as the import format defines it: plain text, blank lines separate paragraphs,
lines starting with "- " (or "• ") are bullets. Every renderer draws these blocks its own way
(HTML <p>/<ul>, Word paragraphs and "List Bullet", Excel plain lines), so no renderer ever
interprets user text as markup."""

import re
from dataclasses import dataclass

_BULLET_MARKS = ("- ", "• ", "* ")
# Characters XML 1.0 cannot hold (Word and Excel files are XML): C0 controls other than tab and
# newline, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Block:
    """A paragraph (`items` has one line) or a bullet list (`bullets` true, one item per bullet)."""

    items: tuple[str, ...]
    bullets: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.items)


def text_blocks(text: str | None) -> tuple[Block, ...]:
    """Split plain text into paragraphs and bullet lists."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush_paragraph():
        if paragraph:
            blocks.append(Block((" ".join(paragraph),)))
            paragraph.clear()

    def flush_bullets():
        if bullets:
            blocks.append(Block(tuple(bullets), bullets=True))
            bullets.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush_paragraph()
            flush_bullets()
            continue
        mark = next((m for m in _BULLET_MARKS if line.startswith(m)), None)
        if mark:
            flush_paragraph()
            bullets.append(line[len(mark) :].strip())
        elif bullets and raw[:1].isspace():
            bullets[-1] = f"{bullets[-1]} {line}"  # an indented continuation of the last bullet
        else:
            flush_bullets()
            paragraph.append(line)
    flush_paragraph()
    flush_bullets()
    return tuple(blocks)


def plain_text(text: str | None) -> str:
    """The text with bullets as "• " lines and paragraphs separated by a blank line (Excel)."""
    parts = []
    for block in text_blocks(text):
        parts.append("\n".join(f"• {item}" for item in block.items) if block.bullets else block.items[0])
    return "\n\n".join(parts)


def xml_safe(text) -> str:
    """The text without the characters an XML file (Word, Excel) cannot hold."""
    return _NOT_XML.sub("", "" if text is None else str(text))
