from rest_framework import serializers

from actions.models import ActionItem
from actions.services import TRANSITIONS
from postmortems.models import ContributingFactor, Team

from .fields import UsernameField, WebUrlField

ITEM_FIELDS = (
    "id",
    "postmortem",
    "factor",
    "title",
    "kind",
    "priority",
    "status",
    "status_reason",
    "team",
    "assignee",
    "due_date",
    "completed_at",
    "tracker_url",
    "notes",
    "created_at",
    "updated_at",
    "web_url",
)


class ActionItemSerializer(serializers.ModelSerializer):
    assignee = UsernameField(read_only=True, allow_null=True)
    # A link or empty.
    tracker_url = serializers.CharField(read_only=True)
    web_url = WebUrlField()

    class Meta:
        model = ActionItem
        fields = ITEM_FIELDS
        read_only_fields = ITEM_FIELDS


class ActionItemWriteSerializer(serializers.ModelSerializer):
    """Create (``postmortem`` required) or change an item; an empty ``due_date`` follows
    the priority policy. Rules (owner-team assignee, no past due date) are the services'."""

    assignee = UsernameField(required=False, allow_null=True)
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False)
    factor = serializers.PrimaryKeyRelatedField(
        queryset=ContributingFactor.objects.all(), required=False, allow_null=True
    )
    due_date = serializers.DateField(required=False, allow_null=True)
    tracker_url = serializers.URLField(required=False, allow_blank=True, max_length=500)

    class Meta:
        model = ActionItem
        fields = (
            "postmortem",
            "factor",
            "title",
            "kind",
            "priority",
            "team",
            "assignee",
            "due_date",
            "tracker_url",
            "notes",
        )
        extra_kwargs = {"postmortem": {"required": False}}

    def __init__(self, *args, visible_postmortems=None, **kwargs):
        super().__init__(*args, **kwargs)
        if visible_postmortems is not None:
            # A postmortem (or factor) the caller may not see reads as one that does not exist.
            self.fields["postmortem"].queryset = visible_postmortems
            self.fields["factor"].queryset = ContributingFactor.objects.filter(
                postmortem__in=visible_postmortems
            )


class ActionItemTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(TRANSITIONS))
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
