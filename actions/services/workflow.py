"""The action-item status workflow, one item at a time or in bulk (team managers)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from postmortems.models import Membership
from postmortems.permissions import is_team_manager

from .. import history_events
from ..models import ActionItem
from .items import save_item

Status = ActionItem.Status

# action -> (statuses it may start from, status it leads to)
TRANSITIONS = {
    "start": ((Status.OPEN, Status.BLOCKED), Status.IN_PROGRESS),
    "block": ((Status.OPEN, Status.IN_PROGRESS), Status.BLOCKED),
    "complete": ((Status.OPEN, Status.IN_PROGRESS, Status.BLOCKED), Status.DONE),
    "wont_do": ((Status.OPEN, Status.IN_PROGRESS, Status.BLOCKED), Status.WONT_DO),
    "reopen": ((Status.DONE, Status.WONT_DO), Status.OPEN),
}


ACTION_LABELS = {
    "start": gettext_lazy("start"),
    "block": gettext_lazy("block"),
    "complete": gettext_lazy("complete"),
    "wont_do": gettext_lazy("mark as won't do"),
    "reopen": gettext_lazy("reopen"),
}


class TransitionError(ValidationError):
    """A status change the workflow does not allow from the item's current status."""


# --- Status workflow -------------------------------------------------------------------------


def _transition(item: ActionItem, action: str) -> ActionItem:
    sources, target = TRANSITIONS[action]
    if item.status not in sources:
        raise TransitionError(
            _("Cannot %(action)s an item that is %(status)s.")
            % {"action": ACTION_LABELS[action], "status": item.get_status_display().lower()}
        )
    # save_item() reads it to tell listeners (actions.events) what the status was.
    item.__dict__["_status_before"] = item.status
    item.status = target
    return item


def _require_reason(reason: str | None, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"status_reason": message})
    return reason


@transaction.atomic
def action_item_start(*, item: ActionItem, by: Any) -> ActionItem:
    """Open or blocked → in progress."""
    _transition(item, "start")
    item.status_reason = ""
    return save_item(item, by=by, reason=history_events.stored("started"))


@transaction.atomic
def action_item_block(*, item: ActionItem, by: Any, reason: str) -> ActionItem:
    """Open or in progress → blocked; the reason says what it waits for."""
    reason = _require_reason(reason, _("Say what the item is waiting for."))
    _transition(item, "block")
    item.status_reason = reason
    return save_item(item, by=by, reason=history_events.stored("blocked", reason))


@transaction.atomic
def action_item_complete(*, item: ActionItem, by: Any) -> ActionItem:
    """Any open status → done, with ``completed_at`` set."""
    _transition(item, "complete")
    item.status_reason = ""
    item.completed_at = timezone.now()
    return save_item(item, by=by, reason=history_events.stored("completed"))


@transaction.atomic
def action_item_wont_do(*, item: ActionItem, by: Any, reason: str) -> ActionItem:
    """Any open status → won't do. The reason is required; ``completed_at`` records when it
    was closed, so closed-date filters and time-to-close include it."""
    reason = _require_reason(reason, _("Say why the item will not be done."))
    _transition(item, "wont_do")
    item.status_reason = reason
    item.completed_at = timezone.now()
    return save_item(item, by=by, reason=history_events.stored("wont_do", reason))


@transaction.atomic
def action_item_reopen(*, item: ActionItem, by: Any) -> ActionItem:
    """Done or won't do → open again; ``completed_at`` is cleared."""
    _transition(item, "reopen")
    item.status_reason = ""
    item.completed_at = None
    return save_item(item, by=by, reason=history_events.stored("reopened"))


UNCHANGED: Any = object()


@transaction.atomic
def action_item_follow_tracker(
    *,
    item: ActionItem,
    source: str,
    closed: bool | None = None,
    closed_at: datetime.datetime | None = None,
    assignee: Any = UNCHANGED,
) -> bool:
    """The item's linked ticket changed in its tracker; the item follows it. ``source`` names
    the change for the history ("GitHub issue #12 closed by octocat").

    ``closed``: True -> done at ``closed_at`` (an open item), False -> open again (a closed
    one); ``assignee``: a user (only a member of the item's team is taken) or None. Returns
    whether anything changed.
    """
    changed = False
    if closed is True and item.status in ActionItem.OPEN_STATUSES:
        item.status, item.status_reason = Status.DONE, ""
        item.completed_at = closed_at or timezone.now()
        changed = True
    elif closed is False and item.status in ActionItem.CLOSED_STATUSES:
        item.status, item.status_reason, item.completed_at = Status.OPEN, "", None
        changed = True
    follows_assignee = (
        assignee is not UNCHANGED and getattr(assignee, "pk", None) != item.assignee_id
    )
    if follows_assignee and (
        assignee is None or Membership.objects.filter(team=item.team, user=assignee).exists()
    ):
        item.assignee = assignee
        changed = True
    if changed:
        save_item(item, by=None, reason=source[:100])
    return changed


def action_item_transition(
    *, item: ActionItem, by: Any, action: str, reason: str = ""
) -> ActionItem:
    """Dispatch a named workflow action (``start``, ``block``, ``complete``, ``wont_do``,
    ``reopen``), as posted by the item page's status buttons."""
    if action == "start":
        return action_item_start(item=item, by=by)
    if action == "block":
        return action_item_block(item=item, by=by, reason=reason)
    if action == "complete":
        return action_item_complete(item=item, by=by)
    if action == "wont_do":
        return action_item_wont_do(item=item, by=by, reason=reason)
    if action == "reopen":
        return action_item_reopen(item=item, by=by)
    raise TransitionError(_("Unknown status change."))


# --- Bulk changes (team managers) ------------------------------------------------------------

# Target status -> the workflow action that reaches it. Statuses that need a reason
# (blocked, won't do) are changed one item at a time on the item page.
BULK_STATUS_ACTIONS: dict[str, str] = {
    Status.OPEN: "reopen",
    Status.IN_PROGRESS: "start",
    Status.DONE: "complete",
}


@dataclass
class BulkResult:
    updated: list[ActionItem] = field(default_factory=list)
    skipped: list[tuple[ActionItem, str]] = field(default_factory=list)  # (item, message)


def action_items_bulk_update(
    *, items: Iterable[ActionItem], by: Any, status: str | None = None, assignee: Any = None
) -> BulkResult:
    """Change the status and/or assignee of several items at once.

    Only for managers of each item's team (superusers: all); refuses the whole batch if any
    item is outside the teams ``by`` manages. Items the change does not fit (a transition
    not allowed from their status, an assignee outside their team) are skipped and listed.
    """
    items = list(items)
    foreign = [item for item in items if not is_team_manager(by, item.team_id)]
    if foreign:
        raise PermissionDenied(_("Bulk changes are only for managers of the items' teams."))
    if status is not None and status not in BULK_STATUS_ACTIONS:
        raise ValidationError(_("That status cannot be set in bulk."))
    result = BulkResult()
    if assignee is not None:
        member_of = set(Membership.objects.filter(user=assignee).values_list("team_id", flat=True))
    for item in items:
        try:
            with transaction.atomic():
                changed = False
                if assignee is not None and item.assignee_id != assignee.pk:
                    if item.team_id not in member_of:
                        raise ValidationError(
                            _("%(person)s is not a member of the owner team.")
                            % {"person": assignee.get_full_name() or assignee.get_username()}
                        )
                    item.assignee = assignee
                    changed = True
                if status is not None and item.status != status:
                    action = BULK_STATUS_ACTIONS[status]
                    if status == Status.OPEN and item.status not in TRANSITIONS["reopen"][0]:
                        raise TransitionError(
                            _("Cannot reopen an item that is %(status)s.")
                            % {"status": item.get_status_display().lower()}
                        )
                    action_item_transition(item=item, by=by, action=action)
                    changed = False  # the transition saved the assignee change too
                if changed:
                    save_item(item, by=by, reason=history_events.stored("reassigned"))
            result.updated.append(item)
        except ValidationError as exc:
            item.refresh_from_db()
            result.skipped.append((item, " ".join(exc.messages)))
    return result
