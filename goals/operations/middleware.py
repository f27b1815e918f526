"""Response headers every page gets: Permissions-Policy (no camera, microphone, location…) and, for a
signed-in user, `Cache-Control: private, no-store`, so no shared cache or browser history keeps a
page that showed someone's data. (Content-Security-Policy comes from django-csp.)"""

from django.conf import settings
from django.utils.cache import patch_vary_headers


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False):
            # A view that set its own caching (published packs are immutable) keeps it.
            response.setdefault("Cache-Control", "private, no-store")
            patch_vary_headers(response, ("Cookie",))
        return response
