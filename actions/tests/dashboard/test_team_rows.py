"""The stored counts' per-team rows: most urgent first, each row made only when read."""

import datetime

import pytest

from actions.dashboard import counts
from actions.dashboard.figures import team_row

TODAY = datetime.date(2026, 12, 4)
# 2026-11-24 12:00 UTC, in microseconds since the epoch.
OLDEST = 1795521600 * 1_000_000


def _teams():
    """``_ordered_team_rows``' input, in name order: {id: [counts, oldest open, name]}
    (counts: total, open, overdue, done, done on time)."""
    return {
        1: [(5, 2, 0, 3, 3), None, "Ads"],
        2: [(9, 6, 4, 3, 1), OLDEST, "Billing"],
        3: [(0, 0, 0, 0, 0), None, "Empty"],
        4: [(7, 6, 4, 1, 0), OLDEST, "Growth"],
        5: [(3, 3, 1, 0, 0), OLDEST, "Search"],
    }


@pytest.fixture
def made(monkeypatch):
    """The ids of the teams whose row was made."""
    ids = []

    def counted(team_id, *args, **kwargs):
        ids.append(team_id)
        return team_row(team_id, *args, **kwargs)

    monkeypatch.setattr(counts, "team_row", counted)
    return ids


def test_rows_come_most_overdue_then_most_open_first_in_name_order_without_empty_teams():
    rows = counts._ordered_team_rows(_teams(), TODAY)
    assert len(rows) == 4
    assert [row["team__name"] for row in rows] == ["Billing", "Growth", "Search", "Ads"]


def test_a_row_holds_what_the_live_query_gives():
    rows = counts._ordered_team_rows(_teams(), TODAY)
    assert rows[0] == {
        "team_id": 2,
        "team__name": "Billing",
        "open": 6,
        "overdue": 4,
        "done": 3,
        "done_on_time": 1,
        "on_time_rate": 1 / 3,
        "oldest_open": datetime.datetime(2026, 11, 24, 12, tzinfo=datetime.UTC),
        "oldest_open_days": 10,
    }
    assert rows[-1]["oldest_open"] is None
    assert rows[-1]["oldest_open_days"] is None


def test_only_the_rows_read_are_made_and_each_once(made):
    rows = counts._ordered_team_rows(_teams(), TODAY)
    assert made == []
    first_two = rows[:2]
    assert [row["team_id"] for row in first_two] == [2, 4]
    assert rows[0] is first_two[0]
    assert made == [2, 4]
    assert rows[-1]["team_id"] == 1
    assert made == [2, 4, 1]


def test_rows_equal_a_list_of_the_same_rows_either_way_round():
    rows = counts._ordered_team_rows(_teams(), TODAY)
    same = [dict(row) for row in rows]
    assert rows == same
    assert same == rows
    assert rows != same[:-1]
    assert rows != [*same[:-1], {**same[-1], "open": 99}]
    assert rows != "not rows"


def test_indexes_past_the_end_raise_as_a_list_does():
    rows = counts._ordered_team_rows(_teams(), TODAY)
    with pytest.raises(IndexError):
        rows[4]
    with pytest.raises(IndexError):
        rows[-5]
    assert rows[10:] == []
    assert list(counts._ordered_team_rows({}, TODAY)) == []
