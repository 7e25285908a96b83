import zoneinfo

from django.utils import timezone, translation

from .models import Profile


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None  # an unknown zone falls back to TIME_ZONE


class UserPreferencesMiddleware:
    """Show times in the signed-in user's zone and pages in their chosen language.

    Both are activated for the rest of the request rather than overridden around the
    view, because streamed responses (CSV exports) render after the middleware returns.
    Every request sets both again, so nothing carries over from the previous one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        zone = None
        if user.is_authenticated:
            profile, _ = Profile.objects.get_or_create(user=user)
            request.profile = profile
            zone = _zone(profile.time_zone)
            if profile.language:
                translation.activate(profile.language)
                request.LANGUAGE_CODE = profile.language
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        return self.get_response(request)
