from rest_framework import serializers

from postmortems.models import Team


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ("id", "name", "slug", "language")
        read_only_fields = fields


class LintRequestSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)


class FindingSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    phrase = serializers.CharField()
    rule = serializers.CharField()
    message = serializers.CharField()
    suggestion = serializers.CharField(allow_blank=True)


class LintResponseSerializer(serializers.Serializer):
    findings = FindingSerializer(many=True)


class MetricsBucketSerializer(serializers.Serializer):
    incidents = serializers.IntegerField()
    mttd_median_seconds = serializers.FloatField(allow_null=True)
    mttd_p90_seconds = serializers.FloatField(allow_null=True)
    mttr_median_seconds = serializers.FloatField(allow_null=True)
    mttr_p90_seconds = serializers.FloatField(allow_null=True)
    publish_median_seconds = serializers.FloatField(allow_null=True)
    publish_p90_seconds = serializers.FloatField(allow_null=True)
    change_failure_share = serializers.FloatField(allow_null=True)
    actions_due = serializers.IntegerField()
    actions_on_time = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)


class MetricsMonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    severities = serializers.DictField(child=MetricsBucketSerializer())


class MetricsSerializer(serializers.Serializer):
    first = serializers.DateField()
    last = serializers.DateField()
    team = serializers.IntegerField(allow_null=True)
    totals = serializers.DictField(child=MetricsBucketSerializer())
    months = MetricsMonthSerializer(many=True)
