import pytest

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
