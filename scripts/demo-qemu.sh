#!/bin/sh
# demo-qemu.sh: boots the test guest through qemu:///embed?root=... with a
# qcow2 disk, a virtio NIC and a pty console, reads its console through a
# stream, shuts it down by ACPI, prints the lifecycle events and reads the
# guest's disk writes back from the image.
# Usage: scripts/demo-qemu.sh BUILDDIR   (called by scripts/demo.sh / make demo)
set -eu

build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
demo="$build/tools/qemu-demo/virtkit-qemu-demo"

if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
    echo "demo-qemu: qemu-system-x86_64 is not installed (make deps)" >&2
    exit 1
fi
if [ ! -x "$demo" ]; then
    echo "demo-qemu: $demo not found; build first (make)" >&2
    exit 1
fi
guest=$("$here/build-test-guest.sh")
root=$(mktemp -d /tmp/virtkit-demo-XXXXXX)
trap 'rm -rf "$root"' EXIT

printf '\n=== QEMU: a real guest through qemu:///embed?root=%s\n' "$root"
"$demo" "$root" "$guest"
