"""permissions/prevention.py rule by rule, for the edges the journeys do not reach."""

import datetime as dt

import pytest

from casework.errors import NotFound
from permissions import prevention as rules
from prevention import services as S


@pytest.fixture
def entry(pworld):
    return S.registry_add(actor=pworld.officer_a, commune_id=pworld.areas["a"].pk, category="at_risk",
                          risk_kind="violence", child=S.RegistryChild(full_name="Hà Văn Tú", estimated_age=8))


def test_paths_above_an_area():
    assert rules.prefixes_of("/79/26734/") == ["/79/", "/79/26734/"]


def test_plan_access_names_the_assignment_it_acts_through(pworld, issued_plan):
    plan = issued_plan()
    officer = rules.access_plan_by_id(pworld.officer_a, plan.pk)
    assert officer.assignment().organisation == pworld.orgs["a.committee"]
    assert rules.target_report_reader(officer).user == pworld.officer_a
    chair = rules.access_plan_by_id(pworld.chair_a, plan.pk)
    assert rules.target_report_reader(chair).role.code == "chairperson"
    supervisor = rules.access_plan_by_id(pworld.supervisor_p1, plan.pk)
    assert supervisor.assignment() is None and rules.target_report_reader(supervisor) is None
    with pytest.raises(NotFound):
        rules.access_plan_by_id(pworld.officer_a, None)


def test_who_records_and_reads_activities(pworld):
    activity = S.activity_record(actor=pworld.village_a, data=S.ActivityInput(
        kind="home_visit", title="Thăm nhà", held_on=dt.date.today(), organiser_id=pworld.orgs["a_v1.village"].pk))
    assert rules.evidence_reader(pworld.officer_b, activity) is None      # records elsewhere
    assert rules.evidence_reader(pworld.supervisor_p1, activity) is None  # figures, not files
    assert rules.activity_recorder(pworld.police_a, pworld.orgs["a_v1.village"]) is None
    organisers = set(rules.organisers_for(pworld.officer_a).values_list("pk", flat=True))
    assert {pworld.orgs["a.police"].pk, pworld.orgs["a_v1.village"].pk} <= organisers
    assert pworld.orgs["b.police"].pk not in organisers
    assert set(rules.organisers_for(pworld.police_a).values_list("pk", flat=True)) == {pworld.orgs["a.police"].pk}


def test_population_is_kept_by_the_commune_and_read_by_its_bodies(pworld):
    S.population_save(actor=pworld.officer_a, commune_id=pworld.areas["a"].pk, year=2026, counts={"boys_0_5": 3})
    from prevention.models import PopulationBase

    def sees(who):
        return PopulationBase.objects.filter(rules.population_filter(pworld.users[who])).exists()

    assert sees("police_a") and sees("village_a") and sees("supervisor_p1")
    assert not sees("police_b") and not sees("supervisor_p2")
    assert rules.population_editor(pworld.chair_a, pworld.areas["a"]) is None
    assert rules.population_editor(pworld.officer_b, pworld.areas["a"]) is None


def test_registry_edges(pworld, entry):
    with pytest.raises(NotFound):
        rules.access_entry_by_id(pworld.officer_a, "abc")
    assert rules.registry_identity_reader(pworld.officer_b, entry) is None
    assert rules.registry_identity_reader(pworld.counsellor_a, entry) is None   # no registry role
    assert rules.registry_editor(pworld.officer_b, entry.commune) is None
    assert rules.watch_caps(pworld.officer_b, entry) == (frozenset(), None)
    caps, via = rules.watch_caps(pworld.officer_a, entry)
    assert caps == {"registry.edit", "watch.raise"} and via.user == pworld.officer_a
    # A village body sees the children of its own village only.
    assert not rules.registry_queryset_for(pworld.village_a).filter(pk=entry.pk).exists()
    assert rules.name_search_allowed(pworld.officer_a) is True
    assert rules.name_search_allowed(pworld.police_a) is False


def test_task_rules(pworld, issued_plan):
    plan = issued_plan(tasks=("a.police", "a.youth"))
    police, youth = plan.tasks.get(organisation=pworld.orgs["a.police"]), plan.tasks.get(
        organisation=pworld.orgs["a.youth"])
    as_police = rules.access_plan_by_id(pworld.police_a, plan.pk)
    as_officer = rules.access_plan_by_id(pworld.officer_a, plan.pk)
    assert rules.task_caps(as_police, police) == {"workplan.task_act"}
    assert rules.task_caps(as_police, youth) == frozenset()
    assert rules.task_caps(as_officer, youth) == {"workplan.task_act"}
    assert rules.task_assignment(as_police, police).organisation == pworld.orgs["a.police"]
    assert rules.task_assignment(as_officer, youth).organisation == pworld.orgs["a.committee"]
    assert rules.task_bodies(pworld.police_a) == [pworld.orgs["a.police"].pk]
