import datetime

import pytest
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import conditional_escape

from actions import charts


@pytest.mark.parametrize(
    ("value", "top"),
    [(0, 0), (0.4, 0.5), (3, 5), (4, 5), (12, 20), (24, 25), (26, 50), (900, 1000)],
)
def test_nice_ceiling_is_one_two_two_and_a_half_or_five_times_a_power_of_ten(value, top):
    assert charts.nice_ceiling(value) == top


@pytest.mark.parametrize(
    ("maximum", "top"),
    [(0, 4), (1, 4), (4, 4), (5, 8), (9, 20), (40, 40), (90, 100), (950, 1000)],
)
def test_count_axes_end_at_a_round_number_with_four_whole_ticks(maximum, top):
    chart = charts.age_chart([{"label": "0-7", "total": maximum, "by_priority": []}])
    values = [tick["value"] for tick in chart["ticks"]]
    assert values[-1] == top
    assert all(isinstance(value, int) for value in values)


AGE_BUCKETS = [
    {"label": "0-7", "total": 3, "by_priority": [("P1", 1), ("P2", 0), ("P3", 2), ("P4", 0)]},
    {"label": ">90", "total": 0, "by_priority": [("P1", 0), ("P2", 0), ("P3", 0), ("P4", 0)]},
]


def test_age_chart_draws_a_segment_per_priority_with_items_and_tabulates_every_count():
    html = charts.age_chart_html(
        charts.age_chart(AGE_BUCKETS), AGE_BUCKETS, ["P1", "P2", "P3", "P4"]
    )
    assert html.count("<rect x=") == 2 + 4  # two segments, four legend swatches
    assert "<title>0-7 days, P1: 1</title>" in html
    assert "<title>0-7 days, P3: 2</title>" in html
    assert (
        '<tr><th scope="row">0-7</th><td>1</td><td>0</td><td>2</td><td>0</td><td>3</td></tr>'
        in html
    )
    # Labels are escaped in the SVG and in the table.
    assert ">&gt;90</text>" in html
    assert '<th scope="row">&gt;90</th>' in html
    assert ">90<" not in html


def test_week_chart_pairs_bars_per_week_and_labels_every_other_week():
    monday = datetime.date(2026, 1, 5)
    weeks = [
        {"start": monday + datetime.timedelta(weeks=n), "created": n, "completed": 1}
        for n in range(12)
    ]
    html = charts.week_chart_html(charts.week_chart(weeks), weeks)
    assert html.count("<title>2026-01-05 created: 0</title>") == 1
    assert "<title>2026-03-23 completed: 1</title>" in html
    assert html.count('font-size="11">01-12</text>') == 1
    assert 'font-size="11">01-05</text>' not in html
    assert '<tr><th scope="row">2026-03-23</th><td>11</td><td>1</td></tr>' in html


COUNTS = [0, 7, -3, 1234, 98765432, 2.5, 1234.5]


@pytest.mark.parametrize("grouped", [False, True])
@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_count_is_printed_as_localize_prints_it(settings, language, grouped):
    settings.USE_THOUSAND_SEPARATOR = grouped
    with translation.override(language):
        for value in COUNTS:
            assert charts._count(value) == conditional_escape(localize(value))
