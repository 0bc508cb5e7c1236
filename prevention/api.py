"""The prevention API under /api/prevention/: the same reads and actions as the pages, through
the same selectors, offer functions and services. Errors use the project's error model
(casework.api.errors): an unseen record is the same 404 as a missing one, checked before the
body is read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.errors import ConflictSerializer, ErrorSerializer, ValidationErrorSerializer
from permissions import prevention as rules

from . import measures, selectors
from . import services as S
from .models import Activity, PlanTask, WorkPlan
from .states import ActivityKind, TaskStatus, WorkPlanStatus

E400 = OpenApiResponse(ValidationErrorSerializer, description=_("Invalid input; nothing was written."))
E403 = OpenApiResponse(ErrorSerializer, description=_("You may see the record but not do this."))
E404 = OpenApiResponse(ErrorSerializer, description=_("The record does not exist or is out of your reach."))
E409 = OpenApiResponse(ConflictSerializer, description=_("Not possible in the current state, or a guard is unmet."))
WRITE_ERRORS = {400: E400, 403: E403, 404: E404, 409: E409}
TAGS = ["prevention"]


class PreventionOfferSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    allowed = serializers.BooleanField()
    reason = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    goal = serializers.DecimalField(max_digits=12, decimal_places=2)
    goal_kind = serializers.CharField()
    met = serializers.BooleanField(allow_null=True)
    percent_of_goal = serializers.IntegerField()
    detail = serializers.CharField()
    source = serializers.CharField()


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    wording = serializers.CharField()
    goal_kind = serializers.CharField()
    goal_value = serializers.DecimalField(max_digits=12, decimal_places=2)
    baseline_value = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    measurement = serializers.CharField()
    progress = ProgressSerializer(allow_null=True)


class PlanTaskSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name")
    status = serializers.ChoiceField(choices=TaskStatus.choices)

    class Meta:
        model = PlanTask
        fields = ["id", "plan", "organisation", "organisation_name", "body_label", "title", "description", "due_on",
                  "recurrence", "status", "reason", "finished_on", "version"]


class PlanListItemSerializer(serializers.ModelSerializer):
    issuing_organisation_name = serializers.CharField(source="issuing_organisation.name")
    area_name = serializers.CharField(source="area.name")
    status = serializers.ChoiceField(choices=WorkPlanStatus.choices)
    tasks_total = serializers.IntegerField()
    tasks_done = serializers.IntegerField()

    class Meta:
        model = WorkPlan
        fields = ["id", "number", "title", "year_from", "year_to", "issuing_organisation", "issuing_organisation_name",
                  "area", "area_name", "parent", "status", "issued_on", "tasks_total", "tasks_done", "version"]


class PlanDetailSerializer(serializers.Serializer):
    plan = PlanListItemSerializer()
    legal_bases = serializers.ListField(child=serializers.CharField())
    sections = serializers.ListField(child=serializers.DictField())
    targets = TargetSerializer(many=True)
    tasks = PlanTaskSerializer(many=True)
    offers = PreventionOfferSerializer(many=True)


def plan_payload(access) -> dict:
    plan = selectors.plan_detail(access)
    figures = measures.figures_for([plan])
    plan.tasks_total = len(plan.tasks.all())
    plan.tasks_done = sum(1 for t in plan.tasks.all() if t.status == TaskStatus.DONE)
    return PlanDetailSerializer({
        "plan": plan, "legal_bases": [b.citation for b in plan.legal_bases.all()],
        "sections": [{"numeral": s.numeral, "kind": s.kind, "heading": s.heading, "body": s.body}
                     for s in plan.sections.all()],
        "targets": [{**{f: getattr(t, f) for f in ("id", "code", "wording", "goal_kind", "goal_value",
                                                     "baseline_value", "measurement")},
                     "progress": figures.get(t.pk)} for t in plan.targets.all()],
        "tasks": list(plan.tasks.all()), "offers": selectors.plan_offers(access)}).data


class PlanListView(generics.ListAPIView):
    serializer_class = PlanListItemSerializer

    @extend_schema(operation_id="prevention_plans_list", tags=TAGS, summary=_("Child-work plans you may see"),
                   parameters=[OpenApiParameter("year", int, required=False)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        year = self.request.query_params.get("year", "")
        return selectors.plan_list_for_user(self.request.user, year=int(year) if year.isdigit() else None)


class PlanDetailView(APIView):
    @extend_schema(operation_id="prevention_plans_retrieve", tags=TAGS, summary=_("A plan with targets, tasks, offers"),
                   responses={200: PlanDetailSerializer, 404: E404})
    def get(self, request, plan_id):
        return Response(plan_payload(rules.access_plan_by_id(request.user, plan_id)))


class PlanActionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=["submit", "return", "sign", "issue", "amend", "close"])
    version = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    number = serializers.CharField(required=False, allow_blank=True, default="")
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class PlanActionView(APIView):
    @extend_schema(operation_id="prevention_plans_act", tags=TAGS, summary=_("Submit, sign, issue, amend or close"),
                   request=PlanActionInput, responses={200: PlanDetailSerializer, **WRITE_ERRORS})
    def post(self, request, plan_id):
        access = rules.access_plan_by_id(request.user, plan_id)   # 404 before the body is read
        body = PlanActionInput(data=request.data)
        body.is_valid(raise_exception=True)
        d, pid, user = body.validated_data, access.plan.pk, request.user
        action = d["action"]
        if action == "submit":
            S.plan_submit(actor=user, plan_id=pid, version=d.get("version"))
        elif action == "return":
            S.plan_return(actor=user, plan_id=pid, reason=d["reason"], version=d.get("version"))
        elif action == "sign":
            S.plan_sign(actor=user, plan_id=pid, version=d.get("version"))
        elif action == "issue":
            S.plan_issue(actor=user, plan_id=pid, number=d["number"], issued_on=d["issued_on"],
                         version=d.get("version"))
        elif action == "amend":
            S.plan_amend(actor=user, plan_id=pid, decided_on=d["decided_on"], number=d["number"],
                         reason=d["reason"], summary=d["summary"], version=d.get("version"))
        else:
            S.plan_close(actor=user, plan_id=pid, reason=d["reason"], version=d.get("version"))
        return Response(plan_payload(rules.access_plan_by_id(user, pid)))


class TaskListView(generics.ListAPIView):
    serializer_class = PlanTaskSerializer

    @extend_schema(operation_id="prevention_tasks_list", tags=TAGS, summary=_("Plan tasks of your bodies"))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.task_list_for_user(self.request.user, show_all=self.request.query_params.get("all") == "1")


class TaskMoveInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=["start", "complete", "not_done", "reopen"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class TaskMoveView(APIView):
    @extend_schema(operation_id="prevention_tasks_move", tags=TAGS, summary=_("Move a plan task"),
                   request=TaskMoveInput, responses={200: PlanTaskSerializer, **WRITE_ERRORS})
    def post(self, request, task_id):
        if not PlanTask.objects.filter(pk=task_id, plan__in=rules.plan_queryset_for(request.user)).exists():
            from casework.errors import NotFound

            raise NotFound
        body = TaskMoveInput(data=request.data)
        body.is_valid(raise_exception=True)
        task = S.task_move(actor=request.user, task_id=task_id, **body.validated_data)
        return Response(PlanTaskSerializer(task).data)


class ActivitySerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    children = serializers.IntegerField(source="children_total", read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "kind", "title", "held_on", "place", "commune", "village", "organiser", "plan_task",
                  "girls_0_5", "boys_0_5", "girls_6_10", "boys_6_10", "girls_11_15", "boys_11_15", "children",
                  "parents", "staff", "cost", "note"]
        read_only_fields = ["id", "commune", "village"]


class ActivityInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    title = serializers.CharField(max_length=300)
    held_on = serializers.DateField()
    organiser_id = serializers.IntegerField()
    place = serializers.CharField(required=False, allow_blank=True, default="")
    plan_task_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    counts = serializers.DictField(child=serializers.IntegerField(min_value=0), required=False, default=dict)
    parents = serializers.IntegerField(min_value=0, required=False, default=0)
    staff = serializers.IntegerField(min_value=0, required=False, default=0)
    cost = serializers.DecimalField(max_digits=14, decimal_places=0, required=False, default=0)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ActivityListView(generics.ListAPIView):
    serializer_class = ActivitySerializer

    @extend_schema(operation_id="prevention_activities_list", tags=TAGS, summary=_("Activities you may see"))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.activity_list_for_user(self.request.user)

    @extend_schema(operation_id="prevention_activities_record", tags=TAGS, summary=_("Record an activity"),
                   request=ActivityInput, responses={201: ActivitySerializer, **WRITE_ERRORS})
    def post(self, request):
        body = ActivityInput(data=request.data)
        body.is_valid(raise_exception=True)
        activity = S.activity_record(actor=request.user, data=S.ActivityInput(**body.validated_data))
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class RegistryItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    commune = serializers.IntegerField(source="commune_id")
    village = serializers.IntegerField(source="village_id", allow_null=True)
    category = serializers.CharField()
    groups = serializers.ListField(child=serializers.CharField())
    since = serializers.DateField()
    child = serializers.DictField(help_text=_("Initials, age and sex only: the identity is read on the entry."))


class RegistryListView(generics.ListAPIView):
    serializer_class = RegistryItemSerializer

    @extend_schema(operation_id="prevention_registry_list", tags=TAGS, summary=_("The registry, masked"))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.registry_list_for_user(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([RegistryItemSerializer({
            "id": e.pk, "commune_id": e.commune_id, "village_id": e.village_id, "category": e.category,
            "groups": [g.code for g in e.groups.all()], "since": e.since,
            "child": selectors.masked_entry_child(e)}).data for e in page])


class WatchRaiseInput(serializers.Serializer):
    reason = serializers.CharField()
    urgent = serializers.BooleanField(required=False, default=False)
    version = serializers.IntegerField(required=False)


class WatchRaisedSerializer(serializers.Serializer):
    watch = serializers.IntegerField()
    case = serializers.IntegerField()
    case_code = serializers.CharField()


class WatchRaiseView(APIView):
    @extend_schema(operation_id="prevention_watch_raise", tags=TAGS, summary=_("Raise a watch record to a case"),
                   request=WatchRaiseInput, responses={201: WatchRaisedSerializer, **WRITE_ERRORS})
    def post(self, request, watch_id):
        from .models import WatchRecord

        if not WatchRecord.objects.filter(pk=watch_id, entry__in=rules.registry_queryset_for(request.user)).exists():
            from casework.errors import NotFound

            raise NotFound
        body = WatchRaiseInput(data=request.data)
        body.is_valid(raise_exception=True)
        watch = S.watch_raise(actor=request.user, watch_id=watch_id, **body.validated_data)
        return Response({"watch": watch.pk, "case": watch.case_id, "case_code": watch.case.code},
                        status=status.HTTP_201_CREATED)
