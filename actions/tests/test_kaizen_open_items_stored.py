"""The Kaizen page's open items per theme from the stored counts (``KaizenOpenItems``) are
exactly what counting every item gives, for every reader, team and day, after random writes
through every path that changes them: the services, the managers' bulk change, queryset
updates, admin saves and deletes, factors' themes changed, themes merged or deleted, and
postmortems made restricted, unrestricted or deleted. PostgreSQL only: elsewhere the page
counts live."""

import datetime
import random

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from actions import kaizen, services, tasks
from actions.kaizen.current_week import current_week
from actions.models import ActionItem, KaizenOpenDay, KaizenOpenItems
from actions.tests.dashboard.test_counts import Writer, _forget
from postmortems import services as postmortem_services
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
        pytest.skip("the stored counts are PostgreSQL's; SQLite counts live")


@pytest.fixture
def cast(team, other_team, alice, outsider, superuser):
    """Teams, themes, postmortems with themed factors (two restricted, one with a viewer
    from another team) and readers."""
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
    themes = [ThemeFactory(name=name) for name in ("Config", "Capacity", "Alerting", "Deploy")]
    for n, postmortem in enumerate(postmortems):
        for m in range(2):
            factor = ContributingFactorFactory(postmortem=postmortem)
            factor.themes.add(themes[(n + m) % len(themes)])
            if m:
                factor.themes.add(themes[(n + 2) % len(themes)])
    return {
        "teams": [team, other_team, third],
        "postmortems": postmortems,
        "themes": themes,
        "users": [alice, outsider, viewer, superuser],
        "superuser": superuser,
    }


def assert_same_counts(cast, days=(0,)):
    _monday, _sunday, today = current_week()
    for user in cast["users"]:
        for team in (None, *cast["teams"]):
            for offset in days:
                day = today + offset * DAY
                stored = kaizen.open_item_counts(user=_forget(user), today=day, team=team)
                live = kaizen.open_item_counts(user=user, today=day, team=team, live=True)
                assert stored == live, (user, team, day)


class ThemedWriter(Writer):
    """``Writer``'s writes to items, with items linked to themed factors, and writes to
    the factors' themes."""

    def create(self):
        super().create()
        item = ActionItem.objects.latest("pk")
        factors = list(ContributingFactor.objects.filter(postmortem=item.postmortem_id))
        factor = self.rng.choice(factors) if factors and self.rng.random() < 0.85 else None
        # Some created "tomorrow": not open yet on the day counted.
        created = timezone.now() + DAY * self.rng.uniform(1, 3) if self.rng.random() < 0.1 else None
        ActionItem.objects.filter(pk=item.pk).update(
            factor=factor,
            kind=self.rng.choice(ActionItem.Kind.values),
            **({"created_at": created} if created else {}),
        )

    def relink(self):
        item = self.item()
        if item is None:
            return
        factors = list(ContributingFactor.objects.filter(postmortem=item.postmortem_id))
        item.factor = self.rng.choice([None, *factors])
        item.kind = self.rng.choice(ActionItem.Kind.values)
        request = RequestFactory().post("/admin/")
        request.user = self.by
        admin.site._registry[ActionItem].save_model(request, item, None, change=True)

    def close_later(self):
        """An item closed after the day counted (its completion stamped in the future)."""
        item = self.item()
        if item is None:
            return
        ActionItem.objects.filter(pk=item.pk).update(
            status=ActionItem.Status.DONE, completed_at=timezone.now() + 2 * DAY
        )

    def retheme(self):
        factor = self.rng.choice(list(ContributingFactor.objects.all()))
        themes = self.rng.sample(list(Theme.objects.all()), k=self.rng.randint(0, 2))
        how = self.rng.random()
        if how < 0.4:
            postmortem_services.factor_update(
                factor=factor,
                by=self.by,
                category=factor.category,
                description=factor.description,
                themes=themes,
            )
        elif how < 0.6:
            factor.themes.clear()
        elif how < 0.8:
            factor.themes.add(*themes)
        else:
            Theme.factors.through.objects.filter(contributingfactor=factor).delete()

    def new_factor(self):
        postmortem = self.rng.choice(list(Postmortem.objects.all()))
        postmortem_services.factor_create(
            postmortem=postmortem,
            by=self.by,
            category=ContributingFactor.Category.MONITORING,
            description="Thresholds tuned for daytime traffic.",
            themes=self.rng.sample(list(Theme.objects.all()), k=1),
        )

    def delete_factor(self):
        factors = list(ContributingFactor.objects.all())
        if len(factors) > 4:
            postmortem_services.factor_delete(factor=self.rng.choice(factors), by=self.by)

    def merge_themes(self):
        themes = list(Theme.objects.all())
        if len(themes) > 2:
            source, target = self.rng.sample(themes, k=2)
            services.theme_merge(source=source, target=target, by=self.by)
        ThemeFactory(name=f"Theme {self.rng.randint(0, 10**9)}")

    def delete_theme(self):
        themes = list(Theme.objects.all())
        if len(themes) > 2:
            self.rng.choice(themes).delete()

    def restrict_by_update(self):
        postmortem = self.rng.choice(list(Postmortem.objects.all()))
        Postmortem.objects.filter(pk=postmortem.pk).update(restricted=not postmortem.restricted)

    def delete_postmortem(self):
        doomed = PostmortemFactory(team=self.rng.choice(self.cast["teams"]))
        factor = ContributingFactorFactory(postmortem=doomed)
        factor.themes.add(self.rng.choice(list(Theme.objects.all())))
        for status in ("open", "blocked", "done"):
            ActionItemFactory(postmortem=doomed, team=doomed.team, factor=factor, status=status)
        doomed.delete()

    def any(self):
        self.rng.choice(
            [
                self.create,
                self.create,
                self.edit,
                self.transition,
                self.bulk,
                self.queryset_update,
                self.admin_save,
                self.delete,
                self.restrict,
                self.restrict_by_update,
                self.delete_postmortem,
                self.relink,
                self.close_later,
                self.retheme,
                self.retheme,
                self.new_factor,
                self.delete_factor,
                self.merge_themes,
                self.delete_theme,
            ]
        )()


@pytest.mark.parametrize("seed", [1, 2])
def test_stored_counts_equal_the_live_query_after_random_writes(cast, seed):
    writer = ThemedWriter(random.Random(seed), cast)
    for _ in range(15):
        writer.create()
    assert KaizenOpenItems.objects.exists()
    assert_same_counts(cast)
    for step in range(60):
        writer.any()
        if step % 20 == 19:
            assert_same_counts(cast)
    # Later days (items fell due since the stored day) and earlier ones.
    assert_same_counts(cast, days=(0, 1, 8, 45, -3, -40))


def test_a_drifted_row_shows_in_the_comparison(cast):
    writer = ThemedWriter(random.Random(4), cast)
    for _ in range(15):
        writer.create()
    assert_same_counts(cast)
    row = KaizenOpenItems.objects.order_by("pk").first()
    KaizenOpenItems.objects.filter(pk=row.pk).update(overdue=row.overdue + 1)
    with pytest.raises(AssertionError):
        assert_same_counts(cast)
    services.kaizen_open_items_rebuild()
    assert_same_counts(cast)


def test_counts_without_a_day_count_every_overdue_item_live(cast):
    writer = ThemedWriter(random.Random(5), cast)
    for _ in range(15):
        writer.create()
    KaizenOpenDay.objects.all().delete()
    services.kaizen_open_items_rebuild()
    KaizenOpenDay.objects.update(day=None)
    KaizenOpenItems.objects.update(overdue=0)
    assert_same_counts(cast, days=(0, 5))
    writer.create()
    assert_same_counts(cast, days=(0, 5))


def test_the_beat_task_counts_overdue_as_of_today_again(cast):
    writer = ThemedWriter(random.Random(6), cast)
    for _ in range(15):
        writer.create()
    # Counted a month ago: the items that fell due since are counted live meanwhile.
    services.kaizen_open_items_rebuild(day=current_week()[2] - 30 * DAY)
    assert_same_counts(cast, days=(0, -40))
    assert tasks.kaizen_open_items_rebuild.apply().get() == {"rebuilt": True}
    assert KaizenOpenDay.objects.get().day == current_week()[2]
    overdue = sum(KaizenOpenItems.objects.values_list("overdue", flat=True))
    expected = sum(
        len(item.factor.themes.all())
        for item in ActionItem.objects.filter(
            status__in=ActionItem.OPEN_STATUSES, due_date__lte=current_week()[2]
        ).prefetch_related("factor__themes")
        if item.factor is not None
    )
    assert overdue == expected
    assert_same_counts(cast)


def test_a_reader_gets_no_count_of_restricted_items_they_may_not_open(cast, outsider):
    secret = cast["postmortems"][3]
    factor = secret.factors.first()
    theme = factor.themes.first()
    before = kaizen.open_item_counts(user=outsider, today=current_week()[2])
    for _ in range(3):
        ActionItemFactory(postmortem=secret, team=secret.team, factor=factor, status="open")
    after = kaizen.open_item_counts(user=_forget(outsider), today=current_week()[2])
    assert after[theme.pk].visible == (before[theme.pk].visible if theme.pk in before else 0)
    assert after[theme.pk].hidden >= 3


def test_seed_scale_leaves_counts_of_today_equal_to_the_live_query(cast):
    KaizenOpenDay.objects.all().delete()  # as after a flush
    call_command("seed_scale", "--postmortems", "30", "--actions", "300", "--teams", "4")
    assert KaizenOpenDay.objects.get().day == current_week()[2]
    assert_same_counts(cast, days=(0, 3))
