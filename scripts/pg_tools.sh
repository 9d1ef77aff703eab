# Sourced by backup.sh and restore.sh: which PostgreSQL client tool to run.
#
# pg_dump refuses a server newer than itself, and pg_restore a file written by a newer pg_dump, so
# both scripts take the newest tools on the machine: PG_BIN if it is set (a directory holding
# pg_dump, pg_restore and psql), otherwise the newer of those on PATH and those that come with
# the embedded server (pgserver, in the project's .venv). A machine whose PATH has PostgreSQL 15
# tools and the embedded PostgreSQL 16 takes the latter.

pg_tool() {
  local tool="$1"
  if [ -n "${PG_BIN:-}" ]; then
    echo "$PG_BIN/$tool"
    return
  fi
  local root best="" best_major=0 candidate major
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  for candidate in "$(command -v "$tool" || true)" \
      "$root"/.venv/lib/python3*/site-packages/pgserver/pginstall/bin/"$tool"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    # "pg_dump (PostgreSQL) 15.20 (Debian ...)": the major version is the first number.
    major=$("$candidate" --version | grep -oE '[0-9]+' | head -n 1)
    if [ "${major:-0}" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "$tool not found: install PostgreSQL's client tools or set PG_BIN" >&2
    return 1
  fi
  echo "$best"
}
