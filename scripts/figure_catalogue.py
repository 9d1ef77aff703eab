"""Writes docs/figures.md from the registered figures (`make docs`); --check only compares.

Importing the figure registry needs Django's settings but no database connection, so a
placeholder DATABASE_URL keeps the settings from starting the embedded PostgreSQL.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "postgresql://localhost/figure-catalogue-no-connection")

import django  # noqa: E402

django.setup()

from reporting.figure_catalogue import CATALOGUE, render  # noqa: E402

text = render()
if "--check" in sys.argv[1:]:
    if not CATALOGUE.exists() or CATALOGUE.read_text() != text:
        sys.exit("docs/figures.md is out of date: run `make docs` and commit it.")
    print("docs/figures.md is current")
else:
    CATALOGUE.write_text(text)
    print(f"wrote docs/figures.md ({text.count(chr(10) + '## ')} figures)")
