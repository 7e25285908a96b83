"""Slack messages into a postmortem's timeline: upload, preview, import."""

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.models import SlackImport
from postmortems.language import find_blame
from postmortems.selectors import lint_people
from postmortems.services import timeline_import

from .authors import author_key, match_authors
from .export import ExportError, SlackExport
from .paste import parse_paste

logger = logging.getLogger(__name__)

PREVIEW_LIMIT = 1000
PASTE_CHANNEL = "pasted"


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


@dataclass
class PreviewRow:
    message: object
    user: object  # the Hindsight user the author matched, or None
    findings: list


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
    preview = Preview(total=total)
    for group in _grouped(kept):
        for message in group:
            preview.rows.append(
                PreviewRow(
                    message,
                    users.get(author_key(message)),
                    find_blame(message.text, people=people),
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


def slack_import_commit(*, slack_import, by, channel, start, end, tz, picks):
    """Import the ticked messages (``picks``: {ts: timeline kind}) as timeline events.

    A thread stays together: its ticked messages become one event at the first one's exact
    time, the replies below it with their delay. All or nothing; the upload is dropped after.
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
    users = match_authors(chosen)
    source = f"Slack #{channel}" if not slack_import.is_paste else "Slack"
    events = []
    for group in _grouped(chosen):
        first = group[0]
        lines = [_line(first, users)]
        for reply in group[1:]:
            minutes = int((reply.at - first.at).total_seconds() // 60)
            lines.append(f"↳ (+{minutes} min) {_line(reply, users)}")
        events.append(_Event(first.at, picks[first.ts], "\n\n".join(lines), source))
    with transaction.atomic():
        created = timeline_import(postmortem=slack_import.postmortem, by=by, events=events)
        transaction.on_commit(lambda: slack_import_discard(slack_import=slack_import))
    logger.info(
        "postmortem %s: %s Slack messages imported as %s events by %s",
        slack_import.postmortem_id,
        len(chosen),
        len(events),
        by,
    )
    return created
