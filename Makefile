# Two commands for people (`make run`, `make test`); the rest are helpers they call.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The locks (requirements/*.txt, from pyproject.toml by `make lock`) pin every package with its hashes.
LOCK := requirements/test.txt
RUNTIME_LOCK := requirements/runtime.txt
BENCH_LOCK := requirements/bench.txt
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)
RUNTIME_STAMP := $(VENV)/.runtime-$(shell cat pyproject.toml $(RUNTIME_LOCK) | cksum | cut -d' ' -f1)
AXE_DIR := tests/axe
AXE_STAMP := $(AXE_DIR)/node_modules/.installed-$(shell cksum < $(AXE_DIR)/package-lock.json | cut -d' ' -f1)
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
# `flask run` serves where these say, and without PUBLIC_URL the app builds its links on them (settings.py local_url).
DEVELOPMENT := CAPACITA_ENV=development FLASK_RUN_HOST=$(HOST) FLASK_RUN_PORT=$(PORT)

.PHONY: run test bench lint test-sqlite test-postgresql install install-runtime lock translations translations-update axe system-packages

# Re-installs whenever pyproject.toml or the lock changes (the stamp carries their checksum). The packages come
# from the lock, hash-checked; Capacita itself is installed editable without resolving anything again.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

# Production: the runtime lock only (no Playwright, pytest or ruff), and the compiled translations.
install-runtime: $(RUNTIME_STAMP)

$(RUNTIME_STAMP): pyproject.toml $(RUNTIME_LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes -r $(RUNTIME_LOCK)
	$(BIN)/python -m pip install -q --no-deps -e .
	$(BIN)/pybabel compile -d translations >/dev/null
	rm -f $(VENV)/.runtime-*
	touch $@

# After changing dependencies in pyproject.toml: pin them again (uv, from PyPI; every platform's hashes). The
# runtime and benchmark locks are resolved within the test lock, so all three pin the same versions.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q 'uv>=0.5'
	$(BIN)/uv pip compile -q pyproject.toml --extra test --generate-hashes --universal --python-version 3.11 \
		-o $(LOCK)
	$(BIN)/uv pip compile -q pyproject.toml --generate-hashes --universal --python-version 3.11 \
		-c $(LOCK) -o $(RUNTIME_LOCK)
	$(BIN)/uv pip compile -q pyproject.toml --extra test --extra bench --generate-hashes --universal \
		--python-version 3.11 -c $(LOCK) -o $(BENCH_LOCK)

install: $(STAMP) translations axe

# axe-core for the accessibility tests, at the version tests/axe/package-lock.json pins (re-installed when it
# changes). Without npm those tests are skipped with the reason; in CI (CI=true) a missing npm fails here.
axe: $(AXE_STAMP)

$(AXE_STAMP): $(AXE_DIR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(AXE_DIR) --no-audit --no-fund --loglevel=error && \
		rm -f $(AXE_DIR)/node_modules/.installed-* && touch $@; \
	else \
		case "$${CI:-}" in 1|true|TRUE|True|yes) \
			echo "npm not found: CI requires it for the accessibility tests (install Node.js and npm)" >&2; exit 1;; \
		esac; \
		echo "npm not found: the accessibility tests will be skipped (install Node.js and npm to run them)"; \
	fi

translations: $(STAMP)
	$(BIN)/pybabel compile -d translations >/dev/null

run: install
	$(DEVELOPMENT) $(FLASK) db upgrade
	$(DEVELOPMENT) $(FLASK) demo --if-empty
	@echo
	@echo "  Capacita is at http://$(HOST):$(PORT)/"
	@echo "  Log in as admin@capacita.example with password 'capacita-demo'"
	@echo "  (focal point of Mexico: punto.focal.mx@capacita.example, same password)"
	@echo "  (an organizer reading in Portuguese: organizacao.pt@capacita.example, same password)"
	@echo "  The worker (messages, PDFs, scheduled work) runs beside it; Ctrl-C stops both."
	@echo
	@$(DEVELOPMENT) $(FLASK) worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
		$(DEVELOPMENT) $(FLASK) run

# The suite runs on SQLite, then on PostgreSQL (skipped with a reason where no server answers; required in CI).
test: system-packages install lint test-sqlite test-postgresql

# What the tests use from the system: Chromium (browser tests, chart images), pdftoppm (poppler-utils: reading a
# certificate's QR code) and npm (axe-core). As root on a Debian-like machine they are installed with apt-get
# (INSTALL_SYSTEM_PACKAGES=no declines); elsewhere the tests that need them are skipped with the reason. CI needs them.
system-packages:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	[ -n "$$missing" ] || exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ "$${INSTALL_SYSTEM_PACKAGES:-yes}" != no ]; then \
		echo "Installing what the tests use:$$missing (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		case "$${CI:-}" in 1|true|TRUE|True|yes) \
			echo "CI needs$$missing: run as root on Debian, or install them" >&2; exit 1;; \
		esac; \
		echo "Not installed:$$missing. The tests that need them will be skipped, each with its reason"; \
		echo "(as root on Debian, make test installs them with apt-get)."; \
	fi

lint: install
	$(BIN)/ruff check .

test-sqlite: install
	$(BIN)/python -m pytest

test-postgresql: install
	CAPACITA_TEST_DB=postgresql $(BIN)/python -m pytest

# Figures quoted in README's Performance section (not part of the test suite). Every benchmark runs and prints
# its figures even when an earlier one missed a target; the exit status says whether all targets were met.
bench: install
	$(BIN)/python -c 'import locust, psutil, weasyprint' 2>/dev/null || \
		$(BIN)/python -m pip install -q --require-hashes -r $(BENCH_LOCK)
	status=0; \
	for script in import_participants participant_journey taking_load impact_stats impact_page certificates login_under_attack startup queue_work attendance_names; do \
		$(BIN)/python benchmarks/$$script.py || status=1; \
	done; \
	exit $$status

# After changing user-facing text: refresh the catalogs, then translate what is new in translations/*/messages.po.
translations-update: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot \
		--ignore-dirs=.venv --ignore-dirs=migrations --ignore-dirs=tests .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -w 100
