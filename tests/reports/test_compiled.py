"""The report's fast path (reports/compiled.py) against the reference definitions (indicators.py).

Every figure of every active indicator — headline and every breakdown, rows and their order —
must be exactly what the one-query-per-figure definitions give, on the fixed dataset and on a
seeded random one that has what the sums could get wrong: children with several cases (ties on
the same minute), incidents whose cases lie in two communes, communes merged in the reform,
several special groups per case, clocks in every state, cases not eligible, children without a
known age. And the report's query count must not grow with the data.
"""

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Area, AreaKind, Child, EmergencyMeasure, Organisation, OrganisationKind, Task
from reports.compiled import without_jit
from reports.figures import compile_figures, indicator_entries
from reports.indicators import one_reading
from reports.models import Indicator

from .dataset import at, build, clock, make_case, plan, term

YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
H1 = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
H2 = (dt.date(2025, 7, 1), dt.date(2025, 12, 31))
FORMS = ["violence_physical", "sexual_molestation", "neglect", "exploitation_pornography",
         "violence_psychological", ""]
GROUPS = ["i", "l", "k", "d", "n"]
RELATIONS = ["father", "mother", "peer", "online_contact"]
ENVIRONMENTS = ["family", "school", "community", "online", "other", ""]
KINDS = ["emergency_measures", "plan_draft", "plan_approval", "verification"]
STATES = ["met", "breached", "running", "running", "cancelled"]
STATUSES = ["implementing", "implementing", "assessing", "closed", "not_eligible"]


def entries(area_path, start, end, organisation_id=None, fast=True):
    area = Area(pk=0, name="x", path=area_path, kind="province")
    with one_reading(), without_jit():
        return indicator_entries(area=area, start=start, end=end, organisation_id=organisation_id, fast=fast)


def assert_same(area_path, period, organisation_id=None):
    fast = entries(area_path, *period, organisation_id=organisation_id)
    reference = entries(area_path, *period, organisation_id=organisation_id, fast=False)
    assert [e["code"] for e in fast] == [e["code"] for e in reference]
    for f, r in zip(fast, reference, strict=True):
        assert f["value"] == r["value"], (f["code"], area_path, period)
        assert f["breakdowns"] == r["breakdowns"], (f["code"], area_path, period)
    return fast


def random_data(world, seed=7, children=70, areas=None, extra=()):
    """A seeded, varied dataset over the fixed one's areas (old and new communes included)."""
    rnd = random.Random(seed)
    A = areas or build(world)["areas"]
    communes = [A["a"], A["b"], A["c"], A["nz"], A["ox"], A["oy"], *extra]
    police, health = world.orgs["a.police"], world.orgs["a.health"]
    incidents = []
    for n in range(children):
        born = rnd.choice([None, dt.date(2008 + rnd.randrange(17), rnd.randrange(1, 13), rnd.randrange(1, 29))])
        estimated = {} if born or rnd.random() < 0.3 else dict(estimated_age=rnd.randrange(0, 17),
                                                               estimated_age_on=dt.date(2024, rnd.randrange(1, 13), 1))
        child = Child.objects.create(full_name=f"Trẻ {n}", date_of_birth=born, sex=rnd.choice(["male", "female"]),
                                     **estimated)
        day = None
        for _ in range(rnd.choice([1, 1, 2, 3])):
            area = rnd.choice(communes)
            # Often the same day and hour as the child's previous case: the tie is broken by the case id.
            if day is None or rnd.random() < 0.5:
                day = dt.date(2025, rnd.randrange(1, 13), rnd.choice([1, 15, 28]))
            shared = rnd.choice(incidents) if incidents and rnd.random() < 0.15 else None
            case = make_case(world, area, child, day, incident=shared,
                             classification=rnd.choice(["abused", "abused", "at_risk"]),
                             environment=rnd.choice(ENVIRONMENTS), form=rnd.choice(FORMS),
                             relations=[(rnd.choice(RELATIONS), rnd.random() < 0.3) for _ in range(rnd.randrange(3))],
                             groups=rnd.sample(GROUPS, rnd.choice([0, 0, 1, 2])), status=rnd.choice(STATUSES),
                             commune=rnd.choice(communes) if rnd.random() < 0.2 else None,
                             criminal_track="Đã khởi tố" if rnd.random() < 0.1 else "")
            incidents.append(case.incident)
            if rnd.random() < 0.3:
                plan(case, world, status=rnd.choice(["approved", "draft", "ended", "superseded"]))
            if rnd.random() < 0.2:
                EmergencyMeasure.objects.create(
                    case=case, author=world.users["chair_a"], kind=term("emergency_measure", "stop_act"),
                    responsible=rnd.choice([police, health]), status=rnd.choice(["taken", "ordered"]),
                    ordered_at=at(day))
            if rnd.random() < 0.15:
                Task.objects.create(case=case, organisation=police, title="x", assigned_by=world.users["officer_a"],
                                    assigned_at=at(day))
            for i in range(rnd.randrange(4)):
                clock(case, rnd.choice(KINDS), day + dt.timedelta(days=rnd.randrange(-20, 20)), rnd.choice(STATES),
                      due_days=rnd.choice([-400, 1, 400]), subject=f"s{i}")
    return A


@pytest.fixture
def data(world):
    return build(world)


@pytest.mark.parametrize("period", [YEAR, H1, H2], ids=["year", "h1", "h2"])
def test_the_fixed_dataset_gives_the_reference_figures(data, period):
    for path in ["/", "/79/", "/01/", "/70/", "/80/", data["areas"]["a"].path, data["areas"]["nz"].path]:
        assert_same(path, period)
    assert_same("/", period, organisation_id=Organisation.objects.get(name=f"UBND {data['areas']['a'].name}").pk)


def test_a_varied_dataset_gives_the_reference_figures(world):
    A = random_data(world)
    for path in ["/", "/79/", "/01/", "/80/", "/70/", A["a"].path, A["c"].path, A["nz"].path, A["ox"].path]:
        for period in (YEAR, H1, H2, (dt.date(2025, 3, 1), dt.date(2025, 3, 31))):
            assert_same(path, period)
    figures = {e["code"]: e for e in assert_same("/", YEAR)}
    # The random data is not degenerate: every family has something to sum.
    assert figures["0101"]["value"] > 20 and figures["BV02"]["value"] > 10 and figures["BV03"]["value"] > 5
    assert figures["BV06"]["value"] > 5 and figures["BV08"]["value"] > 0 and figures["BV09"]["value"] is not None
    assert len(figures["0101"]["breakdowns"]["area×age_band"]) > 6


def test_the_breakdowns_a_body_chose_in_the_admin(world):
    """Disaggregations are data: any subset (and order) of an indicator's dimensions still matches."""
    random_data(world, seed=3, children=40)
    Indicator.objects.filter(code="0101").update(disaggregations=["area"])
    Indicator.objects.filter(code="BV04").update(disaggregations=["form", "sex"])
    Indicator.objects.filter(code="BV06").update(disaggregations=["group"])
    Indicator.objects.filter(code="BV07").update(disaggregations=[])
    Indicator.objects.filter(code="BV02").update(disaggregations=["area"])
    Indicator.objects.filter(code="BV09").update(disaggregations=[])
    for path in ["/", "/79/", "/80/"]:
        assert_same(path, YEAR)
    Indicator.objects.filter(code="BV06").update(disaggregations=["sex", "group", "age_band"])
    Indicator.objects.filter(code="BV03").update(active=False)
    assert_same("/", YEAR)


def report_queries(world, area_path="/"):
    body = world.orgs["a.committee"]
    area = Area(pk=0, name="Toàn quốc", path=area_path, kind="province")
    with CaptureQueriesContext(connection) as q:
        compile_figures(body=body, area=area, start=YEAR[0], end=YEAR[1])
    return len(q)


def test_the_report_costs_the_same_queries_whatever_the_number_of_cases_and_communes(world):
    A = build(world)["areas"]
    small = report_queries(world)
    province = report_queries(world, Area.objects.get(pk=A["a"].parent_id).path)
    # Ten more communes, each with cases, clocks and perpetrators.
    p1 = Area.objects.get(pk=A["a"].parent_id)
    extra = []
    for i in range(10):
        extra.append(Area.objects.create(code=f"79{900 + i}", name=f"Xã Thử {i}", kind=AreaKind.COMMUNE, parent=p1))
        Organisation.objects.create(name=f"Công an xã Thử {i}", kind=OrganisationKind.POLICE, area=extra[-1])
    random_data(world, seed=11, children=60, areas=A, extra=extra)
    assert report_queries(world) == small
    assert report_queries(world, p1.path) == province
    # Indicators (1), age bands, areas and successions (4), the fourteen grouped queries, labels
    # (4) and the sections of the other apps.
    assert small <= 30
