"""Reading a Slack workspace export (the standard zip) without loading it.

The zip has ``users.json``, ``channels.json`` and a folder per channel with a JSON array per
day (``incident-42/2026-11-20.json``). Only the day files that can hold the chosen window
are opened, and each is read message by message with ijson, so a 50 MB export with 100k
messages never sits in memory: what is held at once is one message and the user table.
"""

import datetime
import re
import zipfile

import ijson

from .messages import SlackUser, from_export

_DAY_FILE = re.compile(r"^(?P<channel>[^/]+)/(?P<day>\d{4}-\d{2}-\d{2})\.json$")


class ExportError(ValueError):
    """Not a Slack export; the message says why."""


class SlackExport:
    def __init__(self, path):
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError):
            raise ExportError("not a zip file") from None
        self._days = {}
        for name in self.zip.namelist():
            match = _DAY_FILE.match(name)
            if match:
                day = datetime.date.fromisoformat(match["day"])
                self._days.setdefault(match["channel"], []).append((day, name))
        if not self._days:
            raise ExportError("no channel folders with day files")
        self._users = None

    def close(self):
        self.zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def channels(self):
        return sorted(self._days)

    def users(self):
        if self._users is None:
            self._users = {}
            if "users.json" in self.zip.namelist():
                with self.zip.open("users.json") as handle:
                    for raw in ijson.items(handle, "item", use_float=True):
                        user = _user(raw)
                        if user:
                            self._users[user.id] = user
        return self._users

    def messages(self, channel, start=None, end=None):
        """The channel's messages with ``start <= at <= end`` (UTC), in time order per day.

        Day files are named by date in the workspace's zone, so a day on each side is read
        and the messages filtered by their exact time."""
        users = self.users()
        margin = datetime.timedelta(days=1)
        low = start.timestamp() if start is not None else float("-inf")
        high = end.timestamp() if end is not None else float("inf")
        for day, name in sorted(self._days.get(channel, ())):
            if start is not None and day < start.date() - margin:
                continue
            if end is not None and day > end.date() + margin:
                continue
            with self.zip.open(name) as handle:
                try:
                    for raw in list_items(handle):
                        # Cheap window check on the raw ts before building the message.
                        try:
                            seconds = float(raw["ts"])
                        except (TypeError, KeyError, ValueError):
                            continue
                        if not low <= seconds <= high:
                            continue
                        message = from_export(raw, users)
                        if (
                            message is not None
                            and (start is None or message.at >= start)
                            and (end is None or message.at <= end)
                        ):
                            yield message
                except (ijson.JSONError, zipfile.BadZipFile, EOFError) as exc:
                    raise ExportError(f"{name} is not valid JSON ({exc})") from None


def list_items(handle):
    return ijson.items(handle, "item", use_float=True)


def _user(raw):
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        return None
    profile = raw.get("profile") if isinstance(raw.get("profile"), dict) else {}
    return SlackUser(
        id=raw["id"],
        name=str(raw.get("name") or ""),
        real_name=str(raw.get("real_name") or profile.get("real_name") or ""),
        display_name=str(profile.get("display_name") or ""),
        bot=bool(raw.get("is_bot")),
    )
