from django.utils import timezone

from . import permissions


def navigation(request):
    """Teams the user manages, for the navigation's team-settings menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def managed_teams():
        from .models import Team

        if user.is_superuser:
            return list(Team.objects.only("name", "slug"))
        managed = permissions.managed_team_ids(user)
        return list(Team.objects.filter(pk__in=managed).only("name", "slug"))

    return {"nav_managed_teams": managed_teams, "today": timezone.localdate()}
