"""The Kaizen drill-down from the stored rows of each theme's postmortems
(``KaizenThemePostmortem``) is exactly what joining the factors gives, for every reader,
team and range, after random writes through every path that changes them: factors' themes
changed, factors created, moved to another postmortem or deleted, themes merged or deleted,
postmortems restricted, moved in time, given to another team or deleted, and writes in the
"wrong" order that deferred constraints allow. The review notes' items, checked against the
restricted postmortems hidden from the reader, are those of ``visible_postmortems``.
PostgreSQL only: elsewhere the drill-down joins the factors."""

import datetime
import random
import re

import pytest
from django.db import connection, transaction
from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from actions import kaizen
from actions.kaizen import current_week, drilldown, open_items, reviews
from actions.kaizen.trends import ThemeTrend
from actions.models import ActionItem, KaizenReview, KaizenThemePostmortem
from actions.tests.dashboard.test_counts import _forget
from actions.tests.test_kaizen_open_items_stored import ThemedWriter
from postmortems.models import ContributingFactor, Postmortem, Theme
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    MembershipFactory,
    PostmortemFactory,
    TeamFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the stored rows are PostgreSQL's; SQLite joins the factors")


@pytest.fixture
def cast(team, other_team, alice, outsider, superuser):
    """Teams, themes, postmortems over four months with themed factors (some restricted,
    one with a viewer from another team; more than ``DRILL_LIMIT`` per theme) and readers."""
    third = TeamFactory(name="Ads", slug="ads")
    viewer = UserFactory(username="vera")
    MembershipFactory(team=third, user=viewer)
    rng = random.Random(0)
    teams = [team, other_team, third]
    themes = [ThemeFactory(name=name) for name in ("Config", "Capacity", "Alerting", "Deploy")]
    postmortems = []
    now = timezone.now()
    for n in range(24):
        postmortem = PostmortemFactory(
            team=teams[n % 3],
            restricted=n % 5 == 0,
            started_at=now - DAY * rng.uniform(0, 120),
        )
        if n % 7 == 0:  # no start recorded: the incident time is the creation time
            Postmortem.objects.filter(pk=postmortem.pk).update(
                started_at=None, created_at=now - DAY * rng.uniform(0, 120)
            )
        if n == 5:
            postmortem.viewers.add(viewer)
        for _ in range(rng.randint(1, 3)):
            factor = ContributingFactorFactory(postmortem=postmortem)
            factor.themes.add(*rng.sample(themes, k=rng.randint(0, 2)))
        postmortems.append(postmortem)
    for n in range(30):
        postmortem = postmortems[n % len(postmortems)]
        ActionItemFactory(
            postmortem=postmortem,
            team=rng.choice(teams),
            factor=postmortem.factors.order_by("?").first(),
            status=rng.choice(["open", "open", "blocked", "done"]),
            due_date=timezone.localdate() + DAY * rng.randint(-20, 20),
        )
    return {
        "teams": teams,
        "postmortems": postmortems,
        "themes": themes,
        "users": [alice, outsider, viewer, superuser],
        "superuser": superuser,
    }


def live_rows():
    """What the rows hold by definition, from the links."""
    links = Theme.factors.through.objects.values_list(
        "theme_id",
        "contributingfactor__postmortem_id",
        Coalesce(
            "contributingfactor__postmortem__started_at",
            "contributingfactor__postmortem__created_at",
        ),
        "contributingfactor__postmortem__team_id",
        "contributingfactor__postmortem__restricted",
    )
    return sorted(links.annotate(factors=Count("pk")).order_by())


def stored_rows():
    return sorted(
        KaizenThemePostmortem.objects.values_list(
            "theme_id", "postmortem_id", "at", "team_id", "restricted", "factors"
        )
    )


def drill_down(user, first, last, team, *, live):
    theme_trends = [ThemeTrend(t.pk, t.name, [1]) for t in Theme.objects.order_by("pk")]
    kaizen.attach_drill_down(
        theme_trends,
        user=_forget(user),
        first=first,
        last=last,
        team=team,
        open_items={},
        live=live,
    )
    return [(t.theme_id, t.postmortems, t.postmortem_count, t.action_items) for t in theme_trends]


def assert_same(cast):
    assert stored_rows() == live_rows()
    today = timezone.localdate()
    ranges = [(today - 6 * DAY, today), (today - 34 * DAY, today), (today - 130 * DAY, today)]
    for user in cast["users"]:
        for team in (None, *cast["teams"]):
            for first, last in ranges:
                stored = drill_down(user, first, last, team, live=False)
                live = drill_down(user, first, last, team, live=True)
                assert stored == live, (user, team, first)


class PostmortemWriter(ThemedWriter):
    """``ThemedWriter``'s writes, and the writes to postmortems and factors that move a
    theme's postmortems in time, between teams and between postmortems."""

    def move_in_time(self):
        postmortem = self.rng.choice(list(Postmortem.objects.all()))
        when = self.when() if self.rng.random() < 0.8 else None
        Postmortem.objects.filter(pk=postmortem.pk).update(started_at=when)

    def move_created(self):
        postmortem = self.rng.choice(list(Postmortem.objects.all()))
        Postmortem.objects.filter(pk=postmortem.pk).update(created_at=self.when())

    def change_team(self):
        postmortem = self.rng.choice(list(Postmortem.objects.all()))
        postmortem.team = self.rng.choice(self.cast["teams"])
        postmortem.save()

    def move_factor(self):
        factor = self.rng.choice(list(ContributingFactor.objects.all()))
        target = self.rng.choice(list(Postmortem.objects.all()))
        ContributingFactor.objects.filter(pk=factor.pk).update(postmortem=target)
        ActionItem.objects.filter(factor=factor).update(postmortem=target)

    def relink_all(self):
        """A theme's links handed to another theme by one UPDATE."""
        source, target = self.rng.sample(list(Theme.objects.all()), k=2)
        links = Theme.factors.through.objects
        taken = links.filter(theme=target).values("contributingfactor_id")
        links.filter(theme=source).exclude(contributingfactor_id__in=taken).update(theme=target)

    def deferred_order(self):
        """Links written before their factor, and a factor deleted before its links, in
        transactions whose foreign keys are checked at commit."""
        postmortem = self.rng.choice(list(Postmortem.objects.all()))
        theme = self.rng.choice(list(Theme.objects.all()))
        links = Theme.factors.through._meta.db_table
        factors = ContributingFactor._meta.db_table
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [factors])
            (factor_id,) = cursor.fetchone()
            cursor.execute(
                f"INSERT INTO {links} (contributingfactor_id, theme_id) VALUES (%s, %s)",  # noqa: S608
                [factor_id, theme.pk],
            )
            ContributingFactor.objects.create(
                pk=factor_id, postmortem=postmortem, category="process", description="x"
            )
        doomed = ContributingFactor.objects.filter(themes__isnull=False).order_by("?").first()
        if doomed is None or ActionItem.objects.filter(factor=doomed).exists():
            return
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {factors} WHERE id = %s", [doomed.pk])  # noqa: S608
            cursor.execute(
                f"DELETE FROM {links} WHERE contributingfactor_id = %s",  # noqa: S608
                [doomed.pk],
            )

    def any(self):
        self.rng.choice(
            [
                self.move_in_time,
                self.move_created,
                self.change_team,
                self.move_factor,
                self.relink_all,
                self.deferred_order,
                self.retheme,
                self.retheme,
                self.new_factor,
                self.delete_factor,
                self.merge_themes,
                self.delete_theme,
                self.restrict,
                self.restrict_by_update,
                self.delete_postmortem,
                self.create,
            ]
        )()


def test_the_migration_filled_rows_equal_to_the_links(cast):
    assert KaizenThemePostmortem.objects.exists()
    assert_same(cast)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_stored_drill_down_equals_the_live_one_after_random_writes(cast, seed):
    writer = PostmortemWriter(random.Random(seed), cast)
    for step in range(60):
        writer.any()
        if step % 15 == 14:
            assert_same(cast)


def test_a_drifted_row_shows_in_the_comparison(cast):
    row = KaizenThemePostmortem.objects.order_by("pk").first()
    KaizenThemePostmortem.objects.filter(pk=row.pk).update(at=F("at") - 400 * DAY)
    with pytest.raises(AssertionError):
        assert_same(cast)
    with connection.cursor() as cursor:
        cursor.execute("SELECT actions_kaizen_theme_pm_rebuild()")
    assert_same(cast)


def test_a_reader_sees_no_title_of_a_restricted_postmortem_they_may_not_open(cast, outsider):
    secret = PostmortemFactory(team=cast["teams"][0], restricted=True, title="Secret outage")
    ContributingFactorFactory(postmortem=secret).themes.add(cast["themes"][0])
    today = timezone.localdate()
    shown = drill_down(outsider, today - 6 * DAY, today, None, live=False)
    titles = {pm["title"] for _theme, pms, _count, _items in shown for pm in pms}
    assert "Secret outage" not in titles
    member = drill_down(cast["users"][0], today - 6 * DAY, today, None, live=False)
    assert "Secret outage" in {pm["title"] for _t, pms, _c, _i in member for pm in pms}


def test_review_notes_show_the_items_of_postmortems_the_reader_may_open(cast):
    rng = random.Random(3)
    items = list(ActionItem.objects.all())
    creator = cast["superuser"]
    for n in range(4):
        review = KaizenReview.objects.create(
            team=cast["teams"][n % 3],
            period_start=timezone.localdate() - 27 * DAY,
            period_end=timezone.localdate() - DAY * n,
            notes="notes",
            notes_html="<p>notes</p>",
            created_by=creator if n else None,
        )
        review.action_items.set(rng.sample(items, k=rng.randint(0, 6)))
    assert any(
        i.postmortem.restricted for r in KaizenReview.objects.all() for i in r.action_items.all()
    )
    for user in cast["users"]:
        for team in (None, *cast["teams"]):
            written_out = reviews._rows_postgresql(_forget(user), team=team, limit=3)
            orm = list(reviews._rows(_forget(user), team=team, limit=3))
            assert written_out == orm, (user, team)


class _OrmPaths:
    """``django.db.connection`` as the Kaizen modules see it, naming another vendor: each
    takes its ORM path (what SQLite runs, the reference) while the queries still run here."""

    vendor = "reference"

    def __getattr__(self, name):
        return getattr(connection, name)


def _page(client, query):
    html = client.get(reverse("actions:kaizen") + query).content.decode()
    # The CSRF token is masked, and the scripts' nonce drawn, afresh for every response.
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


def test_the_page_is_the_same_as_from_the_reference_queries_for_every_reader(
    cast, client, login, monkeypatch
):
    writer = PostmortemWriter(random.Random(7), cast)
    for _ in range(20):
        writer.any()
    for weeks in range(12):
        kaizen.rollup(kaizen.last_completed_week_end() - datetime.timedelta(weeks=weeks))
    creator = cast["superuser"]
    for n, team in enumerate(cast["teams"]):
        review = KaizenReview.objects.create(
            team=team,
            period_start=timezone.localdate() - 27 * DAY,
            period_end=timezone.localdate() - n * DAY,
            notes="n",
            notes_html="<p>n</p>",
            created_by=creator,
        )
        review.action_items.set(ActionItem.objects.order_by("?")[:4])
    today = timezone.localdate()
    queries = [
        "",
        "?weeks=12",
        *(f"?team={team.pk}" for team in cast["teams"]),
        f"?team={cast['teams'][0].pk}&weeks=12",
        f"?from={(today - 100 * DAY).isoformat()}&to={(today - 8 * DAY).isoformat()}",
    ]
    modules = (open_items, drilldown, reviews, current_week)
    for user in cast["users"]:
        login(client, user)
        for query in queries:
            page = _page(client, query)
            with monkeypatch.context() as patched:
                for module in modules:
                    patched.setattr(module, "connection", _OrmPaths())
                reference = _page(client, query)
            assert page == reference, (user, query)
