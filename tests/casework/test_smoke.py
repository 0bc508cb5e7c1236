from casework.models import CaseEvent


def test_counsellor_opens_case_in_incident_commune(world, open_case):
    case = open_case()
    assert case.commune == world.areas["a"]
    assert case.status == "received"
    assert case.level == "intervention"
    assert list(CaseEvent.objects.filter(case=case).values_list("type", flat=True)) == [101]
