"""A report's figures as one JSON document: what a draft shows and what sending freezes.

Only aggregates and labels go in; never a child, a case number or a name of a person. Labels
are copied in (Vietnamese and English) so a frozen snapshot reads the same after a term or
an area is renamed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.utils import timezone

from casework.models import Area, Environment, Sex, Term

from .compiled import COLUMN_DIMS, ROW_DIMS, breakdown_keys, report_indicators, without_jit
from .indicators import COMPUTATIONS, Scope, indicator_breakdown, indicator_value, one_reading
from .models import AgeBand, Indicator, Unit
from .sections import collect_sections

FORMAT = 1
# COLUMN_DIMS and ROW_DIMS (the official tables' shape) live in compiled.py, re-exported here.
__all__ = ["COLUMN_DIMS", "ROW_DIMS", "compile_figures", "indicator_entries", "reference_figures"]


def _json(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


def labels() -> dict[str, dict[str, dict[str, str]]]:
    """code → {"vi": …, "en": …} for every dimension value a breakdown can produce."""
    from django.utils import translation

    out: dict[str, dict] = {"sex": {}, "environment": {}, "age_band": {}, "form": {}, "group": {}, "relation": {}}
    for lang in ("vi", "en"):
        with translation.override(lang):
            for value, label in Sex.choices:
                out["sex"].setdefault(value, {})[lang] = str(label)
            for value, label in Environment.choices:
                out["environment"].setdefault(value, {})[lang] = str(label)
    for b in AgeBand.objects.filter(active=True):
        out["age_band"][b.code] = {"vi": b.label_vi, "en": b.label_en}
    out["age_band"]["unknown"] = {"vi": "Chưa rõ tuổi", "en": "Age unknown"}
    kinds = {"abuse_form": "form", "special_group": "group", "relation": "relation"}
    for t in Term.objects.filter(kind__in=kinds, parent__isnull=True).only("kind", "code", "label_vi", "label_en"):
        out[kinds[t.kind]][t.code] = {"vi": t.label_vi, "en": t.label_en}
    for t in Term.objects.filter(kind="special_group", parent__isnull=False):
        out["group"][t.code] = {"vi": t.label_vi, "en": t.label_en}
    out["form"]["none"] = {"vi": "Chưa xác định", "en": "Not recorded"}
    out["relation"]["unknown"] = {"vi": "Chưa xác định", "en": "Unknown"}
    out["perpetrator_is_child"] = {"True": {"vi": "Trẻ em", "en": "A child"},
                                   "False": {"vi": "Người lớn", "en": "An adult"}}
    return out


def _area_labels(ids: set[int]) -> dict[str, dict[str, str]]:
    return {str(a.pk): {"vi": a.name, "en": a.name} for a in Area.objects.filter(pk__in=ids)}


def compile_figures(*, body, area: Area, start: dt.date, end: dt.date, organisation_id: int | None = None,
                    below: dict | None = None) -> dict:
    """Every active indicator's headline and breakdowns, the registered sections, and the bodies below."""
    with one_reading(), without_jit():
        return _compile_figures(body=body, area=area, start=start, end=end, organisation_id=organisation_id,
                                below=below)


def _indicator_entry(ind: Indicator, value, breakdowns: dict) -> dict:
    return {"code": ind.code, "name_vi": ind.name_vi, "name_en": ind.name_en, "unit": ind.unit,
            "definition": ind.definition, "source": ind.source, "value": _json(value),
            "breakdowns": {key: [{k: _json(v) for k, v in r.items()} for r in rows] for key, rows in breakdowns.items()}}


def reference_figures(ind: Indicator, **kw) -> tuple:
    """One indicator's headline and breakdowns through the reference definitions, one query each
    (``indicators.py``): what the fast path (``compiled.py``) must reproduce exactly."""
    breakdowns = {key: indicator_breakdown(ind.code, by=list(by), **kw) for key, by in breakdown_keys(ind)}
    return indicator_value(ind.code, **kw), breakdowns


def indicator_entries(*, area: Area, start: dt.date, end: dt.date, organisation_id: int | None = None,
                      fast: bool = True) -> list[dict]:
    """Every active indicator of a report: the fast path for the computations it knows (a handful
    of grouped queries for the whole report), the reference definitions for any other."""
    kw = dict(area_path=area.path, start=start, end=end, organisation_id=organisation_id)
    active = [ind for ind in Indicator.objects.filter(active=True) if ind.computation in COMPUTATIONS]
    computed = report_indicators(active, Scope(area.path, start, end, organisation_id)) if fast else {}
    entries = []
    for ind in active:
        if ind.code in computed:
            value, breakdowns = computed[ind.code]["value"], computed[ind.code]["breakdowns"]
        else:
            value, breakdowns = reference_figures(ind, **kw)
        entries.append(_indicator_entry(ind, value, breakdowns))
    return entries


def _compile_figures(*, body, area: Area, start: dt.date, end: dt.date, organisation_id: int | None,
                     below: dict | None) -> dict:
    indicators = indicator_entries(area=area, start=start, end=end, organisation_id=organisation_id)
    area_ids: set[int] = set()
    for entry in indicators:
        for rows in entry["breakdowns"].values():
            area_ids |= {r["area"] for r in rows if r.get("area") is not None}
    lab = labels()
    lab["area"] = _area_labels(area_ids)
    return {
        "format": FORMAT,
        "generated_at": timezone.now().isoformat(),
        "body": {"id": body.pk, "name": body.name, "kind": body.kind},
        "area": {"id": area.pk, "name": area.name, "path": area.path, "kind": area.kind},
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "indicators": indicators,
        "labels": lab,
        "sections": collect_sections(organisation=body, area_path=area.path, start=start, end=end),
        "below": below or {"bodies": [], "sums": {}},
    }


def sum_below(snapshots: list[dict]) -> dict[str, int]:
    """Sum the counted (non-percentage) headline values of the reports received from below."""
    sums: dict[str, int] = {}
    for snap in snapshots:
        for ind in snap.get("indicators", []):
            if ind.get("unit") == Unit.PERCENT or ind.get("value") is None:
                continue
            sums[ind["code"]] = sums.get(ind["code"], 0) + int(ind["value"])
    return sums


def canonical(document: dict) -> bytes:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def checksum(document: dict) -> str:
    return hashlib.sha256(canonical(document)).hexdigest()
