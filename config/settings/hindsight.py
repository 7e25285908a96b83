"""Hindsight's own settings: Slack, reminders, integrations and the bounds of what one
request or one postmortem may hold."""

import os

from config.env import env_int, env_list, parse_due_days

SLACK_WEBHOOK_ALLOWED_HOSTS = env_list("SLACK_WEBHOOK_ALLOWED_HOSTS", "hooks.slack.com")
SLACK_TIMEOUT_SECONDS = float(os.environ.get("SLACK_TIMEOUT_SECONDS", "5"))
# Base of the exponential back-off between Slack delivery tries after a 5xx or timeout
# (about 5, 10, 20, 40 s with jitter); 0 retries at once (tests).
SLACK_RETRY_BACKOFF_SECONDS = env_int("SLACK_RETRY_BACKOFF_SECONDS", 5)
# How long a worker holds a Slack message it is posting; longer than SLACK_TIMEOUT_SECONDS.
# A message whose lease expired (its worker died) is posted again by the re-dispatch.
SLACK_SEND_LEASE_SECONDS = env_int("SLACK_SEND_LEASE_SECONDS", 60)
ACTION_DUE_DAYS = parse_due_days(os.environ.get("ACTION_DUE_DAYS", ""))
REMINDER_DUE_SOON_DAYS = env_int("REMINDER_DUE_SOON_DAYS", 3)
# Fernet key (urlsafe base64 of 32 bytes) for integration secrets kept encrypted (PagerDuty
# signing secrets, tracker tokens); empty: derived from SECRET_KEY.
INTEGRATIONS_ENCRYPTION_KEY = os.environ.get("INTEGRATIONS_ENCRYPTION_KEY", "")
# Largest Slack export zip accepted for the timeline import (it is streamed, not loaded).
SLACK_IMPORT_MAX_BYTES = env_int("SLACK_IMPORT_MAX_BYTES", 200 * 2**20)
# Issue trackers. Tokens may come from here instead of being stored (encrypted) per team.
GITHUB_API_URL = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
GITHUB_TOKEN = os.environ.get("GITHUB_TOKEN", "")
JIRA_API_TOKEN = os.environ.get("JIRA_API_TOKEN", "")
# Jira sites teams may connect (a team manager types the site: SSRF rules as for Slack).
JIRA_ALLOWED_HOSTS = env_list("JIRA_ALLOWED_HOSTS", "")
TRACKER_TIMEOUT_SECONDS = float(os.environ.get("TRACKER_TIMEOUT_SECONDS", "10"))
TRACKER_RETRY_BACKOFF_SECONDS = env_int("TRACKER_RETRY_BACKOFF_SECONDS", 5)
LINT_MAX_BYTES = 100 * 1024
# --- Bounds: what one request or one postmortem may hold (issue 15). Each is enforced in the
# forms (an error that keeps what was typed) and again in the services.
# The widest date range of a report (metrics, Kaizen, their CSVs): five years.
MAX_REPORT_RANGE_DAYS = env_int("MAX_REPORT_RANGE_DAYS", 5 * 366)
POSTMORTEM_SECTION_MAX_CHARS = env_int("POSTMORTEM_SECTION_MAX_CHARS", 20_000)
TIMELINE_EVENT_MAX_CHARS = env_int("TIMELINE_EVENT_MAX_CHARS", 10_000)
TIMELINE_MAX_EVENTS = env_int("TIMELINE_MAX_EVENTS", 500)
TIMELINE_PASTE_MAX_LINES = env_int("TIMELINE_PASTE_MAX_LINES", 200)
FACTOR_MAX_CHARS = env_int("FACTOR_MAX_CHARS", 20_000)
FACTORS_MAX_PER_POSTMORTEM = env_int("FACTORS_MAX_PER_POSTMORTEM", 100)
COMMENT_MAX_CHARS = env_int("COMMENT_MAX_CHARS", 10_000)
COMMENTS_MAX_PER_POSTMORTEM = env_int("COMMENTS_MAX_PER_POSTMORTEM", 1_000)
ACTION_ITEMS_MAX_PER_POSTMORTEM = env_int("ACTION_ITEMS_MAX_PER_POSTMORTEM", 200)
ACTION_ITEM_NOTES_MAX_CHARS = env_int("ACTION_ITEM_NOTES_MAX_CHARS", 20_000)
KAIZEN_REVIEW_NOTES_MAX_CHARS = env_int("KAIZEN_REVIEW_NOTES_MAX_CHARS", 20_000)
