"""``/api/v1/postmortems/``: list, read, create a draft, edit with ``version``, the review
workflow and the Markdown export — through the web's selectors, permissions and services."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from postmortems import permissions, selectors, services
from postmortems.export import postmortem_markdown
from postmortems.filters import PostmortemFilter

from ..serializers.postmortems import (
    NotRequiredSerializer,
    PostmortemConflictSerializer,
    PostmortemDetailSerializer,
    PostmortemListSerializer,
    PostmortemWriteSerializer,
    PublishSerializer,
    TransitionErrorSerializer,
)
from .common import editable_postmortem, readable_postmortem

CONFLICT = OpenApiResponse(TransitionErrorSerializer, description="Not allowed in this status.")


def _detail(request, pk):
    postmortem = selectors.postmortem_for_detail(request.user, pk)
    if postmortem is None:
        raise Http404
    return postmortem


def _transition_response(request, pk, change):
    postmortem = readable_postmortem(request, pk)
    try:
        change(postmortem)
    except services.PostmortemHasFindings as exc:
        findings = [{"location": f.location, **f.finding.as_dict()} for f in exc.findings]
        return Response({"detail": exc.message, "findings": findings}, status.HTTP_409_CONFLICT)
    except services.PostmortemNeedsConfirmation as exc:
        return Response(
            {"detail": exc.message, "unresolved_count": exc.unresolved_count},
            status.HTTP_409_CONFLICT,
        )
    except services.PostmortemTransitionError as exc:
        return Response({"detail": exc.message}, status.HTTP_409_CONFLICT)
    return Response(PostmortemDetailSerializer(_detail(request, pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Postmortems you may read, newest first (cursor pages)"),
    retrieve=extend_schema(summary="A postmortem with its timeline, factors, themes and actions"),
)
class PostmortemViewSet(
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PostmortemListSerializer
    filterset_class = PostmortemFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.visible_postmortems(self.request.user).select_related("team")

    @extend_schema(responses=PostmortemDetailSerializer)
    def retrieve(self, request, pk=None):
        return Response(PostmortemDetailSerializer(_detail(request, pk)).data)

    @extend_schema(
        summary="Create a draft",
        request=PostmortemWriteSerializer,
        responses={201: PostmortemDetailSerializer},
    )
    def create(self, request):
        serializer = PostmortemWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        postmortem = services.postmortem_create(data=data, by=request.user)
        return Response(
            PostmortemDetailSerializer(_detail(request, postmortem.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Change fields; send the version you read (stale → 409)",
        request=PostmortemWriteSerializer,
        responses={
            200: PostmortemDetailSerializer,
            409: OpenApiResponse(
                PostmortemConflictSerializer, description="Someone saved a newer version."
            ),
        },
    )
    def partial_update(self, request, pk=None):
        postmortem = editable_postmortem(request, pk)
        serializer = PostmortemWriteSerializer(postmortem, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        if expected is None:
            raise ValidationError({"version": [_("Send the version you read.")]})
        try:
            services.postmortem_update(
                postmortem=postmortem, data=data, by=request.user, expected_version=expected
            )
        except services.PostmortemVersionConflict as conflict:
            current = conflict.current
            return Response(
                {
                    "detail": _("Someone saved version %(version)s in the meantime.")
                    % {"version": current.version},
                    "current_version": current.version,
                    "current": PostmortemListSerializer(current).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(PostmortemDetailSerializer(_detail(request, pk)).data)

    @extend_schema(
        summary="Send a draft for review",
        request=None,
        responses={200: PostmortemDetailSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return _transition_response(
            request,
            pk,
            lambda pm: (
                _check(permissions.can_edit_postmortem(request.user, pm))
                or services.postmortem_submit_for_review(postmortem=pm, by=request.user)
            ),
        )

    @extend_schema(
        summary="Publish (reviewers and team managers)",
        request=PublishSerializer,
        responses={200: PostmortemDetailSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        serializer = PublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        confirm = serializer.validated_data["confirm_unresolved"]
        return _transition_response(
            request,
            pk,
            lambda pm: (
                _check(permissions.can_publish_postmortem(request.user, pm))
                or services.postmortem_publish(
                    postmortem=pm, by=request.user, confirm_unresolved=confirm
                )
            ),
        )

    @extend_schema(
        summary="Mark that no write-up is needed (reviewers and team managers)",
        request=NotRequiredSerializer,
        responses={200: PostmortemDetailSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"], url_path="not-required")
    def not_required(self, request, pk=None):
        serializer = NotRequiredSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        return _transition_response(
            request,
            pk,
            lambda pm: (
                _check(permissions.can_publish_postmortem(request.user, pm))
                or services.postmortem_mark_not_required(
                    postmortem=pm, by=request.user, reason=reason
                )
            ),
        )

    @extend_schema(
        summary="Back to draft",
        request=None,
        responses={200: PostmortemDetailSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return _transition_response(
            request,
            pk,
            lambda pm: (
                _check(permissions.can_edit_postmortem(request.user, pm))
                or services.postmortem_reopen(postmortem=pm, by=request.user)
            ),
        )

    @extend_schema(
        summary="The postmortem as Markdown",
        responses={(200, "text/markdown"): OpenApiTypes.STR},
    )
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        postmortem = _detail(request, pk)
        return HttpResponse(
            postmortem_markdown(postmortem), content_type="text/markdown; charset=utf-8"
        )


def _check(allowed):
    """403 before the service is asked (it would refuse too, as a status conflict)."""
    if not allowed:
        raise PermissionDenied
