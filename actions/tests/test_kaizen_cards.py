"""The Kaizen page's theme cards written in Python (``actions.kaizen_cards``)."""

import datetime
import zoneinfo
from types import SimpleNamespace

from django.utils import timezone, translation

from actions import kaizen, kaizen_cards


def _trend(**kwargs):
    trend = kaizen.ThemeTrend(
        7, kwargs.pop("name", "Alert fatigue"), kwargs.pop("counts", [2, 0, 1])
    )
    for key, value in kwargs.items():
        setattr(trend, key, value)
    return trend


def _pm(pk, title="Checkout errors"):
    at = datetime.datetime(2026, 3, 4, 5, 6, tzinfo=datetime.UTC)
    return {"pk": pk, "title": title, "severity": "SEV2", "at": at}


def _item(pk, title="Add a canary", kind="prevent"):
    return {"pk": pk, "title": title, "kind": kind, "due_date": datetime.date(2026, 5, 6)}


def _cards(*trends, limit=5):
    with timezone.override(datetime.UTC), translation.override("en"):
        return str(kaizen_cards.theme_cards(trends, drill_limit=limit, recurring_periods=3))


def test_a_card_links_the_postmortems_and_items_with_their_figures():
    html = _cards(
        _trend(postmortems=[_pm(11)], action_items=[_item(21)], factors=4, open_actions=2)
    )

    assert '<li class="card mb-3" id="theme-7" data-theme="Alert fatigue">' in html
    assert '<h3 class="h6 mb-0 me-2">1. Alert fatigue</h3>' in html
    assert '<a href="/postmortems/11/">Checkout errors</a>' in html
    assert "SEV2 · 2026-03-04 05:06 UTC" in html
    assert '<a href="/actions/21/">Add a canary</a>' in html
    assert '<span class="badge text-bg-light border">Prevent</span>' in html
    assert "due 2026-05-06" in html
    assert "3 postmortems in 2 of 3 weeks · 4 factors · 2 open actions (0 overdue)" in html
    assert "None you can open." not in html


def test_names_and_titles_are_escaped():
    html = _cards(
        _trend(
            name="<b>Theme</b>",
            postmortems=[_pm(1, title="<script>x()</script>")],
            action_items=[_item(2, title='"quoted" & <i>')],
        )
    )

    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
    assert 'data-theme="&lt;b&gt;Theme&lt;/b&gt;"' in html
    assert "&quot;quoted&quot; &amp; &lt;i&gt;" in html
    assert 'aria-label="Postmortems per week for &lt;b&gt;Theme&lt;/b&gt;' in html


def test_totals_show_only_beyond_the_listed_few_and_empty_lists_say_so():
    listed = _cards(_trend(postmortems=[_pm(1)], postmortem_count=1), limit=1)
    more = _cards(_trend(postmortems=[_pm(1)], postmortem_count=9, action_item_count=0), limit=1)

    assert "in all" not in listed
    assert "9 in all" in more
    assert more.count("None you can open.") == 1  # no items


def test_badges_follow_new_and_recurring():
    new = _cards(_trend(counts=[0, 0, 1]))
    recurring = _cards(_trend(counts=[1, 1, 1], seen_before=True))

    assert 'data-badge="new"' in new and 'data-badge="recurring"' not in new
    assert 'data-badge="recurring">recurring 3+ periods' in recurring
    assert 'data-badge="new"' not in recurring


def test_the_sparkline_has_a_dot_per_week_grey_when_empty():
    svg = kaizen_cards.sparkline_svg("T", [2, 0], kaizen.sparkline([2, 0]))

    assert svg.count("<circle") == 2
    assert 'r="2.2" fill="#0d6efd"' in svg and 'r="1.2" fill="#adb5bd"' in svg
    assert '<polyline points="3.0,3.0 117.0,25.0"' in svg
    assert kaizen_cards.sparkline_svg("T", [], None) == ""


def test_the_cards_speak_korean():
    with timezone.override(datetime.UTC), translation.override("ko"):
        html = str(kaizen_cards.theme_cards([_trend()], drill_limit=5, recurring_periods=3))

    assert "열람할 수 있는 항목이 없습니다." in html
    assert "3주 중 2주에 포스트모템 3건" in html


def test_team_options_mark_the_chosen_team_and_escape_names():
    teams = [SimpleNamespace(pk=1, name="Payments"), SimpleNamespace(pk=2, name="<Ops>")]

    html = str(kaizen_cards.team_options(teams, teams[1]))

    assert html == (
        '<option value="1">Payments</option><option value="2" selected>&lt;Ops&gt;</option>'
    )
    assert "selected" not in str(kaizen_cards.team_options(teams))


def test_incident_times_read_as_the_zoned_date_filter_writes_them():
    from postmortems.templatetags.zoned_dates import zoned_date

    zones = [datetime.UTC, *(zoneinfo.ZoneInfo(k) for k in ("America/New_York", "Asia/Seoul"))]
    # Around New York's autumn DST change, when 01:30 comes twice (EDT, then EST).
    start = datetime.datetime(2026, 11, 1, 4, 0, tzinfo=datetime.UTC)
    times = [start + datetime.timedelta(minutes=20 * n) for n in range(12)]
    times.append(datetime.datetime(999, 1, 2, 3, 4, tzinfo=datetime.UTC))
    for zone in zones:
        for at in times[:-1] if zone is not datetime.UTC else times:
            expected = zoned_date(timezone.localtime(at, zone), "Y-m-d H:i T")
            assert kaizen_cards.incident_time(at, zone) == expected
