"""Every figure of the fixed dataset (tests/reports/dataset.py), worked out by hand.

Which case *finds* each child in 2025 (the earliest counted intake in the period):
  K1 → K1a (Feb, OX → NZ), K2 → K2 (May, OY → NZ), K3 → K3a (Sep, a), K4 → K4 (Oct, a),
  K5 → K5 (Oct, a). K6 is at risk (not abused), K7 not eligible, K8 received in 2026.
In the second half of 2025 only: K1 → K1b (Aug, NZ), K3 → K3a, K4, K5.
"""

import datetime as dt
from decimal import Decimal

import pytest

from reports.indicators import UnknownIndicator, indicator_breakdown, indicator_value
from reports.models import AgeBand

from .dataset import build

YEAR = dict(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
H1 = dict(start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30))
H2 = dict(start=dt.date(2025, 7, 1), end=dt.date(2025, 12, 31))
NATION = "/"


@pytest.fixture
def data(world):
    return build(world)


def v(code, path, **period):
    return indicator_value(code, area_path=path, **period)


def rows(code, path, by, **period):
    return [tuple(r[d] for d in by) + (r["value"],) for r in indicator_breakdown(code, area_path=path, by=by, **period)]


def test_abused_children_are_counted_once_in_the_area_and_period_that_found_them(data):
    a = data["areas"]
    # K1 (two cases), K2, K3 (two cases, two provinces), K4, K5; not K6 (at risk), K7, K8.
    assert v("0101", NATION, **YEAR) == 5
    assert v("0101", a["p1"].path, **YEAR) == 3           # K3a, K4, K5 (all in commune a)
    assert v("0101", a["a"].path, **YEAR) == 3
    assert v("0101", a["b"].path, **YEAR) == 0
    assert v("0101", a["p2"].path, **YEAR) == 0           # K3's second case in c does not count again
    # A period of its own for c: K3c is then the case that finds K3.
    assert v("0101", a["c"].path, start=dt.date(2025, 11, 1), end=dt.date(2025, 12, 31)) == 1
    # Commune figures add up to the nation: each child is in exactly one area per report.
    assert sum(v("0101", a[k].path, **YEAR) for k in ("p1", "p2", "np")) == 5


def test_a_report_across_the_july_2025_reform_counts_the_absorbed_communes(data):
    a = data["areas"]
    # The new commune NZ absorbed OX and OY: its 2025 report holds K1 (found in OX in Feb) and K2 (OY).
    assert v("0101", a["nz"].path, **YEAR) == 2
    assert v("0101", a["np"].path, **YEAR) == 2
    # Its second-half report: K1 is found again by K1b (Aug, NZ); K2 was found in May.
    assert v("0101", a["nz"].path, **H2) == 1
    # Before the reform NZ did not exist: the successions are not yet in force on 30 June.
    assert v("0101", a["nz"].path, **H1) == 0
    # The former district's first-half report, on its own path.
    assert v("0101", a["od"].path, **H1) == 2
    # By area, the old communes read as their successor.
    assert rows("0101", a["np"].path, ["area"], **YEAR) == [(a["nz"].pk, 2)]
    assert rows("0101", a["od"].path, ["area"], **H1) == [(a["ox"].pk, 1), (a["oy"].pk, 1)]


def test_abused_children_by_sex_age_environment_and_form(data):
    assert rows("0101", NATION, ["sex"], **YEAR) == [("female", 2), ("male", 3)]
    # Ages on the day received: K1 9, K2 5, K3 12 (estimated 11 on 2024-06-01, a year later), K4 12, K5 11.
    assert rows("0101", NATION, ["age_band"], **YEAR) == [("0-5", 1), ("11-15", 3), ("6-10", 1)]
    # Environment of the finding case: K1a family, K2 community, K3a online, K4 family, K5 family.
    assert rows("0101", NATION, ["environment"], **YEAR) == [("community", 1), ("family", 3), ("online", 1)]
    # Primary form, at its top level: violence (K1a, K4, K5), neglect (K2), exploitation (K3a).
    assert rows("0101", NATION, ["form"], **YEAR) == [("exploitation", 1), ("neglect", 1), ("violence", 3)]
    # Second half: K1 is found by K1b (school, sexual abuse) and is 10 by then.
    assert rows("0101", NATION, ["environment", "form"], **H2) == [
        ("family", "violence", 2), ("online", "exploitation", 1), ("school", "sexual_abuse", 1)]
    full = indicator_breakdown("0101", area_path=NATION, by=["sex", "age_band", "environment", "form", "area"], **YEAR)
    assert sum(r["value"] for r in full) == 5


def test_age_bands_are_data(data):
    AgeBand.objects.filter(code="11-15").update(min_age=12)
    AgeBand.objects.create(code="11", label_vi="11 tuổi", label_en="11", min_age=11, max_age=11, source="test", order=9)
    # K5 (11) moves to the new band; K3 and K4 (12) stay.
    assert rows("0101", NATION, ["age_band"], **YEAR) == [("0-5", 1), ("11", 1), ("11-15", 2), ("6-10", 1)]


def test_incidents_and_perpetrators(data):
    a = data["areas"]
    # Incidents of counted abused cases: K1a, K1b, K2, K3a, K3c, and one shared by K4 and K5.
    assert v("BV02", NATION, **YEAR) == 6
    assert v("BV02", a["p1"].path, **YEAR) == 2
    assert v("BV02", a["p2"].path, **YEAR) == 1
    assert rows("BV02", a["p1"].path, ["environment"], **YEAR) == [("family", 1), ("online", 1)]
    # Father (K1a), peer child (K1b), mother (K2), online contact + peer child (K3a), father (K4/K5).
    assert v("BV03", NATION, **YEAR) == 6
    assert rows("BV03", NATION, ["relation"], **YEAR) == [
        ("father", 2), ("mother", 1), ("online_contact", 1), ("peer", 2)]
    assert rows("BV03", NATION, ["perpetrator_is_child"], **YEAR) == [(False, 4), (True, 2)]


def test_children_supported_and_the_rate(data):
    a = data["areas"]
    # Supported: K1 (plan approved), K3 (emergency measure carried out), K4 (plan approved).
    assert v("BV04", NATION, **YEAR) == 3
    assert v("BV05", NATION, **YEAR) == Decimal("60.0")      # 3 of 5
    assert v("BV05", a["np"].path, **YEAR) == Decimal("50.0")  # K1 of K1, K2
    assert v("BV05", a["p1"].path, **YEAR) == Decimal("66.7")  # K3, K4 of K3, K4, K5
    assert v("BV05", a["p2"].path, **YEAR) is None             # nobody to divide by
    assert [(r["sex"], r["total"], r["supported"], r["value"])
            for r in indicator_breakdown("BV05", area_path=NATION, by=["sex"], **YEAR)] == [
        ("female", 2, 2, Decimal("100.0")), ("male", 3, 1, Decimal("33.3"))]


def test_children_in_special_circumstances_by_group_and_share_supported(data):
    # K1 (group i on K1a), K3 (k), K6 (d and n: two groups, one child).
    assert v("BV06", NATION, **YEAR) == 3
    assert rows("BV06", NATION, ["group"], **YEAR) == [("d", 1), ("i", 1), ("k", 1), ("n", 1)]
    assert v("BV07", NATION, **YEAR) == Decimal("66.7")      # K1 and K3 of 3
    # Second half: K1 is found by K1b (group l).
    assert rows("BV06", NATION, ["group"], **H2) == [("d", 1), ("k", 1), ("l", 1), ("n", 1)]


def test_cases_referred_to_police(data):
    a = data["areas"]
    # K3a (task for the police), K2 (criminal proceedings), K4 (emergency measure by the police);
    # K7's police task does not count: not eligible.
    assert v("BV08", NATION, **YEAR) == 3
    assert v("BV08", a["p1"].path, **YEAR) == 2
    assert v("BV08", a["np"].path, **YEAR) == 1


def test_timeliness_counts_clocks_where_the_case_is_owned(data):
    a = data["areas"]
    # Emergency: met K3a (a), K4 (now c); missed K1b (NZ); K7 not eligible.
    assert v("BV09", NATION, **YEAR) == Decimal("66.7")
    assert v("BV09", a["np"].path, **YEAR) == Decimal("0.0")
    # The transferred case K4 was found in P1 but its clocks run in P2.
    assert v("BV09", a["p2"].path, **YEAR) == Decimal("100.0")
    # Plan drafted: met K1a, K3a; missed K4 (breached) and K2 (running, overdue); K5 cancelled.
    assert v("BV10", NATION, **YEAR) == Decimal("50.0")
    assert v("BV10", a["p1"].path, **YEAR) == Decimal("100.0")
    assert v("BV10", a["p2"].path, **YEAR) == Decimal("0.0")
    assert v("BV10", a["np"].path, **YEAR) == Decimal("50.0")
    # Plan approved: met K1a, missed K1b.
    assert v("BV11", NATION, **YEAR) == Decimal("50.0")
    assert v("BV11", a["p1"].path, **YEAR) is None
    assert [(r["area"], r["met"], r["missed"]) for r in indicator_breakdown(
        "BV10", area_path=NATION, by=["area"], **YEAR)] == sorted([
            (a["nz"].pk, 1, 1), (a["a"].pk, 1, 0), (a["c"].pk, 0, 1)])


def test_unknown_or_inactive_indicator(data):
    from reports.models import Indicator

    with pytest.raises(UnknownIndicator):
        v("9999", NATION, **YEAR)
    Indicator.objects.filter(code="BV02").update(active=False)
    with pytest.raises(UnknownIndicator):
        v("BV02", NATION, **YEAR)


def test_a_figure_costs_a_fixed_number_of_queries(data, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        v("0101", NATION, **YEAR)
    with django_assert_max_num_queries(6):
        indicator_breakdown("0101", area_path=NATION, by=["sex", "age_band", "environment", "form", "area"], **YEAR)
