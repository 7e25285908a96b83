"""Template helpers for action items: the due-date policy for forms without a form object."""

import json

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe

from actions import history_events, services
from actions.models import ActionItem
from postmortems.escaping import esc

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
    # Translated once here, not once per row.
    status_labels = {value: str(label) for value, label in ActionItem.Status.choices}
    kind_labels = {value: str(label) for value, label in ActionItem.Kind.choices}
    rows = []
    for item in items:
        if hasattr(item, "assignee_username"):
            # The read view's selector brings the names alone (``User.get_full_name``, or
            # the username when it is blank).
            full = f"{item.assignee_first_name or ''} {item.assignee_last_name or ''}".strip()
            assignee = (full or item.assignee_username) if item.assignee_id else ""
        else:
            user = item.assignee
            assignee = (user.get_full_name() or user.get_username()) if user else ""
        rows.append(
            {
                "pk": str(item.pk),
                "title": item.title,
                "priority": item.priority,
                "status": status_labels.get(item.status, item.status),
                "kind": kind_labels.get(item.kind, item.kind),
                # The read view's selector brings the name alone (``team_name``).
                "team": getattr(item, "team_name", None) or item.team.name,
                "assignee": assignee,
                "due": item.due_date.isoformat() if item.due_date else "",
                "overdue": item.is_open and item.due_date is not None and item.due_date < today,
                "factor": str(item.factor_id) if item.factor_id else "",
            }
        )
    return rows


@register.simple_tag(takes_context=True)
def postmortem_item_rows(context, items, today):
    """``{% postmortem_item_rows action_items today %}``: the ``<tr>`` of each row of
    ``postmortem_rows``, written here rather than by a ``{% for %}`` with tags per cell (a
    hundred rows were a good part of the page's rendering time). Every value is escaped as
    ``{{ }}`` escapes it; the labels are the ones the includer translated once."""
    url = esc(context.get("actions_url") or "")
    factor_label = esc(context.get("factor_label") or "")
    unassigned = esc(context.get("unassigned_label") or "")
    overdue_badge = (
        f' <span class="badge text-bg-danger">{esc(context.get("overdue_label") or "")}</span>'
    )
    out = []
    for row in postmortem_rows(items, today):
        overdue = row["overdue"]
        factor = row["factor"]
        out.append(
            "".join(
                (
                    '<tr class="overdue-row">' if overdue else "<tr>",
                    f'<td><a href="{url}{esc(row["pk"])}/">{esc(row["title"])}</a>',
                    f' <a href="#factor-{esc(factor)}" class="small">{factor_label}</a>'
                    if factor
                    else "",
                    f"</td><td>{esc(row['priority'])}</td><td>{esc(row['status'])}</td>",
                    f"<td>{esc(row['kind'])}</td><td>{esc(row['team'])}</td>",
                    f"<td>{esc(row['assignee']) if row['assignee'] else unassigned}</td>",
                    f"<td>{esc(row['due'])}{overdue_badge if overdue else ''}</td></tr>\n",
                )
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
