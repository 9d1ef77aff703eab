#!/usr/bin/env bash
# Back up the service's database to one file in PostgreSQL's custom format (compressed, and
# restorable table by table with pg_restore).
#
#   scripts/backup.sh [FILE]      FILE defaults to backups/iro-YYYYmmddTHHMMSSZ.dump
#
# Reads DATABASE_URL. Take it from a host that can reach the database; the dump is consistent
# (one snapshot) while the service keeps running. Keep the file encrypted and off the database
# server: it holds personal data about children.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must point at the database to back up}"
. "$(dirname "$0")/pg_tools.sh"
bin=$(pg_bin)
file="${1:-backups/iro-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$file")"
"$bin/pg_dump" --format=custom --compress=6 --no-owner --no-privileges --file="$file.partial" "$DATABASE_URL"
mv "$file.partial" "$file"
# A dump that pg_restore cannot read is no backup: list its contents before reporting success.
"$bin/pg_restore" --list "$file" >/dev/null
echo "$file"
