"""DOMAIN.md §6 and Decree 56 (the child's name, age, image, address, school are private): masked
views show initials, sex and an age band, not the exact age; printing or exporting a case file
and its timeline is logged as a read of the identity (issue 8, item 11)."""

from casework.models import CaseEvent
from casework.models import CaseEventType as E
from casework.selectors.identity import age_band, masked_child


def test_masked_child_has_an_age_band_not_the_age(world, open_case):
    case = open_case()
    masked = masked_child(case.child)
    assert set(masked) == {"masked", "initials", "age_band", "sex"}
    assert masked["age_band"] == "6-10"
    assert [age_band(a) for a in (None, 0, 5, 6, 10, 11, 15, 16)] == [None, "0-5", "0-5", "6-10", "6-10", "11-15",
                                                                     "11-15", "16+"]


def test_exporting_the_timeline_and_a_form_is_logged(world, open_case, client):
    from tests.web.cases import login

    case = open_case()
    login(client, world.users["chair_a"])
    assert client.get(f"/cases/{case.pk}/timeline.pdf").status_code in (200, 503)
    exported = CaseEvent.objects.filter(case=case, type=E.FILE_EXPORTED)
    assert exported.count() == 1 and exported.get().data["document"] == "timeline_pdf"
    assert exported.get().data["identity"] is True
    client.get(f"/cases/{case.pk}/forms/01.pdf")
    assert CaseEvent.objects.filter(case=case, type=E.FILE_EXPORTED, data__document="form_01_pdf").exists()
