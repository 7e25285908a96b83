"""What a receiver makes of one delivery: an ``IncidentUpdate`` with its log entries.

Receivers (one module per tool) turn the tool's JSON into these plain objects and raise
``PayloadError`` with a message for the sender when the JSON is not what the tool sends.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.utils.dateparse import parse_datetime

# Alertmanager and Grafana say "not ended yet" with Go's zero time.
GO_ZERO_TIME_YEAR = 1


class PayloadError(ValueError):
    """The delivery is not shaped like the tool's webhooks; the message says what is wrong."""


@dataclass(frozen=True)
class LogEntry:
    key: str  # the tool's event id, or a digest of what makes the event unique
    kind: str  # AlertLogEntry.Kind value
    occurred_at: datetime.datetime
    text: str


@dataclass
class IncidentUpdate:
    external_id: str
    title: str
    url: str = ""
    vendor_severity: str = ""
    # When the tool says the incident began (every delivery repeats it, so a resolve that
    # arrives first still knows the start).
    started_at: datetime.datetime | None = None
    entries: list = field(default_factory=list)
    # Tools that group alerts (Alertmanager, Grafana) say the group's status outright:
    # (AlertIncident.Status value, when). Others leave it None and the entries decide.
    status: tuple | None = None


def require(mapping, key, kind=None, where=""):
    """``mapping[key]``, or PayloadError naming the missing or mistyped field."""
    name = f"{where}.{key}" if where else key
    if not isinstance(mapping, dict) or key not in mapping or mapping[key] is None:
        raise PayloadError(f"missing field {name}")
    value = mapping[key]
    if kind is not None and not isinstance(value, kind):
        raise PayloadError(f"field {name} has the wrong type")
    return value


def optional_dict(mapping, key):
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value if isinstance(value, dict) else {}


def optional_str(mapping, key, default=""):
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value if isinstance(value, str) else default


def timestamp(value, name):
    """An RFC 3339 string -> aware UTC datetime; None for Go's zero time."""
    if not isinstance(value, str):
        raise PayloadError(f"field {name} is not a timestamp")
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise PayloadError(f"field {name} is not an RFC 3339 timestamp: {value[:40]!r}")
    if parsed.year <= GO_ZERO_TIME_YEAR:
        return None
    return parsed.astimezone(datetime.UTC)


def epoch(value, name, unit_seconds):
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        raise PayloadError(f"field {name} is not a timestamp")
    try:
        return datetime.datetime.fromtimestamp(value * unit_seconds, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        raise PayloadError(f"field {name} is out of range") from None


def digest_key(*parts):
    """A stable key for an event the tool gives no id to."""
    raw = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def external_id(value, limit=255):
    """A vendor id that fits the column: a long one keeps its start and a digest of the whole,
    so two ids that differ only past the limit stay apart."""
    value = no_nul(value)
    if len(value) <= limit:
        return value
    return value[: limit - 41] + "~" + hashlib.sha256(value.encode()).hexdigest()[:40]


def no_nul(text):
    """PostgreSQL text cannot hold NUL characters; JSON can (``\\u0000``)."""
    return str(text).replace("\x00", "")


def clip(text, limit):
    text = " ".join(no_nul(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
