# Two entry points for a fresh machine with python3, pip, git and make:
#   make demo  - install Bastion in .venv and scan the bundled example app
#   make test  - install Bastion with its test tools and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: install demo test bench clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	-$(BIN)/bastion scan examples/vulnerable-app --no-cache
	$(BIN)/bastion scan examples/fixed-app --no-cache

test: $(STAMP)
	$(BIN)/python -m pytest -n auto

clean:
	rm -rf $(VENV) .bastion-cache
