"""Statutory limits and local overrides."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from casework.models.areas import Area
from workflows.models import DeadlinePolicy
from workflows.policy import STATUTORY, DeadlineKind, Unit, default_limit, limit_for


@pytest.fixture
def areas(db):
    province = Area.objects.create(code="01", name="Thành phố Hà Nội", kind="province")
    commune = Area.objects.create(code="00004", name="Phường Ba Đình", kind="commune", parent=province)
    other = Area.objects.create(code="00008", name="Phường Ngọc Hà", kind="commune", parent=province)
    village = Area.objects.create(code="00004-07", name="Tổ dân phố 7", kind="village", parent=commune)
    return {"province": province, "commune": commune, "other": other, "village": village}


def test_statutory_table():
    assert STATUTORY[DeadlineKind.EMERGENCY_MEASURES].value == 12
    assert STATUTORY[DeadlineKind.EMERGENCY_MEASURES].unit == Unit.CLOCK_HOURS
    assert STATUTORY[DeadlineKind.ISOLATION_ORDER].unit == Unit.CLOCK_HOURS
    assert (
        STATUTORY[DeadlineKind.ISOLATION_DURATION].value,
        STATUTORY[DeadlineKind.ISOLATION_DURATION].unit,
    ) == (
        15,
        Unit.CALENDAR_DAYS,
    )
    assert (STATUTORY[DeadlineKind.PLAN_DRAFT].value, STATUTORY[DeadlineKind.PLAN_DRAFT].unit) == (
        5,
        Unit.WORKING_DAYS,
    )
    assert (STATUTORY[DeadlineKind.PLAN_APPROVAL].value, STATUTORY[DeadlineKind.PLAN_APPROVAL].unit) == (
        2,
        Unit.WORKING_DAYS,
    )
    assert STATUTORY[DeadlineKind.VERIFICATION].ceiling is None
    assert set(STATUTORY) == set(DeadlineKind)


@pytest.mark.django_db
def test_default_when_no_policy(areas, django_assert_num_queries):
    with django_assert_num_queries(1):
        limit = limit_for(DeadlineKind.PLAN_DRAFT, areas["village"])
    assert (limit.value, limit.unit, limit.warn_before, limit.source_area) == (5, Unit.WORKING_DAYS, 1, None)
    assert limit == default_limit("plan_draft")


def test_no_area_means_statutory_default_without_a_query():
    # No django_db mark: any query would raise.
    limit = limit_for("emergency_measures", None)
    assert (limit.value, limit.unit, limit.warn_before) == (12, Unit.CLOCK_HOURS, 2)


@pytest.mark.django_db
def test_commune_policy_beats_province_policy(areas, django_assert_num_queries):
    DeadlinePolicy.objects.create(kind=DeadlineKind.PLAN_DRAFT, area=areas["province"], value=4)
    DeadlinePolicy.objects.create(kind=DeadlineKind.PLAN_DRAFT, area=areas["commune"], value=3, warn_before=2)
    DeadlinePolicy.objects.create(kind=DeadlineKind.PLAN_APPROVAL, area=areas["commune"], value=1)

    with django_assert_num_queries(1):
        in_village = limit_for(DeadlineKind.PLAN_DRAFT, areas["village"])
    assert (in_village.value, in_village.warn_before, in_village.source_area) == (3, 2, areas["commune"])
    assert limit_for(DeadlineKind.PLAN_DRAFT, areas["commune"]).source_area == areas["commune"]

    in_other = limit_for(DeadlineKind.PLAN_DRAFT, areas["other"])
    assert (in_other.value, in_other.warn_before, in_other.source_area) == (4, 1, areas["province"])
    assert limit_for(DeadlineKind.PLAN_DRAFT, areas["province"]).value == 4
    # Other kinds are untouched, and warn_before never exceeds the value.
    assert limit_for(DeadlineKind.EMERGENCY_MEASURES, areas["village"]).value == 12
    approval = limit_for(DeadlineKind.PLAN_APPROVAL, areas["village"])
    assert (approval.value, approval.warn_before) == (1, 1)


@pytest.mark.django_db
def test_value_above_ceiling_is_rejected_by_clean(areas):
    policy = DeadlinePolicy(kind=DeadlineKind.EMERGENCY_MEASURES, area=areas["province"], value=24)
    with pytest.raises(ValidationError) as exc:
        policy.full_clean()
    assert "value" in exc.value.message_dict
    with translation.override("en"):
        policy2 = DeadlinePolicy(kind=DeadlineKind.PLAN_DRAFT, area=areas["province"], value=6)
        with pytest.raises(ValidationError) as exc:
            policy2.full_clean()
        message = exc.value.message_dict["value"][0]
    assert "5 working days" in message and "art. 28.1" in message

    DeadlinePolicy(kind=DeadlineKind.EMERGENCY_MEASURES, area=areas["province"], value=12).full_clean()
    DeadlinePolicy(kind=DeadlineKind.EMERGENCY_MEASURES, area=areas["province"], value=8).full_clean()


@pytest.mark.django_db
def test_zero_and_warning_beyond_the_start_are_rejected(areas):
    with pytest.raises(ValidationError) as exc:
        DeadlinePolicy(kind=DeadlineKind.PLAN_DRAFT, area=areas["province"], value=0).full_clean()
    assert "value" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        DeadlinePolicy(
            kind=DeadlineKind.PLAN_DRAFT, area=areas["province"], value=3, warn_before=4
        ).full_clean()
    assert "warn_before" in exc.value.message_dict


@pytest.mark.django_db
def test_local_rule_without_ceiling_accepts_any_value(areas):
    DeadlinePolicy(kind=DeadlineKind.VERIFICATION, area=areas["province"], value=30).full_clean()
    DeadlinePolicy.objects.create(kind=DeadlineKind.VERIFICATION, area=areas["province"], value=30)
    limit = limit_for(DeadlineKind.VERIFICATION, areas["village"])
    assert (limit.value, limit.capped) == (30, False)


@pytest.mark.django_db
def test_value_above_ceiling_saved_anyway_is_capped_by_limit_for(areas):
    # Bypassing clean() (bulk import, shell): the engine still never exceeds the law.
    DeadlinePolicy.objects.create(
        kind=DeadlineKind.ISOLATION_ORDER, area=areas["commune"], value=48, warn_before=6
    )
    DeadlinePolicy.objects.create(kind=DeadlineKind.ISOLATION_DURATION, area=areas["province"], value=30)
    order = limit_for(DeadlineKind.ISOLATION_ORDER, areas["village"])
    assert (order.value, order.unit, order.warn_before, order.capped) == (12, Unit.CLOCK_HOURS, 6, True)
    assert order.source_area == areas["commune"]
    duration = limit_for(DeadlineKind.ISOLATION_DURATION, areas["other"])
    assert (duration.value, duration.unit, duration.capped) == (15, Unit.CALENDAR_DAYS, True)


@pytest.mark.django_db
def test_one_policy_per_kind_and_area(areas):
    DeadlinePolicy.objects.create(kind=DeadlineKind.PLAN_DRAFT, area=areas["province"], value=4)
    with pytest.raises(ValidationError):
        DeadlinePolicy(kind=DeadlineKind.PLAN_DRAFT, area=areas["province"], value=3).full_clean()


@pytest.mark.django_db
def test_unit_and_ceiling_come_from_the_kind(areas):
    policy = DeadlinePolicy(kind=DeadlineKind.PLAN_APPROVAL, area=areas["province"], value=1)
    assert policy.unit == Unit.WORKING_DAYS
    assert policy.ceiling == 2
    assert DeadlinePolicy(kind=DeadlineKind.VERIFICATION, area=areas["province"], value=1).ceiling is None
