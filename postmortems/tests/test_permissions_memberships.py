"""A reader's memberships, read by one SQL statement on every page, are the ones the ORM
query they replace gives, in the same order."""

import pytest

from postmortems import permissions
from postmortems.models import Membership
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_memberships_are_the_orm_querys():
    user, other = UserFactory(), UserFactory()
    for name, role, reason in (
        ("Zeta", Membership.Role.MEMBER, ""),
        ("Alpha", Membership.Role.MANAGER, "HTTP 404 from Slack"),
        ("Mid <&>", Membership.Role.MANAGER, ""),
    ):
        team = TeamFactory(name=name, slack_webhook_disabled_reason=reason)
        MembershipFactory(user=user, team=team, role=role)
    MembershipFactory(user=other, team=TeamFactory(name="Beta"))
    expected = list(
        Membership.objects.filter(user=user)
        .order_by("team__name")
        .values_list(
            "team_id", "role", "team__name", "team__slug", "team__slack_webhook_disabled_reason"
        )
    )
    assert [row[2] for row in expected] == ["Alpha", "Mid <&>", "Zeta"]
    assert permissions._memberships(user) == expected
    assert permissions.managed_team_ids(user) == {expected[0][0], expected[1][0]}
    assert [team.name for team in permissions.managed_teams(user)] == ["Alpha", "Mid <&>"]


def test_someone_without_teams_has_no_memberships():
    assert permissions._memberships(UserFactory()) == []
