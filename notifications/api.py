"""The inbox over the API: the same reads and writes as the inbox page (notifications.views),
through the same selectors and services. Errors use the project's one error model (the DRF
handler of casework/api/errors.py)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.errors import ValidationErrorSerializer

from .channels import clock_label
from .models import EmailChoice, Notification
from .selectors import FILTERS, email_choice_for_user, notice_list_for_user, unread_count_for_user
from .services import notices_mark_read, preference_set


class NoticeSerializer(serializers.ModelSerializer):
    """A notice: the case number and what happened — never anything about the child."""

    case_id = serializers.IntegerField(source="event.case_id")
    case_code = serializers.CharField(source="event.case.code")
    event_type = serializers.IntegerField(source="event.type")
    event = serializers.CharField(source="event.get_type_display")
    at = serializers.DateTimeField(source="event.at")
    clock = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "case_id", "case_code", "event_type", "event", "at", "clock", "read", "read_at"]

    def get_clock(self, note) -> str:
        data = note.event.data or {}
        return clock_label(data["clock"]) if data.get("clock") else ""

    def get_read(self, note) -> bool:
        return note.read_at is not None


@extend_schema(tags=["notifications"], parameters=[
    OpenApiParameter("unread", bool, description="Only notices not yet read."),
    OpenApiParameter("kind", str, enum=sorted(FILTERS), description="Only deadlines, or only emergencies."),
])
class NoticeList(generics.ListAPIView):
    """The signed-in user's notices, newest first."""

    serializer_class = NoticeSerializer

    def get_queryset(self):
        params = self.request.query_params
        return notice_list_for_user(self.request.user, unread=params.get("unread") in ("1", "true"),
                                    kind=params.get("kind", ""))


class CountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class UnreadCount(APIView):
    @extend_schema(tags=["notifications"], responses=CountSerializer)
    def get(self, request):
        """How many of the user's notices are unread (the number in the page header)."""
        return Response({"unread": unread_count_for_user(request.user)})


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    all = serializers.BooleanField(required=False, default=False)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()


class MarkRead(APIView):
    @extend_schema(tags=["notifications"], request=MarkReadSerializer,
                   responses={200: MarkedSerializer, 400: OpenApiResponse(ValidationErrorSerializer)})
    def post(self, request):
        """Mark some of the user's notices read (``ids``), or all of them (``all``). Ids of
        notices that are not the user's are ignored, as if they did not exist."""
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        marked = notices_mark_read(actor=request.user, ids=body.validated_data["ids"],
                                   everything=body.validated_data["all"])
        return Response({"marked": marked, "unread": unread_count_for_user(request.user)})


class PreferenceSerializer(serializers.Serializer):
    email = serializers.ChoiceField(choices=EmailChoice.choices, help_text=(
        "immediate: every notice by e-mail; urgent: only emergencies, missed deadlines and escalations "
        "(these always go)."))


class Preferences(APIView):
    @extend_schema(tags=["notifications"], responses=PreferenceSerializer)
    def get(self, request):
        """How the user hears of events outside the app."""
        return Response({"email": email_choice_for_user(request.user)})

    @extend_schema(tags=["notifications"], request=PreferenceSerializer,
                   responses={200: PreferenceSerializer, 400: OpenApiResponse(ValidationErrorSerializer)})
    def post(self, request):
        """Choose how the user hears of events by e-mail."""
        body = PreferenceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response({"email": preference_set(actor=request.user, email=body.validated_data["email"]).email})


urlpatterns = [
    path("", NoticeList.as_view(), name="notifications"),
    path("unread-count/", UnreadCount.as_view(), name="notifications-unread-count"),
    path("read/", MarkRead.as_view(), name="notifications-read"),
    path("preferences/", Preferences.as_view(), name="notifications-preferences"),
]
