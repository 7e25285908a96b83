"""Which postmortems a user may read (the rule itself is ``Postmortem.objects.visible_to``)."""

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from ..models import ContributingFactor, Postmortem, PostmortemQuerySet, Theme


def visible_postmortems(user: Any) -> PostmortemQuerySet:
    """Every postmortem ``user`` may read: the only way views, search, export, API and
    roll-ups list postmortems (docs/architecture.md; the rule lives on the queryset)."""
    return Postmortem.objects.visible_to(user)


def visible_postmortem_or_404(user: Any, pk: int) -> Postmortem:
    """One postmortem ``user`` may read, with its team; 404 for anything else, so a
    restricted postmortem is indistinguishable from a missing one."""
    return get_object_or_404(visible_postmortems(user).select_related("team"), pk=pk)


def visible_themes(user: Any) -> QuerySet[Theme]:
    """Themes ``user`` may see named: those with a factor on a postmortem ``user`` may read,
    and those not used yet (created on the themes page). A theme first typed on a restricted
    postmortem stays out of sight of everyone who cannot open that postmortem."""
    qs = Theme.objects.all()
    if user.is_authenticated and user.is_superuser:
        return qs
    factors = ContributingFactor.themes.through.objects.filter(theme_id=OuterRef("pk"))
    seen = factors.filter(contributingfactor__postmortem__in=visible_postmortems(user).values("pk"))
    return qs.filter(~Exists(factors) | Exists(seen))
