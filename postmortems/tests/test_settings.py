import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import parse_due_days

ROOT = Path(__file__).resolve().parents[2]


def _settings_in_subprocess(env, code):
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; {code}",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_development_defaults_need_nothing_but_debug():
    result = _settings_in_subprocess(
        {"DEBUG": "true"},
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL,"
        " settings.SITE_URL)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "http://127.0.0.1:8000",
    ]


def test_production_refuses_to_start_without_a_secret_key():
    result = _settings_in_subprocess({}, "print(settings.DEBUG)")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_settings_come_from_the_environment():
    result = _settings_in_subprocess(
        {
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "pm.example.com",
            "DATABASE_URL": "postgres://u@db.example.com:5432/hindsight",
            "CELERY_BROKER_URL": "redis://cache.example.com:6379/0",
            "SLACK_WEBHOOK_ALLOWED_HOSTS": "hooks.slack.com,http://127.0.0.1:8765",
        },
        "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.DATABASES['default']['HOST'],"
        " settings.CELERY_BROKER_URL, settings.SLACK_WEBHOOK_ALLOWED_HOSTS,"
        " settings.SECURE_SSL_REDIRECT)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False ['pm.example.com'] db.example.com redis://cache.example.com:6379/0 "
        "['hooks.slack.com', 'http://127.0.0.1:8765'] True"
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "0"),
        ({"DATABASE_PREPARED_STATEMENTS": "false"}, "None"),
        ({"DATABASE_URL": ""}, "None"),
    ],
)
def test_prepared_statements_are_on_for_postgresql_unless_turned_off(env, expected):
    base = {"DEBUG": "true", "DATABASE_URL": "postgres://u@db.example.com:5432/hindsight"}
    result = _settings_in_subprocess(
        {key: value for key, value in {**base, **env}.items() if value},
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('prepare_threshold'))",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_due_day_policy_reads_overrides_and_keeps_defaults():
    assert parse_due_days("P1=3, p4=120") == {"P1": 3, "P2": 30, "P3": 60, "P4": 120}


@pytest.mark.parametrize("value", ["P5=3", "P1=soon", "P1"])
def test_due_day_policy_refuses_nonsense(value):
    with pytest.raises(ImproperlyConfigured):
        parse_due_days(value)


def test_login_throttling_and_password_reset_come_from_the_environment():
    code = (
        "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds(),"
        " settings.PASSWORD_RESET_ENABLED)"
    )
    defaults = _settings_in_subprocess({"DEBUG": "true"}, code)
    assert defaults.returncode == 0, defaults.stderr
    assert defaults.stdout.split() == ["20", "1800.0", "False"]
    chosen = _settings_in_subprocess(
        {
            "DEBUG": "true",
            "AXES_FAILURE_LIMIT": "5",
            "AXES_COOLOFF_MINUTES": "90",
            "EMAIL_HOST": "smtp.example.com",
        },
        code,
    )
    assert chosen.returncode == 0, chosen.stderr
    assert chosen.stdout.split() == ["5", "5400.0", "True"]


def test_templates_are_compiled_once_per_process():
    # Django caches compiled templates when no loaders are configured (development too);
    # naming loaders in settings would turn that off unless the cached loader wraps them.
    from django.template import engines
    from django.template.loaders.cached import Loader

    assert isinstance(engines["django"].engine.template_loaders[0], Loader)
