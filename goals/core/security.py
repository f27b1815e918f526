"""Security events: each a named event of its own on the "security" logger, so a trust's log
platform can alert on them (refused permissions, published files that fail their checksum,
lockouts). With the JSON log format every line also carries the request id.

    security_event("published_file_altered", request=request, file=stored.pk)
"""

import logging

logger = logging.getLogger("security")


def security_event(event: str, *, request=None, level: int = logging.WARNING, **fields) -> None:
    """Log `event` (a snake_case name) with who, what and where."""
    extra = {"event": event, **fields}
    if request is not None:
        user = getattr(request, "user", None)
        extra.update(
            method=request.method,
            path=request.path,
            user_id=user.pk if getattr(user, "is_authenticated", False) else None,
        )
    logger.log(level, event, extra=extra)
