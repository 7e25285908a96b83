import datetime
import re
import threading
import zoneinfo

import pytest
import time_machine
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from actions import reminders
from actions.models import ActionItem, ReminderLog
from postmortems.models import SlackMessage
from tests.factories import ActionItemFactory, PostmortemFactory, UserFactory

Kind = ReminderLog.Kind
UTC = zoneinfo.ZoneInfo("UTC")
# A Wednesday; items fall due around it.
DUE = datetime.date(2026, 3, 18)


def day(offset, hour=9):
    """``DUE + offset`` days at ``hour`` UTC, for time travel."""
    d = DUE + datetime.timedelta(days=offset)
    return datetime.datetime(d.year, d.month, d.day, hour, 5, tzinfo=UTC)


def make_item(team, *, due=DUE, assignee=None, status=ActionItem.Status.OPEN, **kwargs):
    if "postmortem" not in kwargs:
        kwargs["postmortem"] = PostmortemFactory(team=team)
    return ActionItemFactory(team=team, due_date=due, assignee=assignee, status=status, **kwargs)


def person(username, first, last, slack_id=""):
    user = UserFactory(username=username, first_name=first, last_name=last)
    if slack_id:
        user.profile.slack_member_id = slack_id
        user.profile.save()
    return user


def sweep_on(offset):
    with time_machine.travel(day(offset), tick=False):
        return reminders.sweep()


def reminder_days(item, kind):
    rows = ReminderLog.objects.filter(item=item, kind=kind).order_by("for_date")
    return [(r.for_date - DUE).days for r in rows]


def section_texts(payload):
    return [b["text"]["text"] for b in payload["blocks"] if b["type"] == "section"]


def linked_item_ids(payload):
    return [int(i) for i in re.findall(r"/actions/(\d+)/\|", "\n".join(section_texts(payload)))]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Some tests create hundreds of people; the real hasher would take minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def assignee(db):
    return person("dana", "Dana", "Lee")


# --- The schedule, day by day --------------------------------------------------------------


@pytest.mark.django_db
def test_due_soon_is_sent_once_on_the_first_day_inside_the_window(team, assignee, settings):
    settings.REMINDER_DUE_SOON_DAYS = 3
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    for offset in range(-6, 0):
        sweep_on(offset)
    assert reminder_days(item, Kind.DUE_SOON) == [-3]


@pytest.mark.django_db
def test_due_soon_window_follows_the_setting(team, assignee, settings):
    settings.REMINDER_DUE_SOON_DAYS = 5
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    for offset in range(-7, 0):
        sweep_on(offset)
    assert reminder_days(item, Kind.DUE_SOON) == [-5]


@pytest.mark.django_db
def test_item_created_inside_the_window_is_reminded_the_same_day(team, assignee):
    with time_machine.travel(day(-2), tick=False):
        item = make_item(team, assignee=assignee)
    sweep_on(-2)
    sweep_on(-1)
    assert reminder_days(item, Kind.DUE_SOON) == [-2]


@pytest.mark.django_db
def test_due_today_is_sent_on_the_due_date_only(team, assignee):
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    for offset in range(-1, 2):
        sweep_on(offset)
    assert reminder_days(item, Kind.DUE_TODAY) == [0]
    assert reminder_days(item, Kind.DUE_SOON) == [-1]


@pytest.mark.django_db
def test_overdue_is_sent_on_the_first_day_then_once_a_week(team, assignee):
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    for offset in range(0, 23):
        sweep_on(offset)
    # days overdue 1, 8, 15, 22: days_overdue % 7 == 1
    assert reminder_days(item, Kind.OVERDUE) == [1, 8, 15, 22]


@pytest.mark.django_db
def test_hourly_sweeps_on_the_same_day_remind_once(team, assignee):
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    for hour in range(0, 24, 3):
        with time_machine.travel(day(1, hour=hour), tick=False):
            reminders.sweep()
    assert reminder_days(item, Kind.OVERDUE) == [1]
    assert SlackMessage.objects.count() == 1


@pytest.mark.django_db
def test_an_item_found_overdue_mid_week_waits_for_its_weekly_day(team, assignee):
    with time_machine.travel(day(-20), tick=False):
        item = make_item(team, assignee=assignee)
    # First sweep ever on day 4 overdue (reminders just turned on): no flood of old items.
    for offset in range(4, 9):
        sweep_on(offset)
    assert reminder_days(item, Kind.OVERDUE) == [8]


@pytest.mark.django_db
def test_unassigned_is_sent_two_days_after_creation_then_weekly(team):
    with time_machine.travel(day(-30), tick=False):
        item = make_item(team, due=DUE + datetime.timedelta(days=60))
    for offset in range(-30, -15):
        sweep_on(offset)
    # Created on day -30: reminded at ages 2 and 9.
    assert reminder_days(item, Kind.UNASSIGNED) == [-28, -21]


@pytest.mark.django_db
def test_unassigned_age_counts_days_in_the_configured_time_zone(team, settings):
    settings.TIME_ZONE = "Asia/Seoul"
    # 23:30 UTC on day -3 is already day -2 in Seoul.
    with time_machine.travel(day(-3, hour=23), tick=False):
        item = make_item(team, due=DUE + datetime.timedelta(days=60))
    with time_machine.travel(day(-1, hour=14), tick=False):  # day -1, 23:05 in Seoul
        reminders.sweep()
    assert reminder_days(item, Kind.UNASSIGNED) == []
    with time_machine.travel(day(-1, hour=15), tick=False):  # day 0, 00:05 in Seoul
        reminders.sweep()
    assert reminder_days(item, Kind.UNASSIGNED) == [0]


@pytest.mark.django_db
def test_an_assigned_item_is_not_reminded_as_unassigned(team, assignee):
    with time_machine.travel(day(-30), tick=False):
        item = make_item(team, assignee=assignee, due=DUE + datetime.timedelta(days=60))
    sweep_on(-25)
    assert not ReminderLog.objects.filter(item=item).exists()


@pytest.mark.django_db
def test_an_overdue_unassigned_item_gets_both_kinds_in_one_line(team):
    with time_machine.travel(day(-1), tick=False):
        item = make_item(team)
    sweep_on(1)
    assert sorted(ReminderLog.objects.filter(item=item).values_list("kind", flat=True)) == [
        Kind.OVERDUE,
        Kind.UNASSIGNED,
    ]
    payload = SlackMessage.objects.get().payload
    assert linked_item_ids(payload) == [item.pk]
    assert "1 day overdue" in "\n".join(section_texts(payload))
    assert "nobody assigned" in "\n".join(section_texts(payload))


@pytest.mark.django_db
@pytest.mark.parametrize("status", [ActionItem.Status.DONE, ActionItem.Status.WONT_DO])
def test_closed_items_are_never_reminded(team, status):
    with time_machine.travel(day(-10), tick=False):
        make_item(team, status=status)
        make_item(team, status=status, due=DUE + datetime.timedelta(days=2))
    for offset in (-2, 0, 1, 8):
        report = sweep_on(offset)
        assert report.items_considered == 0
    assert not ReminderLog.objects.exists()
    assert not SlackMessage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", [ActionItem.Status.IN_PROGRESS, ActionItem.Status.BLOCKED])
def test_in_progress_and_blocked_items_are_still_reminded(team, assignee, status):
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee, status=status)
    sweep_on(1)
    assert reminder_days(item, Kind.OVERDUE) == [1]


@pytest.mark.parametrize(
    ("days_overdue", "due"),
    [(1, True), (2, False), (7, False), (8, True), (14, False), (15, True), (22, True)],
)
def test_overdue_is_due_when_days_overdue_mod_seven_is_one(days_overdue, due):
    today = DUE + datetime.timedelta(days=days_overdue)
    kinds = reminders.kinds_due(
        today=today, due_date=DUE, created_on=DUE, has_assignee=True, soon_days=3
    )
    assert kinds == ([Kind.OVERDUE] if due else [])


@pytest.mark.parametrize(
    ("yesterday_state", "due"),
    [("failed", True), ("sent", False), ("claimed", False), ("skipped_no_webhook", False)],
)
def test_overdue_is_retried_the_day_after_a_failure_only(yesterday_state, due):
    today = DUE + datetime.timedelta(days=3)
    history = {Kind.OVERDUE: [(today - datetime.timedelta(days=1), yesterday_state)]}
    kinds = reminders.kinds_due(
        today=today, due_date=DUE, created_on=DUE, has_assignee=True, history=history
    )
    assert kinds == ([Kind.OVERDUE] if due else [])


# --- Failures are retried the next day -------------------------------------------------------


def _deliver(django_capture_on_commit_callbacks, offset):
    with django_capture_on_commit_callbacks(execute=True):
        return sweep_on(offset)


@pytest.mark.django_db
def test_a_failed_overdue_reminder_is_claimed_again_the_next_day_only(
    team, assignee, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    slack_receiver.answer(400, "invalid_blocks")
    _deliver(django_capture_on_commit_callbacks, 1)
    first = ReminderLog.objects.get(item=item, kind=Kind.OVERDUE)
    assert first.state == ReminderLog.State.FAILED
    assert first.last_error == "invalid_blocks"
    # Later the same day: the claim for today is taken (failed), nothing is sent again.
    _deliver(django_capture_on_commit_callbacks, 1)
    assert len(slack_receiver.requests) == 1
    _deliver(django_capture_on_commit_callbacks, 2)
    _deliver(django_capture_on_commit_callbacks, 3)
    assert reminder_days(item, Kind.OVERDUE) == [1, 2]
    assert ReminderLog.objects.get(item=item, for_date=day(2).date()).state == "sent"
    assert len(slack_receiver.requests) == 2


@pytest.mark.django_db
def test_failed_reminders_are_retried_day_after_day_until_one_gets_through(
    team, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    celery_eager.conf.task_eager_propagates = False  # let the retries run inline
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    with time_machine.travel(day(-1), tick=False):  # unassigned from day 1 on
        item = make_item(team)
    slack_receiver.answer(503, "", times=5)  # day 1: five tries, all 503
    slack_receiver.answer(400, "invalid_blocks")  # day 2
    for offset in range(1, 10):
        _deliver(django_capture_on_commit_callbacks, offset)
    assert reminder_days(item, Kind.OVERDUE) == [1, 2, 3, 8]
    assert reminder_days(item, Kind.UNASSIGNED) == [1, 2, 3, 8]
    states = dict(ReminderLog.objects.filter(kind=Kind.OVERDUE).values_list("for_date", "state"))
    assert [states[day(n).date()] for n in (1, 2, 3, 8)] == ["failed", "failed", "sent", "sent"]


@pytest.mark.django_db
def test_a_failed_due_soon_reminder_is_retried_until_the_due_date(
    team, assignee, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    slack_receiver.answer(400, "invalid_blocks", times=3)
    for offset in (-3, -2, -1):
        _deliver(django_capture_on_commit_callbacks, offset)
    assert reminder_days(item, Kind.DUE_SOON) == [-3, -2, -1]
    assert set(ReminderLog.objects.values_list("state", flat=True)) == {"failed"}
    _deliver(django_capture_on_commit_callbacks, 0)
    # The window is over: due today takes over, due soon is not tried again.
    assert reminder_days(item, Kind.DUE_SOON) == [-3, -2, -1]
    assert reminder_days(item, Kind.DUE_TODAY) == [0]


@pytest.mark.django_db
def test_a_message_whose_delivery_was_lost_is_queued_again_an_hour_later(
    team, assignee, slack_receiver, celery_eager
):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    # The test's transaction never commits, so the delivery is never queued: as if the
    # broker had been down when the sweep ran.
    sweep_on(1)
    message = SlackMessage.objects.get()
    with time_machine.travel(day(1, hour=10), tick=False):  # 59 minutes later: still fine
        assert reminders.sweep().messages_requeued == 0
    assert slack_receiver.requests == []
    with time_machine.travel(day(1, hour=11), tick=False):
        report = reminders.sweep()
    assert report.messages_requeued == 1
    assert report.messages_queued == 0
    message.refresh_from_db()
    assert message.state == SlackMessage.State.SENT
    assert item.reminders.get().state == ReminderLog.State.SENT
    assert len(slack_receiver.requests) == 1


@pytest.mark.django_db
def test_a_message_lost_for_more_than_a_day_is_left_alone(team, assignee, celery_eager):
    with time_machine.travel(day(-10), tick=False):
        make_item(team, assignee=assignee)
    sweep_on(1)
    report = sweep_on(3)
    assert report.messages_requeued == 0
    assert SlackMessage.objects.get().state == SlackMessage.State.PENDING


# --- One message per team, grouped by person -----------------------------------------------


@pytest.mark.django_db
def test_one_message_per_team_grouped_by_assignee(
    team, other_team, settings, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://hindsight.example.com"
    team.slack_webhook_url = slack_receiver.url("/services/T1/B1/payments")
    team.save()
    other_team.slack_webhook_url = slack_receiver.url("/services/T1/B2/search")
    other_team.save()
    ann = person("ann", "Ann", "Cho", slack_id="U012AB3CD")
    bob = person("bob", "Bob", "Yoon")
    with time_machine.travel(day(-1), tick=False):
        ann_late = make_item(team, assignee=ann, title="Page on queue depth", priority="P1")
        ann_today = make_item(team, assignee=ann, due=day(1).date(), title="Runbook for failover")
        bob_soon = make_item(team, assignee=bob, due=day(3).date(), title="Alert <!channel> & co")
        nobody = make_item(team, due=day(30).date(), title="Decide cache TTL")
        search_item = make_item(other_team, assignee=bob, title="Reindex guard")

    report = _deliver(django_capture_on_commit_callbacks, 1)

    assert report.messages_queued == 2
    assert SlackMessage.objects.filter(kind=SlackMessage.Kind.REMINDERS).count() == 2
    by_path = {r["path"]: r["json"] for r in slack_receiver.requests}
    assert set(by_path) == {"/services/T1/B1/payments", "/services/T1/B2/search"}
    payments = by_path["/services/T1/B1/payments"]
    assert linked_item_ids(by_path["/services/T1/B2/search"]) == [search_item.pk]

    sections = section_texts(payments)
    ann_section = next(s for s in sections if "<@U012AB3CD>" in s)
    bob_section = next(s for s in sections if s.startswith("*Bob Yoon*"))
    nobody_section = next(s for s in sections if "Nobody assigned yet" in s)
    # Most urgent first within a person's list.
    assert linked_item_ids({"blocks": [_block(ann_section)]}) == [ann_late.pk, ann_today.pk]
    assert linked_item_ids({"blocks": [_block(bob_section)]}) == [bob_soon.pk]
    assert linked_item_ids({"blocks": [_block(nobody_section)]}) == [nobody.pk]
    assert (
        sections.index(ann_section) < sections.index(bob_section) < sections.index(nobody_section)
    )
    assert f"<https://hindsight.example.com/actions/{ann_late.pk}/|Page on queue depth>" in (
        ann_section
    )
    assert "P1" in ann_section
    assert "due 2026-03-18" in ann_section
    assert "1 day overdue" in ann_section
    assert "due today" in ann_section
    assert "due in 2 days" in bob_section
    # Titles cannot ping the channel or break the link syntax.
    assert "Alert &lt;!channel&gt; &amp; co" in bob_section
    assert "<!channel>" not in str(payments)
    dashboard = f"https://hindsight.example.com/actions/?team={team.pk}&status=open"
    assert dashboard in section_texts(payments)[-1]
    assert payments["text"].startswith("Action-item reminders for Payments, 2026-03-19")
    assert dashboard in payments["text"]
    assert payments["blocks"][0]["type"] == "header"


def _block(text):
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


@pytest.mark.django_db
def test_a_malformed_slack_member_id_is_shown_as_the_name(team):
    eve = person("eve", "Eve", "Han", slack_id="U1> <!here")
    with time_machine.travel(day(-10), tick=False):
        make_item(team, assignee=eve)
    sweep_on(1)
    text = "\n".join(section_texts(SlackMessage.objects.get().payload))
    assert "*Eve Han*" in text
    assert "<!here" not in text


@pytest.mark.django_db
def test_two_hundred_items_stay_within_slack_limits(team, settings):
    settings.SITE_URL = "https://hindsight.example.com"
    people = [person(f"p{n}", f"Person{n}", "Kim", slack_id=f"U{n:08d}") for n in range(20)]
    postmortem = PostmortemFactory(team=team)
    long_title = "Make the fail-over runbook cover the read replicas & the <cache> " * 3
    with time_machine.travel(day(-10), tick=False):
        for n in range(200):
            make_item(
                team,
                postmortem=postmortem,
                assignee=people[n % 20],
                title=long_title[:190] + str(n),
            )
    sweep_on(1)
    payload = SlackMessage.objects.get().payload
    assert len(payload["blocks"]) <= 50
    assert all(len(t) <= 3000 for t in section_texts(payload))
    assert len(payload["blocks"][0]["text"]["text"]) <= 150
    listed = linked_item_ids(payload)
    assert len(listed) == len(set(listed))
    more = 200 - len(listed)
    assert 0 < len(listed) <= reminders.MAX_LISTED_ITEMS
    closing = section_texts(payload)[-1]
    assert f"…and {more} more items." in closing
    assert f"https://hindsight.example.com/actions/?team={team.pk}&status=open" in closing
    assert len(payload["text"]) <= 3000
    # Every reminder is still recorded, listed or not.
    assert ReminderLog.objects.filter(kind=Kind.OVERDUE).count() == 200


@pytest.mark.django_db
def test_two_hundred_people_hit_the_block_limit_not_the_item_limit(team):
    postmortem = PostmortemFactory(team=team)
    with time_machine.travel(day(-10), tick=False):
        for n in range(200):
            make_item(team, postmortem=postmortem, assignee=person(f"q{n}", f"Q{n:03d}", "Park"))
    sweep_on(1)
    payload = SlackMessage.objects.get().payload
    assert len(payload["blocks"]) == 50
    listed = len(linked_item_ids(payload))
    assert listed == 50 - 3  # header, summary and the closing line take three blocks
    assert f"…and {200 - listed} more items." in section_texts(payload)[-1]


# --- Exactly once ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_sweep_sends_nothing_twice(
    team, assignee, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    with time_machine.travel(day(-10), tick=False):
        for _ in range(3):
            make_item(team, assignee=assignee)
    first = _deliver(django_capture_on_commit_callbacks, 1)
    second = _deliver(django_capture_on_commit_callbacks, 1)
    assert first.kinds[Kind.OVERDUE].claimed == 3
    assert SlackMessage.objects.get().state == SlackMessage.State.SENT
    assert second.reminders_claimed == 0
    assert second.kinds[Kind.OVERDUE].already_reminded == 3
    assert second.messages_queued == 0
    assert len(slack_receiver.requests) == 1
    assert SlackMessage.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory shared-cache test database answers 'table is locked' at once "
    "instead of waiting for the other writer; the race runs on PostgreSQL (CI=true).",
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_deliver_each_reminder_once(
    team, other_team, slack_receiver, celery_eager
):
    team.slack_webhook_url = slack_receiver.url("/services/T1/B1/payments")
    team.save()
    other_team.slack_webhook_url = slack_receiver.url("/services/T1/B2/search")
    other_team.save()
    people = [person(f"c{n}", f"C{n}", "Jung") for n in range(4)]
    with time_machine.travel(day(-10), tick=False):
        items = [
            make_item(t, assignee=people[n % 4]) for t in (team, other_team) for n in range(15)
        ]
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            reports.append(reminders.sweep(day(1).date()))
        except Exception as exc:  # noqa: BLE001 -- surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    delivered = [i for r in slack_receiver.requests for i in linked_item_ids(r["json"])]
    assert sorted(delivered) == sorted(i.pk for i in items)
    assert len(slack_receiver.requests) == 2
    assert sum(r.reminders_claimed for r in reports) == 30
    assert sum(r.reminders_already_reminded for r in reports) == 30
    assert ReminderLog.objects.filter(state=ReminderLog.State.SENT).count() == 30
    assert SlackMessage.objects.count() == 2


# --- Outcomes follow the message ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_without_a_webhook_reminders_are_recorded_as_not_sent(team, assignee, celery_eager):
    with time_machine.travel(day(-10), tick=False):
        item = make_item(team, assignee=assignee)
    report = sweep_on(1)
    assert report.messages_queued == 1
    assert report.messages_skipped == 1
    assert report.kinds[Kind.OVERDUE].skipped_no_webhook == 1
    row = item.reminders.get()
    assert row.state == ReminderLog.State.SKIPPED_NO_WEBHOOK
    assert row.message.state == SlackMessage.State.SKIPPED_NO_WEBHOOK
    # Recorded, not lost, and not re-recorded every day of the week.
    sweep_on(2)
    assert item.reminders.count() == 1


@pytest.mark.django_db(transaction=True)
def test_report_counts_sent_messages_per_kind(team, assignee, slack_receiver, celery_eager):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    with time_machine.travel(day(-10), tick=False):
        make_item(team, assignee=assignee)
        make_item(team, assignee=assignee, due=day(3).date())
        make_item(team, assignee=assignee, due=day(1).date())
        make_item(team, assignee=assignee, due=day(90).date())
    report = sweep_on(1)
    assert report.items_considered == 3
    assert report.messages_queued == report.messages_sent == 1
    assert report.kinds[Kind.OVERDUE].sent == 1
    assert report.kinds[Kind.DUE_TODAY].sent == 1
    assert report.kinds[Kind.DUE_SOON].sent == 1
    assert report.kinds[Kind.UNASSIGNED].claimed == 0
    assert ReminderLog.objects.filter(state="sent", attempts=1).count() == 3


# --- Bounded queries ---------------------------------------------------------------------------


def _count_sweep_queries(offset):
    """Queries of one sweep, not counting the claim INSERTs (batched, so they grow with the
    number of reminders by one per batch)."""
    with CaptureQueriesContext(connection) as ctx:
        sweep_on(offset)
    claims = [
        q
        for q in ctx.captured_queries
        if q["sql"].startswith("INSERT") and '"actions_reminderlog"' in q["sql"]
    ]
    rows = ReminderLog.objects.filter(for_date=day(offset).date()).count()
    # Batches of at most CLAIM_BATCH_SIZE (SQLite: ~111 rows, its bound-parameter limit).
    assert len(claims) <= rows // 100 + 2
    return len(ctx.captured_queries) - len(claims)


@pytest.mark.django_db
def test_sweep_queries_do_not_grow_with_the_number_of_items(team, other_team):
    people = [person(f"s{n}", f"S{n}", "Oh", slack_id=f"U{n:06d}") for n in range(10)]
    with time_machine.travel(day(-10), tick=False):
        pm1, pm2 = PostmortemFactory(team=team), PostmortemFactory(team=other_team)
        for n in range(3):
            make_item(team, postmortem=pm1, assignee=people[n])
            make_item(other_team, postmortem=pm2)
    few = _count_sweep_queries(1)
    with time_machine.travel(day(-10), tick=False):
        for n in range(120):
            make_item(team, postmortem=pm1, assignee=people[n % 10])
            make_item(other_team, postmortem=pm2)
    many = _count_sweep_queries(8)
    assert many == few
    assert ReminderLog.objects.filter(for_date=day(8).date()).count() == 246


@pytest.mark.django_db
def test_sweep_query_count_for_two_teams(team, other_team, django_assert_max_num_queries):
    with time_machine.travel(day(-1), tick=False):  # unassigned for two days on day 1
        for _ in range(50):
            make_item(team, assignee=None)
            make_item(other_team, assignee=None)
    with django_assert_max_num_queries(20), time_machine.travel(day(1), tick=False):
        report = reminders.sweep()
    assert report.reminders_claimed == 200


# --- Restricted postmortems (issue 15) -------------------------------------------------------


@pytest.mark.django_db
def test_a_restricted_items_title_never_reaches_a_channel_that_cannot_open_it(
    team, other_team, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    other_team.slack_webhook_url = slack_receiver.url()
    other_team.save()
    with time_machine.travel(day(-10), tick=False):
        # Owned by Search before Payments made the postmortem restricted.
        item = make_item(
            other_team,
            postmortem=PostmortemFactory(team=team, restricted=True),
            title="Rotate the quokka signing key",
        )

    _deliver(django_capture_on_commit_callbacks, 1)

    (request,) = slack_receiver.requests
    assert "quokka" not in request["body"].decode().lower()
    assert "restricted action item" in request["body"].decode()
    assert linked_item_ids(request["json"]) == [item.pk]


@pytest.mark.django_db
def test_a_restricted_items_title_is_reminded_in_its_own_teams_channel(
    team, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    with time_machine.travel(day(-10), tick=False):
        make_item(
            team,
            postmortem=PostmortemFactory(team=team, restricted=True),
            title="Rotate the quokka signing key",
        )

    _deliver(django_capture_on_commit_callbacks, 1)

    (request,) = slack_receiver.requests
    assert "quokka" in request["body"].decode()
