#!/usr/bin/env bash
# Relocatability: install into one prefix, move the tree to another path,
# then build the pkg-config and find_package consumers against the moved copy.
#   relocate.sh BUILD_DIR WORK_DIR SOURCE_DIR LIBDIR CC GENERATOR [EXTRA_FLAGS]
set -euo pipefail
build=$1 work=$2 source=$3 libdir=$4 cc=$5 generator=$6 extra=${7:-}
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$work"
mkdir -p "$work"
first="$work/configured-prefix"
moved="$work/moved/elsewhere"
cmake --install "$build" --prefix "$first" >/dev/null
mkdir -p "$(dirname "$moved")"
mv "$first" "$moved"

# No installed text file may name the prefix it was installed into.
if grep -rlI -- "$first" "$moved"; then
    echo "the files above still name the install prefix $first" >&2
    exit 1
fi

"$here/pkgconfig_consumer.sh" "$source/tests/consumers/pkg-config" "$work/pkg-config" \
    "$moved" "$libdir" "$cc" "$extra"

cmake -S "$source/tests/consumers/find_package" -B "$work/find_package" -G "$generator" \
    -DCMAKE_PREFIX_PATH="$moved" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_C_FLAGS="$extra" -DCMAKE_EXE_LINKER_FLAGS="$extra" >/dev/null
cmake --build "$work/find_package" >/dev/null
for exe in classify classify-static; do
    "$work/find_package/$exe" 3107
done
grep -q "sixmm-errinfo_DIR:PATH=$moved/" "$work/find_package/CMakeCache.txt" ||
    { echo "find_package did not use the moved copy" >&2; exit 1; }
echo "the moved install at $moved works for pkg-config and find_package"
