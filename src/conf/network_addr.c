/* network_addr.c: IP addresses, netmasks and MACs of libvirt's <network> XML */

#define G_LOG_DOMAIN "virtkit.conf.networkaddr"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "network_conf_priv.h"

/* ---- addresses -------------------------------------------------------- */

int
virNetworkAddrParse(const char *str, virNetworkAddr *addr)
{
    virNetworkAddr tmp = { 0 };

    if (!str)
        return -1;
    if (inet_pton(AF_INET, str, &tmp.a.v4) == 1) {
        tmp.family = AF_INET;
    } else if (inet_pton(AF_INET6, str, &tmp.a.v6) == 1) {
        tmp.family = AF_INET6;
    } else {
        return -1;
    }
    *addr = tmp;
    return 0;
}

char *
virNetworkAddrFormat(const virNetworkAddr *addr)
{
    char buf[INET6_ADDRSTRLEN];

    if (!inet_ntop(addr->family, &addr->a, buf, sizeof(buf)))
        return g_strdup("");
    return g_strdup(buf);
}

static const guint8 *
addrBytes(const virNetworkAddr *addr, size_t *len)
{
    if (addr->family == AF_INET) {
        *len = 4;
        return (const guint8 *)&addr->a.v4;
    }
    *len = 16;
    return (const guint8 *)&addr->a.v6;
}

/* Mask @addr to @prefix bits in place. */
void
virNetworkAddrMask(virNetworkAddr *addr, unsigned int prefix)
{
    size_t len;
    guint8 *b = (guint8 *)addrBytes(addr, &len);

    for (size_t i = 0; i < len; i++) {
        unsigned int bits = prefix > i * 8 ? prefix - i * 8 : 0;
        if (bits >= 8)
            continue;
        b[i] &= (guint8)(0xff << (8 - bits));
    }
}

int
virNetworkAddrCompare(const virNetworkAddr *a, const virNetworkAddr *b)
{
    size_t len;
    const guint8 *ab = addrBytes(a, &len);
    const guint8 *bb = addrBytes(b, &len);

    return memcmp(ab, bb, len);
}

/* Prefix length of a netmask, or -1 when it is not contiguous. */
int
virNetworkNetmaskPrefix(const virNetworkAddr *mask)
{
    size_t len;
    const guint8 *b = addrBytes(mask, &len);
    int prefix = 0;
    bool ended = false;

    for (size_t i = 0; i < len * 8; i++) {
        bool set = b[i / 8] & (0x80 >> (i % 8));
        if (set && ended)
            return -1;
        if (set)
            prefix++;
        else
            ended = true;
    }
    return prefix;
}

void
virNetworkIPDefSubnet(const virNetworkIPDef *ip, virNetworkAddr *net)
{
    *net = ip->addr;
    virNetworkAddrMask(net, ip->effectivePrefix);
}

bool
virNetworkIPDefOverlap(const virNetworkIPDef *a, const virNetworkIPDef *b)
{
    virNetworkAddr na, nb;
    unsigned int prefix;

    if (a->addr.family != b->addr.family)
        return false;
    prefix = MIN(a->effectivePrefix, b->effectivePrefix);
    na = a->addr;
    nb = b->addr;
    virNetworkAddrMask(&na, prefix);
    virNetworkAddrMask(&nb, prefix);
    return virNetworkAddrCompare(&na, &nb) == 0;
}

char *
virNetworkIPDefNetmask(const virNetworkIPDef *ip)
{
    virNetworkAddr mask = { .family = AF_INET };

    memset(&mask.a.v4, 0xff, 4);
    virNetworkAddrMask(&mask, ip->effectivePrefix);
    return virNetworkAddrFormat(&mask);
}

void
virNetworkGenerateMAC(unsigned char *mac)
{
    mac[0] = 0x52;
    mac[1] = 0x54;
    mac[2] = 0x00;
    mac[3] = g_random_int_range(0, 256);
    mac[4] = g_random_int_range(0, 256);
    mac[5] = g_random_int_range(0, 256);
}

void
virNetworkFormatMAC(const unsigned char *mac, char *buf)
{
    g_snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
               mac[4], mac[5]);
}
