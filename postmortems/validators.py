"""Model field validators: rules that hold however a row is written (forms, admin, API)."""

from django.core.exceptions import ValidationError

from postmortems import slack


def validate_slack_webhook_url(value):
    """The ``SLACK_WEBHOOK_ALLOWED_HOSTS`` allow-list, the one the settings form applies,
    on the model: the admin, services and the API cannot store a forbidden webhook."""
    if not value:
        return
    try:
        slack.check_url(value)
    except slack.WebhookURLError as exc:
        raise ValidationError(str(exc), code="webhook_not_allowed") from None
