"""Timestamps come back from PostgreSQL through psycopg's own loader, exactly as Django's
loader gives them."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.test import override_settings
from psycopg.pq import Format

from postmortems import db_timestamps
from postmortems.models import Postmortem
from tests.factories import PostmortemFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's loaders (CI runs it there)"
    ),
]

TEXTS = [
    "2026-03-29 01:30:00.123456+09",
    "2026-10-25 01:30:00-04",
    "1999-12-31 23:59:59.999999+00",
    "0001-01-01 00:00:00+00",
    "2026-06-30 12:00:00+05:45",
]


def _loaded(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_connections_read_timestamps_with_the_wrapping_loader():
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(db_timestamps.TIMESTAMPTZ_OID, Format.TEXT)
    assert loader.__module__ == db_timestamps.__name__
    assert loader.timezone == connection.timezone == datetime.UTC


def test_values_equal_djangos_loader_value_for_value_and_zone():
    sql = "SELECT " + ", ".join("%s::timestamptz" for _text in TEXTS) + ", NULL::timestamptz"
    ours = _loaded(sql, TEXTS)[0]
    with connection.cursor() as cursor:
        # Django's own, as it registers it on a cursor whose zone differs from the map's.
        register_tzloader(connection.timezone, cursor.cursor)
        cursor.execute(sql, TEXTS)
        djangos = cursor.fetchone()
    assert ours == djangos
    assert [value.tzinfo for value in ours[:-1]] == [datetime.UTC] * len(TEXTS)
    assert ours[-1] is None
    assert ours[0] == datetime.datetime(2026, 3, 28, 16, 30, 0, 123456, tzinfo=datetime.UTC)


def test_the_orm_reads_aware_utc_datetimes():
    made = PostmortemFactory()
    stored = Postmortem.objects.values_list("created_at", flat=True).get(pk=made.pk)
    assert stored == made.created_at
    assert stored.tzinfo is datetime.UTC


@override_settings(TIME_ZONE="Asia/Seoul")
def test_the_readers_zone_only_changes_how_values_are_shown():
    # The connection stays in UTC with USE_TZ; a reader's zone is applied when shown.
    value = _loaded("SELECT %s::timestamptz", ["2026-03-29 01:30:00+09"])[0][0]
    assert value.tzinfo is datetime.UTC
    assert value.astimezone(zoneinfo.ZoneInfo("Asia/Seoul")).hour == 1
