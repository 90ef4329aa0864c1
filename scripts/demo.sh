#!/bin/sh
# demo.sh: a short guided tour of virtkit with vksh (the target of `make demo`).
# Usage: scripts/demo.sh BUILDDIR
#
# Everything here runs on test:///default, libvirt's in-process test driver:
# no daemon and no set-up.  Its state lives in the vksh process, so each
# step that changes state runs its commands in one vksh invocation, separated
# by ';' (as with virsh).
set -eu

build=${1:-build}
uri=test:///default

if [ ! -x "$build/tools/vksh/vksh" ]; then
    echo "demo: $build/tools/vksh/vksh not found; build first (make)" >&2
    exit 1
fi
vksh="$(cd "$build" && pwd)/tools/vksh/vksh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

step() {
    printf '\n=== %s\n' "$1"
}

# show ARGS...: prints the command line, then runs it.
show() {
    printf '$ vksh'
    for a in "$@"; do
        case $a in
            *' '*|*';'*) printf " '%s'" "$a" ;;
            *) printf ' %s' "$a" ;;
        esac
    done
    printf '\n'
    "$vksh" "$@"
}

step "The test driver starts with one running domain, 'test'"
show -c $uri list --all
show -c $uri dominfo test

step "Destroy and start it again; the state reason follows each change"
show -c $uri 'destroy test; domstate --reason test; start test; domstate --reason test; list'

step "Pause and resume"
show -c $uri 'suspend test; domstate --reason test; resume test; domstate --reason test'

step "Define a new domain from a file, start it, look at its XML"
cat >"$tmp/demo.xml" <<'EOF'
<domain type='test'>
  <name>demo</name>
  <uuid>d3e0d3e0-0000-4000-8000-000000000001</uuid>
  <title>virtkit demo guest</title>
  <memory unit='MiB'>256</memory>
  <vcpu>2</vcpu>
  <os>
    <type>hvm</type>
  </os>
  <devices>
    <serial type='pty'/>
  </devices>
</domain>
EOF
(cd "$tmp" && show -c $uri 'define demo.xml; list --all --title; start demo; list; dumpxml demo')

step "Errors read exactly as virsh's"
show -c $uri 'destroy test; destroy test' || true
show -c $uri 'dominfo nosuch' || true

step "Events, across processes, through the daemon"
# test:///default keeps its state inside each process; virtkitd shares one
# test driver among its clients, so one vksh can watch what another does.
virtkitd="$build/src/daemon/virtkitd"
if [ -x "$virtkitd" ]; then
    mkdir -p "$tmp/d/config" "$tmp/d/state" "$tmp/d/run" "$tmp/d/log" "$tmp/d/cache"
    "$virtkitd" --system --config-dir "$tmp/d/config" --state-dir "$tmp/d/state" \
        --runtime-dir "$tmp/d/run" --log-dir "$tmp/d/log" --cache-dir "$tmp/d/cache" \
        >"$tmp/virtkitd.log" 2>&1 &
    daemon_pid=$!
    trap 'kill $daemon_pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
    sock="$tmp/d/run/virtkit-sock"
    tries=0
    until [ -S "$sock" ] || [ $tries -ge 200 ]; do sleep 0.05; tries=$((tries + 1)); done
    duri="test+unix:///default?socket=$sock"

    echo "\$ vksh -c '$duri' event --all --loop --timestamp &"
    "$vksh" -c "$duri" event --all --loop --timestamp --timeout 30 >"$tmp/events" &
    watch_pid=$!
    # Wait (with a deadline) until the watcher sees a probe pause/resume.
    tries=0
    until grep -qs Unpaused "$tmp/events" || [ $tries -ge 200 ]; do
        "$vksh" -q -c "$duri" 'suspend test; resume test' >/dev/null
        sleep 0.05
        tries=$((tries + 1))
    done
    show -c "$duri" 'destroy test; start test; suspend test; resume test'
    tries=0
    until [ "$(grep -c "^20.*event 'lifecycle'" "$tmp/events")" -ge 6 ] || [ $tries -ge 200 ]; do
        sleep 0.05
        tries=$((tries + 1))
    done
    kill -INT $watch_pid
    wait $watch_pid || true
    echo "--- the watcher printed (the first lines are the probe):"
    cat "$tmp/events"
    kill $daemon_pid
    wait $daemon_pid || true
    trap 'rm -rf "$tmp"' EXIT
else
    echo "(virtkitd not built; skipping)"
fi

step "Host information"
show -c $uri 'uri; version; nodeinfo'

# ---- Part 2 (qemu engineer): a real guest under QEMU through qemu:///embed.
# Kept in its own script, scripts/demo-qemu.sh.
"$(dirname "$0")/demo-qemu.sh" "$build"

printf '\nDemo finished.\n'
