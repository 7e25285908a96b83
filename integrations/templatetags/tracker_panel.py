"""``{% tracker_panel item can_edit %}``: the item's ticket, or "Create issue" / "Link
existing" for the trackers of its team. Lets the action item page show trackers without the
actions app knowing about integrations."""

from django import template

from integrations.models import TrackerLink
from integrations.trackers.forms import IssueLinkForm
from integrations.trackers.selectors import item_messages, team_connections

register = template.Library()


@register.inclusion_tag("integrations/trackers/_item_panel.html", takes_context=True)
def tracker_panel(context, item, can_edit):
    link = TrackerLink.objects.filter(item=item).select_related("connection").first()
    connections = [] if link or not can_edit else list(team_connections(item.team_id))
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "item": item,
        "link": link,
        "tracker_messages": item_messages(link) if link else [],
        "connections": connections,
        "link_form": IssueLinkForm(),
        "can_edit": can_edit,
    }
