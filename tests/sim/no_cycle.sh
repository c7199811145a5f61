#!/usr/bin/env bash
# tests/sim/no_cycle.sh OBJECT...: fails when two files of sim/ call into
# each other in a loop. Each object's undefined sim_ symbols are matched to
# the object that defines them; tsort then finds any loop in that graph.
set -euo pipefail
declare -A home
for o in "$@"; do
    for s in $(nm --defined-only "$o" | awk '$2 ~ /^[TDBR]$/ && $3 ~ /^sim_/ {print $3}'); do
        home[$s]=$(basename "$o" | sed 's/\..*//')
    done
done
edges=$(for o in "$@"; do
    from=$(basename "$o" | sed 's/\..*//')
    for s in $(nm -u "$o" | awk '$2 ~ /^sim_/ {print $2}'); do
        [ -n "${home[$s]:-}" ] && [ "${home[$s]}" != "$from" ] && echo "$from ${home[$s]}"
    done
done | sort -u)
[ -n "$edges" ] || { echo "no_cycle.sh: no calls between files found; wrong objects?" >&2; exit 1; }
if ! loop=$(echo "$edges" | tsort 2>&1 >/dev/null); then
    echo "$loop" >&2
    echo "no_cycle.sh: files of sim/ call into each other in a loop" >&2
    exit 1
fi
