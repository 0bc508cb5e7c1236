-- Database roles of the child-protection case engine (docs/deploy/database-roles.md).
--
-- Part 1, once, as a superuser:   psql -v ON_ERROR_STOP=1 -f database-roles.sql
-- Then set the passwords interactively (never in a file):
--     \password casework_owner
--     \password casework_app
-- and create the database owned by the migration role:
--     createdb --owner=casework_owner casework
--
-- casework_owner  owns the schema and every table; runs `manage.py migrate`. Not a superuser.
-- casework_app    what the web server, the worker and run_timers connect as. Owns nothing, so it
--                 cannot ALTER a table, disable or drop a trigger, or TRUNCATE.

CREATE ROLE casework_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE ROLE casework_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
