"""A Slack message as the import sees it, and Slack's markup made readable."""

import datetime
import html
import re
from dataclasses import dataclass, field

# Channel housekeeping that says nothing about the incident.
SKIPPED_SUBTYPES = frozenset(
    {
        "channel_join",
        "channel_leave",
        "channel_topic",
        "channel_purpose",
        "channel_name",
        "channel_archive",
        "channel_unarchive",
        "group_join",
        "group_leave",
        "pinned_item",
        "unpinned_item",
        "tombstone",
    }
)

_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")


@dataclass(frozen=True)
class SlackUser:
    id: str
    name: str = ""
    real_name: str = ""
    display_name: str = ""
    bot: bool = False

    @property
    def label(self):
        return self.display_name or self.real_name or self.name or self.id


@dataclass(frozen=True)
class Message:
    ts: str  # Slack's id of the message: "<unix seconds>.<micro>"
    at: datetime.datetime  # exact, UTC
    user_id: str
    author: str
    text: str
    thread_ts: str = ""
    bot: bool = False
    edited: bool = False
    files: tuple = field(default_factory=tuple)

    @property
    def is_reply(self):
        return bool(self.thread_ts) and self.thread_ts != self.ts

    @property
    def thread_key(self):
        return self.thread_ts or self.ts


def ts_to_datetime(ts):
    seconds, _dot, micro = str(ts).partition(".")
    moment = datetime.datetime.fromtimestamp(int(seconds), tz=datetime.UTC)
    return moment.replace(microsecond=int(micro.ljust(6, "0")[:6]) if micro else 0)


def readable(text, users):
    """Slack's mrkdwn escapes and links -> plain text with Markdown links."""

    def link(match):
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            user = users.get(target[1:])
            return "@" + (label or (user.label if user else target[1:]))
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            return "@" + (label or target[1:].split("^")[0])
        if target.startswith(("http://", "https://")):
            return f"[{label}]({target})" if label else target
        return label or target

    # PostgreSQL text cannot hold NUL characters; a JSON export can.
    return html.unescape(_LINK.sub(link, text or "")).replace("\x00", "")


def from_export(raw, users):
    """A message of a Slack export's day file -> Message, or None for housekeeping."""
    if not isinstance(raw, dict) or raw.get("type", "message") != "message":
        return None
    subtype = raw.get("subtype") or ""
    ts = raw.get("ts")
    if subtype in SKIPPED_SUBTYPES or not isinstance(ts, str):
        return None
    try:
        at = ts_to_datetime(ts)
    except (ValueError, OverflowError, OSError):
        return None
    user_id = raw.get("user") or raw.get("bot_id") or ""
    user = users.get(user_id)
    profile = raw.get("user_profile") if isinstance(raw.get("user_profile"), dict) else {}
    bot = subtype == "bot_message" or bool(raw.get("bot_id")) or bool(user and user.bot)
    author = (
        (user.label if user else "")
        or profile.get("display_name")
        or profile.get("real_name")
        or raw.get("username")
        or user_id
        or "?"
    )
    files = tuple(
        str(f.get("name") or f.get("title") or "file")
        for f in raw.get("files") or ()
        if isinstance(f, dict)
    )
    return Message(
        ts=ts,
        at=at,
        user_id=user_id,
        author=str(author).replace("\x00", ""),
        text=readable(str(raw.get("text") or ""), users),
        thread_ts=str(raw.get("thread_ts") or ""),
        bot=bot,
        edited=isinstance(raw.get("edited"), dict),
        files=files,
    )
