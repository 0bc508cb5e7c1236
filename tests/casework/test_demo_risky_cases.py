"""The demo shows the risky cases (issue 8, item 14): an open case with a clock due within hours
(amber), one already missed (red, recorded on its timeline), a supervisor's overdue view that is
not empty, and the user guide's example search finding a child the chosen user may see."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from casework.models import Case, CaseEvent
from casework.models import CaseEventType as E
from casework.selectors import clock_view
from casework.selectors.cases import case_list_for_user
from casework.selectors.identity import registry_matches
from casework.selectors.worklists import LIVE


def test_demo_has_an_amber_and_a_red_clock_and_the_guide_search_works(db, client):
    call_command("load_demo", stdout=StringIO())
    User = get_user_model()
    now = timezone.now()
    views = [clock_view(d, now) for c in Case.objects.filter(status__in=["emergency", "verifying"])
             for d in c.deadlines.filter(state__in=LIVE, met_at__isnull=True)]
    assert any(v["amber"] and not v["red"] for v in views)
    assert any(v["red"] for v in views)
    assert CaseEvent.objects.filter(type=E.DEADLINE_BREACHED).exists()
    supervisor = User.objects.get(username="supervisor_p1")
    assert case_list_for_user(supervisor, open_only=True, overdue=True).exists()
    # docs/user-guide.md, journey A: counsellor_a types "nguyen van an".
    assert [c.full_name for c in registry_matches(User.objects.get(username="counsellor_a"), "nguyen van an")] \
        == ["Nguyễn Văn An"]
