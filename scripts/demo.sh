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

step "Events"
# In test:///default every process has its own state, so another process's
# changes cannot be watched here; events across processes go through the
# daemon (virtkitd).  The event command lists what it can watch and waits
# with a deadline.
show -c $uri 'event --list' | head -3
show -c $uri 'event --all --loop --timeout 1 --timestamp' || true

step "Host information"
show -c $uri 'uri; version; nodeinfo'

# ---- Part 2 (qemu engineer): a real guest under QEMU through qemu:///embed.
# Kept in its own script, scripts/demo-qemu.sh.
"$(dirname "$0")/demo-qemu.sh" "$build"

printf '\nDemo finished.\n'
