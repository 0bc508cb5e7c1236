import datetime as dt

import pytest
from django.utils import timezone

from prevention import services as S
from prevention.cast import extend_world
from prevention.states import GoalKind, Measurement

# The browser tests of this folder run like those of tests/browser (Debian's Chromium); the seed
# data is put back after each transactional test by tests/conftest.py.
from tests.browser.conftest import (  # noqa: F401  (fixtures re-used)
    browser_context_args,
    browser_type_launch_args,
    fast_passwords,
    shots,
)


@pytest.fixture
def pworld(world, settings, tmp_path):
    """casework's cast plus the commune bodies of a child-work plan and principal_a."""
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return extend_world(world)


def this_year() -> int:
    return timezone.localdate().year


def target(wording="90% trẻ em biết kỹ năng phòng, chống đuối nước", **kw) -> S.TargetInput:
    fields = {"wording": wording, "goal_kind": GoalKind.SHARE, "goal_value": 90, "measurement": Measurement.PARTICIPATION,
                  "activity_kinds": ["drowning"]}
    fields.update(kw)
    return S.TargetInput(**fields)


@pytest.fixture
def draft_plan(pworld):
    """Commune A's plan for this year, drafted by officer_a with one target and two tasks."""

    def make(year=None, tasks=("a.police", "a.health")):
        u, o = pworld.users, pworld.orgs
        plan = S.plan_create(actor=u["officer_a"], organisation_id=o["a.committee"].pk, year_from=year or this_year())
        S.target_save(actor=u["officer_a"], plan_id=plan.pk, data=target())
        for key in tasks:
            S.task_assign(actor=u["officer_a"], plan_id=plan.pk, organisation_id=o[key].pk,
                          title=f"Nhiệm vụ của {o[key].name}", due_on=dt.date(plan.year_from, 11, 5))
        plan.refresh_from_db()
        return plan

    return make


@pytest.fixture
def issued_plan(pworld, draft_plan):
    def make(**kw):
        u = pworld.users
        plan = draft_plan(**kw)
        S.plan_submit(actor=u["officer_a"], plan_id=plan.pk)
        S.plan_sign(actor=u["chair_a"], plan_id=plan.pk)
        S.plan_issue(actor=u["chair_a"], plan_id=plan.pk, number="12/KH-UBND")
        plan.refresh_from_db()
        return plan

    return make
