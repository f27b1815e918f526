"""The security log: each security event is a named record of the "security" logger, so a trust's
log platform can alert on them — sign-in and sign-out, failed sign-ins, lockouts and unlocks, session
time-outs, refused permissions, single sign-on refusals, user administration, published files that
fail their checksum. Each carries the username and the client's address (and, with a request, the
method, path and user id; with the JSON log format, the request id). Never a password or a token.

    security_event("published_file_altered", request=request, level=logging.WARNING, file=stored.pk)
"""

import logging

logger = logging.getLogger("security")


def client_ip(request) -> str:
    """The client's address as the sign-in lockout sees it (django-axes' resolution, proxy settings included)."""
    if request is None:
        return ""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or ""


def security_event(event: str, *, request=None, username: str = "", level: int = logging.INFO, **fields) -> None:
    """Log `event` (a snake_case name): `event user=<username> ip=<address> key=value…`."""
    user = getattr(request, "user", None) if request is not None else None
    signed_in = getattr(user, "is_authenticated", False)
    if not username and signed_in:
        username = user.get_username()
    ip = client_ip(request)
    extra = {"event": event, "username": username, "ip": ip, **fields}
    if request is not None:
        extra.update(method=request.method, path=request.path, user_id=user.pk if signed_in else None)
    details = " ".join(f"{key}={value}" for key, value in fields.items())
    logger.log(
        level, "%s user=%s ip=%s%s", event, username or "-", ip or "-", f" {details}" if details else "", extra=extra
    )
