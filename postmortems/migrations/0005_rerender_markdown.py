"""Stored HTML rendered again with cmark-gfm and the allow-list without user classes
(issue 15): HTML saved before could carry ``class="position-fixed …"`` from a comment."""

from django.db import migrations

SECTIONS = ("summary", "impact", "went_well", "got_lucky", "surprises")
FIELDS = {
    "Postmortem": [(s, f"{s}_html") for s in SECTIONS],
    "TimelineEvent": [("text", "text_html")],
    "ContributingFactor": [("description", "description_html")],
    "ReviewComment": [("body", "body_html")],
}


def rerender(apps, schema_editor):
    from postmortems.rerender import rerender_rows

    for name, fields in FIELDS.items():
        rerender_rows(apps.get_model("postmortems", name), fields)


class Migration(migrations.Migration):
    dependencies = [("postmortems", "0004_team_slack_webhook_allow_list")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True)]
