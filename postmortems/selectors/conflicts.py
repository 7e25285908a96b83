"""What an edit conflict shows: a three-way comparison of the user's form, the version
they started from and the version saved meanwhile (the 409 page)."""

from dataclasses import dataclass, field
from typing import Any

from ..models import Postmortem
from ..services.authoring import POSTMORTEM_EDITABLE_FIELDS, POSTMORTEM_M2M_FIELDS
from .history import readable_value


@dataclass
class Conflict:
    merged: dict[str, Any]  # initial values for the form: theirs where only they changed
    sections: list[dict[str, Any]] = field(default_factory=list)  # both changed: side by side
    other_changes: list[dict[str, Any]] = field(default_factory=list)  # short fields they set
    editor: Any = None
    edited_at: Any = None


def _label(name: str) -> Any:
    return getattr(Postmortem._meta.get_field(name), "verbose_name", name)


def postmortem_conflict(current: Postmortem, mine: dict[str, Any], expected: int) -> Conflict:
    """Fields only the other person changed take their value, fields only this user
    changed keep the user's, and sections both changed are shown side by side."""
    base = current.history.filter(version=expected).order_by("-history_date", "-history_id").first()
    conflict = Conflict(merged={"version": current.version})
    for name in POSTMORTEM_EDITABLE_FIELDS:
        theirs = getattr(current, name)
        my_value = mine.get(name)
        base_value = getattr(base, name) if base is not None else None
        if name == "team":
            theirs, my_value = current.team_id, my_value.pk if my_value else None
            base_value = base.team_id if base is not None else None
        only_they_changed = base is not None and my_value == base_value
        only_i_changed = base is not None and theirs == base_value
        conflict.merged[name] = theirs if (my_value == theirs or only_they_changed) else my_value
        both_changed = my_value != theirs and not (only_they_changed or only_i_changed)
        if not both_changed:
            continue
        if name in Postmortem.SECTIONS:
            conflict.sections.append(
                {"name": name, "label": _label(name), "theirs": theirs, "mine": my_value}
            )
        else:
            # Short fields: the form keeps the user's value; say what the other person saved.
            shown = current.team.name if name == "team" else readable_value(name, theirs, {})
            conflict.other_changes.append({"label": _label(name), "theirs": shown})
    for name in POSTMORTEM_M2M_FIELDS:
        conflict.merged[name] = [person.pk for person in mine.get(name, [])]
    latest = current.history.select_related("history_user").order_by("-history_date").first()
    if latest is not None:
        conflict.editor, conflict.edited_at = latest.history_user, latest.history_date
    return conflict
