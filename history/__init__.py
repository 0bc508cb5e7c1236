"""Row-level history of the case tables, written by PostgreSQL triggers (django-pghistory).

The case timeline (casework.CaseEvent) says what the services did and why. This app records
what happened to the rows, whoever did it: a service, the admin, a ``QuerySet.update()`` or raw
SQL typed into psql. A change here with no matching timeline event, or with no request context,
was made outside the services. On SQLite nothing is recorded: SQLite has no such triggers
(docs/audit.md).
"""
