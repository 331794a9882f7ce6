# MotCua — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The local PostgreSQL of the development machines and CI; pytest-django creates
# test_<name> itself. Override TEST_DATABASE_URL to point elsewhere. When nothing answers
# there, tools/with-postgres runs the PostgreSQL half on a throwaway cluster of its own.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/motcua
PYTEST_WORKERS ?= 2
# Extra pytest arguments for both halves, e.g. PYTEST_ARGS=tests/demo
PYTEST_ARGS ?=
SYSTEM_PACKAGES := chromium fonts-noto-core gettext libpango-1.0-0 libpangoft2-1.0-0 poppler-utils

.PHONY: install system-deps demo test test-sqlite test-postgres lint format openapi bench search-quality clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Debian's Chromium drives the browser tests, Noto gives PDFs and screenshots Vietnamese
# glyphs, gettext compiles translations, Pango lays out PDFs (WeasyPrint), poppler checks
# them. Installed only when missing and when we may.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = "0" ]; then echo "Cài gói hệ thống:$$missing"; apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
		else echo "Thiếu gói hệ thống:$$missing — hãy cài bằng: sudo apt-get install$$missing" >&2; exit 1; fi; \
	fi

demo: install
	$(BIN)/motcua demo

test: install system-deps lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install
	@echo "== Bộ kiểm thử trên SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The server at TEST_DATABASE_URL if one answers; else a throwaway one (installing Debian's
# postgresql package first when it is missing and we are root), removed afterwards.
test-postgres: install
	@echo "== Bộ kiểm thử trên PostgreSQL =="
	$(BIN)/python tools/with-postgres '$(TEST_DATABASE_URL)' -- $(BIN)/pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

openapi: install
	$(BIN)/motcua spectacular --file openapi.yaml --validate

bench: install
	$(BIN)/python -m bench
	$(MAKE) --no-print-directory search-quality

# Top-1, top-3 and MRR of realistic citizen queries on the demo catalogue (SQLite, and
# PostgreSQL when it answers); exit status 1 when a target of bench/search_quality.py is missed.
search-quality: install
	$(BIN)/python -m bench.search_quality

clean:
	rm -rf $(VENV) var build *.egg-info
