import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import ActionItem
from postmortems.models import Profile
from tests.factories import (
    ActionItemFactory,
    MembershipFactory,
    PostmortemFactory,
    TeamFactory,
    UserFactory,
)

from .support import URL, days, tile, titles, today

pytestmark = pytest.mark.django_db


# --- Tiles and figures ---------------------------------------------------------------------------


def test_tiles_count_open_overdue_due_soon_blocked_and_completed(alice_client, postmortem):
    ActionItemFactory(postmortem=postmortem, due_date=days(-3))  # overdue
    ActionItemFactory(postmortem=postmortem, due_date=days(3))  # due soon
    ActionItemFactory(postmortem=postmortem, due_date=days(30), status="blocked")
    ActionItemFactory(
        postmortem=postmortem, due_date=days(-3), status="done", completed_at=timezone.now()
    )
    response = alice_client.get(URL)
    assert response.status_code == 200
    assert tile(response, "open") == "3"
    assert tile(response, "overdue") == "1"
    assert tile(response, "due_soon") == "1"
    assert tile(response, "blocked") == "1"
    assert tile(response, "completed_30") == "1"


def test_on_time_rate_and_median_days_to_close(alice_client, postmortem):
    now = timezone.now()
    for created_days_ago, closed_days_ago, due in [
        (10, 8, days(-5)),
        (20, 16, days(-20)),
        (30, 20, days(0)),
    ]:
        item = ActionItemFactory(
            postmortem=postmortem,
            due_date=due,
            status="done",
            completed_at=now - datetime.timedelta(days=closed_days_ago),
        )
        ActionItem.objects.filter(pk=item.pk).update(
            created_at=now - datetime.timedelta(days=created_days_ago)
        )
    # Closed after 2, 4 and 10 days: median 4. On time: the first (due 5 days ago, done 8
    # days ago) and the third; the second finished 4 days late.
    response = alice_client.get(URL)
    assert tile(response, "on_time_rate") == "67%"
    assert tile(response, "median_days_to_close") == "4.0"


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(alice_client, postmortem):
    now = timezone.now()
    for took in (1, 2, 4, 9):
        item = ActionItemFactory(postmortem=postmortem, status="done", completed_at=now)
        ActionItem.objects.filter(pk=item.pk).update(created_at=now - datetime.timedelta(days=took))
    assert tile(alice_client.get(URL), "median_days_to_close") == "3.0"


def test_no_closed_items_shows_dashes(alice_client, postmortem):
    ActionItemFactory(postmortem=postmortem)
    response = alice_client.get(URL)
    assert tile(response, "on_time_rate") == "—"
    assert tile(response, "median_days_to_close") == "—"


def test_age_chart_buckets_open_items_by_priority(alice_client, postmortem):
    now = timezone.now()
    for age, priority in [(0, "P1"), (7, "P1"), (8, "P2"), (45, "P3"), (200, "P4")]:
        item = ActionItemFactory(postmortem=postmortem, priority=priority)
        ActionItem.objects.filter(pk=item.pk).update(created_at=now - datetime.timedelta(days=age))
    figures = alice_client.get(URL).context["figures"]
    buckets = {b["label"]: dict(b["by_priority"]) for b in figures["age_chart"]}
    assert buckets["0-7"]["P1"] == 2
    assert buckets["8-30"]["P2"] == 1
    assert buckets["31-90"]["P3"] == 1
    assert buckets[">90"]["P4"] == 1


def test_week_chart_counts_created_and_completed_this_week(alice_client, postmortem):
    ActionItemFactory(postmortem=postmortem, status="done", completed_at=timezone.now())
    ActionItemFactory(postmortem=postmortem)
    response = alice_client.get(URL)
    weeks = response.context["figures"]["week_chart"]
    assert len(weeks) == 12
    assert (weeks[-1]["created"], weeks[-1]["completed"]) == (2, 1)
    content = response.content.decode()
    assert '<title id="week-chart-title">' in content
    assert '<title id="age-chart-title">' in content
    assert "Items created and completed per week" in content  # the text alternative


def test_team_table_has_links_to_the_filtered_list(alice_client, postmortem, team):
    ActionItemFactory(postmortem=postmortem, due_date=days(-1))
    response = alice_client.get(URL)
    row = response.context["team_rows"][0]
    assert (row["team__name"], row["open"], row["overdue"]) == ("Payments", 1, 1)
    content = response.content.decode()
    assert f'href="?team={team.pk}&amp;overdue=1"' in content
    assert f"?team={team.pk}&amp;status=open&amp;status=in_progress&amp;status=blocked" in content


def _items_in_teams(overdue_counts):
    """Teams named T0, T1, … with that many overdue items each (and one item not yet due)."""
    for n, overdue in enumerate(overdue_counts):
        postmortem = PostmortemFactory(team=TeamFactory(name=f"T{n}", slug=f"t{n}"))
        ActionItemFactory(postmortem=postmortem, due_date=days(30))
        for _ in range(overdue):
            ActionItemFactory(postmortem=postmortem, due_date=days(-1))


def _team_names(response):
    """The teams of the per-team table, as the context and the page's table list them."""
    content = response.content.decode()
    table = content[content.index('id="team-table"') :]
    table = table[: table.index("</table>")]
    shown = re.findall(r'<th scope="row"><a href="[^"]*">([^<]*)</a>', table)
    assert shown == [row["team__name"] for row in response.context["team_rows"]]
    return shown


def test_team_table_shows_the_most_urgent_teams_and_links_to_all(alice_client, monkeypatch):
    monkeypatch.setattr("actions.views.dashboard.TEAM_ROWS_SHOWN", 2)
    _items_in_teams([1, 3, 0, 2])
    response = alice_client.get(URL, {"sort": "title"})
    assert _team_names(response) == ["T1", "T3"]
    content = response.content.decode()
    assert "The 2 teams with the most overdue items, of 4." in content
    # The link keeps the page's parameters and leads back to the table.
    assert 'href="?sort=title&amp;teams=all#teams-heading">Show all 4 teams</a>' in content
    # Every team's items are still in the tiles.
    assert tile(response, "open") == "10"
    assert tile(response, "overdue") == "6"

    everything = alice_client.get(URL, {"sort": "title", "teams": "all", "page": "1"})
    assert _team_names(everything) == ["T1", "T3", "T0", "T2"]
    content = everything.content.decode()
    assert "All 4 teams, most overdue first." in content
    assert 'href="?sort=title#teams-heading">Show only the 2 most urgent</a>' in content


def test_team_table_with_few_teams_shows_them_all_without_a_link(alice_client, monkeypatch):
    monkeypatch.setattr("actions.views.dashboard.TEAM_ROWS_SHOWN", 2)
    _items_in_teams([1, 0])
    for query in ({}, {"teams": "all"}, {"teams": "nonsense"}):
        response = alice_client.get(URL, query)
        assert _team_names(response) == ["T0", "T1"]
        assert 'id="teams-shown"' not in response.content.decode()


def test_the_link_back_to_the_most_urgent_teams_without_other_parameters(alice_client, monkeypatch):
    monkeypatch.setattr("actions.views.dashboard.TEAM_ROWS_SHOWN", 1)
    _items_in_teams([0, 1])
    response = alice_client.get(URL, {"teams": "all"})
    assert 'href="/actions/#teams-heading">Show only the 1 most urgent</a>' in (
        response.content.decode()
    )


def test_the_team_table_notes_are_in_korean(alice_client, alice, monkeypatch):
    monkeypatch.setattr("actions.views.dashboard.TEAM_ROWS_SHOWN", 1)
    _items_in_teams([0, 1])
    Profile.objects.update_or_create(user=alice, defaults={"language": "ko"})
    content = alice_client.get(URL).content.decode()
    assert "전체 2개 팀 중 기한 초과 아이템이 가장 많은 1개 팀입니다." in content
    assert "2개 팀 모두 보기" in content


# --- Filters ---------------------------------------------------------------------------------


@pytest.fixture
def spread(postmortem, alice, other_team):
    other_pm = PostmortemFactory(team=other_team, title="Search slow", severity="SEV4")
    return {
        "late": ActionItemFactory(
            postmortem=postmortem,
            title="Late",
            due_date=days(-2),
            assignee=alice,
            priority="P1",
            kind="detect",
        ),
        "soon": ActionItemFactory(postmortem=postmortem, title="Soon", due_date=days(2)),
        "later": ActionItemFactory(postmortem=postmortem, title="Later", due_date=days(40)),
        "done": ActionItemFactory(
            postmortem=postmortem,
            title="Done",
            status="done",
            completed_at=timezone.now() - datetime.timedelta(days=3),
        ),
        "other": ActionItemFactory(postmortem=other_pm, title="Other team"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=lat", {"Late", "Later"}),
        ("q=search+slow", {"Other team"}),
        ("assignee={alice}", {"Late"}),
        ("team={other_team}", {"Other team"}),
        ("status=done", {"Done"}),
        ("status=open&status=done", {"Late", "Soon", "Later", "Done", "Other team"}),
        ("priority=P1", {"Late"}),
        ("kind=detect", {"Late"}),
        ("severity=SEV4", {"Other team"}),
        ("overdue=1", {"Late"}),
        ("due_within=7", {"Soon"}),
        ("closed_from={minus5}&closed_to={today}", {"Done"}),
        ("closed_to={minus5}", set()),
        (
            "created_from={today}&created_to={today}",
            {"Late", "Soon", "Later", "Done", "Other team"},
        ),
        ("created_from={plus1}", set()),
    ],
)
def test_filters_narrow_the_list_and_the_counts(
    alice_client, spread, alice, other_team, query, expected
):
    query = query.format(
        alice=alice.pk,
        other_team=other_team.pk,
        today=today().isoformat(),
        minus5=days(-5).isoformat(),
        plus1=days(1).isoformat(),
    )
    response = alice_client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert set(titles(response)) == expected
    assert response.context["figures"]["total"] == len(expected)


@pytest.mark.parametrize(
    "query",
    [
        "team=abc",
        "status=nonsense",
        "due_within=-4",
        "created_from=2026-13-45",
        "sort=evil",
        "priority=P9",
        "overdue=1&page=zzz",
        "assignee=1e9",
        "page=999",
    ],
)
def test_bad_filter_values_are_ignored_with_a_message(alice_client, spread, query):
    response = alice_client.get(f"{URL}?{query}")
    assert response.status_code == 200
    if "page" not in query:
        assert b"Some filters were ignored" in response.content


def test_sorting_and_filters_stay_in_the_links(alice_client, spread):
    response = alice_client.get(f"{URL}?q=late&sort=-due_date")
    assert titles(response) == ["Later", "Late"]
    content = response.content.decode()
    assert 'href="?q=late&amp;sort=due_date"' in content  # the Due header flips the order
    assert "/actions/export.csv?q=late&amp;sort=-due_date" in content


def test_list_is_paginated_by_50(alice_client, postmortem):
    ActionItem.objects.bulk_create(
        ActionItem(
            postmortem=postmortem, team=postmortem.team, title=f"Item {n:03}", due_date=days(n % 20)
        )
        for n in range(120)
    )
    first = alice_client.get(f"{URL}?sort=title")
    third = alice_client.get(f"{URL}?sort=title&page=3")
    assert len(first.context["rows"]) == 50
    assert titles(third) == [f"Item {n:03}" for n in range(100, 120)]
    assert b"Page 3 of 3" in third.content


def test_overdue_rows_are_highlighted_and_labelled(alice_client, spread):
    content = alice_client.get(f"{URL}?overdue=1").content.decode()
    row = content[content.index('<tr class="overdue-row">') :]
    row = row[: row.index("</tr>")]
    assert "Overdue</span>" in row


# --- Visibility ----------------------------------------------------------------------------------


def test_restricted_items_are_hidden_from_outsiders_in_list_and_counts(
    outsider_client, postmortem, restricted
):
    ActionItemFactory(postmortem=postmortem, title="Public follow-up")
    ActionItemFactory(postmortem=restricted, title="Secret follow-up", due_date=days(-1))
    outsider = outsider_client.get(URL)
    assert titles(outsider) == ["Public follow-up"]
    assert tile(outsider, "open") == "1"
    assert tile(outsider, "overdue") == "0"
    assert b"Secret follow-up" not in outsider.content
    assert sum(r["open"] for r in outsider.context["team_rows"]) == 1


def test_team_members_see_restricted_items(alice_client, postmortem, restricted):
    ActionItemFactory(postmortem=restricted, title="Secret follow-up")
    assert "Secret follow-up" in titles(alice_client.get(URL))


# --- Query count -------------------------------------------------------------------------------


def _make_items(count):
    teams = [TeamFactory() for _ in range(3)]
    people = []
    for team in teams:
        person = UserFactory()
        MembershipFactory(team=team, user=person)
        people.append(person)
    postmortems = [PostmortemFactory(team=teams[n % 3], restricted=n % 2 == 0) for n in range(4)]
    statuses = ["open", "in_progress", "blocked", "done", "wont_do"]
    now = timezone.now()
    ActionItem.objects.bulk_create(
        ActionItem(
            postmortem=postmortems[n % 4],
            team=postmortems[n % 4].team,
            assignee=people[n % 3] if n % 2 else None,
            title=f"Item {n}",
            status=statuses[n % 5],
            priority=f"P{n % 4 + 1}",
            due_date=days(n % 40 - 20),
            completed_at=now if statuses[n % 5] in ("done", "wont_do") else None,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("who", ["manager", "alice", "superuser"])
def test_dashboard_query_count_does_not_grow_with_items(client, login, request, who):
    user = request.getfixturevalue(who)
    login(client, user)
    counts = []
    for size in (5, 60):
        ActionItem.objects.all().delete()
        _make_items(size)
        client.get(URL)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{URL}?sort=-priority")
        assert response.status_code == 200
        assert response.context["figures"]["total"] > 0
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 10, counts


def test_dashboard_with_all_filters_stays_within_ten_queries(
    manager_client, postmortem, django_assert_max_num_queries
):
    ActionItemFactory(postmortem=postmortem)
    query = (
        "q=x&team=1&assignee=1&status=open&priority=P1&kind=detect&severity=SEV1&overdue=1"
        "&due_within=5&created_from=2026-01-01&created_to=2026-12-31&closed_from=2026-01-01"
        "&closed_to=2026-12-31&sort=-team&page=2"
    )
    with django_assert_max_num_queries(10):
        assert manager_client.get(f"{URL}?{query}").status_code == 200
