# City Benchmark. `make run` and `make test` do all the set-up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=
PO_FILES := $(wildcard benchmark/translations/*/LC_MESSAGES/messages.po benchmark/translations/*/LC_MESSAGES/reports.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test lint bench translations screenshots install install-dev clean-instance

run: $(VENV)/.installed $(MO_FILES)
	@$(BIN)/benchmark init
	@$(BIN)/benchmark demo seed --if-empty
	@BENCHMARK_BASE_URL=$${BENCHMARK_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/python run.py --host $(HOST) --port $(PORT)

test: $(VENV)/.dev-installed $(MO_FILES)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -p no:cacheprovider $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check benchmark tests run.py

bench: $(VENV)/.dev-installed $(MO_FILES)
	$(BIN)/python -m pytest tests/perf -p no:cacheprovider -s -q -o addopts="" --run-bench

# PNGs of the main pages of each role, in English and Arabic (needs chromium).
screenshots: $(VENV)/.dev-installed $(MO_FILES)
	$(BIN)/python tools/screenshots.py --out docs/screenshots

install: $(VENV)/.installed
install-dev: $(VENV)/.dev-installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# Catalogues are compiled on demand so that a fresh clone needs no extra step.
%.mo: %.po $(VENV)/.installed
	@$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

# Two gettext domains: "messages" (web interface, babel.cfg) and "reports" (PDF reports
# and the words of the cores' codes, babel-reports.cfg); both filled from tools/translations/.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --no-wrap -o benchmark/translations/messages.pot .
	$(BIN)/pybabel update -i benchmark/translations/messages.pot -d benchmark/translations --no-fuzzy-matching --no-wrap --ignore-pot-creation-date
	$(BIN)/pybabel extract -F babel-reports.cfg -k translate:2 -k N_ --no-location --sort-output --no-wrap -o benchmark/translations/reports.pot .
	@for lang in fr ar; do test -f benchmark/translations/$$lang/LC_MESSAGES/reports.po || \
	  $(BIN)/pybabel init -D reports -i benchmark/translations/reports.pot -d benchmark/translations -l $$lang --no-wrap; done
	$(BIN)/pybabel update -D reports -i benchmark/translations/reports.pot -d benchmark/translations --no-fuzzy-matching --no-wrap --ignore-pot-creation-date
	$(BIN)/python tools/fill_translations.py
	$(BIN)/pybabel compile -d benchmark/translations
	$(BIN)/pybabel compile -D reports -d benchmark/translations

clean-instance:
	rm -rf instance/benchmark.sqlite3* instance/reports
