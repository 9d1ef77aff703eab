# The two commands of the README are `make run` and `make test`.
.PHONY: run test stop setup lint smoke bench bench-report audit bench-load bench-faults bench-open bench-returns bench-ssd recovery docs typecheck

run:
	@scripts/setup.sh
	@scripts/run.sh

# The suite runs on PYTEST_WORKERS processes (pytest-xdist; `auto` = one per core), each with its
# own test database; tests of one module stay on one worker (--dist loadscope). It prints its time.
PYTEST_WORKERS ?= auto

test:
	@scripts/setup.sh --browser
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/djlint --lint templates
	.venv/bin/mypy iro reporting
	.venv/bin/python manage.py makemigrations --check --dry-run
	@start=$$(date +%s); \
	.venv/bin/python -m pytest --create-db -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS); \
	status=$$?; elapsed=$$(( $$(date +%s) - start )); \
	echo "make test: the test suite took $$((elapsed / 60)) min $$((elapsed % 60)) s on $(PYTEST_WORKERS) workers"; \
	exit $$status

# The date-sensitive tests as of each hard day (bank holidays, clock changes, the reporting
# year's edge, 29 February): `pytest --today D` for each day in scripts/test-dates.sh.
.PHONY: test-dates
test-dates:
	@scripts/setup.sh
	scripts/test-dates.sh $(PYTEST_ARGS)

stop:
	@scripts/stop-db.sh

setup:
	@scripts/setup.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/djlint --lint templates

# mypy with django-stubs on the core and reporting (configured in pyproject.toml).
typecheck:
	.venv/bin/mypy iro reporting

# docs/figures.md, the figure catalogue, written from the registered figures' docstrings.
docs:
	.venv/bin/python scripts/figure_catalogue.py

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

# SSD bootstrap and nightly sync: time and peak memory of importing a whole extract into an empty
# service, then a nightly run with 1% of rows changed (SCALE=small|la|national).
bench-ssd:
	@scripts/setup.sh
	.venv/bin/python bench/ssd.py --scale $(or $(SCALE),la)

# Known vulnerabilities in the locked Python (pip-audit) and npm dependencies; fails on any.
audit:
	@scripts/setup.sh
	.venv/bin/python scripts/audit.py

# The load model (issue 30): Poisson arrivals at 5, 10, 20 and 40 requests a second over each
# role's mix of pages and writes, against gunicorn as the Dockerfile runs it, with `la` data:
# p50/p95/p99, errors, CPU per request, p95 by role and the knee (bench/open_loop.py; SCALE,
# RATES, STEP_SECONDS as for bench-open). Not part of `make test`.
bench-load:
	@scripts/setup.sh
	.venv/bin/python bench/open_loop.py --scale $(or $(SCALE),la) --rates $(or $(RATES),5,10,20,40) \
		$(if $(STEP_SECONDS),--step-seconds $(STEP_SECONDS))

# Fault test: gunicorn on its own PostgreSQL and Redis with `la` data, Locust for 60 s at 50 users
# clicking without pause; FAULTS=1 restarts Redis and PostgreSQL mid-run. Not part of `make test`.
bench-faults:
	@scripts/setup.sh
	.venv/bin/python bench/load/run.py $(if $(FAULTS),--faults)

# Open-loop benchmark: Poisson arrivals stepped in rate against gunicorn as the Dockerfile runs it,
# p50/p95/p99, errors, 503s and CPU per request per step, and the knee (SCALE=small|la|national,
# RATES=5,10,20,..., STEP_SECONDS=30). SURGE=1 then runs twice the knee (SURGE_SECONDS=120) and
# checks that no write was lost. Not part of `make test`.
bench-open:
	@scripts/setup.sh
	.venv/bin/python bench/open_loop.py --scale $(or $(SCALE),la) $(if $(RATES),--rates $(RATES)) \
		$(if $(STEP_SECONDS),--step-seconds $(STEP_SECONDS)) $(if $(SURGE),--surge) \
		$(if $(SURGE_SECONDS),--surge-seconds $(SURGE_SECONDS))

# The SSDA903 round trip at `la` (SCALE=small for a quick run): every figure of two collection
# years before and after exporting and importing the returns. Not part of `make test`.
bench-returns:
	@scripts/setup.sh
	.venv/bin/python bench/returns_round_trip.py --scale $(or $(SCALE),la)

# Backup and restore proved on a scratch copy (timings printed). Not part of `make test`.
recovery:
	@scripts/setup.sh
	.venv/bin/python bench/recovery.py
