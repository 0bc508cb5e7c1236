"""Reference data (areas, bodies, terms) and the signed-in user."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.models import Area, AreaKind, Organisation, OrganisationKind, Term, TermKind
from permissions.access import assignments_of

from .. import serializers as out
from ..fields import enum_field, id_field
from ._common import E400

# ---------------------------------------------------------------- reference data, the user, tokens


class AreaQuery(serializers.Serializer):
    kind = enum_field(AreaKind, "AreaKind", required=False)
    parent = id_field(required=False, help_text=_("Only the areas directly under this one."))
    q = serializers.CharField(required=False, help_text=_("Name or code contains."))
    current = serializers.BooleanField(required=False, default=False,
                                       help_text=_("1: only units that exist today (no valid_to)."))


@extend_schema_view(get=extend_schema(operation_id="reference_areas", tags=["reference"],
                                      summary=_("Provinces, communes and villages"), parameters=[AreaQuery],
                                      responses={200: out.AreaSerializer(many=True), 400: E400}))
class AreaListView(generics.ListAPIView):
    serializer_class = out.AreaSerializer

    def get_queryset(self):
        query = AreaQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        qs = Area.objects.all()
        if q.get("kind"):
            qs = qs.filter(kind=q["kind"])
        if q.get("parent"):
            qs = qs.filter(parent_id=q["parent"])
        if q.get("q"):
            qs = qs.filter(Q(name__icontains=q["q"]) | Q(code__startswith=q["q"]))
        if q["current"]:
            qs = qs.filter(valid_to__isnull=True)
        return qs.order_by("path")


class OrganisationQuery(serializers.Serializer):
    kind = enum_field(OrganisationKind, "OrganisationKind", required=False)
    area = id_field(required=False, help_text=_("Only organisations in this area or below it."))
    q = serializers.CharField(required=False, help_text=_("Name contains."))
    active = serializers.BooleanField(required=False, default=False, help_text=_("1: only active ones."))


@extend_schema_view(get=extend_schema(operation_id="reference_organisations", tags=["reference"],
                                      summary=_("Organisations (bodies that report, act or decide)"),
                                      parameters=[OrganisationQuery],
                                      responses={200: out.OrganisationSerializer(many=True), 400: E400}))
class OrganisationListView(generics.ListAPIView):
    serializer_class = out.OrganisationSerializer

    def get_queryset(self):
        query = OrganisationQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        qs = Organisation.objects.select_related("area")
        if q.get("kind"):
            qs = qs.filter(kind=q["kind"])
        if q.get("area"):
            area = Area.objects.filter(pk=q["area"]).first()
            qs = qs.filter(area__path__startswith=area.path) if area else qs.none()
        if q.get("q"):
            qs = qs.filter(name__icontains=q["q"])
        if q["active"]:
            qs = qs.filter(active=True)
        return qs.order_by("area__path", "name")


class TermQuery(serializers.Serializer):
    kind = enum_field(TermKind, "TermKind", required=False)


@extend_schema_view(get=extend_schema(operation_id="reference_terms", tags=["reference"],
                                      summary=_("Classification terms (abuse forms, groups, measures …)"),
                                      description=_("Active terms only; the codes are what the writes accept."),
                                      parameters=[TermQuery],
                                      responses={200: out.TermSerializer(many=True), 400: E400}))
class TermListView(generics.ListAPIView):
    serializer_class = out.TermSerializer

    def get_queryset(self):
        query = TermQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        kind = query.validated_data.get("kind")
        qs = Term.objects.of(kind) if kind else Term.objects.filter(active=True)
        return qs.select_related("parent").order_by("kind", "order", "code")


class MeView(APIView):
    @extend_schema(operation_id="me", tags=["auth"], summary=_("Who you are and your roles"),
                   responses={200: out.MeSerializer})
    def get(self, request):
        user = request.user
        return Response(out.MeSerializer({
            "id": user.pk, "username": user.get_username(), "full_name": user.get_full_name(),
            "roles": assignments_of(user),
        }).data)


