"""The review workflow: every status change of a postmortem goes through here."""

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import gates, permissions
from ..bounds import has_nul, nul_error
from ..models import Postmortem, SlackMessage
from ..slack import publish_messages
from ..slack.outbox import slack_message_enqueue
from .history import record_as

logger = logging.getLogger(__name__)

# --- Postmortems: authoring and the review workflow ----------------------------------------
#
# Every status change goes through the functions below; views never set ``status``.
#
#   draft ──submit_for_review──▶ in_review ──publish──▶ published
#     │                             │                      │
#     └──mark_not_required──────────┴──▶ not_required      │
#   in_review / published / not_required ──reopen──▶ draft ◀┘


class PostmortemTransitionError(ValidationError):
    """A status change that is not allowed now; the message says why (shown to the user)."""


class PostmortemNeedsConfirmation(PostmortemTransitionError):
    """Publishing while review comments are still open needs an explicit confirmation."""

    def __init__(self, message: str, *, unresolved_count: int) -> None:
        super().__init__(message)
        self.unresolved_count = unresolved_count


class PostmortemHasFindings(PostmortemTransitionError):
    """Blame findings are neither fixed nor acknowledged (see ``gates``)."""

    def __init__(self, message: str, *, findings: list[Any]) -> None:
        super().__init__(message)
        self.findings = findings


def _postmortem_lock(postmortem: Postmortem) -> Postmortem:
    return Postmortem.objects.select_for_update().select_related("team").get(pk=postmortem.pk)


def _postmortem_set_status(
    locked: Postmortem, original: Postmortem, by: Any, **changes: Any
) -> Postmortem:
    for name, value in changes.items():
        setattr(locked, name, value)
    record_as(locked, by)
    locked.save(update_fields=[*changes, "updated_at"])
    for name in ("status", "published_at", "not_required_reason", "version"):
        setattr(original, name, getattr(locked, name))
    return locked


def postmortem_submit_for_review(*, postmortem: Postmortem, by: Any) -> Postmortem:
    """Draft -> in review. Reviewers see it on their home page; Slack hears once."""
    if not permissions.can_edit_postmortem(by, postmortem):
        raise PostmortemTransitionError(_("You cannot edit this postmortem."))
    with transaction.atomic():
        locked = _postmortem_lock(postmortem)
        if locked.status != Postmortem.Status.DRAFT:
            raise PostmortemTransitionError(
                _("Only a draft can be sent for review (this one is %(status)s).")
                % {"status": locked.get_status_display()}
            )
        _postmortem_set_status(locked, postmortem, by, status=Postmortem.Status.IN_REVIEW)
        if locked.team.slack_webhook_url:
            slack_message_enqueue(
                team=locked.team,
                kind=SlackMessage.Kind.REVIEW,
                payload=publish_messages.review_requested(locked, by),
            )
    return postmortem


def postmortem_unresolved_comment_count(postmortem: Postmortem) -> int:
    return postmortem.comments.filter(parent__isnull=True, resolved=False).count()


def postmortem_publish(
    *, postmortem: Postmortem, by: Any, confirm_unresolved: bool = False
) -> Postmortem:
    """In review -> published. Refused while blame findings are open; asks for a
    confirmation while review comments are unresolved; tells the team's Slack once."""
    if not permissions.can_publish_postmortem(by, postmortem):
        raise PostmortemTransitionError(
            _("Only reviewers and team managers can publish this postmortem.")
        )
    with transaction.atomic():
        locked = _postmortem_lock(postmortem)
        if locked.status != Postmortem.Status.IN_REVIEW:
            raise PostmortemTransitionError(
                _("Only a postmortem in review can be published (this one is %(status)s).")
                % {"status": locked.get_status_display()}
            )
        findings = list(gates.unacknowledged_findings(locked))
        if findings:
            raise PostmortemHasFindings(
                ngettext(
                    "%(count)s blame finding is neither fixed nor acknowledged.",
                    "%(count)s blame findings are neither fixed nor acknowledged.",
                    len(findings),
                )
                % {"count": len(findings)},
                findings=findings,
            )
        unresolved = postmortem_unresolved_comment_count(locked)
        if unresolved and not confirm_unresolved:
            raise PostmortemNeedsConfirmation(
                ngettext(
                    "%(count)s review comment is not resolved yet.",
                    "%(count)s review comments are not resolved yet.",
                    unresolved,
                )
                % {"count": unresolved},
                unresolved_count=unresolved,
            )
        _postmortem_set_status(
            locked,
            postmortem,
            by,
            status=Postmortem.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        slack_message_enqueue(
            team=locked.team,
            kind=SlackMessage.Kind.PUBLISHED,
            payload=publish_messages.published(locked, locked.action_items.count()),
        )
    logger.info("postmortem %s published by %s", postmortem.pk, by)
    return postmortem


def postmortem_mark_not_required(*, postmortem: Postmortem, by: Any, reason: str) -> Postmortem:
    """Draft or in review -> not required, with the reason recorded."""
    if not permissions.can_publish_postmortem(by, postmortem):
        raise PostmortemTransitionError(
            _("Only reviewers and team managers can decide that no write-up is needed.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise PostmortemTransitionError(_("Say why no write-up is needed."))
    if len(reason) > 500:
        raise PostmortemTransitionError(_("Keep the reason under 500 characters."))
    if has_nul(reason):
        raise PostmortemTransitionError(nul_error().messages[0])
    with transaction.atomic():
        locked = _postmortem_lock(postmortem)
        if locked.status not in (Postmortem.Status.DRAFT, Postmortem.Status.IN_REVIEW):
            raise PostmortemTransitionError(
                _("Only a draft or a postmortem in review can be marked not required.")
            )
        _postmortem_set_status(
            locked,
            postmortem,
            by,
            status=Postmortem.Status.NOT_REQUIRED,
            not_required_reason=reason,
        )
    return postmortem


def postmortem_reopen(*, postmortem: Postmortem, by: Any) -> Postmortem:
    """Back to draft from in review, published or not required."""
    if not permissions.can_edit_postmortem(by, postmortem):
        raise PostmortemTransitionError(_("You cannot edit this postmortem."))
    with transaction.atomic():
        locked = _postmortem_lock(postmortem)
        if locked.status == Postmortem.Status.DRAFT:
            raise PostmortemTransitionError(_("This postmortem is already a draft."))
        if locked.status == Postmortem.Status.PUBLISHED and not permissions.can_publish_postmortem(
            by, locked
        ):
            raise PostmortemTransitionError(
                _("Only reviewers and team managers can take back a published postmortem.")
            )
        _postmortem_set_status(
            locked,
            postmortem,
            by,
            status=Postmortem.Status.DRAFT,
            published_at=None,
            not_required_reason="",
        )
    return postmortem
