#!/bin/sh
# Runs once, when the database volume is first made (docker-entrypoint-initdb.d), as the
# image's superuser. The app never connects as a superuser: it gets three roles.
#
#   safeguard_owner  LOGIN, BYPASSRLS  owns the schema; used only by the one-off `migrate` service
#   safeguard_app    LOGIN, NOBYPASSRLS  web, worker and beat; held to row-level security
#   safeguard_jobs   NOLOGIN, BYPASSRLS  reached only by `SET ROLE` inside dangerously_all_orgs()
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v owner_pw="$SAFEGUARD_OWNER_PASSWORD" -v app_pw="$SAFEGUARD_APP_PASSWORD" <<'SQL'
CREATE ROLE safeguard_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS PASSWORD :'owner_pw';
CREATE ROLE safeguard_jobs NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS;
CREATE ROLE safeguard_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT
    PASSWORD :'app_pw' IN ROLE safeguard_jobs;
CREATE DATABASE safeguard OWNER safeguard_owner;
REVOKE ALL ON DATABASE safeguard FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE safeguard TO safeguard_app;
\connect safeguard
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO safeguard_app, safeguard_jobs;
SQL
