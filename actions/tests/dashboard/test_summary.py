"""The grouped query behind the tiles, charts and per-team table (``dashboard_summary``)
gives what counting each tile on its own gives, for every reader."""

import datetime
import statistics

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from actions import selectors
from actions.dashboard.expressions import is_closed, is_on_time, is_open, is_overdue
from actions.dashboard.figures import AGE_BUCKETS, CHART_WEEKS, _weeks
from actions.dashboard.rows import team_rows_html
from actions.models import ActionItem
from actions.views.dashboard import TEAM_LINKS, _team_links
from postmortems.dates import day_start
from tests.factories import ActionItemFactory, PostmortemFactory, TeamFactory

pytestmark = pytest.mark.django_db

STATUSES = [s for s, _label in ActionItem.Status.choices]


def _spread(teams, postmortems, count):
    """``count`` items over ``teams``, every status and priority, created and closed over
    the last months (some today, some long ago), due before and after today."""
    today = timezone.localdate()
    now = timezone.now()
    for n in range(count):
        status = STATUSES[n % len(STATUSES)]
        created = now - datetime.timedelta(days=(n * 5) % 130, hours=n % 11)
        item = ActionItemFactory(
            postmortem=postmortems[n % len(postmortems)],
            team=teams[n % len(teams)],
            status=status,
            status_reason="why" if status in ("blocked", "wont_do") else "",
            priority=f"P{n % 4 + 1}",
            due_date=today + datetime.timedelta(days=(n * 3) % 40 - 20),
            completed_at=min(now, created + datetime.timedelta(days=n % 17, hours=n % 5))
            if status in ("done", "wont_do")
            else None,
        )
        ActionItem.objects.filter(pk=item.pk).update(created_at=created)


@pytest.fixture
def mixed(team, other_team):
    third = TeamFactory(name="Ads", slug="ads")
    open_pm = PostmortemFactory(team=team)
    other_pm = PostmortemFactory(team=other_team)
    secret = PostmortemFactory(team=team, restricted=True, title="Secret")
    _spread([team, other_team, third], [open_pm, other_pm, secret], 90)
    return secret


def per_tile(items, today, now):
    """Each tile counted on its own, as the dashboard did before its grouped query."""
    done = items.filter(status="done")
    closed = items.filter(is_closed())
    days = sorted((item.completed_at - item.created_at).total_seconds() / 86400 for item in closed)
    figures = {
        "total": items.count(),
        "open": items.filter(is_open()).count(),
        "overdue": items.filter(is_overdue(today)).count(),
        "due_soon": items.filter(
            is_open(), due_date__gte=today, due_date__lte=today + datetime.timedelta(days=7)
        ).count(),
        "completed_30": done.filter(completed_at__gte=now - datetime.timedelta(days=30)).count(),
        "done": done.count(),
        "done_on_time": items.filter(is_on_time()).count(),
        "blocked": items.filter(status="blocked").count(),
        "closed": closed.count(),
        "median_days_to_close": round(statistics.median(days), 1) if days else None,
    }
    ages = []
    for _label, low, high in AGE_BUCKETS:
        age = items.filter(
            is_open(), created_at__lt=day_start(today - datetime.timedelta(days=low - 1))
        )
        if high is not None:
            age = age.filter(created_at__gte=day_start(today - datetime.timedelta(days=high)))
        ages.append([age.filter(priority=p).count() for p in ActionItem.Priority.values])
    weeks = []
    for start in _weeks(today):
        begin, end = day_start(start), day_start(start + datetime.timedelta(weeks=1))
        weeks.append(
            (
                items.filter(created_at__gte=begin, created_at__lt=end).count(),
                done.filter(completed_at__gte=begin, completed_at__lt=end).count(),
            )
        )
    return figures, ages, weeks


def per_team(items, today):
    rows = {}
    for team_id in set(items.values_list("team_id", flat=True)):
        mine = items.filter(team_id=team_id)
        oldest = mine.filter(is_open()).order_by("created_at").first()
        rows[team_id] = {
            "open": mine.filter(is_open()).count(),
            "overdue": mine.filter(is_overdue(today)).count(),
            "done": mine.filter(status="done").count(),
            "done_on_time": mine.filter(is_on_time()).count(),
            "oldest_open_days": (today - timezone.localdate(oldest.created_at)).days
            if oldest
            else None,
        }
    return rows


@pytest.mark.parametrize("who", ["alice", "outsider", "superuser"])
def test_grouped_figures_equal_each_tile_counted_alone(mixed, request, who):
    user = request.getfixturevalue(who)
    today, now = timezone.localdate(), timezone.now()
    items = selectors.visible_action_items(user)
    figures, team_rows = selectors.dashboard_summary(items, today=today, now=now)

    expected, ages, weeks = per_tile(items, today, now)
    assert {key: figures[key] for key in expected} == expected
    assert [[n for _p, n in bucket["by_priority"]] for bucket in figures["age_chart"]] == ages
    assert [(w["created"], w["completed"]) for w in figures["week_chart"]] == weeks
    assert len(weeks) == CHART_WEEKS
    # The dataset reaches every chart bar and tile, so a zero cannot pass by accident.
    assert all(expected[key] for key in ("overdue", "due_soon", "completed_30", "done_on_time"))
    assert sum(map(sum, ages)) and sum(created for created, _c in weeks)

    rows = {
        row["team_id"]: {key: row[key] for key in per_team(items, today)[row["team_id"]]}
        for row in team_rows
    }
    assert rows == per_team(items, today)


def test_restricted_items_count_only_for_those_who_may_read_them(mixed, alice, outsider):
    member, _rows = selectors.dashboard_summary(selectors.visible_action_items(alice))
    other, _rows = selectors.dashboard_summary(selectors.visible_action_items(outsider))
    secret_items = ActionItem.objects.filter(postmortem=mixed).count()
    assert secret_items
    assert member["total"] - other["total"] == secret_items


def test_team_rows_come_most_overdue_first(mixed, alice):
    _figures, rows = selectors.dashboard_summary(selectors.visible_action_items(alice))
    keys = [(-row["overdue"], -row["open"], row["team__name"]) for row in rows]
    assert keys == sorted(keys)
    assert {row["team__name"] for row in rows} == {"Payments", "Search", "Ads"}


def test_no_items_gives_zeros_and_no_team_rows(alice):
    figures, rows = selectors.dashboard_summary(selectors.visible_action_items(alice))
    assert (figures["total"], figures["median_days_to_close"], rows) == (0, None, [])


def test_queries_stay_the_same_for_more_teams_and_items(alice):
    counts = []
    for teams in (2, 20):
        ActionItem.objects.all().delete()
        made = [TeamFactory() for _ in range(teams)]
        _spread(made, [PostmortemFactory(team=made[0])], teams * 3)
        with CaptureQueriesContext(connection) as queries:
            figures, rows = selectors.dashboard_summary(selectors.visible_action_items(alice))
        assert len(rows) == teams and figures["total"] == teams * 3
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3, counts


def _link(links, name, team_id):
    before, after = links[name]
    return f"{before}{team_id}{after}".replace("&amp;", "&")


def test_team_links_keep_the_filters_and_set_the_team():
    links = _team_links(QueryDict("q=db+pool&team=3&page=4&status=done&sort=-due_date"))
    assert {name: _link(links, name, 7) for name in links} == {
        "team": "?q=db+pool&team=7&status=done&sort=-due_date",
        "open": "?q=db+pool&team=7&status=open&status=in_progress&status=blocked&sort=-due_date",
        "overdue": "?q=db+pool&team=7&sort=-due_date&overdue=1",
        "done": "?q=db+pool&team=7&status=done&sort=-due_date",
        "oldest": "?q=db+pool&team=7&status=open&status=in_progress&status=blocked&sort=created_at",
    }
    assert _link(links, "team", 12) == "?q=db+pool&team=12&status=done&sort=-due_date"


def test_team_links_are_escaped_in_the_table_whatever_the_search():
    rows = [
        {
            "team_id": 7,
            "team__name": "<b>Payments</b>",
            "open": 1,
            "overdue": 0,
            "on_time_rate": None,
            "oldest_open_days": 3,
        }
    ]
    html = team_rows_html(rows, _team_links(QueryDict("q=%3Cscript%3E%22%27+%26&sort=title")))
    assert "<script>" not in html and "<b>" not in html
    assert '<a href="?q=%3Cscript%3E%22%27+%26&amp;sort=title&amp;team=7">' in html
    assert "&lt;b&gt;Payments&lt;/b&gt;" in html


def _former_links(rows, query):
    """The links as each row kept them before they were written once per kind."""
    for row in rows:
        links = {}
        for name, changes in TEAM_LINKS.items():
            params = query.copy()
            params["team"] = str(row["team_id"])
            for key, value in {**changes, "page": None}.items():
                if value is None:
                    params.pop(key, None)
                elif isinstance(value, list):
                    params.setlist(key, value)
                else:
                    params[key] = value
            links[name] = "?" + params.urlencode()
        row["links"] = links


def _former_team_rows_html(rows):
    """The table's rows as they were written from each row's links."""
    out = []
    for row in rows:
        links = {name: url.replace("&", "&amp;") for name, url in row["links"].items()}
        days, rate = row["oldest_open_days"], row["on_time_rate"]
        out.append(
            "<tr>\n"
            f'      <th scope="row"><a href="{links["team"]}">{escape(row["team__name"])}</a>'
            "</th>\n"
            f'      <td class="text-end"><a href="{links["open"]}">{row["open"]}</a></td>\n'
            f'      <td class="text-end"><a href="{links["overdue"]}">{row["overdue"]}</a>'
            + (' <span class="visually-hidden">overdue</span>' if row["overdue"] else "")
            + "</td>\n"
            f'      <td class="text-end"><a href="{links["done"]}">'
            f"{'—' if rate is None else f'{round(rate * 100)}%'}</a></td>\n"
            '      <td class="text-end">'
            + ("—" if days is None else f'<a href="{links["oldest"]}">{days}</a>')
            + "</td>\n    </tr>\n"
        )
    return "".join(out)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "team=3&page=2",
        "q=%3Cscript%3E%22%27+%26&sort=title",
        "status=done&status=blocked&overdue=1&priority=high&sort=-due_date&page=9",
        "kind=fix&team=x&created_from=2026-01-01&q=%ED%95%9C%EA%B8%80",
    ],
)
def test_the_team_table_is_the_one_written_from_each_rows_links(query):
    rows = [
        {
            "team_id": team_id,
            "team__name": name,
            "open": team_id * 3,
            "overdue": overdue,
            "on_time_rate": rate,
            "oldest_open_days": days,
        }
        for team_id, name, overdue, rate, days in (
            (7, "Payments & <Ledger>", 0, None, None),
            (12, "결제", 4, 0.8345, 0),
            (250, 'Edge "north"', 1, 1.0, 412),
        )
    ]
    former = [dict(row) for row in rows]
    _former_links(former, QueryDict(query))
    assert team_rows_html(rows, _team_links(QueryDict(query))) == _former_team_rows_html(former)


def test_an_empty_queryset_asks_nothing(mixed):
    with CaptureQueriesContext(connection) as queries:
        figures, rows = selectors.dashboard_summary(ActionItem.objects.none())
    assert (figures["total"], figures["done"], rows, len(queries)) == (0, 0, [], 0)
