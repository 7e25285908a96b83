from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created, raw=False, **kwargs):
    """Every user has a profile (time zone, language), so pages never check for one."""
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


@receiver(post_save, sender="postmortems.Team")
def seed_severity_templates(sender, instance, created, raw=False, **kwargs):
    """Every new team starts with the default severity templates, so its managers see and
    adjust real rows and the review gates never run on nothing."""
    if created and not raw:
        from .severity_templates import seed_team

        seed_team(instance)
