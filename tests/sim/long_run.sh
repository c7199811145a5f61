#!/usr/bin/env bash
# tests/sim/long_run.sh BUILD: CI's sweep of the simulation: ours with
# --check under every server check order x fault preset, 100,000 intents
# each, with copies, crashes and correlated lag.
set -euo pipefail
sim="${1:?usage: long_run.sh BUILD}/sim/sixmm-sim"
for order in replay-first limit-first window-first accepted-only; do
    for faults in none default heavy; do
        "$sim" --seed 1 --intents 100000 --faults "$faults" --server-order "$order" \
            --duplicate 0.01 --lag-correlated --crash 0.0001 --json --check >/dev/null
        echo "long_run.sh: ours, $order, $faults: clean"
    done
done
