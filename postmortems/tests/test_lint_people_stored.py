"""The stored names of every active user (``LintPeople``) are exactly what reading the
users gives, after random writes through every path that changes them: users created,
renamed, deactivated and back, deleted; profiles deleted or their names changed by hand;
bulk updates; a truncation. Two transactions renaming two users at once both count.
PostgreSQL only: elsewhere the endpoint reads the users."""

import random
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, connections, transaction

from postmortems import selectors
from postmortems.blame.people import decode_person_names
from postmortems.models import LintPeople, Profile
from tests.factories import UserFactory

User = get_user_model()


@pytest.fixture(autouse=True)
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the stored row is PostgreSQL's; SQLite reads the users")


def _live():
    """The users read as before the row was kept."""
    stored = (
        User.objects.filter(is_active=True)
        .order_by("pk")
        .values_list("profile__person_names", flat=True)[: selectors.people.LINT_PEOPLE_LIMIT]
    )
    return decode_person_names(stored)


def _row_version():
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM postmortems_lintpeople WHERE id = 1")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_row_is_the_users_after_random_writes():
    rng = random.Random(7)
    users = [UserFactory(username=f"u{n}", first_name=f"Given{n}") for n in range(6)]
    assert selectors.lint_people() == _live()
    first = ["Sasha", "Robin", "지영", "", "Mina"]
    for step in range(60):
        user = rng.choice(users)
        what = rng.randrange(8)
        if what == 0:
            user.first_name = rng.choice(first)
            user.save()
        elif what == 1:
            user.is_active = not user.is_active
            user.save(update_fields=["is_active"])
        elif what == 2:
            users.append(UserFactory(username=f"new{step}", last_name=rng.choice(first)))
        elif what == 3 and len(users) > 2:
            users.remove(user)
            user.delete()
        elif what == 4:
            Profile.objects.filter(user=user).delete()
        elif what == 5:
            Profile.objects.filter(user=user).update(person_names='["by hand"]')
        elif what == 6:
            User.objects.filter(pk__in=[u.pk for u in users[::2]]).update(
                is_active=rng.random() < 0.5
            )
        else:
            User.objects.filter(pk=user.pk).update(last_name=rng.choice(first))
            user.refresh_from_db()
            user.save()  # the profile's names follow the name written by hand
        assert selectors.lint_people() == _live(), (step, what)


@pytest.mark.django_db(transaction=True)
def test_a_truncation_empties_and_refills_the_row():
    UserFactory(username="sasha")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE postmortems_profile CASCADE")
    assert selectors.lint_people() == _live() == frozenset()
    UserFactory(username="robin")
    assert "robin" in selectors.lint_people()


@pytest.mark.django_db
def test_a_login_or_a_time_zone_does_not_rebuild_the_row():
    user = UserFactory(username="sasha", first_name="Sasha")
    before = _row_version()
    user.save(update_fields=["last_login"])
    Profile.objects.filter(user=user).update(time_zone="Asia/Seoul")
    user.save()  # every column written, the names and ``is_active`` unchanged
    assert _row_version() == before
    user.first_name = "Robin"
    user.save()
    assert _row_version() != before


@pytest.mark.django_db
def test_a_missing_row_reads_the_users():
    UserFactory(username="sasha")
    LintPeople.objects.all().delete()
    assert selectors.lint_people() == _live() and "sasha" in _live()


def _a_session_waits_for_a_lock(seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.02)
    return False


@pytest.mark.django_db(transaction=True)
def test_two_transactions_renaming_at_once_both_count():
    """The second rebuild waits for the first transaction's lock on the row, then reads
    the users after its commit: neither rename is lost."""
    alice = UserFactory(username="u1", first_name="Alice", last_name="")
    bob = UserFactory(username="u2", first_name="Bob", last_name="")
    first_wrote = threading.Event()
    second_started = threading.Event()
    errors = []

    def rename(user_pk, name, before_commit):
        try:
            with transaction.atomic():
                user = User.objects.get(pk=user_pk)
                user.first_name = name
                user.save()
                before_commit()
        except DatabaseError as error:  # reported by the test thread below
            errors.append(error)
        finally:
            connections.close_all()

    first = threading.Thread(
        target=rename,
        args=(alice.pk, "Sasha", lambda: (first_wrote.set(), second_started.wait(10))),
    )
    second = threading.Thread(target=rename, args=(bob.pk, "Robin", lambda: None))
    first.start()
    assert first_wrote.wait(10)
    second.start()
    # Let the first commit only once the second waits for its lock on the row.
    assert _a_session_waits_for_a_lock()
    second_started.set()
    first.join(20)
    second.join(20)
    assert not errors
    people = selectors.lint_people()
    assert people == _live()
    assert {"sasha", "robin"} <= people and not {"alice", "bob"} & people
