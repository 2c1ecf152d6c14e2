#!/usr/bin/env bash
# Start Debian's PostgreSQL for the site's tests and make a throwaway database, then
# print the URL to export: eval "$(bash scripts/test-postgres.sh)". Runs as root (CI,
# the server itself runs as the postgres account) or as a user allowed to sudo.
set -euo pipefail
name=placehealth_test
password=placehealth_test
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
version="$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)"
if [ -z "$version" ]; then
  echo "PostgreSQL is not installed (bash scripts/system-deps.sh installs it)" >&2
  exit 1
fi
if ! pg_lsclusters -h | awk '{print $2}' | grep -qx main; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 1
done
# CREATEDB: each parallel test process makes its own database from this one
as_postgres "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='$name'\" | grep -q 1 || psql -qc \"CREATE ROLE $name LOGIN PASSWORD '$password'\"" >/dev/null
as_postgres "psql -qc 'ALTER ROLE $name CREATEDB'" >/dev/null
as_postgres "psql -q -c 'SET client_min_messages=warning' -c 'DROP DATABASE IF EXISTS $name' && psql -qc 'CREATE DATABASE $name OWNER $name'" >/dev/null
echo "export PLACEHEALTH_TEST_DATABASE_URL=postgresql+psycopg://$name:$password@127.0.0.1:5432/$name"
