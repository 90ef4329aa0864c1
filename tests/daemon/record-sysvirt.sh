#!/bin/sh
# Records what Sys::Virt (sysvirt-objects.pl) and python3-libvirt
# (python-ifaces.py) print through libvirt 9.0's libvirtd test driver
# (test+unix:///default), into tests/data/daemon/sysvirt-objects.golden and
# python-ifaces.golden, which test_network.py compares virtkitd's answers
# with. The libvirtd is a session daemon of user nobody in a temporary
# folder, stopped by its pid at the end. Run as root, by hand; review the
# diff afterwards.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../data/daemon
tmp=$(mktemp -d)
pid=""
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/run" "$tmp/cfg" "$tmp/cache" "$tmp/data"
chown -R nobody:nogroup "$tmp"
setpriv --reuid=nobody --regid=nogroup --clear-groups \
    env HOME="$tmp" XDG_RUNTIME_DIR="$tmp/run" XDG_CONFIG_HOME="$tmp/cfg" \
    XDG_CACHE_HOME="$tmp/cache" XDG_DATA_HOME="$tmp/data" \
    /usr/sbin/libvirtd >"$tmp/libvirtd.log" 2>&1 &
pid=$!
sock=$tmp/run/libvirt/libvirt-sock
i=0
while [ ! -S "$sock" ]; do
    i=$((i + 1))
    [ $i -lt 300 ] || { echo "libvirtd did not start" >&2; cat "$tmp/libvirtd.log" >&2; exit 1; }
    sleep 0.1
done
uri="test+unix:///default?socket=$sock"
perl "$here/sysvirt-objects.pl" "$uri" >"$data/sysvirt-objects.golden"
/usr/bin/python3 "$here/python-ifaces.py" "$uri" >"$data/python-ifaces.golden"
echo "recorded through $(/usr/sbin/libvirtd --version)"
