from rest_framework import serializers

from postmortems.models import ContributingFactor, Postmortem, Team, Theme, TimelineEvent
from postmortems.services import POSTMORTEM_EDITABLE_FIELDS, POSTMORTEM_M2M_FIELDS

from .actions import ActionItemSerializer
from .fields import UsernameField, WebUrlField

LIST_FIELDS = (
    "id",
    "title",
    "severity",
    "status",
    "team",
    "restricted",
    "caused_by_change",
    "started_at",
    "detected_at",
    "mitigated_at",
    "resolved_at",
    "published_at",
    "version",
    "created_at",
    "updated_at",
    "web_url",
)


class PostmortemListSerializer(serializers.ModelSerializer):
    web_url = WebUrlField()

    class Meta:
        model = Postmortem
        fields = LIST_FIELDS
        read_only_fields = LIST_FIELDS


class TimelineEventSerializer(serializers.ModelSerializer):
    created_by = UsernameField(read_only=True, allow_null=True)

    class Meta:
        model = TimelineEvent
        fields = ("id", "occurred_at", "kind", "text", "pinned", "created_by", "created_at")
        read_only_fields = ("id", "created_by", "created_at")


class TimelineEventBulkSerializer(serializers.Serializer):
    events = TimelineEventSerializer(many=True, allow_empty=False, max_length=1000)


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ("id", "name", "slug", "description", "keywords")
        read_only_fields = fields


class ThemeNamesField(serializers.ListField):
    def to_representation(self, data):
        return [theme.name for theme in data.all()]


class FactorSerializer(serializers.ModelSerializer):
    themes = ThemeNamesField(
        child=serializers.CharField(max_length=100),
        required=False,
        max_length=50,
        help_text="Theme names; a name that does not exist yet becomes a new theme.",
    )

    class Meta:
        model = ContributingFactor
        # Its action items name it in their ``factor``.
        fields = ("id", "category", "description", "themes", "created_at")
        read_only_fields = ("id", "created_at")


class PostmortemDetailSerializer(serializers.ModelSerializer):
    authors = UsernameField(many=True, read_only=True)
    reviewers = UsernameField(many=True, read_only=True)
    timeline_events = TimelineEventSerializer(many=True, read_only=True)
    factors = FactorSerializer(many=True, read_only=True)
    themes = serializers.SerializerMethodField()
    action_items = ActionItemSerializer(many=True, read_only=True)
    web_url = WebUrlField()

    class Meta:
        model = Postmortem
        fields = (
            *LIST_FIELDS,
            *Postmortem.SECTIONS,
            "not_required_reason",
            "authors",
            "reviewers",
            "timeline_events",
            "factors",
            "themes",
            "action_items",
        )
        read_only_fields = fields

    def get_themes(self, postmortem) -> list[str]:
        names = {theme.name for factor in postmortem.factors.all() for theme in factor.themes.all()}
        return sorted(names)


class PostmortemWriteSerializer(serializers.ModelSerializer):
    """The web form's fields (model names). On update ``version`` is the one the change was
    made on; a stale one answers 409 with the current version."""

    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    authors = UsernameField(many=True, required=False)
    reviewers = UsernameField(many=True, required=False)
    viewers = UsernameField(many=True, required=False)
    version = serializers.IntegerField(min_value=1, required=False)

    class Meta:
        model = Postmortem
        fields = (*POSTMORTEM_EDITABLE_FIELDS, *POSTMORTEM_M2M_FIELDS, "version")


class PostmortemConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField()
    current = PostmortemListSerializer()


class PublishSerializer(serializers.Serializer):
    confirm_unresolved = serializers.BooleanField(default=False)


class NotRequiredSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class TransitionErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    unresolved_count = serializers.IntegerField(required=False)
    findings = serializers.ListField(child=serializers.DictField(), required=False)
