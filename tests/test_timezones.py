"""Times are stored in UTC and shown in the reader's zone with its abbreviation, on every
page and in the Markdown export; times typed without an offset are read in the author's
zone. Asia/Seoul (+09:00, no DST) and America/New_York across the end of DST on
2026-11-01 (01:00–02:00 happens twice: EDT, then EST)."""

import datetime
import re
import zoneinfo

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from postmortems.forms import PostmortemForm
from postmortems.models import Membership, Profile, TimelineEvent
from tests.factories import PostmortemFactory, TimelineEventFactory, UserFactory

pytestmark = pytest.mark.django_db


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def reader(login, team, zone, username):
    user = UserFactory(username=username)
    Membership.objects.create(team=team, user=user)
    Profile.objects.update_or_create(user=user, defaults={"time_zone": zone})
    return login(Client(), user)


@pytest.fixture
def seoul(login, team):
    return reader(login, team, "Asia/Seoul", "minsu")


@pytest.fixture
def new_york(login, team):
    return reader(login, team, "America/New_York", "nora")


@pytest.fixture
def utc_reader(login, team):
    return reader(login, team, "UTC", "uma")


@pytest.fixture
def dst_postmortem(team):
    """Started 05:30 UTC = 01:30 EDT; detected 06:30 UTC = 01:30 EST, an hour later."""
    return PostmortemFactory(
        team=team,
        title="Clock change",
        started_at=utc(2026, 11, 1, 5, 30),
        detected_at=utc(2026, 11, 1, 6, 30),
        mitigated_at=utc(2026, 11, 1, 7, 15),
        resolved_at=utc(2026, 11, 1, 8, 0),
    )


def _text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(r"\s+", " ", response.content.decode())


# --- Choosing a zone --------------------------------------------------------------------------


def test_the_profile_page_saves_the_display_zone(alice, alice_client, dst_postmortem):
    response = alice_client.post("/profile/", {"time_zone": "Asia/Seoul", "language": ""})
    assert response.status_code == 302
    assert Profile.objects.get(user=alice).time_zone == "Asia/Seoul"
    assert "2026-11-01 14:30 KST" in _text(alice_client, dst_postmortem.get_absolute_url())


def test_an_unknown_zone_is_refused(alice, alice_client):
    response = alice_client.post("/profile/", {"time_zone": "Mars/Olympus", "language": ""})
    assert response.status_code == 200
    assert Profile.objects.get_or_create(user=alice)[0].time_zone == "UTC"


# --- Showing times ----------------------------------------------------------------------------


def test_the_same_instant_shows_in_each_readers_zone_with_its_abbreviation(
    seoul, new_york, utc_reader, dst_postmortem
):
    url = dst_postmortem.get_absolute_url()
    assert "2026-11-01 14:30 KST" in _text(seoul, url)
    assert "2026-11-01 05:30 UTC" in _text(utc_reader, url)
    page = _text(new_york, url)
    # The hour that happens twice: the same wall time, told apart by the abbreviation.
    assert "2026-11-01 01:30 EDT" in page
    assert "2026-11-01 01:30 EST" in page
    assert "2026-11-01 03:00 EST" in page


def test_the_list_shows_start_times_in_the_readers_zone(seoul, new_york, dst_postmortem):
    assert "2026-11-01 14:30 KST" in _text(seoul, "/postmortems/")
    assert "2026-11-01 01:30 EDT" in _text(new_york, "/postmortems/")


def test_durations_across_the_dst_change_are_real_elapsed_time(new_york, dst_postmortem):
    # 01:30 EDT → 01:30 EST is one hour, not zero.
    body = _text(new_york, dst_postmortem.get_absolute_url())
    assert re.search(r'data-marker="detect">[^<]*</dt> <dd[^>]*><strong>1 h 0 min</strong>', body)
    assert "(2026-11-01 01:30 EDT → 2026-11-01 01:30 EST, from the incident times)" in body


def test_durations_from_the_timeline_across_the_dst_change(new_york, dst_postmortem):
    dst_postmortem.detected_at = None
    dst_postmortem.save()
    TimelineEventFactory(
        postmortem=dst_postmortem, occurred_at=utc(2026, 11, 1, 5, 30), kind="note"
    )
    TimelineEventFactory(
        postmortem=dst_postmortem, occurred_at=utc(2026, 11, 1, 6, 30), kind="detection"
    )
    body = _text(new_york, dst_postmortem.get_absolute_url())
    assert re.search(r'data-marker="detect">[^<]*</dt> <dd[^>]*><strong>1 h 0 min</strong>', body)
    assert "(2026-11-01 01:30 EDT → 2026-11-01 01:30 EST, from the timeline)" in body


def test_timeline_events_show_their_time_with_the_zone(seoul, new_york, dst_postmortem):
    TimelineEventFactory(postmortem=dst_postmortem, occurred_at=utc(2026, 11, 1, 5, 45))
    TimelineEventFactory(postmortem=dst_postmortem, occurred_at=utc(2026, 11, 1, 6, 45))
    ny = _text(new_york, dst_postmortem.get_absolute_url())
    assert re.search(r"<time [^>]*>01:45 EDT</time>.*<time [^>]*>01:45 EST</time>", ny)
    assert re.search(
        r"<time [^>]*>14:45 KST</time>", _text(seoul, dst_postmortem.get_absolute_url())
    )


def _days_and_events(client, postmortem):
    """The timeline as [("day", "2026-11-20"), ("event", pk), …] in page order."""
    body = client.get(reverse("postmortems:detail", args=[postmortem.pk])).content.decode()
    tokens = re.findall(r'data-day="([\d-]+)"|id="timeline-event-(\d+)"', body)
    return [("day", day) if day else ("event", int(pk)) for day, pk in tokens]


def test_day_dividers_follow_the_readers_zone(seoul, new_york, team):
    pm = PostmortemFactory(team=team, started_at=utc(2026, 11, 20, 14, 0))
    e1, e2, e3, e4 = (
        TimelineEventFactory(postmortem=pm, occurred_at=when).pk
        for when in (
            utc(2026, 11, 20, 14, 0),  # Seoul 20th 23:00 · New York 20th 09:00
            utc(2026, 11, 20, 16, 0),  # Seoul 21st 01:00 · New York 20th 11:00
            utc(2026, 11, 21, 3, 0),  # Seoul 21st 12:00 · New York 20th 22:00
            utc(2026, 11, 21, 6, 0),  # Seoul 21st 15:00 · New York 21st 01:00
        )
    )
    assert _days_and_events(seoul, pm) == [
        ("day", "2026-11-20"),
        ("event", e1),
        ("day", "2026-11-21"),
        ("event", e2),
        ("event", e3),
        ("event", e4),
    ]
    assert _days_and_events(new_york, pm) == [
        ("day", "2026-11-20"),
        ("event", e1),
        ("event", e2),
        ("event", e3),
        ("day", "2026-11-21"),
        ("event", e4),
    ]


def test_day_dividers_name_the_weekday_and_the_zone(seoul, team):
    pm = PostmortemFactory(team=team, started_at=utc(2026, 11, 20, 14, 0))
    TimelineEventFactory(postmortem=pm, occurred_at=utc(2026, 11, 20, 16, 0))
    body = _text(seoul, pm.get_absolute_url())
    assert re.search(r'data-day="2026-11-21">Saturday, 2026-11-21 <small[^>]*>\(Asia/Seoul\)', body)


def test_a_timeline_across_the_dst_change_keeps_one_day_and_shows_both_offsets(new_york, team):
    pm = PostmortemFactory(team=team, started_at=utc(2026, 11, 1, 3, 0))
    events = [
        TimelineEventFactory(postmortem=pm, occurred_at=when).pk
        for when in (
            utc(2026, 11, 1, 3, 0),  # 23:00 EDT on Oct 31
            utc(2026, 11, 1, 5, 10),  # 01:10 EDT
            utc(2026, 11, 1, 6, 10),  # 01:10 EST
            utc(2026, 11, 1, 8, 0),  # 03:00 EST
        )
    ]
    assert _days_and_events(new_york, pm) == [
        ("day", "2026-10-31"),
        ("event", events[0]),
        ("day", "2026-11-01"),
        *[("event", pk) for pk in events[1:]],
    ]
    body = _text(new_york, pm.get_absolute_url())
    assert body.index("01:10 EDT") < body.index("01:10 EST") < body.index("03:00 EST")


def test_history_and_comments_show_times_with_the_zone(seoul, team):
    pm = PostmortemFactory(team=team, started_at=utc(2026, 11, 20, 14, 0))
    TimelineEventFactory(postmortem=pm, occurred_at=utc(2026, 11, 20, 15, 0))
    # The comment form's list of events to comment on (loaded when asked).
    form = _text(seoul, reverse("postmortems:comment_create", args=[pm.pk]))
    assert re.search(r"<option [^>]*>[^<]*2026-11-21 00:00 KST", form)
    history = _text(seoul, reverse("postmortems:history", args=[pm.pk]))
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d KST", history)


# --- The Markdown export ------------------------------------------------------------------------


def test_the_export_shows_times_in_the_readers_zone(seoul, new_york, dst_postmortem):
    TimelineEventFactory(
        postmortem=dst_postmortem, occurred_at=utc(2026, 11, 1, 6, 40), text="Paged"
    )
    url = reverse("postmortems:export", args=[dst_postmortem.pk])
    ny = new_york.get(url).content.decode()
    assert "| Started | 2026-11-01 01:30 EDT |" in ny
    assert "| Detected | 2026-11-01 01:30 EST |" in ny
    assert "Times in America/New_York." in ny
    assert "- **2026-11-01 01:40 EST** · Note — Paged" in ny
    kr = seoul.get(url).content.decode()
    assert "| Started | 2026-11-01 14:30 KST |" in kr
    assert "- **2026-11-01 15:40 KST** · Note — Paged" in kr


# --- Typing times -----------------------------------------------------------------------------


def _add_event(client, pm, when):
    # Confirmed: these postmortems have no incident window near the times typed here.
    return client.post(
        reverse("postmortems:timeline_add", args=[pm.pk]),
        {"occurred_at": when, "kind": "note", "text": "x", "outside_ok": "on"},
    )


def test_a_time_without_offset_is_read_in_the_authors_zone_and_stored_in_utc(seoul, team):
    pm = PostmortemFactory(team=team)
    form = _text(seoul, reverse("postmortems:timeline_import", args=[pm.pk]))
    assert "Times without an offset are in Asia/Seoul." in form
    assert _add_event(seoul, pm, "2026-11-20T09:00").status_code == 302
    assert TimelineEvent.objects.get(postmortem=pm).occurred_at == utc(2026, 11, 20, 0, 0)


def test_the_event_form_says_which_zone_it_reads(seoul, new_york, team):
    pm = PostmortemFactory(team=team)
    add = reverse("postmortems:timeline_add", args=[pm.pk])
    assert "Times are in Asia/Seoul." in _text(seoul, add)
    assert "Times are in America/New_York." in _text(new_york, add)


def test_new_york_times_either_side_of_the_change_are_stored_an_hour_apart(new_york, team):
    pm = PostmortemFactory(team=team)
    _add_event(new_york, pm, "2026-10-31T23:30")  # EDT, -04:00
    _add_event(new_york, pm, "2026-11-01T03:30")  # EST, -05:00
    assert sorted(TimelineEvent.objects.values_list("occurred_at", flat=True)) == [
        utc(2026, 11, 1, 3, 30),
        utc(2026, 11, 1, 8, 30),
    ]


def test_a_repeated_wall_time_is_refused_until_it_carries_an_offset(new_york, team):
    pm = PostmortemFactory(team=team)
    response = _add_event(new_york, pm, "2026-11-01T01:30")
    assert response.status_code == 400
    assert "happened twice in America/New_York" in response.content.decode()
    assert not TimelineEvent.objects.exists()


def test_pasted_lines_take_the_authors_zone_or_their_own_offset(new_york, team):
    pm = PostmortemFactory(team=team)
    url = reverse("postmortems:timeline_import", args=[pm.pk])
    text = "2026-11-01 00:30 before the change\n01:30-05:00 after it\n2026-11-01T09:00+09:00 Seoul"
    preview = new_york.post(url, {"text": text}).content.decode()
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', preview)[1]
    new_york.post(url, {"text": text, "action": "save", "digest": digest})
    assert list(
        TimelineEvent.objects.order_by("occurred_at").values_list("occurred_at", flat=True)
    ) == [utc(2026, 11, 1, 0, 0), utc(2026, 11, 1, 4, 30), utc(2026, 11, 1, 6, 30)]


def test_the_postmortem_form_shows_and_reads_incident_times_in_the_authors_zone(seoul, alice, team):
    pm = PostmortemFactory(team=team, started_at=utc(2026, 11, 20, 0, 0))
    page = _text(seoul, reverse("postmortems:edit", args=[pm.pk]))
    assert 'value="2026-11-20 09:00"' in page
    assert "In your time zone, Asia/Seoul." in page
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        field = PostmortemForm(instance=pm, user=alice).fields["started_at"]
        assert field.clean("2026-10-31T23:30") == utc(2026, 11, 1, 3, 30)
        assert field.clean("2026-11-01T03:30") == utc(2026, 11, 1, 8, 30)


# --- The filter behind every page ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "shown"),
    [
        (utc(2026, 11, 1, 5, 30), "2026-11-01 01:30 EDT -0400"),
        (utc(2026, 11, 1, 6, 30), "2026-11-01 01:30 EST -0500"),
        (utc(2026, 3, 8, 7, 30), "2026-03-08 03:30 EDT -0400"),
    ],
)
def test_the_zoned_date_filter_keeps_the_zone_in_the_hours_around_a_dst_change(instant, shown):
    template = Template('{{ when|zoned_date:"Y-m-d H:i T O" }}')
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        assert template.render(Context({"when": instant})) == shown


def test_the_zoned_date_filter_still_formats_plain_dates():
    assert (
        Template('{{ day|zoned_date:"Y-m-d" }}').render(
            Context({"day": datetime.date(2026, 11, 1)})
        )
        == "2026-11-01"
    )


def test_findings_name_timeline_events_by_the_readers_time(new_york, dst_postmortem):
    TimelineEventFactory(
        postmortem=dst_postmortem,
        occurred_at=utc(2026, 11, 1, 6, 40),
        text="Bob should have checked the replica lag.",
    )
    page = _text(new_york, reverse("postmortems:findings", args=[dst_postmortem.pk]))
    assert "Timeline, 2026-11-01 01:40 EST" in page
