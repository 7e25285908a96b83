import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from actions.models import ActionItem
from postmortems import selectors
from postmortems.models import ContributingFactor, Membership, Postmortem, Team, Theme
from tests.factories import ActionItemFactory, PostmortemFactory

pytestmark = pytest.mark.django_db


def seed(*args):
    out = io.StringIO()
    call_command("seed_scale", *args, stdout=out)
    return out.getvalue()


def test_seed_scale_creates_the_requested_amounts_with_a_realistic_spread():
    output = seed("--postmortems", "30", "--actions", "300", "--teams", "6")
    assert Postmortem.objects.count() == 30
    assert ActionItem.objects.count() == 300
    assert Team.objects.filter(slug__startswith="scale-").count() == 6
    assert ContributingFactor.objects.count() == 90
    assert ContributingFactor.themes.through.objects.count() >= 90
    assert Theme.objects.filter(slug__startswith="scale-").count() >= 10
    statuses = set(ActionItem.objects.values_list("status", flat=True))
    assert {"open", "done"} <= statuses
    assert len(set(ActionItem.objects.values_list("priority", flat=True))) == 4
    today = timezone.localdate()
    assert ActionItem.objects.filter(
        status__in=ActionItem.OPEN_STATUSES, due_date__lt=today
    ).exists()
    assert ActionItem.objects.filter(assignee__isnull=False).exists()
    assert ActionItem.objects.filter(factor__isnull=False).exists()
    closed = ActionItem.objects.filter(status__in=ActionItem.CLOSED_STATUSES)
    assert not closed.filter(completed_at__isnull=True).exists()
    assert not ActionItem.objects.filter(
        status__in=ActionItem.OPEN_STATUSES, completed_at__isnull=False
    ).exists()
    # Creation dates are spread out, not all "now".
    assert ActionItem.objects.values("created_at__date").distinct().count() > 5
    assert Membership.objects.filter(role="manager").count() == 6
    assert "[##############################] 100%" in output
    assert "Seeded 30 postmortems and 300 action items" in output


def test_assignees_are_members_of_the_items_team():
    seed("--postmortems", "10", "--actions", "100", "--teams", "4")
    members = set(Membership.objects.values_list("team_id", "user_id"))
    for team_id, user_id in ActionItem.objects.filter(assignee__isnull=False).values_list(
        "team_id", "assignee_id"
    ):
        assert (team_id, user_id) in members


def test_seeded_people_are_people_to_the_blame_check():
    seed("--postmortems", "2", "--actions", "4", "--teams", "2")
    user = get_user_model().objects.filter(username__startswith="scale-").first()
    people = selectors.lint_people()
    assert {user.username, f"{user.first_name} {user.last_name}".lower()} <= people


def test_postmortems_have_authors_of_their_team_reviewers_and_restricted_ones_viewers():
    """Every visibility check reads who wrote, reviews and may read a postmortem: scale
    data holds them as a team's postmortems would."""
    seed("--postmortems", "200", "--actions", "10", "--teams", "5")
    members = set(Membership.objects.values_list("team_id", "user_id"))
    for pm in Postmortem.objects.prefetch_related("authors", "reviewers", "viewers"):
        authors = list(pm.authors.all())
        assert 1 <= len(authors) <= 2
        assert all((pm.team_id, author.pk) in members for author in authors)
        assert len(pm.reviewers.all()) <= 1
        if not pm.restricted:
            assert not pm.viewers.all()
    assert Postmortem.reviewers.through.objects.count() > 100
    restricted = Postmortem.objects.filter(restricted=True)
    assert restricted.exists()
    assert Postmortem.viewers.through.objects.filter(postmortem__in=restricted).exists()


def test_running_again_reuses_teams_and_people_and_adds_content():
    seed("--postmortems", "5", "--actions", "20", "--teams", "3")
    seed("--postmortems", "5", "--actions", "20", "--teams", "3")
    assert Team.objects.count() == 3
    assert get_user_model().objects.filter(username__startswith="scale-").count() == 12
    assert ActionItem.objects.count() == 40


def test_clear_removes_earlier_scale_data_and_keeps_the_rest(team):
    kept = ActionItemFactory(postmortem=PostmortemFactory(team=team))
    seed("--postmortems", "8", "--actions", "40", "--teams", "3")
    output = seed("--clear", "--postmortems", "2", "--actions", "5", "--teams", "2")
    assert "Cleared earlier scale data" in output
    assert ActionItem.objects.count() == 6
    assert ActionItem.objects.filter(pk=kept.pk).exists()
    assert Team.objects.filter(slug__startswith="scale-").count() == 2
    assert Postmortem.objects.count() == 3
    # Who wrote, reviews and may read the cleared postmortems went with them.
    assert set(Postmortem.authors.through.objects.values_list("postmortem_id", flat=True)) <= set(
        Postmortem.objects.values_list("pk", flat=True)
    )


def test_actions_without_postmortems_are_refused():
    with pytest.raises(CommandError):
        seed("--postmortems", "0", "--actions", "10")
