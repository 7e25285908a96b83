import pytest

from demo import postmortems as demo
from postmortems.models import Postmortem, TimelineEvent
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    teams = {
        slug: TeamFactory(name=slug.title(), slug=slug)
        for slug in ("payments", "platform", "search")
    }
    users = {
        name: UserFactory(username=name) for name in ("alice", "bob", "minsu", "carol", "dave")
    }
    return teams, users


def test_seed_covers_every_state_once_and_is_idempotent(cast):
    teams, users = cast
    first = demo.seed(teams=teams, users=users)
    counts = (Postmortem.objects.count(), TimelineEvent.objects.count())
    again = demo.seed(teams=teams, users=users)
    assert [pm.pk for pm in again] == [pm.pk for pm in first]
    assert (Postmortem.objects.count(), TimelineEvent.objects.count()) == counts
    statuses = {pm.status for pm in first}
    assert statuses == {"published", "in_review", "draft"}
    assert sum(pm.restricted for pm in first) == 1
    assert any(pm.time_to_resolve.days >= 2 for pm in first)
    assert any("캐시" in pm.summary for pm in first)
    assert all(pm.summary_html and pm.factors.exists() for pm in first)
