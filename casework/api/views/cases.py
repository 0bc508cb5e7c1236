"""Cases: the list, opening a case (form 01), the case file, its timeline, readers, clocks and offers."""

from __future__ import annotations

import inspect

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import access_log
from casework.errors import PermissionDenied
from casework.models import CaseDeadline
from casework.models.deadlines import ClockState
from casework.selectors import (
    case_clocks_for,
    case_for_user,
    case_list_for_user,
    case_readers,
    case_timeline,
)
from casework.selectors.offers import case_actions_for
from casework.services import intake
from permissions import rules
from permissions.access import case_queryset_for
from workflows.states import CaseStatus

from .. import inputs
from .. import serializers as out
from ..fields import enum_field, id_field
from ._common import E400, E403_OPEN, E404, READ_ERRORS, content_access
from .writes import case_after_write, offer_url

# ---------------------------------------------------------------- cases: list, open, read


class CaseListQuery(serializers.Serializer):
    status = enum_field(CaseStatus, "CaseStatus", required=False, help_text=_("Only cases in this status."))
    open = serializers.BooleanField(required=False, default=False, help_text=_("1: only open cases."))
    commune = id_field(required=False, help_text=_("Area id of the responsible commune."))
    overdue = serializers.BooleanField(required=False, default=False, help_text=_("1: only cases with a missed clock."))


@extend_schema_view(
    get=extend_schema(
        operation_id="cases_list", tags=["cases"], summary=_("Cases you may see"),
        description=_("Newest first. The child is always masked here (initials, age, sex). A case you may see "
                      "only the status of (the 111 hotline) shows only id, code, status and opened_at."),
        parameters=[CaseListQuery], responses={200: out.CASE_LIST_ENTRY_SCHEMA, 400: E400}),
    post=extend_schema(
        operation_id="cases_open", tags=["cases"], summary=_("Report a case (form 01)"),
        description=inspect.getdoc(intake.case_open), request=inputs.CaseOpenInput,
        responses={201: out.CASE_DETAIL_SCHEMA, 400: E400, 403: E403_OPEN}),
)
class CaseListView(generics.ListAPIView):
    def get_queryset(self):
        query = CaseListQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        return case_list_for_user(
            self.request.user, status=q.get("status"), open_only=q["open"], commune_id=q.get("commune"),
            overdue=q["overdue"],
        ).prefetch_related(Prefetch(
            "deadlines", to_attr="open_clocks",
            queryset=CaseDeadline.objects.filter(met_at__isnull=True, state__in=[ClockState.RUNNING,
                                                                                  ClockState.BREACHED])
            .order_by("due_at")))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        # Which rows the user may read beyond the status: one query through the access function.
        content = set(case_queryset_for(request.user).filter(pk__in=[c.pk for c in page])
                      .values_list("pk", flat=True))
        # The entries of CASE_LIST_ENTRY_SCHEMA built directly, not field by field (issue 14).
        return self.get_paginated_response(out.case_list_entries(page, content))

    def post(self, request):
        body = inputs.CaseOpenInput(data=request.data)
        body.is_valid(raise_exception=True)
        case = intake.case_open(actor=request.user, **body.service_kwargs())
        return Response(case_after_write(request.user, case), status=status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    @extend_schema(
        operation_id="cases_retrieve", tags=["cases"], summary=_("The case file"),
        description=_("Everything on the case as you may see it, with the actions you may take now. The "
                      "child's identity is shown only to roles allowed to see it, and each such read is "
                      "recorded on the case. A user who may see only the status gets id, code, status and "
                      "opened_at."),
        parameters=[OpenApiParameter("purpose", str, description=_(
            "Why you open the file; recorded with the identity read."))],
        responses={200: out.CASE_DETAIL_SCHEMA, 404: E404})
    def get(self, request, case_id):
        access = case_for_user(request.user, case_id)
        child = None
        if access.content_visible:
            child = access_log.reveal_child(access, channel="api",
                                            purpose=request.query_params.get("purpose", "")[:500])
        return Response(out.render_case(access, child=child, offers=case_actions_for(access), url_for=offer_url))


class CaseActionsView(APIView):
    @extend_schema(operation_id="cases_actions", tags=["case actions"], summary=_("What you may do on the case now"),
                   description=_("The offer model the web page renders: every action you may take on the case or "
                                 "one of its records, enabled or with the reason it is not possible yet, where to "
                                 "send it and the allowed values of its closed lists."),
                   responses={200: out.OfferSerializer(many=True), **READ_ERRORS})
    def get(self, request, case_id):
        access = content_access(request.user, case_id)
        return Response(out.OfferSerializer(case_actions_for(access), many=True,
                                            context={"url_for": offer_url}).data)


class CaseTimelineView(APIView):
    @extend_schema(operation_id="cases_timeline", tags=["cases"], summary=_("The case timeline"),
                   description=_("Every change, oldest first. Reads of the child's identity are listed only "
                                 "for roles that audit the case."),
                   responses={200: out.CaseEventSerializer(many=True), **READ_ERRORS})
    def get(self, request, case_id):
        events = case_timeline(content_access(request.user, case_id))
        return Response(out.CaseEventSerializer(events, many=True).data)


class CaseReadersView(APIView):
    @extend_schema(operation_id="cases_readers", tags=["access"], summary=_("Who has seen this case"),
                   description=_("Every read of the child's identity and every export of the file, newest first: "
                                 "who, in which role, when, through which channel, and why. For the chairperson "
                                 "and supervisors."),
                   responses={200: out.ReaderSerializer(many=True), **READ_ERRORS})
    def get(self, request, case_id):
        access = content_access(request.user, case_id)
        if not rules.may_open_case_page(access, "readers"):
            raise PermissionDenied(_("Only the chairperson and supervisors see who read the case."))
        return Response(out.ReaderSerializer(case_readers(access), many=True).data)


class CaseClocksView(APIView):
    @extend_schema(operation_id="cases_clocks", tags=["cases"], summary=_("The case's clocks"),
                   description=_("Statutory and plan deadlines, soonest first, with warning and breach."),
                   responses={200: out.ClockSerializer(many=True), **READ_ERRORS})
    def get(self, request, case_id):
        return Response(out.ClockSerializer(case_clocks_for(content_access(request.user, case_id)), many=True).data)


