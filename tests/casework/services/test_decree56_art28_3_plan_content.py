"""Decree 56/2017 art. 27.1.h, 28.3 c–d, 28.5 and Law on Children art. 1: the plan's content and
its distribution (issue 8, items 6–7): a cost estimate for each measure, the service providers
mobilised, the decision recorded as sent to each body and the parents; form 03 item h prints
nothing when blank; "under 16" is judged on the day the report was received."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.models import CaseEvent
from casework.models import CaseEventType as E
from casework.services import lifecycle, plans
from casework.services.intake import ChildInput
from tests.casework import scenario


def planning_case(world, open_case):
    case = open_case()
    scenario.verify(world, case)
    scenario.assess_initial(world, case)
    lifecycle.case_comprehensive_start(actor=world.users["officer_a"], case_id=case.pk)
    scenario.assess_comprehensive(world, case)
    plans.case_planning_start(actor=world.users["officer_a"], case_id=case.pk)
    return case


def measure(world, **kw):
    today = timezone.localdate()
    fields = dict(kind="support_counselling", responsible_id=world.orgs["a.school"].pk, starts_on=today,
                  ends_on=today + dt.timedelta(days=10), cost=0)
    fields.update(kw)
    return plans.MeasureInput(**fields)


def save(world, case, measures):
    today = timezone.localdate()
    return plans.plan_draft_save(actor=world.users["officer_a"], case_id=case.pk, goals="Safe.", starts_on=today,
                                 ends_on=today + dt.timedelta(days=30), review_on=today + dt.timedelta(days=25),
                                 measures=measures)


def test_art_28_3_d_every_measure_has_its_cost_estimate(world, open_case):
    case = planning_case(world, open_case)
    with pytest.raises(ValidationError) as refused:
        save(world, case, [measure(world, cost=None)])
    assert "measures[0].cost" in refused.value.message_dict


def test_art_28_3_c_service_providers_mobilised(world, open_case):
    case = planning_case(world, open_case)
    provider = world.orgs["p1.social_work"]
    plan = save(world, case, [measure(world, provider_ids=[provider.pk])])
    assert list(plan.measures.get().providers.all()) == [provider]
    with pytest.raises(ValidationError):
        save(world, case, [measure(world, provider_ids=[world.orgs["c.committee"].pk])])  # another province


def test_art_28_5_the_decision_goes_to_each_body_and_the_parents(world, open_case):
    case = open_case()
    scenario.to_submitted_plan(world, case)
    plans.plan_approve(actor=world.users["chair_a"], case_id=case.pk, decision_no="05/QĐ-UBND")
    event = CaseEvent.objects.get(case=case, type=E.PLAN_APPROVED)
    assert event.data["recipients"] == sorted([world.orgs["a.police"].name, world.orgs["a.school"].name])
    assert event.data["parents_recipient"] is True


def test_under_16_is_judged_on_the_day_of_the_report(world, open_case):
    received = timezone.now() - dt.timedelta(days=30)
    sixteen_since = (timezone.localdate() - dt.timedelta(days=10)).replace(year=timezone.localdate().year - 16)
    child = ChildInput(full_name="Lâm Văn Tài", date_of_birth=sixteen_since, sex="male",
                       residence_commune_id=world.areas["a"].pk)
    case = open_case(child=child, received_at=received)
    assert case.child.date_of_birth == sixteen_since
    with pytest.raises(ValidationError):
        open_case(child=ChildInput(full_name="Lâm Văn Tài", date_of_birth=sixteen_since, sex="male"))


def test_form_03_item_h_prints_nothing_when_blank(world, open_case, client):
    from tests.web.cases import login

    case = open_case()
    scenario.verify(world, case)
    scenario.assess_initial(world, case)
    lifecycle.case_comprehensive_start(actor=world.users["officer_a"], case_id=case.pk)
    lifecycle.comprehensive_assessment_record(actor=world.users["officer_a"], case_id=case.pk, risk_level="medium",
                                              **scenario.COMPREHENSIVE)
    login(client, world.users["officer_a"])
    body = client.get(f"/cases/{case.pk}/forms/03/").content.decode()
    assert "h) Ý kiến" not in body and "Không lấy ý kiến" not in body
