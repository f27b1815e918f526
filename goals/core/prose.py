"""Narrative text: the one parser, used by the pages (the `prose` template filter) and by every
board-pack format (HTML, PDF, Word, Excel), so a narrative reads the same everywhere.

The convention (docs/import-format.md, "Narrative text"):
- a single newline is a line break inside a paragraph;
- a blank line starts a new paragraph;
- a line starting "- ", "* " or "• " is a bullet; an indented line after a bullet continues it.

Plain text in, plain values out: no renderer ever reads user text as markup.
"""

import re
from dataclasses import dataclass

PARAGRAPH = "paragraph"
BULLETS = "bullets"

_BULLET = re.compile(r"^\s*[-*•]\s+")


@dataclass(frozen=True)
class Block:
    """A paragraph (`lines`, a line break between each) or a bullet list (`lines`, one a bullet)."""

    kind: str  # PARAGRAPH or BULLETS
    lines: tuple[str, ...]

    @property
    def bullets(self) -> bool:
        return self.kind == BULLETS

    @property
    def text(self) -> str:
        """A paragraph's lines with a newline at each line break (bullets: one item a line)."""
        return "\n".join(self.lines)


def blocks(text: str | None) -> list[Block]:
    """Split narrative text into paragraphs and bullet lists, as the convention says."""
    result: list[Block] = []
    kind, lines = None, []

    def flush():
        nonlocal kind, lines
        if lines:
            result.append(Block(kind, tuple(lines)))
        kind, lines = None, []

    for raw in (text or "").splitlines():
        line = raw.rstrip()
        if not line.strip():
            flush()
            continue
        if _BULLET.match(line):
            if kind != BULLETS:
                flush()
                kind = BULLETS
            lines.append(_BULLET.sub("", line, count=1))
        elif kind == BULLETS and raw[:1].isspace():
            lines[-1] = f"{lines[-1]} {line.strip()}"  # an indented continuation of a bullet
        else:
            if kind != PARAGRAPH:
                flush()
                kind = PARAGRAPH
            lines.append(line.strip())
    flush()
    return result


def plain_text(text: str | None) -> str:
    """The narrative as one cell of plain text (Excel): paragraphs keep their line breaks, bullets
    are "• " lines, and a blank line separates the blocks."""
    return "\n\n".join(
        "\n".join(f"• {line}" for line in block.lines) if block.bullets else block.text for block in blocks(text)
    )
