"""Writes for postmortems and teams. Keyword-only arguments; validation then save, atomic."""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from . import incident_window, limits, markdown, slack
from .bounds import has_nul, nul_error
from .models import (
    AuditEvent,
    ContributingFactor,
    Postmortem,
    ReviewComment,
    SlackMessage,
    Team,
    Theme,
    TimelineEvent,
)

logger = logging.getLogger(__name__)

# Sent once a Slack message reaches a final state (sent, failed, skipped_no_webhook), so
# other apps (reminder logs) can follow it without this app knowing about them.
slack_message_finished = Signal()


# --- Audit log -----------------------------------------------------------------------------


def audit_record(*, action, actor=None, team=None, target=None, detail=None):
    """Write one AuditEvent. Call it inside the transaction of the change it records, so
    the event exists exactly when the change does. ``detail`` must hold nothing secret."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        team=team,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None else None,
        detail=detail or {},
    )


def audit_lockout(*, username, ip_address, team=None):
    """A sign-in locked out after too many failures (for the django-axes signal)."""
    return audit_record(
        action=AuditEvent.Action.LOCKOUT,
        team=team,
        detail={"username": username[:150], "ip_address": ip_address or ""},
    )


def membership_set_role(*, membership, role, by):
    """Make a member a manager or back; recorded in the team's audit log."""
    old = membership.role
    if old == role:
        return membership
    with transaction.atomic():
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role"])
        audit_record(
            action=AuditEvent.Action.ROLE_CHANGED,
            actor=by,
            team=membership.team,
            target=membership,
            detail={"user": membership.user.get_username(), "from": old, "to": role},
        )
    return membership


# --- Teams -------------------------------------------------------------------------------


@transaction.atomic
def team_set_slack_webhook(*, team, url, by=None):
    """Save a new webhook URL (validated against the allow-list); re-enables a dead hook."""
    if url:
        slack.check_url(url)
    old = Team.objects.filter(pk=team.pk).values_list("slack_webhook_url", flat=True).first()
    team.slack_webhook_url = url
    team.slack_webhook_disabled_reason = ""
    team.full_clean()
    team.save(update_fields=["slack_webhook_url", "slack_webhook_disabled_reason"])
    if old != url:
        # The URL is a secret: the log keeps its masked form only.
        audit_record(
            action=AuditEvent.Action.WEBHOOK_CHANGED,
            actor=by,
            team=team,
            target=team,
            detail={"from": slack.mask_url(old or ""), "to": slack.mask_url(url or "")},
        )
    logger.info("team %s: Slack webhook %s by %s", team.slug, "set" if url else "cleared", by)
    return team


def team_disable_slack_webhook(*, team, reason):
    Team.objects.filter(pk=team.pk).update(slack_webhook_disabled_reason=reason[:200])
    team.slack_webhook_disabled_reason = reason[:200]
    logger.warning("team %s: Slack webhook disabled (%s)", team.slug, reason)


# --- Slack outbox --------------------------------------------------------------------------


def slack_message_enqueue(*, team, kind, payload):
    """Record a Slack message and deliver it after the surrounding transaction commits.

    The row is the durable record: if the webhook is missing or failing, the message is
    still there with its state and error, visible in the UI.
    """
    from .tasks import deliver_slack_message

    message = SlackMessage.objects.create(team=team, kind=kind, payload=payload)
    transaction.on_commit(lambda: deliver_slack_message.delay(message.pk))
    return message


def _finish(message, state, error=""):
    message.state = state
    message.last_error = error[:500]
    if state == SlackMessage.State.SENT:
        message.sent_at = timezone.now()
    message.save(update_fields=["state", "last_error", "sent_at", "attempts"])
    slack_message_finished.send(sender=SlackMessage, message=message)


def slack_message_attempt(*, message_id, final_attempt=False):
    """Try to deliver one pending message once. Returns the SlackResult, or None when
    there was nothing to send (already final, or no usable webhook).

    The row is locked while sending so two workers handed the same message (a redelivery)
    cannot both post it.
    """
    with transaction.atomic():
        message = (
            SlackMessage.objects.select_for_update()
            .select_related("team")
            .filter(pk=message_id, state=SlackMessage.State.PENDING)
            .first()
        )
        if message is None:
            return None
        team = message.team
        if not team.slack_webhook_url:
            _finish(message, SlackMessage.State.SKIPPED_NO_WEBHOOK, "no webhook configured")
            return None
        if team.slack_webhook_disabled_reason:
            _finish(
                message,
                SlackMessage.State.FAILED,
                f"webhook disabled: {team.slack_webhook_disabled_reason}",
            )
            return None
        message.attempts += 1
        result = slack.post(team.slack_webhook_url, message.payload)
        if result.ok:
            _finish(message, SlackMessage.State.SENT)
        elif result.status == slack.DEAD:
            team_disable_slack_webhook(team=team, reason=result.error)
            _finish(message, SlackMessage.State.FAILED, result.error)
        elif result.status == slack.INVALID:
            # Slack refused what we sent: our bug, not the network's. Never retried.
            logger.error(
                "Slack refused message %s for team %s: %s", message.pk, team.slug, result.error
            )
            _finish(message, SlackMessage.State.FAILED, result.error)
        elif final_attempt:
            _finish(message, SlackMessage.State.FAILED, result.error)
        else:
            message.last_error = result.error[:500]
            message.save(update_fields=["attempts", "last_error"])
        return result


def team_send_test_message(*, team, by):
    with translation.override(team.language):
        text = _("Hindsight: test message for team %(team)s, sent by %(by)s.") % {
            "team": slack.escape(team.name),
            "by": slack.escape(by.get_username()),
        }
    return slack_message_enqueue(team=team, kind=SlackMessage.Kind.TEST, payload={"text": text})


# --- Postmortems: authoring and the review workflow ----------------------------------------
#
# Every status change goes through the functions below; views never set ``status``.
#
#   draft ──submit_for_review──▶ in_review ──publish──▶ published
#     │                             │                      │
#     └──mark_not_required──────────┴──▶ not_required      │
#   in_review / published / not_required ──reopen──▶ draft ◀┘


class PostmortemTransitionError(ValidationError):
    """A status change that is not allowed now; the message says why (shown to the user)."""


class PostmortemNeedsConfirmation(PostmortemTransitionError):
    """Publishing while review comments are still open needs an explicit confirmation."""

    def __init__(self, message, *, unresolved_count):
        super().__init__(message)
        self.unresolved_count = unresolved_count


class PostmortemHasFindings(PostmortemTransitionError):
    """Blame findings are neither fixed nor acknowledged (see ``gates``)."""

    def __init__(self, message, *, findings):
        super().__init__(message)
        self.findings = findings


class PostmortemVersionConflict(Exception):
    """Someone saved the postmortem since the form was loaded; ``current`` is their version."""

    def __init__(self, current):
        super().__init__(f"postmortem {current.pk} is at version {current.version}")
        self.current = current


POSTMORTEM_M2M_FIELDS = ("authors", "reviewers", "viewers")
POSTMORTEM_TIME_FIELDS = ("started_at", "detected_at", "mitigated_at", "resolved_at")
POSTMORTEM_EDITABLE_FIELDS = (
    "title",
    "severity",
    "team",
    "restricted",
    "caused_by_change",
    *POSTMORTEM_TIME_FIELDS,
    *Postmortem.SECTIONS,
)


def postmortem_time_errors(*, started_at, detected_at, mitigated_at, resolved_at, now=None):
    """Field -> message for incident times that cannot be right. Used by form and service."""
    now = now or timezone.now()
    times = {
        "started_at": started_at,
        "detected_at": detected_at,
        "mitigated_at": mitigated_at,
        "resolved_at": resolved_at,
    }
    errors = {}
    for name, value in times.items():
        # A minute of slack: a browser clock a little ahead should not be refused.
        if value is not None and value > now + timedelta(minutes=1):
            errors[name] = _("This time is in the future.")
    if started_at is not None:
        for name, label in (
            ("detected_at", _("detected")),
            ("mitigated_at", _("mitigated")),
            ("resolved_at", _("resolved")),
        ):
            value = times[name]
            if value is not None and value < started_at and name not in errors:
                errors[name] = _("The incident cannot be %(what)s before it started.") % {
                    "what": label
                }
    if (
        mitigated_at is not None
        and resolved_at is not None
        and resolved_at < mitigated_at
        and "resolved_at" not in errors
    ):
        errors["resolved_at"] = _("The incident cannot be resolved before it was mitigated.")
    return errors


def _postmortem_validate(postmortem):
    errors = postmortem_time_errors(
        **{name: getattr(postmortem, name) for name in POSTMORTEM_TIME_FIELDS}
    )
    errors.update(
        limits.text_errors(
            **{
                section: (getattr(postmortem, section), "POSTMORTEM_SECTION_MAX_CHARS")
                for section in Postmortem.SECTIONS
            }
        )
    )
    if errors:
        raise ValidationError(errors)
    postmortem.full_clean(exclude=["version"], validate_unique=False)


def _postmortem_render_sections(postmortem):
    for section in Postmortem.SECTIONS:
        setattr(postmortem, f"{section}_html", markdown.render(getattr(postmortem, section)))


def _postmortem_set_people(postmortem, data, by=None):
    before = set(postmortem.viewers.values_list("pk", flat=True)) if "viewers" in data else set()
    for name in POSTMORTEM_M2M_FIELDS:
        if name in data:
            getattr(postmortem, name).set(data[name])
    if "viewers" in data:
        after = {user.pk for user in data["viewers"]}
        _audit_viewers(postmortem, by, added=after - before, removed=before - after)


def _audit_viewers(postmortem, by, *, added, removed):
    from django.contrib.auth import get_user_model

    names = dict(
        get_user_model().objects.filter(pk__in=added | removed).values_list("pk", "username")
    )
    for action, ids in (
        (AuditEvent.Action.VIEWER_ADDED, added),
        (AuditEvent.Action.VIEWER_REMOVED, removed),
    ):
        for user_id in sorted(ids):
            audit_record(
                action=action,
                actor=by,
                team=postmortem.team,
                target=postmortem,
                detail={"user": names.get(user_id, ""), "user_id": user_id},
            )


def _audit_visibility(postmortem, by, was_restricted):
    if postmortem.restricted == was_restricted:
        return
    audit_record(
        action=AuditEvent.Action.RESTRICTED_ON
        if postmortem.restricted
        else AuditEvent.Action.RESTRICTED_OFF,
        actor=by,
        team=postmortem.team,
        target=postmortem,
    )


def _postmortem_check_team(team, by, *, current_team_id=None):
    """Postmortems are filed under one of the author's own teams (superusers: any team)."""
    from . import permissions

    if by is None or team is None or by.is_superuser or team.pk == current_team_id:
        return
    if not permissions.is_team_member(by, team.pk):
        raise ValidationError({"team": _("You can only file postmortems under your own teams.")})


def postmortem_create(*, data, by):
    """Create a draft from form data (model field names). The author is ``by`` unless
    the data names authors."""
    fields = {k: v for k, v in data.items() if k in POSTMORTEM_EDITABLE_FIELDS}
    postmortem = Postmortem(**fields, created_by=by, status=Postmortem.Status.DRAFT)
    _postmortem_render_sections(postmortem)
    _postmortem_validate(postmortem)
    _postmortem_check_team(postmortem.team, by)
    with transaction.atomic():
        postmortem._history_user = by
        postmortem.save()
        _postmortem_set_people(postmortem, data, by)
        if not data.get("authors"):
            postmortem.authors.add(by)
        _audit_visibility(postmortem, by, was_restricted=False)
    logger.info("postmortem %s created by %s", postmortem.pk, by)
    return postmortem


def postmortem_update(*, postmortem, data, by, expected_version):
    """Save an edit made on top of ``expected_version``.

    The conditional UPDATE is the claim: only one of two people saving the same version
    gets it; the other gets ``PostmortemVersionConflict`` with the current row, so the
    page can show both texts and nothing typed is lost.
    """
    fields = {k: v for k, v in data.items() if k in POSTMORTEM_EDITABLE_FIELDS}
    candidate = Postmortem(**{**{f: getattr(postmortem, f) for f in POSTMORTEM_EDITABLE_FIELDS}})
    candidate.pk = postmortem.pk
    for name, value in fields.items():
        setattr(candidate, name, value)
    _postmortem_validate(candidate)
    if "team" in fields:
        _postmortem_check_team(fields["team"], by, current_team_id=postmortem.team_id)
    with transaction.atomic():
        claimed = Postmortem.objects.filter(pk=postmortem.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise PostmortemVersionConflict(Postmortem.objects.get(pk=postmortem.pk))
        # Reload under the claim: status or publish time may have changed meanwhile.
        postmortem.refresh_from_db()
        was_restricted = postmortem.restricted
        for name, value in fields.items():
            setattr(postmortem, name, value)
        _postmortem_render_sections(postmortem)
        postmortem._history_user = by
        postmortem.save()
        _postmortem_set_people(postmortem, data, by)
        _audit_visibility(postmortem, by, was_restricted)
    logger.info("postmortem %s updated to v%s by %s", postmortem.pk, postmortem.version, by)
    return postmortem


def _postmortem_lock(postmortem):
    return Postmortem.objects.select_for_update().select_related("team").get(pk=postmortem.pk)


def _postmortem_set_status(locked, original, by, **changes):
    for name, value in changes.items():
        setattr(locked, name, value)
    locked._history_user = by
    locked.save(update_fields=[*changes, "updated_at"])
    for name in ("status", "published_at", "not_required_reason", "version"):
        setattr(original, name, getattr(locked, name))
    return locked


def _postmortem_link(postmortem):
    return f"{settings.SITE_URL}{postmortem.get_absolute_url()}"


def postmortem_submit_for_review(*, postmortem, by):
    """Draft -> in review. Reviewers see it on their home page; Slack hears once."""
    from . import permissions

    if not permissions.can_edit_postmortem(by, postmortem):
        raise PostmortemTransitionError(_("You cannot edit this postmortem."))
    with transaction.atomic():
        locked = _postmortem_lock(postmortem)
        if locked.status != Postmortem.Status.DRAFT:
            raise PostmortemTransitionError(
                _("Only a draft can be sent for review (this one is %(status)s).")
                % {"status": locked.get_status_display()}
            )
        _postmortem_set_status(locked, postmortem, by, status=Postmortem.Status.IN_REVIEW)
        if locked.team.slack_webhook_url:
            slack_message_enqueue(
                team=locked.team,
                kind=SlackMessage.Kind.REVIEW,
                payload=_review_payload(locked, by),
            )
    return postmortem


def _review_payload(postmortem, by):
    reviewers = ", ".join(u.get_full_name() or u.get_username() for u in postmortem.reviewers.all())
    with translation.override(postmortem.team.language):
        text = _("Review requested: %(title)s (%(severity)s) by %(by)s.") % {
            "title": postmortem.title,
            "severity": postmortem.severity,
            "by": by.get_full_name() or by.get_username(),
        }
        if reviewers:
            text += " " + _("Reviewers: %(names)s.") % {"names": reviewers}
        link_label = _("Open the draft")
    link = _postmortem_link(postmortem)
    return {
        "text": f"{slack.escape(text)} {link}",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": slack.escape(text)}},
            {"type": "section", "text": {"type": "mrkdwn", "text": slack.link(link, link_label)}},
        ],
    }


def _first_lines(text, *, lines=3, limit=300):
    kept = [line.strip() for line in text.splitlines() if line.strip()][:lines]
    joined = "\n".join(kept)
    return joined if len(joined) <= limit else joined[: limit - 1].rstrip() + "…"


def _published_payload(postmortem, action_count):
    link = _postmortem_link(postmortem)
    with translation.override(postmortem.team.language):
        headline = _("Postmortem published: %(title)s") % {"title": postmortem.title}
        facts = _("%(severity)s · team %(team)s · %(count)s action items") % {
            "severity": postmortem.severity,
            "team": postmortem.team.name,
            "count": action_count,
        }
        link_label = _("Read the postmortem")
    summary = _first_lines(postmortem.summary)
    blocks = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": headline[:150], "emoji": False},
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": slack.escape(facts)}]},
    ]
    if summary:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": slack.escape(summary)}}
        )
    blocks.append(
        {"type": "section", "text": {"type": "mrkdwn", "text": slack.link(link, link_label)}}
    )
    # The fallback is mrkdwn too (notifications, clients without Block Kit).
    head = f"{slack.escape(headline)} ({slack.escape(facts)})"
    text = f"{head}\n{slack.escape(summary)}\n{link}" if summary else f"{head} {link}"
    return {"text": text, "blocks": blocks}


def postmortem_unresolved_comment_count(postmortem):
    return postmortem.comments.filter(parent__isnull=True, resolved=False).count()


def postmortem_publish(*, postmortem, by, confirm_unresolved=False):
    """In review -> published. Refused while blame findings are open; asks for a
    confirmation while review comments are unresolved; tells the team's Slack once."""
    from . import gates, permissions

    if not permissions.can_publish_postmortem(by, postmortem):
        raise PostmortemTransitionError(
            _("Only reviewers and team managers can publish this postmortem.")
        )
    with transaction.atomic():
        locked = _postmortem_lock(postmortem)
        if locked.status != Postmortem.Status.IN_REVIEW:
            raise PostmortemTransitionError(
                _("Only a postmortem in review can be published (this one is %(status)s).")
                % {"status": locked.get_status_display()}
            )
        findings = list(gates.unacknowledged_findings(locked))
        if findings:
            raise PostmortemHasFindings(
                ngettext(
                    "%(count)s blame finding is neither fixed nor acknowledged.",
                    "%(count)s blame findings are neither fixed nor acknowledged.",
                    len(findings),
                )
                % {"count": len(findings)},
                findings=findings,
            )
        unresolved = postmortem_unresolved_comment_count(locked)
        if unresolved and not confirm_unresolved:
            raise PostmortemNeedsConfirmation(
                ngettext(
                    "%(count)s review comment is not resolved yet.",
                    "%(count)s review comments are not resolved yet.",
                    unresolved,
                )
                % {"count": unresolved},
                unresolved_count=unresolved,
            )
        _postmortem_set_status(
            locked,
            postmortem,
            by,
            status=Postmortem.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        slack_message_enqueue(
            team=locked.team,
            kind=SlackMessage.Kind.PUBLISHED,
            payload=_published_payload(locked, locked.action_items.count()),
        )
    logger.info("postmortem %s published by %s", postmortem.pk, by)
    return postmortem


def postmortem_mark_not_required(*, postmortem, by, reason):
    """Draft or in review -> not required, with the reason recorded."""
    from . import permissions

    if not permissions.can_publish_postmortem(by, postmortem):
        raise PostmortemTransitionError(
            _("Only reviewers and team managers can decide that no write-up is needed.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise PostmortemTransitionError(_("Say why no write-up is needed."))
    if len(reason) > 500:
        raise PostmortemTransitionError(_("Keep the reason under 500 characters."))
    if has_nul(reason):
        raise PostmortemTransitionError(nul_error().messages[0])
    with transaction.atomic():
        locked = _postmortem_lock(postmortem)
        if locked.status not in (Postmortem.Status.DRAFT, Postmortem.Status.IN_REVIEW):
            raise PostmortemTransitionError(
                _("Only a draft or a postmortem in review can be marked not required.")
            )
        _postmortem_set_status(
            locked,
            postmortem,
            by,
            status=Postmortem.Status.NOT_REQUIRED,
            not_required_reason=reason,
        )
    return postmortem


def postmortem_reopen(*, postmortem, by):
    """Back to draft from in review, published or not required."""
    from . import permissions

    if not permissions.can_edit_postmortem(by, postmortem):
        raise PostmortemTransitionError(_("You cannot edit this postmortem."))
    with transaction.atomic():
        locked = _postmortem_lock(postmortem)
        if locked.status == Postmortem.Status.DRAFT:
            raise PostmortemTransitionError(_("This postmortem is already a draft."))
        if locked.status == Postmortem.Status.PUBLISHED and not permissions.can_publish_postmortem(
            by, locked
        ):
            raise PostmortemTransitionError(
                _("Only reviewers and team managers can take back a published postmortem.")
            )
        _postmortem_set_status(
            locked,
            postmortem,
            by,
            status=Postmortem.Status.DRAFT,
            published_at=None,
            not_required_reason="",
        )
    return postmortem


# --- Review comments ------------------------------------------------------------------------

_ANCHOR_RE = re.compile(r"^(general|section:[a-z_]+|factor:\d+|event:\d+)$")


def _review_comment_check_anchor(postmortem, anchor):
    if not _ANCHOR_RE.match(anchor):
        raise ValidationError({"anchor": _("Unknown place to comment on.")})
    kind, _sep, ref = anchor.partition(":")
    if kind == "section" and ref not in Postmortem.SECTIONS:
        raise ValidationError({"anchor": _("Unknown section.")})
    if kind == "factor" and not postmortem.factors.filter(pk=int(ref)).exists():
        raise ValidationError({"anchor": _("That contributing factor is not on this postmortem.")})
    if kind == "event" and not postmortem.timeline_events.filter(pk=int(ref)).exists():
        raise ValidationError({"anchor": _("That timeline event is not on this postmortem.")})


def review_comment_create(*, postmortem, by, body, anchor="general", parent=None):
    """A comment (or a reply, which joins its parent's thread and place)."""
    body = (body or "").strip()
    if parent is not None:
        if parent.postmortem_id != postmortem.pk:
            raise ValidationError({"parent": _("That comment belongs to another postmortem.")})
        # Threads are one level deep: a reply to a reply joins the same thread.
        if parent.parent_id is not None:
            parent = parent.parent
        anchor = parent.anchor
    anchor = anchor or "general"
    _review_comment_check_anchor(postmortem, anchor)
    limits.check_text(body=(body, "COMMENT_MAX_CHARS"))
    limits.check_room(
        existing=ReviewComment.objects.filter(postmortem=postmortem).count(),
        setting="COMMENTS_MAX_PER_POSTMORTEM",
        what=_("comments"),
    )
    comment = ReviewComment(
        postmortem=postmortem,
        anchor=anchor,
        parent=parent,
        author=by,
        body=body,
        body_html=markdown.render(body),
    )
    comment.full_clean()
    with transaction.atomic():
        comment.save()
    return comment


def review_comment_set_resolved(*, comment, by, resolved):
    """Resolve or reopen a thread (always its first comment)."""
    root = comment.parent if comment.parent_id else comment
    root.resolved = bool(resolved)
    root.resolved_by = by if resolved else None
    root.resolved_at = timezone.now() if resolved else None
    with transaction.atomic():
        root.save(update_fields=["resolved", "resolved_by", "resolved_at"])
    return root


# --- Timeline -------------------------------------------------------------------------------
#
# Timeline and factor writes never touch the postmortem's ``version``: it guards the main
# form's text only, so adding an event while someone edits the summary is no conflict.
# History is kept by django-simple-history; ``_history_user`` names the author when there
# is no request (the request middleware does it otherwise).


def _check_not_future(occurred_at):
    if occurred_at is not None and (reason := incident_window.future_error(occurred_at)):
        raise ValidationError({"occurred_at": reason})


def _timeline_event_save(event, by, **save_kwargs):
    limits.check_text(text=(event.text, "TIMELINE_EVENT_MAX_CHARS"))
    _check_not_future(event.occurred_at)
    event.text_html = markdown.render(event.text)
    event.full_clean(exclude=["postmortem", "created_by"])
    event._history_user = by
    with transaction.atomic():
        event.save(**save_kwargs)
    return event


def timeline_event_create(*, postmortem, by, occurred_at, kind, text, pinned=False):
    limits.check_room(
        existing=postmortem.timeline_events.count(),
        setting="TIMELINE_MAX_EVENTS",
        what=_("timeline events"),
    )
    event = TimelineEvent(
        postmortem=postmortem,
        occurred_at=occurred_at,
        kind=kind,
        text=text,
        pinned=pinned,
        created_by=by,
    )
    return _timeline_event_save(event, by)


def timeline_event_update(*, event, by, occurred_at, kind, text):
    event.occurred_at = occurred_at
    event.kind = kind
    event.text = text
    return _timeline_event_save(event, by)


def timeline_event_delete(*, event, by):
    event._history_user = by
    with transaction.atomic():
        event.delete()


def timeline_event_set_pinned(*, event, by, pinned):
    event.pinned = bool(pinned)
    event._history_user = by
    with transaction.atomic():
        event.save(update_fields=["pinned"])
    return event


def timeline_import(*, postmortem, by, events):
    """Save parsed lines (``timeline.ParsedEvent`` or anything with ``occurred_at``,
    ``kind`` and ``text``) as events, all or none."""
    events = list(events)
    if len(events) > settings.TIMELINE_PASTE_MAX_LINES:
        raise ValidationError(
            _("Paste at most %(limit)s lines at a time; this paste has %(count)s.")
            % {"limit": settings.TIMELINE_PASTE_MAX_LINES, "count": len(events)}
        )
    limits.check_room(
        existing=postmortem.timeline_events.count(),
        adding=len(events),
        setting="TIMELINE_MAX_EVENTS",
        what=_("timeline events"),
    )
    built = []
    for parsed in events:
        limits.check_text(text=(parsed.text, "TIMELINE_EVENT_MAX_CHARS"))
        _check_not_future(parsed.occurred_at)
        event = TimelineEvent(
            postmortem=postmortem,
            occurred_at=parsed.occurred_at,
            kind=parsed.kind,
            text=parsed.text,
            text_html=markdown.render(parsed.text),
            created_by=by,
        )
        event.full_clean(exclude=["postmortem", "created_by"])
        built.append(event)
    if not built:
        raise ValidationError(_("There is nothing to import."))
    with transaction.atomic():
        return bulk_create_with_history(built, TimelineEvent, default_user=by)


# --- Contributing factors -------------------------------------------------------------------


def theme_get_or_create(*, name, by=None):
    """The theme called ``name`` (same slug or same name, any case), created if new."""
    name = " ".join((name or "").split())
    slug = slugify(name, allow_unicode=True)
    if not slug:
        raise ValidationError(
            {"themes": _("“%(name)s” cannot be used as a theme name.") % {"name": name}}
        )
    existing = (
        Theme.objects.filter(slug=slug).first() or Theme.objects.filter(name__iexact=name).first()
    )
    if existing:
        return existing
    theme = Theme(name=name, slug=slug)
    theme.full_clean(validate_unique=False)
    theme._history_user = by
    try:
        with transaction.atomic():
            theme.save()
    except IntegrityError:
        # Someone created it at the same moment.
        return Theme.objects.get(slug=slug)
    return theme


def _themes_resolve(themes, by):
    resolved = {}
    for theme in themes or ():
        if isinstance(theme, str):
            theme = theme_get_or_create(name=theme, by=by)
        resolved[theme.pk] = theme
    return list(resolved.values())


def _factor_save(factor, by, themes):
    limits.check_text(description=(factor.description, "FACTOR_MAX_CHARS"))
    factor.description_html = markdown.render(factor.description)
    factor.full_clean(exclude=["postmortem"])
    factor._history_user = by
    with transaction.atomic():
        resolved = _themes_resolve(themes, by)
        factor.save()
        factor.themes.set(resolved)
    return factor


def factor_create(*, postmortem, by, category, description, themes=()):
    """``themes``: Theme objects and/or names; unknown names become new themes."""
    limits.check_room(
        existing=postmortem.factors.count(),
        setting="FACTORS_MAX_PER_POSTMORTEM",
        what=_("contributing factors"),
    )
    factor = ContributingFactor(postmortem=postmortem, category=category, description=description)
    return _factor_save(factor, by, themes)


def factor_update(*, factor, by, category, description, themes=()):
    factor.category = category
    factor.description = description
    return _factor_save(factor, by, themes)


def factor_delete(*, factor, by):
    """Linked action items stay, unlinked from the factor."""
    factor._history_user = by
    with transaction.atomic():
        factor.delete()


# --- Blameless-language acknowledgements -----------------------------------------------------


def _blame_location_exists(postmortem, location):
    kind, _sep, ident = location.partition(":")
    if kind == "section":
        return ident in Postmortem.SECTIONS
    if not ident.isdigit():
        return False
    if kind == "event":
        return postmortem.timeline_events.filter(pk=int(ident)).exists()
    if kind == "factor":
        return postmortem.factors.filter(pk=int(ident)).exists()
    return False


def blame_acknowledge(*, postmortem, location, rule, phrase, reason, by):
    """Keep a flagged phrase on purpose, with a short reason ("direct quote from the chat").

    The acknowledgement covers that phrase under that rule at that location (``section:…``,
    ``event:<pk>``, ``factor:<pk>``), so the publish gate lets it pass; reviewers see who
    acknowledged it, when and why. Acknowledging the same finding again replaces the reason.
    """
    from .language import RULE_IDS
    from .models import BlameAcknowledgement

    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the phrase stays, e.g. “direct quote from the chat”.")
    if rule not in RULE_IDS:
        errors["rule"] = _("Unknown rule.")
    if not phrase:
        errors["phrase"] = _("Nothing to acknowledge.")
    if not _blame_location_exists(postmortem, location):
        errors["location"] = _("This part of the postmortem does not exist.")
    if errors:
        raise ValidationError(errors)
    phrase = phrase[: BlameAcknowledgement._meta.get_field("phrase").max_length]
    with transaction.atomic():
        acknowledgement = (
            BlameAcknowledgement.objects.select_for_update()
            .filter(postmortem=postmortem, location=location, rule=rule, phrase=phrase)
            .first()
        ) or BlameAcknowledgement(
            postmortem=postmortem, location=location, rule=rule, phrase=phrase
        )
        acknowledgement.reason = reason
        acknowledgement.by = by
        acknowledgement._history_user = by
        acknowledgement.full_clean()
        acknowledgement.save()
    logger.info(
        "postmortem %s: %s %r at %s acknowledged by %s", postmortem.pk, rule, phrase, location, by
    )
    return acknowledgement
