#!/usr/bin/env bash
# model/check.sh: verify model/retry.pml with spin.
#
#   check.sh CONSTANTS WORKDIR safe|live|broken|stuck|late
#
# CONSTANTS is the generated constants.pml (the spec's numbers). The modes:
#   safe    never executed twice ([] executed <= 1), every interleaving
#   live    eventually resolved (<> resolved), under weak fairness
#   broken  the -DBROKEN client (resends on "not found" before the window
#           closes) must violate `safe`
#   stuck   the -DSTUCK client (never times out) must violate `live`
#   late    the -DLATE_NOW client (judges "not found" by the clock read when
#           the answer arrives) must violate `safe`
# Prints the state counts and the run time; exits 0 when the result is the
# expected one, 1 when not, 2 on a usage or tool error.
set -euo pipefail
if [ $# -ne 3 ]; then
    echo "usage: check.sh CONSTANTS WORKDIR safe|live|broken|stuck|late" >&2
    exit 2
fi
constants=$(realpath "$1")
work=$2
mode=$3
model=$(realpath "$(dirname "$0")/retry.pml")
case $mode in
    safe)   define="";         claim=safe; pan_flags="";     expect=pass ;;
    live)   define="";         claim=live; pan_flags="-a -f"; expect=pass ;;
    broken) define="-DBROKEN"; claim=safe; pan_flags="";     expect=fail ;;
    stuck)  define="-DSTUCK";  claim=live; pan_flags="-a -f"; expect=fail ;;
    late)   define="-DLATE_NOW"; claim=safe; pan_flags="";   expect=fail ;;
    *) echo "check.sh: unknown mode '$mode' (safe, live, broken, stuck or late)" >&2; exit 2 ;;
esac
for tool in spin cc; do
    command -v "$tool" >/dev/null || { echo "check.sh: $tool is not installed" >&2; exit 2; }
done
mkdir -p "$work/$mode"
cd "$work/$mode"
printf '#include "%s"\n#include "%s"\n' "$constants" "$model" > run.pml
spin $define -a run.pml > spin.log 2>&1 || { cat spin.log >&2; exit 2; }
# COLLAPSE compresses states losslessly; MEMLIM stops a run that would swap.
cc -O2 -DCOLLAPSE -DMEMLIM=1536 -o pan pan.c 2> cc.log || { cat cc.log >&2; exit 2; }
start=$(date +%s.%N)
# pan exits 0 whether or not it finds an error; the report says which.
./pan -m100000 $pan_flags -N "$claim" > pan.log 2>&1 || true
end=$(date +%s.%N)
errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' pan.log | head -1)
stored=$(sed -n 's/^ *\([0-9.e+]*\) states, stored.*/\1/p' pan.log | head -1)
if [ -z "$errors" ]; then
    cat pan.log >&2
    echo "check.sh: pan gave no result" >&2
    exit 2
fi
if grep -q "Search not completed" pan.log && [ "$errors" = 0 ]; then
    echo "check.sh: $mode: search not completed (see $PWD/pan.log)" >&2
    exit 1
fi
printf 'model %s: claim %s%s, %s states stored, %s errors, %.1f s\n' "$mode" "$claim" \
    "${define:+ with $define}" "$stored" "$errors" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
if [ "$expect" = pass ] && [ "$errors" != 0 ]; then
    echo "check.sh: $mode: spin found a violation; the trail: cd $PWD && spin -t -p run.pml" >&2
    exit 1
fi
if [ "$expect" = fail ] && [ "$errors" = 0 ]; then
    echo "check.sh: $mode: the deliberately broken model passed; the check cannot fail" >&2
    exit 1
fi
exit 0
