import datetime
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command

from actions import kaizen
from actions.models import ActionItem, ThemeRollup
from postmortems.models import Postmortem
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    TeamFactory,
    ThemeFactory,
)

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
# Monday 2026-03-02 to Sunday 2026-03-08 is the week under test.
WEEK_END = datetime.date(2026, 3, 8)


@pytest.fixture
def seoul(settings):
    settings.TIME_ZONE = "Asia/Seoul"
    return SEOUL


def at(y, m, d, h=12, minute=0, tz=SEOUL):
    return datetime.datetime(y, m, d, h, minute, tzinfo=tz)


def incident(team, theme, started_at, factors=1, **kwargs):
    pm = PostmortemFactory(team=team, started_at=started_at, **kwargs)
    made = [ContributingFactorFactory(postmortem=pm) for _ in range(factors)]
    for factor in made:
        factor.themes.add(theme)
    return pm, made


def overall(theme, start=datetime.date(2026, 3, 2)):
    return ThemeRollup.objects.get(theme=theme, team__isnull=True, period_start=start)


@pytest.mark.django_db
def test_the_week_is_monday_to_sunday_in_the_configured_time_zone(seoul):
    team, theme = TeamFactory(), ThemeFactory()
    # Sunday 23:30 in Seoul is still the week under test (14:30 UTC)...
    incident(team, theme, at(2026, 3, 8, 23, 30))
    # ...Monday 00:10 in Seoul is the next week, though it is still Sunday in UTC.
    incident(team, theme, at(2026, 3, 9, 0, 10))
    # Monday 00:00 in Seoul opens the week under test.
    incident(team, theme, at(2026, 3, 2, 0, 0))
    # Sunday 23:59 the week before does not count.
    incident(team, theme, at(2026, 3, 1, 23, 59))

    result = kaizen.rollup(WEEK_END)

    assert (result.period_start, result.period_end) == (datetime.date(2026, 3, 2), WEEK_END)
    row = overall(theme)
    assert row.postmortem_count == 2
    assert row.period_end == WEEK_END


@pytest.mark.django_db
def test_the_same_instants_fall_in_other_weeks_under_utc(settings):
    settings.TIME_ZONE = "UTC"
    team, theme = TeamFactory(), ThemeFactory()
    incident(team, theme, at(2026, 3, 2, 0, 10))  # Sunday 15:10 UTC: the week before

    kaizen.rollup(WEEK_END)

    assert (
        not ThemeRollup.objects.filter(period_start=datetime.date(2026, 3, 2))
        .filter(postmortem_count__gt=0)
        .exists()
    )


@pytest.mark.django_db
def test_a_postmortem_without_a_start_time_counts_by_when_it_was_written(seoul):
    team, theme = TeamFactory(), ThemeFactory()
    pm, _ = incident(team, theme, None, detected_at=None, mitigated_at=None, resolved_at=None)
    Postmortem.objects.filter(pk=pm.pk).update(created_at=at(2026, 3, 4))

    kaizen.rollup(WEEK_END)

    assert overall(theme).postmortem_count == 1


@pytest.mark.django_db
def test_rows_per_team_and_overall_count_postmortems_once_and_every_factor(seoul):
    payments, search = TeamFactory(), TeamFactory()
    theme, other = ThemeFactory(), ThemeFactory()
    pm, _ = incident(payments, theme, at(2026, 3, 3), factors=2)
    incident(search, theme, at(2026, 3, 5))
    # A factor with two themes counts for both.
    ContributingFactorFactory(postmortem=pm).themes.add(theme, other)

    kaizen.rollup(WEEK_END)

    row = overall(theme)
    assert (row.postmortem_count, row.factor_count) == (2, 4)
    team_row = ThemeRollup.objects.get(theme=theme, team=payments)
    assert (team_row.postmortem_count, team_row.factor_count) == (1, 3)
    assert ThemeRollup.objects.get(theme=theme, team=search).postmortem_count == 1
    assert overall(other).postmortem_count == 1


@pytest.mark.django_db
def test_change_compares_with_the_week_before(seoul):
    team, theme = TeamFactory(), ThemeFactory()
    for day in (23, 24, 25):
        incident(team, theme, at(2026, 2, day))  # three the week before
    incident(team, theme, at(2026, 3, 6))  # one this week

    kaizen.rollup(WEEK_END)

    assert overall(theme).change == -2
    assert ThemeRollup.objects.get(theme=theme, team=team).change == -2


@pytest.mark.django_db
def test_a_theme_that_stopped_recurring_still_gets_a_row_with_its_drop(seoul):
    team, theme = TeamFactory(), ThemeFactory()
    incident(team, theme, at(2026, 2, 25))

    kaizen.rollup(WEEK_END)

    row = overall(theme)
    assert (row.postmortem_count, row.change) == (0, -1)


@pytest.mark.django_db
def test_open_and_overdue_actions_are_counted_as_of_the_end_of_the_period(seoul):
    team, theme = TeamFactory(), ThemeFactory()
    pm, (factor,) = incident(team, theme, at(2026, 2, 10))
    end_at = at(2026, 3, 9, 0, 0)  # the instant the week ends

    def item(**kwargs):
        created = kwargs.pop("created", at(2026, 2, 11))
        made = ActionItemFactory(postmortem=pm, factor=factor, team=team, **kwargs)
        ActionItem.objects.filter(pk=made.pk).update(created_at=created)
        return made

    item(due_date=datetime.date(2026, 3, 8))  # open, due on the last day: overdue then
    item(due_date=datetime.date(2026, 3, 9))  # open, due the next day: not overdue
    item(
        status="done",
        completed_at=end_at + datetime.timedelta(hours=1),
        due_date=datetime.date(2026, 3, 1),
    )  # closed later: open and overdue then
    item(
        status="done",
        completed_at=end_at - datetime.timedelta(minutes=1),
        due_date=datetime.date(2026, 3, 1),
    )  # closed in time: not counted
    item(created=end_at, due_date=datetime.date(2026, 3, 1))  # created after the week
    ActionItemFactory(postmortem=pm, team=team)  # not linked to a factor

    kaizen.rollup(WEEK_END)

    row = overall(theme)
    assert (row.open_action_count, row.overdue_action_count) == (3, 2)
    assert row.postmortem_count == 0


@pytest.mark.django_db
def test_running_again_replaces_the_period_instead_of_adding_rows(seoul):
    team, theme = TeamFactory(), ThemeFactory()
    incident(team, theme, at(2026, 3, 3))
    kaizen.rollup(WEEK_END)
    incident(team, theme, at(2026, 3, 4))

    kaizen.rollup(WEEK_END)
    kaizen.rollup(WEEK_END)

    assert (
        ThemeRollup.objects.filter(theme=theme, period_start=datetime.date(2026, 3, 2)).count() == 2
    )
    assert overall(theme).postmortem_count == 2


@pytest.mark.django_db
def test_the_default_period_is_the_last_completed_week_in_the_configured_zone(seoul):
    team, theme = TeamFactory(), ThemeFactory()
    incident(team, theme, at(2026, 3, 5))
    # Monday 00:30 in Seoul (still Sunday in UTC): the week to 8 March has just ended.
    with time_machine.travel(at(2026, 3, 9, 0, 30), tick=False):
        result = kaizen.rollup()
    assert result.period_end == WEEK_END
    assert overall(theme).postmortem_count == 1


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_themes(seoul, django_assert_max_num_queries):
    teams = [TeamFactory() for _ in range(3)]
    for n in range(12):
        theme = ThemeFactory()
        pm, (factor,) = incident(teams[n % 3], theme, at(2026, 3, 2 + n % 7))
        ActionItemFactory(postmortem=pm, factor=factor)
    # Two grouped queries with restricted postmortems, two without.
    with django_assert_max_num_queries(8):
        result = kaizen.rollup(WEEK_END)
    assert result.rows == 24


@pytest.mark.django_db
def test_the_command_backfills_several_weeks(seoul):
    team, theme = TeamFactory(), ThemeFactory()
    incident(team, theme, at(2026, 2, 18))
    incident(team, theme, at(2026, 3, 4))

    call_command("rollup_themes", "--period-end", "2026-03-08", "--weeks", "3")

    starts = sorted(
        ThemeRollup.objects.filter(theme=theme, team__isnull=True).values_list(
            "period_start", "postmortem_count"
        )
    )
    assert starts == [
        (datetime.date(2026, 2, 16), 1),
        (datetime.date(2026, 2, 23), 0),
        (datetime.date(2026, 3, 2), 1),
    ]
