"""Web and API offer exactly the same actions, for every persona of the permission matrix, on
cases in several states — because both render ``casework.selectors.offers``. The web page marks
each offered action with ``data-action`` (and ``data-record`` for an action on one record); the
API lists them at /api/cases/{id}/actions/."""

import re

from rest_framework.test import APIClient

from casework.api.views import WRITE_FOR
from casework.selectors.offers import SPECS
from casework.services import lifecycle
from casework.views.actions import WEB_ACTIONS
from tests.casework.scenario import to_submitted_plan

from .test_matrix import PERSONAS, matrix_case  # noqa: F401  (fixture)
from .test_web_matrix import signed_in

ACTION = re.compile(r'data-action="(\w+)"(?: data-record="(\d+)")?(?P<disabled> data-disabled)?')


def web_offers(client, case_id) -> set[tuple]:
    page = client.get(f"/cases/{case_id}/")
    if page.status_code != 200:
        return set()
    return {(m.group(1), int(m.group(2)) if m.group(2) else None, not m.group("disabled"))
            for m in ACTION.finditer(page.content.decode())}


def api_offers(user, case_id) -> set[tuple]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"/api/cases/{case_id}/actions/")
    if response.status_code != 200:
        return set()
    return {(o["action"], o["record"]["id"] if o["record"] else None, o["enabled"]) for o in response.json()}


def test_every_action_has_a_web_form_and_an_api_route():
    assert set(SPECS) == set(WEB_ACTIONS), set(SPECS) ^ set(WEB_ACTIONS)
    assert set(SPECS) == set(WRITE_FOR), set(SPECS) ^ set(WRITE_FOR)


def test_web_and_api_offer_the_same_actions_to_every_persona(world, matrix_case, open_case):
    emergency_case, _ids = matrix_case
    waiting = open_case("counsellor_a")
    to_submitted_plan(world, waiting)
    fresh = open_case("counsellor_a")
    lifecycle.case_verification_start(actor=world.users["officer_a"], case_id=fresh.pk)
    differences, offered = [], 0
    for who in PERSONAS:
        user = world.users[who]
        client = signed_in(user)
        for case in (emergency_case, waiting, fresh):
            web, api = web_offers(client, case.pk), api_offers(user, case.pk)
            offered += len(api)
            if web != api:
                differences.append(f"{who} on {case.status}: web only {web - api}, API only {api - web}")
    assert not differences, "\n".join(differences)
    assert offered > 30   # the matrix really offers things (a positive control)
