"""The paste-import parser: one timeline event a line.

Pure functions: no database, no request. Times without an offset are read in the zone the
caller passes (the author's zone); a wall time that a DST change skipped or repeated is
refused with a reason instead of being guessed.
"""

import datetime
import functools
import re
import zoneinfo
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..bounds import date_bounds_error
from ..models import TimelineEvent

MAX_IMPORT_LINES = 1000

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# "2026-11-20" (also 2026/11/20, 2026.11.20), "Dec 2, 2026", "2 Dec 2026"
_DATE = (
    r"(?P<date>\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    rf"|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}})"
)
# "14:03", "14:03:07.5", "9:30 AM", "9:30pm"
_TIME = (
    r"(?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?"
    r"(?:\s?(?i:[ap]\.?m\.?)(?=[\s\]]|$))?)"
)
# "Z", "UTC", "GMT", "+09:00", "-0500"; an IANA name ("Asia/Seoul") is recognised
# separately, only when it is a real zone, so text such as "CI/CD failed" stays text.
_ZONE = r"(?P<zone>Z|(?i:utc|gmt)|[+-]\d{2}:?\d{2})"
_REST = r"(?:\s+(?P<rest>.*))?"
_DATED = re.compile(rf"^{_DATE}(?:T|,?\s+(?:at\s+)?){_TIME}(?:\s*{_ZONE}(?=\s|$))?{_REST}$")
_TIME_ONLY = re.compile(rf"^{_TIME}(?:\s*{_ZONE}(?=\s|$))?{_REST}$")
# Slack's "Copy" of messages: "[10:02 AM] carol: text" (also "[10:02] carol: text").
_SLACK = re.compile(rf"^\[{_TIME}\]\s*(?P<who>[^:\]]{{1,80}}):\s*(?P<rest>.*)$")
# A line earlier than the one before by more than this is taken as the next day (a paste
# that runs past midnight: 23:50, then 00:10); a smaller step back is a mistake to fix.
ROLLOVER_GAP = datetime.timedelta(hours=12)
_KIND_PREFIX = re.compile(r"^\[(?P<word>[^\]]{1,40})\]\s*(?P<text>.*)$")
# A list pasted from a doc or chat: "- 2026-11-20 14:03 text", "• 14:10 text".
_BULLET = re.compile(r"^[-*•]\s+")
# "14:03 - text", "14:03 | text", "14:03: text"
_SEPARATOR = re.compile(r"^(?:[-–—|:]\s*)")


@dataclass(frozen=True)
class ParsedEvent:
    line_no: int
    occurred_at: datetime.datetime
    kind: str
    text: str

    @property
    def kind_label(self):
        return TimelineEvent.Kind(self.kind).label


@dataclass(frozen=True)
class LineError:
    line_no: int
    line: str
    message: str


@dataclass
class ParseResult:
    events: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return bool(self.events) and not self.errors


class ZoneError(ValueError):
    """A wall time that does not exist, or exists twice, in a zone."""


def localize(naive, tz):
    """Attach ``tz`` to a naive wall time, refusing times a DST change skipped or repeated."""
    if not isinstance(tz, zoneinfo.ZoneInfo):
        return naive.replace(tzinfo=tz)
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        # In UTC, so arithmetic between results is real elapsed time (Python subtracts
        # two datetimes of the same ZoneInfo by wall clock).
        return first.astimezone(datetime.UTC)
    back = first.astimezone(datetime.UTC).astimezone(tz).replace(tzinfo=None)
    if back != naive:
        raise ZoneError(
            _("%(time)s does not exist in %(zone)s (the clocks moved forward).")
            % {"time": naive.strftime("%Y-%m-%d %H:%M"), "zone": tz.key}
        )
    raise ZoneError(
        _(
            "%(time)s happened twice in %(zone)s (the clocks moved back); "
            "add the offset, e.g. %(first)s or %(second)s."
        )
        % {
            "time": naive.strftime("%Y-%m-%d %H:%M"),
            "zone": tz.key,
            "first": first.isoformat(timespec="minutes"),
            "second": second.isoformat(timespec="minutes"),
        }
    )


def _zone(name):
    if name is None:
        return None
    if name.upper() in {"Z", "UTC", "GMT"}:
        return datetime.UTC
    if name[0] in "+-":
        digits = name[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:])
        if hours > 23 or minutes > 59:
            raise ValueError(_("%(offset)s is not a valid UTC offset.") % {"offset": name})
        delta = datetime.timedelta(hours=hours, minutes=minutes)
        return datetime.timezone(-delta if name[0] == "-" else delta)
    return zoneinfo.ZoneInfo(name)


@functools.cache
def _zone_names():
    return frozenset(zoneinfo.available_timezones())


def _leading_zone_name(rest):
    """``"Asia/Seoul text"`` -> ``("Asia/Seoul", "text")``; otherwise ``(None, rest)``."""
    parts = rest.split(None, 1)
    if parts and "/" in parts[0] and parts[0] in _zone_names():
        return parts[0], parts[1] if len(parts) > 1 else ""
    return None, rest


def _time(token):
    clock = re.match(r"[\d:.]+", token).group(0).rstrip(".")
    suffix = token[len(clock) :].replace(".", "").strip().lower()
    half = suffix if suffix in ("am", "pm") else None
    parts = clock.split(":")
    hour, minute = int(parts[0]), int(parts[1])
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(_("%(time)s is not a valid time of day.") % {"time": token})
        hour = hour % 12 + (12 if half == "pm" else 0)
    second, micro = 0, 0
    if len(parts) == 3:
        whole, _dot, fraction = parts[2].partition(".")
        second = int(whole)
        micro = int(fraction.ljust(6, "0")) if fraction else 0
    try:
        return datetime.time(hour, minute, second, micro)
    except ValueError:
        raise ValueError(_("%(time)s is not a valid time of day.") % {"time": token}) from None


def _date(token):
    try:
        if token[:4].isdigit():
            year, month, day = (int(p) for p in re.split(r"[-/.]", token))
        else:
            words = token.replace(",", " ").replace(".", " ").split()
            if words[0].isdigit():  # "2 Dec 2026"
                words[0], words[1] = words[1], words[0]
            month = _MONTHS.index(words[0][:3].lower()) + 1
            day, year = int(words[1]), int(words[2])
        value = datetime.date(year, month, day)
    except ValueError:
        raise ValueError(_("%(date)s is not a real date.") % {"date": token}) from None
    # Year 1 or 9999 would overflow when converted to UTC.
    if message := date_bounds_error(value):
        raise ValueError(message)
    return value


def _kind_words():
    words = {}
    for value, label in TimelineEvent.Kind.choices:
        for word in (value, value.replace("_", " "), value.replace("_", "-"), str(label)):
            words[word.casefold()] = value
    return words


def split_kind(text):
    """``"[detection] Alert fired"`` -> ``("detection", "Alert fired")``.

    An unknown word in brackets is ordinary text ("[EU] checkout down"), not an error.
    """
    match = _KIND_PREFIX.match(text)
    if match:
        word = " ".join(match["word"].split()).casefold()
        kind = _kind_words().get(word)
        if kind:
            return kind, match["text"].strip()
    return TimelineEvent.Kind.NOTE, text


def parse_timeline(text, tz, *, first_day=None):
    """Parse pasted lines into events; every bad line gets an error with its number, and
    the good lines are still returned (the author may import them and fix the rest).

    Accepted, one event a line (blank lines are skipped):

    - ``2026-11-20 14:03 UTC  text`` (also ``GMT``, ``Z``, ``+09:00``, ``Asia/Seoul``)
    - ``2026-11-20T14:03:00+09:00 text`` (ISO 8601)
    - ``2026-11-20 14:03 text`` — read in ``tz``, the author's zone
    - ``Dec 2, 2026 9:30 AM text``, ``2 Dec 2026 21:30 text``, ``2026/12/02 9:30 pm text``
    - ``14:10 text`` — same date (and zone) as the line before; a time more than
      ``ROLLOVER_GAP`` earlier than the line before is the next day (past midnight)
    - Slack's copied messages: ``[10:02 AM] carol: text`` (kept as ``carol: text``)
    - an optional kind after the time: ``14:10 [detection] Alert fired``
    - list bullets (``-``, ``*``, ``•``) before the time are ignored

    A time before any dated line is on ``first_day`` (the incident's start day) when given.
    """
    result = ParseResult()
    lines = (text or "").splitlines()
    if len(lines) > MAX_IMPORT_LINES:
        result.errors.append(
            LineError(
                MAX_IMPORT_LINES + 1,
                lines[MAX_IMPORT_LINES],
                _("At most %(count)d lines can be imported at once.") % {"count": MAX_IMPORT_LINES},
            )
        )
        return result
    # (date, zone, naive wall time) of the last good line
    last = (first_day, None, None) if first_day else None
    for number, raw in enumerate(lines, start=1):
        line = _BULLET.sub("", raw.strip(), count=1)
        if not line:
            continue
        try:
            event, last = _parse_line(number, line, last, tz)
        except ValueError as exc:
            result.errors.append(LineError(number, raw, str(exc)))
            continue
        result.events.append(event)
    if not result.events and not result.errors:
        result.errors.append(LineError(0, "", _("Paste at least one line.")))
    return result


def _parse_line(number, line, last, tz):
    dated = _DATED.match(line)
    slack = None if dated else _SLACK.match(line)
    if dated:
        day = _date(dated["date"])
        zone = _zone(dated["zone"])
        match = dated
    else:
        match = slack or _TIME_ONLY.match(line)
        if not match:
            raise ValueError(
                _(
                    "Start the line with a date and time (2026-11-20 14:03) "
                    "or a time (14:03) continuing the date above."
                )
            )
        if last is None:
            raise ValueError(_("A time alone needs a full date on an earlier line."))
        day, last_zone, last_wall = last
        zone = _zone(match["zone"]) if not slack and match["zone"] else last_zone
    rest = (match["rest"] or "").strip()
    if slack:
        rest = f"{slack['who'].strip()}: {rest}" if rest else ""
    elif not match["zone"]:
        name, rest = _leading_zone_name(rest)
        if name:
            zone = _zone(name)
    wall = datetime.datetime.combine(day, _time(match["time"]))
    if not dated and last_wall is not None and last_wall - wall > ROLLOVER_GAP:
        day += datetime.timedelta(days=1)
        wall += datetime.timedelta(days=1)
    elif not dated and last_wall is not None and wall < last_wall:
        raise ValueError(
            _(
                "%(time)s is earlier than the line before; if the day changed, "
                "write the full date (%(example)s)."
            )
            % {
                "time": match["time"],
                "example": (day + datetime.timedelta(days=1)).isoformat() + " " + match["time"],
            }
        )
    occurred_at = localize(wall, zone or tz)
    rest = _SEPARATOR.sub("", rest, count=1).strip()
    kind, body = split_kind(rest)
    if not body:
        raise ValueError(_("There is no text after the time."))
    return ParsedEvent(number, occurred_at, kind, body), (day, zone, wall)
