import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from postmortems.models import Profile, TimelineEvent
from tests.factories import PostmortemFactory, TimelineEventFactory

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


def test_member_adds_an_event_with_a_plain_post_in_their_own_zone(alice_client, seoul, postmortem):
    response = alice_client.post(
        url("timeline_add", postmortem),
        {"occurred_at": "2026-11-20T14:03", "kind": "detection", "text": "Alert **fires**"},
    )
    assert response.status_code == 302
    assert response.url == detail_anchor(postmortem)
    event = postmortem.timeline_events.get()
    assert event.occurred_at == at(2026, 11, 20, 5, 3)
    assert (event.kind, event.created_by) == ("detection", seoul)
    assert event.text_html == "<p>Alert <strong>fires</strong></p>"


def test_member_adds_an_event_with_htmx_and_gets_the_timeline_back(alice_client, postmortem):
    response = alice_client.post(
        url("timeline_add", postmortem),
        {"occurred_at": "2026-11-20T14:03", "kind": "repair", "text": "Rolled back"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#timeline"
    assert response["HX-Reswap"] == "outerHTML"
    body = response.content.decode()
    assert 'id="timeline"' in body
    assert "Rolled back" in body
    assert "<html" not in body
    assert postmortem.timeline_events.count() == 1


def test_an_invalid_htmx_add_returns_the_form_with_errors_and_the_input(alice_client, postmortem):
    response = alice_client.post(
        url("timeline_add", postmortem),
        {"occurred_at": "not a time", "kind": "note", "text": "Keep this text"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#timeline-form-new"
    body = response.content.decode()
    assert "Keep this text" in body
    assert "is-invalid" in body
    assert not TimelineEvent.objects.exists()


def test_an_invalid_plain_add_shows_a_page_with_errors_and_the_input(alice_client, postmortem):
    response = alice_client.post(
        url("timeline_add", postmortem),
        {"occurred_at": "2026-11-20T14:03", "kind": "note", "text": "   "},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "<html" in body
    assert 'value="2026-11-20T14:03"' in body
    textarea = re.search(r'<textarea[^>]*name="text"[^>]*>', body)[0]
    assert "is-invalid" in textarea
    assert not TimelineEvent.objects.exists()


def test_a_time_skipped_by_dst_in_the_authors_zone_is_refused_with_a_reason(
    alice_client, alice, postmortem
):
    Profile.objects.filter(user=alice).update(time_zone="America/New_York")
    response = alice_client.post(
        url("timeline_add", postmortem),
        {"occurred_at": "2026-03-08T02:30", "kind": "note", "text": "In the gap"},
    )
    assert response.status_code == 400
    assert "does not exist in America/New_York" in response.content.decode()


def test_the_form_says_which_zone_times_are_in_and_marks_text_for_linting(
    alice_client, seoul, postmortem
):
    body = alice_client.get(url("timeline_add", postmortem)).content.decode()
    assert "Times are in Asia/Seoul" in body
    assert re.search(r'<textarea[^>]*name="text"[^>]*data-lint', body) or re.search(
        r'<textarea[^>]*data-lint[^>]*name="text"', body
    )


# --- Edit, delete, pin -----------------------------------------------------------------------


def test_htmx_edit_form_shows_the_time_in_the_readers_zone(alice_client, seoul, postmortem):
    event = TimelineEventFactory(postmortem=postmortem, occurred_at=at(2026, 11, 20, 5, 3))
    response = alice_client.get(url("timeline_edit", postmortem, event.pk), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="2026-11-20 14:03:00"' in body
    assert f'id="timeline-form-{event.pk}"' in body
    assert "<html" not in body


def test_htmx_edit_form_takes_the_rows_place_with_the_focus_pin_and_delete(
    alice_client, postmortem
):
    event = TimelineEventFactory(postmortem=postmortem, text="Cache **warmed**", pinned=True)
    response = alice_client.get(url("timeline_edit", postmortem, event.pk), **HTMX)
    body = response.content.decode()
    assert f'<li id="timeline-event-{event.pk}" class="editing">' in body
    assert "Cache **warmed**" in body  # the source, to edit
    assert re.search(r'<input[^>]*name="occurred_at"[^>]*autofocus', body)
    assert f'hx-post="{url("timeline_pin", postmortem, event.pk)}"' in body
    assert 'name="pinned" value="0"' in body  # pinned: the button unpins
    assert f'hx-post="{url("timeline_delete", postmortem, event.pk)}"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    # Cancel swaps the read-only row back.
    cancel = url("timeline_event", postmortem, event.pk)
    assert f'hx-get="{cancel}" hx-target="#timeline-event-{event.pk}"' in body


def test_plain_edit_page_offers_pin_and_delete_without_javascript(alice_client, postmortem):
    event = TimelineEventFactory(postmortem=postmortem)
    response = alice_client.get(url("timeline_edit", postmortem, event.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body and f'id="timeline-form-{event.pk}"' in body
    assert f'action="{url("timeline_pin", postmortem, event.pk)}"' in body
    assert f'href="{url("timeline_delete", postmortem, event.pk)}"' in body


def test_htmx_edit_with_errors_keeps_the_input_and_focuses_the_field(alice_client, postmortem):
    event = TimelineEventFactory(postmortem=postmortem)
    response = alice_client.post(
        url("timeline_edit", postmortem, event.pk),
        {"occurred_at": "2026-11-20T14:03", "kind": "note", "text": "  "},
        **HTMX,
    )
    body = response.content.decode()
    assert 'value="2026-11-20T14:03"' in body
    assert re.search(r'<textarea[^>]*name="text"[^>]*autofocus', body) or re.search(
        r'<textarea[^>]*autofocus[^>]*name="text"', body
    )


def test_the_row_alone_comes_back_read_only_with_the_focus_on_its_edit_link(
    alice_client, postmortem
):
    event = TimelineEventFactory(postmortem=postmortem, text="Back to reading")
    response = alice_client.get(url("timeline_event", postmortem, event.pk), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith(f'<li id="timeline-event-{event.pk}"')
    assert "Back to reading" in body and "<form" not in body
    edit = url("timeline_edit", postmortem, event.pk)
    assert re.search(rf'<a class="edit" href="{edit}" hx-get="{edit}"[^>]*autofocus', body)


def test_the_row_without_htmx_is_the_row_on_the_postmortem_page(alice_client, postmortem):
    event = TimelineEventFactory(postmortem=postmortem)
    response = alice_client.get(url("timeline_event", postmortem, event.pk))
    assert response.status_code == 302
    assert response.url == detail_anchor(postmortem, f"timeline-event-{event.pk}")


def test_a_reader_gets_the_row_without_an_edit_link_and_no_edit_form(outsider_client, postmortem):
    event = TimelineEventFactory(postmortem=postmortem, text="Readable")
    row = outsider_client.get(url("timeline_event", postmortem, event.pk), **HTMX)
    assert row.status_code == 200
    assert "Readable" in row.content.decode()
    assert url("timeline_edit", postmortem, event.pk) not in row.content.decode()
    form = outsider_client.get(url("timeline_edit", postmortem, event.pk), **HTMX)
    assert form.status_code == 403
    section = outsider_client.get(url("timeline_list", postmortem) + "?edit=1", **HTMX)
    assert url("timeline_edit", postmortem, event.pk) not in section.content.decode()


def test_edit_links_come_with_the_section_when_asked(alice_client, postmortem):
    event = TimelineEventFactory(postmortem=postmortem)
    edit = url("timeline_edit", postmortem, event.pk)
    reading = alice_client.get(url("timeline_list", postmortem), **HTMX).content.decode()
    assert edit not in reading
    assert f'hx-get="{url("timeline_list", postmortem)}?edit=1"' in reading
    editing = alice_client.get(url("timeline_list", postmortem) + "?edit=1", **HTMX)
    body = editing.content.decode()
    assert f'<a class="edit" href="{edit}" hx-get="{edit}"' in body
    assert 'hx-target="closest li"' in body
    assert re.search(r"<a [^>]*autofocus[^>]*>Done editing</a>", body)


def test_plain_edit_saves_and_redirects(alice_client, postmortem):
    event = TimelineEventFactory(postmortem=postmortem, occurred_at=at(2026, 11, 20, 5, 3))
    response = alice_client.post(
        url("timeline_edit", postmortem, event.pk),
        {"occurred_at": "2026-11-20T06:00:00+00:00", "kind": "diagnosis", "text": "Found it"},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.occurred_at, event.kind, event.text) == (
        at(2026, 11, 20, 6, 0),
        "diagnosis",
        "Found it",
    )


def test_htmx_edit_with_errors_replaces_only_that_form(alice_client, postmortem):
    event = TimelineEventFactory(postmortem=postmortem)
    response = alice_client.post(
        url("timeline_edit", postmortem, event.pk),
        {"occurred_at": "", "kind": "note", "text": "Changed"},
        **HTMX,
    )
    assert response["HX-Retarget"] == f"#timeline-form-{event.pk}"
    assert "Changed" in response.content.decode()
    event.refresh_from_db()
    assert event.text != "Changed"


def test_plain_delete_asks_first_then_deletes(alice_client, postmortem):
    event = TimelineEventFactory(postmortem=postmortem, text="Doomed event")
    confirm = alice_client.get(url("timeline_delete", postmortem, event.pk))
    assert confirm.status_code == 200
    assert "Doomed event" in confirm.content.decode()
    assert TimelineEvent.objects.filter(pk=event.pk).exists()
    response = alice_client.post(url("timeline_delete", postmortem, event.pk))
    assert response.status_code == 302
    assert not TimelineEvent.objects.filter(pk=event.pk).exists()


def test_htmx_delete_returns_the_timeline_without_the_event(alice_client, postmortem):
    event = TimelineEventFactory(postmortem=postmortem, text="Doomed event")
    response = alice_client.post(url("timeline_delete", postmortem, event.pk), **HTMX)
    assert response.status_code == 200
    assert "Doomed event" not in response.content.decode()
    assert not TimelineEvent.objects.filter(pk=event.pk).exists()


def test_pin_with_a_plain_post_and_unpin_with_htmx(alice_client, postmortem):
    event = TimelineEventFactory(postmortem=postmortem)
    response = alice_client.post(url("timeline_pin", postmortem, event.pk), {"pinned": "1"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.pinned
    response = alice_client.post(url("timeline_pin", postmortem, event.pk), {"pinned": "0"}, **HTMX)
    assert response.status_code == 200
    assert "Unpin" not in response.content.decode()
    event.refresh_from_db()
    assert not event.pinned


def test_pin_needs_a_post(alice_client, postmortem):
    event = TimelineEventFactory(postmortem=postmortem)
    assert alice_client.get(url("timeline_pin", postmortem, event.pk)).status_code == 405


def test_an_event_of_another_postmortem_is_not_found(alice_client, postmortem, team):
    other = TimelineEventFactory(postmortem=PostmortemFactory(team=team))
    for name in ("timeline_edit", "timeline_delete", "timeline_pin"):
        assert alice_client.post(url(name, postmortem, other.pk)).status_code == 404


# --- When an event may happen ------------------------------------------------------------------


def test_an_event_in_the_future_is_refused_on_the_form(alice_client, postmortem):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    response = alice_client.post(
        url("timeline_add", postmortem),
        {"occurred_at": f"{tomorrow:%Y-%m-%dT%H:%M}", "kind": "note", "text": "typo"},
    )
    assert response.status_code == 400
    assert "in the future" in response.content.decode()
    assert not TimelineEvent.objects.exists()


def test_an_event_far_outside_the_incident_needs_confirming_with_the_window_named(
    alice_client, postmortem
):
    data = {"occurred_at": "2020-11-20T13:00", "kind": "note", "text": "six years early"}
    response = alice_client.post(url("timeline_add", postmortem), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "far outside the incident (2026-11-20 13:00 UTC" in body
    assert 'name="outside_ok"' in body
    assert not TimelineEvent.objects.exists()
    response = alice_client.post(url("timeline_add", postmortem), {**data, "outside_ok": "on"})
    assert response.status_code == 302
    assert postmortem.timeline_events.get().text == "six years early"


def test_an_event_near_the_incident_needs_no_confirmation(alice_client, postmortem):
    response = alice_client.post(
        url("timeline_add", postmortem),
        {"occurred_at": "2026-11-19T22:00", "kind": "note", "text": "deploy the evening before"},
    )
    assert response.status_code == 302


# --- Import ----------------------------------------------------------------------------------


def test_an_outsider_gets_404_everywhere_on_a_restricted_postmortem(outsider_client, restricted):
    event = TimelineEventFactory(postmortem=restricted)
    assert outsider_client.get(url("timeline_list", restricted)).status_code == 404
    for name in ("timeline_event", "timeline_edit"):
        for headers in ({}, HTMX):
            response = outsider_client.get(url(name, restricted, event.pk), **headers)
            assert response.status_code == 404
    assert outsider_client.get(url("timeline_import", restricted)).status_code == 404
    assert outsider_client.post(url("timeline_add", restricted), {}).status_code == 404
    for name in ("timeline_edit", "timeline_delete", "timeline_pin"):
        assert outsider_client.post(url(name, restricted, event.pk), {}).status_code == 404
    event.refresh_from_db()
    assert TimelineEvent.objects.count() == 1


def test_an_outsider_reads_an_open_postmortem_but_may_not_change_it(outsider_client, postmortem):
    event = TimelineEventFactory(postmortem=postmortem, text="Visible event")
    page = outsider_client.get(url("timeline_list", postmortem))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Visible event" in body
    assert url("timeline_edit", postmortem, event.pk) not in body
    assert 'id="timeline-form-new"' not in body
    data = {"occurred_at": "2026-11-20T14:03", "kind": "note", "text": "x"}
    assert outsider_client.post(url("timeline_add", postmortem), data).status_code == 403
    assert outsider_client.post(url("timeline_delete", postmortem, event.pk)).status_code == 403
    assert (
        outsider_client.post(url("timeline_import", postmortem), {"text": "x"}).status_code == 403
    )
    assert TimelineEvent.objects.count() == 1


# --- Reading ---------------------------------------------------------------------------------


def test_multi_day_timeline_shows_a_divider_per_day_in_the_readers_zone(
    alice_client, alice, postmortem
):
    for when in (at(2026, 11, 20, 13, 0), at(2026, 11, 20, 16, 0), at(2026, 11, 21, 16, 0)):
        TimelineEventFactory(postmortem=postmortem, occurred_at=when)

    def days():
        body = alice_client.get(url("timeline_list", postmortem), **HTMX).content.decode()
        return re.findall(r'class="[^"]*timeline-day[^"]*" data-day="([\d-]+)"', body)

    # In UTC two days; in Seoul 22:00, 01:00 (+1 day) and 01:00 (+2 days) are three.
    assert days() == ["2026-11-20", "2026-11-21"]
    Profile.objects.filter(user=alice).update(time_zone="Asia/Seoul")
    assert days() == ["2026-11-20", "2026-11-21", "2026-11-22"]


def test_each_event_shows_its_kind_as_text_and_colour(alice_client, postmortem):
    TimelineEventFactory(postmortem=postmortem, kind="detection")
    body = alice_client.get(url("timeline_list", postmortem), **HTMX).content.decode()
    assert re.search(r'class="badge text-bg-danger">Detection<', body)


def test_durations_without_incident_times_come_from_the_timeline_and_say_so(
    alice_client, postmortem
):
    postmortem.detected_at = postmortem.mitigated_at = postmortem.resolved_at = None
    postmortem.save()
    TimelineEventFactory(
        postmortem=postmortem, kind="detection", occurred_at=at(2026, 11, 20, 13, 7)
    )
    TimelineEventFactory(postmortem=postmortem, kind="repair", occurred_at=at(2026, 11, 20, 15, 0))
    body = alice_client.get(postmortem.get_absolute_url()).content.decode()
    assert re.search(r'data-marker="detect">Time to detect</dt>\s*<dd[^>]*><strong>7 min', body)
    assert re.search(
        r'data-marker="mitigate">Time to mitigate</dt>\s*<dd[^>]*><strong>2 h 0 min', body
    )
    assert "from the timeline" in body


def test_time_to_detect_is_shown_once_from_the_incident_times_when_set(alice_client, postmortem):
    # The Detected field wins over an earlier detection event: one definition, one figure.
    postmortem.detected_at = postmortem.started_at + datetime.timedelta(minutes=12)
    postmortem.save()
    TimelineEventFactory(postmortem=postmortem, kind="detection", occurred_at=postmortem.started_at)
    body = alice_client.get(postmortem.get_absolute_url()).content.decode()
    assert body.count('data-marker="detect"') == 1
    assert re.search(r'data-marker="detect">Time to detect</dt>\s*<dd[^>]*><strong>12 min', body)
    assert "<strong>0 s</strong>" not in body
    timeline = alice_client.get(url("timeline_list", postmortem), **HTMX).content.decode()
    assert "data-marker" not in timeline


def test_a_long_timeline_renders_in_a_fixed_number_of_queries(
    alice_client, postmortem, django_assert_max_num_queries
):
    start = at(2026, 11, 18, 0, 0)
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            postmortem=postmortem,
            occurred_at=start + datetime.timedelta(minutes=37 * i),
            kind=TimelineEvent.Kind.choices[i % 6][0],
            text=f"Event {i}",
            text_html=f"<p>Event {i}</p>",
            pinned=i % 10 == 0,
        )
        for i in range(200)
    )
    with django_assert_max_num_queries(12):
        response = alice_client.get(url("timeline_list", postmortem))
    assert response.status_code == 200
    assert response.content.decode().count('<li id="timeline-event-') == 200
