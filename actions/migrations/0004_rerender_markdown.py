"""Stored notes rendered again with cmark-gfm and the allow-list without user classes
(issue 15)."""

from django.db import migrations

FIELDS = {"ActionItem": [("notes", "notes_html")], "KaizenReview": [("notes", "notes_html")]}


def rerender(apps, schema_editor):
    from postmortems.rerender import rerender_rows

    for name, fields in FIELDS.items():
        rerender_rows(apps.get_model("actions", name), fields)


class Migration(migrations.Migration):
    dependencies = [("actions", "0003_themerollup_counts_without_restricted"), ("postmortems", "0005_rerender_markdown")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True)]
