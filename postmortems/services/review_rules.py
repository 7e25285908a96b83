"""A team's review rules: "allow self-review" and its severity templates."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import AuditEvent, SeverityTemplate, Team
from ..severity_templates import REQUIREMENTS
from .audit import audit_record


def team_set_review_rules(
    *,
    team: Team,
    allow_self_review: bool,
    templates: dict[str, tuple[list[str], list[str]]],
    by: Any,
) -> Team:
    """Save the team's "allow self-review" and its severity templates
    (``{severity: (before review keys, before publishing keys)}``, kept in catalogue order;
    a key asked before review is not repeated for publishing). The change is in the team's
    audit log."""
    changed: dict[str, Any] = {}
    with transaction.atomic():
        if team.allow_self_review != allow_self_review:
            changed["allow_self_review"] = allow_self_review
            team.allow_self_review = allow_self_review
            team.save(update_fields=["allow_self_review"])
        for severity, (review, publish) in templates.items():
            unknown = (set(review) | set(publish)) - set(REQUIREMENTS)
            if unknown:
                raise ValidationError(
                    _("Unknown requirement: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
                )
            review = [key for key in REQUIREMENTS if key in review]
            publish = [key for key in REQUIREMENTS if key in publish and key not in review]
            template, _created = SeverityTemplate.objects.select_for_update().get_or_create(
                team=team, severity=severity
            )
            if (template.before_review, template.before_publish) != (review, publish):
                template.before_review, template.before_publish = review, publish
                template.full_clean()
                template.save()
                changed[severity] = {"review": review, "publish": publish}
        if changed:
            audit_record(
                action=AuditEvent.Action.REVIEW_RULES_CHANGED,
                actor=by,
                team=team,
                target=team,
                detail=changed,
            )
    return team
