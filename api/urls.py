"""The read API under /api/v1/ (token-authenticated, so outside the sign-in requirement of the
pages) and its pages: the user's API tokens and the documentation."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from api import views
from api.endpoints import api

app_name = "api"


def _token_authenticated(patterns):
    """The API's own URLs ask for a token, not a session: the global sign-in requirement skips them."""
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns


ninja_patterns, _, namespace = api.urls

urlpatterns = [
    path("account/api-tokens/", views.token_list, name="token_list"),
    path("account/api-tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("api/v1/docs/", views.api_docs, name="docs"),
    path("api/v1/", include((_token_authenticated(ninja_patterns), "ninja"), namespace=namespace)),
]
