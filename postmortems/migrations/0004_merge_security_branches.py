from django.db import migrations


class Migration(migrations.Migration):
    """The security branches each added a 0003 migration; this joins them into one line."""

    dependencies = [
        ("postmortems", "0003_auditevent"),
        ("postmortems", "0003_rerender_markdown"),
        ("postmortems", "0003_team_slack_webhook_allow_list"),
    ]

    operations = []
