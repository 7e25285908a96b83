"""``/api/v1/postmortems/<pk>/timeline-events/`` and ``…/factors/``: the same services as
the inline editors on the postmortem page."""

from types import SimpleNamespace

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from postmortems import selectors, services

from ..serializers.postmortems import (
    FactorSerializer,
    TimelineEventBulkSerializer,
    TimelineEventSerializer,
)
from .common import editable_postmortem, readable_postmortem


class TimelineEventList(APIView):
    @extend_schema(responses=TimelineEventSerializer(many=True), summary="The timeline")
    def get(self, request, pk):
        postmortem = readable_postmortem(request, pk)
        events = selectors.postmortem_timeline(postmortem)
        return Response(TimelineEventSerializer(events, many=True).data)

    @extend_schema(
        request=TimelineEventSerializer,
        responses={201: TimelineEventSerializer},
        summary="Add an event (times without an offset are read in UTC)",
    )
    def post(self, request, pk):
        postmortem = editable_postmortem(request, pk)
        serializer = TimelineEventSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        event = services.timeline_event_create(
            postmortem=postmortem,
            by=request.user,
            occurred_at=data["occurred_at"],
            kind=data.get("kind", "note"),
            text=data["text"],
            pinned=data.get("pinned", False),
        )
        return Response(TimelineEventSerializer(event).data, status=status.HTTP_201_CREATED)


class TimelineEventBulk(APIView):
    @extend_schema(
        request=TimelineEventBulkSerializer,
        responses={201: TimelineEventSerializer(many=True)},
        summary="Add several events at once (all or none)",
    )
    def post(self, request, pk):
        postmortem = editable_postmortem(request, pk)
        serializer = TimelineEventBulkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        parsed = [
            SimpleNamespace(
                occurred_at=e["occurred_at"], kind=e.get("kind", "note"), text=e["text"]
            )
            for e in serializer.validated_data["events"]
        ]
        created = services.timeline_import(postmortem=postmortem, by=request.user, events=parsed)
        return Response(
            TimelineEventSerializer(created, many=True).data, status=status.HTTP_201_CREATED
        )


class TimelineEventDetail(APIView):
    def _event(self, request, pk, event_id):
        postmortem = editable_postmortem(request, pk)
        return get_object_or_404(postmortem.timeline_events, pk=event_id)

    @extend_schema(
        request=TimelineEventSerializer, responses=TimelineEventSerializer, summary="Change"
    )
    def patch(self, request, pk, event_id):
        event = self._event(request, pk, event_id)
        serializer = TimelineEventSerializer(event, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if {"occurred_at", "kind", "text"} & set(data):
            services.timeline_event_update(
                event=event,
                by=request.user,
                occurred_at=data.get("occurred_at", event.occurred_at),
                kind=data.get("kind", event.kind),
                text=data.get("text", event.text),
            )
        if "pinned" in data:
            services.timeline_event_set_pinned(event=event, by=request.user, pinned=data["pinned"])
        return Response(TimelineEventSerializer(event).data)

    @extend_schema(responses={204: None}, summary="Delete")
    def delete(self, request, pk, event_id):
        event = self._event(request, pk, event_id)
        services.timeline_event_delete(event=event, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FactorList(APIView):
    @extend_schema(responses=FactorSerializer(many=True), summary="Contributing factors")
    def get(self, request, pk):
        postmortem = readable_postmortem(request, pk)
        return Response(FactorSerializer(selectors.postmortem_factors(postmortem), many=True).data)

    @extend_schema(request=FactorSerializer, responses={201: FactorSerializer}, summary="Add")
    def post(self, request, pk):
        postmortem = editable_postmortem(request, pk)
        serializer = FactorSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        factor = services.factor_create(
            postmortem=postmortem,
            by=request.user,
            category=data["category"],
            description=data["description"],
            themes=data.get("themes", []),
        )
        return Response(FactorSerializer(factor).data, status=status.HTTP_201_CREATED)


class FactorDetail(APIView):
    def _factor(self, request, pk, factor_id):
        postmortem = editable_postmortem(request, pk)
        return get_object_or_404(postmortem.factors.prefetch_related("themes"), pk=factor_id)

    @extend_schema(request=FactorSerializer, responses=FactorSerializer, summary="Change")
    def patch(self, request, pk, factor_id):
        factor = self._factor(request, pk, factor_id)
        serializer = FactorSerializer(factor, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        themes = data.get("themes", [theme.name for theme in factor.themes.all()])
        factor = services.factor_update(
            factor=factor,
            by=request.user,
            category=data.get("category", factor.category),
            description=data.get("description", factor.description),
            themes=themes,
        )
        return Response(FactorSerializer(factor).data)

    @extend_schema(responses={204: None}, summary="Delete (its action items stay, unlinked)")
    def delete(self, request, pk, factor_id):
        factor = self._factor(request, pk, factor_id)
        services.factor_delete(factor=factor, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
