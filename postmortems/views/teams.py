from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import TeamReviewRulesForm, TeamSlackForm
from ..models import Severity


def _managed_team_or_404(request, slug):
    team = selectors.team_for_settings(request.user, slug)
    if team is None:
        raise Http404
    return team


def _render_settings(request, team, *, form=None, review_form=None):
    form = form or TeamSlackForm(instance=team)
    review_form = review_form or TeamReviewRulesForm(team=team)
    return render(
        request,
        "postmortems/team_settings.html",
        {
            "team": team,
            "form": form,
            "review_form": review_form,
            "severities": Severity.values,
            "members": team.memberships.select_related("user").order_by("user__username"),
            "slack_messages": selectors.recent_slack_messages(team),
        },
        status=400 if form.errors or review_form.errors else 200,
    )


def team_settings(request, slug):
    team = _managed_team_or_404(request, slug)
    form = TeamSlackForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        services.team_set_slack_webhook(
            team=team, url=form.cleaned_data["slack_webhook_url"], by=request.user
        )
        team.language = form.cleaned_data["language"]
        team.save(update_fields=["language"])
        messages.success(request, _("Team settings saved."))
        return redirect(team)
    return _render_settings(request, team, form=form)


@require_POST
def team_review_rules(request, slug):
    """Allow self-review and the severity templates, saved apart from the Slack form so
    saving one never clears the other (an empty webhook field means "stop sending")."""
    team = _managed_team_or_404(request, slug)
    review_form = TeamReviewRulesForm(request.POST, team=team)
    if not review_form.is_valid():
        return _render_settings(request, team, review_form=review_form)
    services.team_set_review_rules(
        team=team,
        allow_self_review=review_form.cleaned_data["allow_self_review"],
        templates=review_form.templates(),
        by=request.user,
    )
    messages.success(request, _("Review rules saved."))
    return redirect(f"{team.get_absolute_url()}#review-rules-heading")


@require_POST
def team_test_message(request, slug):
    team = _managed_team_or_404(request, slug)
    if not team.slack_webhook_url:
        messages.error(request, _("Save a webhook URL first."))
    else:
        services.team_send_test_message(team=team, by=request.user)
        messages.info(
            request, _("Test message queued. Its outcome appears under “Recent Slack messages”.")
        )
    return redirect(team)
