import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.db import connection

from postmortems import selectors
from postmortems.blame.people import normalise_people, user_names
from postmortems.language import find_blame
from postmortems.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Sentences that blame or not depending on who their words are.
SENTENCES = (
    "Bora failed to renew the certificate.",
    "Kim Bora should have checked the replica lag.",
    "ops-bot ignored the page for ten minutes.",
    "@mhan forgot to rotate the key.",
    "mhan forgot to rotate the key.",
    "Lee Jiho forgot the rollback step.",
    "김민수가 설정 확인을 깜빡했다.",
    "민수 김이 배포 전에 테스트를 하지 않았다.",
    "Quinn failed to acknowledge the alert.",
)


def _people():
    UserFactory(username="bkim", first_name="Bora", last_name="Kim")
    UserFactory(username="@mhan", first_name="", last_name="")
    UserFactory(username="ops-bot", first_name=" Jiho ", last_name="Lee")
    UserFactory(username="mkim", first_name="민수", last_name="김")
    UserFactory(username="q", first_name="Quinn", last_name="", is_active=False)


def _names_as_read_before():
    """Every active user's names normalised on the spot: what the stored ones must equal."""
    rows = get_user_model().objects.filter(is_active=True).order_by("pk")
    names = []
    for user in rows:
        names += user_names(user.username, user.first_name, user.last_name)
    return normalise_people(names)


def test_lint_people_are_every_active_users_names_normalised():
    _people()
    people = selectors.lint_people()
    assert people == _names_as_read_before()
    assert {"bora", "kim bora", "bora kim", "kimbora", "@mhan", "mhan", "김민수"} <= people
    assert "quinn" not in people


def test_lint_people_give_the_findings_of_names_normalised_on_the_spot():
    _people()
    for sentence in SENTENCES:
        expected = find_blame(sentence, people=_names_as_read_before())
        assert find_blame(sentence, people=selectors.lint_people()) == expected, sentence


def test_a_renamed_user_is_a_person_at_once():
    user = UserFactory(username="u1", first_name="Sasha", last_name="Park")
    assert "sasha" in selectors.lint_people()
    user.first_name = "Robin"
    user.save()
    people = selectors.lint_people()
    assert "robin" in people and "park robin" in people
    assert "sasha" not in people


def test_a_deactivated_user_is_no_longer_a_person():
    user = UserFactory(username="u1", first_name="Sasha", last_name="Park")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert "sasha" not in selectors.lint_people()


def test_a_login_does_not_rewrite_the_names(django_assert_num_queries):
    user = UserFactory(username="u1", first_name="Sasha", last_name="Park")
    with django_assert_num_queries(1):
        user.save(update_fields=["last_login"])


def test_lint_people_are_read_in_one_query(django_assert_num_queries):
    _people()
    with django_assert_num_queries(1):
        selectors.lint_people()


def test_the_migration_fills_the_names_of_existing_users():
    _people()
    expected = selectors.lint_people()
    Profile.objects.update(person_names="[]")
    Profile.objects.filter(user__username="bkim").delete()
    assert selectors.lint_people() != expected
    migration = importlib.import_module("postmortems.migrations.0014_profile_person_names")
    # Only the editor's connection is read: entering it would fail on SQLite, which cannot
    # turn foreign-key checks off inside the test's transaction.
    migration.fill_person_names(django_apps, connection.schema_editor())
    assert selectors.lint_people() == expected
    assert Profile.objects.filter(user__username="bkim").exists()
