"""The review workflow: every status change of a postmortem goes through here."""

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import events, gates, permissions
from ..bounds import has_nul, nul_error
from ..models import Postmortem, SlackMessage
from ..severity_templates import PUBLISH, REVIEW
from ..slack import blocks, publish_messages, review_messages
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


class PostmortemIncomplete(PostmortemTransitionError):
    """The severity template asks for more before this step; ``missing`` lists what."""

    def __init__(self, message: str, *, missing: list[Any]) -> None:
        super().__init__(message)
        self.missing = missing


# Stored as the history record's change reason when an author reviews their own work under
# the team's "allow self-review"; the history page translates it on display.
SELF_REVIEW_REASON = "self_review"


def _postmortem_lock(postmortem: Postmortem) -> Postmortem:
    return Postmortem.objects.select_for_update().select_related("team").get(pk=postmortem.pk)


def _postmortem_set_status(
    locked: Postmortem, original: Postmortem, by: Any, **changes: Any
) -> Postmortem:
    old_status = locked.status
    for name, value in changes.items():
        setattr(locked, name, value)
    record_as(locked, by)
    locked.save(update_fields=[*changes, "updated_at"])
    for name in ("status", "published_at", "not_required_reason", "version"):
        setattr(original, name, getattr(locked, name))
    if locked.status != old_status:
        events.postmortem_status_changed.send(
            sender=Postmortem, postmortem=locked, old_status=old_status, by=by
        )
    return locked


def postmortem_submit_for_review(*, postmortem: Postmortem, by: Any) -> Postmortem:
    """Draft -> in review. Needs a reviewer who is not an author (unless the team allows
    self-review) and what the severity template asks for before review. Reviewers see it
    on their home page; Slack hears once, mentioning them."""
    if not permissions.can_edit_postmortem(by, postmortem):
        raise PostmortemTransitionError(_("You cannot edit this postmortem."))
    with transaction.atomic():
        locked = _postmortem_lock(postmortem)
        if locked.status != Postmortem.Status.DRAFT:
            raise PostmortemTransitionError(
                _("Only a draft can be sent for review (this one is %(status)s).")
                % {"status": locked.get_status_display()}
            )
        if not locked.reviewers.exists():
            raise PostmortemTransitionError(
                _("Not sent for review: it has no reviewers. Add a reviewer on the edit page.")
            )
        if not permissions.can_send_for_review(locked):
            raise PostmortemTransitionError(
                _(
                    "Not sent for review: every reviewer is also an author. Add a reviewer "
                    "who did not write it."
                )
            )
        missing = gates.missing_requirements(locked, REVIEW)
        if missing:
            raise PostmortemIncomplete(
                _("Not sent for review: this %(severity)s postmortem still needs %(missing)s.")
                % {"severity": locked.severity, "missing": gates.missing_text(missing)},
                missing=missing,
            )
        reviewers = list(locked.reviewers.select_related("profile"))
        if not permissions.independent_reviewers(locked):
            record_as(locked, by, SELF_REVIEW_REASON)
        _postmortem_set_status(locked, postmortem, by, status=Postmortem.Status.IN_REVIEW)
        slack_message_enqueue(
            team=locked.team,
            kind=SlackMessage.Kind.REVIEW,
            payload=review_messages.review_requested(locked, by, reviewers),
        )
    return postmortem


def postmortem_unresolved_comment_count(postmortem: Postmortem) -> int:
    return postmortem.comments.filter(parent__isnull=True, resolved=False).count()


def postmortem_publish(
    *, postmortem: Postmortem, by: Any, confirm_unresolved: bool = False
) -> Postmortem:
    """In review -> published, by a reviewer or manager who is not an author (unless the
    team allows self-review, recorded in the history). Refused while the severity template
    asks for more or blame findings are open; asks for a confirmation while review
    comments are unresolved; tells the team's Slack once, mentioning the authors."""
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
        if not permissions.can_approve_postmortem(by, locked):
            raise PostmortemTransitionError(
                _(
                    "Not published: you are an author, and a postmortem is published by "
                    "a reviewer who did not write it."
                )
            )
        missing = gates.missing_requirements(locked, PUBLISH)
        if missing:
            raise PostmortemIncomplete(
                _("Not published: this %(severity)s postmortem still needs %(missing)s.")
                % {"severity": locked.severity, "missing": gates.missing_text(missing)},
                missing=missing,
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
        if permissions.review_is_self_review(by, locked):
            record_as(locked, by, SELF_REVIEW_REASON)
        _postmortem_set_status(
            locked,
            postmortem,
            by,
            status=Postmortem.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        payload = publish_messages.published(locked, locked.action_items.count())
        thanks = review_messages.published_thanks(
            locked, by, locked.authors.select_related("profile")
        )
        payload["text"] += f"\n{thanks}"
        payload["blocks"].insert(-1, blocks.section(thanks))
        slack_message_enqueue(team=locked.team, kind=SlackMessage.Kind.PUBLISHED, payload=payload)
    logger.info("postmortem %s published by %s", postmortem.pk, by)
    return postmortem


def postmortem_mark_not_required(*, postmortem: Postmortem, by: Any, reason: str) -> Postmortem:
    """Draft or in review -> not required, with the reason recorded. Like publishing, it is
    decided by a reviewer or manager who is not an author, unless the team allows
    self-review (then the history records it)."""
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
        if not permissions.can_mark_not_required(by, locked):
            raise PostmortemTransitionError(
                _(
                    "Not marked as not required: you are an author, and that is decided by "
                    "a reviewer who did not write it."
                )
            )
        if permissions.review_is_self_review(by, locked):
            record_as(locked, by, SELF_REVIEW_REASON)
        _postmortem_set_status(
            locked,
            postmortem,
            by,
            status=Postmortem.Status.NOT_REQUIRED,
            not_required_reason=reason,
        )
    return postmortem


def postmortem_reopen(*, postmortem: Postmortem, by: Any) -> Postmortem:
    """Back to draft from in review, published or not required. A reviewer sending a
    postmortem in review back tells its authors on Slack."""
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
        was_in_review = locked.status == Postmortem.Status.IN_REVIEW
        _postmortem_set_status(
            locked,
            postmortem,
            by,
            status=Postmortem.Status.DRAFT,
            published_at=None,
            not_required_reason="",
        )
        authors = list(locked.authors.select_related("profile"))
        if was_in_review and not any(author.pk == by.pk for author in authors):
            # A reviewer sent it back: the authors hear it; an author taking it back does not.
            slack_message_enqueue(
                team=locked.team,
                kind=SlackMessage.Kind.RETURNED,
                payload=review_messages.returned(locked, by, authors),
            )
    return postmortem
