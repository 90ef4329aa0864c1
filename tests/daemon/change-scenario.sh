#!/bin/bash
# change-scenario.sh URI DIR GUEST: Debian's virsh changes a guest's
# definition through a QEMU driver (desc/title, metadata with namespaces,
# live/config/current, errors, domrename); what it prints is compared with
# tests/data/daemon/change-virsh.golden, recorded from libvirt 9.0's
# libvirtd with this script (test_change.py). GUEST: the test guest's
# directory (vmlinuz, initrd.gz). $VIRSH: the shell to run (default virsh).
U="$1"
cd "$2" || exit 1
G="$3"
export LC_ALL=C LANG=C
unset LIBVIRT_DEFAULT_URI VISUAL EDITOR
cat > vm.xml <<X
<domain type='qemu'>
  <name>vm</name>
  <uuid>6a1f0b0e-4c1d-4f59-9d0e-2b6a3c4d5e6f</uuid>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$G/vmlinuz</kernel><initrd>$G/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'><source path='$2/vm.serial'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
X
sed -e 's/<name>vm</<name>other</' -e 's/6a1f0b0e/7a1f0b0e/' -e 's/vm.serial/other.serial/' vm.xml > other.xml
run() { echo "== $*"; ${VIRSH:-virsh} -c "$U" "$@" 2>&1; echo "rc=$?"; }
ro() { echo "== -r $*"; ${VIRSH:-virsh} -r -c "$U" "$@" 2>&1; echo "rc=$?"; }
# the parts of the XML this scenario changes
section() {
    ${VIRSH:-virsh} -c "$U" dumpxml "$@" | awk '/<title>/ { print }
        /<description>/ { d = 1 } d { print } /<\/description>/ { d = 0 }
        /<metadata\/>/ { print } /<metadata>/ { m = 1 } m { print } /<\/metadata>/ { m = 0 }'
}
run define vm.xml
# shut off: CURRENT is the persistent definition
run desc vm
run desc vm --title
run desc vm a first description
run desc vm --title The Title
run desc vm --live not running
run desc vm --title "two
lines"
run metadata vm http://example.org/app1 --key app1 --set "<info version='1'><owner>ops &amp; dev</owner></info>"
run metadata vm http://example.org/app1
run metadata vm http://example.org/app2 --key app2 --set "<flag/>"
run metadata vm http://example.org/app2 --key other --set "<flag2 on='yes'/>"
run metadata vm http://example.org/none
run metadata vm http://example.org/app1 --live
run metadata vm http://example.org/app1 --key app1 --set "<broken>"
run metadata vm http://example.org/app1 --key 1bad --set "<ok/>"
run metadata vm http://example.org/app1 --set "<ok/>"
ro desc vm
ro desc vm changed
ro metadata vm http://example.org/app1
ro metadata vm http://example.org/app1 --key x --set "<y/>"
section --inactive vm
# running: CURRENT is the live definition; --config the next boot's
run start vm
run desc vm
run desc vm live description
run desc vm --config
run desc vm --config --live both definitions
run desc vm --title --config next boot title
run desc vm --title
run metadata vm http://example.org/app2 --key app2 --set "<live/>"
run metadata vm http://example.org/app2
run metadata vm http://example.org/app2 --config
run metadata vm http://example.org/app1 --remove --live
run metadata vm http://example.org/app1 --live --config
echo "-- live"
section vm
echo "-- inactive"
section --inactive vm
# rename: inactive and persistent only
run domrename vm renamed
run destroy vm
echo "-- after destroy"
section vm
run define other.xml
run domrename vm other
run domrename vm vm
run domrename vm a/b
run domrename vm renamed
run list --all --name
run desc renamed
run metadata renamed http://example.org/app1
run domrename renamed vm
run undefine vm
run undefine other
