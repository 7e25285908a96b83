import django.db.models.deletion
from django.db import migrations, models

# The defaults of postmortems.severity_templates when this migration was written; frozen
# here so the migration means the same whatever the module says later.
_MAJOR_REVIEW = [
    "summary",
    "impact",
    "started_at",
    "detected_at",
    "resolved_at",
    "detection_event",
    "repair_event",
]
DEFAULTS = {
    "SEV1": (_MAJOR_REVIEW, ["factor", "action_item"]),
    "SEV2": (_MAJOR_REVIEW, ["factor", "action_item"]),
    "SEV3": (["summary", "impact", "started_at", "resolved_at"], ["factor", "action_item"]),
    "SEV4": (["summary"], ["impact"]),
}


def seed_templates(apps, schema_editor):
    Team = apps.get_model("postmortems", "Team")
    SeverityTemplate = apps.get_model("postmortems", "SeverityTemplate")
    rows = [
        SeverityTemplate(
            team_id=team_id,
            severity=severity,
            before_review=list(review),
            before_publish=list(publish),
        )
        for team_id in Team.objects.values_list("pk", flat=True)
        for severity, (review, publish) in DEFAULTS.items()
    ]
    SeverityTemplate.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("postmortems", "0007_blame_dismissals_and_hint_outcomes")]

    operations = [
        migrations.AddField(
            model_name="team",
            name="allow_self_review",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Authors may review and publish their own postmortems. Only for teams "
                    "of one; each use is recorded in the postmortem's history."
                ),
                verbose_name="allow self-review",
            ),
        ),
        migrations.AddField(
            model_name="postmortem",
            name="no_action_items_reason",
            field=models.CharField(
                blank=True,
                default="",
                help_text=(
                    "Where the severity template asks for action items and none are needed."
                ),
                max_length=500,
                verbose_name="why no action items",
            ),
        ),
        migrations.AddField(
            model_name="historicalpostmortem",
            name="no_action_items_reason",
            field=models.CharField(
                blank=True,
                default="",
                help_text=(
                    "Where the severity template asks for action items and none are needed."
                ),
                max_length=500,
                verbose_name="why no action items",
            ),
        ),
        migrations.CreateModel(
            name="SeverityTemplate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "severity",
                    models.CharField(
                        choices=[
                            ("SEV1", "SEV1 — critical: most users cannot use the product"),
                            ("SEV2", "SEV2 — major: a key feature is down or badly degraded"),
                            ("SEV3", "SEV3 — minor: partial or short impact with a workaround"),
                            (
                                "SEV4",
                                "SEV4 — low: little or no customer impact, worth learning from",
                            ),
                        ],
                        max_length=4,
                        verbose_name="severity",
                    ),
                ),
                (
                    "before_review",
                    models.JSONField(blank=True, default=list, verbose_name="required before review"),
                ),
                (
                    "before_publish",
                    models.JSONField(
                        blank=True, default=list, verbose_name="required before publishing"
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="severity_templates",
                        to="postmortems.team",
                    ),
                ),
            ],
            options={
                "verbose_name": "severity template",
                "verbose_name_plural": "severity templates",
                "ordering": ["team", "severity"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("team", "severity"), name="severity_template_unique_team_severity"
                    )
                ],
            },
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("restricted_on", "Postmortem restricted"),
                    ("restricted_off", "Postmortem no longer restricted"),
                    ("viewer_added", "Viewer added"),
                    ("viewer_removed", "Viewer removed"),
                    ("webhook_changed", "Slack webhook changed"),
                    ("review_rules_changed", "Review rules changed"),
                    ("role_changed", "Role changed"),
                    ("export_csv", "CSV export"),
                    ("export_markdown", "Markdown export"),
                    ("lockout", "Sign-in locked out"),
                ],
                max_length=30,
                verbose_name="action",
            ),
        ),
        migrations.AlterField(
            model_name="slackmessage",
            name="kind",
            field=models.CharField(
                choices=[
                    ("test", "Test message"),
                    ("published", "Postmortem published"),
                    ("review", "Review requested"),
                    ("returned", "Returned to the authors"),
                    ("reminders", "Action-item reminders"),
                    ("digest", "Kaizen digest"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(seed_templates, migrations.RunPython.noop),
    ]
