#!/usr/bin/env bash
# Compile the .po catalogues to .mo (they are build output, not committed); a no-op until the first
# catalogue exists.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VENV:-.venv}"

if [ -z "$(find kintsugi -path '*/locale/*/LC_MESSAGES/*.po' -type f -print -quit 2>/dev/null)" ]; then
    echo "compile_messages: no catalogues yet, nothing to compile"
    exit 0
fi
"$VENV/bin/python" manage.py compilemessages --verbosity 0 --ignore=.venv --ignore="$(basename "$VENV")"
