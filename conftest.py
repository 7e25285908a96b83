"""Fixtures shared by every test package: the cast of users, a loopback Slack, Celery."""

pytest_plugins = ["tests.fixtures", "integrations.trackers.tests.fixtures"]
