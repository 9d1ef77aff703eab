#!/usr/bin/env bash
# Installs everything the service needs into the project folder: Python packages (uv, from
# uv.lock), front-end packages (npm, from package-lock.json) and the vendored GOV.UK/MOJ assets.
# With --browser it also makes sure Debian's chromium is present for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 12) else 1)' 2>/dev/null; then
  echo "Python 3.12 is required (python3 is $(python3 --version 2>&1))." >&2
  exit 1
fi
if ! python3 -m uv --version >/dev/null 2>&1; then
  echo "Installing uv..."
  python3 -m pip install --quiet uv
fi
python3 -m uv sync --locked --quiet

if ! command -v npm >/dev/null 2>&1; then
  echo "Node.js 20 or later with npm is required." >&2
  exit 1
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node scripts/vendor-assets.mjs >/dev/null

if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
