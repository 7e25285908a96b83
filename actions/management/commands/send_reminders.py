import datetime

from django.core.management.base import BaseCommand, CommandError

from actions import reminders


class Command(BaseCommand):
    help = (
        "Run the reminder sweep now: claim today's reminders and queue one Slack message per "
        "team (the same work as the hourly task). Safe to repeat: nothing is reminded twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Sweep as if today were this day (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = datetime.datetime.strptime(date, "%Y-%m-%d").date()
            except ValueError:
                raise CommandError(
                    f"--date must be a day written YYYY-MM-DD, e.g. 2026-03-31 (got {date!r})."
                ) from None
        report = reminders.sweep(today)
        out = self.stdout
        out.write(f"Reminder sweep for {report.today.isoformat()}")
        out.write(f"Items considered: {report.items_considered}")
        out.write(
            f"Reminders: {report.reminders_claimed} new, "
            f"{report.reminders_already_reminded} already reminded"
        )
        for kind, counts in report.kinds.items():
            if counts.claimed or counts.already_reminded:
                out.write(
                    f"  {kind}: {counts.claimed} new, {counts.already_reminded} already reminded"
                )
        out.write(f"Messages queued: {report.messages_queued} (one per team)")
        out.write(f"Messages sent: {report.messages_sent}")
        out.write(f"Messages skipped (no webhook): {report.messages_skipped}")
        out.write(f"Messages failed: {report.messages_failed}")
        if report.messages_requeued:
            out.write(f"Earlier messages queued again: {report.messages_requeued}")
        if report.teams_failed:
            out.write(
                self.style.ERROR(
                    "Teams not swept because of an error (see the log; the next sweep retries): "
                    + ", ".join(report.teams_failed)
                )
            )
        if report.messages_pending:
            out.write(
                f"Messages pending: {report.messages_pending} "
                "(queued for the Celery worker; their outcome shows on the team page)"
            )
