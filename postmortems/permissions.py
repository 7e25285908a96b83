"""Who may do what (docs/architecture.md, "Permissions"). Reads stay in selectors.

Every view, API endpoint and task asks these functions; none decides on its own. What a
refusal answers is the views' business (``postmortems.views.access``): 404 when the user
may not see the thing at all, 403 when they see it but may not do this to it.
"""

import functools
from typing import Any

from django.db import connection

from .models import Membership, Postmortem, ReviewComment, Team


@functools.cache
def _memberships_sql() -> str:
    """``Membership.objects.filter(user=%s).order_by("team__name").values_list("team_id",
    "role", "team__name", "team__slug", "team__slack_webhook_disabled_reason")``."""
    quote = connection.ops.quote_name
    return (
        f"SELECT m.{quote('team_id')}, m.{quote('role')}, t.{quote('name')}, "  # noqa: S608 -- names only
        f"t.{quote('slug')}, t.{quote('slack_webhook_disabled_reason')} "
        f"FROM {quote(Membership._meta.db_table)} m "
        f"JOIN {quote(Team._meta.db_table)} t ON t.{quote('id')} = m.{quote('team_id')} "
        f"WHERE m.{quote('user_id')} = %s ORDER BY t.{quote('name')}"
    )


def _memberships(user: Any) -> list[tuple[int, str, str, str, str]]:
    """The user's memberships as (team_id, role, name, slug, Slack disabled reason): one
    query a request, shared by the permission checks, the navigation and the banner."""
    cache = getattr(user, "_hindsight_memberships", None)
    if cache is None:
        # Every page asks (the navigation's team menu): written once as SQL rather than
        # built by the ORM each request (a third of the statement's cost on the client).
        with connection.cursor() as cursor:
            cursor.execute(_memberships_sql(), [user.pk])
            cache = [tuple(row) for row in cursor.fetchall()]
        user._hindsight_memberships = cache
        user._hindsight_roles = {row[0]: row[1] for row in cache}
    return cache


def _team_role(user: Any, team: Any) -> str | None:
    if not user.is_authenticated:
        return None
    _memberships(user)
    return user._hindsight_roles.get(team.pk if hasattr(team, "pk") else team)


def is_team_member(user: Any, team: Any) -> bool:
    return user.is_superuser or _team_role(user, team) is not None


def is_team_manager(user: Any, team: Any) -> bool:
    return user.is_superuser or _team_role(user, team) == Membership.Role.MANAGER


def managed_team_ids(user: Any) -> set[int]:
    if not user.is_authenticated:
        return set()
    _team_role(user, 0)
    return {tid for tid, role in user._hindsight_roles.items() if role == Membership.Role.MANAGER}


def member_team_ids(user: Any) -> set[int]:
    if not user.is_authenticated:
        return set()
    _team_role(user, 0)
    return set(user._hindsight_roles)


def managed_teams(user: Any) -> list[Team]:
    """Teams whose settings ``user`` may change (all for superusers), cached per request."""
    if not user.is_authenticated:
        return []
    cache = getattr(user, "_hindsight_managed_teams", None)
    if cache is None:
        if user.is_superuser:
            cache = list(Team.objects.only("name", "slug", "slack_webhook_disabled_reason"))
        else:
            cache = [
                Team(pk=team_id, name=name, slug=slug, slack_webhook_disabled_reason=reason)
                for team_id, role, name, slug, reason in _memberships(user)
                if role == Membership.Role.MANAGER
            ]
        user._hindsight_managed_teams = cache
    return cache


def _is_listed(user: Any, postmortem: Postmortem, relation: str) -> bool:
    """Whether ``user`` is among the postmortem's authors/reviewers (a prefetch, when the
    page made one, answers without a query)."""
    return any(person.pk == user.pk for person in getattr(postmortem, relation).all())


def can_edit_postmortem(user: Any, postmortem: Postmortem) -> bool:
    """Members of the owning team, authors and reviewers edit; superusers too."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or is_team_member(user, postmortem.team_id):
        return True
    return _is_listed(user, postmortem, "authors") or _is_listed(user, postmortem, "reviewers")


def can_publish_postmortem(user: Any, postmortem: Postmortem) -> bool:
    """Reviewers and managers of the owning team publish or mark not required."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or is_team_manager(user, postmortem.team_id):
        return True
    return _is_listed(user, postmortem, "reviewers")


def can_resolve_comment(user: Any, postmortem: Postmortem, comment: ReviewComment) -> bool:
    """Editors of the postmortem and the thread's author resolve or reopen a thread."""
    root = comment.parent or comment
    return can_edit_postmortem(user, postmortem) or root.author_id == user.pk


# --- Review: somebody other than the authors approves -------------------------------------


def is_author(user: Any, postmortem: Postmortem) -> bool:
    return bool(user.is_authenticated) and _is_listed(user, postmortem, "authors")


def independent_reviewers(postmortem: Postmortem) -> list[Any]:
    """Reviewers who are not authors of ``postmortem``."""
    authors = {person.pk for person in postmortem.authors.all()}
    return [person for person in postmortem.reviewers.all() if person.pk not in authors]


def review_is_self_review(user: Any, postmortem: Postmortem) -> bool:
    """Whether ``user`` approving ``postmortem`` would be an author approving their own
    work. Allowed only where the team allows self-review (each use is recorded)."""
    return is_author(user, postmortem)


def can_approve_postmortem(user: Any, postmortem: Postmortem) -> bool:
    """Publish (approve) the review: a reviewer or team manager who is not an author,
    unless the team allows self-review. The web and the API ask this one function."""
    if not can_publish_postmortem(user, postmortem):
        return False
    return postmortem.team.allow_self_review or not review_is_self_review(user, postmortem)


def can_mark_not_required(user: Any, postmortem: Postmortem) -> bool:
    """Deciding that no write-up is needed closes the review like publishing does, so the
    same rule holds: a reviewer or team manager who is not an author, unless the team
    allows self-review (then the use is recorded in the history)."""
    return can_approve_postmortem(user, postmortem)


def can_send_for_review(postmortem: Postmortem) -> bool:
    """A review needs a reviewer who is not an author (any reviewer where the team allows
    self-review)."""
    if postmortem.team.allow_self_review:
        return bool(postmortem.reviewers.all())
    return bool(independent_reviewers(postmortem))
