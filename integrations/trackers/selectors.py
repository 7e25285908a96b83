from integrations.models import TrackerConnection, TrackerMessage


def team_connections(team):
    return TrackerConnection.objects.filter(team=team).order_by("kind", "id")


def item_messages(link, limit=5):
    return TrackerMessage.objects.filter(link=link).order_by("-created_at", "-id")[:limit]
