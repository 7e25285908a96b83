"""Property: no query string makes a list, filter, report or export answer 5xx (issue 16).

Each endpoint gets generated parameters — extreme and malformed dates, Unicode digits,
30-digit ids, NUL characters, long strings, repeated keys — and must answer below 500."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    ThemeFactory,
)

from .fuzz import KNOWN_BAD, params

ENDPOINTS = {
    "/": ["page"],
    "/postmortems/": [
        "q", "team", "severity", "status", "started_from", "started_to", "sort", "page",
    ],
    "/actions/": [
        "q", "team", "assignee", "status", "priority", "kind", "severity", "overdue",
        "due_within", "created_from", "created_to", "closed_from", "closed_to", "sort", "page",
    ],
    "/actions/export.csv": [
        "q", "team", "assignee", "status", "created_from", "created_to", "closed_from",
        "closed_to", "due_within", "sort",
    ],
    "/kaizen/": ["team", "weeks", "from", "to"],
    "/kaizen/themes/": ["q", "team"],
    "/kaizen/reviews/new/": ["team"],
    "/metrics/": ["team", "from", "to"],
    "/metrics/export.csv": ["team", "from", "to"],
}  # fmt: skip


@pytest.fixture
def world(manager, team):
    postmortem = PostmortemFactory(team=team)
    factor = ContributingFactorFactory(postmortem=postmortem)
    factor.themes.add(ThemeFactory())
    ActionItemFactory(postmortem=postmortem, factor=factor)
    return postmortem


@pytest.mark.parametrize("path", list(ENDPOINTS))
@given(data=st.data())
def test_no_query_string_makes_a_filter_page_fail(manager_client, world, path, data):
    query = data.draw(params(ENDPOINTS[path]), label="query")
    response = manager_client.get(path, query)
    assert response.status_code < 500


@given(data=st.data())
def test_no_query_string_makes_the_new_action_item_page_fail(manager_client, world, data):
    query = data.draw(params(["factor", "priority"]), label="query")
    response = manager_client.get(f"/postmortems/{world.pk}/actions/new/", query)
    assert response.status_code < 500


@pytest.mark.parametrize("path", ["/postmortems/{}/", "/actions/{}/", "/postmortems/{}/edit/"])
@given(ident=st.one_of(st.integers(min_value=0, max_value=10**30).map(str), st.just("²")))
def test_no_id_in_a_path_makes_a_page_fail(manager_client, world, path, ident):
    response = manager_client.get(path.format(ident))
    assert response.status_code < 500


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_the_values_that_once_failed_are_answered_below_500(manager_client, world, path):
    for name in ENDPOINTS[path]:
        for value in KNOWN_BAD:
            response = manager_client.get(path, {name: value})
            assert response.status_code < 500, (name, value)
