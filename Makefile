# Two entry points for a new machine: `make run` (the product, embedded mode) and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# `PORT=8101 make run` serves on another port (honcho hands the web process $PORT).
PORT ?= 8000

.PHONY: run test lint install

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11 / Python 3.11 is required ($(PYTHON))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Embedded mode: SQLite + Celery on kombu's filesystem transport; web, worker and beat in the foreground.
run: export DEBUG = 1
run: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	$(VENV)/bin/honcho start -f Procfile.dev -p $(PORT)

test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadgroup

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
