#!/bin/sh
# compat-diff.sh: run the public-API program built against libvirt and against virtkit
# on test:///default and require identical transcripts.
#   compat-diff.sh LIBVIRT_BINARY VIRTKIT_BINARY [SOURCE BUILD_ROOT]
# With SOURCE and BUILD_ROOT it also compiles SOURCE the way a user would,
# with `pkg-config --cflags --libs virtkit` (the uninstalled virtkit.pc), and
# requires that build to print the same transcript.
set -u

real=$1
ours=$2
src=${3:-}
build=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {
    # each program exits by itself; the deadline only guards a hang
    timeout 120 "$1" >"$2" 2>"$2.stderr"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL: $1 exited with status $rc" >&2
        cat "$2.stderr" >&2
        return 1
    fi
}

status=0
run "$real" "$tmp/libvirt.txt" || exit 1
run "$ours" "$tmp/virtkit.txt" || exit 1
# events that never came would make both transcripts agree on a failure
if grep -q "deadline reached" "$tmp/libvirt.txt" "$tmp/virtkit.txt"; then
    echo "FAIL: expected events did not arrive" >&2
    status=1
fi
if ! diff -u "$tmp/libvirt.txt" "$tmp/virtkit.txt"; then
    echo "FAIL: transcripts differ (- libvirt, + virtkit)" >&2
    status=1
else
    echo "transcripts identical ($(wc -l <"$tmp/libvirt.txt") lines)"
fi

if [ -n "$src" ] && [ -n "$build" ]; then
    pcdir="$build/meson-uninstalled"
    cc=${CC:-cc}
    if ! flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs virtkit); then
        echo "FAIL: pkg-config cannot find virtkit in $pcdir" >&2
        exit 1
    fi
    libdir=$(PKG_CONFIG_PATH="$pcdir" pkg-config --variable=prefix virtkit)/src/libvirt
    # shellcheck disable=SC2086
    if ! $cc -o "$tmp/compat-pc" "$src" $flags -Wl,-rpath,"$libdir"; then
        echo "FAIL: $src does not build with pkg-config virtkit" >&2
        exit 1
    fi
    run "$tmp/compat-pc" "$tmp/pc.txt" || exit 1
    if ! diff -u "$tmp/libvirt.txt" "$tmp/pc.txt"; then
        echo "FAIL: pkg-config build differs from libvirt" >&2
        status=1
    else
        echo "pkg-config build: transcript identical"
    fi
fi
exit $status
