"""Kaizen: recurring themes, theme management and suggestions, Kaizen review notes."""

import datetime
from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from postmortems.bounds import range_error
from postmortems.fields import parse_id
from postmortems.models import Team
from postmortems.selectors import visible_postmortems, visible_themes

from .. import kaizen, services
from ..forms import KaizenReviewForm, ReportFilterForm, ThemeForm, ThemeMergeForm
from ..kaizen import current_week as this_week
from ..models import ActionItem
from ..permissions import can_manage_themes, can_write_kaizen_review, kaizen_review_teams
from ..selectors import visible_action_items

MAX_CUSTOM_WEEKS = 104


def _require_theme_manager(user):
    # Theme management exists only for managers: a page for nobody else answers 404
    # (docs/architecture.md, "Permissions").
    if not can_manage_themes(user):
        raise Http404


def _range(request, form):
    """(periods, weeks or None, first, last, errors): the last 4 or 12 weeks, or the weeks
    overlapping ?from=&to= (at most ``MAX_REPORT_RANGE_DAYS``)."""
    end = kaizen.last_completed_week_end()
    errors = []
    if not form.is_valid():
        errors = [*form.messages(), _("Showing the last 4 weeks.")]
    elif form.cleaned_data.get("from") or form.cleaned_data.get("to"):
        last = form.cleaned_data.get("to") or end
        first = form.cleaned_data.get("from") or (
            last - datetime.timedelta(weeks=4) + datetime.timedelta(days=1)
        )
        if first > last or range_error(first, last):
            errors.append(range_error(first, last) or _("The start date is after the end date."))
            errors.append(_("Showing the last 4 weeks."))
        else:
            periods = kaizen.periods_between(first, last)[-MAX_CUSTOM_WEEKS:]
            return periods, None, first, last, errors
    weeks = 12 if request.GET.get("weeks") == "12" else 4
    # The finished weeks, then the week in progress (counted so far, marked on the page).
    periods = kaizen.periods_between(end - datetime.timedelta(weeks=weeks - 1), end)
    monday, sunday, today = this_week.current_week()
    periods.append((monday, sunday))
    return periods, weeks, periods[0][0], today, errors


class TeamOption(NamedTuple):
    pk: int
    name: str


def kaizen_page(request):
    # A few hundred teams for the filter: rows, not model instances.
    teams = [TeamOption(*row) for row in Team.objects.values_list("pk", "name")]
    form = ReportFilterForm(request.GET)
    team_id = form.cleaned_data.get("team") if form.is_valid() else None
    chosen = next((t for t in teams if t.pk == team_id), None)
    team = Team(pk=chosen.pk, name=chosen.name) if chosen is not None else None
    periods, weeks, first, last, errors = _range(request, form)
    with_restricted = kaizen.reader_sees_all(request.user, team)
    monday, _sunday, today = this_week.current_week()
    in_progress = periods[-1][0] == monday
    # The open items are counted once: for the week in progress and for the drill-down.
    open_items = kaizen.open_item_counts(user=request.user, today=today, team=team)
    if in_progress:
        trends = this_week.trends_with_current_week(
            periods, team=team, with_restricted=with_restricted, today=today, open_items=open_items
        )
    else:
        trends = kaizen.trends(periods, team=team, with_restricted=with_restricted)
    kaizen.attach_drill_down(
        trends,
        user=request.user,
        first=periods[0][0],
        last=periods[-1][1],
        team=team,
        open_items=open_items,
    )
    user = request.user
    context = {
        "teams": teams,
        "team": team,
        "weeks": weeks,
        "first": first,
        "last": last,
        "periods": periods,
        "in_progress": in_progress,
        "today": today,
        "errors": errors,
        "trends": trends,
        "unprevented": [t for t in trends if t.needs_prevention],
        "reviews": kaizen.review_notes(user, team=team),
        "recurring_periods": kaizen.RECURRING_PERIODS,
        "can_write_review": can_write_kaizen_review(user),
        "can_manage_themes": can_manage_themes(user),
        "drill_limit": kaizen.DRILL_LIMIT,
    }
    return render(request, "actions/kaizen.html", context)


# --- Themes ----------------------------------------------------------------------------------


def themes(request):
    """List themes; managers create one with the form on the same page."""
    can_manage = can_manage_themes(request.user)
    form = ThemeForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        _require_theme_manager(request.user)
        if form.is_valid():
            theme = services.theme_save(
                name=form.cleaned_data["name"],
                keywords=form.keywords(),
                description=form.cleaned_data["description"],
                by=request.user,
            )
            messages.success(request, _("Theme “%(name)s” created.") % {"name": theme.name})
            return redirect("actions:themes")
    # Only themes and factors the reader may see: a name typed on a restricted postmortem,
    # or its count, would tell of it.
    visible_factors = Q(factors__postmortem__in=visible_postmortems(request.user).values("pk"))
    theme_list = (
        visible_themes(request.user)
        .annotate(factor_count=Count("factors", filter=visible_factors))
        .order_by("name")
    )
    return render(
        request,
        "actions/themes.html",
        {
            "themes": theme_list,
            "form": form,
            "can_manage": can_manage,
            "merge_form": ThemeMergeForm(user=request.user) if can_manage else None,
        },
        status=400 if form is not None and form.errors else 200,
    )


def theme_edit(request, pk):
    _require_theme_manager(request.user)
    theme = get_object_or_404(visible_themes(request.user), pk=pk)
    form = ThemeForm(request.POST or None, theme=theme)
    if request.method == "POST" and form.is_valid():
        services.theme_save(
            theme=theme,
            name=form.cleaned_data["name"],
            keywords=form.keywords(),
            description=form.cleaned_data["description"],
            by=request.user,
        )
        messages.success(request, _("Theme “%(name)s” saved.") % {"name": theme.name})
        return redirect("actions:themes")
    return render(
        request,
        "actions/theme_form.html",
        {"form": form, "theme": theme},
        status=400 if form.errors else 200,
    )


def theme_merge(request):
    """GET/first POST: pick two themes and see what will move; POST with confirm: merge."""
    _require_theme_manager(request.user)
    form = ThemeMergeForm(request.POST or request.GET or None, user=request.user)
    if not form.is_bound or not form.is_valid():
        return render(
            request,
            "actions/theme_merge.html",
            {"form": form},
            status=400 if form.is_bound else 200,
        )
    source, target = form.cleaned_data["source"], form.cleaned_data["target"]
    if request.method == "POST" and form.cleaned_data["confirm"]:
        try:
            moved = services.theme_merge(source=source, target=target, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
            return render(request, "actions/theme_merge.html", {"form": form}, status=400)
        messages.success(
            request,
            _("“%(source)s” merged into “%(target)s”: %(count)d factors moved.")
            % {"source": source.name, "target": target.name, "count": moved},
        )
        return redirect("actions:themes")
    return render(
        request,
        "actions/theme_merge.html",
        {
            "form": form,
            "source": source,
            "target": target,
            "factor_count": source.factors.count(),
            "confirming": True,
        },
    )


@require_POST
def theme_suggest(request):
    """Suggested themes for a factor description, as an HTML fragment (htmx).

    ``text`` is the description; ``exclude`` (repeatable) and a posted ``themes`` selection
    leave out themes already chosen.
    Any other field whose name ends in "description" is read when ``text`` is absent, so the
    factor form's own textarea can post itself with ``hx-post``."""
    text = request.POST.get("text")
    if text is None:
        text = next((v for k, v in request.POST.items() if k.endswith("description")), "")
    chosen = request.POST.getlist("exclude") + [
        v
        for k in request.POST
        if k == "themes" or k.endswith("-themes")
        for v in request.POST.getlist(k)
    ]
    exclude = [pk for pk in map(parse_id, chosen) if pk is not None]
    suggestions = kaizen.suggest_themes(text[:10_000], user=request.user, exclude=exclude)
    return render(request, "actions/partials/_theme_suggestions.html", {"suggestions": suggestions})


# --- Kaizen reviews --------------------------------------------------------------------------


def kaizen_review_create(request):
    user = request.user
    teams = kaizen_review_teams(user)
    if not teams.exists():
        raise Http404
    items = (
        visible_action_items(user)
        .filter(team__in=teams, status__in=ActionItem.OPEN_STATUSES)
        .select_related("team")
        .order_by("team__name", "due_date", "id")
    )
    end = kaizen.last_completed_week_end()
    initial = {
        "period_start": end - datetime.timedelta(days=27),
        "period_end": end,
        "team": parse_id(request.GET.get("team", "")),
    }
    form = KaizenReviewForm(request.POST or None, teams=teams, action_items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.kaizen_review_create(
                team=data["team"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                notes=data["notes"],
                action_items=data["action_items"],
                by=user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Kaizen review saved."))
            return redirect(f"{reverse('actions:kaizen')}?team={review.team_id}#reviews")
    return render(
        request,
        "actions/kaizen_review_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
