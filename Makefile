# Two commands do all the setup:  `make run`  and  `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PROJECT ?= data/communities.gpkg
# Debian packages: a CJK font so Chinese is not drawn as boxes, Qt's runtime
# libraries, Chromium for the exported-HTML tests, and PostgreSQL for the team
# store's tests (PostGIS itself is checked by its extension file, below).
APT_PACKAGES := fonts-noto-cjk libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 \
	libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 \
	libxcb-randr0 libxcb-render-util0 libxcb-image0 xvfb chromium postgresql

.PHONY: run test setup system-deps python-deps lint bench info

run: setup
	@$(PY) main.py --project $(PROJECT)

# ruff, then the import contracts of pyproject.toml, then every test (the slow
# ones build their own venvs: without PySide6, and from a wheel).
test: setup
	@$(PY) -m ruff check .
	@$(VENV)/bin/lint-imports
	@$(PY) -m pytest -q

setup: system-deps python-deps

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || \
	  missing="$$missing postgis postgresql-postgis"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages. Run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

python-deps: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[test]'
	@touch $@

lint: setup
	@$(PY) -m ruff check .
	@$(VENV)/bin/lint-imports

info: setup
	@$(PY) main.py info --project $(PROJECT)

bench: setup
	@$(PY) -m pip install -q -e '.[test,bench]'
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b; done
