"""Loading with the web's rules: not visible → 404, visible but not editable → 403."""

from django.http import Http404
from rest_framework.exceptions import PermissionDenied

from actions import selectors as action_selectors
from postmortems import permissions, selectors


def readable_postmortem(request, pk):
    return selectors.visible_postmortem_or_404(request.user, pk)


def editable_postmortem(request, pk):
    postmortem = readable_postmortem(request, pk)
    if not permissions.can_edit_postmortem(request.user, postmortem):
        raise PermissionDenied
    return postmortem


def readable_action_item(request, pk):
    item = action_selectors.action_item_for_detail(request.user, pk)
    if item is None:
        raise Http404
    return item


def editable_action_item(request, pk):
    item = readable_action_item(request, pk)
    if not permissions.can_edit_postmortem(request.user, item.postmortem):
        raise PermissionDenied
    return item
