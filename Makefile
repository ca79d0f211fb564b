# Two entry points for a fresh machine with python3, pip, git and make:
#   make demo  - install Bastion in .venv and scan the bundled example app
#   make test  - install Bastion with its test tools and run the whole suite
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

.PHONY: install advisories dast-apps demo test clean

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

clean:
	rm -rf $(VENV) $(EXPRESS_APP)/node_modules
