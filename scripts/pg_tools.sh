# Sourced by backup.sh and restore.sh: the directory of the PostgreSQL client tools to run.
#
# pg_dump refuses a server newer than itself, and pg_restore a file written by a newer pg_dump, so
# both scripts take the newest set of tools on the machine, all from one directory: PG_BIN if it
# is set, otherwise the newer of the one on PATH and the one that comes with the embedded server
# (pgserver, in the project's .venv). A machine whose PATH has PostgreSQL 15 tools and the
# embedded PostgreSQL 16 takes the latter.

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then
    echo "$PG_BIN"
    return
  fi
  local root on_path best="" best_major=0 dir major
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  on_path="$(command -v pg_dump || true)"
  for dir in "${on_path%/*}" "$root"/.venv/lib/python3*/site-packages/pgserver/pginstall/bin; do
    [ -n "$dir" ] && [ -x "$dir/pg_dump" ] && [ -x "$dir/pg_restore" ] && [ -x "$dir/psql" ] \
      || continue
    # "pg_dump (PostgreSQL) 15.20 (Debian ...)": the major version is the first number.
    major=$("$dir/pg_dump" --version | grep -oE '[0-9]+' | head -n 1)
    if [ "${major:-0}" -gt "$best_major" ]; then
      best="$dir"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "PostgreSQL's client tools (pg_dump, pg_restore, psql) not found: install them or set PG_BIN" >&2
    return 1
  fi
  echo "$best"
}
