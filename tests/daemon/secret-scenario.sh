#!/bin/bash
# secret-scenario.sh URI DIR: Debian's virsh through a secret driver (define,
# list, values, read-only, clashes, bad XML, undefine); what it prints is
# compared with tests/data/daemon/secret-virsh.golden, recorded from
# libvirt 9.0's libvirtd with this script (test_objects.py); $VIRSH: the shell
# to run (default virsh; vksh for the same comparison of vksh).
U="$1"
cd "$2" || exit 1
export LC_ALL=C LANG=C
unset LIBVIRT_DEFAULT_URI
cat > sA.xml <<X
<secret ephemeral='no' private='no'>
  <uuid>11111111-2222-3333-4444-555555555555</uuid>
  <description>a &amp; b</description>
  <usage type='volume'>
    <volume>/var/lib/x.img</volume>
  </usage>
</secret>
X
cat > sB.xml <<X
<secret ephemeral='yes' private='yes'>
  <uuid>22222222-2222-3333-4444-555555555555</uuid>
  <usage type='ceph'><name>client.admin secret</name></usage>
</secret>
X
cat > sC.xml <<X
<secret><uuid>33333333-2222-3333-4444-555555555555</uuid></secret>
X
cat > sD.xml <<X
<secret><uuid>44444444-2222-3333-4444-555555555555</uuid><usage type='iscsi'><target>iqn.x</target></usage></secret>
X
cat > sE.xml <<X
<secret><uuid>11111111-2222-3333-4444-555555555555</uuid><usage type='volume'><volume>/other</volume></usage></secret>
X
cat > sF.xml <<X
<secret><uuid>55555555-2222-3333-4444-555555555555</uuid><usage type='volume'><volume>/var/lib/x.img</volume></usage></secret>
X
echo -n 'aGVsbG8=' > val.b64
printf 'hello' > val.raw
run() { echo "== $*"; if [ "$1" = -r ]; then shift; ${VIRSH:-virsh} -r -c "$U" "$@" 2>&1; else ${VIRSH:-virsh} -c "$U" "$@" 2>&1; fi; echo "rc=$?"; }
run secret-list
for f in sA sB sC sD; do run secret-define $f.xml; done
run secret-list
run secret-list --ephemeral
run secret-list --no-private
run secret-dumpxml 11111111-2222-3333-4444-555555555555
run secret-dumpxml 22222222-2222-3333-4444-555555555555
run secret-dumpxml 33333333-2222-3333-4444-555555555555
run secret-get-value 11111111-2222-3333-4444-555555555555
run secret-set-value 11111111-2222-3333-4444-555555555555 --file val.raw --plain
run secret-get-value 11111111-2222-3333-4444-555555555555
run secret-get-value --plain 11111111-2222-3333-4444-555555555555
run secret-set-value 22222222-2222-3333-4444-555555555555 --file val.b64
run secret-get-value 22222222-2222-3333-4444-555555555555
run -r secret-get-value 11111111-2222-3333-4444-555555555555
run -r secret-list
run secret-define sE.xml
run secret-define sF.xml
run secret-undefine 99999999-2222-3333-4444-555555555555
run secret-undefine 33333333-2222-3333-4444-555555555555
run secret-undefine 33333333-2222-3333-4444-555555555555
run secret-list
for x in '<secret ephemeral="maybe"/>' '<secret private="x"/>' '<foo/>' '<secret><usage/></secret>' '<secret><usage type="volume"/></secret>' '<secret><usage type="tls"><name></name></usage></secret>' '<secret><uuid>abc</uuid></secret>' '<secret><usage type="bogus"/></secret>' '<secret>' ; do echo "$x" > bad.xml; run secret-define bad.xml; done
run secret-undefine 11111111-2222-3333-4444-555555555555
run secret-undefine 22222222-2222-3333-4444-555555555555
run secret-undefine 44444444-2222-3333-4444-555555555555
run secret-list
