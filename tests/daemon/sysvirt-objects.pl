#!/usr/bin/perl
# Sys::Virt (Debian's libsys-virt-perl) through the network, interface and
# node-device calls of libvirt's test driver: the calls of Sys::Virt's own
# t/300-networks.t and t/600-interfaces.t (which Debian does not ship) and
# the node-device ones, each printed as one line of a transcript: the
# answer, or "ERR code domain message". test_network.py runs it on
# test:///default (libvirt's own test driver, the reference) and on
# test+unix:///default through virtkitd, and compares the transcripts.
#
# Usage: sysvirt-objects.pl URI
use strict;
use warnings;

use Sys::Virt;

my $uri = shift @ARGV or die "usage: $0 URI\n";
my $conn = Sys::Virt->new(uri => $uri);

sub show {
    my ($v) = @_;
    return "undef" unless defined $v;
    if (ref $v eq "ARRAY") {
        return "[" . join(",", map { show($_) } @$v) . "]";
    }
    if (ref $v eq "HASH") {
        return "{" . join(",", map { "$_=" . show($v->{$_}) } sort keys %$v) . "}";
    }
    if (ref $v && $v->can("get_name")) {
        return ref($v) . "(" . $v->get_name() . ")";
    }
    return "$v";
}

# One call: its answer (a list context result), or libvirt's error.
sub call {
    my ($what, $fn) = @_;
    my @r = eval { $fn->() };
    if ($@) {
        my $e = $@;
        if (ref $e && $e->isa("Sys::Virt::Error")) {
            print "$what: ERR ", $e->code, " ", $e->domain, " ", $e->message, "\n";
        } else {
            print "$what: DIED $e\n";
        }
        return undef;
    }
    print "$what: ", show(@r == 1 ? $r[0] : \@r), "\n";
    return $r[0];
}

sub names {
    my @objs = @_;
    return [sort map { $_->get_name() } @objs];
}

# --- networks (the calls of Sys::Virt's t/300-networks.t, and more) ---------
my $n = call("num_of_networks", sub { $conn->num_of_networks() });
call("list_network_names", sub { [sort $conn->list_network_names($n)] });
my $net = call("get_network_by_name(default)", sub { $conn->get_network_by_name("default") });
call("net.get_name", sub { $net->get_name() });
call("net.get_bridge_name", sub { $net->get_bridge_name() });
call("net.is_active", sub { $net->is_active() });
call("net.is_persistent", sub { $net->is_persistent() });
call("net.get_autostart", sub { $net->get_autostart() });
call("net.get_xml_description", sub { $net->get_xml_description() });
call("net.get_dhcp_leases", sub { [$net->get_dhcp_leases()] });
my $uuid = $net->get_uuid_string();
call("get_network_by_uuid", sub { $conn->get_network_by_uuid($uuid)->get_name() });
call("list_networks", sub { names($conn->list_networks()) });
call("num_of_defined_networks", sub { $conn->num_of_defined_networks() });
call("list_all_networks", sub { names($conn->list_all_networks()) });
call("list_all_networks(ACTIVE)",
     sub { names($conn->list_all_networks(Sys::Virt::Network::LIST_ACTIVE)) });
call("list_all_networks(INACTIVE)",
     sub { names($conn->list_all_networks(Sys::Virt::Network::LIST_INACTIVE)) });

my $netxml = "<network>
  <name>wibble</name>
  <uuid>12341234-5678-5678-5678-123412341234</uuid>
  <forward dev='eth0'/>
  <ip address='192.168.100.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.100.2' end='192.168.100.25'/>
    </dhcp>
  </ip>
</network>";
call("define_network", sub { $conn->define_network($netxml) });
call("define_network(again, other uuid)",
     sub { (my $x = $netxml) =~ s/12341234-5678/99999999-5678/; $conn->define_network($x) });
my $nd = call("num_of_defined_networks", sub { $conn->num_of_defined_networks() });
call("list_defined_network_names", sub { [$conn->list_defined_network_names($nd)] });
call("list_defined_networks", sub { names($conn->list_defined_networks()) });
my $w = call("get_network_by_name(wibble)", sub { $conn->get_network_by_name("wibble") });
call("wibble.get_uuid_string", sub { $w->get_uuid_string() });
call("wibble.get_xml_description", sub { $w->get_xml_description() });
call("wibble.is_active", sub { $w->is_active() });
call("wibble.set_autostart(1)", sub { $w->set_autostart(1) });
call("wibble.get_autostart", sub { $w->get_autostart() });
call("wibble.create", sub { $w->create() });
call("wibble.create(again)", sub { $w->create() });
$n = call("num_of_networks", sub { $conn->num_of_networks() });
call("list_network_names", sub { [sort $conn->list_network_names($n)] });
call("wibble.update(add dhcp host)", sub {
    $w->update(Sys::Virt::Network::UPDATE_COMMAND_ADD_LAST,
               Sys::Virt::Network::SECTION_IP_DHCP_HOST, -1,
               "<host mac='52:54:00:00:00:42' name='h42' ip='192.168.100.42'/>",
               Sys::Virt::Network::UPDATE_AFFECT_LIVE | Sys::Virt::Network::UPDATE_AFFECT_CONFIG)
});
call("wibble.update(add the same host)", sub {
    $w->update(Sys::Virt::Network::UPDATE_COMMAND_ADD_LAST,
               Sys::Virt::Network::SECTION_IP_DHCP_HOST, -1,
               "<host mac='52:54:00:00:00:42' name='h42' ip='192.168.100.42'/>",
               Sys::Virt::Network::UPDATE_AFFECT_LIVE)
});
call("wibble.get_xml_description(after update)", sub { $w->get_xml_description() });
call("wibble.update(delete dhcp host)", sub {
    $w->update(Sys::Virt::Network::UPDATE_COMMAND_DELETE,
               Sys::Virt::Network::SECTION_IP_DHCP_HOST, -1,
               "<host mac='52:54:00:00:00:42' name='h42' ip='192.168.100.42'/>",
               Sys::Virt::Network::UPDATE_AFFECT_LIVE | Sys::Virt::Network::UPDATE_AFFECT_CONFIG)
});
call("wibble.destroy", sub { $w->destroy() });
call("wibble.destroy(again)", sub { $w->destroy() });
call("wibble.undefine", sub { $w->undefine() });
call("num_of_defined_networks", sub { $conn->num_of_defined_networks() });
call("get_network_by_name(wibble, gone)", sub { $conn->get_network_by_name("wibble") });
call("get_network_by_uuid(unknown)",
     sub { $conn->get_network_by_uuid("00000000-0000-0000-0000-000000000042") });
call("define_network(bad XML)", sub { $conn->define_network("<network><name>x") });
call("define_network(no name)", sub { $conn->define_network("<network/>") });
my $t = call("create_network(transient)", sub {
    $conn->create_network("<network><name>trans</name><bridge name='vkt0'/>" .
                          "<ip address='10.5.0.1' netmask='255.255.255.0'/></network>")
});
call("trans.is_persistent", sub { $t->is_persistent() });
call("trans.get_bridge_name", sub { $t->get_bridge_name() });
call("trans.destroy", sub { $t->destroy() });
call("get_network_by_name(trans, gone)", sub { $conn->get_network_by_name("trans") });

# --- interfaces (the calls of Sys::Virt's t/600-interfaces.t) --------------
$n = call("num_of_interfaces", sub { $conn->num_of_interfaces() });
call("list_interface_names", sub { [sort $conn->list_interface_names($n)] });
my $if = call("get_interface_by_name(eth1)", sub { $conn->get_interface_by_name("eth1") });
call("eth1.get_name", sub { $if->get_name() });
call("eth1.is_active", sub { $if->is_active() });
my $mac = call("eth1.get_mac", sub { $if->get_mac() });
call("eth1.get_xml_description", sub { $if->get_xml_description() });
call("get_interface_by_mac", sub { $conn->get_interface_by_mac($mac)->get_name() });
call("list_interfaces", sub { names($conn->list_interfaces()) });
call("list_all_interfaces", sub { names($conn->list_all_interfaces()) });
call("num_of_defined_interfaces", sub { $conn->num_of_defined_interfaces() });
call("interface_change_begin", sub { $conn->interface_change_begin() });
call("interface_change_begin(again)", sub { $conn->interface_change_begin() });
my $ifxml = "
<interface type='ethernet' name='eth2'>
  <start mode='onboot'/>
  <mac address='aa:bb:cc:ff:ee:ff'/>
  <mtu size='1492'/>
  <protocol family='ipv4'>
    <ip address='192.168.0.6' prefix='24'/>
    <route gateway='192.168.0.1'/>
  </protocol>
</interface>";
call("define_interface", sub { $conn->define_interface($ifxml) });
$nd = call("num_of_defined_interfaces", sub { $conn->num_of_defined_interfaces() });
call("list_defined_interface_names", sub { [$conn->list_defined_interface_names($nd)] });
call("list_defined_interfaces", sub { names($conn->list_defined_interfaces()) });
my $e2 = call("get_interface_by_name(eth2)", sub { $conn->get_interface_by_name("eth2") });
call("eth2.get_xml_description", sub { $e2->get_xml_description() });
call("eth2.create", sub { $e2->create() });
call("eth2.create(again)", sub { $e2->create() });
$n = call("num_of_interfaces", sub { $conn->num_of_interfaces() });
call("list_interface_names", sub { [sort $conn->list_interface_names($n)] });
call("list_all_interfaces(ACTIVE)",
     sub { names($conn->list_all_interfaces(Sys::Virt::Interface::LIST_ACTIVE)) });
call("eth2.destroy", sub { $e2->destroy() });
call("eth2.destroy(again)", sub { $e2->destroy() });
call("list_all_interfaces(INACTIVE)",
     sub { names($conn->list_all_interfaces(Sys::Virt::Interface::LIST_INACTIVE)) });
call("eth2.undefine", sub { $e2->undefine() });
call("num_of_defined_interfaces", sub { $conn->num_of_defined_interfaces() });
call("interface_change_rollback", sub { $conn->interface_change_rollback() });
call("interface_change_rollback(again)", sub { $conn->interface_change_rollback() });
call("interface_change_commit(none begun)", sub { $conn->interface_change_commit() });
call("get_interface_by_name(nosuch)", sub { $conn->get_interface_by_name("nosuch") });
call("get_interface_by_mac(unknown)", sub { $conn->get_interface_by_mac("00:11:22:33:44:55") });
call("define_interface(bad XML)", sub { $conn->define_interface("<interface") });

# --- node devices -----------------------------------------------------------
$n = call("num_of_node_devices", sub { $conn->num_of_node_devices(undef) });
call("list_node_device_names", sub { [sort $conn->list_node_device_names(undef, $n)] });
call("num_of_node_devices(scsi_host)", sub { $conn->num_of_node_devices("scsi_host") });
call("list_node_device_names(scsi_host)",
     sub { [sort $conn->list_node_device_names("scsi_host", 10)] });
call("list_node_devices", sub { names($conn->list_node_devices(undef)) });
call("list_node_devices(scsi_host)", sub { names($conn->list_node_devices("scsi_host")) });
call("list_all_node_devices", sub { names($conn->list_all_node_devices()) });
call("list_all_node_devices(SCSI_HOST)", sub {
    names($conn->list_all_node_devices(Sys::Virt::NodeDevice::LIST_CAP_SCSI_HOST))
});
call("list_all_node_devices(FC_HOST|VPORTS)", sub {
    names($conn->list_all_node_devices(Sys::Virt::NodeDevice::LIST_CAP_FC_HOST |
                                       Sys::Virt::NodeDevice::LIST_CAP_VPORTS))
});
for my $name (sort $conn->list_node_device_names(undef, 100)) {
    my $dev = call("get_node_device_by_name($name)",
                   sub { $conn->get_node_device_by_name($name) });
    call("$name.get_parent", sub { $dev->get_parent() });
    call("$name.list_capabilities", sub { [$dev->list_capabilities()] });
    call("$name.get_xml_description", sub { $dev->get_xml_description() });
    call("$name.is_active", sub { $dev->is_active() });
    call("$name.is_persistent", sub { $dev->is_persistent() });
    call("$name.get_autostart", sub { $dev->get_autostart() });
}
call("get_node_device_by_name(nosuch)", sub { $conn->get_node_device_by_name("nosuch") });
call("get_node_device_scsihost_by_wwn", sub {
    $conn->get_node_device_scsihost_by_wwn("2000000012341234", "1000000012341234")->get_name()
});
call("get_node_device_scsihost_by_wwn(unknown)", sub {
    $conn->get_node_device_scsihost_by_wwn("2000000000000000", "1000000000000000")
});
my $vhba = call("create_node_device(vHBA)", sub {
    $conn->create_node_device("<device><parent>scsi_host1</parent><capability type='scsi_host'>" .
                              "<capability type='fc_host'><wwnn>2001001b32a9da4e</wwnn>" .
                              "<wwpn>2101001b32a9da4e</wwpn></capability></capability></device>")
});
if ($vhba) {
    my $vname = $vhba->get_name();
    call("vhba.get_parent", sub { $vhba->get_parent() });
    call("vhba.get_xml_description", sub { $vhba->get_xml_description() });
    call("list_all_node_devices(after create)", sub { names($conn->list_all_node_devices()) });
    call("vhba.destroy", sub { $vhba->destroy() });
    call("get_node_device_by_name(vhba, gone)",
         sub { $conn->get_node_device_by_name($vname) });
}
call("create_node_device(bad XML)", sub { $conn->create_node_device("<device>") });
call("create_node_device(no parent)", sub {
    $conn->create_node_device("<device><capability type='scsi_host'>" .
                              "<capability type='fc_host'><wwnn>2001001b32a9da4f</wwnn>" .
                              "<wwpn>2101001b32a9da4f</wwpn></capability></capability></device>")
});
call("define_node_device(mdev)", sub {
    $conn->define_node_device("<device><parent>scsi_host1</parent><capability type='mdev'>" .
                              "<type id='nvidia-11'/></capability></device>")
});
print "END\n";
