"""Reads for postmortems, always scoped to what the user may see."""

from django.db.models import Exists, OuterRef, Q

from .models import Membership, Postmortem, Team


def visible_postmortems(user):
    """Every postmortem ``user`` may read: the one place restriction is enforced.

    A restricted postmortem is visible to members of its team, its authors, reviewers and
    listed viewers, and superusers; everybody else never sees it (views answer 404).
    """
    qs = Postmortem.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    through = Postmortem.authors.through
    in_people = (
        Exists(through.objects.filter(postmortem_id=OuterRef("pk"), user_id=user.pk))
        | Exists(
            Postmortem.reviewers.through.objects.filter(
                postmortem_id=OuterRef("pk"), user_id=user.pk
            )
        )
        | Exists(
            Postmortem.viewers.through.objects.filter(
                postmortem_id=OuterRef("pk"), user_id=user.pk
            )
        )
    )
    member = Exists(Membership.objects.filter(team_id=OuterRef("team_id"), user_id=user.pk))
    return qs.filter(Q(restricted=False) | member | in_people)


def teams_for_user(user):
    """Teams the user belongs to, with their role annotated as ``my_role``."""
    return (
        Team.objects.filter(memberships__user=user)
        .annotate(my_role=Membership.objects.filter(team=OuterRef("pk"), user=user).values("role")[:1])
        .order_by("name")
    )


def team_for_settings(user, slug):
    """The team whose settings page ``user`` may open (managers and superusers), or None."""
    qs = Team.objects.filter(slug=slug)
    if not user.is_superuser:
        qs = qs.filter(memberships__user=user, memberships__role=Membership.Role.MANAGER)
    return qs.first()


def recent_slack_messages(team, limit=10):
    return team.slack_messages.all()[:limit]
