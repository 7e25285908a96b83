"""What the postmortem pages and their fragments read, with the prefetches they need."""

from typing import Any

from django.db.models import F, Prefetch, QuerySet

from .. import permissions, severity_templates
from ..models import (
    BlameAcknowledgement,
    ContributingFactor,
    Postmortem,
    ReviewComment,
    TimelineEvent,
)
from .visibility import visible_postmortems


def _action_items() -> QuerySet[Any]:
    """The postmortem's action items, in the order its page lists them. They belong to the
    actions app, which this app never names in code: it reaches them only through the reverse
    relation ``Postmortem.action_items`` (docs/architecture.md, "The dependency rule")."""
    model = Postmortem._meta.get_field("action_items").related_model
    return model._default_manager.select_related("assignee", "team").order_by(
        "status", "due_date", "id"
    )


def _link_items_to_factors(factors: list[ContributingFactor], items: list[Any]) -> None:
    """Give each factor ``linked_action_items``, from items already loaded."""
    by_factor: dict[int | None, list[Any]] = {}
    for item in items:
        by_factor.setdefault(item.factor_id, []).append(item)
    for factor in factors:
        factor.linked_action_items = by_factor.get(factor.pk, [])  # type: ignore[attr-defined]


def _page_action_items() -> QuerySet[Any]:
    """The action items as the read view prints them: the columns its rows show, the owner
    team's name and the assignee's names alone (not a Team and a User object per row)."""
    items: QuerySet[Any] = (
        _action_items()
        .select_related(None)
        .only(
            "id",
            "postmortem_id",
            "factor_id",
            "title",
            "kind",
            "priority",
            "status",
            "due_date",
            "team_id",
            "assignee_id",
        )
        .annotate(
            team_name=F("team__name"),
            assignee_username=F("assignee__username"),
            assignee_first_name=F("assignee__first_name"),
            assignee_last_name=F("assignee__last_name"),
        )
    )
    return items


def _attach_theme_names(factors: list[ContributingFactor]) -> None:
    """Give each factor ``theme_names``, in the order of ``factor.themes.all()``, from one
    query of names: a page of fifty factors needs neither a Theme object per tag nor a
    related manager per factor."""
    names: dict[int, list[str]] = {factor.pk: [] for factor in factors}
    if names:
        rows = (
            ContributingFactor.themes.through.objects.filter(contributingfactor_id__in=names)
            .order_by("theme__name")
            .values_list("contributingfactor_id", "theme__name")
        )
        for factor_id, name in rows:
            names[factor_id].append(name)
    for factor in factors:
        factor.theme_names = names[factor.pk]  # type: ignore[attr-defined]


def _postmortem_with_contents(
    user: Any,
    pk: int,
    *,
    events: QuerySet[Any],
    items: QuerySet[Any],
    theme_names: bool = False,
) -> Postmortem | None:
    postmortem = (
        severity_templates.annotate(visible_postmortems(user))
        .select_related("team", "created_by")
        .prefetch_related(
            Prefetch("timeline_events", queryset=events),
            Prefetch(
                "factors",
                queryset=ContributingFactor.objects.all()
                if theme_names
                else ContributingFactor.objects.prefetch_related("themes"),
            ),
            Prefetch("action_items", queryset=items),
            Prefetch(
                "comments",
                queryset=ReviewComment.objects.select_related("author", "resolved_by"),
            ),
            "authors",
            "reviewers",
        )
        .filter(pk=pk)
        .first()
    )
    if postmortem is not None:
        factors = list(postmortem.factors.all())
        _link_items_to_factors(factors, list(postmortem.action_items.all()))
        if theme_names:
            _attach_theme_names(factors)
    return postmortem


def postmortem_for_detail(user: Any, pk: int) -> Postmortem | None:
    """One visible postmortem with everything it holds (the API, the Markdown export), or
    None.

    The number of queries does not grow with the timeline, factors, actions or comments:
    action items are loaded once and shared between the postmortem and its factors; the
    team's severity template comes in the same row (``severity_templates.annotate``).
    """
    return _postmortem_with_contents(
        user,
        pk,
        events=TimelineEvent.objects.select_related("created_by"),
        items=_action_items(),
    )


def postmortem_for_page(user: Any, pk: int) -> Postmortem | None:
    """``postmortem_for_detail`` for the read view: the same queries, without what the page
    does not print (who wrote each event, every column of every action item, a Theme per
    tag: the factors get ``theme_names``). A long postmortem makes hundreds of objects;
    fewer and smaller ones are most of the view's database time."""
    return _postmortem_with_contents(
        user,
        pk,
        events=TimelineEvent.objects.all(),
        items=_page_action_items(),
        theme_names=True,
    )


def postmortem_for_edit(user: Any, pk: int) -> Postmortem | None:
    """A postmortem ``user`` may edit, or None."""
    postmortem = visible_postmortems(user).select_related("team").filter(pk=pk).first()
    if postmortem is None or not permissions.can_edit_postmortem(user, postmortem):
        return None
    return postmortem


def comment_threads(postmortem: Postmortem) -> list[ReviewComment]:
    """Top-level comments with ``thread_replies``, from the prefetched comments."""
    comments = list(postmortem.comments.all())
    replies: dict[int, list[ReviewComment]] = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    threads = [c for c in comments if not c.parent_id]
    for thread in threads:
        thread.thread_replies = replies.get(thread.pk, [])  # type: ignore[attr-defined]
    return threads


def postmortems_awaiting_review(user: Any) -> QuerySet[Postmortem]:
    """Postmortems in review where ``user`` is a reviewer."""
    return (
        visible_postmortems(user)
        .filter(status=Postmortem.Status.IN_REVIEW, reviewers=user)
        .select_related("team")
        .order_by("-updated_at", "-id")
    )


def postmortem_timeline(postmortem: Postmortem) -> list[TimelineEvent]:
    """The postmortem's timeline events in time order (for the timeline fragment)."""
    return list(
        postmortem.timeline_events.select_related("created_by").order_by("occurred_at", "id")
    )


def postmortem_factors(postmortem: Postmortem) -> list[ContributingFactor]:
    """Contributing factors with their themes and action items (for the factors fragment)."""
    factors = list(
        ContributingFactor.objects.filter(postmortem=postmortem)
        .prefetch_related("themes")
        .order_by("created_at", "id")
    )
    _link_items_to_factors(factors, list(_action_items().filter(postmortem=postmortem)))
    return factors


def postmortem_factor(postmortem: Postmortem, pk: int) -> ContributingFactor | None:
    """One factor of ``postmortem`` with its themes and action items (for its row alone)."""
    factor = (
        ContributingFactor.objects.filter(postmortem=postmortem, pk=pk)
        .prefetch_related("themes")
        .first()
    )
    if factor is not None:
        _link_items_to_factors([factor], list(_action_items().filter(factor=factor)))
    return factor


def postmortem_acknowledgements(postmortem: Postmortem) -> list[BlameAcknowledgement]:
    """Blame acknowledgements of a postmortem with who made them, newest first."""
    return list(
        BlameAcknowledgement.objects.filter(postmortem=postmortem)
        .select_related("by")
        .order_by("-created_at", "-id")
    )
