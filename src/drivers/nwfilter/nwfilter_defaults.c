/* nwfilter_defaults.c: the standard network filters a system daemon starts with (libvirt's names and meanings, virtkit's text) */
#define G_LOG_DOMAIN "virtkit.nwfilter.defaults"

#include "nwfilter_driver.h"

/*
 * The filters libvirt users refer to by name (Debian installs libvirt's
 * from libvirt-daemon-config-nwfilter into /etc/libvirt/nwfilter). Each is
 * written here from what it is for; variables are libvirt's: $MAC and $IP
 * (the guest's), $DHCPSERVER, $GATEWAY_MAC, $IPV6. They carry no <uuid>:
 * one is made for each when it is first loaded.
 */
const nwfilterDefault nwfilterDefaults[] = {
    /* every ARP packet, both ways */
    { "allow-arp", "<filter name='allow-arp' chain='arp'>\n"
                   "  <rule direction='inout' action='accept'/>\n"
                   "</filter>\n" },
    /* a DHCP client talking to any server */
    { "allow-dhcp",
      "<filter name='allow-dhcp' chain='ipv4'>\n"
      "  <rule direction='out' action='accept' priority='100'>\n"
      "    <ip srcipaddr='0.0.0.0' dstipaddr='255.255.255.255' protocol='udp'"
      " srcportstart='68' dstportstart='67'/>\n"
      "  </rule>\n"
      "  <rule direction='in' action='accept' priority='100'>\n"
      "    <ip protocol='udp' srcportstart='67' dstportstart='68'/>\n"
      "  </rule>\n"
      "</filter>\n" },
    /* a DHCP client talking to the servers listed in $DHCPSERVER only */
    { "allow-dhcp-server", "<filter name='allow-dhcp-server' chain='ipv4'>\n"
                           "  <rule direction='out' action='accept' priority='100'>\n"
                           "    <ip srcipaddr='0.0.0.0' dstipaddr='255.255.255.255'"
                           " protocol='udp' srcportstart='68' dstportstart='67'/>\n"
                           "  </rule>\n"
                           "  <rule direction='in' action='accept' priority='100'>\n"
                           "    <ip srcipaddr='$DHCPSERVER' protocol='udp'"
                           " srcportstart='67' dstportstart='68'/>\n"
                           "  </rule>\n"
                           "</filter>\n" },
    /* a DHCPv6 client talking to any server */
    { "allow-dhcpv6", "<filter name='allow-dhcpv6' chain='ipv6'>\n"
                      "  <rule direction='out' action='accept' priority='100'>\n"
                      "    <ipv6 srcipaddr='fe80::' srcipmask='10' dstipaddr='ff02::1:2'"
                      " protocol='udp' srcportstart='546' dstportstart='547'/>\n"
                      "  </rule>\n"
                      "  <rule direction='in' action='accept' priority='100'>\n"
                      "    <ipv6 srcipaddr='fe80::' srcipmask='10' protocol='udp'"
                      " srcportstart='547' dstportstart='546'/>\n"
                      "  </rule>\n"
                      "</filter>\n" },
    /* a DHCPv6 client talking to the servers in $DHCPSERVER only */
    { "allow-dhcpv6-server", "<filter name='allow-dhcpv6-server' chain='ipv6'>\n"
                             "  <rule direction='out' action='accept' priority='100'>\n"
                             "    <ipv6 srcipaddr='fe80::' srcipmask='10'"
                             " dstipaddr='ff02::1:2' protocol='udp' srcportstart='546'"
                             " dstportstart='547'/>\n"
                             "  </rule>\n"
                             "  <rule direction='in' action='accept' priority='100'>\n"
                             "    <ipv6 srcipaddr='$DHCPSERVER' protocol='udp'"
                             " srcportstart='547' dstportstart='546'/>\n"
                             "  </rule>\n"
                             "</filter>\n" },
    /* IPv4 traffic towards the guest */
    { "allow-incoming-ipv4", "<filter name='allow-incoming-ipv4' chain='ipv4'>\n"
                             "  <rule direction='in' action='accept'/>\n"
                             "</filter>\n" },
    /* IPv6 traffic towards the guest */
    { "allow-incoming-ipv6", "<filter name='allow-incoming-ipv6' chain='ipv6'>\n"
                             "  <rule direction='in' action='accept'/>\n"
                             "</filter>\n" },
    /* all IPv4 traffic */
    { "allow-ipv4", "<filter name='allow-ipv4' chain='ipv4'>\n"
                    "  <rule direction='inout' action='accept'/>\n"
                    "</filter>\n" },
    /* all IPv6 traffic */
    { "allow-ipv6", "<filter name='allow-ipv6' chain='ipv6'>\n"
                    "  <rule direction='inout' action='accept'/>\n"
                    "</filter>\n" },
    /* the guest sends only from its own MAC address */
    { "no-mac-spoofing", "<filter name='no-mac-spoofing' chain='mac' priority='-800'>\n"
                         "  <rule direction='out' action='return' priority='-650'>\n"
                         "    <mac srcmacaddr='$MAC'/>\n"
                         "  </rule>\n"
                         "  <rule direction='out' action='drop' priority='-600'>\n"
                         "    <mac/>\n"
                         "  </rule>\n"
                         "</filter>\n" },
    /* the guest sends IPv4 only from its own addresses (and DHCP requests
     * from 0.0.0.0) */
    { "no-ip-spoofing", "<filter name='no-ip-spoofing' chain='ipv4-ip' priority='-710'>\n"
                        "  <rule direction='out' action='return' priority='100'>\n"
                        "    <ip srcipaddr='0.0.0.0' protocol='udp'/>\n"
                        "  </rule>\n"
                        "  <rule direction='out' action='return'>\n"
                        "    <ip srcipaddr='$IP'/>\n"
                        "  </rule>\n"
                        "  <rule direction='out' action='drop' priority='1000'/>\n"
                        "</filter>\n" },
    /* the guest sends IPv6 only from its own addresses (and link-local) */
    { "no-ipv6-spoofing",
      "<filter name='no-ipv6-spoofing' chain='ipv6-ip' priority='-610'>\n"
      "  <rule direction='out' action='return'>\n"
      "    <ipv6 srcipaddr='fe80::' srcipmask='10'/>\n"
      "  </rule>\n"
      "  <rule direction='out' action='return'>\n"
      "    <ipv6 srcipaddr='$IPV6'/>\n"
      "  </rule>\n"
      "  <rule direction='out' action='drop' priority='1000'/>\n"
      "</filter>\n" },
    /* ARP packets of the guest carry its own MAC address */
    { "no-arp-mac-spoofing",
      "<filter name='no-arp-mac-spoofing' chain='arp-mac' priority='-520'>\n"
      "  <rule direction='out' action='return' priority='350'>\n"
      "    <arp match='yes' arpsrcmacaddr='$MAC'/>\n"
      "  </rule>\n"
      "  <rule direction='out' action='drop' priority='1000'/>\n"
      "</filter>\n" },
    /* ARP packets of the guest carry its own IPv4 addresses */
    { "no-arp-ip-spoofing",
      "<filter name='no-arp-ip-spoofing' chain='arp-ip' priority='-510'>\n"
      "  <rule direction='out' action='return' priority='400'>\n"
      "    <arp match='yes' arpsrcipaddr='$IP'/>\n"
      "  </rule>\n"
      "  <rule direction='out' action='drop' priority='1000'/>\n"
      "</filter>\n" },
    /* both of the above, and only the usual ARP requests and replies */
    { "no-arp-spoofing", "<filter name='no-arp-spoofing' chain='root'>\n"
                         "  <filterref filter='no-arp-mac-spoofing'/>\n"
                         "  <filterref filter='no-arp-ip-spoofing'/>\n"
                         "</filter>\n" },
    /* no RARP but what the chains before this let through */
    { "no-other-rarp-traffic",
      "<filter name='no-other-rarp-traffic' chain='rarp'>\n"
      "  <rule direction='inout' action='drop' priority='1000'/>\n"
      "</filter>\n" },
    /* the guest sends no IPv4 multicast */
    { "no-ip-multicast", "<filter name='no-ip-multicast' chain='ipv4'>\n"
                         "  <rule direction='out' action='drop'>\n"
                         "    <ip dstipaddr='224.0.0.0' dstipmask='4'/>\n"
                         "  </rule>\n"
                         "</filter>\n" },
    /* the guest sends no IPv6 multicast */
    { "no-ipv6-multicast", "<filter name='no-ipv6-multicast' chain='ipv6'>\n"
                           "  <rule direction='out' action='drop'>\n"
                           "    <ipv6 dstipaddr='ff00::' dstipmask='8'/>\n"
                           "  </rule>\n"
                           "</filter>\n" },
    /* the guest sends no Ethernet broadcast */
    { "no-mac-broadcast", "<filter name='no-mac-broadcast' chain='mac'>\n"
                          "  <rule direction='out' action='drop'>\n"
                          "    <mac dstmacaddr='ff:ff:ff:ff:ff:ff'/>\n"
                          "  </rule>\n"
                          "</filter>\n" },
    /* nothing but IPv4, ARP and RARP on the link (the chains of those let
     * their own traffic through before this rule is reached) */
    { "no-other-l2-traffic", "<filter name='no-other-l2-traffic' chain='root'>\n"
                             "  <rule direction='inout' action='drop' priority='1000'/>\n"
                             "</filter>\n" },
    /* the packets QEMU sends to announce a guest after migration (a RARP
     * request for the guest's own MAC), out and in */
    { "qemu-announce-self-rarp",
      "<filter name='qemu-announce-self-rarp' chain='rarp'>\n"
      "  <rule direction='out' action='accept' priority='500'>\n"
      "    <rarp srcmacaddr='$MAC' dstmacaddr='ff:ff:ff:ff:ff:ff' opcode='Request_Reverse'"
      " arpsrcmacaddr='$MAC' arpdstmacaddr='$MAC' arpsrcipaddr='0.0.0.0'"
      " arpdstipaddr='0.0.0.0'/>\n"
      "  </rule>\n"
      "  <rule direction='in' action='accept' priority='500'>\n"
      "    <rarp dstmacaddr='ff:ff:ff:ff:ff:ff' opcode='Request_Reverse'"
      " arpsrcmacaddr='$MAC' arpdstmacaddr='$MAC' arpsrcipaddr='0.0.0.0'"
      " arpdstipaddr='0.0.0.0'/>\n"
      "  </rule>\n"
      "</filter>\n" },
    /* the same, and the frame type older QEMUs announce with (0x835) */
    { "qemu-announce-self", "<filter name='qemu-announce-self' chain='root'>\n"
                            "  <rule direction='out' action='accept'>\n"
                            "    <mac protocolid='0x835'/>\n"
                            "  </rule>\n"
                            "  <filterref filter='qemu-announce-self-rarp'/>\n"
                            "  <filterref filter='no-other-rarp-traffic'/>\n"
                            "</filter>\n" },
    /* the usual protection of a guest on a shared link: its own MAC and IP
     * addresses only, honest ARP, IPv4 only */
    { "clean-traffic", "<filter name='clean-traffic' chain='root'>\n"
                       "  <filterref filter='no-mac-spoofing'/>\n"
                       "  <filterref filter='no-ip-spoofing'/>\n"
                       "  <rule direction='out' action='accept' priority='-650'>\n"
                       "    <mac protocolid='ipv4'/>\n"
                       "  </rule>\n"
                       "  <filterref filter='allow-incoming-ipv4'/>\n"
                       "  <filterref filter='no-arp-spoofing'/>\n"
                       "  <rule direction='inout' action='accept' priority='-500'>\n"
                       "    <mac protocolid='arp'/>\n"
                       "  </rule>\n"
                       "  <filterref filter='no-other-l2-traffic'/>\n"
                       "  <filterref filter='qemu-announce-self'/>\n"
                       "</filter>\n" },
    /* its own MAC and IP addresses and honest ARP, as clean-traffic, but
     * beyond ARP the guest talks only with the gateway's MAC ($GATEWAY_MAC)
     * (the IPv4 of clean-traffic is not let through here: it would pass
     * before the gateway rules) */
    { "clean-traffic-gateway",
      "<filter name='clean-traffic-gateway'>\n"
      "  <filterref filter='no-mac-spoofing'/>\n"
      "  <filterref filter='no-ip-spoofing'/>\n"
      "  <filterref filter='no-arp-spoofing'/>\n"
      "  <rule direction='inout' action='accept' priority='-500'>\n"
      "    <mac protocolid='arp'/>\n"
      "  </rule>\n"
      "  <rule direction='in' action='accept'>\n"
      "    <mac match='yes' srcmacaddr='$GATEWAY_MAC'/>\n"
      "  </rule>\n"
      "  <rule direction='out' action='accept'>\n"
      "    <mac match='yes' dstmacaddr='$GATEWAY_MAC'/>\n"
      "  </rule>\n"
      "  <filterref filter='no-other-l2-traffic'/>\n"
      "  <filterref filter='qemu-announce-self-rarp'/>\n"
      "</filter>\n" },
    { NULL, NULL },
};
