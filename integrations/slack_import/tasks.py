from celery import shared_task

from . import services


@shared_task
def discard_stale_slack_uploads():
    """Beat, daily: Slack exports uploaded more than a day ago and never imported."""
    return services.slack_imports_discard_stale()
