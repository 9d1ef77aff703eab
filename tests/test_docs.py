"""The documentation lives in the repository: the figure catalogue is current, and nothing refers
to design documents kept outside it."""

import os
import re
from pathlib import Path

from reporting.figure_catalogue import CATALOGUE, render
from reporting.figures import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".git", ".venv", "node_modules", ".data", "staticfiles", "vendor", "__pycache__"}
OUTSIDE = re.compile(r"\b(DESIGN|DOMAIN|FIGURES|STYLE|STACK|SSD)\.md\b|\.\./shared\b")


def test_figure_catalogue_is_current():
    text = render()
    assert CATALOGUE.read_text() == text, "docs/figures.md is out of date: run `make docs`"
    # Every registered figure is in it, once, by id and title.
    for fig in REGISTRY.values():
        assert text.count(f"\n## {fig.id}: {fig.title}\n") == 1


def test_catalogue_lists_figures_sorted_by_id_with_their_definitions():
    text = render()
    ids = re.findall(r"^## ([A-Z]+-\d+[a-z]?):", text, flags=re.MULTILINE)
    assert ids == sorted(REGISTRY) and len(ids) == len(REGISTRY)
    rev03 = text.split("## REV-03:")[1].split("\n## ")[0]
    assert "- section: Reviews (`reviews`)" in rev03
    assert "- target: 95%; better: higher" in rev03
    assert "held on or before their due date" in rev03


def _project_files():
    suffixes = {".py", ".md", ".html", ".sh", ".toml", ".yml", ".yaml", ".txt"}
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP]
        for name in files:
            if Path(name).suffix in suffixes:
                yield Path(folder) / name


def test_nothing_refers_to_design_documents_outside_the_repository():
    found = []
    for path in _project_files():
        if path == Path(__file__):
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_docs_link_to_files_that_exist():
    for page in (ROOT / "docs").rglob("*.md"):
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text()):
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links to {target}"
