"""The plain-text convention of narrative fields: blank lines separate paragraphs, lines that
start with "- " (or "• ") are bullets. One parser, used by the pages (the `prose` filter) and by
every report renderer, so a narrative looks the same in HTML, PDF and Word."""

import re
from dataclasses import dataclass

_BULLET = re.compile(r"^\s*[-•]\s+")


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph" or "bullets"
    lines: tuple[str, ...]  # a paragraph's lines (joined by line breaks) or the bullet items


def blocks(text: str | None) -> list[Block]:
    result: list[Block] = []
    current_kind, current = None, []

    def flush():
        nonlocal current_kind, current
        if current:
            result.append(Block(current_kind, tuple(current)))
        current_kind, current = None, []

    for raw in (text or "").splitlines():
        line = raw.rstrip()
        if not line.strip():
            flush()
            continue
        if _BULLET.match(line):
            if current_kind != "bullets":
                flush()
                current_kind = "bullets"
            current.append(_BULLET.sub("", line, count=1))
        elif current_kind == "bullets" and raw[:1].isspace():
            current[-1] = f"{current[-1]} {line.strip()}"  # an indented continuation of a bullet
        else:
            if current_kind != "paragraph":
                flush()
                current_kind = "paragraph"
            current.append(line.strip())
    flush()
    return result
