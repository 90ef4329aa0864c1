#!/bin/bash
# device-scenario.sh URI DIR GUEST: Debian's virsh attaches and detaches
# disks through a QEMU driver (attach-disk/-device, detach-disk/-device/
# -device-alias, live/config/persistent, errors); what it prints is compared
# with tests/data/daemon/device-virsh.golden, recorded from libvirt 9.0's
# libvirtd with this script (test_hotplug.py checks QEMU and the guest).
# GUEST: the hotplug variant of the test guest. $VIRSH: the shell.
U="$1"
W="$2"
cd "$W" || exit 1
G="$3"
export LC_ALL=C LANG=C
unset LIBVIRT_DEFAULT_URI
rm -f dev.serial
qemu-img create -q -f raw img1.img 32M
qemu-img create -q -f qcow2 img2.qcow2 48M
qemu-img create -q -f raw img3.img 16M
cat > dev.xml <<X
<domain type='qemu'>
  <name>dev</name>
  <uuid>4c3b2a19-8f7e-4d6c-9b5a-0e1f2a3b4c5d</uuid>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$G/vmlinuz</kernel><initrd>$G/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='pci' model='pcie-root'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <serial type='file'><source path='$W/dev.serial'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
X
cat > disk.xml <<X
<disk type='file' device='disk'>
  <driver name='qemu' type='raw'/>
  <source file='$W/img3.img'/>
  <target dev='vdd' bus='virtio'/>
</disk>
X
# (paths shown as DIR; a table's rule, as wide as the longest path, as ---)
run() {
    echo "== $*" | sed "s|$W|DIR|g"
    ${VIRSH:-virsh} -c "$U" "$@" 2>&1 | sed -e "s|$W|DIR|g" -e 's/^---*$/---/'
    echo "rc=${PIPESTATUS[0]}"
}
console() {
    for _ in $(seq 600); do
        grep -q -- "$1" dev.serial 2>/dev/null && { echo "-- guest: $1"; return; }
        sleep 0.1
    done
    echo "-- guest: no '$1'"
}
run define dev.xml
run attach-disk dev "$W/img1.img" vdb
run attach-disk dev "$W/img1.img" vdb --live
run attach-disk dev "$W/img1.img" vdb --config
run domblklist dev --inactive
run start dev
console GUEST-READY
console "vda:65536,"
run attach-disk dev "$W/img2.qcow2" vdc --subdriver qcow2
console "vdb:98304,"
run domblklist dev
run domblklist dev --inactive
run attach-disk dev "$W/img2.qcow2" vdc --subdriver qcow2
# (SATA/IDE disks, CD-ROMs and other devices: libvirtd passes QEMU's own
# refusal or hotplugs more kinds; test_hotplug.py checks virtkit's answers)
run attach-device dev disk.xml --persistent
console "vdc:32768,"
run domblklist dev
run domblklist dev --inactive
run detach-disk dev vdc
console "block=vda:65536,vdc:32768, "
run detach-disk dev vdz
run detach-device dev disk.xml --live
run detach-device-alias dev virtio-disk3
console "block=vda:65536, "
run domblklist dev
run domblklist dev --inactive
run detach-device dev disk.xml --config
run detach-disk dev vdb --config
run domblklist dev --inactive
run detach-device-alias dev virtio-disk9
# input devices and controllers (live and in the definition)
cat > tablet.xml <<X
<input type='tablet' bus='virtio'/>
X
cat > usbtablet.xml <<X
<input type='tablet' bus='usb'/>
X
cat > ps2.xml <<X
<input type='mouse' bus='ps2'/>
X
cat > usbc.xml <<X
<controller type='usb' index='1' model='qemu-xhci'/>
X
cat > vserial.xml <<X
<controller type='virtio-serial'/>
X
cat > usb0.xml <<X
<controller type='usb' index='0'/>
X
run attach-device dev tablet.xml
run attach-device dev usbtablet.xml --live
run attach-device dev ps2.xml
run attach-device dev usbc.xml
run attach-device dev vserial.xml --live
run dumpxml dev --xpath '//devices/input'
run detach-device dev tablet.xml
run detach-device-alias dev input3
run detach-device dev tablet.xml
run detach-device dev ps2.xml
run detach-device-alias dev input1
run detach-device dev usb0.xml
run detach-device-alias dev usb
run detach-device dev usbc.xml
run dumpxml dev --xpath '//devices/input'
run attach-device dev tablet.xml --config
run attach-device dev usbc.xml --config
run attach-device dev usbc.xml --config
run attach-device dev vserial.xml --config
run dumpxml dev --inactive --xpath '//devices/input|//devices/controller[@type="usb" or @type="virtio-serial"]'
run detach-device dev tablet.xml --config
run detach-device dev tablet.xml --config
run detach-device dev usbc.xml --config
run detach-device dev usbc.xml --config
run detach-device dev vserial.xml --config
run dumpxml dev --inactive --xpath '//devices/input|//devices/controller[@type="usb" or @type="virtio-serial"]'
run destroy dev
run undefine dev
