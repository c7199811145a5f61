#!/usr/bin/env bash
# Build tests/consumers/pkg-config against PREFIX with its Makefile, link it
# shared and static, and run both.
#   pkgconfig_consumer.sh SRC_DIR BUILD_DIR PREFIX LIBDIR CC [EXTRA_FLAGS]
set -euo pipefail
src=$1 build=$2 prefix=$3 libdir=$4 cc=$5 extra=${6:-}

rm -rf "$build"
mkdir -p "$build"
cp "$src/Makefile" "$src/classify.c" "$build/"
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
# Only our prefix: a system-wide copy must not answer for it.
export PKG_CONFIG_LIBDIR=/nonexistent
pkg-config --validate sixmm-errinfo
echo "pkg-config: $(pkg-config --cflags --libs sixmm-errinfo)"
make -C "$build" CC="$cc" CFLAGS="-O2 -Wall -Wextra -Werror $extra" LDFLAGS="$extra"

expect="3107: CONDITION_ORDER_INVALID, range match, retry class fix_request"
for kind in shared static; do
    out=$("$build/classify-$kind" 3107)
    echo "classify-$kind: $out"
    [ "$out" = "$expect" ] || { echo "expected: $expect" >&2; exit 1; }
done

needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
needed "$build/classify-shared" | grep -qx 'libsixmm-errinfo\.so\.[0-9]*' ||
    { echo "classify-shared does not need libsixmm-errinfo.so.N" >&2; exit 1; }
if needed "$build/classify-static" | grep -q sixmm; then
    echo "classify-static still needs the shared library" >&2; exit 1
fi
# The shared program must load the library from PREFIX, nowhere else.
resolved=$(ldd "$build/classify-shared" | awk '/libsixmm-errinfo/ {print $3}')
real=$(readlink -f "$resolved")
case "$real" in
    "$(readlink -f "$prefix")"/*) echo "classify-shared loads $real" ;;
    *) echo "classify-shared loads '$resolved', not a file under $prefix" >&2; exit 1 ;;
esac
