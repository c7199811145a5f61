#!/bin/sh
# A project that vendors the library with add_subdirectory() on a machine
# where jansson cannot be found (pkg-config sees no .pc file at all, and
# find_package(jansson) is disabled): the library alone configures, builds
# and runs, and jansson was never looked up. Then the two ways a part meets
# a missing dependency: asked for (-DSIXMM_BUILD_CLI=ON) the configure stops
# with a message naming it; by default (at the top level) the part is off
# with one status line.
#   vendored.sh SRCDIR WORKDIR CC GENERATOR
set -u
src=$1 work=$2 cc=$3 gen=$4
rm -rf "$work"
mkdir -p "$work/no-pc"
fail() { echo "FAIL: $*"; exit 1; }
# No package of the machine is visible to pkg-config.
PKG_CONFIG_LIBDIR="$work/no-pc" PKG_CONFIG_PATH= 
export PKG_CONFIG_LIBDIR PKG_CONFIG_PATH
nojansson="-DCMAKE_DISABLE_FIND_PACKAGE_jansson=ON"

b="$work/consumer"
cmake -S "$src/tests/consumers/vendored" -B "$b" -G "$gen" -DCMAKE_C_COMPILER="$cc" \
      -DSIXMM_ERRINFO_DIR="$src" $nojansson > "$work/consumer.log" 2>&1 ||
    { cat "$work/consumer.log"; fail "the vendored library does not configure without jansson"; }
cmake --build "$b" -j2 > "$work/consumer-build.log" 2>&1 ||
    { tail -30 "$work/consumer-build.log"; fail "the vendored library does not build"; }
"$b/explain" 1002 | grep -q "TOKEN_EXPIRED" || fail "explain 1002 did not name TOKEN_EXPIRED"
# Nothing asked pkg-config or CMake for jansson, and nothing beside the
# library was configured.
if grep -qE "JANSSON|jansson_DIR|PKG_CONFIG_EXECUTABLE" "$b/CMakeCache.txt"; then
    grep -E "JANSSON|jansson_DIR|PKG_CONFIG_EXECUTABLE" "$b/CMakeCache.txt"
    fail "the vendored configure looked jansson up"
fi
for t in sixmm_cli sixmm_bench sixmm_sim sixmm_python docs place_order; do
    grep -q "^$t:\|/$t.dir" "$b/Makefile" "$b/build.ninja" 2>/dev/null &&
        fail "the vendored configure built $t"
done
if grep -rqs "sixmm-errinfo/src/cli\|sixmm-errinfo/bench\|sixmm-errinfo/sim" "$b/CMakeFiles/TargetDirectories.txt"; then
    fail "the vendored configure has targets beside the library"
fi

# Asked for, the CLI without jansson is an error that names it.
b="$work/asked"
if cmake -S "$src/tests/consumers/vendored" -B "$b" -G "$gen" -DCMAKE_C_COMPILER="$cc" \
         -DSIXMM_ERRINFO_DIR="$src" -DSIXMM_BUILD_CLI=ON $nojansson > "$work/asked.log" 2>&1; then
    fail "-DSIXMM_BUILD_CLI=ON without jansson configured"
fi
grep -q "SIXMM_BUILD_CLI is ON, but jansson" "$work/asked.log" ||
    { cat "$work/asked.log"; fail "no clear message for the CLI without jansson"; }

# At the top level, by default: the CLI is off, with one status line.
b="$work/top"
cmake -S "$src" -B "$b" -G "$gen" -DCMAKE_C_COMPILER="$cc" -DSIXMM_BUILD_TESTS=OFF \
      $nojansson > "$work/top.log" 2>&1 || { cat "$work/top.log"; fail "the top level does not configure without jansson"; }
n=$(grep -c "SIXMM_BUILD_CLI off: jansson" "$work/top.log")
[ "$n" = 1 ] || { cat "$work/top.log"; fail "expected one status line for the CLI, got $n"; }
echo "ok: the vendored library needs no jansson; the CLI asked for fails clearly; by default it is off"
