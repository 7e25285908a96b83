from django import template

register = template.Library()


@register.filter
def whole_minutes(value):
    """A ``timedelta`` as whole minutes, rounded up (a lockout never ends earlier than said)."""
    seconds = value.total_seconds()
    return int(-(-seconds // 60))
