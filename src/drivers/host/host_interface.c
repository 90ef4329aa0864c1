/* host_interface.c: virtkitd's host interface driver (read side): the kernel's interfaces as libvirt's udev backend shows them */

/*
 * Threads: stateless; every call reads /sys/class/net afresh, so what it
 * answers is what the kernel has now. As libvirt 9.0's udev backend:
 * an interface is active when its operstate is "up"; the name lists
 * (NumOf/List[Defined]) leave out "lo", ListAll has it; types ethernet,
 * bridge (stp, forward delay, members) and vlan (/proc/net/vlan);
 * defining, starting and stopping interfaces is not offered (NO_SUPPORT).
 */
#define G_LOG_DOMAIN "virtkit.host.interface"

#include <stdlib.h>
#include <string.h>

#include "domain_conf_priv.h"
#include "host_driver.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_INTERFACE

#define NET_CLASS "/sys/class/net"

static char *
ifaceAttr(const char *name, const char *attr)
{
    g_autofree char *path = g_build_filename(NET_CLASS, name, attr, NULL);
    char *buf = NULL;

    if (!g_file_get_contents(path, &buf, NULL, NULL))
        return NULL;
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

static bool
ifaceExists(const char *name)
{
    g_autofree char *path = NULL;

    if (!*name || strchr(name, '/') || g_str_equal(name, ".") || g_str_equal(name, ".."))
        return false;
    path = g_build_filename(NET_CLASS, name, NULL);
    return g_file_test(path, G_FILE_TEST_EXISTS);
}

static bool
ifaceActive(const char *name)
{
    g_autofree char *state = ifaceAttr(name, "operstate");

    return state && g_str_equal(state, "up");
}

/* The interface names, sorted. */
static GPtrArray *
ifaceNames(void)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GDir) dir = g_dir_open(NET_CLASS, 0, NULL);
    const char *n;

    while (dir && (n = g_dir_read_name(dir)))
        g_ptr_array_add(names, g_strdup(n));
    g_ptr_array_sort(names, (GCompareFunc)g_ascii_strcasecmp);
    return names;
}

static void
formatLink(GString *buf, const char *indent, const char *name)
{
    g_autofree char *speedStr = ifaceAttr(name, "speed");
    g_autofree char *state = ifaceAttr(name, "operstate");
    unsigned int speed = 0;

    if (speedStr && *speedStr)
        speed = (unsigned int)g_ascii_strtoll(speedStr, NULL, 10);
    if (!speed && !(state && *state))
        return;
    g_string_append_printf(buf, "%s<link", indent);
    if (speed)
        g_string_append_printf(buf, " speed='%u'", speed);
    if (state && *state)
        g_string_append_printf(buf, " state='%s'", state);
    g_string_append(buf, "/>\n");
}

/* <vlan> of @name from /proc/net/vlan/NAME ("VID: 10 ... Device: eth0"). */
static bool
formatVlan(GString *buf, const char *indent, const char *name)
{
    g_autofree char *path = g_build_filename("/proc/net/vlan", name, NULL);
    g_autofree char *text = NULL;
    g_autofree char *tag = NULL;
    g_autofree char *dev = NULL;
    char *p;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return false;
    if ((p = strstr(text, "VID: ")))
        tag = g_strndup(p + 5, strspn(p + 5, "0123456789"));
    if ((p = strstr(text, "Device: ")))
        dev = g_strndup(p + 8, strcspn(p + 8, " \t\n"));
    if (!tag || !*tag)
        return false;
    g_string_append_printf(buf, "%s<vlan tag='%s'", indent, tag);
    if (dev && *dev)
        g_string_append_printf(buf, ">\n%s  <interface name='%s'/>\n%s</vlan>\n", indent,
                               dev, indent);
    else
        g_string_append(buf, "/>\n");
    return true;
}

static void formatIface(GString *buf, const char *indent, const char *name, bool top);

static void
formatBridge(GString *buf, const char *indent, const char *name)
{
    g_autofree char *stp = ifaceAttr(name, "bridge/stp_state");
    g_autofree char *delay = ifaceAttr(name, "bridge/forward_delay");
    g_autofree char *brif = g_build_filename(NET_CLASS, name, "brif", NULL);
    g_autoptr(GDir) dir = g_dir_open(brif, 0, NULL);
    g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *inner = g_strconcat(indent, "  ", NULL);
    const char *m;

    g_string_append_printf(buf, "%s<bridge", indent);
    if (stp && g_str_equal(stp, "1"))
        g_string_append(buf, " stp='on'");
    else if (stp && g_str_equal(stp, "0"))
        g_string_append(buf, " stp='off'");
    if (delay && *delay)
        g_string_append_printf(buf, " delay='%s'", delay);
    g_string_append(buf, ">\n");
    while (dir && (m = g_dir_read_name(dir)))
        g_ptr_array_add(members, g_strdup(m));
    g_ptr_array_sort(members, (GCompareFunc)strcmp);
    for (guint i = 0; i < members->len; i++)
        formatIface(buf, inner, members->pdata[i], false);
    g_string_append_printf(buf, "%s</bridge>\n", indent);
}

/* libvirt's virInterfaceDefDevFormat for what the kernel tells of @name. */
static void
formatIface(GString *buf, const char *indent, const char *name, bool top)
{
    g_autofree char *bridgeDir = g_build_filename(NET_CLASS, name, "bridge", NULL);
    g_autofree char *vlanPath = g_build_filename("/proc/net/vlan", name, NULL);
    g_autofree char *inner = g_strconcat(indent, "  ", NULL);
    bool bridge = g_file_test(bridgeDir, G_FILE_TEST_IS_DIR);
    bool vlan = !bridge && g_file_test(vlanPath, G_FILE_TEST_EXISTS);

    g_string_append_printf(buf, "%s<interface type='%s' name='", indent,
                           bridge ? "bridge"
                           : vlan ? "vlan"
                                  : "ethernet");
    virDomainXMLEscape(buf, name);
    g_string_append(buf, "'>\n");
    if (top) {
        g_autofree char *mtu = ifaceAttr(name, "mtu");

        if (mtu && *mtu && g_ascii_strtoll(mtu, NULL, 10) > 0)
            g_string_append_printf(buf, "%s<mtu size='%s'/>\n", inner, mtu);
    }
    if (!bridge)
        formatLink(buf, inner, name);
    if (bridge) {
        formatBridge(buf, inner, name);
    } else if (vlan) {
        formatVlan(buf, inner, name);
    } else {
        g_autofree char *mac = ifaceAttr(name, "address");

        if (mac && *mac)
            g_string_append_printf(buf, "%s<mac address='%s'/>\n", inner, mac);
    }
    g_string_append_printf(buf, "%s</interface>\n", indent);
}

static virInterfacePtr
ifaceHandle(virConnectPtr conn, const char *name)
{
    g_autofree char *mac = ifaceAttr(name, "address");

    return virGetInterface(conn, name, mac ? mac : "");
}

/* ---- entry points --------------------------------------------------------- */

static int
hostIfaceCount(bool active, char **const names, int maxnames)
{
    g_autoptr(GPtrArray) all = ifaceNames();
    int n = 0;

    for (guint i = 0; i < all->len; i++) {
        const char *name = all->pdata[i];

        if (g_str_equal(name, "lo") || ifaceActive(name) != active)
            continue;
        if (names) {
            if (n >= maxnames)
                break;
            names[n] = g_strdup(name);
        }
        n++;
    }
    return n;
}

static int
hostConnectNumOfInterfaces(virConnectPtr conn)
{
    return hostIfaceCount(true, NULL, 0);
}

static int
hostConnectListInterfaces(virConnectPtr conn, char **const names, int maxnames)
{
    return hostIfaceCount(true, names, maxnames);
}

static int
hostConnectNumOfDefinedInterfaces(virConnectPtr conn)
{
    return hostIfaceCount(false, NULL, 0);
}

static int
hostConnectListDefinedInterfaces(virConnectPtr conn, char **const names, int maxnames)
{
    return hostIfaceCount(false, names, maxnames);
}

static int
hostConnectListAllInterfaces(virConnectPtr conn, virInterfacePtr **ifaces,
                             unsigned int flags)
{
    g_autoptr(GPtrArray) all = NULL;
    g_autoptr(GPtrArray) out = g_ptr_array_new();
    unsigned int state = flags & (VIR_CONNECT_LIST_INTERFACES_ACTIVE |
                                  VIR_CONNECT_LIST_INTERFACES_INACTIVE);
    int n;

    virCheckFlags(
        VIR_CONNECT_LIST_INTERFACES_ACTIVE | VIR_CONNECT_LIST_INTERFACES_INACTIVE, -1);
    all = ifaceNames();
    for (guint i = 0; i < all->len; i++) {
        const char *name = all->pdata[i];
        bool active = ifaceActive(name);

        if (state && !(((state & VIR_CONNECT_LIST_INTERFACES_ACTIVE) && active) ||
                       ((state & VIR_CONNECT_LIST_INTERFACES_INACTIVE) && !active)))
            continue;
        g_ptr_array_add(out, ifaces ? ifaceHandle(conn, name) : NULL);
    }
    n = out->len;
    if (ifaces) {
        g_ptr_array_add(out, NULL);
        *ifaces = (virInterfacePtr *)g_ptr_array_steal(out, NULL);
    }
    return n;
}

static virInterfacePtr
hostInterfaceLookupByName(virConnectPtr conn, const char *name)
{
    if (!ifaceExists(name)) {
        virReportError(VIR_ERR_NO_INTERFACE, "couldn't find interface named '%s'", name);
        return NULL;
    }
    return ifaceHandle(conn, name);
}

static virInterfacePtr
hostInterfaceLookupByMACString(virConnectPtr conn, const char *mac)
{
    g_autoptr(GPtrArray) all = ifaceNames();
    const char *found = NULL;

    for (guint i = 0; i < all->len; i++) {
        g_autofree char *addr = ifaceAttr(all->pdata[i], "address");

        if (!addr || !g_str_equal(addr, mac))
            continue;
        if (found) {
            virReportError(VIR_ERR_MULTIPLE_INTERFACES,
                           "the MAC address '%s' matches multiple interfaces", mac);
            return NULL;
        }
        found = all->pdata[i];
    }
    if (!found) {
        virReportError(VIR_ERR_NO_INTERFACE,
                       "couldn't find interface with MAC address '%s'", mac);
        return NULL;
    }
    return ifaceHandle(conn, found);
}

static char *
hostInterfaceGetXMLDesc(virInterfacePtr iface, unsigned int flags)
{
    GString *buf;

    virCheckFlags(VIR_INTERFACE_XML_INACTIVE, NULL);
    if (!ifaceExists(iface->name)) {
        virReportError(VIR_ERR_NO_INTERFACE, "couldn't find interface named '%s'",
                       iface->name);
        return NULL;
    }
    buf = g_string_new(NULL);
    formatIface(buf, "", iface->name, true);
    return g_string_free(buf, FALSE);
}

static int
hostInterfaceIsActive(virInterfacePtr iface)
{
    if (!ifaceExists(iface->name)) {
        virReportError(VIR_ERR_NO_INTERFACE, "couldn't find interface named '%s'",
                       iface->name);
        return -1;
    }
    return ifaceActive(iface->name);
}

const virInterfaceDriver hostInterfaceDriver = {
    .name = "udev",
    .connectNumOfInterfaces = hostConnectNumOfInterfaces,
    .connectListInterfaces = hostConnectListInterfaces,
    .connectNumOfDefinedInterfaces = hostConnectNumOfDefinedInterfaces,
    .connectListDefinedInterfaces = hostConnectListDefinedInterfaces,
    .connectListAllInterfaces = hostConnectListAllInterfaces,
    .interfaceLookupByName = hostInterfaceLookupByName,
    .interfaceLookupByMACString = hostInterfaceLookupByMACString,
    .interfaceGetXMLDesc = hostInterfaceGetXMLDesc,
    .interfaceIsActive = hostInterfaceIsActive,
};
