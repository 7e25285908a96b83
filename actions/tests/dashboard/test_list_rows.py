"""The unfiltered list's statement, compiled once per process, gives every reader exactly
the rows of the ORM's query: in every sort order, on every page, for readers who may read
different restricted postmortems (the same number of them, or none), and for superusers.
PostgreSQL only: elsewhere the list is always the ORM's query."""

import datetime
import random

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from actions import selectors
from actions.dashboard import list_rows
from actions.dashboard.cache import restricted_visible_ids
from actions.dashboard.listing import SORTS
from postmortems.models import Membership
from tests.factories import (
    ActionItemFactory,
    MembershipFactory,
    PostmortemFactory,
    TeamFactory,
    UserFactory,
)

from .support import prepared_plans

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 4)
EVERY_SORT = [*SORTS, *(f"-{sort}" for sort in SORTS)]


@pytest.fixture(autouse=True)
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the compiled list is PostgreSQL's; elsewhere the ORM builds it")


@pytest.fixture
def readers(superuser):
    """Two teams, each with restricted postmortems; readers who may read two different
    ones each (as a member, as a listed viewer), none, or all; items everywhere, with ties
    on every sort key so the order's last key (the id) decides."""
    rng = random.Random(7)
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    postmortems = [
        PostmortemFactory(team=team, restricted=restricted)
        for team in (north, south)
        for restricted in (False, True, True)
    ]
    for postmortem in postmortems:
        for n in range(6):
            ActionItemFactory(
                postmortem=postmortem,
                status=rng.choice(["open", "in_progress", "blocked", "done", "wont_do"]),
                priority=rng.choice(["P1", "P2", "P3"]),
                due_date=TODAY + datetime.timedelta(days=rng.randint(-3, 3)),
                title=f"Item {n % 3}",
            )
    member = UserFactory(username="member")
    MembershipFactory(user=member, team=north, role=Membership.Role.MEMBER)
    viewer = UserFactory(username="viewer")
    for postmortem in (postmortems[4], postmortems[5]):
        postmortem.viewers.add(viewer)
    outsider = UserFactory(username="outsider")
    return {"member": member, "viewer": viewer, "outsider": outsider, "superuser": superuser}


def _orm_rows(user, sort, start, stop):
    items = selectors.listed_items(user, {}, today=TODAY)
    return list(selectors.dashboard_list(items, sort)[start:stop])


@pytest.mark.parametrize("sort", EVERY_SORT)
def test_each_reader_gets_the_orms_rows_in_every_order_and_page(readers, sort):
    for name, user in readers.items():
        restricted_visible_ids(user)  # as the figures read them first
        rows = selectors.dashboard_rows(user, {"sort": sort}, sort, today=TODAY)
        assert isinstance(rows, list_rows.CompiledRows), name
        for start, stop in ((0, 10), (10, 20), (30, 36), (36, 50)):
            assert rows[start:stop] == _orm_rows(user, sort, start, stop), (name, start)


def test_readers_share_a_statement_not_rows(readers):
    member, viewer, outsider = readers["member"], readers["viewer"], readers["outsider"]
    assert len(restricted_visible_ids(member)) == len(restricted_visible_ids(viewer)) == 2
    assert restricted_visible_ids(member) != restricted_visible_ids(viewer)
    assert restricted_visible_ids(outsider) == []
    list_rows._compiled_list.cache_clear()
    seen = {}
    for user in (member, viewer, outsider):
        rows = selectors.dashboard_rows(user, {}, "open_first", today=TODAY)[0:100]
        seen[user.username] = {row[0] for row in rows}
        assert rows == _orm_rows(user, "open_first", 0, 100)
    assert list_rows._compiled_list.cache_info().misses == 1
    assert len({frozenset(rows) for rows in seen.values()}) == 3


def test_the_connection_prepares_the_statement_and_plans_it_once(readers):
    """PostgreSQL plans a prepared statement for its first five runs, then keeps a generic
    plan when it is no worse: the unfiltered list's is (its values are written in)."""
    user = readers["member"]
    restricted_visible_ids(user)
    rows = selectors.dashboard_rows(user, {}, "open_first", today=TODAY)
    for _ in range(8):
        assert rows[0:10] == _orm_rows(user, "open_first", 0, 10)
    [(generic, custom)] = prepared_plans("%= ANY($1)%LIMIT 10 OFFSET 0")
    assert generic >= 3 and custom <= 5


def test_a_page_is_one_query(readers):
    user = readers["member"]
    restricted_visible_ids(user)
    rows = selectors.dashboard_rows(user, {}, "due_date", today=TODAY)
    with CaptureQueriesContext(connection) as queries:
        assert len(rows[0:5]) == 5
    assert len(queries) == 1
    assert "LIMIT 5 OFFSET 0" in queries[0]["sql"]


def test_filters_and_unknown_ids_take_the_orms_query(readers):
    user = readers["member"]
    # The figures came from the cache: the request has not read the readable ids.
    assert isinstance(selectors.dashboard_rows(user, {}, "title", today=TODAY), QuerySet)
    restricted_visible_ids(user)
    filtered = selectors.dashboard_rows(user, {"priority": "P1"}, "title", today=TODAY)
    assert isinstance(filtered, QuerySet)
    assert {row[3] for row in filtered} == {"P1"}


def test_one_teams_list_in_the_default_order_reads_its_own_index(readers):
    """Filtered by a team, the ORM's list in the default order (open first, then by due
    date) walks ``actionitem_team_open_first`` for its page: no sort, and no walk over
    every team's items. The planner is asked not to scan the table nor sort (a test
    database is small enough for a scan or a bitmap and a sort to win), so what is
    checked is that the index's expressions match the query's: with any change to either,
    the plan needs a sort."""
    member = readers["member"]
    team = Membership.objects.filter(user=member).values_list("team", flat=True).get()
    rows = selectors.dashboard_rows(member, {"team": team}, selectors.DEFAULT_SORT, today=TODAY)
    assert isinstance(rows, QuerySet)
    page = list(rows[:50])
    assert page and {row[7] for row in page} == {team}  # LIST_VALUES: team_id
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE actions_actionitem")
        for setting in ("seqscan", "bitmapscan", "sort"):
            cursor.execute(f"SET LOCAL enable_{setting} = off")
        plan = rows[:50].explain()
        assert "Index Scan using actionitem_team_open_first" in plan
        assert "Sort" not in plan
        # The same rows with no index at hand.
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL enable_sort = on")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        assert list(rows[:50]) == page
