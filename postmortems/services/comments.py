"""Review comments: threads anchored to a place in the postmortem, resolved or reopened."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import limits, markdown
from ..anchors import anchor_exists, parse_anchor
from ..models import Postmortem, ReviewComment


def _review_comment_check_anchor(postmortem: Postmortem, anchor: str) -> None:
    parsed = parse_anchor(anchor)
    if parsed is None:
        raise ValidationError({"anchor": _("Unknown place to comment on.")})
    if anchor_exists(postmortem, parsed):
        return
    if parsed.kind == "section":
        raise ValidationError({"anchor": _("Unknown section.")})
    if parsed.kind == "factor":
        raise ValidationError({"anchor": _("That contributing factor is not on this postmortem.")})
    raise ValidationError({"anchor": _("That timeline event is not on this postmortem.")})


def review_comment_create(
    *,
    postmortem: Postmortem,
    by: Any,
    body: str,
    anchor: str = "general",
    parent: ReviewComment | None = None,
) -> ReviewComment:
    """A comment (or a reply, which joins its parent's thread and place)."""
    body = (body or "").strip()
    if parent is not None:
        if parent.postmortem_id != postmortem.pk:
            raise ValidationError({"parent": _("That comment belongs to another postmortem.")})
        # Threads are one level deep: a reply to a reply joins the same thread.
        if parent.parent is not None:
            parent = parent.parent
        anchor = parent.anchor
    anchor = anchor or "general"
    _review_comment_check_anchor(postmortem, anchor)
    limits.check_text(body=(body, "COMMENT_MAX_CHARS"))
    limits.check_room(
        existing=ReviewComment.objects.filter(postmortem=postmortem).count(),
        setting="COMMENTS_MAX_PER_POSTMORTEM",
        what=_("comments"),
    )
    comment = ReviewComment(
        postmortem=postmortem,
        anchor=anchor,
        parent=parent,
        author=by,
        body=body,
        body_html=markdown.render(body),
    )
    comment.full_clean()
    with transaction.atomic():
        comment.save()
    return comment


def review_comment_set_resolved(
    *, comment: ReviewComment, by: Any, resolved: bool
) -> ReviewComment:
    """Resolve or reopen a thread (always its first comment)."""
    root = comment.parent or comment
    root.resolved = bool(resolved)
    root.resolved_by = by if resolved else None
    root.resolved_at = timezone.now() if resolved else None
    with transaction.atomic():
        root.save(update_fields=["resolved", "resolved_by", "resolved_at"])
    return root
