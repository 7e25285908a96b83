"""A postmortem's history, as the history page shows it: who changed what, with text diffs."""

import difflib
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Postmortem, Team
from .people import people_names

HISTORY_IGNORED = {"version", "created_by", "not_required_reason"}
PEOPLE_FIELDS = ("authors", "reviewers", "viewers")


def postmortem_history(postmortem: Postmortem, limit: int = 200) -> QuerySet[Any]:
    records: QuerySet[Any] = postmortem.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )[:limit]
    return records


def postmortem_history_people(records: list[Any]) -> dict[int, dict[str, set[int]]]:
    """{history_id: {"authors": {user ids}, "reviewers": …, "viewers": …}} for the given
    history records, in one query per field (the record-by-record diff would make one
    per record and field)."""
    history_ids = [record.history_id for record in records]
    people: dict[int, dict[str, set[int]]] = {history_id: {} for history_id in history_ids}
    for name in PEOPLE_FIELDS:
        through = apps.get_model("postmortems", f"HistoricalPostmortem_{name}")
        for history_id in history_ids:
            people[history_id][name] = set()
        rows = through.objects.filter(history_id__in=history_ids).values_list(
            "history_id", "user_id"
        )
        for history_id, user_id in rows:
            people[history_id][name].add(user_id)
    return people


def readable_value(name: str, value: Any, teams: dict[int, str]) -> str:
    """A field's value as a reader sees it (choice labels, team names, zoned times)."""
    if value in (None, ""):
        return "—"
    if name == "team":
        return teams.get(value, f"#{value}")
    field = Postmortem._meta.get_field(name)
    if getattr(field, "choices", None):
        return str(dict(getattr(field, "flatchoices")).get(value, value))  # noqa: B009
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z")
    return str(value)


def text_diff(old: str | None, new: str | None) -> list[str]:
    """Changed lines of a section with one line of context; hunk headers become "…"."""
    lines = list(
        difflib.unified_diff((old or "").splitlines(), (new or "").splitlines(), lineterm="", n=1)
    )[2:]  # the "---"/"+++" file headers
    return ["…" if line.startswith("@@") else line for line in lines][1:]


def _people(user_ids: set[int], names: dict[int, str]) -> str:
    return ", ".join(sorted(names.get(pk, f"#{pk}") for pk in user_ids)) or "—"


def _label(name: str) -> str:
    return str(getattr(Postmortem._meta.get_field(name), "verbose_name", name))


def _changes(
    record: Any,
    previous: Any,
    people: dict[int, dict[str, set[int]]],
    names: dict[int, str],
    teams: dict[int, str],
) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    delta = record.diff_against(previous, excluded_fields=HISTORY_IGNORED | set(PEOPLE_FIELDS))
    for change in delta.changes:
        label = _label(change.field)
        if change.field in Postmortem.SECTIONS:
            changes.append({"label": label, "diff": text_diff(change.old, change.new)})
        else:
            changes.append(
                {
                    "label": label,
                    "old": readable_value(change.field, change.old, teams),
                    "new": readable_value(change.field, change.new, teams),
                }
            )
    now, before = people[record.history_id], people[previous.history_id]
    for name in PEOPLE_FIELDS:
        if now[name] != before[name]:
            changes.append(
                {
                    "label": _label(name),
                    "old": _people(before[name], names),
                    "new": _people(now[name], names),
                }
            )
    return changes


def postmortem_history_entries(postmortem: Postmortem) -> list[dict[str, Any]]:
    """The history page's entries, newest first: each record with what changed since the
    one before it (the oldest is the creation)."""
    records = list(postmortem_history(postmortem))
    people = postmortem_history_people(records)
    teams = dict(Team.objects.values_list("pk", "name"))
    names = people_names(
        user_id
        for fields in people.values()
        for user_ids in fields.values()
        for user_id in user_ids
    )
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = [] if previous is None else _changes(record, previous, people, names, teams)
        entries.append({"record": record, "changes": changes, "created": previous is None})
    return entries
