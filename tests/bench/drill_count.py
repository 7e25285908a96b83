"""The drill's count: posts per message against the reminders they carry, and the judgement
of every duplicate against the kill."""

import statistics
import time
from collections import Counter


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


def hook_path(team_id):
    return f"/services/DRILL/{team_id}/hook"


def report(receiver, drill, today):
    from django.db.models import Count

    from actions.models import ReminderLog
    from postmortems.models import SlackMessage

    timeline, args = drill.timeline, drill.args
    messages = SlackMessage.objects.filter(kind=SlackMessage.Kind.REMINDERS)
    states = dict(messages.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    path_of_message = {
        pk: hook_path(team_id) for pk, team_id in messages.values_list("pk", "team_id")
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
