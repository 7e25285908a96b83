from axes.signals import user_locked_out
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import services
from .models import ContributingFactor, Postmortem, Profile, Team, TimelineEvent


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
        record.done = True
        postmortem = Postmortem.objects.filter(pk=postmortem_id).first()
        if postmortem is not None:
            services.blame_hints_record(postmortem=postmortem)

    record.blame_postmortem_id = postmortem_id
    record.done = False
    transaction.on_commit(record)


@receiver(post_save, sender="postmortems.Team")
def seed_severity_templates(sender, instance, created, raw=False, **kwargs):
    """Every new team starts with the default severity templates, so its managers see and
    adjust real rows and the review gates never run on nothing."""
    if created and not raw:
        from .severity_templates import seed_team

        seed_team(instance)


@receiver(user_locked_out)
def audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    """A lockout goes to the audit log of every team the account belongs to, so their
    managers see it; an unknown user name is kept with no team (the admin shows it)."""
    username = username or ""
    teams = list(Team.objects.filter(memberships__user__username=username).distinct()) or [None]
    for team in teams:
        services.audit_lockout(username=username, ip_address=ip_address, team=team)
