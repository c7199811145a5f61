#!/usr/bin/env bash
# sim/proof_table.sh BUILD [INTENTS]: the results table of docs/PROOF.md.
# Runs every policy over INTENTS intents (default 1000000) under the
# default and heavy fault presets and during a 30 s outage, seed 1, and
# prints the Markdown table. Deterministic: the same build prints the same
# table.
set -euo pipefail
sim="${1:?usage: proof_table.sh BUILD [INTENTS]}/sim/sixmm-sim"
intents=${2:-1000000}
[ -x "$sim" ] || { echo "proof_table.sh: $sim is not built" >&2; exit 2; }
echo "| policy | faults | duplicates | unresolved | escalated | misreported | quota violations | requests per intent | p99 to resolution |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for run in "default|--faults default" "heavy|--faults heavy" "30 s outage|--faults default --outage-s 30"; do
    name=${run%%|*}
    read -r -a args <<< "${run#*|}"
    for policy in ours retry-all retry-5xx never; do
        "$sim" --seed 1 --intents "$intents" --policy "$policy" "${args[@]}" --json |
            jq -r --arg name "$name" '((.requests * 1000 / .intents) | round) as $m
                | ((.resolution_ms_p99 / 100) | round) as $p
                | "| `\(.policy)` | \($name) | \(.duplicates) | \(.unresolved) | \(.escalated)"
                  + " | \(.misreported) | \(.quota_violations)"
                  + " | \($m / 1000 | floor).\($m % 1000 + 1000 | tostring | .[1:])"
                  + " | \($p / 10 | floor).\($p % 10) s |"'
    done
done
