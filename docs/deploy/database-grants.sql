-- What the app's role may do (docs/deploy/database-roles.md). Idempotent: run it, connected to
-- the casework database as casework_owner (or a superuser), after EVERY `manage.py migrate`:
--     psql -v ON_ERROR_STOP=1 -d casework -f database-grants.sql
-- deploy.sh-style scripts should run it in the same step as the migration.

-- Nobody but the owner creates objects; the app may connect and use the schema.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO casework_app;
DO $$
BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO casework_app', current_database());
END $$;

-- Ordinary tables: read and write rows, nothing else (no TRUNCATE, REFERENCES or TRIGGER).
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM casework_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO casework_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO casework_app;

-- Audit tables: add and read only. The case timeline, its anchors, sign-in events and every
-- row-history table (history_*). The triggers refuse UPDATE/DELETE/TRUNCATE as well; the
-- privileges make the refusal independent of them.
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN
        SELECT tablename FROM pg_tables
        WHERE schemaname = 'public'
          AND (tablename IN ('casework_caseevent', 'casework_auditanchor', 'permissions_authevent',
                             'evidence_fileevent')
               OR tablename LIKE 'history\_%')
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE ON %I FROM casework_app', t);
    END LOOP;
END $$;
