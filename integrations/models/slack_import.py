"""An upload (Slack export zip or pasted text) between its preview and its import."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from postmortems.models import Postmortem, TimelineEvent


class PrivateUploadStorage(FileSystemStorage):
    """``VAR_DIR/uploads``: never under STATIC_ROOT or a served media folder. The folder is
    read from the settings at each use, not fixed when the model is imported."""

    @property
    def base_location(self):
        return str(settings.VAR_DIR / "uploads")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def upload_storage():
    return PrivateUploadStorage()


class SlackImport(models.Model):
    postmortem = models.ForeignKey(
        Postmortem, on_delete=models.CASCADE, related_name="slack_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    archive = models.FileField(
        storage=upload_storage, upload_to="slack-exports/%Y/%m/", blank=True, max_length=300
    )
    pasted_text = models.TextField(blank=True, default="")
    # The day of pasted lines above the first day separator.
    first_day = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Slack import")
        verbose_name_plural = _("Slack imports")

    def __str__(self):
        return f"Slack import {self.pk} for postmortem {self.postmortem_id}"

    @property
    def is_paste(self):
        return not self.archive


class SlackImportedMessage(models.Model):
    """A Slack message already on a postmortem's timeline: importing it again skips it.

    ``ts`` is Slack's id of the message in its channel; for pasted lines (which have none)
    a digest of their time, author and text. Deleting the event it became forgets it, so a
    message removed from the timeline by mistake can be imported again."""

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=255)
    ts = models.CharField(max_length=64)
    event = models.ForeignKey(TimelineEvent, on_delete=models.CASCADE, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["postmortem", "channel", "ts"], name="slackimportedmessage_unique_message"
            )
        ]
        verbose_name = _("imported Slack message")
        verbose_name_plural = _("imported Slack messages")

    def __str__(self):
        return f"#{self.channel} {self.ts} → event {self.event_id}"
