"""The one shape of an administration form page: GET shows the form; a valid POST runs a service
and redirects with a message; the service's ValidationError goes back on the form, next to its
field, with everything typed kept."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from goals.core.forms import apply_errors

REFUSED = "refused"  # ValidationError code: the rules refuse it now (a locked quarter): 409
CONFLICT = 409


def form_page(
    request: HttpRequest,
    *,
    form,
    act: Callable[[dict], tuple[str, str]],
    template: str = "includes/form_page.html",
    **context,
) -> HttpResponse:
    """`act(cleaned_data)` calls one service and returns (URL to go to, success message)."""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            done_url, message = act(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
            if not hasattr(error, "error_dict") and any(e.code == REFUSED for e in error.error_list):
                status = CONFLICT
        else:
            messages.success(request, message)
            return redirect(done_url)
    return render(request, template, {"form": form, **context}, status=status)
