import pytest

from postmortems import slack


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.slack.com/services/T/B/X",  # not https
        "https://evil.example.com/services/T/B/X",  # another host
        "javascript:alert(1)",
        "https://10.0.0.5/services/T/B/X",  # IP literal
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/x",
        "https://hooks.slack.com/" + "a" * 600,  # too long
        "https://user:pw@hooks.slack.com/services/T/B/X",
        "https://hooks.slack.com:8443/services/T/B/X",  # other port
        "https://hooks.slack.com.evil.example/services/T/B/X",
        "",
    ],
)
def test_disallowed_webhook_urls_are_refused(url, settings):
    settings.SLACK_WEBHOOK_ALLOWED_HOSTS = ["hooks.slack.com"]
    with pytest.raises(slack.WebhookURLError):
        slack.check_url(url)


def test_slack_host_is_allowed(settings):
    settings.SLACK_WEBHOOK_ALLOWED_HOSTS = ["hooks.slack.com"]
    slack.check_url("https://hooks.slack.com/services/T000/B000/XXXX")


def test_origin_entry_allows_exactly_that_origin(settings):
    settings.SLACK_WEBHOOK_ALLOWED_HOSTS = ["http://127.0.0.1:8765"]
    slack.check_url("http://127.0.0.1:8765/hook")
    with pytest.raises(slack.WebhookURLError):
        slack.check_url("http://127.0.0.1:8766/hook")
    with pytest.raises(slack.WebhookURLError):
        slack.check_url("https://127.0.0.1:8765/hook")


def test_mask_url_hides_the_secret_path():
    masked = slack.mask_url("https://hooks.slack.com/services/T000/B000/abcdefSECRET")
    assert "abcdef" not in masked
    assert masked.startswith("https://hooks.slack.com/")


def test_post_sends_json_and_reads_ok(slack_receiver):
    result = slack.post(slack_receiver.url(), {"text": "hello"})
    assert result.ok
    assert slack_receiver.requests[0]["json"] == {"text": "hello"}


@pytest.mark.parametrize(
    ("status", "body", "headers", "expected"),
    [
        (429, "rate_limited", {"Retry-After": "7"}, slack.RATE_LIMITED),
        (500, "rollup_error", {}, slack.RETRYABLE),
        (503, "", {}, slack.RETRYABLE),
        (400, "invalid_payload", {}, slack.INVALID),
        (403, "invalid_token", {}, slack.DEAD),
        (404, "channel_not_found", {}, slack.DEAD),
        (410, "channel_is_archived", {}, slack.DEAD),
        (302, "", {"Location": "http://169.254.169.254/"}, slack.INVALID),
    ],
)
def test_post_classifies_slack_answers(slack_receiver, status, body, headers, expected):
    slack_receiver.answer(status, body, headers)
    result = slack.post(slack_receiver.url(), {"text": "x"})
    assert result.status == expected
    assert result.http_status == status
    if expected == slack.RATE_LIMITED:
        assert result.retry_after == 7
    # Redirects are never followed: exactly one request reached the receiver.
    assert len(slack_receiver.requests) == 1


def test_post_times_out_as_retryable(slack_receiver, settings):
    settings.SLACK_TIMEOUT_SECONDS = 0.3
    slack_receiver.hang_seconds = 1
    result = slack.post(slack_receiver.url(), {"text": "x"})
    assert result.status == slack.RETRYABLE
    assert "timed out" in result.error


def test_post_refuses_disallowed_url_without_sending(slack_receiver, settings):
    settings.SLACK_WEBHOOK_ALLOWED_HOSTS = ["hooks.slack.com"]
    result = slack.post(slack_receiver.url(), {"text": "x"})
    assert result.status == slack.INVALID
    assert slack_receiver.requests == []


def test_connection_refused_is_retryable(settings):
    settings.SLACK_WEBHOOK_ALLOWED_HOSTS = ["http://127.0.0.1:9"]
    result = slack.post("http://127.0.0.1:9/hook", {"text": "x"})
    assert result.status == slack.RETRYABLE
