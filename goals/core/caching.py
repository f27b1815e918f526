"""A cache of what a strategy's pages and packs compute, shared by every process of the
installation (settings.CACHES["pages"]: the database by default, Redis or memcached by setting).

An entry is keyed by the strategy's `data_version` (goals.models.versioning): every write to a row
that a page or pack of the strategy shows raises it in the same transaction, so a write makes every
entry of that strategy stale at once and nothing stale is ever served. A locked or published
quarter's pages therefore compute once and are then read from the cache until something of the
strategy changes (re-opening the quarter included). The key also carries a digest of the code that
computes and presents the entries, so a new release never reads an entry an older one wrote.

Only what is the same for every reader may be cached: anything that depends on who is asking
(drafts they may see, their own rows) is added to the key by the caller or read afresh."""

import hashlib
from collections.abc import Callable
from functools import cache as once
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches

PAGE_CACHE = "pages"
T = TypeVar("T")
_MISSING = object()


@once
def code_digest() -> str:
    """A digest of what draws the entries, read once per process: the application's Python code and
    templates, the versions of the installed packages (Django, its forms and tables…) and the
    settings that change how dates and words are printed."""
    digest = hashlib.sha256()
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()):
        digest.update(dist.encode())
    digest.update(repr((settings.TIME_ZONE, settings.LANGUAGE_CODE, settings.USE_TZ)).encode())
    root = Path(settings.BASE_DIR)
    for folder, pattern in (("goals", "*.py"), ("reports", "*.py"), ("templates", "*.html")):
        for path in sorted((root / folder).rglob(pattern)):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def page_cache_key(strategy, name: str, *parts) -> str:
    """The cache key of `name` (what is computed) for the strategy as it is now, with `parts` (the
    quarter, the filters…) hashed so that any key fits memcached's and the database's limits."""
    detail = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    return f"{name}:{strategy.pk}:{strategy.data_version}:{code_digest()}:{detail}"


def strategy_cached(strategy, name: str, *parts, compute: Callable[[], T]) -> T:
    """What `compute()` returns for the strategy as it is now, computed once per data version.

    `strategy` must have been read in this request (its `data_version` is the key); `parts` is
    whatever else the result depends on, such as the quarter. `compute` must return something that
    pickles and reads nothing that depends on the user."""
    cache = caches[PAGE_CACHE]
    key = page_cache_key(strategy, name, *parts)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value)
    return value
