"""Issue 14: the transition path — calendar and policies cached per process with invalidation,
access and lock in one statement. Counts and contents, never timings."""

import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from casework.errors import CaseNotFound
from casework.models import Case
from casework.services.deadlines import deadlines_replace
from permissions.access import access_case_by_id, case_queryset_for
from workflows import calendar as cal
from workflows.calendar import WorkingCalendar
from workflows.models import DeadlinePolicy
from workflows.policy import DeadlineKind


@pytest.fixture
def fresh_cache():
    # The module's cases are written in a transaction that is rolled back at the end: nothing
    # read here may outlive the test in the process's cache.
    cal.clear_cache()
    yield
    cal.clear_cache()


def _workflow_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "workflows_calendarday" in q["sql"] or "workflows_deadlinepolicy" in q["sql"]]


def test_a_recomputation_reads_the_calendar_and_policies_once_per_process(world, cases, fresh_cache):
    case = Case.objects.select_related("intake", "commune").get(pk=cases.implementing.pk)
    with transaction.atomic(), CaptureQueriesContext(connection) as first:
        deadlines_replace(case)
    assert len(_workflow_queries(first.captured_queries)) == 2, "calendar + policies, once"
    with transaction.atomic(), CaptureQueriesContext(connection) as second:
        deadlines_replace(case)
    assert _workflow_queries(second.captured_queries) == []
    # Another commune is another entry.
    other = Case.objects.select_related("intake", "commune").exclude(commune_id=case.commune_id).first()
    if other is not None:
        with transaction.atomic(), CaptureQueriesContext(connection) as third:
            deadlines_replace(other)
        assert len(_workflow_queries(third.captured_queries)) == 2


def test_a_policy_written_here_applies_at_once(world, cases, fresh_cache):
    area = cases.implementing.commune
    assert WorkingCalendar(area).policies().get(DeadlineKind.PLAN_DRAFT) is None  # cached now
    DeadlinePolicy.objects.create(area=area, kind=DeadlineKind.PLAN_DRAFT, value=3)
    found = WorkingCalendar(area).policies()[DeadlineKind.PLAN_DRAFT]
    assert [p.value for p in found] == [3]
    DeadlinePolicy.objects.filter(area=area).get().delete()
    assert WorkingCalendar(area).policies().get(DeadlineKind.PLAN_DRAFT) is None


def test_a_rolled_back_policy_is_never_served_from_the_cache(world, cases, fresh_cache):
    area = cases.implementing.commune
    with transaction.atomic():
        DeadlinePolicy.objects.create(area=area, kind=DeadlineKind.PLAN_DRAFT, value=3)
        assert DeadlineKind.PLAN_DRAFT in WorkingCalendar(area).policies()  # its own write
        transaction.set_rollback(True)
    assert DeadlineKind.PLAN_DRAFT not in WorkingCalendar(area).policies()
    assert cal._cache == {}, "nothing cached while an uncommitted write may be undone"


def test_entries_expire_after_the_documented_age(world, cases, fresh_cache, settings, django_assert_num_queries):
    area = cases.implementing.commune
    settings.WORKFLOWS_CACHE_SECONDS = 0.2
    WorkingCalendar(area).overrides  # noqa: B018 - loads and caches
    with django_assert_num_queries(0):
        WorkingCalendar(area).overrides  # noqa: B018
    time.sleep(0.3)
    with django_assert_num_queries(1):
        WorkingCalendar(area).overrides  # noqa: B018
    settings.WORKFLOWS_CACHE_SECONDS = 0  # off: every calendar reads the table
    with django_assert_num_queries(2):
        WorkingCalendar(area).overrides  # noqa: B018
        WorkingCalendar(area).overrides  # noqa: B018


def test_uncached_calendars_always_read(world, cases, fresh_cache, django_assert_num_queries):
    area = cases.implementing.commune
    WorkingCalendar(area).policies()
    with django_assert_num_queries(1):
        WorkingCalendar(area, cached=False).policies()


def test_one_statement_loads_locks_and_checks_a_case(world, cases):
    officer = world.users["officer_a"]
    officer.__dict__.pop("_casework_assignments", None)
    access_case_by_id(officer, cases.implementing.pk)  # assignments loaded (once per request)
    with CaptureQueriesContext(connection) as q, transaction.atomic():
        access = access_case_by_id(officer, cases.implementing.pk, for_update=True)
    sql = [x["sql"] for x in q.captured_queries if x["sql"].startswith("SELECT")]
    assert len(sql) == 1, sql
    assert access.case.pk == cases.implementing.pk and access.content_visible


def test_an_anonymous_or_unseen_caller_gets_not_found(world, cases):
    with pytest.raises(CaseNotFound):
        access_case_by_id(AnonymousUser(), cases.implementing.pk)
    # Another commune's officer: the row exists, is read, and is refused like a missing one —
    # the same answer as the list filter gives.
    outsider = world.users["officer_b"]
    assert not case_queryset_for(outsider).filter(pk=cases.implementing.pk).exists()
    with pytest.raises(CaseNotFound), transaction.atomic():
        access_case_by_id(outsider, cases.implementing.pk, for_update=True)
    with pytest.raises(CaseNotFound):
        access_case_by_id(world.users["officer_a"], 10**9)


@pytest.mark.parametrize("content", [True, False])
def test_the_single_case_check_agrees_with_the_list_filter_for_every_persona(world, cases, content):
    """``access_case_by_id`` decides from the locked row in Python what ``visible_case_filter``
    decides in SQL: both must admit exactly the same (persona, case) pairs."""
    import datetime as dt

    from django.utils import timezone

    from casework.services import grants
    from permissions.models import CaseUserObjectPermission

    granted, holder = cases.received, world.users["officer_b"]
    grants.grant_give(actor=world.users["chair_a"], case_id=granted.pk, user_id=holder.pk, days=3,
                      purpose="Chuẩn bị hỗ trợ")
    [expired] = grants.grant_give(actor=world.users["chair_a"], case_id=cases.verifying.pk,
                                  user_id=world.users["police_b"].pk, days=1, purpose="Điều tra cũ")
    CaseUserObjectPermission.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    disagreements = []
    for name, user in world.users.items():
        user.__dict__.pop("_casework_assignments", None)
        listed = set(case_queryset_for(user, content=content).filter(pk__in=[c.pk for c in cases.all])
                     .values_list("pk", flat=True))
        for case in cases.all:
            try:
                access_case_by_id(user, case.pk, content=content)
                seen = True
            except CaseNotFound:
                seen = False
            # The subquery form of the filter (inline_grants=False) admits the same cases.
            subq = case_queryset_for(user, content=content, inline_grants=False).filter(pk=case.pk).exists()
            if seen != (case.pk in listed) or subq != seen:
                disagreements.append((name, case.code, seen))
    assert disagreements == []
    assert granted.pk in set(case_queryset_for(holder, content=content).values_list("pk", flat=True))
