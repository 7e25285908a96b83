"""Slack messages pasted as text: ``[10:02 AM] carol: text`` lines under day separators.

Day separators are the lines Slack shows between days: "Thursday, November 20th",
"November 20th, 2026", "2026-11-20", "Today", "Yesterday" (and Korean "11월 20일 목요일",
"오늘", "어제"). A line that is neither continues the message above. Times are read in the
author's zone, to the minute, as pasted text has no seconds.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from postmortems.timeline import ZoneError, localize

from .messages import Message

MAX_LINES = 20_000
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

_MESSAGE = re.compile(
    r"^\[(?:(?P<ko>오전|오후)\s*)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\]\s*(?P<author>[^:\n]{1,80}?)\s*:\s?(?P<text>.*)$"
)
_DECORATION = re.compile(r"^[\s\-—–─=*_]+|[\s\-—–─=*_]+$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_EN_DAY = re.compile(
    r"^(?:[A-Za-z]+,\s*)?(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?"
    r"(?:,?\s+(?P<year>\d{4}))?$"
)
_KO_DAY = re.compile(
    r"^(?:(?P<year>\d{4})년\s*)?(?P<month>\d{1,2})월\s*(?P<day>\d{1,2})일(?:\s*\S요일)?$"
)


@dataclass
class PasteResult:
    messages: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (line number, message)


def _day(line, today, default_year):
    text = _DECORATION.sub("", line).strip()
    lowered = text.casefold()
    if lowered in ("today", "오늘"):
        return today
    if lowered in ("yesterday", "어제"):
        return today - datetime.timedelta(days=1)
    match = _ISO_DAY.match(text)
    if match:
        return datetime.date(*(int(part) for part in match.groups()))
    match = _EN_DAY.match(text)
    if match and match["month"].casefold() in MONTHS:
        month = MONTHS[match["month"].casefold()]
        return datetime.date(int(match["year"] or default_year), month, int(match["day"]))
    match = _KO_DAY.match(text)
    if match:
        year = int(match["year"] or default_year)
        return datetime.date(year, int(match["month"]), int(match["day"]))
    return None


def _hour(match):
    hour = int(match["hour"])
    meridiem = (match["ampm"] or "").replace(".", "").casefold()
    if match["ko"]:
        meridiem = "am" if match["ko"] == "오전" else "pm"
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    return hour


def parse_paste(text, *, tz, first_day, today):
    """Messages of pasted Slack text; ``first_day`` holds lines above any day separator."""
    result = PasteResult()
    lines = (text or "").splitlines()
    if len(lines) > MAX_LINES:
        result.errors.append((MAX_LINES + 1, _("Paste at most %(n)d lines.") % {"n": MAX_LINES}))
        return result
    day, current = first_day, None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        match = _MESSAGE.match(line)
        if match is None:
            try:
                new_day = _day(line, today, day.year)
            except ValueError:
                result.errors.append((number, _("This day does not exist.")))
                continue
            if new_day is not None:
                day = new_day
                continue
            if current is None:
                result.errors.append(
                    (number, _("Start with a day or a message such as “[10:02 AM] carol: …”."))
                )
                continue
            # A line without a time continues the message above (Slack wraps long ones).
            current = _extend(current, line)
            result.messages[-1] = current
            continue
        try:
            wall = datetime.datetime.combine(
                day, datetime.time(_hour(match), int(match["minute"]), int(match["second"] or 0))
            )
            at = localize(wall, tz)
        except ZoneError as exc:
            result.errors.append((number, str(exc)))
            continue
        except ValueError:
            result.errors.append((number, _("This is not a time of day.")))
            continue
        current = Message(
            ts=f"paste-{number}",
            at=at,
            user_id="",
            author=match["author"].strip(),
            text=match["text"].strip(),
        )
        result.messages.append(current)
    if not result.messages and not result.errors:
        result.errors.append((0, _("No messages found.")))
    return result


def _extend(message, line):
    from dataclasses import replace

    return replace(message, text=f"{message.text}\n{line}" if message.text else line)
