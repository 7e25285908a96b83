"""Writes for action items: creation with the due-date policy, edits and the status workflow.

Every function takes keyword-only arguments, validates, then saves inside one transaction.
Each save records who did it and why in the item's history (django-simple-history).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from postmortems import limits, markdown
from postmortems.models import Membership
from postmortems.permissions import is_team_manager

from . import history_events
from .models import ActionItem

Status = ActionItem.Status

# action -> (statuses it may start from, status it leads to)
TRANSITIONS = {
    "start": ((Status.OPEN, Status.BLOCKED), Status.IN_PROGRESS),
    "block": ((Status.OPEN, Status.IN_PROGRESS), Status.BLOCKED),
    "complete": ((Status.OPEN, Status.IN_PROGRESS, Status.BLOCKED), Status.DONE),
    "wont_do": ((Status.OPEN, Status.IN_PROGRESS, Status.BLOCKED), Status.WONT_DO),
    "reopen": ((Status.DONE, Status.WONT_DO), Status.OPEN),
}

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


ACTION_LABELS = {
    "start": gettext_lazy("start"),
    "block": gettext_lazy("block"),
    "complete": gettext_lazy("complete"),
    "wont_do": gettext_lazy("mark as won't do"),
    "reopen": gettext_lazy("reopen"),
}


class TransitionError(ValidationError):
    """A status change the workflow does not allow from the item's current status."""


# --- Due-date policy -------------------------------------------------------------------------


def due_date_base(postmortem=None):
    """The day the policy counts from: the postmortem's publication date, or else today."""
    if postmortem is not None and postmortem.published_at:
        return timezone.localdate(postmortem.published_at)
    return timezone.localdate()


def default_due_date(*, priority, postmortem=None):
    """``settings.ACTION_DUE_DAYS[priority]`` days after :func:`due_date_base`, and never
    before today: an item added long after publication is due today at the earliest, since
    a past due date is refused."""
    days = settings.ACTION_DUE_DAYS[priority]
    return max(due_date_base(postmortem) + datetime.timedelta(days=days), timezone.localdate())


# --- Checks shared by create and update ------------------------------------------------------


def _check_assignee(team, assignee):
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


def check_owner_team(postmortem, team):
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


def _check_factor(postmortem, factor):
    if factor is not None and factor.postmortem_id != postmortem.pk:
        raise ValidationError(
            {"factor": _("That contributing factor belongs to another postmortem.")}
        )


def _check_not_past(due_date):
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})


def _save(item, *, by, reason, update_fields=None):
    limits.check_text(notes=(item.notes, "ACTION_ITEM_NOTES_MAX_CHARS"))
    item.notes_html = markdown.render(item.notes)
    item.full_clean()
    # simple-history reads these for the history row (also outside a request, e.g. Celery).
    item._history_user = by
    item._change_reason = reason
    item.save(update_fields=update_fields)
    return item


# --- Create and update -----------------------------------------------------------------------


@transaction.atomic
def action_item_create(
    *,
    postmortem,
    by,
    title,
    team,
    kind=ActionItem.Kind.PREVENT,
    priority=ActionItem.Priority.P3,
    assignee=None,
    due_date=None,
    tracker_url="",
    notes="",
    factor=None,
):
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
    return _save(item, by=by, reason=history_events.stored("created"))


@transaction.atomic
def action_item_update(*, item, by, **changes):
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
    return _save(item, by=by, reason=history_events.stored("edited"))


# --- Status workflow -------------------------------------------------------------------------


def _transition(item, action):
    sources, target = TRANSITIONS[action]
    if item.status not in sources:
        raise TransitionError(
            _("Cannot %(action)s an item that is %(status)s.")
            % {"action": ACTION_LABELS[action], "status": item.get_status_display().lower()}
        )
    item.status = target
    return item


def _require_reason(reason, message):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"status_reason": message})
    return reason


@transaction.atomic
def action_item_start(*, item, by):
    """Open or blocked → in progress."""
    _transition(item, "start")
    item.status_reason = ""
    return _save(item, by=by, reason=history_events.stored("started"))


@transaction.atomic
def action_item_block(*, item, by, reason):
    """Open or in progress → blocked; the reason says what it waits for."""
    reason = _require_reason(reason, _("Say what the item is waiting for."))
    _transition(item, "block")
    item.status_reason = reason
    return _save(item, by=by, reason=history_events.stored("blocked", reason))


@transaction.atomic
def action_item_complete(*, item, by):
    """Any open status → done, with ``completed_at`` set."""
    _transition(item, "complete")
    item.status_reason = ""
    item.completed_at = timezone.now()
    return _save(item, by=by, reason=history_events.stored("completed"))


@transaction.atomic
def action_item_wont_do(*, item, by, reason):
    """Any open status → won't do. The reason is required; ``completed_at`` records when it
    was closed, so closed-date filters and time-to-close include it."""
    reason = _require_reason(reason, _("Say why the item will not be done."))
    _transition(item, "wont_do")
    item.status_reason = reason
    item.completed_at = timezone.now()
    return _save(item, by=by, reason=history_events.stored("wont_do", reason))


@transaction.atomic
def action_item_reopen(*, item, by):
    """Done or won't do → open again; ``completed_at`` is cleared."""
    _transition(item, "reopen")
    item.status_reason = ""
    item.completed_at = None
    return _save(item, by=by, reason=history_events.stored("reopened"))


def action_item_transition(*, item, by, action, reason=""):
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
BULK_STATUS_ACTIONS = {
    Status.OPEN: "reopen",
    Status.IN_PROGRESS: "start",
    Status.DONE: "complete",
}


@dataclass
class BulkResult:
    updated: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (item, message)


def action_items_bulk_update(*, items, by, status=None, assignee=None):
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
                    _save(item, by=by, reason=history_events.stored("reassigned"))
            result.updated.append(item)
        except ValidationError as exc:
            item.refresh_from_db()
            result.skipped.append((item, " ".join(exc.messages)))
    return result


# --- Themes and Kaizen reviews ---------------------------------------------------------------


def _unique_theme_slug(name, exclude_pk=None):
    from django.utils.text import slugify

    from postmortems.models import Theme

    base = slugify(name, allow_unicode=True)[:90] or "theme"
    slug, n = base, 2
    taken = Theme.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def theme_save(*, theme=None, name, keywords="", description="", by=None):
    """Create a theme (``theme=None``) or change one; the slug follows a new name."""
    from postmortems.models import Theme

    theme = theme or Theme()
    renamed = theme.pk is None or theme.name != name
    theme.name = name.strip()
    theme.keywords = keywords.strip()
    theme.description = description.strip()
    if renamed:
        theme.slug = _unique_theme_slug(theme.name, exclude_pk=theme.pk)
    theme.full_clean()
    theme._history_user = by
    theme.save()
    return theme


@transaction.atomic
def theme_merge(*, source, target, by=None):
    """Fold ``source`` into ``target``: every factor tagged with ``source`` is tagged with
    ``target`` instead, then ``source`` is deleted (its history rows stay). The roll-ups of
    the weeks it appeared in are recomputed so the target's counts include them.

    Returns the number of factors moved."""
    from actions import kaizen
    from actions.models import ThemeRollup

    if source.pk == target.pk:
        raise ValidationError(_("Pick two different themes to merge."))
    factors = list(source.factors.all())
    for factor in factors:
        # Through the related manager (not bulk SQL), so each factor's history records it.
        factor._history_user = by
        factor.themes.add(target)
        factor.themes.remove(source)
    periods = sorted(
        set(ThemeRollup.objects.filter(theme=source).values_list("period_end", flat=True))
    )
    source._history_user = by
    source._change_reason = f"Merged into {target.name}"
    source.delete()
    for period_end in periods:
        kaizen.rollup(period_end)
    return len(factors)


@transaction.atomic
def kaizen_review_create(*, team, period_start, period_end, notes, action_items=(), by):
    """Record a team's Kaizen review; linked action items must belong to the team."""
    from postmortems.permissions import is_team_member

    from .models import KaizenReview

    if not is_team_member(by, team):
        raise PermissionDenied(_("Only members of the team record its Kaizen reviews."))
    action_items = list(action_items)
    if any(item.team_id != team.pk for item in action_items):
        raise ValidationError(
            {"action_items": _("Link only action items owned by %(team)s.") % {"team": team.name}}
        )
    limits.check_text(notes=(notes, "KAIZEN_REVIEW_NOTES_MAX_CHARS"))
    review = KaizenReview(
        team=team,
        period_start=period_start,
        period_end=period_end,
        notes=notes,
        notes_html=markdown.render(notes),
        created_by=by,
    )
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    review.full_clean()
    review.save()
    review.action_items.set(action_items)
    return review


# --- Exports ---------------------------------------------------------------------------------


def export_audit_record(*, by, export, team_id=None, query=""):
    """Record one CSV export in the audit log of the team it was filtered to."""
    from postmortems.models import AuditEvent, Team
    from postmortems.services import audit_record

    team = Team.objects.filter(pk=team_id).first() if team_id else None
    return audit_record(
        action=AuditEvent.Action.EXPORT_CSV,
        actor=by,
        team=team,
        detail={"export": export, "query": query[:500]},
    )
