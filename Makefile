# Varde — the two commands of the README, and the pieces they are made of.
#   make demo   install everything, then scan the demo corpus into a SQLite file and print the summary
#   make test   install everything, then run ruff, mypy and the whole test suite (what .ci/run calls)
#   make lock   refresh requirements.lock (exact versions with hashes) from pyproject.toml's ranges

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
# The lock tool itself is pinned, so a refresh is reproducible too.
UV_VERSION := 0.13.10
LOCK_TOOL := .lock-tool
DEMO_DB := varde.db
DEMO_INPUTS := corpus/demo/posts.jsonl corpus/demo/posts.csv corpus/demo/telegram/result.json corpus/demo/telegram-account/result.json

.PHONY: demo test install lock system-deps services lint typecheck pytest clean

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/varde scan $(DEMO_INPUTS) --db sqlite:///$(DEMO_DB)
	@echo "demo database: $(DEMO_DB)"

test: install services lint typecheck pytest

# Varde's own modules are compiled as installing a package compiles it (an editable install does not): otherwise,
# where bytecode is not written (PYTHONDONTWRITEBYTECODE=1), every command compiles them anew, ~0.2 s at each start.
install: system-deps $(STAMP)
	$(BIN)/python -m compileall -q varde

# A fresh virtual environment holding exactly the locked versions (hashes checked), then Varde itself, editable,
# built without reaching for the index (setuptools and wheel are locked too).
$(STAMP): pyproject.toml $(LOCK)
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	touch $(STAMP)

# Resolve pyproject.toml's ranges (extras all + embed + dev) to the newest versions for CPython 3.11 on x86_64 Linux.
# After a refresh, run `varde train` and commit the model if numpy/scipy/scikit-learn moved (a test says so).
lock:
	$(PYTHON) -m venv $(LOCK_TOOL)
	$(LOCK_TOOL)/bin/pip install --quiet uv==$(UV_VERSION)
	$(LOCK_TOOL)/bin/uv pip compile pyproject.toml --extra all --extra embed --extra dev --generate-hashes \
		--python-version 3.11 --python-platform x86_64-unknown-linux-gnu --upgrade \
		--custom-compile-command "make lock" -o $(LOCK)

system-deps:
	sh scripts/install-system-deps.sh

services:
	sh scripts/start-services.sh

lint:
	$(BIN)/ruff check varde tests bench

typecheck:
	$(BIN)/mypy

# Tests that restart PostgreSQL or NATS run alone, after the rest -- also when the rest failed; the target fails
# at the end if either run failed.
pytest:
	@status=0; \
	$(BIN)/pytest -n 2 -m "not disruptive" -q || status=$$?; \
	$(BIN)/pytest -m disruptive -q || status=$$?; \
	exit $$status

clean:
	rm -rf $(VENV) $(LOCK_TOOL) $(DEMO_DB).media $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm test-output
