"""What an event says and which webhooks hear it.

A restricted postmortem is open only to its team (and people listed on it), so events
about it — or about its action items — go only to webhooks of its own team; the rule is
checked when the event is recorded and again right before each delivery.
"""

from django.conf import settings
from django.urls import reverse

from ..models import Webhook


def may_leave_through(postmortem, webhook):
    return not postmortem.restricted or webhook.team_id == postmortem.team_id


def active_webhooks(team_ids):
    return list(Webhook.objects.filter(team_id__in=set(team_ids), disabled_reason=""))


def webhooks_for(event, team_ids, postmortem, *, hooks=None):
    """Active webhooks of ``team_ids`` subscribed to ``event`` that may carry ``postmortem``
    (``hooks``: the active webhooks, when already loaded)."""
    team_ids = set(team_ids)
    hooks = active_webhooks(team_ids) if hooks is None else hooks
    return [
        hook
        for hook in hooks
        if hook.team_id in team_ids and event in hook.events and may_leave_through(postmortem, hook)
    ]


def _links(web_path, api_path):
    return {"url": settings.SITE_URL + web_path, "api_url": settings.SITE_URL + api_path}


def postmortem_data(postmortem, **extra):
    return {
        "id": postmortem.pk,
        "title": postmortem.title,
        "severity": postmortem.severity,
        "status": postmortem.status,
        "team": postmortem.team.slug,
        "restricted": postmortem.restricted,
        "published_at": postmortem.published_at.isoformat() if postmortem.published_at else None,
        **_links(
            postmortem.get_absolute_url(),
            reverse("api:postmortem-detail", args=[postmortem.pk]),
        ),
        **extra,
    }


def action_item_data(item, **extra):
    return {
        "id": item.pk,
        "postmortem": item.postmortem_id,
        "title": item.title,
        "kind": item.kind,
        "priority": item.priority,
        "status": item.status,
        "team": item.team.slug,
        "assignee": item.assignee.get_username() if item.assignee_id else None,
        "due_date": item.due_date.isoformat(),
        **_links(item.get_absolute_url(), reverse("api:action-item-detail", args=[item.pk])),
        **extra,
    }
