#!/usr/bin/env bash
# The Debian package.
#   deb.sh build BUILD_DIR WORK_DIR           cpack -G DEB, then inspect the .deb
#   deb.sh dpkg  BUILD_DIR WORK_DIR [FLAGS]   dpkg -i, use it, dpkg -r (root only)
# FLAGS are the sanitizer flags of an instrumented build, which its users need too.
# Exit 77 means skipped (CTest SKIP_RETURN_CODE).
set -euo pipefail
mode=$1 build=$2 work=$3 extra=${4:-}
pkg=sixmm-errinfo

find_deb() {
    local debs=("$work"/${pkg}_*.deb)
    [ -e "${debs[0]}" ] || { echo "no .deb in $work" >&2; exit 1; }
    echo "${debs[0]}"
}

if [ "$mode" = build ]; then
    rm -rf "$work"
    mkdir -p "$work"
    (cd "$build" && cpack -G DEB -B "$work" --config CPackConfig.cmake)
    deb=$(find_deb)
    echo "== $deb"
    dpkg-deb --info "$deb"
    contents=$(dpkg-deb --contents "$deb")
    echo "$contents"
    for f in lib/libsixmm-errinfo.so.0 lib/libsixmm-errinfo.so lib/libsixmm-errinfo.a \
             include/sixmm/errinfo.h include/sixmm/codes.h lib/pkgconfig/sixmm-errinfo.pc \
             lib/cmake/sixmm-errinfo/sixmm-errinfoConfig.cmake; do
        grep -q " \./usr/$f\( \|$\)" <<<"$contents" || { echo "the .deb lacks /usr/$f" >&2; exit 1; }
    done
    exit 0
fi

# dpkg: only as root (CI is root), and never over a copy someone installed.
if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: dpkg -i/-r needs root"
    exit 77
fi
if [ "${SIXMM_SKIP_DPKG:-}" = 1 ]; then
    echo "SKIP: SIXMM_SKIP_DPKG=1"
    exit 77
fi
if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
    echo "SKIP: $pkg is already installed on this machine; not touching it"
    exit 77
fi
deb=$(find_deb)

# Another dpkg/apt may hold the lock for a while (CI installs dependencies).
dpkg_retry() {
    local i
    for i in $(seq 1 60); do
        if out=$(dpkg "$@" 2>&1); then echo "$out"; return 0; fi
        echo "$out" | grep -q "lock" || { echo "$out" >&2; return 1; }
        sleep 2
    done
    echo "$out" >&2
    return 1
}

dpkg_retry -i "$deb"
trap 'dpkg --purge "$pkg" >/dev/null 2>&1 || true' EXIT
dpkg-query -W -f='${Status} ${Version}\n' "$pkg"
files=$(dpkg -L "$pkg")
test -f /usr/lib/libsixmm-errinfo.so.0
# Use it as a user would: pkg-config from the system paths, then run.
tmp="$work/dpkg-consumer"
rm -rf "$tmp" && mkdir -p "$tmp"
cat >"$tmp/t.c" <<'C'
#include <sixmm/errinfo.h>
int main(void) { return sixmm_lookup(SIXMM_DOMAIN_REST, 1002, 0) ? 0 : 1; }
C
# shellcheck disable=SC2046,SC2086
cc $extra -o "$tmp/t" "$tmp/t.c" $(pkg-config --cflags --libs sixmm-errinfo)
"$tmp/t"
if [ -x /usr/bin/6mm-errinfo ]; then /usr/bin/6mm-errinfo 3107 >/dev/null; fi

dpkg_retry -r "$pkg"
trap - EXIT
if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
    echo "$pkg is still installed after dpkg -r" >&2; exit 1
fi
left=""
while IFS= read -r f; do
    [ -n "$f" ] && [ -f "$f" -o -L "$f" ] && left+="$f"$'\n'
done <<<"$files"
if [ -n "$left" ]; then
    echo "files left behind after dpkg -r:" >&2; echo "$left" >&2; exit 1
fi
# dpkg -r keeps the package known as "config-files" (it has maintainer
# scripts: the ldconfig trigger); purge it so that the machine is as before.
dpkg_retry --purge "$pkg" >/dev/null
if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -qv "not-installed"; then
    echo "$pkg is still known to dpkg after --purge" >&2; exit 1
fi
echo "dpkg -i, dpkg -r and dpkg --purge of $(basename "$deb") are clean"
