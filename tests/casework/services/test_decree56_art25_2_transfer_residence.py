"""Decree 56/2017 art. 25.2 and Law on Children art. 52.2: the commune where the child lives plans
for them; a transfer declined or withdrawn keeps the child's residence as it was (issue 8, item 8)."""

import datetime as dt

import pytest

from casework.services import transfers
from casework.services.intake import ChildInput


@pytest.mark.parametrize("how", ["declined", "cancelled"])
@pytest.mark.parametrize("residence", [None, "c"])
def test_residence_as_it_was(world, open_case, how, residence):
    child = ChildInput(full_name="Phạm Thị Cúc", date_of_birth=dt.date(2014, 5, 6), sex="female",
                       residence_commune_id=world.areas[residence].pk if residence else None)
    case = open_case(child=child)
    before = case.residence_commune_id
    transfer = transfers.transfer_request(actor=world.users["officer_a"], case_id=case.pk,
                                          to_commune_id=world.areas["b"].pk, reason="Family may have moved.")
    case.refresh_from_db()
    assert case.residence_commune_id == world.areas["b"].pk
    if how == "declined":
        transfers.transfer_decide(actor=world.users["officer_b"], case_id=case.pk, transfer_id=transfer.pk,
                                  accept=False, reason="Not here.")
    else:
        transfers.transfer_cancel(actor=world.users["officer_a"], case_id=case.pk, transfer_id=transfer.pk,
                                  reason="Wrong commune.")
    case.refresh_from_db()
    assert case.residence_commune_id == before
    assert before != world.areas["a"].pk or residence is None
