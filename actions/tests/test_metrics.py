import datetime
import re
import zoneinfo

import pytest
from django.db import connection
from django.utils import timezone

from actions import charts, metrics
from actions.models import ActionItem
from postmortems.durations import span
from tests.factories import ActionItemFactory, PostmortemFactory, TeamFactory

UTC = datetime.UTC
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def minutes(*values):
    return [None if v is None else datetime.timedelta(minutes=v) for v in values]


def at(y, m, d, h=12, tz=UTC):
    return datetime.datetime(y, m, d, h, tzinfo=tz)


# --- median and p90 -----------------------------------------------------------------------


def test_median_of_an_odd_count_is_the_middle_value():
    assert metrics.median(minutes(30, 10, 20)) == datetime.timedelta(minutes=20)


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_values():
    assert metrics.median(minutes(10, 40, 20, 30)) == datetime.timedelta(minutes=25)


def test_p90_is_the_nearest_rank():
    values = minutes(*range(1, 11))  # 1..10 minutes
    assert metrics.p90(values) == datetime.timedelta(minutes=9)
    assert metrics.p90(minutes(*range(1, 12))) == datetime.timedelta(minutes=10)
    assert metrics.percentile(values, 100) == datetime.timedelta(minutes=10)
    assert metrics.percentile(values, 1) == datetime.timedelta(minutes=1)


def test_a_single_value_is_its_own_median_and_p90():
    assert metrics.median(minutes(7)) == metrics.p90(minutes(7)) == datetime.timedelta(minutes=7)


def test_missing_durations_are_skipped_not_counted_as_zero():
    values = minutes(None, 10, None, 30)
    assert metrics.median(values) == datetime.timedelta(minutes=20)
    assert metrics.p90(values) == datetime.timedelta(minutes=30)


def test_no_known_durations_give_no_figure():
    assert metrics.median([]) is None
    assert metrics.p90([None, None]) is None


def test_a_duration_needs_both_times_in_order():
    start = at(2026, 3, 1)
    assert span(start, None) is None
    assert span(None, start) is None
    assert span(start, start - datetime.timedelta(minutes=1)) is None
    assert span(start, start + datetime.timedelta(hours=2)) == datetime.timedelta(hours=2)


# --- grouping -------------------------------------------------------------------------------


def row(started, *, severity="SEV2", detect=10, resolve=60, publish=None, change=False):
    def plus(base, mins):
        return None if base is None or mins is None else base + datetime.timedelta(minutes=mins)

    resolved = plus(started, resolve)
    return (
        started or at(2026, 3, 15),
        severity,
        started,
        plus(started, detect),
        resolved,
        plus(resolved, publish),
        change,
    )


def test_incidents_are_grouped_by_month_and_severity_with_missing_times_counted():
    incidents = [
        row(at(2026, 3, 2), severity="SEV1", detect=5, resolve=50, publish=600, change=True),
        row(at(2026, 3, 9), severity="SEV2", detect=15, resolve=None),
        row(None, severity="SEV2"),  # no start time at all: counted, no durations
        row(at(2026, 4, 1), severity="SEV1", detect=30, resolve=90),
    ]
    report = metrics.build_report(
        incidents,
        [],
        first=datetime.date(2026, 3, 1),
        last=datetime.date(2026, 4, 30),
        today=datetime.date(2026, 5, 1),
        tz=UTC,
    )

    march = report.bucket(datetime.date(2026, 3, 1))
    assert report.months == [datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)]
    assert march.incidents == 3
    assert march.mttd_median == datetime.timedelta(minutes=10)
    assert march.mttr_median == march.mttr_p90 == datetime.timedelta(minutes=50)
    assert (march.missing_detected, march.missing_resolved, march.missing_published) == (1, 2, 2)
    assert march.change_failure_share == pytest.approx(1 / 3)
    assert report.bucket(datetime.date(2026, 3, 1), "SEV1").publish_median == datetime.timedelta(
        minutes=600
    )
    assert report.bucket(datetime.date(2026, 4, 1), "SEV2").incidents == 0
    assert report.totals["SEV1"].incidents == 2
    assert report.totals[metrics.ALL].mttr_p90 == datetime.timedelta(minutes=90)


def test_months_follow_the_time_zone_given():
    late_march_utc = at(2026, 3, 31, 20)  # already 1 April in Seoul
    report = metrics.build_report(
        [row(late_march_utc)],
        [],
        first=datetime.date(2026, 3, 1),
        last=datetime.date(2026, 4, 30),
        today=datetime.date(2026, 5, 1),
        tz=SEOUL,
    )
    assert report.bucket(datetime.date(2026, 4, 1)).incidents == 1
    assert report.bucket(datetime.date(2026, 3, 1)).incidents == 0


def test_on_time_rate_counts_items_once_they_are_due():
    due = datetime.date(2026, 3, 10)
    actions = [
        (due, ActionItem.Status.DONE, at(2026, 3, 10, 23), "SEV1"),  # on the day: on time
        (due, ActionItem.Status.DONE, at(2026, 3, 11, 1), "SEV1"),  # a day late
        (due, ActionItem.Status.OPEN, None, "SEV2"),  # overdue
        (due, ActionItem.Status.WONT_DO, at(2026, 3, 1), "SEV2"),  # no deadline to meet
        (datetime.date(2026, 3, 30), ActionItem.Status.OPEN, None, "SEV2"),  # not due yet
    ]
    report = metrics.build_report(
        [],
        actions,
        first=datetime.date(2026, 3, 1),
        last=datetime.date(2026, 3, 31),
        today=datetime.date(2026, 3, 20),
        tz=UTC,
    )
    march = report.bucket(datetime.date(2026, 3, 1))
    assert (march.actions_on_time, march.actions_due) == (1, 3)
    assert report.bucket(datetime.date(2026, 3, 1), "SEV1").on_time_rate == 0.5


@pytest.mark.django_db
def test_report_reads_incidents_of_the_range_and_team_in_two_queries(
    django_assert_num_queries, settings
):
    team, other = TeamFactory(), TeamFactory()
    PostmortemFactory(team=team, started_at=at(2026, 3, 3), caused_by_change=True)
    PostmortemFactory(team=team, started_at=at(2026, 3, 4), resolved_at=None)
    PostmortemFactory(team=other, started_at=at(2026, 3, 5))
    PostmortemFactory(team=team, started_at=at(2025, 1, 5))  # outside the range
    ActionItemFactory(
        postmortem=PostmortemFactory(team=team, started_at=at(2024, 1, 1)),
        due_date=datetime.date(2026, 3, 2),
    )

    with django_assert_num_queries(2):
        report = metrics.report(
            first=datetime.date(2026, 3, 1),
            last=datetime.date(2026, 3, 31),
            team=team,
            today=datetime.date(2026, 4, 1),
        )

    total = report.totals[metrics.ALL]
    assert total.incidents == 2
    assert total.missing_resolved == 1
    assert total.change_failure_share == 0.5
    assert total.actions_due == 1


FIGURES = (
    "incidents",
    "caused_by_change",
    "missing_detected",
    "missing_resolved",
    "missing_published",
    "actions_due",
    "actions_on_time",
    "mttd_median",
    "mttd_p90",
    "mttr_median",
    "mttr_p90",
    "publish_median",
    "publish_p90",
)


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["UTC", "Asia/Seoul"])
def test_postgresql_computes_the_same_figures_as_python(settings, zone):
    if connection.vendor != "postgresql":
        pytest.skip("the figures are computed by the database on PostgreSQL only")
    settings.TIME_ZONE = zone
    team, other = TeamFactory(), TeamFactory()
    base = datetime.datetime(2026, 1, 31, 20, 0, 0, 123457, tzinfo=UTC)  # a month edge
    for n in range(23):
        started = base + datetime.timedelta(days=3 * n, minutes=7 * n, microseconds=n)
        pm = PostmortemFactory(
            team=team if n % 3 else other,
            severity=["SEV1", "SEV2", "SEV3"][n % 3],
            started_at=None if n == 5 else started,
            mitigated_at=None,
            detected_at=None if n % 4 == 0 else started + datetime.timedelta(minutes=n * n % 17),
            resolved_at=started - datetime.timedelta(minutes=1)
            if n == 7
            else started + datetime.timedelta(minutes=30 + n * 13 % 50, microseconds=3 * n),
            published_at=None if n % 5 == 0 else started + datetime.timedelta(days=2, hours=n),
            caused_by_change=n % 2 == 0,
        )
        ActionItemFactory(
            postmortem=pm,
            team=pm.team,
            due_date=datetime.date(2026, 2, 1) + datetime.timedelta(days=4 * n),
            status=["open", "done", "wont_do", "done"][n % 4],
            completed_at=base + datetime.timedelta(days=4 * n + n % 3 - 1) if n % 2 else None,
        )
    first, last, today = (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 4, 30),
        datetime.date(2026, 3, 20),
    )
    tz = timezone.get_current_timezone()
    for scope in (None, team):
        expected = metrics.build_report(
            metrics.incident_rows(first=first, last=last, team=scope, tz=tz),
            metrics.action_rows(first=first, last=last, team=scope),
            first=first,
            last=last,
            today=today,
            tz=tz,
        )
        got = metrics.report(first=first, last=last, team=scope, today=today)
        assert got.months == expected.months
        assert got.buckets.keys() == expected.buckets.keys()
        assert got.totals.keys() == expected.totals.keys()
        pairs = [(got.buckets[k], expected.buckets[k]) for k in expected.buckets]
        pairs += [(got.totals[k], expected.totals[k]) for k in expected.totals]
        for mine, theirs in pairs:
            assert {f: getattr(mine, f) for f in FIGURES} == {
                f: getattr(theirs, f) for f in FIGURES
            }


def test_default_range_is_the_last_twelve_months():
    first, last = metrics.default_range(datetime.date(2026, 11, 27))
    assert (first, last) == (datetime.date(2025, 12, 1), datetime.date(2026, 11, 27))


def test_bar_chart_places_bars_and_skips_unknown_values():
    chart = charts.bar_chart([("median", [1, None, 4])], labels=["a", "b", "c"])
    assert [bar["label"] for bar in chart["bars"]] == ["a", "c"]
    small, tall = chart["bars"]
    assert tall["height"] == pytest.approx(4 * small["height"], abs=0.2)
    assert tall["y"] + tall["height"] == pytest.approx(chart["baseline"])
    assert chart["ticks"][-1]["value"] == "5"  # the axis ends at a round number


def test_durations_are_shown_in_a_readable_unit():
    assert metrics.format_duration(None) == "—"
    assert metrics.format_duration(datetime.timedelta(minutes=45)) == "45 min"
    assert metrics.format_duration(datetime.timedelta(hours=5)) == "5.0 h"
    assert metrics.format_duration(datetime.timedelta(days=3)) == "3.0 d"


def test_the_chart_svg_escapes_text_and_draws_one_rect_per_known_value():
    chart = charts.bar_chart(
        [("median <b>", [1.25, None, 4]), ("p90", [2, 3.5, 12.75])],
        labels=["Jan & co", "Feb", "Mar"],
        unit="h",
    )
    svg = str(charts.bar_chart_svg(chart, key="mttd", title="Time <to> detect"))
    assert svg.count("<rect ") == 5
    assert "Time &lt;to&gt; detect" in svg and "<to>" not in svg
    assert "Jan &amp; co · median &lt;b&gt;: 1.25h" in svg
    assert 'aria-labelledby="chart-mttd-title"' in svg
    assert all(
        bar["x"] == float(x)
        for bar, x in zip(chart["bars"], re.findall(r'<rect x="([0-9.]+)"', svg), strict=True)
    )
    assert svg.count("legend-swatch-") == 2  # two series: a legend


def test_a_chart_svg_of_one_series_has_no_legend():
    chart = charts.bar_chart([("Incidents", [0, 3])], labels=["a", "b"])
    assert "legend-swatch" not in str(charts.bar_chart_svg(chart, key="k", title="t"))
