"""The Kaizen page counts the open items once (``open_item_counts``): the week in progress
and the drill-down must show the figures they showed when each counted them itself."""

import datetime
import itertools

import pytest
from django.utils import timezone

from actions import kaizen
from actions.kaizen import current_week
from actions.kaizen.rollup import _counts
from actions.models import ActionItem
from postmortems.selectors import visible_postmortems
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    ThemeFactory,
)


@pytest.fixture
def mixed(team, other_team):
    """Two teams, three themes (one factor carries two), restricted and open postmortems,
    items in every status, due before and after today, preventive or not, one without a
    factor, one assigned to another team than its postmortem's."""
    today = timezone.localdate()
    themes = [ThemeFactory(name=name) for name in ("Config", "Capacity", "Alerting")]
    now = timezone.now()
    statuses = [s for s, _label in ActionItem.Status.choices]
    kinds = [k for k, _label in ActionItem.Kind.choices]
    cases = itertools.product((team, other_team), (False, True), range(3))
    for n, (owner, restricted, theme_index) in enumerate(cases):
        pm = PostmortemFactory(
            team=owner, restricted=restricted, started_at=now - datetime.timedelta(days=n)
        )
        factor = ContributingFactorFactory(postmortem=pm)
        factor.themes.add(themes[theme_index])
        if n % 4 == 0:
            factor.themes.add(themes[(theme_index + 1) % 3])
        for m in range(5):
            status = statuses[(n + m) % len(statuses)]
            ActionItemFactory(
                postmortem=pm,
                factor=factor if m else None if n % 3 == 0 else factor,
                team=other_team if (n + m) % 5 == 0 else owner,
                status=status,
                status_reason="why" if status in ("blocked", "wont_do") else "",
                completed_at=now if status == "done" else None,
                kind=kinds[(n * m) % len(kinds)],
                due_date=today + datetime.timedelta(days=(m - 2) * 3),
            )
    return themes


def _expected(user, team, today):
    """The figures by hand, item by item."""
    visible = set(visible_postmortems(user).values_list("pk", flat=True))
    expected = {}
    items = ActionItem.objects.select_related("postmortem").prefetch_related("factor__themes")
    for item in items:
        if item.factor is None or (team is not None and item.team_id != team.pk):
            continue
        for theme in item.factor.themes.all():
            e = expected.setdefault(theme.pk, kaizen.OpenItems())
            if item.status in ActionItem.OPEN_STATUSES:
                e.week_open += 1
                e.week_overdue += item.due_date <= today
                if not item.postmortem.restricted:
                    e.week_open_unrestricted += 1
                    e.week_overdue_unrestricted += item.due_date <= today
                if item.postmortem_id in visible:
                    e.visible += 1
                else:
                    e.hidden += 1
                e.prevents = e.prevents or item.kind == ActionItem.Kind.PREVENT
    return expected


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["alice", "outsider", "superuser"])
@pytest.mark.parametrize("by_team", [False, True])
def test_open_item_counts_match_the_items_one_by_one(mixed, request, team, who, by_team):
    user = request.getfixturevalue(who)
    today = timezone.localdate()
    scope = team if by_team else None

    counted = kaizen.open_item_counts(user=user, today=today, team=scope)

    assert counted == _expected(user, scope, today)


@pytest.mark.django_db
@pytest.mark.parametrize("restricted", [False, True])
def test_an_item_closed_after_the_day_adds_to_the_week_of_its_theme_only(alice, team, restricted):
    """Open when the day ends (closed later) is open for the week, not for the drill-down;
    its figures add to those of the open items of the same theme and postmortem kind."""
    today = timezone.localdate()
    theme = ThemeFactory()
    pm = PostmortemFactory(team=team, restricted=restricted)
    factor = ContributingFactorFactory(postmortem=pm)
    factor.themes.add(theme)
    ActionItemFactory(postmortem=pm, factor=factor, team=team, due_date=today)
    later = timezone.now() + datetime.timedelta(days=2)
    ActionItemFactory(
        postmortem=pm,
        factor=factor,
        team=team,
        status="done",
        completed_at=later,
        due_date=today - datetime.timedelta(days=1),
    )

    counted = kaizen.open_item_counts(user=alice, today=today)[theme.pk]

    assert (counted.week_open, counted.week_overdue) == (2, 2)
    unrestricted = (0, 0) if restricted else (2, 2)
    assert (counted.week_open_unrestricted, counted.week_overdue_unrestricted) == unrestricted
    assert (counted.visible, counted.hidden) == (1, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("with_restricted", [True, False])
@pytest.mark.parametrize("by_team", [False, True])
def test_the_week_in_progress_shows_the_figures_it_counted_itself(
    mixed, alice, team, with_restricted, by_team
):
    monday, sunday, today = current_week.current_week()
    periods = [(monday - kaizen.WEEK, sunday - kaizen.WEEK), (monday, sunday)]
    scope = team if by_team else None

    def week(open_items):
        trends = current_week.add_current_week(
            [],
            periods,
            team=scope,
            with_restricted=with_restricted,
            today=today,
            open_items=open_items,
        )
        return [(t.name, t.counts, t.factors, t.open_actions, t.overdue_actions) for t in trends]

    shared = kaizen.open_item_counts(user=alice, today=today, team=scope)

    assert week(shared) == week(None)
    assert week(shared)  # the data set has themed incidents this week


@pytest.mark.django_db
def test_the_drill_down_lists_the_first_visible_items_and_postmortems_of_each_theme(
    mixed, outsider
):
    today = timezone.localdate()
    first = today - datetime.timedelta(days=9)
    trends = [kaizen.ThemeTrend(t.pk, t.name, [1]) for t in mixed]

    kaizen.attach_drill_down(trends, user=outsider, first=first, last=today)

    visible = set(visible_postmortems(outsider).values_list("pk", flat=True))
    for trend in trends:
        items = (
            ActionItem.objects.filter(
                status__in=ActionItem.OPEN_STATUSES,
                factor__themes=trend.theme_id,
                postmortem__in=visible,
            )
            .order_by("due_date", "pk")
            .values_list("pk", flat=True)
        )
        assert [i["pk"] for i in trend.action_items] == list(items[: kaizen.DRILL_LIMIT])
        assert trend.action_item_count == items.count()
        pms = list(
            visible_postmortems(outsider)
            .filter(factors__themes=trend.theme_id, started_at__date__gte=first)
            .order_by("-started_at", "-pk")
            .values_list("pk", flat=True)
            .distinct()
        )
        assert [p["pk"] for p in trend.postmortems] == pms[: kaizen.DRILL_LIMIT]
        assert trend.postmortem_count == len(pms)


@pytest.mark.django_db
@pytest.mark.parametrize("with_restricted", [True, False])
@pytest.mark.parametrize("by_team", [False, True])
def test_one_scopes_week_counts_are_its_rows_of_the_roll_up_counts(
    mixed, team, with_restricted, by_team
):
    monday, _sunday, today = current_week.current_week()
    team_id = team.pk if by_team else None

    scoped = _counts(monday, today, with_restricted=with_restricted, team_id=team_id)

    every = _counts(monday, today, with_restricted=with_restricted)
    assert dict(scoped) == {key: c for key, c in every.items() if key[1] == team_id}
    assert scoped
