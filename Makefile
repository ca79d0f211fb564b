# Two entry points for a fresh machine with python3, pip, git and make:
#   make demo  - install Bastion in .venv and scan the bundled example app
#   make test  - install Bastion with its test tools and run the whole suite
# and the opt-in compiled build (also needs a C compiler and the Python headers; docs/performance.md):
#   make compiled       - Bastion with its SAST hot path compiled by mypyc, in .venv-compiled
#   make test-compiled  - the SAST tests on that build, and its findings compared with pure Python's
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
# The advisory database: built from the shared OSV snapshot ($BASTION_SHARED_DIR/osv, beside the checkout, or
# the machine's copy for a clone made elsewhere; tests/project_support.py:shared_dir looks in the same places),
# else downloaded from OSV's public exports.
# It goes to the one default location every entry point reads (~/.cache/bastion/osv, see `bastion db status`).
# The shared snapshot is older than the audit's age limit, so when it is the source the demo and tests accept
# its age (a warning on every scan); data downloaded from OSV is fresh and needs no such allowance.
OSV_DATA ?= $(firstword $(wildcard $(BASTION_SHARED_DIR)/osv ../shared/osv /work/shared/osv))
export BASTION_ALLOW_STALE_DB = $(if $(OSV_DATA),1,)

# The Express API `bastion dast` is tested on (tests/fixtures/dast/express): installed from its lock file
# (integrity hashes checked by npm ci), never from the network's latest.
EXPRESS_APP = tests/fixtures/dast/express

.PHONY: install advisories dast-apps demo test compiled test-compiled clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

advisories: $(STAMP)
	if [ -d "$(OSV_DATA)" ]; then $(BIN)/bastion db update --from "$(OSV_DATA)"; else $(BIN)/bastion db update; fi

dast-apps: $(EXPRESS_APP)/node_modules/.package-lock.json

$(EXPRESS_APP)/node_modules/.package-lock.json: $(EXPRESS_APP)/package-lock.json
	npm ci --prefix $(EXPRESS_APP) --no-audit --no-fund --ignore-scripts

# The vulnerable app must exit 1 (findings); any other code (2: an error) fails the demo.
demo: advisories
	$(BIN)/bastion scan examples/vulnerable-app --no-cache || [ $$? -eq 1 ]
	$(BIN)/bastion scan examples/fixed-app --no-cache

test: advisories dast-apps
	$(BIN)/python -m pytest -n auto

# The compiled build: the same lock, then a regular (not editable) install that setup.py compiles when
# BASTION_COMPILE=mypyc. .venv stays the pure-Python editable install; `bastion --version` names the build.
COMPILED_VENV  ?= .venv-compiled
COMPILED_STAMP  = $(COMPILED_VENV)/.installed

$(COMPILED_STAMP): requirements.lock pyproject.toml setup.py $(shell find src -name '*.py')
	$(PYTHON) -m venv $(COMPILED_VENV)
	$(COMPILED_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	BASTION_COMPILE=mypyc $(COMPILED_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation .
	$(COMPILED_VENV)/bin/bastion --version
	touch $(COMPILED_STAMP)

compiled: $(COMPILED_STAMP)

# Fails, never skips, when the build is not the compiled one (BASTION_EXPECT_COMPILED).
test-compiled: compiled
	BASTION_EXPECT_COMPILED=1 $(COMPILED_VENV)/bin/python -m pytest -n auto tests/sast tests/sast_js tests/test_rule_fixtures.py

clean:
	rm -rf $(VENV) $(COMPILED_VENV) build $(EXPRESS_APP)/node_modules
