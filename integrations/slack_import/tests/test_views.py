import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from integrations.models import SlackImport
from postmortems import gates
from postmortems.models import TimelineEvent
from tests.factories import PostmortemFactory

from .export_factory import START, write_export


@pytest.fixture(scope="module")
def export_bytes(tmp_path_factory):
    path = tmp_path_factory.mktemp("slack") / "export.zip"
    write_export(path, messages=10_000)
    return path.read_bytes()


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def postmortem(team):
    return PostmortemFactory(
        team=team,
        started_at=START,
        detected_at=START + datetime.timedelta(minutes=5),
        mitigated_at=START + datetime.timedelta(minutes=20),
        resolved_at=START + datetime.timedelta(minutes=30),
    )


def upload(client, postmortem, export_bytes):
    archive = SimpleUploadedFile("export.zip", export_bytes, content_type="application/zip")
    answer = client.post(f"/postmortems/{postmortem.pk}/slack-import/", {"archive": archive})
    assert answer.status_code == 302, answer.content.decode()[:500]
    return answer["Location"]


WINDOW = {"channel": "incident-42", "start": "2026-11-20T00:00", "end": "2026-11-20T00:29"}


def test_the_preview_shows_the_window_with_threads_together_and_authors_matched(
    alice_client, postmortem, export_bytes
):
    pick_url = upload(alice_client, postmortem, export_bytes)
    answer = alice_client.get(pick_url, WINDOW)
    assert answer.status_code == 200
    preview = answer.context["preview"]
    assert preview.total == 30
    rows = preview.rows
    assert [row.message.is_reply for row in rows[:3]] == [False, True, True]
    alice_rows = [row for row in rows if row.message.user_id == "U0ALICE"]
    assert alice_rows and all(row.user.username == "alice" for row in alice_rows)
    assert all(row.user is None for row in rows if row.message.bot)


def test_ticked_messages_become_events_with_exact_times_and_one_event_per_thread(
    alice_client, postmortem, export_bytes
):
    pick_url = upload(alice_client, postmortem, export_bytes)
    rows = alice_client.get(pick_url, WINDOW).context["preview"].rows
    parent, reply, other = rows[0].message, rows[1].message, rows[3].message
    answer = alice_client.post(
        pick_url,
        {
            **WINDOW,
            "pick": [parent.ts, reply.ts, other.ts],
            f"kind-{parent.ts}": "detection",
            f"kind-{other.ts}": "diagnosis",
        },
    )
    assert answer.status_code == 302
    events = list(postmortem.timeline_events.order_by("occurred_at"))
    assert [(e.occurred_at, e.kind, e.source) for e in events] == [
        (parent.at, "detection", "Slack #incident-42"),
        (other.at, "diagnosis", "Slack #incident-42"),
    ]
    assert events[0].text == (
        "**Alice Kim**: incident-42 update 0\n\n↳ (+1 min) **bob**: reply 1 in the thread of 0"
    )


def test_the_blame_check_runs_on_imported_text(alice_client, postmortem):
    answer = alice_client.post(
        f"/postmortems/{postmortem.pk}/slack-import/",
        {"text": "[00:10] carol: bob should have checked the config", "first_day": "2026-11-20"},
    )
    pick_url = answer["Location"]
    window = {**WINDOW, "channel": "pasted"}
    preview = alice_client.get(pick_url, window).context["preview"]
    assert preview.rows[0].findings
    ts = preview.rows[0].message.ts
    alice_client.post(pick_url, {**window, "pick": [ts], f"kind-{ts}": "note"})
    event = TimelineEvent.objects.get(postmortem=postmortem)
    assert event.source == "Slack"
    assert any(f.location == f"event:{event.pk}" for f in gates.unacknowledged_findings(postmortem))


def test_nothing_ticked_imports_nothing(alice_client, postmortem, export_bytes):
    pick_url = upload(alice_client, postmortem, export_bytes)
    answer = alice_client.post(pick_url, WINDOW)
    assert answer.status_code == 400
    assert not TimelineEvent.objects.exists()


def test_a_zip_that_is_not_a_slack_export_is_refused(alice_client, postmortem):
    archive = SimpleUploadedFile("x.zip", b"not a zip at all")
    answer = alice_client.post(f"/postmortems/{postmortem.pk}/slack-import/", {"archive": archive})
    assert answer.status_code == 400
    assert not SlackImport.objects.exists()


def test_someone_who_cannot_edit_the_postmortem_is_refused(outsider_client, postmortem):
    assert outsider_client.get(f"/postmortems/{postmortem.pk}/slack-import/").status_code == 403


def test_a_restricted_postmortem_is_not_found_for_outsiders(outsider_client, postmortem):
    postmortem.restricted = True
    postmortem.save()
    assert outsider_client.get(f"/postmortems/{postmortem.pk}/slack-import/").status_code == 404


def test_another_persons_upload_is_not_found(alice_client, manager, login, client, postmortem):
    upload_row = SlackImport.objects.create(
        postmortem=postmortem, created_by=manager, pasted_text="[10:00] x: y"
    )
    url = f"/postmortems/{postmortem.pk}/slack-import/{upload_row.pk}/"
    assert alice_client.get(url).status_code == 404


def test_importing_the_same_messages_again_skips_them_and_says_how_many(
    alice_client, postmortem, export_bytes
):
    pick_url = upload(alice_client, postmortem, export_bytes)
    rows = alice_client.get(pick_url, WINDOW).context["preview"].rows
    parent, reply, other = rows[0].message, rows[1].message, rows[3].message
    alice_client.post(pick_url, {**WINDOW, "pick": [parent.ts, reply.ts]})

    pick_url = upload(alice_client, postmortem, export_bytes)
    page = alice_client.get(pick_url, WINDOW)
    assert [row.imported for row in page.context["preview"].rows[:4]] == [True, True, False, False]
    assert "already imported" in page.content.decode()
    answer = alice_client.post(
        pick_url, {**WINDOW, "pick": [parent.ts, reply.ts, other.ts]}, follow=True
    )
    assert (
        "1 timeline event imported from Slack. 2 messages were skipped: they were already "
        "imported." in answer.content.decode()
    )
    assert postmortem.timeline_events.count() == 2


def test_ticking_only_imported_messages_shows_why_nothing_was_imported(
    alice_client, postmortem, export_bytes
):
    pick_url = upload(alice_client, postmortem, export_bytes)
    ts = alice_client.get(pick_url, WINDOW).context["preview"].rows[0].message.ts
    alice_client.post(pick_url, {**WINDOW, "pick": [ts]})

    pick_url = upload(alice_client, postmortem, export_bytes)
    answer = alice_client.post(pick_url, {**WINDOW, "pick": [ts]})
    assert answer.status_code == 400
    assert "Nothing imported: the ticked message is already on the timeline." in (
        answer.content.decode()
    )
    assert postmortem.timeline_events.count() == 1
