"""The web pages under the same matrix as the API: every page and every action × every persona.

Unseen case → 404 on every page and action (exactly like a missing case); read-only personas
(supervisors, a grant holder, the receiving commune) never change anything; nobody outside
KNOWS ever gets the child's name, address or parents in a page.
"""

import re

from django.db import transaction
from django.test import Client
from django.urls import get_resolver
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.views.actions import WEB_ACTIONS
from permissions.auth import needs_second_factor

from .routes import WEB
from .test_matrix import KNOWS, PERSONAS, SEES, matrix_case, walk  # noqa: F401  (fixture)

# Personas who may change something on the matrix case through some action.
ACTORS = {"officer_a", "chair_a", "police_a", "counsellor_a", "officer_c"}


def signed_in(user) -> Client:
    """A client past the password and, for roles that need it, the second factor."""
    client = Client()
    client.force_login(user)
    if needs_second_factor(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="matrix", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def web_routes():
    return {name: path for path, name in walk(get_resolver()) if name and not path.startswith(("api/", "admin/",
                                                                                                 "account/"))}


def test_every_web_route_is_declared():
    assert set(web_routes()) == set(WEB), set(web_routes()) ^ set(WEB)


def test_web_matrix(world, matrix_case):
    case, ids = matrix_case
    identity = [case.child.full_name, case.child.address, case.child.parents]
    failures = []
    pages = [f"/cases/{case.pk}/", f"/cases/{case.pk}/plan/", f"/cases/{case.pk}/approval/",
             f"/cases/{case.pk}/timeline/", f"/cases/{case.pk}/timeline.pdf",
             *[f"/cases/{case.pk}/forms/{n}/" for n in ("01", "02", "03", "04", "05", "06", "07")],
             f"/cases/{case.pk}/forms/01.pdf"]
    for who in PERSONAS:
        client = signed_in(world.users[who])
        for url in pages:
            with transaction.atomic():
                r = client.get(url)
                transaction.set_rollback(True)
            if who not in SEES:
                ok = r.status_code == 404
            elif "/forms/" in url and url[-4:-1] not in ("01", "07"):
                ok = r.status_code in (200, 403, 404)   # 404: no such form on file yet (no 02 … 06 here)
            else:
                ok = r.status_code in (200, 302, 403)   # 302: e.g. the plan page outside plan drafting
            if not ok:
                failures.append(f"GET {url} {who}: {r.status_code}")
            if who not in KNOWS and not url.endswith(".pdf"):
                for secret in identity:
                    if secret.encode() in r.content:
                        failures.append(f"GET {url} {who}: page shows the child's {secret!r}")
        for key in [k for k, a in WEB_ACTIONS.items() if not a.page]:
            url = f"/cases/{case.pk}/act/{key}/"
            data = {"version": case.version, "reason": "Matrix", "task_id": ids["task_id"],
                    "measure_id": ids["measure_id"], "order_id": ids["order_id"],
                    "transfer_id": ids["transfer_id"], "confirm": "on"}
            with transaction.atomic():
                r = client.post(url, data)
                transaction.set_rollback(True)
            if who not in SEES:
                if r.status_code != 404:
                    failures.append(f"POST {key} {who}: {r.status_code}, want 404")
            elif who not in ACTORS and r.status_code in (301, 302) and not (
                    # A supervisor's audited look at the identity is a change of its own (a grant).
                    key == "break_glass" and who.startswith("supervisor")):
                failures.append(f"POST {key} {who}: a read-only persona changed the case ({r.status_code})")
            elif r.status_code >= 500:
                failures.append(f"POST {key} {who}: {r.status_code}")
    assert not failures, "\n".join(failures)


def test_missing_case_and_unseen_case_look_the_same(world, matrix_case):
    case, ids = matrix_case
    client = signed_in(world.users["chair_b"])
    for template in ("/cases/{}/", "/cases/{}/timeline/", "/cases/{}/forms/01/", "/cases/{}/approval/"):
        seen = client.get(template.format(case.pk))
        missing = client.get(template.format(987654))
        assert seen.status_code == missing.status_code == 404
        # Same page apart from the id in the address.
        def normal(body):   # ids and the per-request CSRF token aside
            return re.sub(rb"\d+", b"", re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", body))
        assert normal(seen.content) == normal(missing.content)
