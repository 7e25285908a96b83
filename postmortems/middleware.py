import zoneinfo

from django.utils import timezone, translation

from .models import Profile


class UserPreferencesMiddleware:
    """Show times in the signed-in user's zone and pages in their chosen language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            profile = getattr(user, "_profile_cache", None)
            if profile is None:
                profile, _ = Profile.objects.get_or_create(user=user)
            try:
                timezone.activate(zoneinfo.ZoneInfo(profile.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            if profile.language:
                translation.activate(profile.language)
                request.LANGUAGE_CODE = profile.language
        else:
            timezone.deactivate()
        return self.get_response(request)
