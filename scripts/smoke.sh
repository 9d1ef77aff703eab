#!/usr/bin/env bash
# Checks the embedded path from nothing: a fresh embedded database migrates, the demo data loads,
# and the web server answers. Uses a throw-away data folder and stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
unset DATABASE_URL REDIS_URL CELERY_BROKER_URL
export IRO_DATA_DIR="${IRO_DATA_DIR:-$(pwd)/.data-smoke}"
rm -rf "$IRO_DATA_DIR"
PY=.venv/bin/python
port=${SMOKE_PORT:-8765}

finish() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  scripts/stop-db.sh >/dev/null || true
  rm -rf "$IRO_DATA_DIR"
}
trap finish EXIT

$PY manage.py migrate --noinput >/dev/null
$PY manage.py seed_demo
$PY manage.py runserver --noreload "127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 1 60); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/health/" && break
  sleep 1
done
check() {  # path, expected status
  local got
  got=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$1")
  if [ "$got" != "$2" ]; then echo "smoke: $1 answered $got, expected $2" >&2; exit 1; fi
  echo "smoke: $1 -> $got"
}
check / 302
check /accounts/login/ 200
check /health/ 200
curl -s "http://127.0.0.1:$port/health/"; echo
echo "smoke: the embedded path works"
