import datetime

import pytest
from django.core.exceptions import ValidationError

from postmortems import services
from postmortems.models import ContributingFactor, Theme, TimelineEvent
from postmortems.timeline import parse_timeline
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    ThemeFactory,
    TimelineEventFactory,
)

WHEN = datetime.datetime(2026, 11, 20, 14, 3, tzinfo=datetime.UTC)


@pytest.fixture
def postmortem(team):
    return PostmortemFactory(team=team)


def test_creating_an_event_renders_sanitised_markdown_and_records_who(postmortem, alice):
    event = services.timeline_event_create(
        postmortem=postmortem,
        by=alice,
        occurred_at=WHEN,
        kind=TimelineEvent.Kind.DETECTION,
        text="**Alert** fires <script>alert(1)</script>",
    )
    event.refresh_from_db()
    assert "<strong>Alert</strong>" in event.text_html
    assert "<script>" not in event.text_html
    assert event.created_by == alice
    assert event.history.get().history_user == alice


def test_timeline_writes_leave_the_postmortem_version_alone(postmortem, alice):
    version = postmortem.version
    event = services.timeline_event_create(
        postmortem=postmortem, by=alice, occurred_at=WHEN, kind="note", text="x"
    )
    services.timeline_event_update(event=event, by=alice, occurred_at=WHEN, kind="note", text="y")
    services.timeline_event_set_pinned(event=event, by=alice, pinned=True)
    services.timeline_event_delete(event=event, by=alice)
    postmortem.refresh_from_db()
    assert postmortem.version == version


def test_updating_an_event_re_renders_and_keeps_history(postmortem, alice, manager):
    event = services.timeline_event_create(
        postmortem=postmortem, by=alice, occurred_at=WHEN, kind="note", text="first"
    )
    later = WHEN + datetime.timedelta(minutes=5)
    services.timeline_event_update(
        event=event, by=manager, occurred_at=later, kind="repair", text="_second_"
    )
    event.refresh_from_db()
    assert (event.occurred_at, event.kind, event.text_html) == (
        later,
        "repair",
        "<p><em>second</em></p>",
    )
    history = list(event.history.order_by("history_date"))
    assert [h.text for h in history] == ["first", "_second_"]
    assert history[-1].history_user == manager


def test_an_invalid_kind_is_refused_and_nothing_is_saved(postmortem, alice):
    with pytest.raises(ValidationError):
        services.timeline_event_create(
            postmortem=postmortem, by=alice, occurred_at=WHEN, kind="blame", text="x"
        )
    assert not TimelineEvent.objects.exists()


def test_pinning_and_unpinning(postmortem, alice):
    event = TimelineEventFactory(postmortem=postmortem)
    services.timeline_event_set_pinned(event=event, by=alice, pinned=True)
    event.refresh_from_db()
    assert event.pinned
    services.timeline_event_set_pinned(event=event, by=alice, pinned=False)
    event.refresh_from_db()
    assert not event.pinned


def test_deleting_an_event_keeps_a_history_row_naming_who(postmortem, alice):
    event = TimelineEventFactory(postmortem=postmortem)
    pk = event.pk
    services.timeline_event_delete(event=event, by=alice)
    assert not TimelineEvent.objects.filter(pk=pk).exists()
    deleted = TimelineEvent.history.filter(id=pk, history_type="-").get()
    assert deleted.history_user == alice


def test_import_saves_every_parsed_line_with_history(postmortem, alice):
    result = parse_timeline(
        "2026-11-20 14:03 UTC [detection] Alert fires\n14:10 [repair] **Rolled back**",
        datetime.UTC,
    )
    created = services.timeline_import(postmortem=postmortem, by=alice, events=result.events)
    assert len(created) == 2
    events = list(postmortem.timeline_events.all())
    assert [(e.kind, e.occurred_at) for e in events] == [
        ("detection", WHEN),
        ("repair", WHEN + datetime.timedelta(minutes=7)),
    ]
    assert events[1].text_html == "<p><strong>Rolled back</strong></p>"
    assert all(e.created_by == alice for e in events)
    assert TimelineEvent.history.filter(history_user=alice).count() == 2


def test_import_is_all_or_nothing(postmortem, alice):
    good = parse_timeline("2026-11-20 14:03 UTC ok", datetime.UTC).events[0]
    bad = type(good)(line_no=2, occurred_at=WHEN, kind="nonsense", text="x")
    with pytest.raises(ValidationError):
        services.timeline_import(postmortem=postmortem, by=alice, events=[good, bad])
    assert not TimelineEvent.objects.exists()


def test_import_of_nothing_is_refused(postmortem, alice):
    with pytest.raises(ValidationError):
        services.timeline_import(postmortem=postmortem, by=alice, events=[])


# --- Contributing factors --------------------------------------------------------------------


def test_factor_with_existing_and_new_themes(postmortem, alice):
    existing = ThemeFactory(name="Alert fatigue", slug="alert-fatigue")
    factor = services.factor_create(
        postmortem=postmortem,
        by=alice,
        category=ContributingFactor.Category.MONITORING,
        description="The alert fired **every night**, so it was muted.",
        themes=[existing, "Config drift", "설정 불일치"],
    )
    assert (
        factor.description_html
        == "<p>The alert fired <strong>every night</strong>, so it was muted.</p>"
    )
    assert sorted(t.slug for t in factor.themes.all()) == sorted(
        ["alert-fatigue", "config-drift", "설정-불일치"]
    )
    assert Theme.objects.count() == 3
    assert {h.history_user for h in factor.history.all()} == {alice}


def test_a_typed_name_that_already_exists_reuses_the_theme(postmortem, alice):
    existing = ThemeFactory(name="Alert fatigue", slug="alert-fatigue")
    factor = services.factor_create(
        postmortem=postmortem,
        by=alice,
        category="monitoring",
        description="x",
        themes=["alert  FATIGUE", existing],
    )
    assert list(factor.themes.all()) == [existing]
    assert Theme.objects.count() == 1


def test_a_theme_name_without_letters_or_digits_is_refused(postmortem, alice):
    with pytest.raises(ValidationError):
        services.factor_create(
            postmortem=postmortem, by=alice, category="monitoring", description="x", themes=["!!"]
        )
    assert not ContributingFactor.objects.exists()
    assert not Theme.objects.exists()


def test_an_unknown_category_is_refused(postmortem, alice):
    with pytest.raises(ValidationError):
        services.factor_create(
            postmortem=postmortem, by=alice, category="root_cause", description="x"
        )
    assert not ContributingFactor.objects.exists()


def test_updating_a_factor_replaces_its_themes_and_text(postmortem, alice):
    old, kept = ThemeFactory(name="Old"), ThemeFactory(name="Kept")
    factor = ContributingFactorFactory(postmortem=postmortem)
    factor.themes.set([old, kept])
    version = postmortem.version
    services.factor_update(
        factor=factor, by=alice, category="deploy", description="Canary skipped", themes=[kept]
    )
    factor.refresh_from_db()
    postmortem.refresh_from_db()
    assert (factor.category, factor.description_html) == ("deploy", "<p>Canary skipped</p>")
    assert list(factor.themes.all()) == [kept]
    assert postmortem.version == version


def test_deleting_a_factor_keeps_its_action_items_unlinked(postmortem, alice):
    factor = ContributingFactorFactory(postmortem=postmortem)
    item = ActionItemFactory(postmortem=postmortem, factor=factor)
    services.factor_delete(factor=factor, by=alice)
    assert not ContributingFactor.objects.exists()
    item.refresh_from_db()
    assert item.factor is None
    assert postmortem.action_items.count() == 1
    assert ContributingFactor.history.filter(history_type="-").get().history_user == alice
