#!/bin/bash
# hotplug-scenario.sh URI DIR GUEST: Debian's virsh changes a running guest's
# hardware through a QEMU driver (vCPUs: setvcpus/vcpucount live, config,
# maximum, errors; blockresize); what it prints is compared with
# tests/data/daemon/hotplug-virsh.golden, recorded from libvirt 9.0's
# libvirtd with this script (test_hotplug.py checks the effect in the guest
# and in QEMU). GUEST: the hotplug variant of the test guest
# (VIRTKIT_TEST_GUEST_VARIANT=hotplug). $VIRSH: the shell (default virsh).
U="$1"
cd "$2" || exit 1
G="$3"
export LC_ALL=C LANG=C
unset LIBVIRT_DEFAULT_URI
rm -f hp.serial
qemu-img create -q -f raw disk1.img 64M
cat > hp.xml <<X
<domain type='qemu'>
  <name>hp</name>
  <uuid>5b2e0c1d-9a4f-4c3e-8d7b-1f2a3b4c5d6e</uuid>
  <memory unit='MiB'>256</memory>
  <vcpu current='1'>3</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$G/vmlinuz</kernel><initrd>$G/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='$2/disk1.img'/><target dev='vda' bus='virtio'/></disk>
    <serial type='file'><source path='$2/hp.serial'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
X
run() { echo "== $*"; ${VIRSH:-virsh} -c "$U" "$@" 2>&1; echo "rc=$?"; }
# waits (60 s at most) for a console line of the guest
console() {
    for _ in $(seq 600); do
        grep -q -- "$1" hp.serial 2>/dev/null && { echo "-- guest: $1"; return; }
        sleep 0.1
    done
    echo "-- guest: no '$1'"
}
# (libvirt also lists each vCPU in a <vcpus> element of the live XML once
# one was hotplugged; virtkit does not)
vcpuxml() { ${VIRSH:-virsh} -c "$U" dumpxml "$@" | grep "<vcpu placement"; }
run define hp.xml
run vcpucount hp
run setvcpus hp 2 --live
run setvcpus hp 2 --config
run setvcpus hp 5 --config
run setvcpus hp 6 --maximum --config
run vcpucount hp
run setvcpus hp 3 --maximum --config
vcpuxml --inactive hp
run blockresize hp vda 100M
run start hp
console GUEST-READY
console "online=0-1 "
run vcpucount hp
run setvcpus hp 3
console "online=0-2 "
run vcpucount hp
vcpuxml hp
vcpuxml --inactive hp
# (unplugging is checked by test_hotplug.py: on QEMU 7.2 under TCG the
# guest lets the vCPU go but QEMU reports it only through the lapic's
# DEVICE_DELETED, so libvirtd times out where virtkitd sees it done)
run vcpucount hp --live
run vcpucount hp --live --maximum
run vcpucount hp --config
run setvcpus hp 4 --live
run setvcpus hp 3 --maximum --config --live
run setvcpus hp 1 --guest
run vcpucount hp --guest
run setvcpus hp 0
run blockresize hp vda 100M
console "vda:204800,"
run blockresize hp vdz 1M
run blockresize hp vda 1x
run blockresize hp /nonexistent 1M
run blockresize hp vda 100000001b
run destroy hp
run undefine hp
