"""``make drill``: a fault drill of the reminder sweep on PostgreSQL + Redis.

Seeds the sweep scenario (100k open items in 200 teams; ``--items`` for less), starts a
private redis-server on a free port (never the shared one) that keeps an append-only file,
a loopback Slack that answers slowly, and two Celery worker processes; runs the sweep on a
worker. While the messages are being delivered it ``kill -9``s one worker (its main process
and pool children: its process group, as a lost machine), then ``kill -9``s Redis and
starts it again from its append-only file (queued tasks come back, and so do tasks taken
but never acknowledged — some for messages already sent — handed out again after the
visibility timeout), restarts the killed worker, and later kills Redis again and starts it
empty (every queued task lost). A re-dispatch runs every few seconds, as beat's
``slack-outbox-redispatch`` would.

Afterwards it counts, for every reminder claimed today, the posts the loopback Slack got
for the message carrying it: exactly one is the goal. A post in flight when its worker was
killed is the one case the outbox cannot settle (Slack took it, the worker never recorded
the answer; Slack's incoming webhooks take no idempotency key): it is posted again once
its lease expires. Each duplicate is printed with its posts' times against the kill's, and
judged: explained (first post received before the kill over a connection of a killed
process, its answer not recorded by then, the second only after the lease) or not. Exit
status 0 when every reminder arrived, nothing is stuck, and every duplicate is explained;
1 otherwise.

``python -m tests.bench.drill --help`` for the options.
"""

import argparse
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from .data import DEFAULT_DATABASE_URL
from .drill_count import hook_path, report
from .drill_processes import QUEUE, ROOT, Kill, PrivateRedis, Worker, free_port

DRILL_DATABASE_URL = DEFAULT_DATABASE_URL.rsplit("/", 1)[0] + "/hindsight_drill"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.bench.drill", description=__doc__)
    parser.add_argument("--items", type=int, default=100_000, help="open action items")
    parser.add_argument("--teams", type=int, default=200, help="teams they are spread over")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the drill database's data if it has any"
    )
    parser.add_argument(
        "--post-delay", type=float, default=0.2, help="seconds the loopback Slack takes per post"
    )
    parser.add_argument(
        "--lease", type=int, default=10, help="SLACK_SEND_LEASE_SECONDS for the workers"
    )
    parser.add_argument(
        "--redispatch-every", type=float, default=5, help="seconds between re-dispatch runs"
    )
    parser.add_argument(
        "--never-tried-for",
        type=int,
        default=15,
        help="seconds after which a never-tried message counts as lost (an hour in production)",
    )
    parser.add_argument(
        "--visibility-timeout",
        type=int,
        default=10,
        help="CELERY_VISIBILITY_TIMEOUT_SECONDS: a task taken but not acknowledged is handed "
        "out again after this (short, so that happens during the drill)",
    )
    parser.add_argument("--timeout", type=float, default=300, help="give up after this long")
    return parser.parse_args(argv)


@dataclass
class Timeline:
    began: float = field(default_factory=time.monotonic)
    events: list = field(default_factory=list)

    def say(self, text):
        at = time.monotonic() - self.began
        self.events.append((at, text))
        print(f"[{at:7.2f} s] {text}", flush=True)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    timeline = Timeline()
    redis = PrivateRedis(free_port())
    redis.start()
    timeline.say(
        f"private redis-server on port {redis.port} (pid {redis.process.pid}), "
        "append-only file written on every command"
    )

    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DRILL_DATABASE_URL", DRILL_DATABASE_URL),
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis.port}/0",
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_VISIBILITY_TIMEOUT_SECONDS": str(args.visibility_timeout),
        "SLACK_SEND_LEASE_SECONDS": str(args.lease),
        "SLACK_TIMEOUT_SECONDS": str(max(5, args.post_delay * 4)),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": os.environ.get("DEBUG", "true"),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    workers = []
    receiver = None
    drill = Drill(args=args, timeline=timeline)
    try:
        from .data import ensure_database

        ensure_database(env["DATABASE_URL"])
        import django

        django.setup()
        from django.conf import settings

        from tests.fixtures import SlackReceiver

        from . import data

        receiver = SlackReceiver()
        receiver.hang_seconds = args.post_delay
        receiver.thread.start()
        env["SLACK_WEBHOOK_ALLOWED_HOSTS"] = receiver.origin
        settings.SLACK_WEBHOOK_ALLOWED_HOSTS = [receiver.origin]

        _seed(args, data, timeline)

        from django.utils import timezone

        from actions.models import ReminderLog
        from actions.reminders.due import due_reminders
        from actions.tasks import reminder_sweep
        from postmortems.models import SlackMessage, Team

        today = timezone.localdate()
        ReminderLog.objects.filter(for_date=today).delete()
        SlackMessage.objects.filter(kind=SlackMessage.Kind.REMINDERS).delete()
        for team in Team.objects.only("pk"):
            Team.objects.filter(pk=team.pk).update(
                slack_webhook_url=receiver.url(hook_path(team.pk)),
                slack_webhook_disabled_reason="",
            )
        due = due_reminders(today, settings.REMINDER_DUE_SOON_DAYS)
        teams_due = len({row.team_id for row in due})
        timeline.say(f"{len(due)} reminders due today in {teams_due} teams")

        log_dir = ROOT / "var"
        log_dir.mkdir(exist_ok=True)
        workers = [Worker(f"drill{n}", env, log_dir) for n in (1, 2)]
        for worker in workers:
            timeline.say(f"worker {worker.name} started (pid {worker.start()})")

        reminder_sweep.delay()
        timeline.say("sweep queued (actions.tasks.reminder_sweep)")
        sweep_queued_at = time.monotonic()

        _wait_posts(receiver, teams_due // 4, args.timeout, timeline)
        victim = workers[0]
        drill.kill = victim.kill9()
        # Messages under a lease right after the kill: the killed worker's posts whose
        # answer it never recorded are among them (the other worker's too, which it
        # records normally).
        drill.leased_at_kill = set(
            SlackMessage.objects.filter(
                state=SlackMessage.State.PENDING, sending_since__isnull=False
            ).values_list("pk", flat=True)
        )
        in_flight = [
            request
            for request in list(receiver.requests)
            if request["at"] < drill.kill.at
            and (request["answered_at"] is None or request["answered_at"] >= drill.kill.at)
        ]
        timeline.say(
            f"kill -9 worker {victim.name}'s process group: "
            + ", ".join(f"{what} {pid}" for pid, what in drill.kill.processes)
            + f"; {len(receiver.requests)} posts received, {len(in_flight)} of them not yet "
            f"answered, {len([r for r in in_flight if r['client_port'] in drill.kill.ports])} "
            "of those the killed worker's"
        )

        _wait_posts(receiver, teams_due // 2, args.timeout, timeline)
        redis.kill9()
        timeline.say(f"redis-server on port {redis.port} killed (kill -9)")
        time.sleep(1)
        redis.start(keep_data=True)
        queued, unacked = redis.tasks()
        sent = set(
            SlackMessage.objects.filter(
                pk__in=queued + unacked, state=SlackMessage.State.SENT
            ).values_list("pk", flat=True)
        )
        drill.restored = unacked
        drill.restored_sent = [pk for pk in unacked if pk in sent]
        timeline.say(
            f"redis-server restarted from its append-only file: {len(queued)} deliveries "
            f"queued, {len(unacked)} taken but unacknowledged (back after "
            f"{args.visibility_timeout} s), {len(sent & set(queued + unacked))} of them for "
            "messages already sent"
        )
        timeline.say(f"worker {victim.name} restarted (pid {victim.start()})")

        _wait_posts(receiver, teams_due * 3 // 4, args.timeout, timeline)
        redis.kill9()
        time.sleep(1)
        redis.start(keep_data=False)
        timeline.say("redis-server killed (kill -9) and restarted empty: every queued task lost")

        _settle(drill, redis, reminder_sweep, teams_due, sweep_queued_at)
        time.sleep(max(2.0, args.post_delay * 4))  # a late duplicate has time to land
        timeline.say("settled; counting")
        ok = report(receiver, drill, today)
    finally:
        for worker in workers:
            worker.stop()
        redis.remove()
        if receiver is not None:
            receiver.server.shutdown()
            receiver.server.server_close()
    return 0 if ok else 1


@dataclass
class Drill:
    args: argparse.Namespace
    timeline: Timeline
    kill: Kill | None = None
    leased_at_kill: set = field(default_factory=set)
    restored: list = field(default_factory=list)
    restored_sent: list = field(default_factory=list)
    redispatched: Counter = field(default_factory=Counter)


def _settle(drill, redis, reminder_sweep, teams_due, since):
    """Re-dispatch every ``--redispatch-every`` seconds (what beat's task does, run here so
    the drill can count what it queued) until every reminder message is final and the
    broker holds no delivery task, queued or unacknowledged."""
    from datetime import timedelta

    from postmortems.models import SlackMessage
    from postmortems.services import slack_messages_redispatch

    args, timeline = drill.args, drill.timeline
    messages = SlackMessage.objects.filter(kind=SlackMessage.Kind.REMINDERS)
    deadline = time.monotonic() + args.timeout
    next_redispatch = 0.0
    while time.monotonic() < deadline:
        pending = messages.filter(state=SlackMessage.State.PENDING).count()
        final = messages.exclude(state=SlackMessage.State.PENDING).count()
        try:
            queued, unacked = redis.tasks()
        except Exception:  # noqa: BLE001 -- Redis still loading
            queued = unacked = [None]
        if final >= teams_due and not pending and not queued and not unacked:
            return
        if not final and not pending and time.monotonic() - since > 30:
            # The sweep itself died with the killed worker: the next hourly run.
            reminder_sweep.delay()
            timeline.say("no reminder messages: sweep queued again (as the next beat)")
            since = time.monotonic()
        if time.monotonic() >= next_redispatch:
            try:
                requeued = slack_messages_redispatch(
                    never_tried_for=timedelta(seconds=args.never_tried_for)
                )
            except Exception as exc:  # noqa: BLE001 -- Redis may still be coming back
                timeline.say(f"re-dispatch not queued: {type(exc).__name__}")
            else:
                drill.redispatched.update(requeued)
            next_redispatch = time.monotonic() + args.redispatch_every
        time.sleep(0.5)
    timeline.say(f"not settled after {args.timeout} s")


def _seed(args, data, timeline):
    from actions.models import ActionItem

    have = ActionItem.objects.count() if _migrated() else 0
    if args.reuse and have == args.items:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        timeline.say(f"reusing {have} action items")
    else:
        data.reset()
        timeline.say(f"seed_scale --postmortems {max(args.items // 10, 1)} --actions {args.items}")
        data.seed(max(args.items // 10, 1), args.items)
    open_items, teams = data.spread_for_sweep(args.teams)
    data.analyze()
    timeline.say(f"{open_items} open items in {teams} teams")


def _migrated():
    from django.db import connection

    return "actions_actionitem" in connection.introspection.table_names()


def _wait_posts(receiver, count, timeout, timeline):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(receiver.requests) >= count:
            return time.monotonic()
        time.sleep(0.02)
    timeline.say(f"only {len(receiver.requests)} posts after {timeout} s")
    return time.monotonic()


if __name__ == "__main__":
    sys.exit(main())
