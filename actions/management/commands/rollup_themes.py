"""Roll up recurring themes for the last completed week, or backfill several weeks."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from actions import kaizen


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--period-end: expected YYYY-MM-DD, got {value!r}") from None


class Command(BaseCommand):
    help = "Write weekly theme roll-ups (default: the last completed Monday-to-Sunday week)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--period-end",
            type=_date,
            default=None,
            help="Last day (YYYY-MM-DD) of the newest week; default: last Sunday.",
        )
        parser.add_argument(
            "--weeks", type=int, default=1, help="How many weeks to write, going back."
        )

    def handle(self, *args, period_end=None, weeks=1, **options):
        if weeks < 1:
            raise CommandError("--weeks must be at least 1")
        for result in kaizen.rollup_weeks(period_end=period_end, weeks=weeks):
            self.stdout.write(
                f"{result.period_start} – {result.period_end}: {result.rows} roll-up rows"
            )
