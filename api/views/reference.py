"""Read-only lists (teams, themes), the incident metrics and the blame check."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from actions import metrics
from actions.forms import ReportFilterForm
from postmortems.bounds import range_error
from postmortems.language import find_blame
from postmortems.models import Team, Theme
from postmortems.selectors import lint_people, visible_postmortems

from ..serializers.postmortems import ThemeSerializer
from ..serializers.reference import (
    LintRequestSerializer,
    LintResponseSerializer,
    MetricsSerializer,
    TeamSerializer,
)


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Team.objects.all()
    serializer_class = TeamSerializer


class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Theme.objects.all()
    serializer_class = ThemeSerializer


def _seconds(value):
    if value is None:
        return None
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


def _bucket(bucket):
    return {
        "incidents": bucket.incidents,
        "mttd_median_seconds": _seconds(bucket.mttd_median),
        "mttd_p90_seconds": _seconds(bucket.mttd_p90),
        "mttr_median_seconds": _seconds(bucket.mttr_median),
        "mttr_p90_seconds": _seconds(bucket.mttr_p90),
        "publish_median_seconds": _seconds(bucket.publish_median),
        "publish_p90_seconds": _seconds(bucket.publish_p90),
        "change_failure_share": bucket.change_failure_share,
        "actions_due": bucket.actions_due,
        "actions_on_time": bucket.actions_on_time,
        "on_time_rate": bucket.on_time_rate,
    }


class MetricsView(APIView):
    @extend_schema(
        summary="MTTD, MTTR, time to publish and action-item health (default: 12 months)",
        parameters=[
            OpenApiParameter("team", OpenApiTypes.INT),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
        ],
        responses=MetricsSerializer,
    )
    def get(self, request):
        # The metrics page's own form: same bounds (dates in the window, range capped).
        form = ReportFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        data = form.cleaned_data
        team = Team.objects.filter(pk=data["team"]).first() if data.get("team") else None
        if data.get("team") and team is None:
            raise ValidationError({"team": [_("No such team.")]})
        first, last = metrics.default_range()
        first, last = data.get("from") or first, data.get("to") or last
        if first > last or range_error(first, last):
            raise ValidationError(
                {"to": [range_error(first, last) or _("The start date is after the end date.")]}
            )
        report = metrics.report(
            first=first, last=last, team=team, postmortems=visible_postmortems(request.user)
        )
        severities = [metrics.ALL, *metrics.SEVERITIES]
        data = {
            "first": first,
            "last": last,
            "team": team.pk if team else None,
            "totals": {
                sev: _bucket(report.totals.get(sev) or metrics.Bucket()) for sev in severities
            },
            "months": [
                {
                    "month": month,
                    "severities": {sev: _bucket(report.bucket(month, sev)) for sev in severities},
                }
                for month in report.months
            ],
        }
        return Response(MetricsSerializer(data).data)


class LintView(APIView):
    """The blame check the editor runs while you type; writes nothing (read tokens may)."""

    writes = False

    @extend_schema(
        request=LintRequestSerializer,
        responses=LintResponseSerializer,
        summary="Blaming or counterfactual phrases in a text, with offsets",
    )
    def post(self, request):
        serializer = LintRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        text = serializer.validated_data["text"]
        if len(text.encode()) > settings.LINT_MAX_BYTES:
            return Response(
                {
                    "detail": _("The text is too long to check (more than %(kb)s kB).")
                    % {"kb": settings.LINT_MAX_BYTES // 1024}
                },
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        findings = find_blame(text, people=lint_people())
        return Response({"findings": [f.as_dict() for f in findings]})
