"""Write the "Not blame" dismissals as JSON Lines, so real cases reach the blame corpus.

    python manage.py export_blame_dismissals [--team slug] [--since YYYY-MM-DD]
        [--include-restricted] [--output file.jsonl]

One object per line: ``text`` (the sentence), ``label`` ("neutral": what the dismisser
said), ``rule``, ``phrase``, ``reason``, ``postmortem``, ``team``, ``location``, ``by``,
``created_at``. Restricted postmortems are left out unless ``--include-restricted``.
"""

import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from postmortems.models import Team
from postmortems.selectors import dismissals_for_export


class Command(BaseCommand):
    help = "Export blame-hint dismissals as JSON Lines (one per line) for the corpus."

    def add_arguments(self, parser):
        parser.add_argument("--team", help="only this team (slug)")
        parser.add_argument("--since", help="only dismissals on or after this date, YYYY-MM-DD")
        parser.add_argument(
            "--include-restricted",
            action="store_true",
            help="also dismissals on restricted postmortems (left out by default)",
        )
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, **options):
        team = None
        if options["team"]:
            team = Team.objects.filter(slug=options["team"]).first()
            if team is None:
                raise CommandError(f"No team with slug {options['team']!r}.")
        since = None
        if options["since"]:
            try:
                since = datetime.date.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError("--since takes a date such as 2026-01-31.") from exc
        rows = dismissals_for_export(
            team=team, since=since, include_restricted=options["include_restricted"]
        )
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as out:
                count = self._write(rows, out)
            self.stderr.write(f"{count} dismissals written to {options['output']}")
        elif self._write(rows, self.stdout) == 0:
            sys.stderr.write("no dismissals\n")

    def _write(self, rows, stream):
        count = 0
        for d in rows.iterator(chunk_size=500):
            record = {
                "text": d.sentence,
                "label": "neutral",
                "rule": d.rule,
                "phrase": d.phrase,
                "reason": d.reason,
                "postmortem": d.postmortem_id,
                "team": d.postmortem.team.slug if d.postmortem.team_id else None,
                "location": d.location,
                "by": d.by.get_username() if d.by else None,
                "created_at": d.created_at.isoformat(),
            }
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count
