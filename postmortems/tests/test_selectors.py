import pytest

from postmortems import selectors, services
from postmortems.models import Postmortem
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_postmortem_for_detail_hides_restricted_ones_from_outsiders(outsider, alice, team):
    pm = PostmortemFactory(team=team, restricted=True)
    assert selectors.postmortem_for_detail(outsider, pm.pk) is None
    assert selectors.postmortem_for_detail(alice, pm.pk) == pm


def test_postmortem_for_detail_shares_action_items_with_factors(
    alice, team, django_assert_num_queries
):
    pm = PostmortemFactory(team=team)
    factor = ContributingFactorFactory(postmortem=pm)
    linked = ActionItemFactory(postmortem=pm, factor=factor)
    ActionItemFactory(postmortem=pm)
    author = UserFactory(username="writer")
    pm.authors.add(author)
    pm.reviewers.add(alice)
    loaded = selectors.postmortem_for_detail(alice, pm.pk)
    with django_assert_num_queries(0):
        factors = list(loaded.factors.all())
        assert factors[0].linked_action_items == [linked]
        assert len(loaded.action_items.all()) == 2
        assert list(loaded.authors.all()) == [author]
        assert list(loaded.reviewers.all()) == [alice]


def test_postmortem_for_edit_needs_edit_rights(outsider, alice, team):
    pm = PostmortemFactory(team=team)
    assert selectors.postmortem_for_edit(outsider, pm.pk) is None
    assert selectors.postmortem_for_edit(alice, pm.pk) == pm
    pm.reviewers.add(outsider)
    assert selectors.postmortem_for_edit(outsider, pm.pk) == pm


def test_postmortem_search_never_returns_restricted_ones_to_outsiders(outsider, team):
    PostmortemFactory(team=team, title="hidden incident", restricted=True)
    assert not selectors.postmortem_search(outsider, q="hidden").exists()


def test_postmortem_search_needs_every_word(alice, team):
    PostmortemFactory(team=team, title="cache failover", summary="checkout")
    PostmortemFactory(team=team, title="cache warmup", summary="slow start")
    found = selectors.postmortem_search(alice, q="cache checkout")
    assert [pm.title for pm in found] == ["cache failover"]


def test_postmortems_awaiting_review_lists_only_mine_in_review(alice, manager, team):
    mine = PostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW)
    mine.reviewers.add(manager)
    draft = PostmortemFactory(team=team)
    draft.reviewers.add(manager)
    PostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW)
    assert list(selectors.postmortems_awaiting_review(manager)) == [mine]
    assert list(selectors.postmortems_awaiting_review(alice)) == []


def test_teams_for_postmortem_form(alice, superuser, team, other_team):
    assert list(selectors.teams_for_postmortem_form(alice)) == [team]
    assert list(selectors.teams_for_postmortem_form(superuser)) == [team, other_team]


def test_comment_threads_group_replies(alice, team):
    pm = PostmortemFactory(team=team)
    root = services.review_comment_create(postmortem=pm, by=alice, body="Q")
    reply = services.review_comment_create(postmortem=pm, by=alice, body="A", parent=root)
    loaded = selectors.postmortem_for_detail(alice, pm.pk)
    threads = selectors.comment_threads(loaded)
    assert threads == [root]
    assert threads[0].thread_replies == [reply]


def test_hint_outcomes_count_each_rules_outcomes_on_what_the_reader_may_see(alice, outsider, team):
    from postmortems.models import BlameHint

    seen, hidden = PostmortemFactory(team=team), PostmortemFactory(team=team, restricted=True)
    for index, (postmortem, rule, outcome) in enumerate(
        [
            (seen, "person-as-cause", "dismissed"),
            (seen, "human-error", "fixed"),
            (seen, "human-error", "dismissed"),
            (seen, "human-error", "open"),
            (seen, "human-error", "fixed"),
            (hidden, "human-error", "dismissed"),
            (hidden, "counterfactual", "open"),
        ]
    ):
        BlameHint.objects.create(
            postmortem=postmortem,
            location="section:summary",
            rule=rule,
            sentence_key=str(index),
            phrase="…",
            outcome=outcome,
        )
    assert selectors.hint_outcomes(outsider) == [
        {"rule": "human-error", "dismissed": 1, "fixed": 2, "open": 1, "dismissed_share": 1 / 3},
        {"rule": "person-as-cause", "dismissed": 1, "fixed": 0, "open": 0, "dismissed_share": 1.0},
    ]
    assert selectors.hint_outcomes(alice) == [
        {"rule": "counterfactual", "dismissed": 0, "fixed": 0, "open": 1, "dismissed_share": None},
        {"rule": "human-error", "dismissed": 2, "fixed": 2, "open": 1, "dismissed_share": 0.5},
        {"rule": "person-as-cause", "dismissed": 1, "fixed": 0, "open": 0, "dismissed_share": 1.0},
    ]
