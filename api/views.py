"""The pages of the read API: a user's own personal access tokens (make, name, see last use,
revoke) and the API's documentation page (local: nothing is loaded from elsewhere)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from api import tokens
from api.docs import documented_operations
from api.forms import TokenForm


def _breadcrumbs(here: str):
    return [("Strategies", reverse("goals:strategy_list")), (here, None)]


@never_cache  # the page that shows a new token's secret must not be kept by any cache
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """GET: the user's tokens. POST: make one, and show its secret this once."""
    form, created = TokenForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        created = tokens.token_create(name=form.cleaned_data["name"], by=request.user)
        form = TokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": tokens.tokens_of(request.user),
        "breadcrumbs": _breadcrumbs("API tokens"),
    }
    return render(request, "api/token_list.html", context, status=201 if created else 200)


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = tokens.token_revoke(token_id=pk, by=request.user)
    messages.success(request, f"“{token.name}” is revoked: it no longer reads anything.")
    return redirect("api:token_list")


@require_safe
def api_docs(request: HttpRequest) -> HttpResponse:
    context = {
        "operations": documented_operations(),
        "schema_url": reverse("api:v1:openapi-json"),
        "breadcrumbs": _breadcrumbs("API documentation"),
    }
    return render(request, "api/docs.html", context)
