"""Import the incident's Slack channel: upload (or paste), pick channel and window,
tick messages in the preview, import. For people who may edit the postmortem."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import ngettext

from integrations.models import SlackImport
from postmortems.models import TimelineEvent
from postmortems.permissions import can_edit_postmortem
from postmortems.selectors import visible_postmortem_or_404

from . import services
from .forms import SlackUploadForm, SlackWindowForm

MARGIN = datetime.timedelta(minutes=30)


def _editable(request, pk):
    postmortem = visible_postmortem_or_404(request.user, pk)
    if not can_edit_postmortem(request.user, postmortem):
        raise PermissionDenied
    return postmortem


def slack_import_start(request, pk):
    postmortem = _editable(request, pk)
    form = SlackUploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"first_day": timezone.localdate(postmortem.started_at or timezone.now())},
    )
    if request.method == "POST" and form.is_valid():
        upload = services.slack_import_start(
            postmortem=postmortem,
            by=request.user,
            archive=form.cleaned_data["archive"],
            text=form.cleaned_data["text"],
            first_day=form.cleaned_data["first_day"],
        )
        return redirect("integrations:slack_import_pick", pk=postmortem.pk, import_id=upload.pk)
    return render(
        request,
        "integrations/slack_import/start.html",
        {"postmortem": postmortem, "form": form},
        status=400 if form.errors else 200,
    )


def _default_window(postmortem):
    start = postmortem.started_at or timezone.now() - datetime.timedelta(days=7)
    end = postmortem.resolved_at or timezone.now()
    return {
        "start": timezone.localtime(start - MARGIN).replace(second=0, microsecond=0),
        "end": timezone.localtime(end + MARGIN).replace(second=0, microsecond=0),
    }


def slack_import_pick(request, pk, import_id):
    postmortem = _editable(request, pk)
    upload = get_object_or_404(
        SlackImport, pk=import_id, postmortem=postmortem, created_by=request.user
    )
    channels = services.channels(upload)
    data = request.POST if request.method == "POST" else request.GET
    bound = "channel" in data
    form = SlackWindowForm(
        data if bound else None,
        channels=channels,
        initial={"channel": channels[0], **_default_window(postmortem)},
    )
    preview, error = None, None
    tz = timezone.get_current_timezone()
    if bound and form.is_valid():
        window = {
            "channel": form.cleaned_data["channel"],
            "start": form.cleaned_data["start"],
            "end": form.cleaned_data["end"],
            "tz": tz,
        }
        try:
            if request.method == "POST":
                picks = _picks(request.POST)
                created = services.slack_import_commit(
                    slack_import=upload, by=request.user, picks=picks, **window
                )
                said = ngettext(
                    "%(count)d timeline event imported from Slack.",
                    "%(count)d timeline events imported from Slack.",
                    len(created),
                ) % {"count": len(created)}
                if created.skipped:
                    said += " " + ngettext(
                        "%(count)d message was skipped: it was already imported.",
                        "%(count)d messages were skipped: they were already imported.",
                        created.skipped,
                    ) % {"count": created.skipped}
                messages.success(request, said)
                return redirect(postmortem.get_absolute_url() + "#timeline")
            preview = services.slack_preview(upload, **window)
        except ValidationError as exc:
            error = " ".join(exc.messages)
            if request.method == "POST":
                preview = services.slack_preview(upload, **window)
    return render(
        request,
        "integrations/slack_import/pick.html",
        {
            "postmortem": postmortem,
            "upload": upload,
            "form": form,
            "preview": preview,
            "error": error,
            "kinds": TimelineEvent.Kind.choices,
        },
        status=400 if (form.errors or error) else 200,
    )


def _picks(post):
    kinds = set(TimelineEvent.Kind.values)
    picks = {}
    for ts in post.getlist("pick"):
        kind = post.get(f"kind-{ts}", TimelineEvent.Kind.NOTE)
        picks[ts] = kind if kind in kinds else TimelineEvent.Kind.NOTE
    return picks
