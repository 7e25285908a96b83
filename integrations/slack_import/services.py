"""Slack messages into a postmortem's timeline: upload, preview, import."""

import datetime
import hashlib
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integrations.models import SlackImport, SlackImportedMessage
from postmortems.language import find_blame
from postmortems.models import Postmortem
from postmortems.selectors import lint_people
from postmortems.services import timeline_import

from .authors import author_key, match_authors
from .export import ExportError, SlackExport
from .paste import parse_paste

logger = logging.getLogger(__name__)

PREVIEW_LIMIT = 1000
PASTE_CHANNEL = "pasted"
# Keys asked for in one query (SQLite's default cap on parameters is 999).
KEY_BATCH = 500


def slack_import_start(*, postmortem, by, archive=None, text="", first_day=None):
    """Keep an upload until it is imported; the user's earlier uploads for this
    postmortem are dropped (one pending import per person and postmortem)."""
    for old in SlackImport.objects.filter(postmortem=postmortem, created_by=by):
        slack_import_discard(slack_import=old)
    upload = SlackImport(
        postmortem=postmortem,
        created_by=by,
        pasted_text="" if archive else text,
        first_day=first_day,
    )
    if archive is not None:
        upload.archive.save(f"{postmortem.pk}-{by.pk}.zip", archive, save=False)
    with transaction.atomic():
        upload.save()
    return upload


def slack_import_discard(*, slack_import):
    if slack_import.archive:
        slack_import.archive.delete(save=False)
    slack_import.delete()


def slack_imports_discard_stale(*, older_than=datetime.timedelta(days=1)):
    """Uploads nobody imported: their files are deleted with them. Returns how many."""
    stale = list(SlackImport.objects.filter(created_at__lt=timezone.now() - older_than))
    for upload in stale:
        slack_import_discard(slack_import=upload)
    return len(stale)


def channels(slack_import):
    if slack_import.is_paste:
        return [PASTE_CHANNEL]
    with SlackExport(slack_import.archive.path) as export:
        return export.channels()


def _messages(slack_import, channel, start, end, tz):
    """The messages of ``channel`` between ``start`` and ``end``; raises ExportError."""
    if slack_import.is_paste:
        parsed = parse_paste(
            slack_import.pasted_text,
            tz=tz,
            first_day=slack_import.first_day or timezone.localdate(),
            today=timezone.localdate(timezone=tz),
        )
        for message in parsed.messages:
            if start <= message.at <= end:
                yield message
        return
    with SlackExport(slack_import.archive.path) as export:
        yield from export.messages(channel, start, end)


def _grouped(messages):
    """Messages ordered by thread: a thread's replies right after their parent."""
    threads = {}
    for message in messages:
        threads.setdefault(message.thread_key, []).append(message)
    ordered = sorted(threads.values(), key=lambda group: min(m.at for m in group))
    return [sorted(group, key=lambda m: (m.is_reply, m.at)) for group in ordered]


def _channel(slack_import, channel):
    return PASTE_CHANNEL if slack_import.is_paste else channel[:255]


def message_key(slack_import, message):
    """What makes a message the same one in a later import: Slack's ``ts`` (unique in its
    channel); pasted lines have none, so a digest of their time, author and text."""
    if slack_import.is_paste:
        seen = f"{message.at.isoformat()}|{message.author}|{message.text}"
        return "paste:" + hashlib.sha256(seen.encode()).hexdigest()[:48]
    if len(message.ts) > 64:
        return "sha256:" + hashlib.sha256(message.ts.encode()).hexdigest()[:56]
    return message.ts


def imported_keys(slack_import, channel, messages):
    """The keys of ``messages`` that are already on the postmortem's timeline."""
    keys = list({message_key(slack_import, m) for m in messages})
    found = set()
    for start in range(0, len(keys), KEY_BATCH):
        found.update(
            SlackImportedMessage.objects.filter(
                postmortem_id=slack_import.postmortem_id,
                channel=_channel(slack_import, channel),
                ts__in=keys[start : start + KEY_BATCH],
            ).values_list("ts", flat=True)
        )
    return found


@dataclass
class PreviewRow:
    message: object
    user: object  # the Hindsight user the author matched, or None
    findings: list
    imported: bool = False  # already on the timeline (an import would skip it)


@dataclass
class Preview:
    rows: list = field(default_factory=list)
    total: int = 0

    @property
    def truncated(self):
        return self.total > len(self.rows)


def slack_preview(slack_import, *, channel, start, end, tz):
    """The first ``PREVIEW_LIMIT`` messages of the window (threads together), authors matched
    and the blame check run on each; ``total`` counts every message in the window."""
    kept, total = [], 0
    try:
        for message in _messages(slack_import, channel, start, end, tz):
            total += 1
            if len(kept) < PREVIEW_LIMIT:
                kept.append(message)
    except ExportError as exc:
        raise ValidationError(str(exc)) from None
    users = match_authors(kept)
    people = lint_people()
    done = imported_keys(slack_import, channel, kept)
    preview = Preview(total=total)
    for group in _grouped(kept):
        for message in group:
            preview.rows.append(
                PreviewRow(
                    message,
                    users.get(author_key(message)),
                    find_blame(message.text, people=people),
                    message_key(slack_import, message) in done,
                )
            )
    return preview


@dataclass(frozen=True)
class _Event:
    occurred_at: datetime.datetime
    kind: str
    text: str
    source: str


def _line(message, users):
    user = users.get(author_key(message))
    name = (user.get_full_name() or user.get_username()) if user else message.author
    text = message.text
    if message.files:
        text = (text + " " if text else "") + _("(files: %(names)s)") % {
            "names": ", ".join(message.files)
        }
    suffix = _(" (bot)") if message.bot else ""
    return f"**{name}**{suffix}: {text}"


class ImportResult(list):
    """The new timeline events, and ``skipped``: how many ticked messages were already
    imported into this postmortem."""

    def __init__(self, created, skipped):
        super().__init__(created)
        self.skipped = skipped


def slack_import_commit(*, slack_import, by, channel, start, end, tz, picks):
    """Import the ticked messages (``picks``: {ts: timeline kind}) as timeline events.

    A thread stays together: its ticked messages become one event at the first one's exact
    time, the replies below it with their delay. A message already imported into this
    postmortem (same channel and ts) is skipped and counted, never imported twice. All or
    nothing; the upload is dropped after.
    """
    chosen = []
    try:
        for message in _messages(slack_import, channel, start, end, tz):
            if message.ts in picks:
                chosen.append(message)
    except ExportError as exc:
        raise ValidationError(str(exc)) from None
    if not chosen:
        raise ValidationError(_("Tick at least one message."))
    postmortem = slack_import.postmortem
    stored_channel = _channel(slack_import, channel)
    try:
        with transaction.atomic():
            # One import of a postmortem at a time, so two cannot both see a message as new.
            list(Postmortem.objects.select_for_update().filter(pk=postmortem.pk).values_list("pk"))
            done = imported_keys(slack_import, channel, chosen)
            fresh = [m for m in chosen if message_key(slack_import, m) not in done]
            skipped = len(chosen) - len(fresh)
            if not fresh:
                raise ValidationError(
                    ngettext(
                        "Nothing imported: the ticked message is already on the timeline.",
                        "Nothing imported: the %(count)d ticked messages are already on the "
                        "timeline.",
                        skipped,
                    )
                    % {"count": skipped}
                )
            groups, events = _events(slack_import, channel, fresh, picks)
            created = timeline_import(postmortem=postmortem, by=by, events=events)
            SlackImportedMessage.objects.bulk_create(
                SlackImportedMessage(
                    postmortem=postmortem,
                    channel=stored_channel,
                    ts=message_key(slack_import, message),
                    event=event,
                )
                for group, event in zip(groups, created, strict=True)
                for message in group
            )
            transaction.on_commit(lambda: slack_import_discard(slack_import=slack_import))
    except IntegrityError:
        # Another import of the same messages committed first (SQLite does not lock rows).
        raise ValidationError(
            _("These messages were just imported by someone else; look at the timeline.")
        ) from None
    logger.info(
        "postmortem %s: %s Slack messages imported as %s events by %s (%s already there)",
        slack_import.postmortem_id,
        len(fresh),
        len(events),
        by,
        skipped,
    )
    return ImportResult(created, skipped)


def _events(slack_import, channel, messages, picks):
    """(message groups, one timeline event each): a thread's messages together."""
    users = match_authors(messages)
    source = f"Slack #{channel}" if not slack_import.is_paste else "Slack"
    groups = _grouped(messages)
    events = []
    for group in groups:
        first = group[0]
        lines = [_line(first, users)]
        for reply in group[1:]:
            minutes = int((reply.at - first.at).total_seconds() // 60)
            lines.append(f"↳ (+{minutes} min) {_line(reply, users)}")
        events.append(_Event(first.at, picks[first.ts], "\n\n".join(lines), source))
    return groups, events
