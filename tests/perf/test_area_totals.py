"""Issue 14, the province dashboard: totals come from SQL over every visible case, not from the
page of cards; the commune filter offers every commune with a visible case; cards are paged."""

import datetime as dt
import re

from django.utils import timezone

from casework.models import Case, CaseDeadline, ClockState
from casework.selectors import case_list_for_user
from casework.selectors.worklists import commune_totals, with_clocks
from casework.views import lists
from tests.web.cases import report


def card_rules(user, now):
    """The same figures computed the slow way: every visible case decorated as its card is."""
    rows = lists.decorate(with_clocks(case_list_for_user(user, open_only=True)), now)
    out: dict[int, dict] = {}
    for r in rows:
        entry = out.setdefault(r["case"].commune_id, {"total": 0, "breached": 0, "amber": 0})
        entry["total"] += 1
        entry["breached"] += r["breached"]
        entry["amber"] += r["warning"] and not r["breached"]
    return out


def test_commune_totals_follow_the_card_rules_at_every_moment(world, cases):
    """Missed and due soon in SQL agree with ``clock_view`` on every card — now, and later when
    clocks have run out (next_due_at in the past) or entered their warning time."""
    sup = world.users["supervisor_p1"]
    # A clock whose own warning time has come although it is due in days: amber by warn_at only.
    clock = CaseDeadline.objects.filter(case=cases.implementing, state=ClockState.RUNNING,
                                        met_at__isnull=True).order_by("due_at").first()
    if clock is not None:
        CaseDeadline.objects.filter(pk=clock.pk).update(warn_at=timezone.now() - dt.timedelta(hours=1))
    start = timezone.now()
    moments = [start + shift for shift in (dt.timedelta(0), dt.timedelta(hours=10), dt.timedelta(days=3),
                                           dt.timedelta(days=40))]
    # 13 hours before a case's next clock: amber by the "by the end of the next working day" rule
    # only, not by the 12-hour one.
    moments += [due - dt.timedelta(hours=13) for due in Case.objects.filter(
        next_due_at__gt=start + dt.timedelta(hours=14)).values_list("next_due_at", flat=True)[:5]]
    assert len(moments) > 4
    for now in moments:
        shift = now - start
        sql = {r["commune_id"]: {k: r[k] for k in ("total", "breached", "amber")}
               for r in commune_totals(case_list_for_user(sup, open_only=True), now)}
        assert sql == card_rules(sup, now), shift
    assert any(v["breached"] for v in sql.values()), "40 days on, something must be missed"


def test_the_area_totals_count_every_case_not_only_the_page(as_user, world, cases, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    for i in range(3):
        # Urgent reports received 30 hours ago: their 12-hour clocks are already missed.
        report(world, commune="b", name=f"Trẻ em B{i}", hours_ago=30 + i, urgent=True)
    sup = world.users["supervisor_p1"]
    visible = case_list_for_user(sup, open_only=True)
    body = as_user("supervisor_p1").get("/area/").content.decode()
    shown = set(re.findall(r'href="/cases/(\d+)/"', body))
    assert len(shown) == 2, "two cards on a page of two"
    expected = card_rules(sup, timezone.now())
    assert f'data-total="open">{visible.count()}<' in body
    missed = sum(v["breached"] for v in expected.values())
    assert missed >= 3 and f'data-total="breached"><span class="badge bad">{missed}</span>' in body
    # The filter offers both communes of the province even when the page shows one of them.
    for commune in ("a", "b"):
        assert f'<option value="{world.areas[commune].pk}"' in body
    # The pager reaches every card, and the last page holds the rest.
    pages = -(-visible.count() // 2)
    assert f"Trang 1/{pages}" in body
    seen = set()
    client = as_user("supervisor_p1")
    for n in range(1, pages + 1):
        seen |= set(re.findall(r'href="/cases/(\d+)/"', client.get("/area/", {"page": n}).content.decode()))
    assert seen == {str(pk) for pk in visible.values_list("pk", flat=True)}


def test_the_commune_filter_narrows_cards_and_totals(as_user, world, cases):
    b = world.areas["b"]
    body = as_user("supervisor_p1").get("/area/", {"commune": b.pk}).content.decode()
    in_b = Case.objects.filter(commune=b).exclude(status="closed")
    assert f'data-total="open">{in_b.count()}<' in body
    assert cases.commune_b.code in body and cases.received.code not in body
