"""HTML pages: create and revoke personal tokens; manage a team's outgoing webhooks."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import ApiTokenForm, WebhookForm


def _add_errors(form, exc):
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_POST
def token_create(request):
    """Shows the new token once, on this page (never stored, never redirected with it)."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The token was not created: give it a name."))
        return redirect("postmortems:profile")
    days = int(form.cleaned_data["expires_in"])
    record, token = services.api_token_create(
        user=request.user,
        name=form.cleaned_data["name"],
        scope=form.cleaned_data["scope"],
        days=days,
    )
    response = render(request, "api/token_created.html", {"record": record, "token": token})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request, pk):
    token = selectors.token_for_revoke(request.user, pk)
    if token is None:
        raise Http404
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "postmortems:profile"
    return redirect(target)


def _team_or_404(request, slug):
    team = selectors.managed_team(request.user, slug)
    if team is None:
        raise Http404
    return team


def _webhook_or_404(request, team, pk):
    webhook = selectors.webhook_for_manager(request.user, team, pk)
    if webhook is None:
        raise Http404
    return webhook


def webhook_list(request, slug):
    team = _team_or_404(request, slug)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            webhook = services.webhook_create(team=team, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Webhook added. Its signing secret is shown below."))
            return redirect("api_web:webhook", slug=team.slug, pk=webhook.pk)
    return render(
        request,
        "api/webhooks.html",
        {"team": team, "webhooks": selectors.team_webhooks(team), "form": form},
        status=400 if form.errors else 200,
    )


def webhook_detail(request, slug, pk):
    team = _team_or_404(request, slug)
    webhook = _webhook_or_404(request, team, pk)
    initial = {"url": webhook.url, "events": webhook.events}
    form = WebhookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_update(webhook=webhook, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Webhook saved."))
            return redirect("api_web:webhook", slug=team.slug, pk=webhook.pk)
    return render(
        request,
        "api/webhook_detail.html",
        {
            "team": team,
            "webhook": webhook,
            "form": form,
            "deliveries": selectors.webhook_deliveries(webhook),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def webhook_test(request, slug, pk):
    team = _team_or_404(request, slug)
    webhook = _webhook_or_404(request, team, pk)
    services.webhook_send_test_event(webhook=webhook, by=request.user)
    messages.info(request, _("Test event queued. Its outcome appears in the delivery log."))
    return redirect("api_web:webhook", slug=team.slug, pk=webhook.pk)


@require_POST
def webhook_rotate(request, slug, pk):
    team = _team_or_404(request, slug)
    webhook = _webhook_or_404(request, team, pk)
    services.webhook_rotate_secret(webhook=webhook, by=request.user)
    messages.success(request, _("New signing secret. Update your receiver."))
    return redirect("api_web:webhook", slug=team.slug, pk=webhook.pk)


@require_POST
def webhook_delete(request, slug, pk):
    team = _team_or_404(request, slug)
    webhook = _webhook_or_404(request, team, pk)
    services.webhook_delete(webhook=webhook, by=request.user)
    messages.success(request, _("Webhook deleted."))
    return redirect("api_web:webhooks", slug=team.slug)
