"""The stored daily figures (``MetricsDay``) give exactly the live report, for every reader,
after writes through every path that changes a postmortem or an action item."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions import metrics, services
from actions.models import ActionItem, MetricsDay
from actions.services.metrics_figures import metrics_figures_rebuild
from actions.tests.test_metrics import FIGURES
from postmortems import services as postmortem_services
from postmortems.models import Membership, Postmortem
from postmortems.selectors import visible_postmortems
from tests.factories import (
    ActionItemFactory,
    MembershipFactory,
    PostmortemFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def differences(user, *, today, team=None, first=None, last=None):
    """Every figure where the stored report and the live one differ for ``user``."""
    first = first or today - datetime.timedelta(days=400)
    last = last or today
    visible = visible_postmortems(user)
    with timezone.override(UTC):
        stored = metrics.stored_report(
            first=first, last=last, team=team, today=today, postmortems=visible
        )
        tz = timezone.get_current_timezone()
        live = metrics.build_report(
            metrics.incident_rows(first=first, last=last, team=team, tz=tz, postmortems=visible),
            metrics.action_rows(first=first, last=last, team=team, postmortems=visible),
            first=first,
            last=last,
            today=today,
            tz=tz,
        )
    found = []
    assert stored.months == live.months
    for severity in [metrics.ALL, *metrics.SEVERITIES]:
        for month in live.months:
            for name in FIGURES:
                mine = getattr(stored.bucket(month, severity), name)
                theirs = getattr(live.bucket(month, severity), name)
                if mine != theirs:
                    found.append((month, severity, name, mine, theirs))
        for name in FIGURES:
            mine = getattr(stored.totals.get(severity) or metrics.Bucket(), name)
            theirs = getattr(live.totals.get(severity) or metrics.Bucket(), name)
            if mine != theirs:
                found.append(("total", severity, name, mine, theirs))
    return found


@pytest.fixture
def cast():
    """Two teams; a member of the first, an outsider, a viewer of one restricted
    postmortem of the second, and a superuser."""
    ops, web = TeamFactory(), TeamFactory()
    member = UserFactory()
    MembershipFactory(team=ops, user=member, role=Membership.Role.MANAGER)
    outsider = UserFactory()
    MembershipFactory(team=web, user=outsider)
    viewer = UserFactory()
    admin = UserFactory(is_superuser=True, is_staff=True)
    return {
        "ops": ops,
        "web": web,
        "member": member,
        "outsider": outsider,
        "viewer": viewer,
        "admin": admin,
    }


def readers(cast):
    return [cast[name] for name in ("member", "outsider", "viewer", "admin")]


def assert_exact(cast, today):
    for user in readers(cast):
        for team in (None, cast["ops"], cast["web"]):
            assert differences(user, today=today, team=team) == [], (user, team)


def incident(team, days_ago, hours=0, **kwargs):
    started = timezone.now() - datetime.timedelta(days=days_ago, hours=hours)
    return PostmortemFactory(
        team=team,
        started_at=started,
        detected_at=started + datetime.timedelta(minutes=days_ago % 17 + 1),
        mitigated_at=None,
        resolved_at=started + datetime.timedelta(hours=days_ago % 5 + 1, seconds=days_ago),
        **kwargs,
    )


def test_every_write_path_keeps_the_stored_figures_equal_to_the_live_ones(cast):
    ops, web, member = cast["ops"], cast["web"], cast["member"]
    today = timezone.localdate()
    severities = metrics.SEVERITIES
    made = [
        incident(ops if n % 3 else web, 3 * n + 1, n, severity=severities[n % 4]) for n in range(14)
    ]
    secret = incident(web, 8, severity="SEV1", restricted=True)
    secret.viewers.add(cast["viewer"])
    incident(ops, 20, restricted=True, caused_by_change=True)
    for n, pm in enumerate([*made, secret]):
        ActionItemFactory(postmortem=pm, due_date=today - datetime.timedelta(days=n))
    assert_exact(cast, today)

    # The services: create, edit times, severity, team, restriction; publish time.
    created = postmortem_services.postmortem_create(
        data={
            "title": "Queue backlog",
            "team": ops,
            "severity": "SEV2",
            "summary": "Backlog grew.",
            "started_at": timezone.now() - datetime.timedelta(days=6),
            "detected_at": timezone.now()
            - datetime.timedelta(days=6)
            + datetime.timedelta(minutes=9),
        },
        by=member,
    )
    assert_exact(cast, today)
    edited = postmortem_services.postmortem_update(
        postmortem=created,
        data={"resolved_at": timezone.now() - datetime.timedelta(days=5), "severity": "SEV1"},
        by=member,
        expected_version=created.version,
    )
    assert_exact(cast, today)
    moved = made[1]
    postmortem_services.postmortem_update(
        postmortem=moved,
        data={
            "started_at": moved.started_at - datetime.timedelta(days=40),
            "severity": "SEV4",
        },
        by=UserFactory(is_superuser=True),
        expected_version=moved.version,
    )
    assert_exact(cast, today)
    hidden = made[2]
    postmortem_services.postmortem_update(
        postmortem=hidden, data={"restricted": True}, by=member, expected_version=hidden.version
    )
    assert_exact(cast, today)
    postmortem_services.postmortem_update(
        postmortem=hidden, data={"restricted": False}, by=member, expected_version=hidden.version
    )
    assert_exact(cast, today)

    # Plain model saves and deletes (the admin, imports and alert-created drafts save this
    # way): times, publishing, the team, a deletion with its items.
    pm = made[4]
    pm.published_at = pm.resolved_at + datetime.timedelta(days=2)
    pm.status = Postmortem.Status.PUBLISHED
    pm.save()
    pm = made[5]
    pm.team = web
    pm.caused_by_change = True
    pm.save()
    made[6].detected_at = None
    made[6].save()
    assert_exact(cast, today)
    made[7].delete()
    Postmortem.objects.filter(pk=made[8].pk).delete()
    assert_exact(cast, today)
    # Changed in memory, then deleted: the stored day is the database's, not the instance's.
    stale = made[12]
    stale.started_at -= datetime.timedelta(days=90)
    stale.delete()
    assert_exact(cast, today)
    # A time assigned as text, as a form or an import may leave it on the instance.
    made[13].resolved_at = (made[13].started_at + datetime.timedelta(hours=9)).isoformat()
    made[13].save()
    assert_exact(cast, today)
    PostmortemFactory(
        team=ops, started_at=None, resolved_at=None, detected_at=None, mitigated_at=None
    )
    assert_exact(cast, today)

    # Action items: created, completed (on time and late), won't do, reopened, moved to
    # another team and day, bulk changes, deleted.
    item = services.action_item_create(
        postmortem=edited, by=member, title="Alert on backlog", team=ops, due_date=today
    )
    assert_exact(cast, today)
    services.action_item_complete(item=item, by=member)
    assert_exact(cast, today)
    late = ActionItem.objects.filter(postmortem=made[3]).get()
    late.status = ActionItem.Status.DONE
    late.completed_at = timezone.now() + datetime.timedelta(days=3)
    late.save()
    other = ActionItem.objects.filter(postmortem=made[9]).get()
    services.action_item_wont_do(item=other, by=UserFactory(is_superuser=True), reason="dup")
    assert_exact(cast, today)
    services.action_item_reopen(item=other, by=UserFactory(is_superuser=True))
    other.team = web if other.team_id == ops.pk else ops
    other.due_date = today - datetime.timedelta(days=33)
    other.save()
    assert_exact(cast, today)
    services.action_items_bulk_update(
        items=ActionItem.objects.filter(team=ops), by=member, status=ActionItem.Status.DONE
    )
    assert_exact(cast, today)
    ActionItem.objects.filter(postmortem=made[10]).get().delete()
    ActionItem.objects.filter(postmortem=made[11]).delete()
    assert_exact(cast, today)

    # A restricted postmortem's severity and team change: its items move with it.
    secret.severity = "SEV3"
    secret.team = ops
    secret.save()
    assert_exact(cast, today)
    secret.restricted = False
    secret.save()
    assert_exact(cast, today)


def test_a_write_that_bypasses_the_models_is_found_and_rebuild_repairs_it(cast):
    today = timezone.localdate()
    pm = incident(cast["ops"], 5)
    ActionItemFactory(postmortem=pm, due_date=today - datetime.timedelta(days=1))
    assert differences(cast["member"], today=today) == []

    Postmortem.objects.filter(pk=pm.pk).update(resolved_at=pm.started_at)
    ActionItem.objects.filter(postmortem=pm).update(status=ActionItem.Status.WONT_DO)
    found = {name for _m, _s, name, _mine, _theirs in differences(cast["member"], today=today)}
    assert {"mttr_median", "actions_due"} <= found

    metrics_figures_rebuild()
    assert differences(cast["member"], today=today) == []


def test_restricted_postmortems_are_not_stored_but_added_for_who_may_open_them(cast):
    today = timezone.localdate()
    secret = incident(cast["web"], 3, restricted=True)
    secret.viewers.add(cast["viewer"])
    assert not MetricsDay.objects.filter(incidents__gt=0).exists()

    def total(user):
        with timezone.override(UTC):
            report = metrics.stored_report(
                first=today - datetime.timedelta(days=30),
                last=today,
                today=today,
                postmortems=visible_postmortems(user),
            )
        return (report.totals.get(metrics.ALL) or metrics.Bucket()).incidents

    assert total(cast["viewer"]) == 1
    assert total(cast["admin"]) == 1
    assert total(cast["member"]) == 0
    assert total(cast["outsider"]) == 1  # a member of the postmortem's team


def test_readers_outside_utc_get_the_live_figures_of_their_own_days(cast):
    # 23:30 UTC on the last day of a month is the next month in Seoul.
    today = timezone.localdate()
    month_end = today.replace(day=1) - datetime.timedelta(days=1)
    started = datetime.datetime.combine(month_end, datetime.time(23, 30), tzinfo=UTC)
    PostmortemFactory(team=cast["ops"], started_at=started)
    visible = visible_postmortems(cast["member"])
    seoul = zoneinfo.ZoneInfo("Asia/Seoul")
    with timezone.override(seoul):
        shown = metrics.figures(postmortems=visible, today=today)
        live = metrics.report(postmortems=visible, today=today)
    assert shown.bucket(today.replace(day=1)).incidents == 1
    assert live.bucket(today.replace(day=1)).incidents == 1
    with timezone.override(UTC):
        shown = metrics.figures(postmortems=visible, today=today)
    assert shown.bucket(month_end.replace(day=1)).incidents == 1


def test_the_metrics_page_reads_a_constant_number_of_queries(client, cast):
    client.force_login(cast["viewer"])
    secret = incident(cast["web"], 3, restricted=True)
    secret.viewers.add(cast["viewer"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/metrics/", {"from": "2020-01-01"}).status_code == 200
        return len(queries)

    few = count()
    for n in range(30):
        pm = incident(cast["ops" if n % 2 else "web"], n + 1, restricted=n % 5 == 0)
        ActionItemFactory(postmortem=pm, due_date=timezone.localdate())
    assert count() == few
    assert few <= 10


def test_the_csv_from_the_stored_figures_is_byte_for_byte_the_live_one(client, cast, monkeypatch):
    """Several months, every severity, more than one run per month (restricted incidents
    added live), odd and even counts: the export read from the stored figures is the very
    file the live computation writes."""
    today = timezone.localdate()
    severities = metrics.SEVERITIES
    for n in range(40):
        pm = incident(
            cast["ops"] if n % 3 else cast["web"],
            9 * n + 1,
            n % 7,
            severity=severities[n % 4],
            restricted=n % 6 == 0,
            caused_by_change=n % 4 == 1,
        )
        if n % 6 == 0:
            pm.viewers.add(cast["viewer"])
        ActionItemFactory(postmortem=pm, due_date=today - datetime.timedelta(days=2 * n))
    query = {"from": (today - datetime.timedelta(days=400)).isoformat(), "to": today.isoformat()}
    read = []
    monkeypatch.setattr(metrics, "stored_report", _counting(metrics.stored_report, read))
    for user in readers(cast):
        client.force_login(user)
        for team in ("", str(cast["ops"].pk)):
            with timezone.override(UTC):
                stored = client.get("/metrics/export.csv", {**query, "team": team}).content
            assert read, "the stored figures were not read"
            read.clear()
            with monkeypatch.context() as live_only:
                live_only.setattr("actions.metrics.stored.answers", lambda tz: False)
                with timezone.override(UTC):
                    live = client.get("/metrics/export.csv", {**query, "team": team}).content
            assert not read
            assert stored.count(b"\n") > 12 * 5
            assert stored == live, (user, team)


def _counting(function, calls):
    def wrapper(**kwargs):
        calls.append(kwargs)
        return function(**kwargs)

    return wrapper


def test_numpy_is_loaded_by_the_first_report_not_by_the_app():
    """Every web and worker process imports the apps; numpy (70 ms, 16 MB) only comes
    with the first stored report a process reads."""
    import subprocess
    import sys

    script = (
        "import sys, django; django.setup(); import config.urls, config.celery, actions.tasks; "
        "loaded = 'numpy' in sys.modules; "
        "from actions.metrics import stored; stored._merged([stored._run(stored.pack([2, 1]))]); "
        "print(loaded, 'numpy' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split() == ["False", "True"]


def test_runs_merge_into_one_sorted_int64_run_whatever_is_empty():
    """A severity with no such duration brings an empty run; the merge stays exact int64
    (a float would round durations past 2**53 microseconds)."""
    from actions.metrics import stored

    big = 2**60
    runs = [stored._run(stored.pack([big + 3, 5])), [], stored._run(stored.pack([big + 1]))]
    merged = stored._merged(runs)
    assert [int(value) for value in merged] == [5, big + 1, big + 3]
    assert merged.dtype.kind == "i"
    assert stored._merged([[], []]) == []
    assert stored._median(merged) == datetime.timedelta(microseconds=big + 1)
