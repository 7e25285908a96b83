"""Responses to a signed-in user are never stored by a browser or a proxy."""

from django.conf import settings


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user.

    Pages, fragments and exports (a restricted postmortem's ``export.md`` included) carry
    what only this user may read; a shared proxy must not keep them and the browser must
    not keep them on disk for the next person at the machine (back button, history).
    Static files have no user in them and are served by whitenoise before this runs; the
    prefix check keeps them cacheable when they are served through Django in development.
    The user is read after the view, so the response that signs someone in counts too.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.static_prefix)
        ):
            response["Cache-Control"] = "private, no-store"
        return response
