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
