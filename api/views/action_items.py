"""``/api/v1/action-items/``: the dashboard's list and filters, create, change, status
workflow — through the web's selectors, permissions and services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from actions import selectors, services
from postmortems import permissions
from postmortems.selectors import visible_postmortems

from ..filters import ActionItemFilter
from ..serializers.actions import (
    ActionItemSerializer,
    ActionItemTransitionSerializer,
    ActionItemWriteSerializer,
)
from ..serializers.postmortems import TransitionErrorSerializer
from .common import editable_action_item, readable_action_item


@extend_schema_view(list=extend_schema(summary="Action items you may see, newest first"))
class ActionItemViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.visible_action_items(self.request.user).select_related("assignee")

    @extend_schema(responses=ActionItemSerializer, summary="One action item")
    def retrieve(self, request, pk=None):
        return Response(ActionItemSerializer(readable_action_item(request, pk)).data)

    @extend_schema(
        request=ActionItemWriteSerializer,
        responses={201: ActionItemSerializer},
        summary="Create (on a postmortem you may edit); owner team defaults to its team",
    )
    def create(self, request):
        serializer = ActionItemWriteSerializer(
            data=request.data, visible_postmortems=visible_postmortems(request.user)
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        postmortem = data.pop("postmortem", None)
        if postmortem is None:
            raise ValidationError({"postmortem": [_("This field is required.")]})
        if not permissions.can_edit_postmortem(request.user, postmortem):
            raise PermissionDenied
        if "title" not in data:
            raise ValidationError({"title": [_("This field is required.")]})
        data.setdefault("team", postmortem.team)
        data["tracker_url"] = data.get("tracker_url") or ""
        data["notes"] = data.get("notes") or ""
        item = services.action_item_create(postmortem=postmortem, by=request.user, **data)
        return Response(ActionItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ActionItemWriteSerializer, responses=ActionItemSerializer, summary="Change fields"
    )
    def partial_update(self, request, pk=None):
        item = editable_action_item(request, pk)
        serializer = ActionItemWriteSerializer(
            item,
            data=request.data,
            partial=True,
            visible_postmortems=visible_postmortems(request.user),
        )
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if changes.pop("postmortem", item.postmortem) != item.postmortem:
            raise ValidationError({"postmortem": [_("An item cannot move to another postmortem.")]})
        for name in ("tracker_url", "notes"):
            if name in changes and changes[name] is None:
                changes[name] = ""
        services.action_item_update(item=item, by=request.user, **changes)
        return Response(ActionItemSerializer(readable_action_item(request, pk)).data)

    @extend_schema(
        request=ActionItemTransitionSerializer,
        responses={
            200: ActionItemSerializer,
            409: OpenApiResponse(TransitionErrorSerializer, description="Not from this status."),
        },
        summary="Change the status: start, block, complete, wont_do (with reason), reopen",
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        item = editable_action_item(request, pk)
        serializer = ActionItemTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.action_item_transition(item=item, by=request.user, **serializer.validated_data)
        except services.TransitionError as exc:
            return Response({"detail": " ".join(exc.messages)}, status.HTTP_409_CONFLICT)
        except DjangoValidationError:
            raise
        return Response(ActionItemSerializer(item).data)
