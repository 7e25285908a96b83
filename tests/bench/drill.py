"""``make drill``: a fault drill of the reminder sweep on PostgreSQL + Redis.

Seeds the sweep scenario (100k open items in 200 teams; ``--items`` for less), starts a
private redis-server on a free port (never the shared one), a loopback Slack that answers
slowly, and two Celery worker processes; runs the sweep on a worker; while the messages
are being delivered it ``kill -9``s one worker (its whole process group), restarts Redis
without saving (what was queued is lost), and starts the killed worker again. A re-dispatch
runs every few seconds, as beat's ``slack-outbox-redispatch`` would.

Afterwards it counts, for every reminder claimed today, the posts the loopback Slack got
for the message carrying it: exactly one is the goal. Duplicates are printed, not hidden;
a post in flight when its worker was killed is the one case the outbox cannot tell apart
(Slack may or may not have taken it) — it is posted again once its lease expires, so it
may arrive twice. Exit status 0 when every reminder arrived exactly once and nothing is
stuck, 1 otherwise.

``python -m tests.bench.drill --help`` for the options.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .data import DEFAULT_DATABASE_URL

DRILL_DATABASE_URL = DEFAULT_DATABASE_URL.rsplit("/", 1)[0] + "/hindsight_drill"
QUEUE = "hindsight-drill"
ROOT = Path(__file__).resolve().parents[2]


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
    parser.add_argument("--timeout", type=float, default=300, help="give up after this long")
    return parser.parse_args(argv)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Timeline:
    began: float = field(default_factory=time.monotonic)
    events: list = field(default_factory=list)

    def say(self, text):
        at = time.monotonic() - self.began
        self.events.append((at, text))
        print(f"[{at:7.2f} s] {text}", flush=True)


class PrivateRedis:
    """A redis-server of the drill's own, without persistence, that it may restart."""

    def __init__(self, port):
        self.port = port
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        if self.process and self.process.poll() is None:
            # What `redis-cli shutdown nosave` does, to this server only.
            self.process.kill()
            self.process.wait(timeout=10)


class Worker:
    """One ``celery worker`` process (prefork, two children) in its own process group, so
    ``kill -9`` takes the worker and its children down together, as a lost machine would."""

    def __init__(self, name, env, log_dir):
        self.name = name
        self.env = env
        self.log_path = log_dir / f"drill-{name}.log"
        self.process = None

    def start(self):
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "prefork"),
                *("-c", "2", "-Q", QUEUE, "-n", f"{self.name}@%h", "-l", "WARNING"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self.process.pid

    def kill9(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def tally(expected_by_message, posts_by_path, path_of_message):
    """``expected_by_message``: {message id: number of reminders it carries};
    ``posts_by_path``: Counter of posts the loopback Slack got per webhook path. Returns
    (reminders delivered once, reminders delivered more than once, reminders never
    delivered, the message ids concerned by each of the last two)."""
    once = twice = missing = 0
    duplicated, lost = [], []
    for message_id, reminders in expected_by_message.items():
        posts = posts_by_path.get(path_of_message[message_id], 0)
        if posts == 1:
            once += reminders
        elif posts == 0:
            missing += reminders
            lost.append(message_id)
        else:
            twice += reminders
            duplicated.append(message_id)
    return once, twice, missing, duplicated, lost


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    timeline = Timeline()
    redis = PrivateRedis(free_port())
    redis.start()
    timeline.say(f"private redis-server on port {redis.port} (pid {redis.process.pid})")

    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DRILL_DATABASE_URL", DRILL_DATABASE_URL),
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis.port}/0",
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_VISIBILITY_TIMEOUT_SECONDS": "30",
        "SLACK_SEND_LEASE_SECONDS": str(args.lease),
        "SLACK_TIMEOUT_SECONDS": str(max(5, args.post_delay * 4)),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": os.environ.get("DEBUG", "true"),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    workers = []
    receiver = None
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
        from postmortems.tasks import redispatch_slack_messages

        today = timezone.localdate()
        ReminderLog.objects.filter(for_date=today).delete()
        SlackMessage.objects.filter(kind=SlackMessage.Kind.REMINDERS).delete()
        for team in Team.objects.only("pk"):
            Team.objects.filter(pk=team.pk).update(
                slack_webhook_url=receiver.url(_hook_path(team.pk)),
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

        _wait_posts(receiver, teams_due // 4, args.timeout, timeline)
        victim = workers[0]
        victim.kill9()
        killed_at = time.monotonic()
        # Messages under a lease at the kill: the killed worker's posts in flight are
        # among them (the other worker's too, which finish normally).
        leased_at_kill = set(
            SlackMessage.objects.filter(
                state=SlackMessage.State.PENDING, sending_since__isnull=False
            ).values_list("pk", flat=True)
        )
        timeline.say(
            f"kill -9 worker {victim.name} (process group {victim.process.pid}) after "
            f"{len(receiver.requests)} posts received"
        )

        _wait_posts(receiver, teams_due // 2, args.timeout, timeline)
        redis.stop()
        timeline.say(f"redis-server on port {redis.port} killed (nothing saved)")
        time.sleep(1)
        redis.start()
        timeline.say(f"redis-server restarted empty on port {redis.port}")
        timeline.say(f"worker {victim.name} restarted (pid {victim.start()})")

        deadline = time.monotonic() + args.timeout
        next_redispatch = 0.0
        while time.monotonic() < deadline:
            pending = SlackMessage.objects.filter(
                kind=SlackMessage.Kind.REMINDERS, state=SlackMessage.State.PENDING
            ).count()
            sent = SlackMessage.objects.filter(
                kind=SlackMessage.Kind.REMINDERS, state=SlackMessage.State.SENT
            ).count()
            if sent and not pending and sent >= teams_due:
                break
            if not sent and not pending and time.monotonic() - killed_at > 30:
                # The sweep itself died with the killed worker: the next hourly run.
                reminder_sweep.delay()
                timeline.say("no reminder messages: sweep queued again (as the next beat)")
                killed_at = time.monotonic()
            if time.monotonic() >= next_redispatch:
                try:
                    redispatch_slack_messages.delay(never_tried_for_seconds=args.never_tried_for)
                except Exception as exc:  # noqa: BLE001 -- Redis may still be coming back
                    timeline.say(f"re-dispatch not queued: {type(exc).__name__}")
                next_redispatch = time.monotonic() + args.redispatch_every
            time.sleep(0.5)
        time.sleep(max(2.0, args.post_delay * 4))  # a late duplicate has time to land
        timeline.say("settled; counting")
        ok = _report(receiver, timeline, today, leased_at_kill)
    finally:
        for worker in workers:
            worker.stop()
        redis.stop()
        if receiver is not None:
            receiver.server.shutdown()
            receiver.server.server_close()
    return 0 if ok else 1


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


def _hook_path(team_id):
    return f"/services/DRILL/{team_id}/hook"


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


def _report(receiver, timeline, today, leased_at_kill):
    from django.db.models import Count

    from actions.models import ReminderLog
    from postmortems.models import SlackMessage

    messages = SlackMessage.objects.filter(kind=SlackMessage.Kind.REMINDERS)
    states = dict(messages.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    path_of_message = {
        pk: f"/services/DRILL/{team_id}/hook"
        for pk, team_id in messages.values_list("pk", "team_id")
    }
    reminders = ReminderLog.objects.filter(for_date=today)
    expected_by_message = dict(
        reminders.values_list("message_id").annotate(n=Count("pk")).values_list("message_id", "n")
    )
    reminder_states = dict(
        reminders.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    posts_by_path = Counter(request["path"] for request in receiver.requests)
    once, twice, missing, duplicated, lost = tally(
        expected_by_message, posts_by_path, path_of_message
    )
    stuck = states.get(SlackMessage.State.PENDING, 0)
    print()
    print("What happened")
    for at, text in timeline.events:
        print(f"  {at:7.2f} s  {text}")
    print()
    print(f"reminders claimed today:          {sum(expected_by_message.values())}")
    print(f"  delivered exactly once:         {once}")
    print(f"  delivered more than once:       {twice} (in {len(duplicated)} messages)")
    print(f"  never delivered:                {missing} (in {len(lost)} messages)")
    print(f"reminder rows by state:           {reminder_states}")
    print(f"reminder messages by state:       {states} (stuck pending: {stuck})")
    print(f"posts received by the loopback:   {len(receiver.requests)}")
    in_flight = [pk for pk in duplicated if pk in leased_at_kill]
    if duplicated:
        print(
            f"Duplicated messages: {sorted(duplicated)}; {len(in_flight)} of them were being "
            "posted when the worker was killed (Slack took the post, the worker never heard "
            "back): once the lease expired the re-dispatch posted them again. The outbox is "
            "at-least-once in that window; nothing else should ever duplicate."
        )
    ok = not duplicated and not lost and not stuck
    if ok:
        print("DRILL PASS: every reminder delivered exactly once, nothing stuck")
    else:
        reasons = [
            f"{len(duplicated)} messages duplicated ({len(in_flight)} in flight at the kill)"
            if duplicated
            else "",
            f"{len(lost)} messages never delivered" if lost else "",
            f"{stuck} messages stuck pending" if stuck else "",
        ]
        print("DRILL FAIL: " + "; ".join(r for r in reasons if r))
    return ok


if __name__ == "__main__":
    sys.exit(main())
