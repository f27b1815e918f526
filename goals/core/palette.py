"""The colour and width classes every page and pack shares, written from goals.core.choices.RAG_STYLES
and goals.core.movement.RISK_BAND_STYLES (the only places colours are defined).

Served as a stylesheet (`/palette.css`) and inlined in the standalone HTML pack: classes rather
than inline `style=` attributes, so pages keep a strict Content-Security-Policy.
"""

from django.utils.text import slugify

from goals.core.choices import RAG_STYLES
from goals.core.movement import RISK_BAND_STYLES


def rag_class(label: str) -> str:
    return f"report-rag--{slugify(label)}"


def palette_css() -> str:
    """`report-rag--green`, `report-band--high` (colours) and `app-width-0` … `app-width-100`
    (a stacked bar segment's share, in whole per cent)."""
    rules = [
        f".{rag_class(style.label)} {{ background-color: {style.fill}; color: {style.text}; "
        f"border-color: {style.text}; }}"
        for style in RAG_STYLES.values()
    ]
    rules += [
        f".report-band--{band} {{ background-color: {fill}; color: {text}; border-color: {text}; }}"
        for band, (fill, text) in RISK_BAND_STYLES.items()
    ]
    rules += [f".app-width-{n} {{ width: {n}%; }}" for n in range(101)]
    return "\n".join(rules)
