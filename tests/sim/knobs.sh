#!/usr/bin/env bash
# tests/sim/knobs.sh SIM: every option that --help lists is a key of the
# --json "config" object, and every config key is an option of --help.
set -euo pipefail
sim=${1:?usage: knobs.sh SIM}
help=$("$sim" --help | awk '$1 ~ /^--/ {print substr($1, 3)}' | grep -v '^faults$' | sort)
config=$("$sim" --intents 10 --json | jq -r '.config | keys[]' | grep -v '^faults$' | sort)
[ -n "$help" ] || { echo "knobs.sh: --help lists no option" >&2; exit 1; }
if [ "$help" != "$config" ]; then
    echo "knobs.sh: --help and the JSON config differ:" >&2
    diff <(echo "$help") <(echo "$config") >&2 || true
    exit 1
fi
"$sim" --intents 10 --json | jq -e '.config.faults' >/dev/null
