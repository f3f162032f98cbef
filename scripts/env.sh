#!/usr/bin/env bash
# Make the project's virtualenv match a lock file.
#
#   scripts/env.sh runtime   # requirements.lock      (what `make run` needs)
#   scripts/env.sh dev       # requirements-dev.lock  (runtime + tests, lint, types)
#   scripts/env.sh tools     # only the venv and uv (what `make lock` needs)
#
# Finds a Python >= 3.12 (PYTHON=/path/to/python to choose one), creates $VENV (default .venv) when it is
# missing or its interpreter is broken or too old, installs the pinned uv with pip, then `uv pip sync`s the
# lock. A stamp in the venv records the synced locks' hashes, so a second run does nothing and takes
# milliseconds. The dev lock pins every runtime package at the runtime lock's version, so a venv synced
# from the dev lock also satisfies `runtime` and is left alone.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

UV_VERSION="0.13.9"
VENV="${VENV:-.venv}"
KIND="${1:-runtime}"
STAMP="$VENV/.kintsugi-sync"

die() { echo "env.sh: $*" >&2; exit 1; }
note() { echo "env.sh: $*" >&2; }

case "$KIND" in
    runtime) LOCK=requirements.lock ;;
    dev) LOCK=requirements-dev.lock ;;
    tools) LOCK= ;;
    *) die "usage: scripts/env.sh runtime|dev|tools" ;;
esac

# True when "$1" runs and is CPython >= 3.12. pyenv shims for versions that are not selected exist on PATH
# but fail when run, so finding a name on PATH proves nothing: run it.
python_ok() {
    [ -n "$1" ] || return 1
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

python_version() { "$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])'; }

find_python() {
    if [ -n "${PYTHON:-}" ]; then
        python_ok "$PYTHON" || die "PYTHON=$PYTHON does not run or is older than 3.12"
        echo "$PYTHON"
        return
    fi
    local candidates=() name dir version
    for name in python3.14 python3.13 python3.12 python3; do
        candidates+=("$name")
    done
    # pyenv-installed interpreters, newest first, whether or not pyenv has them selected.
    local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
    if [ -d "$pyenv_root/versions" ]; then
        while IFS= read -r dir; do
            candidates+=("$dir/bin/python")
        done < <(compgen -G "$pyenv_root/versions/3.1[2-9]*" | sort -rV)
    fi
    if command -v pyenv >/dev/null 2>&1; then
        while IFS= read -r version; do
            dir="$(pyenv prefix "$version" 2>/dev/null)" && candidates+=("$dir/bin/python")
        done < <(pyenv versions --bare 2>/dev/null | sort -rV)
    fi
    local candidate
    for candidate in "${candidates[@]}"; do
        if python_ok "$candidate"; then
            command -v "$candidate"
            return
        fi
    done
    die "no Python >= 3.12 found (tried: ${candidates[*]}). Install one, or set PYTHON=/path/to/python3.12."
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

# 1. The venv, with a working Python >= 3.12.
if ! python_ok "$VENV/bin/python" \
    || { [ -n "${PYTHON:-}" ] && [ "$(python_version "$PYTHON")" != "$(python_version "$VENV/bin/python")" ]; }; then
    PY="$(find_python)"
    if [ -e "$VENV" ]; then
        note "replacing $VENV (its Python is missing, broken, too old or not \$PYTHON)"
        rm -rf "$VENV"
    fi
    note "creating $VENV with $PY (Python $(python_version "$PY"))"
    "$PY" -m venv "$VENV" || die "'$PY -m venv $VENV' failed"
fi

# 2. The pinned uv, installed with the venv's own pip.
uv_version="$("$VENV/bin/uv" --version 2>/dev/null || true)"   # "uv 0.13.9 (x86_64-unknown-linux-gnu)"
if [ "${uv_version%% (*}" != "uv $UV_VERSION" ]; then
    note "installing uv==$UV_VERSION into $VENV"
    log="$(mktemp)"
    if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        die "could not install uv==$UV_VERSION"
    fi
    rm -f "$log"
fi

[ -n "$LOCK" ] || exit 0

# 3. The lock, synced unless the stamp says it already is.
if [ ! -f requirements.lock ] || [ ! -f requirements-dev.lock ]; then
    die "requirements.lock or requirements-dev.lock missing: run 'make lock'"
fi
# SYNC_FLAGS is part of the stamp: changing how this script syncs re-syncs every venv once.
SYNC_FLAGS="--require-hashes --compile-bytecode"
hashes="flags=${SYNC_FLAGS// /,} runtime=$(sha requirements.lock) dev=$(sha requirements-dev.lock) python=$(python_version "$VENV/bin/python")"
if [ -f "$STAMP" ]; then
    read -r synced_kind synced_hashes <"$STAMP" || true
    if [ "$synced_hashes" = "$hashes" ] && { [ "$synced_kind" = "$KIND" ] || [ "$synced_kind" = dev ]; }; then
        exit 0
    fi
fi
note "syncing $VENV with $LOCK"
rm -f "$STAMP"
# Bytecode compiled at install time: Python reads it even under PYTHONDONTWRITEBYTECODE, and each
# manage.py, pytest worker or server process then starts in under a second instead of several.
# shellcheck disable=SC2086
"$VENV/bin/uv" pip sync --quiet --python "$VENV/bin/python" $SYNC_FLAGS "$LOCK"
echo "$KIND $hashes" >"$STAMP"
