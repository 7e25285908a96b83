"""Reads for postmortems, always scoped to what the user may see."""

from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q

from .models import Membership, Postmortem, Team


def visible_postmortems(user):
    """Every postmortem ``user`` may read: the one place restriction is enforced.

    A restricted postmortem is visible to members of its team, its authors, reviewers and
    listed viewers, and superusers; everybody else never sees it (views answer 404).
    """
    qs = Postmortem.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    through = Postmortem.authors.through
    in_people = (
        Exists(through.objects.filter(postmortem_id=OuterRef("pk"), user_id=user.pk))
        | Exists(
            Postmortem.reviewers.through.objects.filter(
                postmortem_id=OuterRef("pk"), user_id=user.pk
            )
        )
        | Exists(
            Postmortem.viewers.through.objects.filter(postmortem_id=OuterRef("pk"), user_id=user.pk)
        )
    )
    member = Exists(Membership.objects.filter(team_id=OuterRef("team_id"), user_id=user.pk))
    return qs.filter(Q(restricted=False) | member | in_people)


def visible_themes(user):
    """Themes ``user`` may see named: those with a factor on a postmortem ``user`` may read,
    and those not used yet (created on the themes page). A theme first typed on a restricted
    postmortem stays out of sight of everyone who cannot open that postmortem."""
    from .models import ContributingFactor, Theme

    qs = Theme.objects.all()
    if user.is_authenticated and user.is_superuser:
        return qs
    factors = ContributingFactor.themes.through.objects.filter(theme_id=OuterRef("pk"))
    seen = factors.filter(contributingfactor__postmortem__in=visible_postmortems(user).values("pk"))
    return qs.filter(~Exists(factors) | Exists(seen))


def visible_postmortem_or_404(user, pk):
    """One postmortem ``user`` may read, with its team; 404 for anything else, so a
    restricted postmortem is indistinguishable from a missing one."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(visible_postmortems(user).select_related("team"), pk=pk)


def team_for_settings(user, slug):
    """The team whose settings page ``user`` may open (managers and superusers), or None."""
    qs = Team.objects.filter(slug=slug)
    if not user.is_superuser:
        qs = qs.filter(memberships__user=user, memberships__role=Membership.Role.MANAGER)
    return qs.first()


def team_audit_events(team):
    """The team's audit log, newest first (for its managers: see ``team_for_settings``)."""
    from .models import AuditEvent

    return AuditEvent.objects.filter(team=team).select_related("actor").order_by("-at", "-id")


def recent_slack_messages(team, limit=10):
    return team.slack_messages.all()[:limit]


# --- Postmortem pages -----------------------------------------------------------------------


def _set_prefetched(obj, relation, items):
    """Fill the cache ``obj.<relation>.all()`` reads, for rows loaded in a shared query."""
    queryset = getattr(obj, relation).all()
    queryset._result_cache = list(items)
    queryset._prefetch_done = True
    obj._prefetched_objects_cache = getattr(obj, "_prefetched_objects_cache", {})
    obj._prefetched_objects_cache[relation] = queryset


def postmortem_for_detail(user, pk):
    """One visible postmortem with everything its read view shows, or None.

    The number of queries does not grow with the timeline, factors, actions or comments:
    authors and reviewers come in one query, action items are shared between the
    postmortem and its factors.
    """
    from django.contrib.auth import get_user_model

    from actions.models import ActionItem

    from .models import ContributingFactor, ReviewComment, TimelineEvent

    action_items = Prefetch(
        "action_items",
        queryset=ActionItem.objects.select_related("assignee", "team").order_by(
            "status", "due_date", "id"
        ),
    )
    postmortem = (
        visible_postmortems(user)
        .select_related("team", "created_by")
        .prefetch_related(
            Prefetch(
                "timeline_events",
                queryset=TimelineEvent.objects.select_related("created_by"),
            ),
            Prefetch("factors", queryset=ContributingFactor.objects.prefetch_related("themes")),
            action_items,
            Prefetch(
                "comments",
                queryset=ReviewComment.objects.select_related("author", "resolved_by"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if postmortem is None:
        return None

    User = get_user_model()
    authors = Postmortem.authors.through.objects.filter(
        postmortem_id=postmortem.pk, user_id=OuterRef("pk")
    )
    reviewers = Postmortem.reviewers.through.objects.filter(
        postmortem_id=postmortem.pk, user_id=OuterRef("pk")
    )
    people = list(
        User.objects.annotate(is_author=Exists(authors), is_reviewer=Exists(reviewers))
        .filter(Q(is_author=True) | Q(is_reviewer=True))
        .order_by("first_name", "username")
    )
    _set_prefetched(postmortem, "authors", [p for p in people if p.is_author])
    _set_prefetched(postmortem, "reviewers", [p for p in people if p.is_reviewer])

    by_factor = {}
    for item in postmortem.action_items.all():
        by_factor.setdefault(item.factor_id, []).append(item)
    for factor in postmortem.factors.all():
        _set_prefetched(factor, "action_items", by_factor.get(factor.pk, []))
    return postmortem


def postmortem_for_edit(user, pk):
    """A postmortem ``user`` may edit, or None (the view answers 404 either way)."""
    from . import permissions

    postmortem = visible_postmortems(user).select_related("team").filter(pk=pk).first()
    if postmortem is None or not permissions.can_edit_postmortem(user, postmortem):
        return None
    return postmortem


def comment_threads(postmortem):
    """Top-level comments with ``thread_replies``, from the prefetched comments."""
    comments = list(postmortem.comments.all())
    replies = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    threads = [c for c in comments if not c.parent_id]
    for thread in threads:
        thread.thread_replies = replies.get(thread.pk, [])
    return threads


POSTMORTEM_SORTS = {
    "-started_at": ("-started_at", "-id"),
    "started_at": ("started_at", "id"),
    "-updated_at": ("-updated_at", "-id"),
    "severity": ("severity", "-started_at", "-id"),
    "title": ("title", "id"),
}


def postmortem_search(
    user,
    *,
    q="",
    team=None,
    severity="",
    status="",
    started_from=None,
    started_to=None,
    sort="-started_at",
):
    """Visible postmortems matching the list page's search, filters and sort."""
    qs = visible_postmortems(user).select_related("team")
    q = (q or "").strip()
    if q:
        # Every word somewhere in the title or a section. Substrings, not tokens: Korean
        # attaches particles to words ("결제가" must match "결제"), which no PostgreSQL
        # text-search configuration splits off.
        every_word = Q()
        for word in q.split():
            match = Q(title__icontains=word)
            for section in Postmortem.SECTIONS:
                match |= Q(**{f"{section}__icontains": word})
            every_word &= match
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            # "simple" keeps words as typed (no English stemming that would mangle Hangul);
            # it adds web-search syntax ("a phrase", or) on top of the substring match.
            vector = SearchVector("title", *Postmortem.SECTIONS, config="simple")
            query = SearchQuery(q, config="simple", search_type="websearch")
            qs = qs.annotate(search=vector).filter(Q(search=query) | every_word)
        else:
            qs = qs.filter(every_word)
    if team:
        qs = qs.filter(team=team)
    if severity:
        qs = qs.filter(severity=severity)
    if status:
        qs = qs.filter(status=status)
    if started_from:
        qs = qs.filter(started_at__gte=started_from)
    if started_to:
        qs = qs.filter(started_at__lt=started_to)
    order = POSTMORTEM_SORTS.get(sort, POSTMORTEM_SORTS["-started_at"])
    if order[0].lstrip("-") == "started_at":
        # Postmortems without a start time go last either way.
        field = F("started_at")
        first = (
            field.desc(nulls_last=True) if order[0].startswith("-") else field.asc(nulls_last=True)
        )
        return qs.order_by(first, order[1])
    return qs.order_by(*order)


def postmortems_awaiting_review(user):
    """Postmortems in review where ``user`` is a reviewer."""
    return (
        visible_postmortems(user)
        .filter(status=Postmortem.Status.IN_REVIEW, reviewers=user)
        .select_related("team")
        .order_by("-updated_at", "-id")
    )


def teams_for_postmortem_form(user):
    """Teams a postmortem can be filed under: the user's own, or every team for superusers."""
    if user.is_superuser:
        return Team.objects.order_by("name")
    return Team.objects.filter(memberships__user=user).order_by("name").distinct()


def postmortem_history(postmortem, limit=200):
    return postmortem.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )[:limit]


def postmortem_history_people(records):
    """{history_id: {"authors": {user ids}, "reviewers": …, "viewers": …}} for the given
    history records, in one query per field (the record-by-record diff would make one
    per record and field)."""
    from django.apps import apps

    history_ids = [record.history_id for record in records]
    people = {history_id: {} for history_id in history_ids}
    for name in ("authors", "reviewers", "viewers"):
        through = apps.get_model("postmortems", f"HistoricalPostmortem_{name}")
        for history_id in history_ids:
            people[history_id][name] = set()
        rows = through.objects.filter(history_id__in=history_ids).values_list(
            "history_id", "user_id"
        )
        for history_id, user_id in rows:
            people[history_id][name].add(user_id)
    return people


def people_names(user_ids):
    """{user id: display name} for the given ids, in one query."""
    from django.contrib.auth import get_user_model

    ids = set(user_ids)
    if not ids:
        return {}
    return {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=ids)
    }


def postmortem_timeline(postmortem):
    """The postmortem's timeline events in time order (for the timeline fragment)."""
    return list(
        postmortem.timeline_events.select_related("created_by").order_by("occurred_at", "id")
    )


def postmortem_factors(postmortem):
    """Contributing factors with their themes and action items (for the factors fragment)."""
    from .models import ContributingFactor

    return list(
        ContributingFactor.objects.filter(postmortem=postmortem)
        .prefetch_related("themes", "action_items")
        .order_by("created_at", "id")
    )


# --- Blameless-language lint ---------------------------------------------------------------

LINT_PEOPLE_CACHE_KEY = "postmortems:lint-people:v1"
LINT_PEOPLE_CACHE_SECONDS = 300
LINT_PEOPLE_LIMIT = 10_000


def lint_people():
    """Names the blame check treats as people: every active user's username, first, last
    and full name (both "given family" and "family given", as Korean names are written).

    Read at most once per cache period per process, never per keystroke; the lint endpoint
    and the publish gate share it. Returned ready for ``language.find_blame(people=...)``.
    """
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from .language import normalise_people

    people = cache.get(LINT_PEOPLE_CACHE_KEY)
    if people is None:
        names = []
        rows = (
            get_user_model()
            .objects.filter(is_active=True)
            .order_by("pk")
            .values_list("username", "first_name", "last_name")[:LINT_PEOPLE_LIMIT]
        )
        for username, first, last in rows:
            names += [username, first, last]
            if first and last:
                names += [f"{first} {last}", f"{last} {first}", f"{last}{first}"]
        people = normalise_people(names)
        cache.set(LINT_PEOPLE_CACHE_KEY, people, LINT_PEOPLE_CACHE_SECONDS)
    return people


def postmortem_acknowledgements(postmortem):
    """Blame acknowledgements of a postmortem with who made them, newest first."""
    from .models import BlameAcknowledgement

    return list(
        BlameAcknowledgement.objects.filter(postmortem=postmortem)
        .select_related("by")
        .order_by("-created_at", "-id")
    )


# --- Review lists on the home page ----------------------------------------------------------


def _was_in_review():
    """Whether a postmortem's history holds a time it was in review."""
    return Exists(
        Postmortem.history.model.objects.filter(
            id=OuterRef("pk"), status=Postmortem.Status.IN_REVIEW
        )
    )


def my_postmortems_in_review(user):
    """The user's own postmortems waiting for reviewers, with the reviewers' names."""
    return (
        visible_postmortems(user)
        .filter(authors=user, status=Postmortem.Status.IN_REVIEW)
        .select_related("team")
        .prefetch_related("reviewers")
        .order_by("-updated_at", "-id")
    )


def my_drafts(user):
    """The user's drafts, each marked ``returned`` when it has been in review before (a
    reviewer, or an author, took it back to draft)."""
    return (
        visible_postmortems(user)
        .filter(authors=user, status=Postmortem.Status.DRAFT)
        .annotate(returned=_was_in_review())
        .select_related("team")
        .order_by("-returned", "-updated_at", "-id")
    )
