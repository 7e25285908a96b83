import io

import pytest
from django.core.management import CommandError, call_command


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip().splitlines()[-1]


def test_the_token_on_the_last_line_works_with_write_scope_by_default(alice, client):
    token = _run("alice")
    response = client.post(
        "/api/v1/lint/",
        {"text": "ok"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
        content_type="application/json",
    )
    assert response.status_code == 200
    from api.models import ApiToken

    assert ApiToken.objects.get(user=alice).scope == "write"


def test_a_read_scope_token_can_be_asked_for(alice):
    _run("alice", "--scope", "read")
    from api.models import ApiToken

    assert ApiToken.objects.get(user=alice).scope == "read"


def test_an_unknown_user_is_an_error(db):
    with pytest.raises(CommandError):
        _run("nobody")
