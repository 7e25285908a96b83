import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.functional import Promise

from actions import services
from actions.dashboard.cache import DASHBOARD_VERSION_KEY, dashboard_cache_version
from actions.models import ActionItem
from tests.factories import (
    ActionItemFactory,
    MembershipFactory,
    PostmortemFactory,
    TeamFactory,
    UserFactory,
)

from .support import URL, days, tile, titles

pytestmark = pytest.mark.django_db


# --- Cached figures ------------------------------------------------------------------------------


def test_cached_figures_of_a_member_never_reach_an_outsider(
    client, login, alice, outsider, postmortem, restricted
):
    ActionItemFactory(postmortem=postmortem, title="Public follow-up")
    ActionItemFactory(postmortem=restricted, title="Secret follow-up", due_date=days(-1))
    login(client, alice)
    member = client.get(URL)  # caches the figures and list Alice may see
    assert (tile(member, "open"), tile(member, "overdue")) == ("2", "1")
    client.logout()
    login(client, outsider)
    outsider = client.get(URL)
    assert (tile(outsider, "open"), tile(outsider, "overdue")) == ("1", "0")
    assert titles(outsider) == ["Public follow-up"]
    assert b"Secret follow-up" not in outsider.content
    assert b"2 items" in member.content and b"1 item" in outsider.content


def test_someone_listed_on_a_restricted_postmortem_gets_figures_of_their_own(
    client, login, outsider, restricted, postmortem
):
    ActionItemFactory(postmortem=postmortem)
    ActionItemFactory(postmortem=restricted)
    viewer = UserFactory()
    MembershipFactory(team=outsider.memberships.get().team, user=viewer)
    restricted.viewers.add(viewer)
    login(client, outsider)
    assert tile(client.get(URL), "open") == "1"
    client.logout()
    login(client, viewer)  # same team as the outsider, but may read the restricted one
    assert tile(client.get(URL), "open") == "2"


def test_superuser_figures_are_not_shared_with_members(
    client, login, superuser, alice, postmortem, other_team
):
    hidden = PostmortemFactory(team=other_team, restricted=True)
    ActionItemFactory(postmortem=postmortem)
    ActionItemFactory(postmortem=hidden)
    login(client, superuser)
    assert tile(client.get(URL), "open") == "2"
    client.logout()
    login(client, alice)
    assert tile(client.get(URL), "open") == "1"


def test_a_change_to_an_item_shows_at_once(manager_client, manager, postmortem):
    item = ActionItemFactory(postmortem=postmortem, due_date=days(5))
    assert tile(manager_client.get(URL), "open") == "1"
    services.action_item_complete(item=item, by=manager)
    response = manager_client.get(URL)
    assert tile(response, "open") == "0"
    assert tile(response, "completed_30") == "1"


def test_restricting_a_postmortem_hides_its_counts_at_once(outsider_client, postmortem):
    ActionItemFactory(postmortem=postmortem)
    assert tile(outsider_client.get(URL), "open") == "1"
    postmortem.restricted = True
    postmortem.save()
    assert tile(outsider_client.get(URL), "open") == "0"


def test_figures_are_reused_while_fresh_and_say_when_they_were_taken(
    alice_client, postmortem, django_assert_max_num_queries
):
    ActionItemFactory(postmortem=postmortem)
    first = alice_client.get(URL)
    # Written behind the cache's back (no signal): the cached figures are still shown.
    ActionItem.objects.filter(postmortem=postmortem).update(status="blocked")
    with CaptureQueriesContext(connection) as hit:
        second = alice_client.get(URL)
    assert tile(second, "blocked") == tile(first, "blocked") == "0"
    assert len(hit.captured_queries) < 6
    taken = timezone.localtime(first.context["figures_as_of"]).strftime("%H:%M")
    assert f"Figures as of {taken} UTC" in second.content.decode()


def test_each_filter_has_its_own_cached_figures(alice_client, postmortem):
    ActionItemFactory(postmortem=postmortem, priority="P1")
    ActionItemFactory(postmortem=postmortem, priority="P2")
    assert tile(alice_client.get(URL), "open") == "2"
    assert tile(alice_client.get(f"{URL}?priority=P1"), "open") == "1"
    assert tile(alice_client.get(f"{URL}?priority=P1&page=1"), "open") == "1"


def test_the_chosen_team_and_assignee_stay_selected(manager_client, alice, team, postmortem):
    ActionItemFactory(postmortem=postmortem, assignee=alice)
    manager_client.get(URL)
    content = manager_client.get(f"{URL}?team={team.pk}&assignee={alice.pk}").content.decode()
    assert f'<option value="{team.pk}" selected>Payments</option>' in content
    assert 'name="assignee_username" value="alice"' in content
    # The bulk form's assignee is never filled in from the filter's.
    assert 'id="bulk-assignee" name="assignee_username" maxlength="150"' in content
    assert content.count('value="alice"') == 1


def test_the_list_reads_visibility_from_the_restricted_ids_already_read(
    alice, outsider, superuser, postmortem, restricted, other_team
):
    """``listed_items`` (the list, after the figures read the restricted ids) gives the
    rows ``dashboard_items`` gives, for a member, a listed viewer, an outsider and a
    superuser; before the ids are read it adds no query of its own."""
    from actions import selectors

    hidden = PostmortemFactory(team=other_team, restricted=True)
    viewer = UserFactory()
    MembershipFactory(user=viewer, team=other_team)
    restricted.viewers.add(viewer)
    for parent in (postmortem, restricted, hidden):
        ActionItemFactory(postmortem=parent)
        ActionItemFactory(postmortem=parent, status="done")
    for user in (alice, viewer, outsider, superuser):
        expected = sorted(selectors.dashboard_items(user, {}).values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as before:
            unread = sorted(selectors.listed_items(user, {}).values_list("pk", flat=True))
        assert unread == expected and len(before) == 1
        selectors.restricted_visible_ids(user)
        with CaptureQueriesContext(connection) as after:
            listed = sorted(selectors.listed_items(user, {}).values_list("pk", flat=True))
        assert listed == expected and len(after) == 1
        filtered = selectors.listed_items(user, {"status": ["done"]})
        assert sorted(filtered.values_list("pk", flat=True)) == sorted(
            selectors.dashboard_items(user, {"status": ["done"]}).values_list("pk", flat=True)
        )
    assert len(expected) == 6  # the superuser sees every item


def _page(response):
    """The page without what differs on every response (CSRF token, CSP nonce)."""
    content = response.content.decode()
    content = re.sub(r'"X-CSRFToken": "[^"]*"', "", content)
    content = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content)
    return re.sub(r'nonce="[^"]*"', "", content)


@pytest.mark.parametrize("which", ["plain", "assignee", "other team"])
def test_the_page_from_the_cache_is_the_page_built(
    manager_client, alice, postmortem, restricted, other_team, which
):
    """Cold (summary, filter form and list built) and
    warm (all from the cache) give the same bytes."""
    ActionItemFactory(postmortem=postmortem, assignee=alice, due_date=days(-2))
    ActionItemFactory(postmortem=restricted, title="Secret follow-up")
    query = {
        "plain": "",
        "assignee": "?assignee_username=alice",
        "other team": f"?team={other_team.pk}&sort=-priority",
    }[which]
    from django.core.cache import cache

    cache.clear()
    built = manager_client.get(f"{URL}{query}")
    cached = manager_client.get(f"{URL}{query}")
    assert _page(built) == _page(cached)
    assert ("bulk-form" in _page(built)) is (which != "other team")


def _lazy_strings(value, path=()):
    """Where ``value`` holds a lazily translated string (a ``Promise``), as paths."""
    if isinstance(value, Promise):
        return [path]
    if isinstance(value, dict):
        children = value.items()
    elif isinstance(value, list | tuple | set | frozenset):
        children = enumerate(value)
    elif hasattr(value, "__dict__") and not isinstance(value, type | str):
        children = vars(value).items()
    else:
        return []
    return [found for key, child in children for found in _lazy_strings(child, (*path, key))]


def test_the_cache_keeps_no_lazy_translations(manager_client, alice, postmortem):
    """Unpickling a lazy translation builds a new proxy class: what the dashboard caches
    is plain values, its page included."""
    ActionItemFactory(postmortem=postmortem, assignee=alice, due_date=days(-2))
    cache.clear()
    with mock.patch.object(cache, "set_many", wraps=cache.set_many) as set_many:
        manager_client.get(URL)
    written = set_many.call_args.args[0]
    assert len(written) == 2  # the summary and the list's page
    assert {key: _lazy_strings(value) for key, value in written.items()} == {
        key: [] for key in written
    }
    page = next(value["page"] for key, value in written.items() if key.endswith(":list:1"))
    assert (page.number, page.num_pages, page.count) == (1, 1, 1)


# --- The cache version -----------------------------------------------------------------------


def test_a_lost_version_is_made_once_and_kept():
    cache.delete(DASHBOARD_VERSION_KEY)
    with mock.patch.object(cache, "get", wraps=cache.get) as get:
        version = dashboard_cache_version()
    # The add that made it answers: no second read.
    assert get.call_count == 1
    assert cache.get(DASHBOARD_VERSION_KEY) == version
    assert dashboard_cache_version() == version


def test_a_version_another_process_made_first_is_the_one_used():
    cache.delete(DASHBOARD_VERSION_KEY)
    real_add = cache.add

    def add_after_another(key, value, timeout):
        real_add(key, 12345, timeout)  # the other process wins the race
        return real_add(key, value, timeout)

    with mock.patch.object(cache, "add", side_effect=add_after_another):
        assert dashboard_cache_version() == 12345


def test_restricted_visible_ids_follow_the_visibility_rule_for_every_reader(
    alice, outsider, superuser, restricted
):
    """The statement compiled once per process gives each reader their own answer: the
    restricted postmortems ``visible_to`` lets them read (as a member, author, reviewer or
    listed viewer), in one query, kept for the request."""
    from actions.dashboard.cache import RESTRICTED_VISIBLE_ATTR, restricted_visible_ids
    from postmortems.models import Postmortem

    third = TeamFactory()
    others = [PostmortemFactory(team=third, restricted=True) for _ in range(3)]
    PostmortemFactory(team=third)  # not restricted: never in the list
    author, reviewer, viewer = UserFactory(), UserFactory(), UserFactory()
    others[0].authors.add(author)
    others[1].reviewers.add(reviewer)
    others[2].viewers.add(viewer)
    restricted.viewers.add(viewer)
    member = UserFactory()
    MembershipFactory(user=member, team=third)
    readers = (alice, outsider, author, reviewer, viewer, member)
    for reader in readers:
        expected = sorted(
            Postmortem.objects.filter(restricted=True)
            .visible_to(reader)
            .values_list("pk", flat=True)
        )
        with CaptureQueriesContext(connection) as queries:
            assert restricted_visible_ids(reader) == expected, reader
            assert restricted_visible_ids(reader) == expected  # kept on the user
        assert len(queries) == 1
        assert getattr(reader, RESTRICTED_VISIBLE_ATTR) == expected
    assert restricted_visible_ids(alice) == [restricted.pk]
    assert restricted_visible_ids(outsider) == []
    assert restricted_visible_ids(viewer) == sorted([restricted.pk, others[2].pk])
    assert restricted_visible_ids(member) == sorted(p.pk for p in others)
    assert restricted_visible_ids(superuser) is None
