import threading
import weakref

from axes.signals import user_locked_out
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import services
from .models import ContributingFactor, Postmortem, Team, TimelineEvent
from .services.profiles import NAME_FIELDS


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """Every user has a profile (time zone, language), so pages never check for one; it
    holds the user's names as the blame check reads them, rewritten when they change."""
    if update_fields is not None and not (set(update_fields) & NAME_FIELDS):
        return
    # A fixture brings its own profile rows: only the names of an existing one are set.
    services.profile_sync_person_names(user=instance, create=not raw)


@receiver(post_save, sender=Postmortem)
@receiver(post_save, sender=TimelineEvent)
@receiver(post_save, sender=ContributingFactor)
@receiver(post_delete, sender=TimelineEvent)
@receiver(post_delete, sender=ContributingFactor)
def record_blame_hints(sender, instance, raw=False, using=None, **kwargs):
    """After a save, note which hints the text shows and which are gone (fixed): the
    "dismissed vs fixed" figures of /metrics/. Once per postmortem per transaction."""
    if raw:
        return
    postmortem_id = instance.pk if sender is Postmortem else instance.postmortem_id
    _RecordHints.once_after_commit(postmortem_id, using or "default")


class _RecordHints:
    """The after-commit recording of one postmortem's hints, queued at most once per
    transaction.

    Each thread (a connection belongs to one) keeps the recordings it queued, by database
    and postmortem, as weak references: the callback clears its entry when it runs, and a
    rollback drops the queued callback itself, so its entry is dead at once and the next
    save queues a new one. A callback holds no reference to itself, so dropping it frees
    it immediately.
    """

    _queued = threading.local()

    def __init__(self, postmortem_id, using):
        self.postmortem_id = postmortem_id
        self.using = using

    @classmethod
    def once_after_commit(cls, postmortem_id, using):
        queued = cls._pending()
        for dead in [k for k, ref in queued.items() if ref() is None]:
            del queued[dead]  # queued in a transaction that was rolled back
        key = (using, postmortem_id)
        current = queued.get(key)
        if current is not None and current() is not None:
            return  # already queued in this transaction
        record = cls(postmortem_id, using)
        queued[key] = weakref.ref(record)
        # Robust: the save is committed whatever happens to the figures of /metrics/.
        transaction.on_commit(record, using=using, robust=True)

    @classmethod
    def _pending(cls):
        if not hasattr(cls._queued, "entries"):
            cls._queued.entries = {}
        return cls._queued.entries

    def __call__(self):
        queued = self._pending()
        key = (self.using, self.postmortem_id)
        current = queued.get(key)
        if current is not None and current() in (self, None):
            del queued[key]
        postmortem = Postmortem.objects.using(self.using).filter(pk=self.postmortem_id).first()
        if postmortem is not None:
            services.blame_hints_record(postmortem=postmortem)


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
