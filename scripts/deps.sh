#!/bin/sh
# Install every Debian 12 package needed to build, test, demo and bench virtkit.
# Idempotent: installs only what is missing; runs apt-get update once, only then.
set -eu
PKGS="gcc make pkg-config meson ninja-build libglib2.0-dev libxml2-dev libjson-c-dev
      qemu-system-x86 qemu-utils busybox-static cpio gzip kmod
      libvirt-clients python3-libvirt libvirt-dev python3
      libvirt-daemon libvirt-daemon-driver-qemu"
# libvirt's own daemon is the reference: tests run our client against it
# (remote-libvirtd-interop) and `make bench` measures it side by side.
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    echo "deps: all packages present"
    exit 0
fi
echo "deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
    echo "deps: must run as root to install packages" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends $missing
