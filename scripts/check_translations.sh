#!/usr/bin/env bash
# Fail unless every Vietnamese and Thai catalogue is complete: update them from the source first
# (scripts/makemessages.sh), then list each .po with an untranslated or fuzzy entry, or a broken
# python-format placeholder, with msgfmt's own count.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

scripts/makemessages.sh

mapfile -t catalogues < <(find kintsugi -path '*/locale/*/LC_MESSAGES/*.po' -type f 2>/dev/null | sort)
if [ "${#catalogues[@]}" -eq 0 ]; then
    echo "check_translations: no catalogues yet (no translatable strings found)"
    exit 0
fi

incomplete=()
for po in "${catalogues[@]}"; do
    if ! stats="$(msgfmt --statistics --check-format -o /dev/null "$po" 2>&1)"; then
        incomplete+=("$po: $(echo "$stats" | tr '\n' ' ')")
    elif [[ "$stats" == *untranslated* || "$stats" == *fuzzy* ]]; then
        incomplete+=("$po: $stats")
    fi
done

if [ "${#incomplete[@]}" -gt 0 ]; then
    echo "check_translations: incomplete catalogues (translate them, then drop any '#, fuzzy' flag):" >&2
    printf '  %s\n' "${incomplete[@]}" >&2
    exit 1
fi
echo "check_translations: ${#catalogues[@]} catalogues complete"
