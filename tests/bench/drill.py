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
import base64
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
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
    parser.add_argument(
        "--visibility-timeout",
        type=int,
        default=10,
        help="CELERY_VISIBILITY_TIMEOUT_SECONDS: a task taken but not acknowledged is handed "
        "out again after this (short, so that happens during the drill)",
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
    """A redis-server of the drill's own that it may kill and start again, either from its
    append-only file (written on every command) or empty."""

    def __init__(self, port):
        self.port = port
        self.process = None
        self.data_dir = Path(tempfile.mkdtemp(prefix="hindsight-drill-redis-"))

    def start(self, *, keep_data=True):
        if not keep_data:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            self.data_dir.mkdir()
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--dir", str(self.data_dir), "--save", "", "--daemonize", "no"),
                *("--appendonly", "yes", "--appendfsync", "always"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return
            except Exception:  # noqa: BLE001 -- loading its file, or not listening yet
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_timeout=2)

    def kill9(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def remove(self):
        self.kill9()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def tasks(self):
        """(message ids of the delivery tasks queued, of those taken but unacknowledged)."""
        client = self.client()
        queued = [_message_id(raw) for raw in client.lrange(QUEUE, 0, -1)]
        unacked = [_message_id(raw) for raw in client.hvals("unacked")]
        return [pk for pk in queued if pk], [pk for pk in unacked if pk]


def _message_id(raw):
    """The message id a ``deliver_slack_message`` task in Redis carries, else None."""
    try:
        envelope = json.loads(raw)
        if isinstance(envelope, list):  # unacked: [message, exchange, routing key]
            envelope = envelope[0]
        if envelope["headers"]["task"] != "postmortems.tasks.deliver_slack_message":
            return None
        args, kwargs, _embed = json.loads(base64.b64decode(envelope["body"]))
        return int(args[0] if args else kwargs["message_id"])
    except (ValueError, KeyError, IndexError, TypeError):
        return None


@dataclass
class Kill:
    at: float  # time.monotonic() just before the signal
    processes: list  # (pid, what) of every process the signal took down
    ports: set  # local ports of their TCP connections then: the posts they had open


def tcp_ports(pids):
    """Local ports of the TCP sockets the processes hold (from /proc)."""
    inodes = set()
    for pid in pids:
        fd_dir = Path(f"/proc/{pid}/fd")
        try:
            fds = list(fd_dir.iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[len("socket:[") : -1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 9 and fields[9] in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


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

    def group(self):
        """(pid, what) of the processes in the worker's process group."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, ppid, pgid = int(stat.parent.name), int(fields[1]), int(fields[2])
            if pgid == self.process.pid:
                what = (
                    "main process"
                    if pid == self.process.pid
                    else "pool child"
                    if ppid == self.process.pid
                    else "child"
                )
                found.append((pid, what))
        return sorted(found)

    def kill9(self):
        processes = self.group()
        ports = tcp_ports(pid for pid, _what in processes)
        at = time.monotonic()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        return Kill(at=at, processes=processes, ports=ports)

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


# Slack's clock and the worker's are one machine's, but the lease starts a moment before
# the post arrives (the lease's commit, the connection): a re-post may come this much less
# than a lease after the first post and still be one the lease allowed.
LEASE_SLACK_SECONDS = 1.0


def judge_duplicate(posts, kill_at, lease_seconds, leased_at_kill, killed_ports=None):
    """Whether a message's posts beyond the first are explained by the kill, and why.

    ``posts``: the loopback's records for the message's webhook (``at``, ``answered_at``,
    monotonic seconds; ``client_port``), in the order received. Explained means all of: the
    first post arrived before the kill, from a connection of a killed process (when
    ``killed_ports`` is known); its answer had not been recorded at the kill (the answer was
    still to come, or the lease was still held right after the kill); one more post only,
    and only once the lease could have expired. Returns (explained, reason)."""
    first, *again = sorted(posts, key=lambda post: post["at"])
    if kill_at is None:
        return False, "no worker was killed"
    if first["at"] >= kill_at:
        return False, f"first post {first['at'] - kill_at:+.2f} s after the kill"
    if killed_ports is not None and first.get("client_port") not in killed_ports:
        return False, "first post sent by a process that was not killed"
    answered = first["answered_at"]
    if answered is not None and answered < kill_at and not leased_at_kill:
        return False, (
            f"first post answered {answered - kill_at:+.2f} s before the kill and recorded, "
            "yet posted again"
        )
    if len(again) > 1:
        return False, f"posted {len(posts)} times"
    gap = again[0]["at"] - first["at"]
    if gap < lease_seconds - LEASE_SLACK_SECONDS:
        return (
            False,
            f"posted again {gap:.2f} s after the first, within its {lease_seconds} s lease",
        )
    return True, (
        "in flight in the killed worker: received {:+.2f} s, {}; posted again {:.2f} s later "
        "(lease {} s)".format(
            first["at"] - kill_at,
            "answer never written"
            if answered is None
            else f"answered {answered - kill_at:+.3f} s"
            + (" to a dead worker" if first.get("answer_lost") else "")
            + ("" if answered >= kill_at else ", not yet recorded"),
            gap,
            lease_seconds,
        )
    )


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
        ok = _report(receiver, drill, today)
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


def _report(receiver, drill, today):
    from django.db.models import Count

    from actions.models import ReminderLog
    from postmortems.models import SlackMessage

    timeline, args = drill.timeline, drill.args
    messages = SlackMessage.objects.filter(kind=SlackMessage.Kind.REMINDERS)
    states = dict(messages.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    path_of_message = {
        pk: _hook_path(team_id) for pk, team_id in messages.values_list("pk", "team_id")
    }
    reminders = ReminderLog.objects.filter(for_date=today)
    expected_by_message = dict(
        reminders.values_list("message_id").annotate(n=Count("pk")).values_list("message_id", "n")
    )
    reminder_states = dict(
        reminders.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    requests = list(receiver.requests)
    posts_by_path = Counter(request["path"] for request in requests)
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
    print(f"posts received by the loopback:   {len(requests)}")
    print(
        "deliveries handed out again:      "
        f"{sum(drill.redispatched.values())} by the re-dispatch (for "
        f"{len(drill.redispatched)} messages), {len(drill.restored)} unacknowledged ones by "
        f"Redis after its restart ({len(drill.restored_sent)} for messages already sent)"
    )
    print(
        "posts beyond one per message:     "
        f"{sum(posts - 1 for posts in posts_by_path.values() if posts > 1)}"
    )
    _print_record_delay(requests, messages, path_of_message)

    posts_of_path = {}
    for request in requests:
        posts_of_path.setdefault(request["path"], []).append(request)
    unexplained = []
    if duplicated:
        print(f"Duplicated messages (times against the kill, lease {args.lease} s):")
    for message_id in sorted(duplicated):
        explained, reason = judge_duplicate(
            posts_of_path[path_of_message[message_id]],
            drill.kill.at if drill.kill else None,
            args.lease,
            message_id in drill.leased_at_kill,
            drill.kill.ports if drill.kill else None,
        )
        if not explained:
            unexplained.append(message_id)
        print(f"  message {message_id}: {'explained' if explained else 'NOT EXPLAINED'}: {reason}")
    if duplicated and not unexplained:
        print(
            "  Each was being posted when its worker was killed: Slack took the post, the "
            "worker never recorded the answer, and once the lease expired it was posted "
            "again. Slack's incoming webhooks take no idempotency key, so that window is "
            "at-least-once; nothing else duplicated."
        )
    ok = not unexplained and not lost and not stuck
    reasons = [
        f"{len(unexplained)} messages duplicated without a post in flight at the kill"
        if unexplained
        else "",
        f"{len(lost)} messages never delivered" if lost else "",
        f"{stuck} messages stuck pending" if stuck else "",
    ]
    if not ok:
        print("DRILL FAIL: " + "; ".join(r for r in reasons if r))
    elif duplicated:
        print(
            "DRILL PASS: every reminder delivered, nothing stuck; posted twice: "
            f"{len(duplicated)} message{'s' if len(duplicated) > 1 else ''}, each in flight "
            "in the killed worker (the at-least-once window)"
        )
    else:
        print("DRILL PASS: every reminder delivered exactly once, nothing stuck")
    return ok


def _print_record_delay(requests, messages, path_of_message):
    """How long after the loopback answered each sent message's answer was recorded: the
    part of the at-least-once window on our side (Slack's own answer time is the rest)."""
    from postmortems.models import SlackMessage

    offset = time.time() - time.monotonic()
    last_answer = {}
    for request in requests:
        if request["answered_at"] is not None and not request["answer_lost"]:
            last_answer[request["path"]] = request["answered_at"] + offset
    delays = [
        (sent_at.timestamp() - last_answer[path_of_message[pk]]) * 1000
        for pk, sent_at in messages.filter(state=SlackMessage.State.SENT).values_list(
            "pk", "sent_at"
        )
        if path_of_message[pk] in last_answer
    ]
    if delays:
        print(
            "answer to recorded (sent_at):     "
            f"median {statistics.median(delays):.1f} ms, max {max(delays):.1f} ms "
            f"over {len(delays)} messages"
        )


if __name__ == "__main__":
    sys.exit(main())
