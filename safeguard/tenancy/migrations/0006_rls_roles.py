"""Row-level security roles (issue 8, item 13); the policies are applied after every migrate.

PostgreSQL roles belong to the whole server. They are created here when the
migrating role is a superuser (development, tests, CI); in production the
database's init script creates them (docker/postgres/init-roles.sh) and the
migrating role, not a superuser, skips this step.
"""

from django.db import migrations

CREATE_ROLES = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'safeguard_app') THEN
        BEGIN
            CREATE ROLE safeguard_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        EXCEPTION WHEN duplicate_object THEN NULL;
        END;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'safeguard_jobs') THEN
        BEGIN
            CREATE ROLE safeguard_jobs NOLOGIN NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE;
        EXCEPTION WHEN duplicate_object THEN NULL;
        END;
    END IF;
END
$$;
"""


def create_roles(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if not row or not row[0]:
            print("\n  Not a superuser: the roles safeguard_app and safeguard_jobs must exist already (README).")
            return
        cursor.execute(CREATE_ROLES)


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0005_organisation_immediate_risk_action_working_days")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop, elidable=False)]
