"""Tracker kind -> its client and webhook modules."""

from integrations.github import client as github_client
from integrations.github import webhook as github_webhook
from integrations.jira import client as jira_client
from integrations.jira import webhook as jira_webhook

CLIENTS = {"github": github_client, "jira": jira_client}
WEBHOOKS = {"github": github_webhook, "jira": jira_webhook}
