"""Issue 12, item 3: ranked suggestions of possibly-same children, Vietnamese-name aware, only
among children the user may identify (each shown logged), and a merge that can be undone."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from casework.errors import Conflict, NotFound, PermissionDenied, ValidationError
from casework.models import CaseEvent, CaseEventType, Child
from prevention import services as P
from prevention.cast import extend_world
from prevention.models import PreventionEvent, PreventionEventType, RegistryEntry
from triage.duplicates import intake_suggestions, person_of, suggestions_for
from triage.matching import Person, compare, rank, tokens
from triage.models import ChildIdentifier, ChildMerge
from triage.namegen import VARIANTS, evaluate, probes, registry
from triage.services import child_merge, child_merge_undo

T = CaseEventType


# ---------------------------------------------------------------- the comparison, pure

def codes(a, b):
    return {c for c, _ in compare(a, b).reasons}


def test_abbreviations_diacritics_and_order_are_understood():
    assert tokens("Ng. Th. Lan") == ["nguyen", "thi", "lan"]
    known = Person("Nguyễn Thị Lan", date_of_birth=dt.date(2015, 4, 2), sex="female")
    assert "name_abbreviation" in codes(Person("Ng. Th. Lan"), known)
    assert "name_same_without_diacritics" in codes(Person("Nguyen Thi Lan"), known)
    assert "name_reordered" in codes(Person("Lan Nguyen Thi"), known)
    assert "name_spelling" in codes(Person("Nguyen Thi Lanh"), known) or compare(Person("Nguyen Thi Lanh"), known).score
    assert compare(Person("Nguyễn Thị Lan", date_of_birth=dt.date(2015, 4, 2), sex="female"), known).score > 0.85


def test_another_given_name_sex_or_identification_number_says_another_child():
    known = Person("Nguyễn Thị Lan", date_of_birth=dt.date(2015, 4, 2), sex="female", personal_id="079315000123")
    assert compare(Person("Nguyễn Thị Hoa", date_of_birth=dt.date(2015, 4, 2)), known).score < 0.55
    assert "sex_differs" in codes(Person("Nguyễn Thị Lan", sex="male"), known)
    assert compare(Person("Ng Lan", personal_id="079315000123"), known).reasons == [("personal_id_same", 1.0)]
    assert compare(Person("Nguyễn Thị Lan", personal_id="079315999999"), known).score == 0.0


def test_the_right_child_ranks_first_on_the_generated_set_of_name_variants():
    """The benchmark's set (bench/duplicates.py), smaller: every kind of variant of form 01."""
    people = registry(seed=7, size=600)
    result = evaluate(people, probes(people, seed=7, per_variant=15, new_children=30))
    for variant in ("no_diacritics", "reordered", "abbreviated"):
        row = result["variants"][variant]
        assert row["first"] == row["probes"], variant
    assert result["first"] >= 0.97 and result["recall"] >= 0.97
    assert result["precision"] >= 0.6
    assert set(result["variants"]) == {*VARIANTS, "new_child"}


def test_ranking_is_best_first_and_bounded():
    people = [Person("Nguyễn Văn An", date_of_birth=dt.date(2016, 3, 4), ref=1),
              Person("Nguyễn Văn Ân", date_of_birth=dt.date(2012, 3, 4), ref=2),
              Person("Trần Thị Bích", date_of_birth=dt.date(2016, 3, 4), ref=3)]
    found = rank(Person("An Nguyen Van", date_of_birth=dt.date(2016, 3, 4)), people)
    assert [m.candidate.ref for m in found] == [1]


# ---------------------------------------------------------------- with the database

@pytest.fixture
def pworld(world, settings, tmp_path):
    settings.PREVENTION_EVIDENCE_DIR = tmp_path / "evidence"
    return extend_world(world)


def registry_child(pworld, name="Lò Thị Mai", dob=dt.date(2015, 4, 2)):
    return P.registry_add(actor=pworld.users["officer_a"], commune_id=pworld.areas["a"].pk, category="special",
                          groups=["c"], child=P.RegistryChild(full_name=name, date_of_birth=dob, sex="female",
                                                              parents="Lò Văn Páo"))


@pytest.mark.django_db
def test_suggestions_show_only_children_the_user_may_identify_and_log_each_read(pworld, open_case):
    known = open_case()                             # Nguyễn Văn An, 2016-03-04, commune A
    officer, other = pworld.users["officer_a"], pworld.users["officer_b"]
    before = CaseEvent.objects.filter(type=T.IDENTITY_VIEWED).count()
    shown = intake_suggestions(officer, full_name="Ng. V. An", date_of_birth=dt.date(2016, 3, 4), sex="male")
    assert [c.pk for c in shown] == [known.child_id]
    assert "Abbreviated name (Ng. = Nguyễn, Th. = Thị …)" in shown[0].match_reasons
    assert CaseEvent.objects.filter(type=T.IDENTITY_VIEWED).count() == before + 1
    read = CaseEvent.objects.filter(type=T.IDENTITY_VIEWED).latest("pk")
    assert read.case_id == known.pk and read.actor == officer and read.data["channel"] == "duplicate_check"
    # Commune B's officer does not see commune A's child: no suggestion, no read.
    assert intake_suggestions(other, full_name="Nguyen Van An", date_of_birth=dt.date(2016, 3, 4)) == []
    # A registry child (no case) is suggested on the registry side, its read on the registry log.
    entry = registry_child(pworld)
    matches = suggestions_for(officer, Person("Lo Thi Mai", estimated_age=11))
    assert [m.candidate.ref.pk for m in matches] == [entry.child_id]
    assert intake_suggestions(officer, full_name="Lo Thi Mai", estimated_age=11) == []  # intake picks cases only


@pytest.mark.django_db
def test_merge_moves_the_records_keeps_both_children_and_undo_puts_them_back(pworld, open_case, client):
    officer = pworld.users["officer_a"]
    first = open_case()
    second = open_case()
    entry = registry_child(pworld, name="Nguyễn Văn An", dob=dt.date(2016, 3, 4))
    kept, merged = first.child, second.child
    ChildIdentifier.objects.create(child=kept, number="079316000001")
    RegistryEntry.objects.filter(pk=entry.pk).update(child=merged)

    client.force_login(officer)
    page = client.get(f"/triage/children/{kept.pk}/duplicates/")
    assert page.status_code == 200 and f'data-child="{merged.pk}"' in page.content.decode()
    answer = client.post(f"/triage/children/{kept.pk}/duplicates/",
                         {"merged_id": merged.pk, "reason": "Cùng một trẻ: cùng cha mẹ, cùng ngày sinh",
                          "reasons": ["name_same", "dob_same"]})
    assert answer.status_code == 302, answer.content.decode()[-3000:]
    merge = ChildMerge.objects.get()
    second.refresh_from_db()
    assert second.child_id == kept.pk and merge.moved_cases == [second.pk] and merge.moved_entries == [entry.pk]
    assert RegistryEntry.objects.get(pk=entry.pk).child_id == kept.pk
    assert Child.objects.filter(pk=merged.pk, full_name="Nguyễn Văn An").exists()   # both records kept
    assert CaseEvent.objects.filter(type=T.CHILD_MERGED, case__in=[first, second]).count() == 2
    moved = CaseEvent.objects.get(type=T.CHILD_MERGED, case=second)
    assert moved.changes == {"child": [merged.pk, kept.pk]}
    # A merged-away record is no longer suggested, and cannot be merged twice.
    assert merged.pk not in [m.candidate.ref.pk for m in suggestions_for(officer, person_of(kept))]
    with pytest.raises(Conflict):
        child_merge(actor=officer, kept_id=kept.pk, merged_id=merged.pk, reason="again")

    answer = client.post(f"/triage/merges/{merge.pk}/undo/", {"reason": "Hai trẻ sinh đôi"})
    assert answer.status_code == 302
    second.refresh_from_db()
    merge.refresh_from_db()
    assert second.child_id == merged.pk and not merge.active
    assert RegistryEntry.objects.get(pk=entry.pk).child_id == merged.pk
    assert CaseEvent.objects.filter(type=T.CHILD_MERGE_UNDONE).count() == 2
    with pytest.raises(Conflict):
        child_merge_undo(actor=officer, merge_id=merge.pk, reason="again")


@pytest.mark.django_db
def test_merge_is_refused_outside_ones_records(pworld, open_case):
    first, second = open_case(), open_case()
    with pytest.raises(NotFound):
        child_merge(actor=pworld.users["officer_b"], kept_id=first.child_id, merged_id=second.child_id, reason="x")
    with pytest.raises(PermissionDenied):   # the chairperson sees both but does not triage
        child_merge(actor=pworld.users["chair_a"], kept_id=first.child_id, merged_id=second.child_id, reason="x")
    with pytest.raises(ValidationError):
        child_merge(actor=pworld.users["officer_a"], kept_id=first.child_id, merged_id=first.child_id, reason="x")
    with pytest.raises(ValidationError):
        child_merge(actor=pworld.users["officer_a"], kept_id=first.child_id, merged_id=second.child_id, reason=" ")
    # A registry child whose commune the user does not keep.
    entry = registry_child(pworld)
    with pytest.raises(PermissionDenied):
        child_merge(actor=pworld.users["chair_a"], kept_id=entry.child_id, merged_id=first.child_id, reason="x")
    assert not ChildMerge.objects.exists()


@pytest.mark.django_db
def test_the_api_suggests_merges_and_undoes(pworld, open_case):
    first, second = open_case(), open_case()
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(pworld.users["officer_a"])
    body = api.get(f"/api/triage/children/{first.child_id}/duplicates/").json()
    assert body[0]["id"] == second.child_id and {r["code"] for r in body[0]["reasons"]} >= {"name_same", "dob_same"}
    made = api.post("/api/triage/merges/", {"kept_id": first.child_id, "merged_id": second.child_id,
                                            "reason": "Same child"}, format="json")
    assert made.status_code == 201, made.content
    undone = api.post(f"/api/triage/merges/{made.json()['id']}/undo/", {"reason": "Twins"}, format="json")
    assert undone.status_code == 200 and undone.json()["undone_at"]
    outsider = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    outsider.force_authenticate(pworld.users["officer_b"])
    assert outsider.get(f"/api/triage/children/{first.child_id}/duplicates/").status_code == 404
    assert outsider.post(f"/api/triage/merges/{made.json()['id']}/undo/", {}, format="json").status_code == 404
    assert PreventionEvent.objects.filter(type=PreventionEventType.IDENTITY_VIEWED).count() == 0


@pytest.mark.django_db
def test_merge_rule_branches(pworld, open_case):
    from casework.selectors import case_for_user
    from permissions.merge import merge_refusal

    officer, chair = pworld.users["officer_a"], pworld.users["chair_a"]
    assert "no record" in merge_refusal(officer, accesses=[], entry_communes=[])
    case = open_case()
    assert "every case" in merge_refusal(chair, accesses=[case_for_user(chair, case.pk)], entry_communes=[])
    assert "registry" in merge_refusal(officer, accesses=[], entry_communes=[pworld.areas["b"]])
    assert merge_refusal(officer, accesses=[case_for_user(officer, case.pk)],
                         entry_communes=[pworld.areas["a"]]) == ""
