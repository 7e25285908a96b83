"""Sections the api app adds to other apps' pages (the profile, the team settings), so
those apps need not know about tokens or webhooks."""

from django import template

from .. import selectors
from ..forms import ApiTokenForm

register = template.Library()


@register.inclusion_tag("api/partials/_profile_tokens.html", takes_context=True)
def profile_api_tokens(context):
    request = context["request"]
    return {
        "tokens": selectors.tokens_of(request.user),
        "form": ApiTokenForm(),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("api/partials/_team_api.html", takes_context=True)
def team_api_section(context, team):
    return {
        "team": team,
        "tokens": selectors.team_member_tokens(team),
        "webhooks": selectors.team_webhooks(team),
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
