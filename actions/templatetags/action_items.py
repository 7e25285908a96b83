"""Template helpers for action items: the due-date policy for forms without a form object."""

import json

from django import template
from django.conf import settings
from django.utils import timezone

from actions import history_events, services
from actions.models import ActionItem

register = template.Library()


@register.simple_tag
def action_form_options(postmortem, priority=ActionItem.Priority.P3):
    """Choices and the policy's default due date, for the inline add form."""
    return {
        "kinds": ActionItem.Kind.choices,
        "priorities": ActionItem.Priority.choices,
        "priority": priority,
        "due_default": services.default_due_date(priority=priority, postmortem=postmortem),
        "due_base": services.due_date_base(postmortem).isoformat(),
        "due_min": timezone.localdate().isoformat(),
        "due_days": json.dumps(settings.ACTION_DUE_DAYS),
    }


@register.filter
def percent(value):
    """0.834 -> "83%"; None -> "—"."""
    if value is None:
        return "—"
    return f"{round(value * 100)}%"


@register.filter
def history_event(text):
    """A stored history event in the reader's language (see ``actions.history_events``)."""
    return history_events.describe(text)


@register.filter
def postmortem_rows(items, today):
    """``{% for row in action_items|postmortem_rows:today %}``: the postmortem page's item
    rows as flat dicts of what each prints (a postmortem may have a hundred items; the
    template engine finds a dict's keys at the first try, and labels are looked up here
    once per field rather than per call of ``get_FOO_display``)."""
    status_labels = dict(ActionItem.Status.choices)
    kind_labels = dict(ActionItem.Kind.choices)
    rows = []
    for item in items:
        assignee = item.assignee
        rows.append(
            {
                "pk": str(item.pk),
                "title": item.title,
                "priority": item.priority,
                "status": str(status_labels.get(item.status, item.status)),
                "kind": str(kind_labels.get(item.kind, item.kind)),
                # The read view's selector brings the name alone (``team_name``).
                "team": getattr(item, "team_name", None) or item.team.name,
                "assignee": (assignee.get_full_name() or assignee.get_username())
                if assignee
                else "",
                "due": item.due_date.isoformat() if item.due_date else "",
                "overdue": item.is_open and item.due_date is not None and item.due_date < today,
                "factor": str(item.factor_id) if item.factor_id else "",
            }
        )
    return rows
