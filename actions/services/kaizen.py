"""Themes (through the owner's one slug policy) and Kaizen reviews, as the Kaizen pages
change them. A merge also recomputes the roll-ups the merged theme appeared in."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from postmortems import limits, markdown
from postmortems import services as postmortem_services
from postmortems.models import Team, Theme
from postmortems.permissions import is_team_member

from .. import kaizen
from ..models import ActionItem, KaizenReview, ThemeRollup


@transaction.atomic
def theme_merge(*, source: Theme, target: Theme, by: Any = None) -> int:
    """Fold ``source`` into ``target`` (``postmortems.services.theme_merge``), then
    recompute the roll-ups of the weeks ``source`` appeared in, so the target's counts
    include them. Returns the number of factors moved."""
    periods = sorted(
        set(ThemeRollup.objects.filter(theme=source).values_list("period_end", flat=True))
    )
    moved = postmortem_services.theme_merge(source=source, target=target, by=by)
    for period_end in periods:
        kaizen.rollup(period_end)
    return moved


@transaction.atomic
def kaizen_review_create(
    *,
    team: Team,
    period_start: datetime.date,
    period_end: datetime.date,
    notes: str,
    action_items: Iterable[ActionItem] = (),
    by: Any,
) -> KaizenReview:
    """Record a team's Kaizen review; linked action items must belong to the team."""
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
