#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a new, empty database.
#
#   scripts/restore.sh FILE TARGET_DATABASE_URL
#
# The target database is created if it does not exist and must be empty: restoring over live data
# is refused. Point the service's DATABASE_URL at the target once this succeeds (then run
# `manage.py migrate` if the code is newer than the backup, and `manage.py check`).
set -euo pipefail
file="${1:?usage: scripts/restore.sh FILE TARGET_DATABASE_URL}"
target="${2:?usage: scripts/restore.sh FILE TARGET_DATABASE_URL}"
[ -r "$file" ] || { echo "cannot read $file" >&2; exit 1; }
. "$(dirname "$0")/pg_tools.sh"
bin=$(pg_bin)

# The database name is the URL's path; a query string (?host=/path/to/socket) is kept for the
# server's own "postgres" database, through which the target is created.
base="${target%%\?*}"
query=""
case "$target" in *\?*) query="?${target#*\?}" ;; esac
name="${base##*/}"
server="${base%/*}/postgres${query}"
exists=$("$bin/psql" "$server" -Atc "SELECT 1 FROM pg_database WHERE datname = '$name'")
if [ -z "$exists" ]; then
  "$bin/psql" "$server" -qc "CREATE DATABASE \"$name\""
fi
tables=$("$bin/psql" "$target" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "refusing to restore: $name already has $tables tables" >&2
  exit 1
fi
"$bin/pg_restore" --exit-on-error --single-transaction --no-owner --no-privileges --dbname="$target" "$file"
echo "restored $file into $name"
