"""The stored counts (``actions.dashboard.counts``) give exactly what the live query gives,
for every reader, after random writes through every path that writes items: the services,
the admin, the managers' bulk change, queryset updates and deletes, and postmortems made
restricted, unrestricted or deleted; and on the next day, once the counts are of an
earlier one. PostgreSQL only: elsewhere the dashboard counts live."""

import datetime
import random

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions import selectors, services, tasks
from actions.dashboard import counts
from actions.dashboard.figures import dashboard_summary
from actions.models import ActionItem, DashboardCounts, DashboardDay
from postmortems.models import Membership, Postmortem
from tests.factories import (
    ActionItemFactory,
    MembershipFactory,
    PostmortemFactory,
    TeamFactory,
    UserFactory,
)

from .support import prepared_plans

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the stored counts are PostgreSQL's; SQLite counts live")


def _forget(user):
    """What a request keeps on the user object (a new request starts without it)."""
    for name in ("_hindsight_restricted_visible", "_hindsight_memberships", "_hindsight_roles"):
        user.__dict__.pop(name, None)
    return user


def assert_same_figures(users, today=None, now=None):
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    for user in users:
        stored = counts.figures_from_counts(_forget(user), today=today, now=now)
        assert stored is not None, user
        live = dashboard_summary(ActionItem.objects.visible_to(user), today=today, now=now)
        assert stored[0] == live[0], user
        assert stored[1] == live[1], user


@pytest.fixture
def cast(team, other_team, alice, outsider, superuser):
    """Teams, postmortems (one restricted, with a viewer from another team) and readers."""
    third = TeamFactory(name="Ads", slug="ads")
    viewer = UserFactory(username="vera")
    MembershipFactory(team=third, user=viewer)
    secret = PostmortemFactory(team=team, restricted=True, title="Secret")
    secret.viewers.add(viewer)
    postmortems = [
        PostmortemFactory(team=team),
        PostmortemFactory(team=other_team),
        PostmortemFactory(team=third),
        secret,
        PostmortemFactory(team=other_team, restricted=True, title="Other secret"),
    ]
    return {
        "teams": [team, other_team, third],
        "postmortems": postmortems,
        "users": [alice, outsider, viewer, superuser],
        "superuser": superuser,
    }


class Writer:
    """Random writes through every path that changes an item."""

    def __init__(self, rng, cast):
        self.rng = rng
        self.cast = cast
        self.by = cast["superuser"]
        self.now = timezone.now()

    def items(self):
        return list(ActionItem.objects.select_related("postmortem", "team"))

    def item(self):
        items = self.items()
        return self.rng.choice(items) if items else None

    def when(self):
        """A time over the last four months, often right at the edge of 30 days ago."""
        if self.rng.random() < 0.3:
            return self.now - 30 * DAY + datetime.timedelta(hours=self.rng.uniform(-30, 30))
        return self.now - datetime.timedelta(days=self.rng.uniform(0, 120))

    def create(self):
        postmortem = self.rng.choice(Postmortem.objects.all())
        team = postmortem.team if postmortem.restricted else self.rng.choice(self.cast["teams"])
        item = services.action_item_create(
            postmortem=postmortem,
            by=self.by,
            title="Do it",
            team=team,
            priority=self.rng.choice(ActionItem.Priority.values),
        )
        created = self.when()
        # A queryset update: how imports and bulk fixes write.
        ActionItem.objects.filter(pk=item.pk).update(
            created_at=created,
            due_date=timezone.localdate(created) + self.rng.randint(-5, 40) * DAY,
        )

    def edit(self):
        item = self.item()
        if item is None:
            return
        restricted = item.postmortem.restricted
        services.action_item_update(
            item=item,
            by=self.by,
            priority=self.rng.choice(ActionItem.Priority.values),
            team=item.postmortem.team if restricted else self.rng.choice(self.cast["teams"]),
            assignee=None,
        )

    def transition(self):
        item = self.item()
        if item is None:
            return
        action = self.rng.choice(list(services.TRANSITIONS))
        try:
            services.action_item_transition(item=item, by=self.by, action=action, reason="why")
        except services.TransitionError:
            return
        if item.completed_at and self.rng.random() < 0.7:
            ActionItem.objects.filter(pk=item.pk).update(completed_at=self.when())

    def bulk(self):
        items = self.rng.sample(self.items(), k=min(3, len(self.items())))
        status = self.rng.choice(list(services.BULK_STATUS_ACTIONS))
        services.action_items_bulk_update(items=items, by=self.by, status=status)

    def queryset_update(self):
        team = self.rng.choice(self.cast["teams"])
        ActionItem.objects.filter(team=team, status__in=ActionItem.OPEN_STATUSES).update(
            due_date=F("due_date") + self.rng.randint(-10, 10) * DAY
        )

    def admin_save(self):
        item = self.item()
        if item is None:
            return
        item.status = self.rng.choice(ActionItem.Status.values)
        item.completed_at = self.when() if item.status in ActionItem.CLOSED_STATUSES else None
        request = RequestFactory().post("/admin/")
        request.user = self.by
        admin.site._registry[ActionItem].save_model(request, item, None, change=True)

    def delete(self):
        item = self.item()
        if item is None:
            return
        if self.rng.random() < 0.5:
            item.delete()
        else:
            request = RequestFactory().post("/admin/")
            request.user = self.by
            model_admin = admin.site._registry[ActionItem]
            model_admin.delete_queryset(request, ActionItem.objects.filter(pk=item.pk))

    def restrict(self):
        postmortem = self.rng.choice(self.cast["postmortems"])
        postmortem.restricted = not postmortem.restricted
        if postmortem.restricted:
            # Items of a restricted postmortem stay with its team (the service's rule).
            postmortem.action_items.exclude(team=postmortem.team).update(team=postmortem.team)
        postmortem.save()

    def delete_postmortem(self):
        doomed = PostmortemFactory(team=self.rng.choice(self.cast["teams"]))
        for _ in range(3):
            self.rng_item(doomed)
        self.rng_item(doomed)
        doomed.delete()

    def rng_item(self, postmortem):
        ActionItemFactory(postmortem=postmortem, team=postmortem.team, status="done")

    def any(self):
        self.rng.choice(
            [
                self.create,
                self.create,
                self.create,
                self.edit,
                self.transition,
                self.transition,
                self.bulk,
                self.queryset_update,
                self.admin_save,
                self.delete,
                self.restrict,
                self.delete_postmortem,
            ]
        )()


@pytest.mark.parametrize("seed", [1, 2])
def test_stored_counts_equal_the_live_query_after_random_writes(cast, seed):
    writer = Writer(random.Random(seed), cast)
    for _ in range(12):
        writer.create()
    assert_same_figures(cast["users"])
    for step in range(48):
        writer.any()
        if step % 6 == 5:
            assert_same_figures(cast["users"])
    assert_same_figures(cast["users"])
    # The next day, and a week on: the counts of an earlier day are made again when read.
    for days in (1, 8):
        later = timezone.now() + days * DAY
        assert_same_figures(cast["users"], now=later)
    assert set(DashboardDay.objects.values_list("day", flat=True)) == {
        timezone.localdate(timezone.now() + 8 * DAY)
    }


def test_counts_of_an_earlier_day_are_made_again_when_read(cast):
    writer = Writer(random.Random(7), cast)
    for _ in range(20):
        writer.create()
    assert_same_figures(cast["users"])
    DashboardCounts.objects.update(overdue=F("overdue") + 5)
    DashboardDay.objects.update(day=F("day") - DAY)
    # Wrong counts of yesterday are thrown away, not trusted.
    assert_same_figures(cast["users"])


def test_wrong_counts_of_today_show(cast):
    """The comparison can fail: counts that drift from the items are told apart."""
    writer = Writer(random.Random(8), cast)
    for _ in range(20):
        writer.create()
    assert_same_figures(cast["users"])
    DashboardCounts.objects.filter(restricted=False).update(total=F("total") + 1)
    with pytest.raises(AssertionError):
        assert_same_figures(cast["users"])


def test_the_median_is_the_live_querys_for_odd_and_even_counts(cast):
    postmortem = cast["postmortems"][0]
    now = timezone.now()
    for hours in (5, 29, 29, 100, 7, 400):
        item = ActionItemFactory(postmortem=postmortem, team=postmortem.team, status="done")
        ActionItem.objects.filter(pk=item.pk).update(
            created_at=now - datetime.timedelta(hours=hours + 3),
            completed_at=now - datetime.timedelta(hours=3),
        )
        assert_same_figures(cast["users"])


def test_filters_and_other_zones_count_live(cast, alice):
    assert counts.answers({"status": [], "overdue": False, "sort": "-due_date"})
    assert not counts.answers({"status": ["open"]})
    assert not counts.answers({"due_within": 0})
    assert not counts.answers({"team": 3})
    with timezone.override("Asia/Seoul"):
        assert (
            counts.figures_from_counts(alice, today=timezone.localdate(), now=timezone.now())
            is None
        )


def test_the_counts_take_one_query_whatever_the_number_of_items(cast, alice):
    """One for a reader who is not a superuser (their restricted postmortems and the median
    are read inside the counts' statement); a superuser's median is a second one."""
    writer = Writer(random.Random(9), cast)
    queries = []
    for _ in range(2):
        for _ in range(15):
            writer.create()
        for item in ActionItem.objects.filter(status="open")[:3]:
            services.action_item_complete(item=item, by=writer.by)
        assert_same_figures([alice, cast["superuser"]])  # made fresh first
        for user in (alice, cast["superuser"]):
            with CaptureQueriesContext(connection) as captured:
                figures, _rows = counts.figures_from_counts(
                    _forget(user), today=timezone.localdate(), now=timezone.now()
                )
            assert figures["median_days_to_close"] is not None
            queries.append(len(captured))
    assert queries == [1, 2, 1, 2], queries


def test_the_connection_prepares_the_counts_statement_and_plans_it_once(cast, alice):
    """The counts' statement is the same text for every reader who is not a superuser, the
    values apart: PostgreSQL plans it for its first five runs, then keeps a generic plan
    (reading the reader's restricted postmortems with it)."""
    writer = Writer(random.Random(13), cast)
    for _ in range(10):
        writer.create()
    for _ in range(8):
        for user in (alice, cast["users"][2]):
            assert counts.figures_from_counts(
                _forget(user), today=timezone.localdate(), now=timezone.now()
            )
    assert_same_figures([alice, cast["users"][2]])
    # (the statement that reads the reader's restricted postmortems itself)
    [(generic, custom)] = prepared_plans("%visible_m%actions_dashboard_read(r.ids, $%")
    assert generic >= 10 and custom <= 5


def test_the_counts_leave_each_reader_the_restricted_postmortems_they_may_read(cast):
    """Read inside the counts' statement, kept for the list as ``restricted_visible_ids``
    keeps them (and no query of their own afterwards)."""
    writer = Writer(random.Random(11), cast)
    for _ in range(10):
        writer.create()
    for user in cast["users"]:
        expected = selectors.restricted_visible_ids(_forget(user))
        _forget(user)
        counts.figures_from_counts(user, today=timezone.localdate(), now=timezone.now())
        with CaptureQueriesContext(connection) as captured:
            assert selectors.restricted_visible_ids(user) == expected
        assert len(captured) == 0
    assert selectors.restricted_visible_ids(cast["users"][2]) == [cast["postmortems"][3].pk]


def test_the_beat_task_counts_every_team_of_an_earlier_day_again(cast):
    writer = Writer(random.Random(10), cast)
    for _ in range(15):
        writer.create()
    assert_same_figures(cast["users"])  # counted once, as of today
    DashboardDay.objects.update(day=F("day") - DAY)
    assert tasks.dashboard_counts_rebuild() == {"teams": DashboardDay.objects.count()}
    assert set(DashboardDay.objects.values_list("day", flat=True)) == {timezone.localdate()}
    assert tasks.dashboard_counts_rebuild() == {"teams": 0}
    assert_same_figures(cast["users"])


def test_seed_scale_leaves_counts_equal_to_the_live_query(superuser):
    call_command("seed_scale", "--postmortems", "30", "--actions", "300", "--teams", "4")
    member = Membership.objects.filter(team__slug__startswith="scale-").first().user
    assert_same_figures([superuser, member])
    # Written with the counts switched off, then counted once: later writes count again.
    item = ActionItem.objects.filter(status="open").first()
    services.action_item_complete(item=item, by=superuser)
    assert_same_figures([superuser, member])


def test_the_read_function_gives_what_the_statement_written_out_gives(cast, monkeypatch):
    """Migration 0016's function runs ``_read``'s statement for a reader who is not a
    superuser, and the median's: for each such reader, the same rows as that statement
    sent whole, and the same figures as that statement followed by ``_median``."""
    writer = Writer(random.Random(12), cast)
    for _ in range(20):
        writer.create()
    for _ in range(30):
        writer.any()
    now = timezone.now()
    today = timezone.localdate(now)
    # Closed items of the restricted postmortem (its close days), and one done in the
    # first day's hours of "completed in the last 30 days".
    secret = cast["postmortems"][3]
    first = counts._first_day(today, now)
    for completed in (now - 3 * DAY, first[0] + (first[1] - first[0]) / 2):
        item = ActionItemFactory(postmortem=secret, team=secret.team, status="done")
        ActionItem.objects.filter(pk=item.pk).update(
            created_at=completed - 4 * DAY, completed_at=completed
        )
    assert_same_figures(cast["users"], now=now)  # counted as of today

    def written_out(user, today, now):
        return counts._fetch(user, *counts._statement(counts._readable(user), today, now))

    kinds = set()
    for user in cast["users"]:
        if user.is_superuser:
            continue
        readable = counts._readable(_forget(user))
        with connection.cursor() as cursor:
            cursor.execute(*counts._statement(readable, today, now))
            written = [row for row in cursor.fetchall() if row[0] != 3]  # the close days
            cursor.execute(*counts._read_restricted(readable, today, now))
            called = cursor.fetchall()
        assert [row[0] for row in called].count(6) == 1, user  # the median's row
        called = [row[:-1] for row in called if row[0] != 6]
        # Rows that tie on the order (a team's two rows; the rows of no team) in any order.
        assert sorted(called, key=repr) == sorted(written, key=repr), user
        kinds |= {row[0] for row in called}
        figures = counts.figures_from_counts(_forget(user), today=today, now=now)
        with monkeypatch.context() as patched:
            patched.setattr(counts, "_read", written_out)
            expected = counts.figures_from_counts(_forget(user), today=today, now=now)
        assert figures == expected, user
        assert figures[0]["median_days_to_close"] is not None
    # Every kind of row was compared, the restricted items' counts among them (the first
    # day's count is in the sums).
    assert kinds == {0, 1, 4, 5}


def test_the_median_read_with_the_counts_must_agree_with_them():
    assert counts._median_read(3, 3, [2.0]) == datetime.timedelta(days=2)
    assert counts._median_read(4, 4, [2.0, 3.0]) == datetime.timedelta(days=2.5)
    for items, values in ((5, [2.0]), (3, None), (3, [2.0, 3.0])):
        with pytest.raises(counts.CountsDisagree):
            counts._median_read(3, items, values)


@pytest.mark.parametrize(
    "hours",
    [
        # (unrestricted, restricted) close times: the middle in the first tenth of a day,
        # in a tenth both kinds share, between two tenths, and past a run of shared ones.
        ((5,), (5, 30)),
        ((5, 5, 300), (5,)),
        ((5, 29), (29, 29, 400)),
        ((1, 2, 3, 50, 50), (50, 50, 51, 52)),
        ((100, 7), ()),
    ],
)
def test_the_median_is_the_live_querys_when_restricted_items_share_its_tenths(cast, hours):
    """The read function finds the middle tenths reading the close days only as far as the
    middle (migration 0017); the restricted items a reader may read are counted in the same
    tenths as the others."""
    now = timezone.now()
    open_one, secret = cast["postmortems"][0], cast["postmortems"][3]
    for postmortem, kind in ((open_one, hours[0]), (secret, hours[1])):
        for hour in kind:
            item = ActionItemFactory(postmortem=postmortem, team=postmortem.team, status="done")
            ActionItem.objects.filter(pk=item.pk).update(
                created_at=now - datetime.timedelta(hours=hour + 1),
                completed_at=now - datetime.timedelta(hours=1),
            )
    assert_same_figures(cast["users"], now=now)
