import pytest
from django.core.management import call_command
from django.utils import timezone

from actions.models import ActionItem
from demo import action_items as demo
from postmortems.models import Team

pytestmark = pytest.mark.django_db


def test_demo_items_cover_every_status_with_some_overdue_and_are_created_once():
    call_command("seed_demo")
    call_command("seed_demo")
    titles = [spec[2] for spec in demo.ITEMS]
    items = ActionItem.objects.filter(title__in=titles)
    assert items.count() == len(set(titles))
    assert set(items.values_list("status", flat=True)) == set(ActionItem.Status.values)
    today = timezone.localdate()
    overdue = [i for i in items if i.is_open and i.due_date < today]
    assert overdue
    assert all(i.history.exists() for i in items)


def test_demo_skips_quietly_when_there_are_no_postmortems():
    team = Team.objects.create(name="Payments", slug="payments")
    assert demo.seed(teams={"payments": team}, users={}) == 0
    assert not ActionItem.objects.exists()
