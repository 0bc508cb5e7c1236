"""The prevention-level registry: access and masking like cases, every identity read logged, and
a watch record raised to a case in one audited step."""

import datetime as dt

import pytest

from casework.errors import Conflict, NotFound, PermissionDenied, ValidationError
from casework.models import Case, CaseEvent, CaseEventType, Child
from permissions import prevention as rules
from prevention import services as S
from prevention.models import PreventionEvent, RegistryEntry
from prevention.models import PreventionEventType as E
from prevention.selectors import entry_identity, registry_list_for_user, watch_offers
from prevention.states import WatchStatus

NAME = "Lò Thị Mai"


@pytest.fixture
def entry(pworld):
    return S.registry_add(
        actor=pworld.officer_a, commune_id=pworld.areas["a"].pk, village_id=pworld.areas["a_v1"].pk,
        category="special", groups=["c", "c1"], child=S.RegistryChild(
            full_name=NAME, date_of_birth=dt.date(2015, 4, 2), sex="female", address="Tổ 3, khu phố 1",
            parents="Mẹ: Lò Thị Hoa"))


# Who sees the entry, and who knows who the child is — written out, not computed.
SEES = {"officer_a", "chair_a", "village_a", "supervisor_p1"}
KNOWS = {"officer_a", "chair_a"}


def test_registry_access_and_masking_matrix(pworld, entry):
    for who, user in pworld.users.items():
        visible = registry_list_for_user(user).filter(pk=entry.pk).exists()
        assert visible == (who in SEES), who
        if not visible:
            with pytest.raises(NotFound):
                rules.access_entry_by_id(user, entry.pk)
            continue
        shown = entry_identity(user, rules.access_entry_by_id(user, entry.pk))
        assert (shown["masked"] is False) == (who in KNOWS), who
        if who not in KNOWS:
            assert NAME not in str(shown) and shown["initials"] == "LTM"
    # Every full read is on the record, and only those.
    readers = set(PreventionEvent.objects.filter(type=E.IDENTITY_VIEWED, subject=f"entry:{entry.pk}")
                  .values_list("actor__username", flat=True))
    assert readers == KNOWS


def test_only_the_commune_keeps_its_registry(pworld, entry):
    with pytest.raises(PermissionDenied):
        S.registry_add(actor=pworld.officer_b, commune_id=pworld.areas["a"].pk, category="at_risk",
                       child=S.RegistryChild(full_name="X", estimated_age=5))
    with pytest.raises(PermissionDenied):
        S.support_record(actor=pworld.chair_a, entry_id=entry.pk, kind="gift", given_on=dt.date.today(),
                         provider="Hội Phụ nữ")
    with pytest.raises(NotFound):
        S.support_record(actor=pworld.officer_b, entry_id=entry.pk, kind="gift", given_on=dt.date.today(),
                         provider="x")
    with pytest.raises(ValidationError) as exc:
        S.registry_add(actor=pworld.officer_a, commune_id=pworld.areas["a"].pk, category="special",
                       village_id=pworld.areas["b_v1"].pk, groups=["zz"], risk_kind="zz",
                       child=S.RegistryChild(full_name="", date_of_birth=dt.date(2001, 1, 1), sex="?"))
    assert {"child.full_name", "child.date_of_birth", "child.sex", "village_id", "groups", "risk_kind"} <= set(
        exc.value.message_dict)


def test_names_are_searched_only_by_who_sees_identities(pworld, entry):
    assert registry_list_for_user(pworld.officer_a, q="lo thi mai").count() == 1
    # A supervisor's search by name finds nothing (the filter is not applied; masked rows only).
    assert rules.name_search_allowed(pworld.supervisor_p1) is False
    assert registry_list_for_user(pworld.village_a, q="Mai").count() == 1   # unfiltered, still masked


def test_a_watch_record_is_raised_to_a_case_in_one_step(pworld, entry):
    u = pworld.users
    watch = S.watch_open(actor=u["officer_a"], entry_id=entry.pk, concern="Mẹ đi làm xa, trẻ ở một mình",
                         visit_plan="Thăm nhà hằng tuần", follow_up_by_id=pworld.orgs["a_v1.village"].pk)
    assert [o.action for o in watch_offers(u["officer_a"], watch)] == ["raise", "close"]
    assert watch_offers(u["village_a"], watch) == []
    with pytest.raises(PermissionDenied):
        S.watch_raise(actor=u["village_a"], watch_id=watch.pk, reason="x")
    with pytest.raises(ValidationError):
        S.watch_raise(actor=u["officer_a"], watch_id=watch.pk, reason="")
    children_before = Child.objects.count()
    watch = S.watch_raise(actor=u["officer_a"], watch_id=watch.pk, reason="Trẻ có dấu hiệu bị bỏ mặc")
    case = watch.case
    assert watch.status == WatchStatus.RAISED and case.level == "support"
    assert case.intake.classification == "special" and case.commune == pworld.areas["a"]
    # One person across levels: the registry follows the case's child, no duplicate left behind.
    assert Child.objects.count() == children_before
    assert RegistryEntry.objects.get(pk=entry.pk).child_id == case.child_id
    assert set(case.special_groups.values_list("code", flat=True)) == {"c", "c1"}
    timeline = list(CaseEvent.objects.filter(case=case).values_list("type", flat=True))
    assert timeline == [CaseEventType.CASE_OPENED, CaseEventType.WATCH_RAISED]
    raised = CaseEvent.objects.get(case=case, type=CaseEventType.WATCH_RAISED)
    assert raised.data["watch"] == watch.pk and raised.reason == "Trẻ có dấu hiệu bị bỏ mặc"
    assert raised.from_state == "prevention" and raised.actor_role == "commune_officer"
    assert PreventionEvent.objects.filter(type=E.WATCH_RAISED, subject=f"watch:{watch.pk}").count() == 1
    with pytest.raises(Conflict):
        S.watch_raise(actor=u["officer_a"], watch_id=watch.pk, reason="again")


def test_a_child_with_a_case_keeps_one_record_when_raised(pworld, open_case, entry):
    u = pworld.users
    case = open_case("officer_a")
    RegistryEntry.objects.filter(pk=entry.pk).update(child=case.child)
    watch = S.watch_open(actor=u["officer_a"], entry_id=entry.pk, concern="Nguy cơ tái diễn",
                         follow_up_by_id=pworld.orgs["a.police"].pk)
    raised = S.watch_raise(actor=u["officer_a"], watch_id=watch.pk, reason="Nguy cơ cao")
    assert raised.case.child_id == case.child_id and Case.objects.count() == 2


def test_watch_close_and_validation(pworld, entry):
    u = pworld.users
    with pytest.raises(ValidationError):
        S.watch_open(actor=u["officer_a"], entry_id=entry.pk, concern="", follow_up_by_id=pworld.orgs["b.police"].pk)
    with pytest.raises(PermissionDenied):
        S.watch_open(actor=u["chair_a"], entry_id=entry.pk, concern="x", follow_up_by_id=pworld.orgs["a.police"].pk)
    watch = S.watch_open(actor=u["officer_a"], entry_id=entry.pk, concern="x",
                         follow_up_by_id=pworld.orgs["a.police"].pk)
    with pytest.raises(PermissionDenied):
        S.watch_close(actor=u["chair_a"], watch_id=watch.pk, reason="")
    with pytest.raises(PermissionDenied):
        S.watch_close(actor=u["chair_a"], watch_id=watch.pk, reason="ổn")
    with pytest.raises(ValidationError):
        S.watch_close(actor=u["officer_a"], watch_id=watch.pk, reason="")
    with pytest.raises(NotFound):
        S.watch_close(actor=u["officer_b"], watch_id=watch.pk, reason="x")
    S.watch_close(actor=u["officer_a"], watch_id=watch.pk, reason="Gia đình đã ổn định", version=watch.version)
    with pytest.raises(Conflict):
        S.watch_raise(actor=u["officer_a"], watch_id=watch.pk, reason="x")
