# Every target creates .venv on first use (idempotent: re-installs only when pyproject.toml or the lock
# changes). Installs are pinned by requirements-dev.lock (`make lock` regenerates both lock files).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

LOCK   := requirements-dev.lock

.PHONY: venv demo test lint bench train lock clean

venv: $(STAMP)

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/qunbot demo
	@# the operator's view of the same history: a self-contained HTML report (prints its path)
	$(BIN)/qunbot report --db qunbot-demo.db --group console:group:demo --period month --out reports

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot handlers rules storage
	$(BIN)/lint-imports --no-cache

# The end-to-end benchmark, three rounds each (min / median / max), with python-telegram-bot's own
# parse-and-dispatch floor measured in the same rounds, on SQLite and on the local PostgreSQL.
BENCH_PG ?= postgresql+asyncpg://postgres@127.0.0.1:5432/qunbot_bench
bench: $(STAMP)
	$(BIN)/qunbot bench --rounds 3 --floor --detector
	$(BIN)/qunbot bench --rounds 3 --floor --db $(BENCH_PG)

train: $(STAMP)
	$(BIN)/qunbot train-detector

# Pinned versions for reproducible installs: requirements.lock (the image: runtime + PostgreSQL) and
# requirements-dev.lock (make, CI). Run after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --no-emit-index-url --no-emit-find-links --strip-extras --extra postgres \
		-o requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --no-emit-index-url --no-emit-find-links --strip-extras --extra dev \
		-o $(LOCK) pyproject.toml
	sed -i '/^qunbot @ /,/^[^ ]/{/^qunbot @ /d;/^    #/d}' $(LOCK)  # the project itself is no pin

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
