"""The shipped roles (docs/deploy/database-*.sql): the app's role can do its work, and cannot
rewrite, delete or empty the audit tables, nor switch their triggers off."""

from pathlib import Path

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from casework.audit import audit_anchor_write, verify_audit
from casework.models import CaseEvent
from tests.casework import scenario

pytestmark = pytest.mark.postgres_only

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy"

REFUSED = {
    "UPDATE casework_caseevent SET reason = 'x'": "permission denied for table casework_caseevent",
    "DELETE FROM casework_caseevent": "permission denied for table casework_caseevent",
    "TRUNCATE casework_caseevent CASCADE": "permission denied for table casework_caseevent",
    "UPDATE casework_auditanchor SET events = 0": "permission denied for table casework_auditanchor",
    "DELETE FROM casework_auditanchor": "permission denied for table casework_auditanchor",
    "DELETE FROM history_casehistory": "permission denied for table history_casehistory",
    "UPDATE permissions_authevent SET username = 'x'": "permission denied for table permissions_authevent",
    "TRUNCATE casework_case CASCADE": "permission denied for table casework_case",
    "ALTER TABLE casework_caseevent DISABLE TRIGGER ALL": "must be owner of table casework_caseevent",
    "DROP TRIGGER casework_caseevent_append_only ON casework_caseevent": "must be owner of relation casework_caseevent",
    "CREATE TABLE casework_shadow (id int)": "permission denied for schema public",
    "SET session_replication_role = replica": 'permission denied to set parameter "session_replication_role"',
}


@pytest.fixture
def as_app_role(world):
    with connection.cursor() as cursor:
        cursor.execute((DEPLOY / "database-roles.sql").read_text())
        cursor.execute((DEPLOY / "database-grants.sql").read_text())
        cursor.execute("SET ROLE casework_app")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def test_the_app_role_works_a_case_and_anchors(world, open_case, as_app_role):
    case = open_case()
    scenario.verify(world, case)
    anchor = audit_anchor_write()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == ("casework_app",)
    assert CaseEvent.objects.filter(case=case).count() == 3
    assert verify_audit().ok and anchor.events == 3


@pytest.mark.parametrize("sql", list(REFUSED))
def test_the_app_role_cannot_touch_the_audit_trail(world, open_case, sql):
    open_case()
    with connection.cursor() as cursor:
        cursor.execute((DEPLOY / "database-roles.sql").read_text())
        cursor.execute((DEPLOY / "database-grants.sql").read_text())
        cursor.execute("SET ROLE casework_app")
    try:
        with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
        assert REFUSED[sql] in str(refused.value)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
