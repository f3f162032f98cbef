#!/usr/bin/env bash
# Regenerate requirements-dev.lock and requirements.lock from pyproject.toml (`make lock`).
#
# Pins are for CPython 3.12+ on x86_64 Linux, with hashes. The dev lock is resolved first (runtime + the dev
# group together); the runtime lock is then resolved under it as a constraint, so both files pin every
# shared package at the same version. Existing pins are kept unless pyproject.toml forces a change; pass
# --upgrade (make lock LOCK_ARGS=--upgrade) to move transitive pins to their newest allowed versions.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VENV:-.venv}"

scripts/env.sh tools
UV="$VENV/bin/uv"
common=(--python-version 3.12 --python-platform x86_64-unknown-linux-gnu --generate-hashes
    --custom-compile-command "make lock" --quiet "$@")

"$UV" pip compile pyproject.toml --group dev "${common[@]}" -o requirements-dev.lock
"$UV" pip compile pyproject.toml -c requirements-dev.lock "${common[@]}" -o requirements.lock
echo "lock.sh: wrote requirements.lock ($(grep -c '^[a-z]' requirements.lock) packages)" \
    "and requirements-dev.lock ($(grep -c '^[a-z]' requirements-dev.lock) packages)"
