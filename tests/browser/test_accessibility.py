"""axe-core (vendored, run inside the page) finds no serious or critical violation on the main
pages of every journey."""

from __future__ import annotations

import pytest

from .conftest import axe_violations, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}


def test_main_pages_have_no_serious_accessibility_violations(page, live_server, demo):
    _world, cases = demo
    base = live_server.url
    found = {}

    def check(path):
        page.goto(base + path)
        bad = [v for v in axe_violations(page) if v["impact"] in SERIOUS]
        if bad:
            found[path] = bad

    check("/login/")
    visits = {
        "counsellor_a": ["/reports/", "/tasks/", "/cases/new/", "STEP2", "STEP3", f"/cases/{cases.received.pk}/"],
        "officer_a": ["/work/", "/cases/?q=nguyen", f"/cases/{cases.received.pk}/", f"/cases/{cases.implementing.pk}/",
                      f"/cases/{cases.comprehensive.pk}/", f"/cases/{cases.planning.pk}/plan/",
                      f"/cases/{cases.implementing.pk}/forms/01/", f"/cases/{cases.implementing.pk}/forms/04/",
                      "/cases/999999/"],
        "chair_a": ["/approvals/", f"/cases/{cases.submitted.pk}/approval/", f"/cases/{cases.emergency.pk}/"],
        "police_a": ["/tasks/"],
        "supervisor_p1": ["/area/", f"/cases/{cases.implementing.pk}/timeline/"],
    }
    for who, paths in visits.items():
        log_in(page, base, who)
        for path in paths:
            if path == "STEP2":
                page.fill("input[name=full_name]", "Trẻ em thử")
                page.fill("input[name=estimated_age]", "9")
                page.click("main form[method=post] button[type=submit]")
                page.wait_for_url("**/2/")
                path = page.url.removeprefix(base)
            elif path == "STEP3":
                page.check("input[name=classification][value=at_risk]")
                page.click("main form[method=post] button[type=submit]")
                page.wait_for_url("**/3/")
                path = page.url.removeprefix(base)
            check(path)
        log_out(page)
    assert not found, found
