#!/usr/bin/env bash
# valgrind memcheck over 6mm-errinfo for every test input.
#
#   tests/hardening/valgrind_cli.sh BUILD_DIR
#
# BUILD_DIR is an ordinary (not sanitizer) build. The CLI test driver
# (tests/cli/test_cli.py) runs every one of its groups but `stream` (100 MB
# through valgrind takes minutes and measures RSS) with valgrind wrapped
# around the binary; then every fuzz seed and regression input goes through
# --response and --annotate, in text and JSON, and every catalog name and key
# through a query. Any memcheck error or leak (definite, indirect or possible)
# fails the run. Blocks still reachable at exit are not leaks (the tool keeps
# its argument list in a static until exit on purpose) and are not counted. To chase an error, add --track-origins=yes
# below (it doubles the run time). VALGRIND_CLI_GROUPS overrides the list of
# CLI test groups.
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:?usage: valgrind_cli.sh BUILD_DIR}" && pwd)"
cli="$build/src/cli/6mm-errinfo"
[ -x "$cli" ] || { echo "valgrind_cli: $cli not built" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind_cli: valgrind not installed" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
logs="$work/logs"
mkdir -p "$logs"
cat > "$work/6mm-errinfo" <<WRAP
#!/bin/sh
exec valgrind -q --tool=memcheck --error-exitcode=99 --leak-check=full \
    --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible \
    --log-file="$logs/vg.%p.log" "$cli" "\$@"
WRAP
chmod +x "$work/6mm-errinfo"
vg="$work/6mm-errinfo"
runs=0
status=0

# 1. The CLI test suite, with the binary under valgrind.
if [ -f "$src/tests/cli/test_cli.py" ]; then
    for group in ${VALGRIND_CLI_GROUPS:-query exit list search json response annotate help files delay edges reconcile}; do
        if ! /usr/bin/python3 "$src/tests/cli/test_cli.py" --bin "$vg" \
                --schema "$build/generated/src/cli_schema.json" \
                --golden "$src/tests/cli/golden" --tmp "$work/tmp" "$group" > "$work/cli-$group.out" 2>&1; then
            rc=$?
            if [ "$rc" != 77 ]; then
                echo "valgrind_cli: CLI test group $group failed under valgrind:"
                tail -40 "$work/cli-$group.out"
                status=1
            fi
        fi
    done
fi

# 2. Every fuzz input through the readers (seeds drawn from the spec, and the
#    regressions; the first byte of those is the harness's option byte, and
#    the same body appears under three option bytes, so inputs are deduped).
#    Each input alone in text mode; all of them as one stream in JSON mode
#    (the annotator reads on past bad lines; the response reader stops at the
#    first bad record, which is why each input also runs alone).
seeds="$build/tests/fuzz/seeds"
for kind in response annotate; do
    mkdir -p "$work/in-$kind"
    for dir in "$seeds/$kind" "$src/tests/fuzz/regressions/$kind"; do
        [ -d "$dir" ] || continue
        for f in "$dir"/*; do
            [ -f "$f" ] || continue
            tail -c +2 "$f" > "$work/input"
            cp "$work/input" "$work/in-$kind/$(sha1sum < "$work/input" | cut -c1-16)"
        done
    done
    for f in "$work/in-$kind"/*; do
        "$vg" "--$kind" - < "$f" > /dev/null 2>&1 || [ $? -ne 99 ] || status=1
        runs=$((runs + 1))
    done
    cat "$work/in-$kind"/* > "$work/all-$kind"
    "$vg" --json "--$kind" - < "$work/all-$kind" > /dev/null 2>&1 || [ $? -ne 99 ] || status=1
    "$vg" "--$kind" - < "$work/all-$kind" > /dev/null 2>&1 || [ $? -ne 99 ] || status=1
    runs=$((runs + 2))
done

# 3. Queries: every name and key of the catalog in one call (the tool takes
#    any number), in text and JSON, plus junk one by one.
"$cli" --list --json > "$work/list.json" 2>/dev/null || true
: > "$work/queries"
if command -v jq >/dev/null && [ -s "$work/list.json" ]; then
    jq -r '.. | objects | select(has("name") and has("key")) | .name, .key' "$work/list.json" \
        | sort -u > "$work/queries" || true
fi
if [ -s "$work/queries" ]; then
    mapfile -t qs < "$work/queries"
    "$vg" "${qs[@]}" > /dev/null 2>&1 || [ $? -ne 99 ] || status=1
    "$vg" --json --lang zh "${qs[@]}" > /dev/null 2>&1 || [ $? -ne 99 ] || status=1
    runs=$((runs + 2))
fi
for q in 3107 99999999999999999999999 -1 "" "agent:6905" "widget:auth_exchange_failed" \
         "TOKEN_EXPIRD" "--bogus"; do
    "$vg" "$q" > /dev/null 2>&1 || [ $? -ne 99 ] || status=1
    runs=$((runs + 1))
done
"$vg" --search token expired > /dev/null 2>&1 || [ $? -ne 99 ] || status=1
"$vg" --list --lang zh > /dev/null 2>&1 || [ $? -ne 99 ] || status=1
"$vg" --version > /dev/null 2>&1 || [ $? -ne 99 ] || status=1
runs=$((runs + 3))

# Every log that is not empty holds an error or a leak.
bad=0
for l in "$logs"/vg.*.log; do
    [ -s "$l" ] || continue
    bad=$((bad + 1))
    if [ "$bad" -le 5 ]; then
        echo "---- $l"
        head -60 "$l"
    fi
done
nlogs=$(find "$logs" -name 'vg.*.log' | wc -l)
echo "valgrind_cli: $nlogs processes under memcheck ($runs direct runs plus the CLI test groups), $bad with errors or leaks"
[ "$bad" -eq 0 ] && [ "$status" -eq 0 ]
