"""Fixtures for the integrations' tests: a team's alert source and a way to post to it."""

import json

import pytest

from integrations.alerts import services


@pytest.fixture
def make_source(team):
    """``make_source(kind)`` -> (source, secret) for the Payments team."""

    def make(kind, **kwargs):
        return services.alert_source_create(team=team, kind=kind, **kwargs)

    return make


@pytest.fixture
def deliver(client):
    """``deliver(source, payload, headers={...})``: POST JSON (or raw bytes) as the tool does."""

    def post(source, payload, headers=None):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        return client.post(
            source.get_absolute_url(), data=body, content_type="application/json", **extra
        )

    return post
