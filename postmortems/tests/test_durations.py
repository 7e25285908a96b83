import datetime

import pytest
from django.utils import translation

from postmortems.durations import format_duration, rounded_formatter, span

T0 = datetime.datetime(2026, 11, 20, 14, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (datetime.timedelta(seconds=42), "42 s"),
        (datetime.timedelta(minutes=7), "7 min"),
        (datetime.timedelta(hours=2, minutes=5), "2 h 5 min"),
        (datetime.timedelta(days=1, minutes=3), "1 d 0 h 3 min"),
    ],
)
def test_durations_read_shortly(delta, text):
    assert format_duration(delta) == text


def test_unknown_or_negative_durations_read_as_a_dash():
    assert format_duration(None) == "—"
    assert format_duration(datetime.timedelta(minutes=-5)) == "—"


def test_a_span_is_unknown_when_a_time_is_missing_or_out_of_order():
    assert span(T0, T0 + datetime.timedelta(hours=1)) == datetime.timedelta(hours=1)
    assert span(None, T0) is None
    assert span(T0 + datetime.timedelta(hours=1), T0) is None


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (datetime.timedelta(minutes=45), "45 min"),
        (datetime.timedelta(hours=5), "5.0 h"),
        (datetime.timedelta(days=3), "3.0 d"),
    ],
)
def test_rounded_durations_use_one_unit_with_a_decimal(delta, text):
    assert format_duration(delta, rounded=True) == text


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_rounded_formatter_writes_what_format_duration_writes(language):
    deltas = [
        None,
        datetime.timedelta(seconds=-30),
        datetime.timedelta(minutes=-5),
        datetime.timedelta(0),
        datetime.timedelta(seconds=59),
        datetime.timedelta(minutes=89, seconds=59),
        datetime.timedelta(minutes=90),
        datetime.timedelta(hours=47, minutes=59),
        datetime.timedelta(hours=48),
        datetime.timedelta(days=400, microseconds=1),
    ]
    with translation.override(language):
        write = rounded_formatter()
        assert [write(d) for d in deltas] == [format_duration(d, rounded=True) for d in deltas]
        if language == "ko":
            assert write(datetime.timedelta(hours=5)) != "5.0 h"
