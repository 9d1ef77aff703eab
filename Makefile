# The two commands of the README are `make run` and `make test`.
.PHONY: run test stop setup lint smoke bench bench-report

run:
	@scripts/setup.sh
	@scripts/run.sh

test:
	@scripts/setup.sh --browser
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/python -m pytest --create-db $(PYTEST_ARGS)

stop:
	@scripts/stop-db.sh

setup:
	@scripts/setup.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

smoke:
	@scripts/setup.sh
	@scripts/smoke.sh

# Page timings and query counts at a data scale (SCALE=small|la|national), printed as a table.
bench:
	@scripts/setup.sh
	.venv/bin/python bench/run.py --scale $(or $(SCALE),la)

# The whole annual report computed uncached, per section against a sequential-scan floor, and a
# few figures with pandas over CSV dumps beside the service (SCALE=small|la|national).
bench-report:
	@scripts/setup.sh
	.venv/bin/python bench/report.py --scale $(or $(SCALE),la)
