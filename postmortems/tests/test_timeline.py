import datetime
import zoneinfo
from types import SimpleNamespace

import pytest

from postmortems.models import TimelineEvent
from postmortems.timeline import (
    ZoneError,
    localize,
    marker_durations,
    parse_timeline,
    split_kind,
    with_day_dividers,
)

UTC = datetime.UTC
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def at(*args, tz=UTC):
    return datetime.datetime(*args, tzinfo=tz)


def only_event(text, tz=SEOUL):
    result = parse_timeline(text, tz)
    assert result.errors == []
    assert len(result.events) == 1
    return result.events[0]


# --- Formats -------------------------------------------------------------------------------


def test_line_with_utc_is_read_in_utc_whatever_the_authors_zone():
    event = only_event("2026-11-20 14:03 UTC  Checkout errors rise")
    assert event.occurred_at == at(2026, 11, 20, 14, 3)
    assert event.text == "Checkout errors rise"
    assert event.kind == TimelineEvent.Kind.NOTE
    assert event.line_no == 1


@pytest.mark.parametrize("zone", ["Z", "GMT", "utc", "+00:00", "+0000"])
def test_other_spellings_of_utc_are_understood(zone):
    assert only_event(f"2026-11-20 14:03 {zone} x").occurred_at == at(2026, 11, 20, 14, 3)


def test_iso_8601_with_offset_keeps_the_offset():
    event = only_event("2026-11-20T14:03:00+09:00 Deploy 4411 starts", tz=NEW_YORK)
    assert event.occurred_at == at(2026, 11, 20, 5, 3)
    assert event.text == "Deploy 4411 starts"


def test_iso_8601_with_seconds_fraction_and_z():
    event = only_event("2026-11-20T14:03:27.5Z x")
    assert event.occurred_at == at(2026, 11, 20, 14, 3, 27, 500000)


def test_line_without_offset_is_read_in_the_authors_zone():
    event = only_event("2026-11-20 14:03 Alert fires", tz=SEOUL)
    assert event.occurred_at == at(2026, 11, 20, 5, 3)


def test_iana_zone_name_after_the_time_is_used():
    event = only_event("2026-11-20 14:03 Asia/Seoul Alert fires", tz=NEW_YORK)
    assert event.occurred_at == at(2026, 11, 20, 5, 3)
    assert event.text == "Alert fires"


def test_text_with_a_slash_is_not_mistaken_for_a_zone():
    event = only_event("2026-11-20 14:03 CI/CD pipeline fails", tz=UTC)
    assert event.text == "CI/CD pipeline fails"
    assert event.occurred_at == at(2026, 11, 20, 14, 3)


def test_time_only_lines_continue_the_last_date_and_zone():
    result = parse_timeline(
        "2026-11-20 14:03 UTC Alert fires\n14:10 On-call acknowledges\n\n14:45:30 Rolled back",
        SEOUL,
    )
    assert result.errors == []
    assert [e.occurred_at for e in result.events] == [
        at(2026, 11, 20, 14, 3),
        at(2026, 11, 20, 14, 10),
        at(2026, 11, 20, 14, 45, 30),
    ]
    assert [e.line_no for e in result.events] == [1, 2, 4]


def test_list_bullets_before_the_time_are_ignored():
    result = parse_timeline("- 2026-11-20 14:03 UTC Alert fires\n• 14:10 Paged\n* 14:12 Ack", UTC)
    assert result.errors == []
    assert [e.text for e in result.events] == ["Alert fires", "Paged", "Ack"]


def test_time_only_line_after_a_local_line_stays_in_the_authors_zone():
    result = parse_timeline("2026-11-20 09:00 Start\n09:30 Later", SEOUL)
    assert result.events[1].occurred_at == at(2026, 11, 20, 0, 30)


@pytest.mark.parametrize(
    ("line", "kind", "text"),
    [
        ("14:10 [detection] Alert fires", "detection", "Alert fires"),
        ("14:10 [Key moment] Decided to roll back", "key_moment", "Decided to roll back"),
        ("14:10 [key_moment] x", "key_moment", "x"),
        ("14:10 - [repair] Rolled back", "repair", "Rolled back"),
        ("14:10 [EU] checkout down", "note", "[EU] checkout down"),
    ],
)
def test_optional_kind_word_sets_the_kind(line, kind, text):
    result = parse_timeline("2026-11-20 14:00 UTC Start\n" + line, UTC)
    assert result.errors == []
    assert (result.events[1].kind, result.events[1].text) == (kind, text)


def test_split_kind_leaves_plain_text_alone():
    assert split_kind("Users report errors") == ("note", "Users report errors")


@pytest.mark.parametrize(
    "line",
    [
        "Dec 2, 2026 9:30 AM Deploy started",
        "December 2 2026 09:30 Deploy started",
        "2 Dec 2026 9:30 am Deploy started",
        "2026/12/02 9:30 A.M. Deploy started",
        "2026.12.02 09:30 Deploy started",
    ],
)
def test_dates_with_month_names_slashes_and_twelve_hour_times_are_understood(line):
    event = only_event(line, UTC)
    assert event.occurred_at == at(2026, 12, 2, 9, 30)
    assert event.text == "Deploy started"


def test_pm_and_midnight_in_twelve_hour_times():
    result = parse_timeline("Dec 2, 2026 9:30 PM Late deploy\n12:05 AM Rolled back", UTC)
    assert [e.occurred_at for e in result.events] == [
        at(2026, 12, 2, 21, 30),
        at(2026, 12, 3, 0, 5),
    ]


def test_slacks_copied_messages_keep_who_said_it():
    text = "2026-12-02 10:00 UTC Incident channel opened\n[10:02 AM] carol: errors climbing"
    result = parse_timeline(text, UTC)
    assert result.errors == []
    assert result.events[1].occurred_at == at(2026, 12, 2, 10, 2)
    assert result.events[1].text == "carol: errors climbing"


def test_slack_lines_alone_fall_on_the_incidents_first_day():
    result = parse_timeline(
        "[10:02 AM] carol: errors climbing\n[10:04] dave: rolling back",
        UTC,
        first_day=datetime.date(2026, 12, 2),
    )
    assert result.errors == []
    assert [e.occurred_at for e in result.events] == [
        at(2026, 12, 2, 10, 2),
        at(2026, 12, 2, 10, 4),
    ]


def test_times_that_roll_past_midnight_continue_on_the_next_day():
    result = parse_timeline("2026-11-20 23:50 UTC Alert\n00:10 Paged\n01:30 Fixed", UTC)
    assert result.errors == []
    assert [e.occurred_at for e in result.events] == [
        at(2026, 11, 20, 23, 50),
        at(2026, 11, 21, 0, 10),
        at(2026, 11, 21, 1, 30),
    ]


def test_a_small_step_back_in_time_is_still_an_error_not_a_new_day():
    result = parse_timeline("2026-11-20 14:10 UTC Alert\n14:05 Earlier?", UTC)
    assert [e.line_no for e in result.errors] == [2]


# --- Errors --------------------------------------------------------------------------------


def test_every_bad_line_gets_its_number_and_a_reason_and_good_lines_still_parse():
    text = "\n".join(
        [
            "2026-11-20 14:03 UTC Alert fires",  # 1 good
            "yesterday afternoon things broke",  # 2 no time
            "2026-02-30 10:00 UTC impossible",  # 3 no such date
            "25:10 late",  # 4 no such time
            "2026-11-20 14:20 UTC",  # 5 no text
            "14:01 earlier than line 1",  # 6 goes back in time
        ]
    )
    result = parse_timeline(text, UTC)
    assert [e.line_no for e in result.events] == [1]
    assert [e.line_no for e in result.errors] == [2, 3, 4, 5, 6]
    messages = {e.line_no: e.message for e in result.errors}
    assert "date and time" in messages[2]
    assert "2026-02-30" in messages[3]
    assert "25:10" in messages[4]
    assert "no text" in messages[5]
    assert "2026-11-21 14:01" in messages[6]
    assert result.errors[0].line == "yesterday afternoon things broke"
    assert not result.ok


def test_time_alone_before_any_date_is_an_error():
    result = parse_timeline("14:03 Alert fires", UTC)
    assert result.events == []
    assert result.errors[0].line_no == 1
    assert "full date" in result.errors[0].message


def test_empty_paste_is_an_error():
    result = parse_timeline("  \n\n", UTC)
    assert result.events == []
    assert len(result.errors) == 1
    assert not result.ok


def test_too_many_lines_are_refused():
    text = "\n".join(f"2026-11-20 10:{i % 60:02d} UTC x" for i in range(1001))
    result = parse_timeline(text, UTC)
    assert result.events == []
    assert "1000" in result.errors[0].message


# --- Zones across DST ------------------------------------------------------------------------


def test_new_york_wall_times_across_the_march_dst_change_get_their_own_offsets():
    result = parse_timeline(
        "2026-03-07 12:00 Before the change\n2026-03-08 12:00 After the change", NEW_YORK
    )
    assert result.errors == []
    before, after = (e.occurred_at for e in result.events)
    assert before == at(2026, 3, 7, 17, 0)  # EST, UTC-5
    assert after == at(2026, 3, 8, 16, 0)  # EDT, UTC-4
    assert after - before == datetime.timedelta(hours=23)


def test_time_continuation_across_the_new_york_jump_reads_each_time_in_the_zone():
    result = parse_timeline("2026-03-08 01:30 Start\n03:30 Ninety minutes later?", NEW_YORK)
    assert result.errors == []
    first, second = (e.occurred_at for e in result.events)
    # 01:30 EST to 03:30 EDT is one hour of real time.
    assert second - first == datetime.timedelta(hours=1)


def test_a_new_york_time_skipped_by_dst_is_an_error_not_a_guess():
    result = parse_timeline("2026-03-08 02:30 In the gap", NEW_YORK)
    assert result.events == []
    assert "does not exist" in result.errors[0].message


def test_a_new_york_time_repeated_by_dst_asks_for_the_offset():
    result = parse_timeline("2026-11-01 01:30 Twice", NEW_YORK)
    assert result.events == []
    message = result.errors[0].message
    assert "twice" in message
    assert "-04:00" in message and "-05:00" in message


def test_a_repeated_new_york_time_with_an_offset_is_accepted():
    event = only_event("2026-11-01T01:30-05:00 Second pass", tz=NEW_YORK)
    assert event.occurred_at == at(2026, 11, 1, 6, 30)


def test_seoul_has_no_dst_so_the_same_dates_keep_plus_nine():
    result = parse_timeline(
        "2026-03-08 02:30 Gap in New York, fine here\n2026-11-01 01:30 Also fine", SEOUL
    )
    assert result.errors == []
    assert [e.occurred_at for e in result.events] == [
        at(2026, 3, 7, 17, 30),
        at(2026, 10, 31, 16, 30),
    ]


def test_localize_refuses_gaps_and_folds_and_accepts_fixed_offsets():
    with pytest.raises(ZoneError):
        localize(datetime.datetime(2026, 3, 8, 2, 30), NEW_YORK)
    with pytest.raises(ZoneError):
        localize(datetime.datetime(2026, 11, 1, 1, 30), NEW_YORK)
    assert localize(datetime.datetime(2026, 11, 1, 1, 30), UTC) == at(2026, 11, 1, 1, 30)


# --- Day dividers and durations --------------------------------------------------------------


def event(when, kind="note", pk=None):
    return SimpleNamespace(occurred_at=when, kind=kind, pk=pk)


def test_day_dividers_follow_the_readers_zone():
    events = [event(at(2026, 11, 20, 13, 0)), event(at(2026, 11, 20, 16, 0))]
    # 13:00 UTC is 22:00 in Seoul, 16:00 UTC is 01:00 the next day.
    assert [r.new_day for r in with_day_dividers(events, SEOUL)] == [True, True]
    assert [r.new_day for r in with_day_dividers(events, UTC)] == [True, False]
    rows = with_day_dividers(events, SEOUL)
    assert [r.day for r in rows] == [datetime.date(2026, 11, 20), datetime.date(2026, 11, 21)]
    assert rows[1].local.hour == 1


def test_three_day_incident_has_one_divider_per_day():
    events = [event(at(2026, 11, 20, 10) + datetime.timedelta(hours=h)) for h in range(0, 60, 6)]
    rows = with_day_dividers(events, UTC)
    assert sum(r.new_day for r in rows) == 3


def postmortem(**times):
    fields = {"started_at": None, "detected_at": None, "mitigated_at": None, "resolved_at": None}
    return SimpleNamespace(**{**fields, **times})


def test_durations_use_the_first_detection_and_the_postmortems_times_when_set():
    start = at(2026, 11, 20, 14, 0)
    pm = postmortem(
        started_at=start,
        mitigated_at=start + datetime.timedelta(minutes=40),
        resolved_at=start + datetime.timedelta(hours=3),
    )
    events = [
        event(start + datetime.timedelta(minutes=7), "detection", 1),
        event(start + datetime.timedelta(minutes=9), "detection", 2),
        event(start + datetime.timedelta(minutes=20), "repair", 3),
    ]
    durations = {d.key: d for d in marker_durations(pm, events)}
    assert durations["detect"].delta == datetime.timedelta(minutes=7)
    assert durations["detect"].source == "timeline"
    assert durations["mitigate"].delta == datetime.timedelta(minutes=40)
    assert durations["mitigate"].source == "postmortem"
    assert durations["resolve"].delta == datetime.timedelta(hours=3)


def test_durations_fall_back_to_the_first_event_and_repair_events():
    first = at(2026, 11, 20, 14, 0)
    events = [
        event(first, "note", 1),
        event(first + datetime.timedelta(minutes=12), "detection", 2),
        event(first + datetime.timedelta(minutes=30), "repair", 3),
        event(first + datetime.timedelta(minutes=90), "repair", 4),
    ]
    durations = {d.key: d.delta for d in marker_durations(postmortem(), events)}
    assert durations == {
        "detect": datetime.timedelta(minutes=12),
        "mitigate": datetime.timedelta(minutes=30),
        "resolve": datetime.timedelta(minutes=90),
    }


def test_no_start_and_no_events_means_no_durations():
    assert marker_durations(postmortem(), []) == []


def test_a_marker_before_the_start_is_left_out():
    start = at(2026, 11, 20, 14, 0)
    events = [event(start - datetime.timedelta(minutes=5), "detection", 1)]
    assert marker_durations(postmortem(started_at=start), events) == []
