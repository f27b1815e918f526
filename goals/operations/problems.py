"""Pages for requests the service cannot take, each an NHS.UK page with a status code and no stack
trace: bad input (400), too large (413), the database unreachable (503, with Retry-After).
Rendered without the request, so they need no database (no user, no session)."""

from django.http import HttpResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 60

BAD_INPUT = (
    "Sorry, there is a problem with what was sent",
    [
        "The service could not read what your browser sent: it may contain characters that cannot be used "
        "(such as NUL) or be malformed. Nothing was saved."
    ],
)
TOO_LARGE = (
    "What you sent is too large",
    [
        "What you sent is larger than the service accepts, so nothing was saved. Shorten the text or "
        "choose a smaller file and try again."
    ],
)
UNAVAILABLE = (
    "Sorry, the service is unavailable",
    ["The service is not working at the moment. Nothing you saved has been lost.", "Try again in a minute."],
)


def problem_response(problem: tuple[str, list[str]], *, status: int, back: bool = False) -> HttpResponse:
    heading, paragraphs = problem
    html = render_to_string("operations/problem.html", {"heading": heading, "paragraphs": paragraphs, "back": back})
    response = HttpResponse(html, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
