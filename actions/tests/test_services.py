import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from actions import services
from actions.models import ActionItem
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    MembershipFactory,
    PostmortemFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def postmortem(team):
    return PostmortemFactory(team=team)


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(
        datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


def create(postmortem, by, **kwargs):
    kwargs.setdefault("title", "Alert on queue depth")
    kwargs.setdefault("team", postmortem.team)
    return services.action_item_create(postmortem=postmortem, by=by, **kwargs)


# --- Due-date policy ---------------------------------------------------------------------------


@pytest.mark.parametrize(("priority", "days"), [("P1", 7), ("P2", 30), ("P3", 60), ("P4", 90)])
def test_empty_due_date_follows_the_priority_policy_from_today(
    postmortem, alice, settings, priority, days
):
    settings.ACTION_DUE_DAYS = {"P1": 7, "P2": 30, "P3": 60, "P4": 90}
    item = create(postmortem, alice, priority=priority)
    assert item.due_date == TODAY + datetime.timedelta(days=days)


def test_policy_counts_from_the_publication_date_when_the_postmortem_is_published(
    postmortem, alice, settings
):
    settings.ACTION_DUE_DAYS = {"P1": 7, "P2": 30, "P3": 60, "P4": 90}
    postmortem.published_at = datetime.datetime(2026, 3, 8, 9, 0, tzinfo=datetime.UTC)
    postmortem.save()
    item = create(postmortem, alice, priority="P1")
    assert item.due_date == datetime.date(2026, 3, 15)


def test_policy_reads_the_setting(postmortem, alice, settings):
    settings.ACTION_DUE_DAYS = {"P1": 2, "P2": 30, "P3": 60, "P4": 90}
    assert services.default_due_date(
        priority="P1", postmortem=postmortem
    ) == TODAY + datetime.timedelta(days=2)


def test_a_chosen_due_date_is_kept(postmortem, alice):
    item = create(postmortem, alice, due_date=datetime.date(2026, 4, 1))
    assert item.due_date == datetime.date(2026, 4, 1)


def test_a_due_date_in_the_past_is_refused_on_creation(postmortem, alice):
    with pytest.raises(ValidationError) as exc:
        create(postmortem, alice, due_date=TODAY - datetime.timedelta(days=1))
    assert "due_date" in exc.value.message_dict
    assert not ActionItem.objects.exists()


def test_due_today_is_accepted(postmortem, alice):
    assert create(postmortem, alice, due_date=TODAY).due_date == TODAY


# --- Create and update -------------------------------------------------------------------------


def test_create_renders_notes_markdown_sanitised(postmortem, alice):
    item = create(postmortem, alice, notes="**Why**: <script>alert(1)</script>")
    assert "<strong>Why</strong>" in item.notes_html
    assert "<script>" not in item.notes_html


def test_assignee_must_be_a_member_of_the_owner_team(postmortem, alice, outsider):
    with pytest.raises(ValidationError) as exc:
        create(postmortem, alice, assignee=outsider)
    assert "assignee" in exc.value.message_dict


def test_assignee_from_the_owner_team_is_accepted(postmortem, alice, manager):
    assert create(postmortem, alice, assignee=manager).assignee == manager


def test_a_restricted_postmortems_item_cannot_be_owned_by_another_team(alice, team, other_team):
    hidden = PostmortemFactory(team=team, restricted=True)
    with pytest.raises(ValidationError) as exc:
        create(hidden, alice, team=other_team)
    assert "restricted" in exc.value.message_dict["team"][0]


def test_a_restricted_postmortems_item_cannot_be_moved_to_another_team(alice, team, other_team):
    item = create(PostmortemFactory(team=team, restricted=True), alice)
    with pytest.raises(ValidationError) as exc:
        services.action_item_update(item=item, by=alice, team=other_team)
    assert "team" in exc.value.message_dict
    item.refresh_from_db()
    assert item.team == team


def test_an_open_postmortems_item_may_be_owned_by_another_team(postmortem, alice, other_team):
    assert create(postmortem, alice, team=other_team).team == other_team


def test_a_factor_of_another_postmortem_is_refused(postmortem, alice, team):
    stranger = ContributingFactorFactory(postmortem=PostmortemFactory(team=team))
    with pytest.raises(ValidationError) as exc:
        create(postmortem, alice, factor=stranger)
    assert "factor" in exc.value.message_dict


def test_create_records_history_with_the_author(postmortem, alice):
    item = create(postmortem, alice)
    record = item.history.get()
    assert record.history_user == alice
    assert record.history_change_reason == "created"


def test_update_changes_fields_and_refuses_a_new_past_due_date(postmortem, alice):
    item = create(postmortem, alice)
    services.action_item_update(item=item, by=alice, title="Page on queue depth", priority="P1")
    item.refresh_from_db()
    assert (item.title, item.priority) == ("Page on queue depth", "P1")
    with pytest.raises(ValidationError):
        services.action_item_update(
            item=item, by=alice, due_date=TODAY - datetime.timedelta(days=3)
        )


def test_update_keeps_an_existing_past_due_date(postmortem, alice):
    item = ActionItemFactory(postmortem=postmortem, due_date=TODAY - datetime.timedelta(days=5))
    services.action_item_update(item=item, by=alice, due_date=item.due_date, title="Renamed")
    item.refresh_from_db()
    assert item.title == "Renamed"


def test_update_refuses_an_assignee_outside_a_newly_chosen_team(postmortem, alice, other_team):
    item = create(postmortem, alice, assignee=alice)
    with pytest.raises(ValidationError):
        services.action_item_update(item=item, by=alice, team=other_team)


# --- Status workflow ---------------------------------------------------------------------------


@pytest.fixture
def item(postmortem, alice):
    return create(postmortem, alice)


def test_start_moves_an_open_item_in_progress(item, alice):
    services.action_item_start(item=item, by=alice)
    item.refresh_from_db()
    assert item.status == ActionItem.Status.IN_PROGRESS


def test_block_needs_a_reason_and_records_it(item, alice):
    with pytest.raises(ValidationError):
        services.action_item_block(item=item, by=alice, reason="   ")
    services.action_item_block(item=item, by=alice, reason="Waiting on the vendor")
    item.refresh_from_db()
    assert (item.status, item.status_reason) == ("blocked", "Waiting on the vendor")


def test_start_unblocks_and_clears_the_reason(item, alice):
    services.action_item_block(item=item, by=alice, reason="Vendor")
    services.action_item_start(item=item, by=alice)
    item.refresh_from_db()
    assert (item.status, item.status_reason) == ("in_progress", "")


def test_complete_sets_completed_at(item, alice):
    services.action_item_complete(item=item, by=alice)
    item.refresh_from_db()
    assert item.status == "done"
    assert item.completed_at == timezone.now()


def test_wont_do_needs_a_reason(item, alice):
    with pytest.raises(ValidationError) as exc:
        services.action_item_wont_do(item=item, by=alice, reason="")
    assert "status_reason" in exc.value.message_dict
    item.refresh_from_db()
    assert item.status == "open"


def test_wont_do_closes_with_the_reason(item, alice):
    services.action_item_wont_do(item=item, by=alice, reason="Service is being retired")
    item.refresh_from_db()
    assert (item.status, item.status_reason) == ("wont_do", "Service is being retired")
    assert item.completed_at is not None


def test_reopen_clears_completed_at(item, alice):
    services.action_item_complete(item=item, by=alice)
    services.action_item_reopen(item=item, by=alice)
    item.refresh_from_db()
    assert item.status == "open"
    assert item.completed_at is None


@pytest.mark.parametrize(
    ("status", "call"),
    [
        ("done", lambda item, by: services.action_item_start(item=item, by=by)),
        ("done", lambda item, by: services.action_item_complete(item=item, by=by)),
        ("wont_do", lambda item, by: services.action_item_block(item=item, by=by, reason="x")),
        ("blocked", lambda item, by: services.action_item_block(item=item, by=by, reason="x")),
        ("open", lambda item, by: services.action_item_reopen(item=item, by=by)),
        ("in_progress", lambda item, by: services.action_item_start(item=item, by=by)),
    ],
)
def test_invalid_transitions_are_refused_with_a_clear_message(item, alice, status, call):
    ActionItem.objects.filter(pk=item.pk).update(status=status)
    item.refresh_from_db()
    with pytest.raises(services.TransitionError) as exc:
        call(item, alice)
    assert "Cannot" in exc.value.messages[0]
    item.refresh_from_db()
    assert item.status == status


def test_each_transition_is_in_the_history_with_who_and_why(item, alice, manager):
    services.action_item_block(item=item, by=alice, reason="Vendor")
    services.action_item_complete(item=item, by=manager)
    reasons = [
        (r.history_user, r.history_change_reason) for r in item.history.order_by("history_id")
    ]
    assert reasons == [(alice, "created"), (alice, "blocked: Vendor"), (manager, "completed")]


# --- Bulk update ------------------------------------------------------------------------------


def test_bulk_update_by_a_manager_changes_status_and_assignee(postmortem, alice, manager):
    items = [create(postmortem, alice, title=f"Item {n}") for n in range(3)]
    result = services.action_items_bulk_update(
        items=items, by=manager, status="in_progress", assignee=alice
    )
    assert len(result.updated) == 3
    assert set(ActionItem.objects.values_list("status", "assignee")) == {("in_progress", alice.pk)}


def test_bulk_update_by_a_plain_member_is_refused(postmortem, alice):
    items = [create(postmortem, alice)]
    with pytest.raises(PermissionDenied):
        services.action_items_bulk_update(items=items, by=alice, status="done")
    assert ActionItem.objects.get().status == "open"


def test_bulk_update_refuses_items_of_teams_the_manager_does_not_manage(
    postmortem, alice, manager, other_team
):
    theirs = ActionItemFactory(postmortem=PostmortemFactory(team=other_team))
    with pytest.raises(PermissionDenied):
        services.action_items_bulk_update(
            items=[create(postmortem, alice), theirs], by=manager, status="done"
        )
    assert not ActionItem.objects.filter(status="done").exists()


def test_bulk_update_skips_items_the_change_does_not_fit(postmortem, alice, manager):
    started = create(postmortem, alice, title="Started")
    services.action_item_start(item=started, by=alice)
    closed = create(postmortem, alice, title="Closed")
    services.action_item_complete(item=closed, by=alice)
    result = services.action_items_bulk_update(items=[started, closed], by=manager, status="open")
    assert [(i.title, i.status) for i, _why in result.skipped] == [("Started", "in_progress")]
    assert [i.title for i in result.updated] == ["Closed"]
    closed.refresh_from_db()
    assert closed.status == "open"


def test_bulk_assignee_must_belong_to_each_items_team(postmortem, alice, manager):
    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger)
    result = services.action_items_bulk_update(
        items=[create(postmortem, alice)], by=manager, assignee=stranger
    )
    assert len(result.skipped) == 1
    assert ActionItem.objects.get().assignee is None


def test_superuser_may_bulk_update_any_team(postmortem, alice, superuser):
    result = services.action_items_bulk_update(
        items=[create(postmortem, alice)], by=superuser, status="done"
    )
    assert len(result.updated) == 1
    assert ActionItem.objects.get().completed_at is not None


def test_policy_default_is_never_before_today_for_an_old_postmortem(postmortem, alice, settings):
    settings.ACTION_DUE_DAYS = {"P1": 7, "P2": 30, "P3": 60, "P4": 90}
    postmortem.published_at = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
    postmortem.save()
    assert create(postmortem, alice, priority="P1").due_date == TODAY
    assert create(postmortem, alice, priority="P4").due_date == datetime.date(2026, 4, 5)
