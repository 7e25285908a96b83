"""Reads for the team's integration page."""

from django.conf import settings

from integrations.models import AlertIncident, AlertSource, RejectedDelivery, SeverityRule


def alert_sources(team):
    return AlertSource.objects.filter(team=team).order_by("kind", "id")


def endpoint_url(source):
    return f"{settings.SITE_URL}{source.get_absolute_url()}"


def recent_incidents(team, limit=20):
    return (
        AlertIncident.objects.filter(source__team=team)
        .select_related("source", "postmortem")
        .order_by("-updated_at", "-id")[:limit]
    )


def rejected_deliveries(team):
    return RejectedDelivery.objects.filter(team=team).select_related("source", "tracker")[
        : RejectedDelivery.KEEP
    ]


def severity_rules(team):
    return SeverityRule.objects.filter(team=team).order_by("value")
