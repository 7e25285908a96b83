import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from postmortems import services
from postmortems.incident_window import CLOCK_SKEW, future_error, outside_warning, window
from tests.factories import PostmortemFactory

T0 = datetime.datetime(2026, 11, 20, 13, 0, tzinfo=datetime.UTC)


def incident(**times):
    fields = {"started_at": T0, "detected_at": None, "mitigated_at": None, "resolved_at": None}
    return SimpleNamespace(**{**fields, **times})


def test_a_little_clock_skew_is_not_the_future():
    now = timezone.now()
    assert future_error(now + CLOCK_SKEW, now=now) is None
    assert "in the future" in future_error(now + CLOCK_SKEW * 2, now=now)


def test_the_window_runs_from_the_start_to_the_latest_known_end():
    resolved = T0 + datetime.timedelta(hours=3)
    assert window(incident(resolved_at=resolved)) == (T0, resolved)
    assert window(incident()) == (T0, T0)
    assert window(incident(started_at=None)) is None


@pytest.mark.parametrize(
    ("offset", "warned"),
    [
        (datetime.timedelta(hours=-20), False),
        (datetime.timedelta(hours=26), False),  # resolved at +3 h, a day's margin
        (datetime.timedelta(days=-6 * 365), True),
        (datetime.timedelta(days=3), True),
    ],
)
def test_only_events_far_outside_the_incident_are_warned_about(offset, warned):
    pm = incident(resolved_at=T0 + datetime.timedelta(hours=3))
    warning = outside_warning(pm, T0 + offset)
    assert (warning is not None) == warned
    if warned:
        assert "2026-11-20 13:00 UTC → 2026-11-20 16:00 UTC" in warning


def test_without_a_start_nothing_is_warned_about():
    assert outside_warning(incident(started_at=None), T0) is None


@pytest.mark.django_db
def test_the_service_refuses_an_event_in_the_future(team, alice):
    pm = PostmortemFactory(team=team)
    with pytest.raises(ValidationError) as caught:
        services.timeline_event_create(
            postmortem=pm,
            by=alice,
            occurred_at=timezone.now() + datetime.timedelta(hours=2),
            kind="note",
            text="later",
        )
    assert "occurred_at" in caught.value.message_dict
    assert not pm.timeline_events.exists()
