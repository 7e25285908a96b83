from django.utils import timezone

from . import permissions


def navigation(request):
    """Teams the user manages (for the team-settings menu) and today's date."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_managed_teams": lambda: permissions.managed_teams(user),
        "today": timezone.localdate(),
    }
