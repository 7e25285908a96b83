from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest

from postmortems.models import Membership, Team


def _counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"postmortems", "actions", "auth"}
        and not model._meta.label.startswith("postmortems.Historical")
        and not model._meta.label.startswith("actions.Historical")
    }


def test_seed_demo_is_idempotent(db, capsys):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert Team.objects.count() == 3
    assert Membership.objects.filter(role=Membership.Role.MANAGER).exists()
    out = capsys.readouterr().out
    assert "alice" in out and "hindsight-demo" in out


def test_seed_demo_logins_work(client, db):
    call_command("seed_demo")
    assert get_user_model().objects.get(username="alice").check_password("hindsight-demo")
    assert client.login(request=HttpRequest(), username="alice", password="hindsight-demo")
    assert client.get("/").status_code == 200
