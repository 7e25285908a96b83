from django.test import Client


def test_healthz_is_ok_without_login(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_healthz_names_the_broker_when_it_is_down(db, settings):
    from config.celery import app as current_app

    old = current_app.conf.broker_url
    # Nothing listens on port 9 (discard) on loopback: the broker check must fail fast.
    current_app.conf.broker_url = "redis://127.0.0.1:9/0"
    try:
        response = Client().get("/healthz")
    finally:
        current_app.conf.broker_url = old
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "unavailable"}
    assert b"redis://" not in response.content


def test_healthz_names_the_database_when_it_is_down(db, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("database is gone")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken_cursor)
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
