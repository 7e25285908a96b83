"""Trackers on the team's integration page, on the action item page, and their webhooks."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from actions.selectors import action_item_for_detail
from integrations.alerts.incident import PayloadError
from integrations.alerts.services import delivery_reject
from integrations.alerts.views import _managed_team_or_404, _page
from integrations.models import TrackerConnection

from . import services
from .forms import IssueLinkForm, TrackerConnectionForm
from .kinds import WEBHOOKS


@require_POST
def tracker_connection_add(request, slug):
    team = _managed_team_or_404(request, slug)
    form = TrackerConnectionForm(request.POST)
    if form.is_valid():
        try:
            connection, secret = services.connection_create(
                team=team, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            url = request.build_absolute_uri(connection.webhook_path())
            return _page(request, team, new_tracker=(connection, url, secret))
    return _page(request, team, tracker_form=form, status=400)


@require_POST
def tracker_connection_delete(request, slug, pk):
    team = _managed_team_or_404(request, slug)
    connection = get_object_or_404(TrackerConnection, pk=pk, team=team)
    services.connection_delete(connection=connection, by=request.user)
    messages.success(request, _("Tracker removed."))
    return redirect("integrations:team", slug=team.slug)


def _item_and_connection(request, pk, connection_id):
    item = action_item_for_detail(request.user, pk)
    if item is None:
        raise Http404
    connection = TrackerConnection.objects.filter(pk=connection_id, team_id=item.team_id).first()
    if connection is None:
        raise Http404
    return item, connection


@require_POST
def item_issue_create(request, pk):
    try:
        connection_id = int(request.POST.get("connection", ""))
    except ValueError:
        raise Http404 from None
    item, connection = _item_and_connection(request, pk, connection_id)
    try:
        services.issue_create(item=item, connection=connection, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The issue is being created; its link appears here."))
    return redirect(item)


@require_POST
def item_issue_link(request, pk):
    form = IssueLinkForm(request.POST)
    if not form.is_valid():
        raise Http404
    item, connection = _item_and_connection(request, pk, form.cleaned_data["connection"])
    try:
        services.issue_link(
            item=item,
            connection=connection,
            reference=form.cleaned_data["reference"],
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Linked. The item now follows the ticket."))
    return redirect(item)


def _refuse(connection, status, reason, excerpt=""):
    """Answer a refused webhook delivery and keep it in the team's "rejected deliveries"."""
    delivery_reject(
        team=connection.team,
        tracker=connection,
        status_code=status,
        reason=reason,
        excerpt=excerpt,
    )
    return JsonResponse({"error": reason}, status=status)


@login_not_required
@csrf_exempt
@require_POST
def tracker_webhook(request, public_id):
    connection = (
        TrackerConnection.objects.select_related("team").filter(public_id=public_id).first()
    )
    if connection is None:
        return JsonResponse({"error": "unknown endpoint"}, status=404)
    webhook = WEBHOOKS[connection.kind]
    try:
        body = request.body
    except RequestDataTooBig:
        return _refuse(connection, 413, "the delivery is too large")
    if not webhook.authenticate(request, connection):
        return _refuse(connection, 401, "signature does not match")
    # Only a signed delivery's bytes are kept (never a stranger's).
    excerpt = body[:500].decode("utf-8", "replace")
    try:
        change = webhook.parse(request, json.loads(body))
    except PayloadError as exc:
        return _refuse(connection, 400, f"malformed payload: {exc}", excerpt)
    except (ValueError, RecursionError):
        return _refuse(connection, 400, "the body is not JSON", excerpt)
    if change is None:
        return JsonResponse({"status": "ignored"})
    change.description = change.description.replace("\x00", "")
    if isinstance(change.assignee, str):
        change.assignee = change.assignee.replace("\x00", "")
    try:
        item = services.remote_change_apply(connection=connection, change=change)
    except ValidationError as exc:
        return _refuse(connection, 400, "rejected: " + " ".join(exc.messages), excerpt)
    if item is None:
        return JsonResponse({"status": "not followed"})
    return JsonResponse({"status": "applied", "item": item.pk, "item_status": item.status})
