"""The demo of the prevention level loads through the services, on both databases."""

from prevention.demo import load_prevention_demo
from prevention.measures import figures_for
from prevention.models import Activity, RegistryEntry, WatchRecord, WorkPlan
from prevention.states import WorkPlanStatus


def test_demo_loads_the_seed_plans_once(pworld):
    assert load_prevention_demo(pworld) is True
    assert load_prevention_demo(pworld) is False
    plans = {p.issuing_organisation.name: p for p in WorkPlan.objects.select_related("issuing_organisation", "area")}
    old = plans["UBND Phường Bến Thành"]
    assert old.status == WorkPlanStatus.CLOSED and old.targets.count() == 7 and old.tasks.count() == 9
    school = plans["Trường Tiểu học Phường Bến Thành"]
    assert school.status == WorkPlanStatus.ISSUED and school.parent == old
    assert Activity.objects.count() >= 7 and RegistryEntry.objects.count() == 3
    assert WatchRecord.objects.filter(status="open").count() == 1
    figures = figures_for([old])
    by_code = {t.code: figures[t.pk] for t in old.targets.all()}
    # Every target has a figure, except the share of abused children helped: there were none.
    assert {code for code, p in by_code.items() if not p.known} == {"CT3"}
    assert by_code["CT3"].detail == "Nothing to count in the period."
    assert by_code["CT2"].value == 0 and by_code["CT2"].met is True         # zero cases, from reports' 0101
    assert by_code["CT4"].value == 98                                        # reported by the health station
