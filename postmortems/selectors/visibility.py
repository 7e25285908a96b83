"""Which postmortems a user may read (the rule itself is ``Postmortem.objects.visible_to``)."""

from typing import Any

from django.shortcuts import get_object_or_404

from ..models import Postmortem, PostmortemQuerySet


def visible_postmortems(user: Any) -> PostmortemQuerySet:
    """Every postmortem ``user`` may read: the only way views, search, export, API and
    roll-ups list postmortems (docs/architecture.md; the rule lives on the queryset)."""
    return Postmortem.objects.visible_to(user)


def visible_postmortem_or_404(user: Any, pk: int) -> Postmortem:
    """One postmortem ``user`` may read, with its team; 404 for anything else, so a
    restricted postmortem is indistinguishable from a missing one."""
    return get_object_or_404(visible_postmortems(user).select_related("team"), pk=pk)
