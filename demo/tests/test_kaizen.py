import datetime

import pytest

from actions import kaizen
from actions.models import ActionItem, ThemeRollup
from demo import kaizen as kaizen_demo
from postmortems.models import Postmortem, Theme
from tests.factories import TeamFactory


@pytest.mark.django_db
def test_the_demo_season_is_idempotent_and_fills_twelve_weeks_of_roll_ups():
    teams = {slug: TeamFactory(slug=slug, name=slug.title()) for slug in kaizen_demo_slugs()}
    kaizen_demo.seed(teams=teams, users={})
    counts = (Postmortem.objects.count(), ActionItem.objects.count(), ThemeRollup.objects.count())
    kaizen_demo.seed(teams=teams, users={})

    assert counts == (
        Postmortem.objects.count(),
        ActionItem.objects.count(),
        ThemeRollup.objects.count(),
    )
    assert Theme.objects.count() == 5
    end = kaizen.last_completed_week_end()
    weeks = kaizen.periods_between(end - datetime.timedelta(weeks=11), end)
    ranked = kaizen.trends(weeks)
    assert ranked[0].is_recurring
    assert any(t.is_new for t in kaizen.trends(weeks[-4:]))


def kaizen_demo_slugs():
    return {row[0] for row in kaizen_demo.INCIDENTS} | {row[1] for row in kaizen_demo.OLDER}
