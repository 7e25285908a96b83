"""``alert_source add --team <slug> --kind <kind> [--name N] [--secret S] [--json]``.

Prints the endpoint URL and its secret; with ``--json`` the last line is
``{"url": …, "secret": …}``. The secret is not stored in clear: this is the only time it
is shown.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from integrations.alerts import selectors, services
from integrations.models import AlertSource
from postmortems.models import Team


class Command(BaseCommand):
    help = "Add an alert source (PagerDuty, Opsgenie, Alertmanager, Grafana) to a team."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Add a source and print its URL and secret.")
        add.add_argument("--team", required=True, help="the team's slug")
        add.add_argument("--kind", required=True, choices=AlertSource.Kind.values)
        add.add_argument("--name", default="")
        add.add_argument(
            "--secret", default="", help="a secret the tool made (PagerDuty); default: new"
        )
        add.add_argument("--json", action="store_true", help="end with a JSON line")
        listing = sub.add_parser("list", help="List a team's sources (never their secrets).")
        listing.add_argument("--team", required=True)

    def handle(self, *args, action, team, **options):
        team_obj = Team.objects.filter(slug=team).first()
        if team_obj is None:
            raise CommandError(f"No team with the slug {team!r}.")
        if action == "list":
            for source in selectors.alert_sources(team_obj):
                self.stdout.write(
                    f"{source.kind}\t{source.label}\t{selectors.endpoint_url(source)}"
                )
            return
        source, secret = services.alert_source_create(
            team=team_obj, kind=options["kind"], name=options["name"], secret=options["secret"]
        )
        url = selectors.endpoint_url(source)
        if options["json"]:
            self.stdout.write(json.dumps({"url": url, "secret": secret}))
        else:
            self.stdout.write(f"URL:    {url}\nSecret: {secret}\n(shown once; not stored in clear)")
