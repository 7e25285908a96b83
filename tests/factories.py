import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from actions.models import ActionItem
from postmortems.models import (
    ContributingFactor,
    Membership,
    Postmortem,
    Team,
    Theme,
    TimelineEvent,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class PostmortemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postmortem
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Incident {n}")
    team = factory.SubFactory(TeamFactory)
    severity = "SEV3"
    summary = "Checkout latency rose after a cache node was replaced."
    started_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))
    detected_at = factory.LazyAttribute(lambda o: o.started_at + datetime.timedelta(minutes=7))
    mitigated_at = factory.LazyAttribute(lambda o: o.started_at + datetime.timedelta(minutes=40))
    resolved_at = factory.LazyAttribute(lambda o: o.started_at + datetime.timedelta(hours=2))


class TimelineEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimelineEvent

    postmortem = factory.SubFactory(PostmortemFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    kind = TimelineEvent.Kind.NOTE
    text = "Alert fired for elevated 5xx rate."


class ContributingFactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContributingFactor

    postmortem = factory.SubFactory(PostmortemFactory)
    category = ContributingFactor.Category.MONITORING
    description = "The alert threshold was tuned for daytime traffic only."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    postmortem = factory.SubFactory(PostmortemFactory)
    team = factory.LazyAttribute(lambda o: o.postmortem.team)
    title = factory.Sequence(lambda n: f"Follow-up {n}")
    priority = ActionItem.Priority.P2
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


class ReadyPostmortemFactory(PostmortemFactory):
    """A SEV3 postmortem that meets the default severity template for review and for
    publishing: impact written, one contributing factor, a reason for no action items."""

    impact = "Card payments failed for about 3% of checkouts."
    no_action_items_reason = "The failover fix shipped during the incident."
    factor = factory.RelatedFactory(ContributingFactorFactory, factory_related_name="postmortem")
