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


def test_an_author_sees_their_postmortem_in_review_with_its_reviewers(
    client, login, alice, outsider, team
):
    pm = ReadyPostmortemFactory(team=team, title="Ledger drift after replica lag")
    pm.authors.add(alice)
    pm.reviewers.add(outsider)
    services.postmortem_submit_for_review(postmortem=pm, by=alice)
    response = login(client, alice).get("/")
    assert list(response.context["my_in_review"]) == [pm]
    assert f"Waiting for {outsider.username}" in response.content.decode()


def test_a_draft_sent_back_from_review_is_marked_returned(client, login, alice, manager, team):
    pm = ReadyPostmortemFactory(team=team)
    pm.authors.add(alice)
    pm.reviewers.add(manager)
    never_sent = PostmortemFactory(team=team)
    never_sent.authors.add(alice)
    services.postmortem_submit_for_review(postmortem=pm, by=alice)
    services.postmortem_reopen(postmortem=pm, by=manager)
    response = login(client, alice).get("/")
    drafts = {d.pk: d.returned for d in response.context["my_drafts"]}
    assert drafts == {pm.pk: True, never_sent.pk: False}
    assert "Returned from review" in response.content.decode()


def test_a_manager_who_is_a_reviewer_sees_it_waiting(client, login, alice, manager, team):
    pm = ReadyPostmortemFactory(team=team)
    pm.reviewers.add(manager)
    services.postmortem_submit_for_review(postmortem=pm, by=alice)
    response = login(client, manager).get("/")
    assert list(response.context["awaiting_my_review"]) == [pm]
