#!/bin/sh
# The C layout of .clang-format, checked with Debian's clang-format-14 over
# the hand-written C of src/, include/, sim/, examples/ and tests/ (generated
# files live in the build tree). Prints each file that would change and
# exits 1 if there is one.
#   tests/hardening/check_format.sh [SRCDIR]
set -u
src=${1:-$(dirname "$0")/../..}
cd "$src" || exit 2
cf=${CLANG_FORMAT:-clang-format-14}
command -v "$cf" >/dev/null || { echo "SKIP: $cf not found (Debian: clang-format-14)"; exit 77; }
files=$(git ls-files -co --exclude-standard -- 'src/*.[ch]' 'include/*.[ch]' 'sim/*.[ch]' \
        'examples/*.[ch]' 'tests/*.[ch]')
bad=0
total=0
for f in $files; do
    total=$((total + 1))
    if ! "$cf" --style=file --dry-run -Werror "$f" >/dev/null 2>&1; then
        echo "needs formatting: $f"
        bad=$((bad + 1))
    fi
done
echo "$bad of $total files need formatting ($cf --style=file -i FILE)"
[ "$bad" -eq 0 ]
