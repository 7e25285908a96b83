"""Creating and editing action items, with the due-date policy.

Every function takes keyword-only arguments, validates, then saves inside one transaction.
Each save records who did it and why in the item's history (django-simple-history).
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from postmortems import limits, markdown
from postmortems.models import ContributingFactor, Membership, Postmortem, Team
from postmortems.services.history import record_as

from .. import events, history_events
from ..models import ActionItem

EDITABLE_FIELDS = (
    "title",
    "kind",
    "priority",
    "team",
    "assignee",
    "due_date",
    "tracker_url",
    "notes",
    "factor",
)


# --- Due-date policy -------------------------------------------------------------------------


def due_date_base(postmortem: Postmortem | None = None) -> datetime.date:
    """The day the policy counts from: the postmortem's publication date, or else today."""
    if postmortem is not None and postmortem.published_at:
        return timezone.localdate(postmortem.published_at)
    return timezone.localdate()


def default_due_date(*, priority: str, postmortem: Postmortem | None = None) -> datetime.date:
    """``settings.ACTION_DUE_DAYS[priority]`` days after :func:`due_date_base`, and never
    before today: an item added long after publication is due today at the earliest, since
    a past due date is refused."""
    days = settings.ACTION_DUE_DAYS[priority]
    return max(due_date_base(postmortem) + datetime.timedelta(days=days), timezone.localdate())


# --- Checks shared by create and update ------------------------------------------------------


def _check_assignee(team: Team | None, assignee: Any) -> None:
    if assignee is None or team is None:
        return
    if not Membership.objects.filter(team=team, user=assignee).exists():
        raise ValidationError(
            {
                "assignee": _(
                    "%(person)s is not a member of %(team)s. Pick a member of the owner team."
                )
                % {"person": assignee.get_full_name() or assignee.get_username(), "team": team.name}
            }
        )


def check_owner_team(postmortem: Postmortem, team: Team | None) -> None:
    """The rule for who may own an action item of a restricted postmortem: only its own
    team, whose members can open it. Another team would be reminded of the item in its
    Slack channel and list it on its dashboard while its members get 404 on the item."""
    if team is None or not postmortem.restricted or team.pk == postmortem.team_id:
        return
    raise ValidationError(
        {
            "team": _(
                "This postmortem is restricted: its action items stay with %(team)s, whose "
                "members can open it."
            )
            % {"team": postmortem.team.name}
        }
    )


def _check_factor(postmortem: Postmortem, factor: ContributingFactor | None) -> None:
    if factor is not None and factor.postmortem_id != postmortem.pk:
        raise ValidationError(
            {"factor": _("That contributing factor belongs to another postmortem.")}
        )


def _check_not_past(due_date: datetime.date) -> None:
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})


def save_item(
    item: ActionItem, *, by: Any, reason: str, update_fields: list[str] | None = None
) -> ActionItem:
    limits.check_text(notes=(item.notes, "ACTION_ITEM_NOTES_MAX_CHARS"))
    item.notes_html = markdown.render(item.notes)
    item.full_clean()
    # simple-history reads these for the history row (also outside a request, e.g. Celery).
    record_as(item, by, reason)
    created = item.pk is None
    item.save(update_fields=update_fields)
    old_status = item.__dict__.pop("_status_before", item.status)
    if created:
        events.action_item_created.send(sender=ActionItem, item=item, by=by)
    elif old_status != item.status:
        events.action_item_status_changed.send(
            sender=ActionItem, item=item, old_status=old_status, by=by
        )
    return item


# --- Create and update -----------------------------------------------------------------------


@transaction.atomic
def action_item_create(
    *,
    postmortem: Postmortem,
    by: Any,
    title: str,
    team: Team,
    kind: str = ActionItem.Kind.PREVENT,
    priority: str = ActionItem.Priority.P3,
    assignee: Any = None,
    due_date: datetime.date | None = None,
    tracker_url: str = "",
    notes: str = "",
    factor: ContributingFactor | None = None,
) -> ActionItem:
    """Create an item; an empty ``due_date`` follows the priority policy, a past one is refused."""
    if due_date is None:
        due_date = default_due_date(priority=priority, postmortem=postmortem)
    _check_not_past(due_date)
    check_owner_team(postmortem, team)
    _check_assignee(team, assignee)
    _check_factor(postmortem, factor)
    limits.check_room(
        existing=postmortem.action_items.count(),
        setting="ACTION_ITEMS_MAX_PER_POSTMORTEM",
        what=_("action items"),
    )
    item = ActionItem(
        postmortem=postmortem,
        factor=factor,
        title=title,
        kind=kind,
        priority=priority,
        team=team,
        assignee=assignee,
        due_date=due_date,
        tracker_url=tracker_url,
        notes=notes,
        created_by=by,
    )
    return save_item(item, by=by, reason=history_events.stored("created"))


@transaction.atomic
def action_item_update(*, item: ActionItem, by: Any, **changes: Any) -> ActionItem:
    """Change the editable fields given; moving the due date into the past is refused."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"action_item_update: cannot change {', '.join(sorted(unknown))}")
    if "due_date" in changes:
        if changes["due_date"] is None:
            changes["due_date"] = default_due_date(
                priority=changes.get("priority", item.priority), postmortem=item.postmortem
            )
        if changes["due_date"] != item.due_date:
            _check_not_past(changes["due_date"])
    for name, value in changes.items():
        setattr(item, name, value)
    if "team" in changes:
        check_owner_team(item.postmortem, item.team)
    _check_assignee(item.team, item.assignee)
    _check_factor(item.postmortem, item.factor)
    return save_item(item, by=by, reason=history_events.stored("edited"))
