# Every target sets itself up: a fresh machine with only Python 3.11 needs nothing else.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# The stamps are keyed on pyproject.toml, so a second run skips the install
# and a changed dependency list triggers a new one.
PYPROJECT_KEY := $(shell cksum pyproject.toml | cut -d' ' -f1)
LAB_STAMP := $(VENV)/.installed-lab-$(PYPROJECT_KEY)
DEV_STAMP := $(VENV)/.installed-dev-$(PYPROJECT_KEY)
# rfc3987-syntax, which jupyter-events pulls in through jsonschema[format-nongpl], builds a
# parser when it is imported: 3-4 s of CPU in every process that imports nbformat (nbgrader,
# nbval, each notebook run). jsonschema uses it only to check the "iri" format, which no
# notebook schema has, and works without it, so the set-up removes it.
DROP := rfc3987-syntax
# nbgrader calls alembic by name, and the notebooks' kernel must be the venv's.
export PATH := $(abspath $(BIN)):$(PATH)
export PYTHONHASHSEED := 0

NBVAL := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-current-env

.PHONY: lab datasets assignments assignments-zh student-pack test lint doctest unit notebook-tests notebooks notebooks-zh clean-venv site

$(BIN)/python:
	command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 1; }
	@echo "set-up 1/3: making the virtual environment $(VENV) and updating pip"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(LAB_STAMP): pyproject.toml | $(BIN)/python
	@echo "set-up 2/3: installing casekit and JupyterLab into $(VENV) (about a minute; a first download takes longer)"
	$(BIN)/python -m pip install --quiet -e ".[lab]"
	$(BIN)/python -m pip uninstall --quiet -y $(DROP)
	rm -f $(VENV)/.installed-lab-*
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	@echo "set-up 2/3: installing casekit with the test and grading tools into $(VENV) (a minute or two)"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip uninstall --quiet -y $(DROP)
	rm -f $(VENV)/.installed-dev-* $(VENV)/.installed-lab-*
	touch $@ $(LAB_STAMP)

# The default case data: written on first use, checked against datasets/manifest.json after.
datasets: $(LAB_STAMP)
	@echo "set-up 3/3: checking the default case datasets (generated on first use, about 30 s)"
	$(BIN)/casekit datasets

# INSTRUCTOR=1 (make lab INSTRUCTOR=1) serves the repository with nbgrader's menus.
lab: datasets
	scripts/lab.sh

test: lint doctest unit notebook-tests

lint: $(DEV_STAMP)
	$(BIN)/ruff check casekit tests bench

doctest: $(DEV_STAMP)
	$(BIN)/python -m pytest --doctest-modules casekit -q

unit: $(DEV_STAMP)
	$(BIN)/python -m pytest tests -q

# Both editions under strict nbval: the English notebooks and the Chinese ones (notebooks-zh/).
# Both editions, one notebook per worker on each of the two cores (a notebook's cells share
# one kernel, so they stay together: --dist loadfile).
notebook-tests: $(DEV_STAMP) datasets
	$(BIN)/python -m pytest $(NBVAL) -n 2 --dist loadfile notebooks notebooks-zh -q

# The student release of every assignment (nbgrader), in $(ASSIGNMENTS_DIR)/release/.
ASSIGNMENTS_DIR ?= assignments
assignments: $(DEV_STAMP)
	cd $(ASSIGNMENTS_DIR) && for dir in source/*/; do \
	  nbgrader generate_assignment "$$(basename "$$dir")" --force || exit 1; \
	done

# The release of the Chinese edition (assignments-zh/, built by make notebooks-zh).
ASSIGNMENTS_ZH_DIR ?= assignments-zh
assignments-zh: $(DEV_STAMP)
	cd $(ASSIGNMENTS_ZH_DIR) && for dir in source/*/; do \
	  nbgrader generate_assignment "$$(basename "$$dir")" --force || exit 1; \
	done

# What students get (student-pack/ and student-pack.zip): casekit's wheel, the course
# notebooks, the assignment release, a README. Never the answer key.
# EDITION=en, zh (the Chinese edition) or both (the default).
EDITION ?= both
student-pack: $(DEV_STAMP)
	$(BIN)/python assignments/make_student_pack.py --out student-pack --edition $(EDITION)

notebooks: datasets
	$(BIN)/python scripts/run_notebooks.py notebooks

# The Chinese edition: notebooks-zh/ from the English notebooks and i18n/zh/*.po, executed;
# the assignments' course folder assignments-zh/ and the assignments/**/*.zh.md documents.
notebooks-zh: datasets
	$(BIN)/python scripts/translate.py build

clean-venv:
	rm -rf $(VENV)

# A static HTML copy of the notebooks with their stored outputs; nothing is executed.
site: $(DEV_STAMP)
	$(BIN)/sphinx-build -W --keep-going -b html -c site . site/_build/html
