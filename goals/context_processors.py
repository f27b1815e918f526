from django.conf import settings

from goals.core import permissions


def navigation(request):
    """Service name and the role flags the header navigation needs (no queries for anonymous)."""
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "user_is_programme_office": permissions.is_programme_office(user) if user else False,
        "user_is_strategy_admin": permissions.is_strategy_admin(user) if user else False,
    }
