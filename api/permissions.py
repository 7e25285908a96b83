"""API permissions on top of the web's (``postmortems.permissions``): token scopes and who
may see or revoke a token."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from postmortems.models import Membership
from postmortems.permissions import managed_team_ids

from .models import ApiToken


class TokenScope(BasePermission):
    """A read-scoped token may only read; views that write nothing though they take a
    POST (the blame check) set ``writes = False``."""

    message = _("This token may only read.")

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken) or token.scope == ApiToken.Scope.WRITE:
            return True
        return request.method in SAFE_METHODS or getattr(view, "writes", True) is False


def can_revoke_token(user, token):
    """The owner, managers of a team the owner belongs to, and superusers."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or token.user_id == user.pk:
        return True
    teams = managed_team_ids(user)
    return (
        bool(teams) and Membership.objects.filter(user_id=token.user_id, team_id__in=teams).exists()
    )
