"""Writes a Slack workspace export zip shaped like Slack's: users.json, channels.json and a
folder per channel with one JSON array per day. Streams as it writes, so the benchmark's
100k-message export costs no memory to make.

Per channel, message ``j`` (one a minute from ``start``) is:
  j % 10 == 0: a thread parent with two replies (j + 1 and j + 2)
  j % 25 == 3: edited;       j % 40 == 5: from a bot;      j % 50 == 7: shares a file
  j % 30 == 4: mentions alice;  j % 100 == 99: a channel_join (not a message to import)
"""

import datetime
import json
import random
import zipfile
from dataclasses import dataclass, field

START = datetime.datetime(2026, 11, 20, 0, 0, tzinfo=datetime.UTC)
CHANNELS = ("incident-42", "general", "deploys")
USERS = [
    {"id": "U0ALICE", "name": "alice", "real_name": "Alice Kim", "profile": {"display_name": ""}},
    {"id": "U0BOB", "name": "bob", "real_name": "Bob Lee", "profile": {"display_name": "bob"}},
    {
        "id": "U0CAROL",
        "name": "carol",
        "real_name": "Carol Diaz",
        "profile": {"display_name": "carol"},
    },
    {"id": "U0DEPLOY", "name": "deploybot", "is_bot": True, "profile": {}},
]
AUTHORS = ("U0ALICE", "U0BOB", "U0CAROL")
WORDS = [
    "checkout",
    "latency",
    "error",
    "rate",
    "rollback",
    "deploy",
    "canary",
    "cache",
    "node",
    "database",
    "replica",
    "failover",
    "alert",
    "pager",
    "dashboard",
    "graph",
    "p99",
    "timeout",
    "retry",
    "queue",
    "backlog",
    "worker",
    "config",
    "flag",
    "region",
    "traffic",
    "load",
    "balancer",
    "upstream",
    "vendor",
    "ticket",
    "runbook",
]


@dataclass
class ExportSummary:
    path: object
    messages: int = 0
    # per channel: importable messages (everything but joins), with their ts
    importable: dict = field(default_factory=dict)


def ts_of(moment):
    return f"{int(moment.timestamp())}.{moment.microsecond:06d}"


def message(channel, j, moment, filler=0):
    ts = ts_of(moment)
    author = AUTHORS[j % len(AUTHORS)]
    raw = {"type": "message", "user": author, "text": f"{channel} update {j}", "ts": ts}
    kind = j % 10
    if kind == 0:
        raw["thread_ts"] = ts
        raw["reply_count"] = 2
        raw["replies"] = [
            {"user": AUTHORS[(j + n) % 3], "ts": ts_of(moment + datetime.timedelta(minutes=n))}
            for n in (1, 2)
        ]
    elif kind in (1, 2):
        raw["thread_ts"] = ts_of(moment - datetime.timedelta(minutes=kind))
        raw["parent_user_id"] = AUTHORS[(j - kind) % 3]
        raw["text"] = f"reply {kind} in the thread of {j - kind}"
    if j % 25 == 3:
        raw["edited"] = {"user": author, "ts": ts_of(moment + datetime.timedelta(seconds=30))}
    if j % 40 == 5:
        raw = {
            "type": "message",
            "subtype": "bot_message",
            "bot_id": "B0DEPLOY",
            "username": "deploybot",
            "text": f"Deploy {j} finished &amp; healthy",
            "ts": ts,
        }
    if j % 50 == 7:
        raw["files"] = [{"id": f"F{j}", "name": f"graph-{j}.png", "title": "latency graph"}]
    if j % 30 == 4:
        raw["text"] = (
            f"<@U0ALICE> can you look at <https://grafana.example.com/d/1|the dashboard>? ({j})"
        )
    if filler and "text" in raw:
        words = random.Random(j).choices(WORDS, k=filler)
        raw["text"] += " — " + " ".join(words)
    if j % 100 == 99:
        raw = {
            "type": "message",
            "subtype": "channel_join",
            "user": author,
            "ts": ts,
            "text": f"<@{author}> has joined the channel",
        }
    return raw


def write_export(path, *, messages=10_000, channels=CHANNELS, start=START, filler=0):
    """``filler``: extra words a message (the benchmark's 100k messages at 60 words make a
    Slack-sized export: about 50 MB of JSON)."""
    summary = ExportSummary(path=path)
    per_channel = [messages // len(channels)] * len(channels)
    per_channel[0] += messages - sum(per_channel)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("users.json", json.dumps(USERS))
        archive.writestr(
            "channels.json",
            json.dumps([{"id": f"C{n}", "name": name} for n, name in enumerate(channels)]),
        )
        for channel, count in zip(channels, per_channel, strict=True):
            summary.importable[channel] = []
            day, handle, first = None, None, True
            for j in range(count):
                moment = start + datetime.timedelta(minutes=j)
                if moment.date() != day:
                    if handle:
                        handle.write(b"\n]")
                        handle.close()
                    day = moment.date()
                    handle = archive.open(f"{channel}/{day.isoformat()}.json", "w")
                    handle.write(b"[\n")
                    first = True
                raw = message(channel, j, moment, filler)
                handle.write((b"" if first else b",\n") + json.dumps(raw).encode())
                first = False
                summary.messages += 1
                if raw.get("subtype") != "channel_join":
                    summary.importable[channel].append(raw["ts"])
            if handle:
                handle.write(b"\n]")
                handle.close()
    return summary
