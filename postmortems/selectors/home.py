"""The review lists of the home page: what waits for my review is in ``pages``; these are
my own postmortems, in review and as drafts."""

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from ..models import Postmortem
from .visibility import visible_postmortems


def _was_in_review() -> Exists:
    """Whether a postmortem's history holds a time it was in review."""
    return Exists(
        Postmortem.history.model.objects.filter(
            id=OuterRef("pk"), status=Postmortem.Status.IN_REVIEW
        )
    )


def my_postmortems_in_review(user: Any) -> QuerySet[Postmortem]:
    """The user's own postmortems waiting for reviewers, with the reviewers' names."""
    return (
        visible_postmortems(user)
        .filter(authors=user, status=Postmortem.Status.IN_REVIEW)
        .select_related("team")
        .prefetch_related("reviewers")
        .order_by("-updated_at", "-id")
    )


def my_drafts(user: Any) -> QuerySet[Postmortem]:
    """The user's drafts, each marked ``returned`` when it has been in review before (a
    reviewer, or an author, took it back to draft)."""
    return (
        visible_postmortems(user)
        .filter(authors=user, status=Postmortem.Status.DRAFT)
        .annotate(returned=_was_in_review())
        .select_related("team")
        .order_by("-returned", "-updated_at", "-id")
    )
