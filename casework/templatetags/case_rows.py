"""The case cards of every list page (work list, cases, area, approvals, my reports) and the
events of a timeline page, rendered in Python in one call per list.

Issue 14: a list of 50–100 cards rendered through ``{% include "casework/_case_row.html" %}``
spent most of the page's time in the template engine (a context push, a nested include for the
clocks and a dozen filters per card, each translation looked up again per card). Here the
labels are translated once per list and each card is a handful of string joins. The markup is
the one the include produced (class names, ``data-clock``/``data-urgency`` attributes), so the
pages, their styles and the browser tests read it unchanged.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from workflows.states import CaseStatus, ProtectionLevel

from .casework_tags import age_band, duration

register = template.Library()


def _labels() -> dict:
    """Every fixed word of a card in the active language, looked up once per list."""
    from casework.models import Intake, Sex

    return {
        "status": {k: str(v) for k, v in CaseStatus.choices},
        "level": {k: str(v) for k, v in ProtectionLevel.choices},
        "classification": {k: str(v) for k, v in Intake._meta.get_field("classification").flatchoices},
        "sex": {k: str(v) for k, v in Sex.choices},
        "emergency": esc(_("Emergency")), "missed": esc(_("Deadline missed")), "soon": esc(_("Due soon")),
        "child": esc(_("Child")), "received": esc(pgettext("instant", "Received")),
        "met": esc(_("met")), "cancelled": esc(_("no longer applies")),
        "when": get_format("SHORT_DATETIME_FORMAT"), "case_url": _Urls("web:case"),
    }


def _when(value, fmt: str | None = None) -> str:
    """``value|date:"SHORT_DATETIME_FORMAT"``; ``fmt``: that format, looked up once per list."""
    if not value:
        return ""
    return format_date(timezone.localtime(value) if timezone.is_aware(value) else value,
                       fmt or get_format("SHORT_DATETIME_FORMAT"))


class _Urls:
    """``reverse(name, args=[pk])`` for many pks: the route resolved once, the id put in."""

    MARK = "2147483647"

    def __init__(self, name: str):
        self.head, _mark, self.tail = reverse(name, args=[int(self.MARK)]).rpartition(self.MARK)

    def __call__(self, pk: int) -> str:
        return f"{self.head}{int(pk)}{self.tail}"


def clock_badges(clocks, words: dict) -> str:
    """The clock badges of ``_clocks.html`` (which the one-case pages still include)."""
    out = []
    for c in clocks:
        urgency = "red" if c["red"] else "amber" if c["amber"] else "none"
        css = "bad" if c["red"] else "warn" if c["amber"] else "ok" if c["state"] == "met" else ""
        state = c["state"]
        if state == "breached":
            text = esc(_("missed by %(d)s") % {"d": duration(c["breached_by_minutes"])})
        elif state == "met":
            text = words["met"]
        elif state == "cancelled":
            text = words["cancelled"]
        else:
            text = esc(_("%(d)s left") % {"d": duration(c["remaining_minutes"])})
        out.append(f'<span class="badge clock {css}" data-clock="{esc(c["kind"])}" data-urgency="{urgency}">'
                   f'{esc(c["label"])}: {text}</span> ')
    return "".join(out)


def case_card(row: dict, words: dict, *, hide_child: bool = False, extra_url: str = "", extra_label: str = "",
              extra_class: str = "") -> str:
    case = row["case"]
    css = "breached" if row["breached"] else "warning" if row["warning"] else ""
    badges = [f'<span class="badge strong">{esc(words["status"].get(case.status, case.status))}</span>',
              f'<span class="badge">{esc(words["level"].get(case.level, case.level))}</span>']
    if case.emergency:
        badges.append(f'<span class="badge bad">{words["emergency"]}</span>')
    if row["breached"]:
        badges.append(f'<span class="badge bad">{words["missed"]}</span>')
    elif row["warning"]:
        badges.append(f'<span class="badge warn">{words["soon"]}</span>')
    facts = []
    if not hide_child:
        child = row["child"]
        band = age_band(child["age_band"])
        facts.append(f'<span>{words["child"]}: {esc(child["initials"])}{", " + esc(band) if band else ""}, '
                     f'{esc(words["sex"].get(child["sex"], child["sex"] or ""))}</span>')
    intake = case.intake
    facts += [f"<span>{esc(case.commune.name)}</span>",
              f'<span>{words["received"]}: {esc(_when(intake.received_at, words["when"]))}</span>',
              f'<span>{esc(words["classification"].get(intake.classification, intake.classification))}</span>']
    parts = [f'<li class="{css}">\n  <div class="row"><a class="code" href="{words["case_url"](case.pk)}">'
             f'{esc(case.code)}</a>\n    ', "\n    ".join(badges), '\n  </div>\n  <div class="row small muted">\n    ',
             "\n    ".join(facts), "\n  </div>\n"]
    if extra_url:
        klass = f' class="{esc(extra_class)}"' if extra_class else ""
        parts.append(f'  <div class="actions-row"><a href="{esc(extra_url)}"{klass}>{esc(extra_label)}</a></div>\n')
    if row["clocks"]:
        parts.append(f'  <div class="row small">{clock_badges(row["clocks"], words)}</div>\n')
    parts.append("</li>\n")
    return "".join(parts)


@register.simple_tag(takes_context=True)
def case_cards(context, rows, extra: str = "", extra_label: str = "", extra_class: str = ""):
    """The ``<li>`` cards of ``rows`` (``views.lists.decorate``). ``extra``: a per-case link under
    each card, by URL name (``web:timeline``, ``web:approval``), labelled ``extra_label``."""
    words = _labels()
    hide_child = bool(context.get("hide_child"))
    extra_url = _Urls(extra) if extra else None
    return mark_safe("".join(
        case_card(row, words, hide_child=hide_child, extra_label=extra_label, extra_class=extra_class,
                  extra_url=extra_url(row["case"].pk) if extra_url else "")
        for row in rows))


def timeline_item(r: dict, words: dict) -> str:
    """One event of ``timeline.html`` (``views.timeline.event_row``), as its template rendered it."""
    at = timezone.localtime(r["at"]) if timezone.is_aware(r["at"]) else r["at"]
    who = esc(r["who"]) + (f' · {esc(r["role"])}' if r["role"] else "") + \
        (f' · {esc(r["organisation"])}' if r["organisation"] else "")
    parts = [f'<li class="g{r["group"]}">\n  <div class="row"><strong class="grow">{esc(r["label"])}</strong>'
             f'<time datetime="{at.isoformat()}" class="small">{esc(_when(at, words["when"]))}</time></div>\n'
             f'  <div class="small">{who}</div>\n']
    if r["from"] or r["to"]:
        before = f'{esc(r["from"])} → ' if r["from"] else ""
        parts.append(f'  <div class="small">{before}<strong>{esc(r["to"])}</strong></div>\n')
    if r["reason"]:
        parts.append(f'  <div class="small">{words["reason"]}: {esc(r["reason"])}</div>\n')
    if r["changes"]:
        parts.append(f'  <div class="small">{words["changed"]}: {esc("; ".join(r["changes"]))}</div>\n')
    if r["details"]:
        parts.append(f'  <div class="small muted">{esc("; ".join(r["details"]))}</div>\n')
    if r["recorded"]:
        facts = "".join(f"<dt>{esc(capfirst(label))}</dt><dd>{esc(value)}</dd>" for label, value in r["recorded"])
        parts.append(f'  <details class="small"><summary>{words["recorded"]}</summary><dl class="facts">{facts}'
                     f"</dl></details>\n")
    parts.append("</li>")
    return "".join(parts)


@register.simple_tag
def timeline_items(rows):
    """The ``<li>`` events of a timeline page in one call (a 300-event timeline spent most of its
    time in per-event template tags)."""
    words = {"reason": esc(_("Reason")), "changed": esc(_("Changed")), "recorded": esc(_("What was recorded")),
             "when": get_format("SHORT_DATETIME_FORMAT")}
    if not rows:
        return mark_safe(f'<li>{esc(_("No event matches."))}</li>')
    return mark_safe("".join(timeline_item(r, words) for r in rows))
