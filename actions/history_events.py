"""What happened to an action item, as stored in its history and as a reader sees it.

The history keeps a stable event word (``created``, ``blocked: <reason>``), not a sentence
in the language of whoever made the change: the page translates it for each reader, so a
Korean reader sees "생성" where an English one sees "Created". Rows written before this
stored the English sentence; those are recognised and translated too.
"""

from django.utils.translation import gettext_lazy as _

# event word -> how it reads; the ones with a reason take it as %(reason)s
EVENTS = {
    "created": _("Created"),
    "edited": _("Edited"),
    "started": _("Started"),
    "blocked": _("Blocked: %(reason)s"),
    "completed": _("Completed"),
    "wont_do": _("Won't do: %(reason)s"),
    "reopened": _("Reopened"),
    "reassigned": _("Reassigned in bulk"),
}
_LEGACY = {
    "Created": "created",
    "Edited": "edited",
    "Started": "started",
    "Completed": "completed",
    "Reopened": "reopened",
    "Reassigned in bulk": "reassigned",
}
_LEGACY_PREFIXES = {"Blocked: ": "blocked", "Won't do: ": "wont_do"}
# history_change_reason is a CharField(max_length=100)
MAX_LENGTH = 100


def stored(event: str, reason: str = "") -> str:
    """The text kept in the history row: ``"created"``, ``"blocked: waits for vendor"``."""
    if event not in EVENTS:
        raise ValueError(f"unknown action item event {event!r}")
    text = f"{event}: {reason}" if reason else event
    return text[:MAX_LENGTH]


def describe(text: str | None) -> str:
    """The reader's sentence for a stored event; unknown text is shown as it is."""
    if not text:
        return ""
    event, _sep, reason = text.partition(": ")
    if event in EVENTS:
        return str(EVENTS[event]) % {"reason": reason}
    if text in _LEGACY:
        return str(EVENTS[_LEGACY[text]])
    for prefix, legacy in _LEGACY_PREFIXES.items():
        if text.startswith(prefix):
            return str(EVENTS[legacy]) % {"reason": text[len(prefix) :]}
    return text
