#!/usr/bin/env bash
# tests/sim/long_run.sh BUILD: CI's longer simulation (about a minute on one
# core): ours with --check over 5 seeds x 2,000,000 intents under the
# default and heavy presets and a 30 s outage.
set -euo pipefail
sim="${1:?usage: long_run.sh BUILD}/sim/sixmm-sim"
for seed in 1 2 3 4 5; do
    for faults in "--faults default" "--faults heavy" "--faults heavy --outage-s 30"; do
        # shellcheck disable=SC2086
        "$sim" --seed "$seed" --intents 2000000 $faults --json --check
    done
done
