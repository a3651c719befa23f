# Two commands set everything up: `make lab` and `make test`.
# Both create/update .venv; the second run skips work already done.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.worldnb-installed
NODE_DIR := tests/js
VALIDATOR := $(NODE_DIR)/node_modules/gltf-validator/package.json
# js/ builds the committed widget bundle; a test rebuilds it and compares hashes.
BUNDLE_DEPS := js/node_modules/esbuild/package.json
TORCH_PIN := torch==2.13.0
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PYTHONDONTWRITEBYTECODE := 1
export NO_MKDOCS_2_WARNING := 1

.PHONY: lab test install browser lint bench bundle clean mutation fuzz docs

install: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# torch first, from the pinned CPU wheel, so nothing below pulls a CUDA build.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q $(TORCH_PIN)
	$(PY) -m pip install -q -e '.[lab,test]'
	touch $(STAMP)

$(VALIDATOR): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && npm ci --no-audit --no-fund --silent
	touch $(VALIDATOR)

$(BUNDLE_DEPS): js/package.json js/package-lock.json
	cd js && npm ci --no-audit --no-fund --silent
	touch $(BUNDLE_DEPS)

# Rebuild worldnb/widgets/static/embed-bundle.js from js/ (commit the result).
bundle: $(BUNDLE_DEPS)
	cd js && npm run build

# Debian's chromium for the real-browser widget tests (never a browser download).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "make test: chromium is missing; the browser tests need it. Install it with: sudo apt-get install chromium (or run: sudo make browser), then run make test again." >&2; exit 1; fi; }

# JupyterLab on the quickstart, as root too (--allow-root), on $(LAB_IP):$(LAB_PORT)
# (127.0.0.1:8888 by default), --no-browser without a display; the last line printed
# is the URL with its token (tools/lab.py).
lab: $(STAMP)
	@$(PY) tools/lab.py

# PYTEST_ARGS picks a subset (the default is every test). The notebooks run once, under
# nbval, in tests/test_binder.py: a clean venv set up as Binder does (their executed
# copies go to build/notebooks, where the site takes them from). Then the site is built,
# and the browser test of the built site runs on it (folded tutorial solutions; seconds).
# PYTEST_WORKERS: pytest-xdist workers (1 runs in one process); the browser tests, the
# Ray clusters and the Binder run each stay on one worker (tests/conftest.py).
PYTEST_ARGS ?= tests worldnb
PYTEST_WORKERS ?= 2
SITE_TESTS := tests/browser/test_tutorial_solutions.py
test: $(STAMP) $(VALIDATOR) $(BUNDLE_DEPS) browser
	$(VENV)/bin/ruff check worldnb tests benchmarks tools docs
	$(PY) -m pytest $(PYTEST_ARGS) -p no:cacheprovider $(if $(filter-out 1,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS) --dist loadgroup)
	$(MAKE) --no-print-directory docs
	WORLDNB_SITE=build/site $(PY) -m pytest $(SITE_TESTS) -k site -p no:cacheprovider

# The docs site (mkdocs.yml) into build/site, strict: a broken link, a griffe warning or a
# public class, function, method or property without a docstring fails it. Runs nothing,
# fetches nothing.
# (Never --quiet: mkdocs then stops counting the warnings, and strict passes them.)
docs: $(STAMP)
	$(PY) -m mkdocs build --strict
	@echo "docs: build/site/index.html"

# Longer fuzzing of every public entry point (tests/robustness; `make test` runs a
# bounded version): 40x the cases, another seed, counts in test-artifacts/fuzz.
FUZZ_SCALE ?= 40
FUZZ_SEED ?= 1
fuzz: $(STAMP)
	rm -rf test-artifacts/fuzz
	WORLDNB_FUZZ_SCALE=$(FUZZ_SCALE) WORLDNB_FUZZ_SEED=$(FUZZ_SEED) WORLDNB_FUZZ_REPORT=test-artifacts/fuzz \
	  $(PY) -m pytest tests/robustness -p no:cacheprovider -q
	$(PY) tests/robustness/report.py test-artifacts/fuzz

lint: $(STAMP)
	$(VENV)/bin/ruff check worldnb tests benchmarks tools docs
	$(VENV)/bin/ruff format --check worldnb tests benchmarks tools docs

# Mutation testing (not part of `make test`; tests/MUTATION.md has the last results).
# `make mutation CHUNKS="layout scene" JOBS=2` runs some chunks, two side by side.
CHUNKS ?=
JOBS ?= 1
mutation: $(STAMP)
	nice -n 15 $(PY) tools/mutation.py $(CHUNKS) --jobs $(JOBS)

bench: $(STAMP)
	$(PY) -m pip install -q -e '.[bench]'
	for f in benchmarks/[!_]*.py; do $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) $(NODE_DIR)/node_modules js/node_modules
