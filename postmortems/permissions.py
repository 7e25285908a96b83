"""Who may do what (ARCHITECTURE.md, "Permissions"). Reads stay in selectors."""

from .models import Membership


def _team_role(user, team):
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_hindsight_roles", None)
    if cache is None:
        cache = dict(Membership.objects.filter(user=user).values_list("team_id", "role"))
        user._hindsight_roles = cache
    return cache.get(team.pk if hasattr(team, "pk") else team)


def is_team_member(user, team):
    return user.is_superuser or _team_role(user, team) is not None


def is_team_manager(user, team):
    return user.is_superuser or _team_role(user, team) == Membership.Role.MANAGER


def managed_team_ids(user):
    if not user.is_authenticated:
        return set()
    _team_role(user, 0)
    return {tid for tid, role in user._hindsight_roles.items() if role == Membership.Role.MANAGER}


def member_team_ids(user):
    if not user.is_authenticated:
        return set()
    _team_role(user, 0)
    return set(user._hindsight_roles)


def _in(user, related_manager_ids):
    return user.pk in related_manager_ids


def _is_listed(user, postmortem, relation):
    """Whether ``user`` is among the postmortem's authors/reviewers, reusing a prefetch."""
    cached = getattr(postmortem, "_prefetched_objects_cache", {}).get(relation)
    if cached is not None:
        return any(person.pk == user.pk for person in cached)
    return getattr(postmortem, relation).filter(pk=user.pk).exists()


def can_edit_postmortem(user, postmortem):
    """Members of the owning team, authors and reviewers edit; superusers too."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or is_team_member(user, postmortem.team_id):
        return True
    return _is_listed(user, postmortem, "authors") or _is_listed(user, postmortem, "reviewers")


def can_publish_postmortem(user, postmortem):
    """Reviewers and managers of the owning team publish or mark not required."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or is_team_manager(user, postmortem.team_id):
        return True
    return _is_listed(user, postmortem, "reviewers")
