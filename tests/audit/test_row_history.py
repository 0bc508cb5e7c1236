"""Row-level history (history/, django-pghistory): changes made outside the services are seen."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from rest_framework.test import APIClient

from casework.models import Case, CaseEvent
from history.models import TRACKED
from tests.casework import scenario

pytestmark = pytest.mark.postgres_only


def history(model):
    from django.apps import apps

    return apps.get_model("history", f"{model.__name__}History")


def test_every_tracked_table_has_an_event_model():
    assert {m.__name__ for m in TRACKED} >= {"Case", "Child", "Intake", "Plan", "Measure", "Task", "Review"}


def test_raw_sql_on_a_case_is_recorded_with_no_context(world, open_case):
    case = open_case()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Case._meta.db_table} SET status = 'closed' WHERE id = %s", [case.pk])
    rows = list(history(Case).objects.filter(pgh_obj_id=case.pk).order_by("pgh_id")
                .values_list("pgh_label", "status", "pgh_context_id"))
    assert rows[0][0] == "insert"
    assert rows[-1] == ("update", "closed", None)  # no request context: it came from outside the app


def test_a_row_deleted_with_sql_is_kept(world, open_case):
    from casework.models import CaseAbuseForm

    case = open_case()
    form = CaseAbuseForm.objects.get(case=case)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {CaseAbuseForm._meta.db_table} WHERE case_id = %s", [case.pk])
    deleted = history(CaseAbuseForm).objects.get(pgh_obj_id=form.pk, pgh_label="delete")
    assert (deleted.case_id, deleted.term_id) == (case.pk, form.term_id)


def test_a_change_through_the_api_carries_the_user_and_url(world):
    from tests.api.helpers import report_payload

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(world.users["counsellor_a"])
    response = client.post("/api/cases/", report_payload(world), format="json")
    assert response.status_code == 201, response.content
    inserted = history(Case).objects.select_related("pgh_context").get(pgh_obj_id=response.json()["id"],
                                                                       pgh_label="insert")
    assert inserted.pgh_context.metadata == {"user": world.users["counsellor_a"].pk, "url": "/api/cases/"}


def test_history_tables_refuse_update_delete_and_truncate(world, open_case):
    open_case()
    table, before = history(Case)._meta.db_table, history(Case).objects.count()
    for sql in (f"UPDATE {table} SET status = 'x'", f"DELETE FROM {table}", f"TRUNCATE {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL casework.allow_truncate = off")
            cursor.execute(sql)
    assert history(Case).objects.count() == before


def test_an_event_edited_with_its_guard_off_keeps_its_original(world, open_case):
    """Someone who switches off only the append-only trigger still leaves the old row behind."""
    case = open_case()
    scenario.verify(world, case)
    event = CaseEvent.objects.get(case=case, seq=2)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {CaseEvent._meta.db_table} DISABLE TRIGGER casework_caseevent_append_only")
        cursor.execute(f"UPDATE {CaseEvent._meta.db_table} SET reason = 'edited' WHERE id = %s", [event.pk])
        cursor.execute(f"ALTER TABLE {CaseEvent._meta.db_table} ENABLE TRIGGER casework_caseevent_append_only")
    from django.apps import apps

    kept = apps.get_model("history", "CaseEventTampering").objects.get(pgh_obj_id=event.pk)
    assert (kept.pgh_label, kept.reason, kept.hash) == ("update", event.reason, event.hash)
