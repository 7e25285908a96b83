"""Schemathesis drives every operation of the live OpenAPI document (fetched from
/api/v1/schema/ through the WSGI app) as a team member and as an outsider: no answer may
be a server error or differ from the schema (status code, content type, body).

``make test`` runs a few examples per operation; ``make fuzz`` sets
API_FUZZ_EXAMPLES higher."""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import ActionItemFactory, PostmortemFactory, TimelineEventFactory

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "5"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go to the WSGI app directly, not through Django's test client, so its
    request_finished handler would close the test's database connection (PostgreSQL keeps
    the test's transaction on it); the test client disconnects it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_data(team, other_team, alice, outsider, settings):
    settings.API_THROTTLE_RATE = "1000000/min"
    for restricted in (False, True):
        postmortem = PostmortemFactory(team=team, restricted=restricted)
        TimelineEventFactory(postmortem=postmortem)
        ActionItemFactory(postmortem=postmortem)


def _operations():
    from config.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("who", ["alice", "outsider"])
def test_the_api_keeps_its_schema_for_a_member_and_an_outsider(
    who, request, fuzz_data, token_for, db
):
    user = request.getfixturevalue(who)
    headers = {"Authorization": f"Bearer {token_for(user)}"}
    operations = _operations()
    assert len(operations) > 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        check()
