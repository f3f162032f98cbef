#!/usr/bin/env bash
# Update the Vietnamese and Thai catalogues from the source (`make messages`; also run by
# scripts/check_translations.sh). English is the source language and has no catalogue.
#
# Locations are written as file names only, and a catalogue whose only change is its POT-Creation-Date is
# put back as it was, so running this on an unchanged tree leaves `git status` clean.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VENV:-.venv}"

list_catalogues() { find kintsugi -path '*/locale/*/LC_MESSAGES/*.po' -type f 2>/dev/null | sort; }

before="$(mktemp -d)"
trap 'rm -rf "$before"' EXIT
while IFS= read -r po; do
    mkdir -p "$before/$(dirname "$po")"
    cp -p "$po" "$before/$po"
done < <(list_catalogues)

"$VENV/bin/python" manage.py makemessages -l vi -l th --no-obsolete --add-location=file --verbosity 0 \
    --ignore=.venv --ignore="$(basename "$VENV")" --ignore=bench --ignore=docs --ignore=var --ignore=staticfiles \
    --ignore=node_modules

without_date() { grep -v '^"POT-Creation-Date: ' "$1"; }
while IFS= read -r po; do
    old="$before/$po"
    if [ -f "$old" ] && ! cmp -s "$old" "$po" && cmp -s <(without_date "$old") <(without_date "$po"); then
        cp -p "$old" "$po"
    fi
done < <(list_catalogues)
