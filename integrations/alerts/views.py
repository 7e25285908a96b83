"""The team's integration page: alert sources, severity table, incidents, refusals."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integrations.models import AlertSource
from postmortems.selectors import team_for_settings

from . import selectors, services
from .forms import AlertSourceForm, SecretForm, SeverityTableForm


def _managed_team_or_404(request, slug):
    team = team_for_settings(request.user, slug)
    if team is None:
        raise Http404
    return team


def _page(
    request,
    team,
    *,
    source_form=None,
    severity_form=None,
    new_secret=None,
    tracker_form=None,
    new_tracker=None,
    status=200,
):
    from integrations.trackers.forms import TrackerConnectionForm
    from integrations.trackers.selectors import team_connections

    rules = selectors.severity_rules(team)
    sources = list(selectors.alert_sources(team))
    for source in sources:
        source.endpoint_url = selectors.endpoint_url(source)
    return render(
        request,
        "integrations/alerts/team.html",
        {
            "team": team,
            "sources": sources,
            "source_form": source_form or AlertSourceForm(),
            "severity_form": severity_form
            or SeverityTableForm(initial={"rules": SeverityTableForm.initial_text(rules)}),
            "new_secret": new_secret,
            "incidents": selectors.recent_incidents(team),
            "rejections": selectors.rejected_deliveries(team),
            "default_severities": services.DEFAULT_SEVERITIES,
            "connections": team_connections(team),
            "tracker_form": tracker_form or TrackerConnectionForm(),
            "new_tracker": new_tracker,
        },
        status=status,
    )


def team_integrations(request, slug):
    team = _managed_team_or_404(request, slug)
    return _page(request, team)


@require_POST
def alert_source_add(request, slug):
    team = _managed_team_or_404(request, slug)
    form = AlertSourceForm(request.POST)
    if not form.is_valid():
        return _page(request, team, source_form=form, status=400)
    source, secret = services.alert_source_create(
        team=team,
        kind=form.cleaned_data["kind"],
        name=form.cleaned_data["name"],
        secret=form.cleaned_data["secret"],
        by=request.user,
    )
    source.endpoint_url = selectors.endpoint_url(source)
    # Shown on this answer only: the secret is not stored in clear anywhere.
    return _page(request, team, new_secret=(source, secret))


@require_POST
def alert_source_rotate(request, slug, pk):
    team = _managed_team_or_404(request, slug)
    source = get_object_or_404(AlertSource, pk=pk, team=team)
    form = SecretForm(request.POST)
    form.is_valid()
    secret = services.alert_source_rotate_secret(
        source=source, by=request.user, secret=form.cleaned_data.get("secret", "")
    )
    source.endpoint_url = selectors.endpoint_url(source)
    return _page(request, team, new_secret=(source, secret))


@require_POST
def alert_source_delete(request, slug, pk):
    team = _managed_team_or_404(request, slug)
    source = get_object_or_404(AlertSource, pk=pk, team=team)
    services.alert_source_delete(source=source, by=request.user)
    messages.success(request, _("Alert source removed."))
    return redirect(reverse("integrations:team", args=[team.slug]))


@require_POST
def severity_table_save(request, slug):
    team = _managed_team_or_404(request, slug)
    form = SeverityTableForm(request.POST)
    if not form.is_valid():
        return _page(request, team, severity_form=form, status=400)
    services.severity_rules_save(team=team, rules=form.cleaned_data["rules"], by=request.user)
    messages.success(request, _("Severity table saved."))
    return redirect(reverse("integrations:team", args=[team.slug]))
