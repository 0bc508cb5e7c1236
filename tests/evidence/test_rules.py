"""permissions.evidence branch by branch, where the services cannot reach (they stop earlier)."""

import pytest

from evidence.models import Attachment
from permissions import evidence as rules
from permissions.access import case_access

pytestmark = pytest.mark.django_db


def test_an_unknown_target_takes_no_file(world, case):
    assert rules.attach_assignment(case_access(world.users["officer_a"], case), "plan") is None


def test_a_status_only_view_downloads_nothing(world, case):
    access = case_access(world.users["hotline"], case)
    assert not access.content_visible
    assert not rules.may_download(access, Attachment(case=case, target="case"))
    assert rules.attach_assignment(access, "case") is None and rules.attach_refusal(access) == ""
