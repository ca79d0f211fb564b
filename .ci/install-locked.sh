#!/usr/bin/env bash
# Install Bastion from a checkout into a fresh virtual environment, every dependency pinned and
# hash-checked by requirements.lock: the one way the Action and the workflow `bastion init` writes install it.
#   .ci/install-locked.sh SOURCE_DIR VENV_DIR   (then put VENV_DIR/bin on PATH)
set -euo pipefail
source_dir=$1
venv_dir=$2
python3 -m venv "$venv_dir"
"$venv_dir/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps -r "$source_dir/requirements.lock"
"$venv_dir/bin/pip" install --quiet --disable-pip-version-check --no-deps --no-build-isolation "$source_dir"
