"""Nobody sees a strategy they have no role on: every page about one strategy (its URL names it by
slug, or names one of its actions or published packs) answers 403 to a signed-in user who may not
read it (goals.core.permissions.may_read_strategy), before its view runs. The update and evidence
pages check their action's strategy themselves (404). Lists filter with
goals.core.permissions.strategy_scope. Superusers and host-wide roles pass without a query.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from goals.core import permissions

# URL name → the lookup from Strategy to the object its `pk` names.
OBJECT_PATHS = {
    "action_detail": "goals__objectives__actions__pk",
    "published_download": "periods__publications__pk",
}
SCOPED_NAMESPACES = {"goals", "reports"}


def strategy_of_request(resolver_match, kwargs):
    """The strategy a URL is about, or None (a list page, or a strategy that does not exist)."""
    from goals.models import Strategy

    if resolver_match is None or resolver_match.namespace not in SCOPED_NAMESPACES:
        return None
    strategies = Strategy.objects.only("pk", "owner_id")
    if "slug" in kwargs:
        return strategies.filter(slug=kwargs["slug"]).first()
    path = OBJECT_PATHS.get(resolver_match.url_name)
    if path and "pk" in kwargs:
        return strategies.filter(**{path: kwargs["pk"]}).first()
    return None


class StrategyScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or permissions.is_host_wide(user):
            return None
        strategy = strategy_of_request(request.resolver_match, view_kwargs)
        if strategy is not None and not permissions.may_read_strategy(user, strategy):
            raise PermissionDenied("No role on this strategy.")
        return None
