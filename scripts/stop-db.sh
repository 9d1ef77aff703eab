#!/usr/bin/env bash
# Stops the embedded PostgreSQL server in .data/ (started on demand by the service).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python - <<'PY'
import os
from pathlib import Path

from config.embedded_db import stop

print(stop(Path(os.environ.get("IRO_DATA_DIR", ".data"))))
PY
