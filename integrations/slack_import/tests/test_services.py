import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.models import SlackImport, SlackImportedMessage
from integrations.slack_import import services
from postmortems.models import TimelineEvent
from tests.factories import PostmortemFactory

from .export_factory import START, write_export


def test_uploads_older_than_a_day_are_deleted_with_their_files(team, alice, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    postmortem = PostmortemFactory(team=team)
    old = services.slack_import_start(
        postmortem=postmortem, by=alice, archive=ContentFile(b"zip", name="x.zip")
    )
    path = old.archive.path
    SlackImport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    fresh = SlackImport.objects.create(postmortem=postmortem, created_by=alice, pasted_text="x")
    assert services.slack_imports_discard_stale() == 1
    assert list(SlackImport.objects.all()) == [fresh]
    assert not (tmp_path / "uploads").joinpath(path).exists()


# --- Importing is idempotent: a message reaches a postmortem's timeline once ------------------


WINDOW = {
    "start": START,
    "end": START + datetime.timedelta(minutes=29),
    "tz": datetime.UTC,
}
PASTE = "[00:01] carol: the pager fired\n[00:05] dave: rolled back\n[00:09] carol: errors gone"


def _paste(postmortem, by, text=PASTE):
    return SlackImport.objects.create(
        postmortem=postmortem, created_by=by, pasted_text=text, first_day=START.date()
    )


def _commit(upload, by, picks, channel="pasted"):
    return services.slack_import_commit(
        slack_import=upload, by=by, channel=channel, picks=picks, **WINDOW
    )


def test_pasting_the_same_lines_again_skips_the_ones_already_imported(team, alice):
    postmortem = PostmortemFactory(team=team)
    first = _commit(_paste(postmortem, alice), alice, {"paste-1": "detection"})
    assert (len(first), first.skipped) == (1, 0)

    again = _commit(
        _paste(postmortem, alice),
        alice,
        {"paste-1": "note", "paste-2": "repair", "paste-3": "note"},
    )
    assert (len(again), again.skipped) == (2, 1)
    texts = list(postmortem.timeline_events.order_by("occurred_at").values_list("text", flat=True))
    assert texts == [
        "**carol**: the pager fired",
        "**dave**: rolled back",
        "**carol**: errors gone",
    ]


def test_only_known_messages_ticked_imports_nothing_and_says_so(team, alice):
    postmortem = PostmortemFactory(team=team)
    _commit(_paste(postmortem, alice), alice, {"paste-1": "note", "paste-2": "note"})
    with pytest.raises(ValidationError) as exc:
        _commit(_paste(postmortem, alice), alice, {"paste-1": "note", "paste-2": "note"})
    assert exc.value.messages == [
        "Nothing imported: the 2 ticked messages are already on the timeline."
    ]
    assert postmortem.timeline_events.count() == 2


def test_a_pasted_line_with_other_text_at_the_same_time_is_a_new_message(team, alice):
    postmortem = PostmortemFactory(team=team)
    _commit(_paste(postmortem, alice), alice, {"paste-1": "note"})
    other = _commit(
        _paste(postmortem, alice, "[00:01] carol: a different line"), alice, {"paste-1": "note"}
    )
    assert (len(other), other.skipped) == (1, 0)


def test_the_same_messages_go_into_another_postmortem(team, alice):
    one, two = PostmortemFactory(team=team), PostmortemFactory(team=team)
    _commit(_paste(one, alice), alice, {"paste-1": "note"})
    into_two = _commit(_paste(two, alice), alice, {"paste-1": "note"})
    assert (len(into_two), into_two.skipped) == (1, 0)


def test_deleting_the_event_lets_the_message_be_imported_again(team, alice):
    postmortem = PostmortemFactory(team=team)
    (event,) = _commit(_paste(postmortem, alice), alice, {"paste-1": "note"})
    event.delete()
    assert not SlackImportedMessage.objects.exists()
    again = _commit(_paste(postmortem, alice), alice, {"paste-1": "note"})
    assert (len(again), again.skipped) == (1, 0)


def test_an_export_thread_is_remembered_message_by_message(team, alice, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    path = tmp_path / "export.zip"
    write_export(path, messages=60)
    postmortem = PostmortemFactory(team=team)
    upload = services.slack_import_start(
        postmortem=postmortem, by=alice, archive=ContentFile(path.read_bytes(), name="e.zip")
    )
    window = {"channel": "incident-42", **WINDOW}
    rows = services.slack_preview(upload, **window).rows
    parent, reply, other = rows[0].message, rows[1].message, rows[3].message
    assert reply.thread_ts == parent.ts
    (thread_event,) = _commit(upload, alice, {parent.ts: "note", reply.ts: "note"}, "incident-42")
    remembered = SlackImportedMessage.objects.filter(postmortem=postmortem)
    assert sorted(remembered.values_list("channel", "ts", "event")) == sorted(
        [("incident-42", parent.ts, thread_event.pk), ("incident-42", reply.ts, thread_event.pk)]
    )
    preview = services.slack_preview(upload, **window)
    assert [row.imported for row in preview.rows[:4]] == [True, True, False, False]

    again = _commit(upload, alice, {reply.ts: "note", other.ts: "note"}, "incident-42")
    assert (len(again), again.skipped) == (1, 1)
    assert TimelineEvent.objects.filter(postmortem=postmortem).count() == 2


def test_the_database_refuses_a_message_twice_in_one_postmortem(team, alice):
    postmortem = PostmortemFactory(team=team)
    (event,) = _commit(_paste(postmortem, alice), alice, {"paste-1": "note"})
    known = SlackImportedMessage.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        SlackImportedMessage.objects.create(
            postmortem=postmortem, channel=known.channel, ts=known.ts, event=event
        )
