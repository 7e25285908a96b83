import pytest

from postmortems import services
from tests.factories import PostmortemFactory, ReadyPostmortemFactory

pytestmark = pytest.mark.django_db


def test_reviewer_sees_a_postmortem_sent_for_review(client, login, alice, outsider, team):
    pm = ReadyPostmortemFactory(team=team, title="Ledger drift after replica lag")
    pm.reviewers.add(outsider)
    services.postmortem_submit_for_review(postmortem=pm, by=alice)
    response = login(client, outsider).get("/")
    assert list(response.context["awaiting_my_review"]) == [pm]
    assert "Ledger drift after replica lag" in response.content.decode()


def test_drafts_are_not_waiting_for_review(client, login, outsider, team):
    pm = PostmortemFactory(team=team)
    pm.reviewers.add(outsider)
    response = login(client, outsider).get("/")
    assert list(response.context["awaiting_my_review"]) == []
    assert "Nobody is waiting for your review." in response.content.decode()
