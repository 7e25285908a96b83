"""``/api/v1/``. Authentication is the API's own (tokens or the web session), so the site's
login-required middleware lets these paths through and DRF answers 401 instead."""

import datetime
import functools

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.utils import timezone
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from .views import action_items, postmortems, reference, timeline

app_name = "api"

router = SimpleRouter()
router.register("postmortems", postmortems.PostmortemViewSet, basename="postmortem")
router.register("action-items", action_items.ActionItemViewSet, basename="action-item")
router.register("teams", reference.TeamViewSet, basename="team")
router.register("themes", reference.ThemeViewSet, basename="theme")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", http_method_names=["get", "head"]
        ),
        name="docs",
    ),
    path(
        "postmortems/<int:pk>/timeline-events/",
        timeline.TimelineEventList.as_view(),
        name="timeline-event-list",
    ),
    path(
        "postmortems/<int:pk>/timeline-events/bulk/",
        timeline.TimelineEventBulk.as_view(),
        name="timeline-event-bulk",
    ),
    path(
        "postmortems/<int:pk>/timeline-events/<int:event_id>/",
        timeline.TimelineEventDetail.as_view(),
        name="timeline-event-detail",
    ),
    path("postmortems/<int:pk>/factors/", timeline.FactorList.as_view(), name="factor-list"),
    path(
        "postmortems/<int:pk>/factors/<int:factor_id>/",
        timeline.FactorDetail.as_view(),
        name="factor-detail",
    ),
    path("metrics/", reference.MetricsView.as_view(), name="metrics"),
    path("lint/", reference.LintView.as_view(), name="lint"),
    *router.urls,
]


def in_utc(view):
    """Times the API reads without an offset, and every time it writes, are UTC, whoever
    calls (the web session would otherwise bring its profile's zone)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with timezone.override(datetime.UTC):
            return view(request, *args, **kwargs)

    return wrapped


for pattern in urlpatterns:
    pattern.callback = login_not_required(in_utc(pattern.callback))
