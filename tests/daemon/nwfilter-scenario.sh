#!/bin/bash
# nwfilter-scenario.sh URI DIR DATA: Debian's virsh through a network filter
# driver (define, list, dumpxml by name and UUID, redefine, bad XML, a
# reference loop, undefine of a referenced filter, bindings); what it prints
# is compared with tests/data/daemon/nwfilter-virsh.golden, recorded from
# libvirt 9.0's libvirtd with this script (test_nwfilter.py). DATA is
# tests/data/nwfilterxml (the filters defined); $VIRSH: the shell to run
# (default virsh; vksh for the same comparison of vksh).
U="$1"
cd "$2" || exit 1
cp "$3"/case-*.xml . || exit 1
export LC_ALL=C LANG=C
unset LIBVIRT_DEFAULT_URI
run() { echo "== $*"; if [ "$1" = -r ]; then shift; ${VIRSH:-virsh} -r -c "$U" "$@" 2>&1; else ${VIRSH:-virsh} -c "$U" "$@" 2>&1; fi; echo "rc=$?"; }
cat > loopa.xml <<X
<filter name='loopa'><uuid>bbbbbbbb-0000-4000-8000-00000000000a</uuid><filterref filter='loopb'/></filter>
X
cat > loopb.xml <<X
<filter name='loopb'><uuid>bbbbbbbb-0000-4000-8000-00000000000b</uuid><filterref filter='loopa'/></filter>
X
cat > useip.xml <<X
<filter name='useip'><uuid>bbbbbbbb-0000-4000-8000-00000000000c</uuid>
<filterref filter='ip'><parameter name='IP' value='10.0.0.2'/><parameter name='IP' value='10.0.0.1'/></filterref></filter>
X
cat > ip-redefined.xml <<X
<filter name='ip' chain='ipv4-x'><uuid>aaaaaaaa-bbbb-4ccc-8ddd-000000000005</uuid>
<rule action='drop' direction='in'><icmp type='8'/></rule></filter>
X
cat > ip-otheruuid.xml <<X
<filter name='ip'><uuid>cccccccc-bbbb-4ccc-8ddd-000000000005</uuid></filter>
X
cat > ip-othername.xml <<X
<filter name='ip2'><uuid>aaaaaaaa-bbbb-4ccc-8ddd-000000000005</uuid></filter>
X
run nwfilter-list
for f in arp mac vlan stp ip ipv6 tcp l4 l4v6 refs rule-prio chain-default-prio; do
    run nwfilter-define "case-$f.xml"
done
run nwfilter-list
for f in arp mac vlan stp ip ipv6 tcp l4 l4v6 refs rule-prio chain-default-prio; do
    run nwfilter-dumpxml $f
done
run nwfilter-dumpxml aaaaaaaa-bbbb-4ccc-8ddd-000000000005
run -r nwfilter-dumpxml --xpath //rule/@priority vlan
for f in badchain notxml ipport badroot badvar rootprefix; do
    run nwfilter-define "case-err-$f.xml"
done
run nwfilter-define loopa.xml
run nwfilter-define loopb.xml
run nwfilter-define useip.xml
run nwfilter-define ip-redefined.xml
run nwfilter-dumpxml ip
run nwfilter-define ip-otheruuid.xml
run nwfilter-define ip-othername.xml
run nwfilter-undefine ip
run nwfilter-dumpxml useip
run -r nwfilter-undefine useip
run nwfilter-undefine useip
run nwfilter-undefine nosuch
run nwfilter-binding-list
run nwfilter-binding-dumpxml vnet0
run nwfilter-binding-delete vnet0
for f in loopa arp mac vlan stp ipv6 tcp l4 l4v6 refs rule-prio chain-default-prio; do
    run nwfilter-undefine $f
done
run nwfilter-list
