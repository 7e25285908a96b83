"""Who may do what in the actions app (docs/architecture.md, "Permissions").

The rules about postmortems and teams are ``postmortems.permissions``; these add the
Kaizen ones. Views turn a refusal into 404 for pages that exist only for these people.
"""

from postmortems.models import Team
from postmortems.permissions import managed_team_ids, member_team_ids


def can_manage_themes(user):
    """Team managers (of any team) and superusers create, rename and merge themes."""
    return user.is_superuser or bool(managed_team_ids(user))


def can_write_kaizen_review(user):
    """Members of any team record Kaizen reviews (of their own teams)."""
    return user.is_superuser or bool(member_team_ids(user))


def kaizen_review_teams(user):
    """The teams ``user`` may record a Kaizen review for."""
    if user.is_superuser:
        return Team.objects.all()
    return Team.objects.filter(pk__in=member_team_ids(user))
