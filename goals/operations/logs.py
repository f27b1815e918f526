"""A request id on every log line: RequestIdMiddleware takes the proxy's X-Request-ID (or makes
one), keeps it in a context variable for the request and returns it in the response; the
RequestIdFilter (settings.LOGGING) writes it into every record, so the JSON log lines of one request
(Django's, the app's, the security events) can be found together."""

import contextvars
import re
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
HEADER = "X-Request-ID"
ACCEPTED = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")  # what a proxy sends; anything else is replaced


class RequestIdFilter:
    """Adds `request_id` to every record ("-" outside a request)."""

    def filter(self, record) -> bool:
        record.request_id = request_id_var.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = offered if ACCEPTED.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = request_id
        return response
