#!/usr/bin/env bash
# sim/proof_table.sh BUILD [INTENTS]: the simulation's tables of
# docs/PROOF.md, every row INTENTS intents (default 1000000), seed 1.
#  1. ours (the order machine) under every server check order, with copies,
#     crashes, correlated lag within the spec's bound and drift at the
#     clock's bound, under the default and heavy fault presets;
#  2. the baselines and the machine trusting single delivery in the same runs;
#  3. the knobs that break an assumption, and where the margin is.
# Deterministic: the same build prints the same tables.
set -euo pipefail
sim="${1:?usage: proof_table.sh BUILD [INTENTS]}/sim/sixmm-sim"
intents=${2:-1000000}
[ -x "$sim" ] || { echo "proof_table.sh: $sim is not built" >&2; exit 2; }
hard="--duplicate 0.01 --lag-correlated --crash 0.00002"

header() {
    echo "| $1 | policy | duplicates | unresolved | misreported | stale | quota violations | escalated | crashes | copies | requests per intent | p99 to resolution | escalated by |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
}

# row LABEL ARGS...: one run, one Markdown row.
row() {
    local label=$1
    shift
    "$sim" --seed 1 --intents "$intents" "$@" --json |
        jq -r --arg name "$label" '((.requests * 1000 / .intents) | round) as $m
            | ((.resolution_ms_p99 / 100) | round) as $p
            | ((.escalated * 10000 / .intents) | round) as $e
            | "| \($name) | `\(.policy)` | \(.duplicates) | \(.unresolved) | \(.misreported)"
              + " | \(.stale) | \(.quota_violations)"
              + " | \(.escalated) (\($e / 100 | floor).\($e % 100 + 100 | tostring | .[1:]) %)"
              + " | \(.crashes) | \(.copies)"
              + " | \($m / 1000 | floor).\($m % 1000 + 1000 | tostring | .[1:])"
              + " | \($p / 10 | floor).\($p % 10) s"
              + " | \(.escalations | to_entries | map("\(.key): \(.value)") | join("; ")) |"'
}

echo "Table 1: ours, every server order; copies 1 %, crashes, correlated lag, drift at the bound."
echo
header "server order, faults"
for faults in default heavy; do
    for order in replay-first limit-first window-first accepted-only; do
        # shellcheck disable=SC2086
        row "$order, $faults" --faults "$faults" --server-order "$order" $hard
    done
done
echo
echo "Table 2: the other loops in the same runs (default faults)."
echo
header "server order"
for order in replay-first limit-first window-first accepted-only; do
    for policy in trusting retry-all retry-5xx never; do
        # shellcheck disable=SC2086
        row "$order" --faults default --server-order "$order" $hard --policy "$policy"
    done
done
echo
echo "Table 3: the knobs that break an assumption (heavy faults unless said)."
echo
header "knob"
for lag in 2000 2250 2500 3000 4000; do
    row "query lag up to $lag ms, correlated" --faults heavy --lag-correlated --query-lag-ms "$lag"
done
for ppm in 1000 2000 10000; do
    row "monotonic drift up to $ppm ppm" --faults heavy --drift-ppm "$ppm"
done
for mem in 2 5 12; do
    row "replay memory $mem s, 5 % copies 8 s apart" --faults heavy --duplicate 0.05 \
        --duplicate-gap-ms 8000 --replay-memory-s "$mem"
done
for policy in ours retry-5xx; do
    row "system clock steps of 500 ms" --faults heavy --clock-step 0.01 --clock-step-ms 500 \
        --policy "$policy"
    row "/v1/time legs 2 s apart" --faults heavy --sync-error-ms 2000 --policy "$policy"
done
for policy in ours never; do
    row "crashes, 0.1 % of events" --faults heavy --crash 0.001 --policy "$policy"
done
for shared in none memory redis; do
    row "8 processes, quota $shared" --faults default --processes 8 --shared-quota "$shared" \
        --agent-share 1 --rate 1
done
for fail in 0.2; do
    row "8 processes, redis down $fail of the time" --faults default --processes 8 \
        --shared-quota redis --redis-fail "$fail" --agent-share 1 --rate 1
done
