# The two commands of the README are `make run` and `make test`.
.PHONY: run test stop setup lint smoke

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
