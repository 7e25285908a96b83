from django.db import connection
from django.test import Client

from config.celery import app


def test_healthz_is_ok_without_login(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_healthz_names_the_broker_when_it_is_down(db, monkeypatch):
    # Nothing listens on port 9 (discard) on loopback: the broker check must fail fast.
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    dead = "redis://127.0.0.1:9/0"
    monkeypatch.setenv("CELERY_BROKER_URL", dead)
    monkeypatch.setitem(app.conf, "broker_url", dead)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "unavailable"}
    assert b"redis://" not in response.content


def test_healthz_names_the_database_when_it_is_down(db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("database is gone")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken_cursor)
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
