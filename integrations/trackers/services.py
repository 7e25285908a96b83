"""Action items <-> issue trackers: connections, create/link, the outbox, webhooks in."""

import contextvars
import datetime
import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.services import action_item_follow_tracker, action_item_update
from integrations import secrets
from integrations.models import TrackerConnection, TrackerLink, TrackerMessage
from postmortems.models import AuditEvent
from postmortems.permissions import can_edit_postmortem
from postmortems.services import audit_record

from . import http
from .kinds import CLIENTS

logger = logging.getLogger(__name__)

# Set while a tracker's own change is applied, so it is not echoed back to the tracker.
applying_remote_change = contextvars.ContextVar("applying_remote_change", default=False)

LABELS = ["hindsight"]
MAX_ATTEMPTS = 5


# --- Connections ---------------------------------------------------------------------------


def connection_create(*, team, kind, project, site_url="", account_email="", token="", by=None):
    """A team's tracker; returns (connection, webhook secret) — the secret is shown once."""
    project = project.strip()
    if kind == TrackerConnection.Kind.GITHUB and not re.fullmatch(
        r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", project
    ):
        raise ValidationError({"project": _("Write the repository as owner/name.")})
    if kind == TrackerConnection.Kind.JIRA:
        if not re.fullmatch(r"[A-Z][A-Z0-9_]{0,19}", project):
            raise ValidationError({"project": _("Write the Jira project key, e.g. OPS.")})
        try:
            http.check_url(site_url, http._origins(settings.JIRA_ALLOWED_HOSTS))
        except http.TrackerURLError as exc:
            raise ValidationError({"site_url": str(exc)}) from None
        if not account_email:
            raise ValidationError(
                {"account_email": _("Jira needs the e-mail of the account the token is for.")}
            )
    webhook_secret = secrets.generate()
    connection = TrackerConnection(
        team=team,
        kind=kind,
        project=project,
        site_url=site_url if kind == TrackerConnection.Kind.JIRA else "",
        account_email=account_email,
        token_encrypted=secrets.encrypt(token.strip()),
        webhook_secret_encrypted=secrets.encrypt(webhook_secret),
    )
    connection.full_clean()
    with transaction.atomic():
        connection.save()
        audit_record(
            action=AuditEvent.Action.TRACKER_CONNECTED,
            actor=by,
            team=team,
            target=connection,
            detail={
                **_connection_detail(connection),
                "token": "stored" if token else "environment",
            },
        )
    # The token is never logged; only that there is one.
    logger.info(
        "team %s: %s tracker %s connected by %s (token %s)",
        team.slug,
        kind,
        project,
        by,
        "stored" if token else "from the environment",
    )
    return connection, webhook_secret


def connection_delete(*, connection, by=None):
    logger.info("tracker connection %s deleted by %s", connection.pk, by)
    with transaction.atomic():
        audit_record(
            action=AuditEvent.Action.TRACKER_REMOVED,
            actor=by,
            team=connection.team,
            target=connection,
            detail=_connection_detail(connection),
        )
        connection.delete()


def _connection_detail(connection):
    # Which tracker, for the audit log; the token and the webhook secret never appear.
    detail = {"kind": connection.kind, "project": connection.project}
    if connection.site_url:
        detail["site"] = connection.site_url
    return detail


# --- From an action item -------------------------------------------------------------------


def _check_may_export(item, connection, by):
    if not can_edit_postmortem(by, item.postmortem):
        raise ValidationError(_("Only people who may edit this item can link it to a tracker."))
    if connection.team_id != item.team_id:
        raise ValidationError(_("Pick a tracker of the item's team."))
    if hasattr(item, "tracker_link"):
        raise ValidationError(_("This item is already linked to a ticket."))


def issue_body(item):
    """What the ticket says. A restricted postmortem's item carries only its title (the
    ticket's title) and the link back: the tracker's readers may not be its readers."""
    link = f"{settings.SITE_URL}{item.get_absolute_url()}"
    if item.postmortem.restricted:
        return _("Follow-up from a restricted postmortem in Hindsight; details there: %(link)s") % {
            "link": link
        }
    lines = [
        _("Follow-up from the postmortem “%(title)s” in Hindsight: %(link)s")
        % {"title": item.postmortem.title, "link": link},
        "",
        _("Kind: %(kind)s · Priority: %(priority)s · Due: %(due)s")
        % {"kind": item.get_kind_display(), "priority": item.priority, "due": item.due_date},
    ]
    if item.notes.strip():
        lines += ["", item.notes.strip()]
    return "\n".join(lines)


def issue_create(*, item, connection, by):
    """Create the ticket (through the outbox); the link is filled in when the tracker answers."""
    _check_may_export(item, connection, by)
    with transaction.atomic():
        try:
            with transaction.atomic():
                link = TrackerLink.objects.create(item=item, connection=connection)
        except IntegrityError:
            # A second click while the first one was being saved.
            raise ValidationError(_("This item is already linked to a ticket.")) from None
        _enqueue(
            link,
            TrackerMessage.Action.CREATE,
            {"title": item.title, "body": issue_body(item), "labels": [*LABELS, item.priority]},
            by,
        )
    return link


_GITHUB_REF = re.compile(r"(?:^#?|/issues/)(\d+)/?$")
_JIRA_REF = re.compile(r"(?:^|/browse/)([A-Z][A-Z0-9_]*-\d+)/?$")


def issue_link(*, item, connection, reference, by):
    """Follow an existing ticket ("#12", "12", its URL, "OPS-7"); the ticket gets a comment
    with the link back, and the item's tracker URL points at it."""
    _check_may_export(item, connection, by)
    pattern = _GITHUB_REF if connection.kind == TrackerConnection.Kind.GITHUB else _JIRA_REF
    match = pattern.search(reference.strip())
    if match is None:
        raise ValidationError({"reference": _("Give the ticket's number, key or URL.")})
    external_id = match.group(1)
    if TrackerLink.objects.filter(connection=connection, external_id=external_id).exists():
        raise ValidationError({"reference": _("That ticket already follows another item.")})
    url = CLIENTS[connection.kind].issue_url(connection, external_id)
    with transaction.atomic():
        link = TrackerLink.objects.create(
            item=item, connection=connection, external_id=external_id, url=url
        )
        action_item_update(item=item, by=by, tracker_url=url)
        _enqueue(
            link,
            TrackerMessage.Action.COMMENT,
            {
                "body": _("Followed in Hindsight: %(link)s")
                % {"link": f"{settings.SITE_URL}{item.get_absolute_url()}"}
            },
            by,
        )
    return link


def _enqueue(link, action, payload, by=None):
    from .tasks import deliver_tracker_message

    message = TrackerMessage.objects.create(
        link=link, action=action, payload=payload, created_by=by
    )
    transaction.on_commit(lambda: deliver_tracker_message.delay(message.pk))
    return message


def local_change(*, item, closed=None, title=None):
    """The item changed here: tell its ticket (status and title), unless the change came
    from the tracker itself."""
    if applying_remote_change.get():
        return None
    link = TrackerLink.objects.filter(item=item).exclude(external_id="").first()
    if link is None:
        return None
    payload = {}
    if closed is not None:
        payload["closed"] = closed
    if title is not None:
        payload["title"] = title
    if not payload:
        return None
    return _enqueue(link, TrackerMessage.Action.UPDATE, payload)


# --- The outbox ----------------------------------------------------------------------------


STALLED_AFTER = datetime.timedelta(hours=1)


def messages_resend_stalled():
    """Pending messages whose task was lost (a worker died, the broker was wiped): queued
    again. Sending claims the row under a lock, so a message is never sent twice."""
    from .tasks import deliver_tracker_message

    stalled = list(
        TrackerMessage.objects.filter(
            state=TrackerMessage.State.PENDING,
            created_at__lt=timezone.now() - STALLED_AFTER,
        ).values_list("pk", flat=True)[:500]
    )
    for pk in stalled:
        deliver_tracker_message.delay(pk)
    return len(stalled)


def message_attempt(*, message_id, final_attempt=False):
    """Send one pending message once; returns the Response, or None if nothing was sent.
    The row is locked while sending, so a redelivered task cannot send it twice."""
    with transaction.atomic():
        message = (
            TrackerMessage.objects.select_for_update(of=("self",))
            .select_related("link__connection", "link__item")
            .filter(pk=message_id, state=TrackerMessage.State.PENDING)
            .first()
        )
        if message is None:
            return None
        link = message.link
        client = CLIENTS[link.connection.kind]
        if message.action != TrackerMessage.Action.CREATE and not link.external_id:
            return _finish(message, TrackerMessage.State.FAILED, "the ticket was never created")
        message.attempts += 1
        # Tries are counted on the row, so a resent message still stops after five.
        final_attempt = final_attempt or message.attempts >= MAX_ATTEMPTS
        payload = message.payload
        if message.action == TrackerMessage.Action.CREATE:
            answer = client.create_issue(link.connection, **payload)
        elif message.action == TrackerMessage.Action.UPDATE:
            answer = client.update_issue(
                link.connection,
                link.external_id,
                title=payload.get("title"),
                closed=payload.get("closed"),
            )
        else:
            answer = client.comment(link.connection, link.external_id, body=payload["body"])
        if answer.ok:
            if message.action == TrackerMessage.Action.CREATE:
                _created(link, client, answer)
            _finish(message, TrackerMessage.State.SENT)
        elif answer.status == http.FAILED or final_attempt:
            logger.warning("tracker message %s failed: %s", message.pk, answer.error)
            _finish(message, TrackerMessage.State.FAILED, answer.error)
        else:
            message.last_error = answer.error[:500]
            message.save(update_fields=["attempts", "last_error"])
        return answer


def _created(link, client, answer):
    external_id, url = client.ticket(answer)
    link.external_id = external_id
    link.url = url or client.issue_url(link.connection, external_id)
    link.save(update_fields=["external_id", "url"])
    token = applying_remote_change.set(True)
    try:
        action_item_update(item=link.item, by=None, tracker_url=link.url)
    finally:
        applying_remote_change.reset(token)


def _finish(message, state, error=""):
    message.state = state
    message.last_error = error[:500]
    if state == TrackerMessage.State.SENT:
        message.sent_at = timezone.now()
    message.save(update_fields=["state", "last_error", "sent_at", "attempts"])
    return None


# --- Webhooks in ---------------------------------------------------------------------------


def _user_for(assignee):
    if assignee is None:
        return None
    User = get_user_model()
    matches = list(
        User.objects.filter(is_active=True).filter(
            Q(username__iexact=assignee) | Q(email__iexact=assignee)
        )[:2]
    )
    if len(matches) == 1:
        return matches[0]
    first, _sep, last = assignee.partition(" ")
    matches = list(User.objects.filter(is_active=True, first_name=first, last_name=last)[:2])
    return matches[0] if len(matches) == 1 else False


def remote_change_apply(*, connection, change):
    """A ticket changed in the tracker; its item follows. Returns the item, or None when no
    item follows that ticket. A person the tracker names but Hindsight does not know leaves
    the assignee as it is."""
    link = (
        TrackerLink.objects.select_related("item__team")
        .filter(connection=connection, external_id=change.external_id)
        .first()
    )
    if link is None:
        return None
    kwargs = {"closed": change.closed, "closed_at": change.closed_at}
    from .changes import UNCHANGED

    if change.assignee is not UNCHANGED:
        user = _user_for(change.assignee)
        if user is not False:
            kwargs["assignee"] = user
    token = applying_remote_change.set(True)
    try:
        action_item_follow_tracker(item=link.item, source=change.description, **kwargs)
    finally:
        applying_remote_change.reset(token)
    return link.item
