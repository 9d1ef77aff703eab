#!/usr/bin/env bash
# Starts the service locally: migrate, load demo data on first run, then the web server and a
# Celery worker with beat. Ctrl-C stops both and exits 0. The embedded database keeps running
# (make stop).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

# PORT (and HOST) choose where the web server listens: PORT=8080 make run
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
# Links in emails must open the server started here: unless SITE_URL is set, it is this address
# (a server listening on every address, 0.0.0.0 or ::, is opened at 127.0.0.1 from this machine).
case "$HOST" in
  0.0.0.0 | "::" | "[::]") LINK_HOST=127.0.0.1 ;;
  \[*) LINK_HOST="$HOST" ;;
  *:*) LINK_HOST="[$HOST]" ;;
  *) LINK_HOST="$HOST" ;;
esac
export SITE_URL="${SITE_URL:-http://$LINK_HOST:$PORT}"

$PY manage.py migrate --noinput
$PY manage.py seed_demo

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo
  echo "Stopped the web server and the worker."
  if [ -z "${DATABASE_URL:-}" ]; then
    echo "The embedded database is still running (in ${IRO_DATA_DIR:-.data}/pg); 'make stop' stops it."
  fi
}
# Ctrl-C (or a TERM) is how the service is meant to stop: a clean stop exits 0.
stopped() {
  cleanup
  exit 0
}
trap stopped INT TERM
trap cleanup EXIT

.venv/bin/celery -A config.celery_app worker -B --loglevel=WARNING --concurrency=1 \
  --schedule "${IRO_DATA_DIR:-.data}/celerybeat-schedule" &
pids+=($!)
$PY manage.py runserver "$HOST:$PORT" &
pids+=($!)
echo
echo "The IRO service is running at http://$HOST:$PORT/ (Ctrl-C to stop)."
echo "The worker runs the reminder rules on start; emails are written to ${IRO_DATA_DIR:-.data}/mail/"
echo "with links to $SITE_URL."
wait -n "${pids[@]}"
