#!/bin/sh
# Install every Debian 12 package needed to build, test, demo and bench virtkit.
# Idempotent: installs only what is missing; runs apt-get update once, only then.
set -eu
PKGS="gcc make pkg-config meson ninja-build libglib2.0-dev libxml2-dev libjson-c-dev
      qemu-system-x86 qemu-utils busybox-static cpio gzip kmod lz4
      libvirt-clients python3-libvirt libvirt-dev python3
      libvirt-daemon libvirt-daemon-driver-qemu
      clang libclang-rt-14-dev clang-format
      ovmf virtinst iptables
      iproute2 nftables dnsmasq-base util-linux
      pci.ids python3-cryptography
      virt-manager xvfb
      passt libsys-virt-perl
      scrub parted xorriso e2fsprogs
      qemu-block-extra libgnutls28-dev
      swtpm swtpm-tools"
# swtpm, swtpm-tools: the emulated TPM (<tpm><backend type='emulator'>): swtpm
# runs it, swtpm_setup manufactures its state (as libvirt 9.0's qemu_tpm.c).
# qemu-block-extra: QEMU's curl, iscsi, rbd, gluster, nfs and ssh block
# drivers (network disks; nbd is built in). libgnutls28-dev: the AES of the
# disk secrets handed to QEMU under a master key (src/drivers/qemu/qemu_secret.c).
# lz4: scripts/build-test-guest.sh unpacks the test guest's kernel (its
# bzImage payload) to the ELF that QEMU boots through the PVH entry.
# ovmf: UEFI guests (firmware descriptors in /usr/share/qemu/firmware);
# virtinst: virt-install --print-xml writes the XML the domain suites take.
# iptables: libvirtd's NAT networks need it (make survey runs them).
# virt-manager, xvfb: daemon-virtmanager runs virt-manager's new-VM wizard
# on an Xvfb display against virtkitd.
# passt: <interface type='user'><backend type='passt'/> (as libvirt 9.0);
# libsys-virt-perl: Sys::Virt, a client the network tests run (issue 12).
# scrub: the storage wipe patterns (nnsa ... random), run as libvirt runs them.
# parted: the disk storage backend writes and reads partition tables with it
# (as libvirt's); daemon-storagedisk drives it on a loop device.
# xorriso: daemon-virtmanager makes the tiny install ISO of its ISO installs.
# e2fsprogs: daemon-agent reads a file in a quiesced snapshot's base image
# (debugfs: the freeze synced it there).
# pci.ids: the PCI vendor/product names node devices show (as libvirt's,
# through libpciaccess).
# python3-cryptography: DES for the VNC password handshake (daemon-display).
# libvirt's own daemon is the reference: tests run our client against it
# (remote-libvirtd-interop) and `make bench` measures it side by side.
# The unprivileged user and group QEMU runs as under the system virtkitd
# (as src/drivers/qemu/virtkit-qemu.sysusers for installs): no home, no shell.
qemu_user() {
    getent passwd virtkit-qemu >/dev/null && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "deps: user virtkit-qemu missing (run as root to create it)" >&2
        return 0
    fi
    getent group virtkit-qemu >/dev/null || groupadd --system virtkit-qemu
    useradd --system --gid virtkit-qemu --no-create-home --home-dir / \
        --shell /usr/sbin/nologin --comment "virtkit QEMU guests" virtkit-qemu
    if getent group kvm >/dev/null; then
        usermod -a -G kvm virtkit-qemu
    fi
    echo "deps: created system user virtkit-qemu"
}
qemu_user
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
