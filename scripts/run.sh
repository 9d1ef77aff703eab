#!/usr/bin/env bash
# Starts the service locally: migrate, load demo data on first run, then the web server and a
# Celery worker with beat. Ctrl-C stops both. The embedded database keeps running (make stop).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

$PY manage.py migrate --noinput
$PY manage.py seed_demo

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Stopped the web server and the worker. 'make stop' stops the embedded database."
}
trap cleanup INT TERM EXIT

.venv/bin/celery -A config.celery_app worker -B --loglevel=WARNING --concurrency=1 \
  --schedule "${IRO_DATA_DIR:-.data}/celerybeat-schedule" &
pids+=($!)
# PORT (and HOST) choose where the web server listens: PORT=8080 make run
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
$PY manage.py runserver "$HOST:$PORT" &
pids+=($!)
echo
echo "The IRO service is running at http://$HOST:$PORT/ (Ctrl-C to stop)."
echo "The worker runs the reminder rules on start; emails are written to ${IRO_DATA_DIR:-.data}/mail/."
wait -n "${pids[@]}"
