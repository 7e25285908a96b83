"""Writing a postmortem: create and edit (with the optimistic version lock)."""

import datetime
import logging
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import limits, markdown, permissions
from ..models import AuditEvent, Postmortem
from .audit import audit_record
from .history import record_as

logger = logging.getLogger(__name__)


class PostmortemVersionConflict(Exception):
    """Someone saved the postmortem since the form was loaded; ``current`` is their version."""

    def __init__(self, current: Postmortem) -> None:
        super().__init__(f"postmortem {current.pk} is at version {current.version}")
        self.current = current


POSTMORTEM_M2M_FIELDS = ("authors", "reviewers", "viewers")
POSTMORTEM_TIME_FIELDS = ("started_at", "detected_at", "mitigated_at", "resolved_at")
POSTMORTEM_EDITABLE_FIELDS = (
    "title",
    "severity",
    "team",
    "restricted",
    "caused_by_change",
    *POSTMORTEM_TIME_FIELDS,
    *Postmortem.SECTIONS,
)


def postmortem_time_errors(
    *,
    started_at: datetime.datetime | None,
    detected_at: datetime.datetime | None,
    mitigated_at: datetime.datetime | None,
    resolved_at: datetime.datetime | None,
    now: datetime.datetime | None = None,
) -> dict[str, str]:
    """Field -> message for incident times that cannot be right. Used by form and service."""
    now = now or timezone.now()
    times = {
        "started_at": started_at,
        "detected_at": detected_at,
        "mitigated_at": mitigated_at,
        "resolved_at": resolved_at,
    }
    errors = {}
    for name, value in times.items():
        # A minute of slack: a browser clock a little ahead should not be refused.
        if value is not None and value > now + timedelta(minutes=1):
            errors[name] = _("This time is in the future.")
    if started_at is not None:
        for name, label in (
            ("detected_at", _("detected")),
            ("mitigated_at", _("mitigated")),
            ("resolved_at", _("resolved")),
        ):
            value = times[name]
            if value is not None and value < started_at and name not in errors:
                errors[name] = _("The incident cannot be %(what)s before it started.") % {
                    "what": label
                }
    if (
        mitigated_at is not None
        and resolved_at is not None
        and resolved_at < mitigated_at
        and "resolved_at" not in errors
    ):
        errors["resolved_at"] = _("The incident cannot be resolved before it was mitigated.")
    return errors


def _postmortem_validate(postmortem: Postmortem) -> None:
    errors = postmortem_time_errors(
        **{name: getattr(postmortem, name) for name in POSTMORTEM_TIME_FIELDS}
    )
    errors.update(
        limits.text_errors(
            **{
                section: (getattr(postmortem, section), "POSTMORTEM_SECTION_MAX_CHARS")
                for section in Postmortem.SECTIONS
            }
        )
    )
    if errors:
        raise ValidationError(errors)
    postmortem.full_clean(exclude=["version"], validate_unique=False)


def _postmortem_render_sections(postmortem: Postmortem) -> None:
    for section in Postmortem.SECTIONS:
        setattr(postmortem, f"{section}_html", markdown.render(getattr(postmortem, section)))


def _postmortem_set_people(postmortem: Postmortem, data: dict[str, Any], by: Any = None) -> None:
    before = set(postmortem.viewers.values_list("pk", flat=True)) if "viewers" in data else set()
    for name in POSTMORTEM_M2M_FIELDS:
        if name in data:
            getattr(postmortem, name).set(data[name])
    if "viewers" in data:
        after = {user.pk for user in data["viewers"]}
        _audit_viewers(postmortem, by, added=after - before, removed=before - after)


def _audit_viewers(postmortem: Postmortem, by: Any, *, added: set[int], removed: set[int]) -> None:
    names = dict(
        get_user_model().objects.filter(pk__in=added | removed).values_list("pk", "username")
    )
    for action, ids in (
        (AuditEvent.Action.VIEWER_ADDED, added),
        (AuditEvent.Action.VIEWER_REMOVED, removed),
    ):
        for user_id in sorted(ids):
            audit_record(
                action=action,
                actor=by,
                team=postmortem.team,
                target=postmortem,
                detail={"user": names.get(user_id, ""), "user_id": user_id},
            )


def _audit_visibility(postmortem: Postmortem, by: Any, was_restricted: bool) -> None:
    if postmortem.restricted == was_restricted:
        return
    audit_record(
        action=AuditEvent.Action.RESTRICTED_ON
        if postmortem.restricted
        else AuditEvent.Action.RESTRICTED_OFF,
        actor=by,
        team=postmortem.team,
        target=postmortem,
    )


def _postmortem_check_team(team: Any, by: Any, *, current_team_id: int | None = None) -> None:
    """Postmortems are filed under one of the author's own teams (superusers: any team)."""
    if by is None or team is None or by.is_superuser or team.pk == current_team_id:
        return
    if not permissions.is_team_member(by, team.pk):
        raise ValidationError({"team": _("You can only file postmortems under your own teams.")})


def postmortem_create(*, data: dict[str, Any], by: Any) -> Postmortem:
    """Create a draft from form data (model field names). The author is ``by`` unless
    the data names authors."""
    fields = {k: v for k, v in data.items() if k in POSTMORTEM_EDITABLE_FIELDS}
    postmortem = Postmortem(**fields, created_by=by, status=Postmortem.Status.DRAFT)
    _postmortem_render_sections(postmortem)
    _postmortem_validate(postmortem)
    _postmortem_check_team(postmortem.team, by)
    with transaction.atomic():
        record_as(postmortem, by)
        postmortem.save()
        _postmortem_set_people(postmortem, data, by)
        if not data.get("authors"):
            postmortem.authors.add(by)
        _audit_visibility(postmortem, by, was_restricted=False)
    logger.info("postmortem %s created by %s", postmortem.pk, by)
    return postmortem


def postmortem_update(
    *, postmortem: Postmortem, data: dict[str, Any], by: Any, expected_version: int
) -> Postmortem:
    """Save an edit made on top of ``expected_version``.

    The conditional UPDATE is the claim: only one of two people saving the same version
    gets it; the other gets ``PostmortemVersionConflict`` with the current row, so the
    page can show both texts and nothing typed is lost.
    """
    fields = {k: v for k, v in data.items() if k in POSTMORTEM_EDITABLE_FIELDS}
    candidate = Postmortem(**{**{f: getattr(postmortem, f) for f in POSTMORTEM_EDITABLE_FIELDS}})
    candidate.pk = postmortem.pk
    for name, value in fields.items():
        setattr(candidate, name, value)
    _postmortem_validate(candidate)
    if "team" in fields:
        _postmortem_check_team(fields["team"], by, current_team_id=postmortem.team_id)
    with transaction.atomic():
        claimed = Postmortem.objects.filter(pk=postmortem.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise PostmortemVersionConflict(Postmortem.objects.get(pk=postmortem.pk))
        # Reload under the claim: status or publish time may have changed meanwhile.
        postmortem.refresh_from_db()
        was_restricted = postmortem.restricted
        for name, value in fields.items():
            setattr(postmortem, name, value)
        _postmortem_render_sections(postmortem)
        record_as(postmortem, by)
        postmortem.save()
        _postmortem_set_people(postmortem, data, by)
        _audit_visibility(postmortem, by, was_restricted)
    logger.info("postmortem %s updated to v%s by %s", postmortem.pk, postmortem.version, by)
    return postmortem
