from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ContributingFactor, Postmortem, Profile, TimelineEvent


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created, raw=False, **kwargs):
    """Every user has a profile (time zone, language), so pages never check for one."""
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


@receiver(post_save, sender=Postmortem)
@receiver(post_save, sender=TimelineEvent)
@receiver(post_save, sender=ContributingFactor)
@receiver(post_delete, sender=TimelineEvent)
@receiver(post_delete, sender=ContributingFactor)
def record_blame_hints(sender, instance, raw=False, **kwargs):
    """After a save, note which hints the text shows and which are gone (fixed): the
    "dismissed vs fixed" figures of /metrics/. Once per postmortem per transaction."""
    if raw:
        return
    postmortem_id = instance.pk if sender is Postmortem else instance.postmortem_id
    connection = transaction.get_connection()
    if any(
        getattr(entry[1], "blame_postmortem_id", None) == postmortem_id and not entry[1].done
        for entry in connection.run_on_commit
    ):
        return  # already queued in this transaction (a rollback drops it with the rest)

    def record():
        from .dismissal_services import blame_hints_record

        record.done = True
        postmortem = Postmortem.objects.filter(pk=postmortem_id).first()
        if postmortem is not None:
            blame_hints_record(postmortem=postmortem)

    record.blame_postmortem_id = postmortem_id
    record.done = False
    transaction.on_commit(record)
