from django.db import migrations


class Migration(migrations.Migration):
    """The security branches each added a 0003 migration; this joins them into one line."""

    dependencies = [
        ("actions", "0003_rerender_markdown"),
        ("actions", "0003_themerollup_counts_without_restricted"),
    ]

    operations = []
