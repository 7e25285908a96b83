"""Pasting a timeline: preview, import, and what a bad line does."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from postmortems.models import Profile, TimelineEvent
from tests.factories import PostmortemFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def at(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


@pytest.fixture
def postmortem(team):
    return PostmortemFactory(team=team, started_at=at(2026, 11, 20, 13, 0))


@pytest.fixture
def restricted(team):
    return PostmortemFactory(team=team, restricted=True)


@pytest.fixture
def seoul(alice):
    Profile.objects.filter(user=alice).update(time_zone="Asia/Seoul")
    return alice


def url(name, postmortem, *args):
    return reverse(f"postmortems:{name}", args=[postmortem.pk, *args])


def detail_anchor(postmortem, anchor="timeline"):
    return f"/postmortems/{postmortem.pk}/#{anchor}"


# --- Add -------------------------------------------------------------------------------------


PASTE = "2026-11-20 14:03 UTC [detection] Alert fires\n14:10 [repair] Rolled back\n"


def test_import_preview_shows_the_events_and_saves_nothing(alice_client, postmortem):
    response = alice_client.post(url("timeline_import", postmortem), {"text": PASTE})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="timeline-import-preview"' in body
    assert "Alert fires" in body and "Rolled back" in body
    assert "Save 2 events" in body
    assert not TimelineEvent.objects.exists()


def test_import_saves_after_the_preview(alice_client, postmortem):
    preview = alice_client.post(url("timeline_import", postmortem), {"text": PASTE})
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', preview.content.decode())[1]
    response = alice_client.post(
        url("timeline_import", postmortem), {"text": PASTE, "action": "save", "digest": digest}
    )
    assert response.status_code == 302
    assert response.url == detail_anchor(postmortem)
    assert list(postmortem.timeline_events.values_list("kind", flat=True)) == [
        "detection",
        "repair",
    ]


def test_import_save_with_htmx_returns_the_timeline(alice_client, postmortem):
    preview = alice_client.post(url("timeline_import", postmortem), {"text": PASTE}, **HTMX)
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', preview.content.decode())[1]
    response = alice_client.post(
        url("timeline_import", postmortem),
        {"text": PASTE, "action": "save", "digest": digest},
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#timeline"
    assert "Rolled back" in response.content.decode()
    assert postmortem.timeline_events.count() == 2


def test_import_of_text_changed_since_the_preview_previews_again(alice_client, postmortem):
    preview = alice_client.post(url("timeline_import", postmortem), {"text": PASTE})
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', preview.content.decode())[1]
    response = alice_client.post(
        url("timeline_import", postmortem),
        {"text": PASTE + "14:20 Sneaked in\n", "action": "save", "digest": digest},
    )
    assert response.status_code == 200
    assert "changed since the preview" in response.content.decode()
    assert not TimelineEvent.objects.exists()


MIXED = "2026-11-20 14:03 UTC Alert fires\nsomething without a time\n14:01 too early\n"


def test_import_errors_name_each_line_keep_the_text_and_save_nothing(alice_client, postmortem):
    response = alice_client.post(
        url("timeline_import", postmortem), {"text": MIXED, "action": "save", "digest": "x"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-line="2"' in body and 'data-line="3"' in body
    assert "Line 2" in body and "Line 3" in body
    assert "something without a time\n14:01 too early" in body
    assert not TimelineEvent.objects.exists()


def test_one_bad_line_does_not_reject_the_paste_the_good_lines_can_be_imported(
    alice_client, postmortem
):
    preview = alice_client.post(url("timeline_import", postmortem), {"text": MIXED})
    body = preview.content.decode()
    assert 'id="timeline-import-preview"' in body and "Alert fires" in body
    assert "Import the 1 good line" in body
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', body)[1]
    response = alice_client.post(
        url("timeline_import", postmortem),
        {"text": MIXED, "action": "save", "digest": digest},
        follow=True,
    )
    assert list(postmortem.timeline_events.values_list("text", flat=True)) == ["Alert fires"]
    assert "2 lines with errors were left out." in response.content.decode()


def test_a_pasted_event_in_the_future_is_a_bad_line(alice_client, postmortem):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    text = f"2026-11-20 14:03 UTC Alert fires\n{tomorrow:%Y-%m-%d %H:%M} UTC Typo in the date\n"
    body = alice_client.post(url("timeline_import", postmortem), {"text": text}).content.decode()
    assert 'data-line="2"' in body and "in the future" in body
    assert "Import the 1 good line" in body


def test_a_pasted_event_far_from_the_incident_is_flagged_in_the_preview(alice_client, postmortem):
    text = "2020-11-20 14:03 UTC Six years early\n"
    body = alice_client.post(url("timeline_import", postmortem), {"text": text}).content.decode()
    assert 'class="table-warning"' in body
    assert "far outside the incident (2026-11-20 13:00 UTC" in body


def test_slack_lines_alone_are_read_on_the_incidents_first_day(alice_client, postmortem):
    text = "[1:02 PM] carol: errors climbing\n"
    body = alice_client.post(url("timeline_import", postmortem), {"text": text}).content.decode()
    assert "2026-11-20 13:02 UTC" in body and "carol: errors climbing" in body


def test_import_errors_with_htmx_come_back_as_the_import_fragment(alice_client, postmortem):
    response = alice_client.post(url("timeline_import", postmortem), {"text": "nonsense"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="timeline-import">')
    assert 'data-line="1"' in body
    assert "nonsense" in body


def test_import_reads_lines_without_offset_in_the_authors_zone(alice_client, seoul, postmortem):
    response = alice_client.get(url("timeline_import", postmortem))
    assert "Times without an offset are in Asia/Seoul" in response.content.decode()
    preview = alice_client.post(url("timeline_import", postmortem), {"text": "2026-11-20 14:03 x"})
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', preview.content.decode())[1]
    alice_client.post(
        url("timeline_import", postmortem),
        {"text": "2026-11-20 14:03 x", "action": "save", "digest": digest},
    )
    assert postmortem.timeline_events.get().occurred_at == at(2026, 11, 20, 5, 3)


# --- Who may ---------------------------------------------------------------------------------
