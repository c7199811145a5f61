#!/usr/bin/env bash
# model/check.sh: verify model/retry.pml with spin.
#
#   check.sh CONSTANTS WORKDIR MODE     one mode; exits 0 when spin gives
#                                       the expected result
#   check.sh CONSTANTS WORKDIR all      every mode, one after the other, and
#                                       the table of docs/PROOF.md
#
# CONSTANTS is the generated constants.pml (the spec's numbers). The modes
# and what spin must give (claim: safe = never executed twice, never a
# signature after the lifetime, ACCEPTED only when executed, EXPIRED only
# when nothing executed; live = every intent ends, under weak fairness):
#   safe          the machine (default rows)          safe holds
#   live          the machine                         live holds
#   trust_nocopy  -DTRUST -DNO_COPIES: the trust flag
#                 on the network it assumes           safe holds
#   trust         -DTRUST: the flag, with copies      safe fails
#   early         -DEARLY: resends on "not found"
#                 before the window closed            safe fails
#   late          -DLATE_NOW: judges "not found" by
#                 the clock read after the answer     safe fails
#   clock         -DCLOCK_BEYOND: the clock's error
#                 exceeds its bound                   safe fails
#   lifetime      -DNO_LIFETIME                       safe fails
#   restart       -DFORGET_RESTART: after a crash the
#                 intent is placed afresh             safe fails
#   stuck         -DSTUCK: the caller never times out live fails
# The machine's `safe` run also fails when pan leaves a statement of the
# server or the client unreached (other than the ends of their loops and the
# assertion that every reported event fits the machine), and every mode fails
# on a value truncated in an assignment, or when the violation found is that
# assertion instead of the claim. Prints the state counts and pan's CPU
# time; exits 0 when every result is the expected one, 1 when not, 2 on a
# usage or tool error.
set -euo pipefail
modes="safe live trust_nocopy trust early late clock lifetime restart stuck"
if [ $# -ne 3 ]; then
    echo "usage: check.sh CONSTANTS WORKDIR MODE|all (MODE: ${modes// /, })" >&2
    exit 2
fi
constants=$(realpath "$1")
work=$(realpath -m "$2")
mode=$3
here=$(realpath "$(dirname "$0")")
model=$here/retry.pml

if [ "$mode" = all ]; then
    echo "| mode | variant | claim | expected | result | states stored | time |"
    echo "| --- | --- | --- | --- | --- | ---: | ---: |"
    status=0
    for m in $modes; do
        bash "$0" "$constants" "$work" "$m" > "$work.$m.out" 2>&1 || status=1
        sed -n 's/^row: //p' "$work.$m.out"
        grep -v '^row: \|^model ' "$work.$m.out" >&2 || true
        rm -f "$work.$m.out"
    done
    exit $status
fi

case $mode in
    safe)         define="";                     claim=safe; expect=holds ;;
    live)         define="";                     claim=live; expect=holds ;;
    trust_nocopy) define="-DTRUST -DNO_COPIES";  claim=safe; expect=holds ;;
    trust)        define="-DTRUST";              claim=safe; expect=violated ;;
    early)        define="-DEARLY";             claim=safe; expect=violated ;;
    late)         define="-DLATE_NOW";           claim=safe; expect=violated ;;
    clock)        define="-DCLOCK_BEYOND";       claim=safe; expect=violated ;;
    lifetime)     define="-DNO_LIFETIME";        claim=safe; expect=violated ;;
    restart)      define="-DFORGET_RESTART";     claim=safe; expect=violated ;;
    stuck)        define="-DSTUCK";              claim=live; expect=violated ;;
    *) echo "check.sh: unknown mode '$mode' (${modes// /, } or all)" >&2; exit 2 ;;
esac
pan_flags=""
[ "$claim" = live ] && pan_flags="-a -f"
for tool in spin cc; do
    command -v "$tool" >/dev/null || { echo "check.sh: $tool is not installed" >&2; exit 2; }
done
mkdir -p "$work/$mode"
cd "$work/$mode"
rm -f run.pml.trail
printf '#include "%s"\n#include "%s"\n' "$constants" "$model" > run.pml
# shellcheck disable=SC2086 # $define is a list of flags
spin $define -a run.pml > spin.log 2>&1 || { cat spin.log >&2; exit 2; }
if grep -q -i 'error' spin.log; then cat spin.log >&2; exit 2; fi
# COLLAPSE compresses states losslessly; MEMLIM stops a run that would swap.
# A search that must hold visits every state (-O1 pays for its compile); one
# that must fail stops at the first counterexample (-O0 compiles fastest).
opt=-O0
[ "$expect" = holds ] && opt=-O1
cc $opt -DCOLLAPSE -DMEMLIM=1536 -o pan pan.c 2> cc.log || { cat cc.log >&2; exit 2; }
# pan exits 0 whether or not it finds an error; the report says which. The
# time is pan's CPU time (user + system), steadier than the wall clock on a
# shared machine.
TIMEFORMAT='%U %S'
# shellcheck disable=SC2086
{ time ./pan -m200000 $pan_flags -N "$claim" > pan.log 2>&1 || true; } 2> time.log
errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' pan.log | head -1)
stored=$(sed -n 's/^ *\([0-9.e+]*\) states, stored.*/\1/p' pan.log | head -1)
if [ -z "$errors" ]; then
    cat pan.log >&2
    echo "check.sh: pan gave no result" >&2
    exit 2
fi
seconds=$(awk '{ printf "%.1f", $1 + $2 }' time.log)
result=holds
[ "$errors" != 0 ] && result=violated
printf 'model %s: claim %s%s, %s states stored, %s errors, %s s\n' "$mode" "$claim" \
    "${define:+ with $define}" "$stored" "$errors" "$seconds"
printf 'row: | `%s` | %s | `%s` | %s | %s | %s | %s s |\n' "$mode" "${define:-the machine}" \
    "$claim" "$expect" "$result" "$stored" "$seconds"
# pan does not check assignments for truncation; spin's simulator does, so
# the counterexample (if any) is replayed and a few random runs are made.
{
    for seed in 1 2 3 4 5 6 7 8 9 10; do
        # shellcheck disable=SC2086
        spin $define -n"$seed" -u5000 -B run.pml || true
    done
    # shellcheck disable=SC2086
    [ -f run.pml.trail ] && { spin $define -t -B run.pml || true; }
} > sim.log 2>&1
status=0
if grep -q -i 'truncated' pan.log sim.log; then
    grep -h -i 'truncated' pan.log sim.log | head -3 >&2
    echo "check.sh: $mode: a value was truncated in an assignment" >&2
    status=1
fi
if grep -q "Search not completed" pan.log && [ "$errors" = 0 ]; then
    echo "check.sh: $mode: search not completed (see $PWD/pan.log)" >&2
    exit 1
fi
if [ "$expect" = holds ] && [ "$errors" != 0 ]; then
    echo "check.sh: $mode: spin found a violation; the trail: cd $PWD && spin $define -t -p run.pml" >&2
    exit 1
fi
if [ "$expect" = violated ] && [ "$errors" = 0 ]; then
    echo "check.sh: $mode: the deliberately broken model passed; the check cannot fail" >&2
    exit 1
fi
if grep -q 'assertion violated 0' pan.log; then
    echo "check.sh: $mode: the caller reported an event that does not fit the machine" >&2
    echo "check.sh: the trail: cd $PWD && spin $define -t -p run.pml" >&2
    exit 1
fi
if [ "$mode" = safe ]; then
    unreached=$(awk '
        /^unreached in proctype/ { in_p = ($4 == "server" || $4 == "client"); next }
        /^unreached in / { in_p = 0; next }
        in_p && /state [0-9]+,/ && !/"-end-"/ && !/"assert\(0\)"/' pan.log)
    if [ -n "$unreached" ]; then
        echo "$unreached" >&2
        echo "check.sh: $mode: statements above were never reached (see $PWD/pan.log)" >&2
        status=1
    fi
fi
exit $status
