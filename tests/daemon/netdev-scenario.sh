#!/bin/bash
# netdev-scenario.sh URI DIR GUEST: Debian's virsh changes a running guest's
# interfaces and CD-ROM media through a QEMU driver: attach/detach of
# interfaces (types user and ethernet) and virtio RNGs live and in the
# config, domif-setlink/
# domif-getlink, update-device (what may and may not change), change-media
# --eject/--insert/--update live and --config, and their errors. What it
# prints is compared with tests/data/daemon/netdev-virsh.golden, recorded
# from libvirt 9.0's libvirtd with this script (test_nethotplug.py checks the
# effects in the guest, in QEMU and on the host). GUEST: the hotplug variant
# of the test guest. $VIRSH: the shell (default virsh).
U="$1"
W="$2"
cd "$W" || exit 1
G="$3"
export LC_ALL=C LANG=C
unset LIBVIRT_DEFAULT_URI
rm -f nd.serial
qemu-img create -q -f raw a.iso 1M
qemu-img create -q -f raw b.iso 2M
qemu-img create -q -f raw disk.img 16M
cat > nd.xml <<X
<domain type='qemu'>
  <name>nd</name>
  <uuid>6c4d3b2a-1f0e-4d9c-8b7a-6e5f4d3c2b1a</uuid>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$G/vmlinuz</kernel><initrd>$G/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='$W/disk.img'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/>
      <source file='$W/a.iso'/><target dev='sda' bus='sata'/><readonly/></disk>
    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/>
      <target dev='sdb' bus='sata'/><readonly/></disk>
    <controller type='pci' model='pcie-root'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <controller type='pci' model='pcie-root-port'/>
    <serial type='file'><source path='$W/nd.serial'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
X
cat > user.xml <<X
<interface type='user'>
  <mac address='52:54:00:5e:00:01'/>
  <model type='virtio'/>
</interface>
X
cat > eth.xml <<X
<interface type='ethernet'>
  <mac address='52:54:00:5e:00:02'/>
  <model type='virtio'/>
</interface>
X
cat > user-e1000.xml <<X
<interface type='user'>
  <mac address='52:54:00:5e:00:01'/>
  <model type='e1000'/>
</interface>
X
cat > user-down.xml <<X
<interface type='user'>
  <mac address='52:54:00:5e:00:01'/>
  <model type='virtio'/>
  <link state='down'/>
</interface>
X
cat > user-eth.xml <<X
<interface type='ethernet'>
  <mac address='52:54:00:5e:00:01'/>
  <model type='virtio'/>
</interface>
X
cat > nomac.xml <<X
<interface type='user'>
  <mac address='52:54:00:5e:00:99'/>
  <model type='virtio'/>
</interface>
X
cat > vda.xml <<X
<disk type='file' device='disk'><driver name='qemu' type='raw'/>
  <source file='$W/b.iso'/><target dev='vda' bus='virtio'/></disk>
X
cat > rng.xml <<X
<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>
X
cat > rng2.xml <<X
<rng model='virtio'><backend model='random'>/dev/random</backend></rng>
X
# (paths shown as DIR)
run() {
    echo "== $*" | sed "s|$W|DIR|g"
    ${VIRSH:-virsh} -c "$U" "$@" 2>&1 | sed -e "s|$W|DIR|g" -e 's/^---*$/---/'
    echo "rc=${PIPESTATUS[0]}"
}
# the interface lines of the live or inactive XML that do not depend on
# the host (no tap names, PCI addresses or port ids)
ifaces() {
    echo "== dumpxml $* (interfaces)"
    ${VIRSH:-virsh} -c "$U" dumpxml "$@" 2>&1 |
        sed -n "/<interface/,/<\/interface>/p" |
        grep -E "<interface|<mac |<model |<link |<alias |</interface>"
}
rngs() {
    echo "== dumpxml $* (rngs)"
    ${VIRSH:-virsh} -c "$U" dumpxml "$@" 2>&1 |
        sed -n "/<rng/,/<\/rng>/p" | grep -E "<rng|<backend|<alias |</rng>"
}
# the guest's current hardware line (GUEST-HW) ends with $1
console_now() {
    for _ in $(seq 600); do
        grep -a "GUEST-HW" nd.serial 2>/dev/null | tail -1 | tr -d "\r" | grep -q -- "$1\$" &&
            { echo "-- guest now: $1"; return; }
        sleep 0.1
    done
    echo "-- guest now: no '$1'"
}
console() {
    for _ in $(seq 600); do
        grep -q -- "$1" nd.serial 2>/dev/null && { echo "-- guest: $1"; return; }
        sleep 0.1
    done
    echo "-- guest: no '$1'"
}
run define nd.xml
run attach-device nd user.xml
run attach-device nd user.xml --config
run start nd
console GUEST-READY
console "net=eth0,lo, link=eth0:1,"
run attach-device nd eth.xml --live
console "net=eth0,eth1,lo, link=eth0:1,eth1:1,"
ifaces nd
ifaces nd --inactive
run domif-getlink nd 52:54:00:5e:00:01
run domif-setlink nd 52:54:00:5e:00:01 down
console "link=eth0:0,eth1:1,"
run domif-getlink nd 52:54:00:5e:00:01
run domif-getlink nd 52:54:00:5e:00:01 --config
run domif-setlink nd 52:54:00:5e:00:02 down --config
run domif-setlink nd 52:54:00:5e:00:01 up
console "link=eth0:1,eth1:1,"
run update-device nd user-down.xml
console "link=eth0:0,eth1:1,"
run update-device nd user.xml --live
console "link=eth0:1,eth1:1,"
run update-device nd user-e1000.xml
run update-device nd user-eth.xml --live
run update-device nd nomac.xml
run update-device nd user-down.xml --config
ifaces nd
ifaces nd --inactive
run detach-device nd nomac.xml
run detach-device nd eth.xml
console "net=eth0,lo, link=eth0:1,"
run detach-device-alias nd net0
console "net=lo, link="
run domif-getlink nd 52:54:00:5e:00:01
run detach-device nd user.xml --config
ifaces nd --inactive
run attach-device nd rng.xml --live
console "rng=virtio_rng.0,"
run attach-device nd rng2.xml --live --config
console "rng=virtio_rng.0,virtio_rng.1,"
rngs nd
rngs nd --inactive
run detach-device nd rng.xml --config
run detach-device-alias nd rng0
console "rng=virtio_rng.1,"
run detach-device nd rng.xml
run detach-device nd rng2.xml
console_now "link= rng="
rngs nd
rngs nd --inactive
run domblklist nd
run change-media nd sda --eject
run change-media nd sdb "$W/b.iso" --insert
run domblklist nd
run change-media nd sdb "$W/a.iso" --update
run change-media nd sda "$W/b.iso"
run domblklist nd
run domblklist nd --inactive
run change-media nd sda --eject --config
run change-media nd sdb --eject --config
run change-media nd sdb "$W/b.iso" --insert --config
run domblklist nd --inactive
run change-media nd sda "$W/a.iso" --insert
run change-media nd sda /nonexistent/x.iso
run change-media nd vda --eject
run update-device nd vda.xml
run update-device nd rng.xml
run domblklist nd
run destroy nd
run change-media nd sdb --eject
run domblklist nd
run undefine nd
