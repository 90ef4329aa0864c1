/* qemu_interface.c: guest interfaces of type network, bridge and ethernet: the taps QEMU gets */

#define G_LOG_DOMAIN "virtkit.qemu.interface"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/if_tun.h>

#include "driver.h"
#include "netdev_bandwidth_conf.h"
#include "network_conf.h"
#include "nwfilter_binding_conf.h"
#include "qemu_passt.h"
#include "qemu_interface.h"
#include "virerror.h"
#include "virnetdev.h"
#include "virnetdevbandwidth.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* The bridge of virtual network @name, from the network driver serving
 * this process (virtkitd's), as libvirt's QEMU driver asks its network
 * driver: NULL with NO_NETWORK when there is no such network,
 * OPERATION_INVALID when it is not running. */
static char *
qemuInterfaceNetworkBridge(const char *name)
{
    const virNetworkDriver *nd = virGetSharedNetworkDriver();
    virConnectPtr conn = NULL;
    virNetworkPtr net = NULL;
    char *bridge = NULL;
    int active;

    if (!nd || !nd->networkLookupByName || !nd->networkIsActive ||
        !nd->networkGetBridgeName) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "interface type 'network' needs a network driver (virtkitd's); "
                       "network '%s' cannot be used here",
                       name);
        return NULL;
    }
    /* a connection object of our own: the driver only names it in the
     * handle it returns */
    conn = virGetConnect();
    conn->networkDriver = nd;
    if (!(net = nd->networkLookupByName(conn, name)))
        goto cleanup;
    if ((active = nd->networkIsActive(net)) < 0)
        goto cleanup;
    if (!active) {
        virReportErrorFull(VIR_FROM_NETWORK, VIR_ERR_OPERATION_INVALID, __func__,
                           "network '%s' is not active", name);
        goto cleanup;
    }
    bridge = nd->networkGetBridgeName(net);

cleanup:
    if (net)
        virObjectUnrefNetwork(net);
    virObjectUnrefConnect(conn);
    return bridge;
}

char *
qemuInterfaceNetworkListenAddress(const char *name)
{
    const virNetworkDriver *nd = virGetSharedNetworkDriver();
    virConnectPtr conn = NULL;
    virNetworkPtr net = NULL;
    g_autofree char *xml = NULL;
    g_autoptr(virNetworkDef) def = NULL;
    char *addr = NULL;

    if (!nd || !nd->networkLookupByName || !nd->networkGetXMLDesc) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "graphics listen type 'network' needs a network driver "
                       "(virtkitd's); network '%s' cannot be used here",
                       name);
        return NULL;
    }
    conn = virGetConnect();
    conn->networkDriver = nd;
    if (!(net = nd->networkLookupByName(conn, name)) ||
        !(xml = nd->networkGetXMLDesc(net, 0)) || !(def = virNetworkDefParseString(xml)))
        goto cleanup;
    if (def->forwardType > VIR_NETWORK_FORWARD_OPEN) {
        /* libvirt takes the address of the host interface these use */
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "graphics listen on network '%s': the address of a network "
                       "without its own IP address is not supported by virtkit",
                       name);
        goto cleanup;
    }
    if (!def->ips || def->ips->len == 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "network '%s' doesn't have an IP address",
                       name);
        goto cleanup;
    }
    addr = g_strdup(((virNetworkIPDef *)g_ptr_array_index(def->ips, 0))->address);

cleanup:
    if (net)
        virObjectUnrefNetwork(net);
    virObjectUnrefConnect(conn);
    return addr;
}

/* A connection object of our own for the network driver serving this
 * process: the driver only names it in the handles it returns. NULL when
 * there is no such driver or it lacks @needPorts' entries. */
static virConnectPtr
qemuInterfaceNetConn(bool needPorts)
{
    const virNetworkDriver *nd = virGetSharedNetworkDriver();
    virConnectPtr conn;

    if (!nd || !nd->networkLookupByName ||
        (needPorts && (!nd->networkPortCreateXML || !nd->networkPortLookupByUUID ||
                       !nd->networkPortDelete)))
        return NULL;
    conn = virGetConnect();
    conn->networkDriver = nd;
    return conn;
}

/* As libvirt 9.0's QEMU driver: interface @net (type network, its MAC
 * set) of guest @def gets a port on its network, the port's UUID kept in
 * the live definition (<source portid>). 0, or -1 with the network
 * driver's error reported. */
static int
qemuInterfacePortCreate(const virDomainDef *def, virDomainNetDef *net)
{
    virConnectPtr conn = qemuInterfaceNetConn(true);
    virNetworkPtr network = NULL;
    virNetworkPortPtr port = NULL;
    g_autoptr(GString) xml = g_string_new("<networkport>\n");
    g_autofree char *name = g_markup_escape_text(def->name, -1);
    unsigned char uuid[VIR_UUID_BUFLEN];
    char str[VIR_UUID_STRING_BUFLEN];
    int ret = -1;

    if (!conn) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "interface type 'network' needs a network driver (virtkitd's); "
                       "network '%s' cannot be used here",
                       net->network);
        return -1;
    }
    virUUIDGenerate(uuid);
    virUUIDFormat(uuid, str);
    g_string_append_printf(xml, "  <uuid>%s</uuid>\n  <owner>\n    <name>%s", str, name);
    virUUIDFormat(def->uuid, str);
    g_string_append_printf(xml,
                           "</name>\n    <uuid>%s</uuid>\n  </owner>\n"
                           "  <mac address='%02x:%02x:%02x:%02x:%02x:%02x'/>\n",
                           str, net->mac[0], net->mac[1], net->mac[2], net->mac[3],
                           net->mac[4], net->mac[5]);
    /* the port carries the interface's limits, as libvirt's */
    virNetDevBandwidthFormat(net->bandwidth, xml, 2);
    g_string_append(xml, "</networkport>\n");
    if (!(network = conn->networkDriver->networkLookupByName(conn, net->network)))
        goto cleanup;
    if (!(port = conn->networkDriver->networkPortCreateXML(network, xml->str, 0)))
        goto cleanup;
    memcpy(net->portid, uuid, VIR_UUID_BUFLEN);
    net->hasPortid = true;
    ret = 0;

cleanup:
    if (port)
        virObjectUnrefNetworkPort(port);
    if (network)
        virObjectUnrefNetwork(network);
    virObjectUnrefConnect(conn);
    return ret;
}

/* Remove the port of @net, if it has one (quiet: the network may be gone
 * or have dropped its ports when it stopped). */
static void
qemuInterfacePortDelete(virDomainNetDef *net)
{
    virConnectPtr conn;
    virNetworkPtr network = NULL;
    virNetworkPortPtr port = NULL;
    virErrorPtr saved = NULL;

    if (!net->hasPortid)
        return;
    net->hasPortid = false;
    if (!(conn = qemuInterfaceNetConn(true)))
        return;
    virErrorPreserveLast(&saved);
    if ((network = conn->networkDriver->networkLookupByName(conn, net->network)) &&
        (port = conn->networkDriver->networkPortLookupByUUID(network, net->portid)) &&
        conn->networkDriver->networkPortDelete(port, 0) < 0)
        g_debug("cannot delete the port of interface on '%s'", net->network);
    virErrorRestore(&saved);
    if (port)
        virObjectUnrefNetworkPort(port);
    if (network)
        virObjectUnrefNetwork(network);
    virObjectUnrefConnect(conn);
}

/* A connection object of our own for the network filter driver serving
 * this process (checked by qemuProcessCheckNetFilter). */
static virConnectPtr
qemuInterfaceNWFilterConn(void)
{
    const virNWFilterDriver *nd = virGetSharedNWFilterDriver();
    virConnectPtr conn;

    if (!nd || !nd->nwfilterBindingCreateXML || !nd->nwfilterBindingLookupByPortDev ||
        !nd->nwfilterBindingDelete) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "there is no network filter driver here");
        return NULL;
    }
    conn = virGetConnect();
    conn->nwfilterDriver = nd;
    return conn;
}

/* Remove the binding of tap @ifname, if there is one (quiet). */
static void
qemuInterfaceFilterDelete(const char *ifname)
{
    const virNWFilterDriver *nd = virGetSharedNWFilterDriver();
    virNWFilterBindingPtr binding;
    virErrorPtr saved = NULL;
    virConnectPtr conn;

    if (!nd || !nd->nwfilterBindingLookupByPortDev || !nd->nwfilterBindingDelete)
        return;
    conn = virGetConnect();
    conn->nwfilterDriver = nd;
    virErrorPreserveLast(&saved);
    if ((binding = nd->nwfilterBindingLookupByPortDev(conn, ifname))) {
        if (nd->nwfilterBindingDelete(binding) < 0)
            g_debug("cannot delete the filter binding of %s", ifname);
        virObjectUnrefNWFilterBinding(binding);
    }
    virErrorRestore(&saved);
    virObjectUnrefConnect(conn);
}

/* As libvirt's QEMU driver: the filter of interface @net (its tap made)
 * becomes a binding of the network filter driver, which applies it to
 * the tap; a stale binding of that tap name (a tap made just now has no
 * rules of its own) is replaced. 0, or -1 with the driver's error. */
static int
qemuInterfaceFilterCreate(const virDomainDef *def, const virDomainNetDef *net)
{
    virConnectPtr conn;
    virNWFilterBindingPtr binding = NULL;
    virNWFilterBindingDef b = { 0 };
    g_autofree char *xml = NULL;

    if (!net->filterref)
        return 0;
    if (!(conn = qemuInterfaceNWFilterConn()))
        return -1;
    qemuInterfaceFilterDelete(net->ifname);
    b.ownername = def->name;
    memcpy(b.owneruuid, def->uuid, VIR_UUID_BUFLEN);
    b.portdevname = net->ifname;
    memcpy(b.mac, net->mac, sizeof(b.mac));
    b.filter = net->filterref;
    b.filterparams = net->filterparams;
    xml = virNWFilterBindingDefFormat(&b);
    binding = conn->nwfilterDriver->nwfilterBindingCreateXML(conn, xml, 0);
    if (binding)
        virObjectUnrefNWFilterBinding(binding);
    virObjectUnrefConnect(conn);
    return binding ? 0 : -1;
}

/* Debian's qemu-system-common puts it there (libvirt's bridge_helper). */
#define QEMU_BRIDGE_HELPER "/usr/lib/qemu/qemu-bridge-helper"
#define QEMU_BRIDGE_HELPER_TIMEOUT_MS 30000

/* One descriptor passed over @sock (SCM_RIGHTS) within the deadline, or
 * -1 with errno set (ETIMEDOUT, or ECONNRESET when the peer closed). */
static int
qemuInterfaceRecvFD(int sock)
{
    char byte;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr msg = { .msg_iov = &iov,
                          .msg_iovlen = 1,
                          .msg_control = control.buf,
                          .msg_controllen = sizeof(control.buf) };
    struct pollfd pfd = { .fd = sock, .events = POLLIN };
    struct cmsghdr *cmsg;
    ssize_t n;
    int fd;
    int rc;

    while ((rc = poll(&pfd, 1, QEMU_BRIDGE_HELPER_TIMEOUT_MS)) < 0 && errno == EINTR)
        ;
    if (rc == 0)
        errno = ETIMEDOUT;
    if (rc <= 0)
        return -1;
    while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
        ;
    if (n <= 0) {
        if (n == 0)
            errno = ECONNRESET;
        return -1;
    }
    cmsg = CMSG_FIRSTHDR(&msg);
    if (!cmsg || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS ||
        cmsg->cmsg_len != CMSG_LEN(sizeof(int))) {
        errno = EBADMSG;
        return -1;
    }
    memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
    return fd;
}

/* As libvirt 9.0's QEMU driver when it cannot make taps itself (session
 * mode, not root): qemu-bridge-helper (setuid root, or given
 * CAP_NET_ADMIN) makes a tap on @bridge if /etc/qemu/bridge.conf allows
 * it and passes its descriptor back over a socket pair; the tap goes when
 * QEMU closes it. Returns the descriptor with the tap's name in *@ifname,
 * or -1 with libvirt's errors ("failed to communicate with bridge helper",
 * with the helper's stderr). */
static int
qemuInterfaceBridgeHelper(const char *bridge, bool vnetHdr, char **ifname)
{
    g_autofree char *brArg = g_strdup_printf("--br=%s", bridge);
    const char *argv[] = { QEMU_BRIDGE_HELPER, brArg, "--fd=3", NULL, NULL };
    g_autoptr(GError) gerr = NULL;
    g_autofree char *errtext = NULL;
    struct ifreq ifr = { 0 };
    GPid pid = 0;
    int pair[2] = { -1, -1 };
    int errfd = -1;
    int fd = -1;
    int status = 0;
    int saved;
    gint sourceFds[1];
    gint targetFds[1] = { 3 };

    /* libvirt's order: --use-vnet --br=BR --fd=N */
    if (vnetHdr) {
        argv[3] = argv[2];
        argv[2] = argv[1];
        argv[1] = "--use-vnet";
    }
    if (access(QEMU_BRIDGE_HELPER, X_OK) < 0) {
        virReportSystemErrorFull(VIR_FROM_NONE, errno, __func__,
                                 "'%s' is not a suitable bridge helper",
                                 QEMU_BRIDGE_HELPER);
        return -1;
    }
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
        virReportSystemErrorFull(VIR_FROM_NONE, errno, __func__, "%s",
                                 "failed to create socket");
        return -1;
    }
    sourceFds[0] = pair[1];
    if (!g_spawn_async_with_pipes_and_fds(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                          NULL, NULL, -1, -1, -1, sourceFds, targetFds, 1,
                                          &pid, NULL, NULL, &errfd, &gerr)) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __func__,
                           "cannot run '%s': %s", QEMU_BRIDGE_HELPER, gerr->message);
        close(pair[0]);
        close(pair[1]);
        return -1;
    }
    close(pair[1]);
    fd = qemuInterfaceRecvFD(pair[0]);
    saved = errno;
    close(pair[0]);
    if (fd < 0)
        kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    g_spawn_close_pid(pid);
    {
        /* what the helper said (it has exited: a short read) */
        char buf[1024];
        ssize_t n = read(errfd, buf, sizeof(buf) - 1);

        if (n > 0) {
            buf[n] = '\0';
            g_strchomp(buf);
            errtext = g_strdup_printf("stderr=%s", buf);
        }
        close(errfd);
    }
    if (fd < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        g_autofree char *cmd = g_strjoinv(" ", (char **)argv);

        if (fd >= 0)
            close(fd);
        virReportSystemErrorFull(VIR_FROM_NONE, fd < 0 ? saved : EIO, __func__,
                                 "%s: failed to communicate with bridge helper: %s", cmd,
                                 errtext ? errtext : "");
        return -1;
    }
    if (ioctl(fd, TUNGETIFF, &ifr) < 0) {
        virReportSystemErrorFull(VIR_FROM_NONE, errno, __func__, "%s",
                                 "Unable to query tap interface name");
        close(fd);
        return -1;
    }
    *ifname = g_strndup(ifr.ifr_name, IFNAMSIZ);
    return fd;
}

/* Close the tap descriptors @net still holds (QEMU has its copies, or
 * the start failed). */
static void
qemuInterfaceCloseTapfds(virDomainNetDef *net)
{
    for (size_t i = 0; i < net->ntapfds; i++)
        close(net->tapfds[i]);
    g_clear_pointer(&net->tapfds, g_free);
    net->ntapfds = 0;
}

static bool
qemuInterfaceHasTap(const virDomainNetDef *net)
{
    return net->type == VIR_DOMAIN_NET_TYPE_NETWORK ||
           net->type == VIR_DOMAIN_NET_TYPE_BRIDGE ||
           net->type == VIR_DOMAIN_NET_TYPE_ETHERNET;
}

/* A vdpa interface: libvirt 9.0 opens its device here and hands QEMU the
 * descriptor; virtkit gives libvirt's error when it cannot be opened
 * (this machine has no vhost-vdpa device) and refuses to go further when
 * it can (no vDPA fd passing here): -1 either way, nothing changed. */
static int
qemuInterfaceCheckVDPA(const virDomainNetDef *net)
{
    int fd = open(net->sourceDev, O_RDWR | O_CLOEXEC);

    if (fd < 0) {
        virReportSystemError(errno, "Unable to open '%s' for vdpa device",
                             net->sourceDev);
        return -1;
    }
    close(fd);
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                   "virtkit does not pass vDPA devices to QEMU");
    return -1;
}

int
qemuInterfacePrepareNet(const virDomainDef *def, virDomainNetDef *net, size_t idx)
{
    g_autofree char *bridge = NULL;
    g_autofree char *ifname = NULL;
    g_autofree int *fds = NULL;
    size_t nfds = 0;
    unsigned int queues = MAX(net->driver.queues, 1);
    const char *templ = "vnet%d";
    int fd;

    if (net->type == VIR_DOMAIN_NET_TYPE_VDPA)
        return qemuInterfaceCheckVDPA(net);
    if (!qemuInterfaceHasTap(net))
        return 0;
    if (net->type == VIR_DOMAIN_NET_TYPE_NETWORK) {
        if (!(bridge = qemuInterfaceNetworkBridge(net->network)))
            return -1;
    } else if (net->type == VIR_DOMAIN_NET_TYPE_BRIDGE) {
        bridge = g_strdup(net->bridge);
    }
    if (bridge && !virNetDevExists(bridge)) {
        virReportSystemErrorFull(VIR_FROM_NONE, ENODEV, __func__,
                                 "Cannot get interface MTU on '%s'", bridge);
        return -1;
    }
    if (!net->macSet) {
        /* the MAC the command line would give it, now in the live XML */
        net->mac[0] = 0x52;
        net->mac[1] = 0x54;
        net->mac[2] = 0x00;
        net->mac[3] = def->uuid[0];
        net->mac[4] = def->uuid[1];
        net->mac[5] = (unsigned char)(def->uuid[2] + idx);
        net->macSet = true;
    }
    if (net->type == VIR_DOMAIN_NET_TYPE_NETWORK) {
        if (qemuInterfacePortCreate(def, net) < 0)
            return -1;
        /* the live XML names the bridge next to the port, as libvirt's */
        g_free(net->bridge);
        net->bridge = g_strdup(bridge);
    }
    if (net->ifname && !g_str_has_prefix(net->ifname, "vnet"))
        templ = net->ifname;
    if (net->backendTap && geteuid() != 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "cannot use custom tap device in session mode");
        goto error;
    }
    if (net->type == VIR_DOMAIN_NET_TYPE_ETHERNET && net->managedTap == 2) {
        /* Nova's and KubeVirt's way: a tap someone else made */
        if (!net->ifname) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "target dev must be supplied when managed='no'");
            goto error;
        }
        if ((fd = virNetDevTapOpen(net->ifname, queues > 1, net->backendTap)) < 0)
            goto error;
        ifname = g_strdup(net->ifname);
    } else if (bridge && geteuid() != 0) {
        /* session mode: taps are qemu-bridge-helper's to make, as libvirt's;
         * the helper hands over one queue only (libvirt then uses one) */
        bool vnetHdr = net->model && g_str_has_prefix(net->model, "virtio");

        if ((fd = qemuInterfaceBridgeHelper(bridge, vnetHdr, &ifname)) < 0)
            goto error;
        /* as libvirt, which asks whatever its privileges */
        if (net->mtu && virNetDevSetMTU(ifname, net->mtu) < 0) {
            close(fd);
            goto error;
        }
        if (queues > 1)
            g_debug("interface %zu of '%s': one queue through the bridge helper", idx,
                    def->name);
        queues = 1;
    } else if ((fd = virNetDevTapCreate(templ, bridge, net->mac, net->mtu,
                                        net->isolatedPort == 1, queues > 1,
                                        net->backendTap, &ifname)) < 0) {
        goto error;
    }
    /* <driver queues='N'>: the tap's other queues, a descriptor each */
    fds = g_new(int, queues);
    fds[nfds++] = fd;
    while (nfds < queues) {
        if ((fds[nfds] = virNetDevTapOpen(ifname, true, net->backendTap)) < 0) {
            while (nfds > 0)
                close(fds[--nfds]);
            if (!(net->type == VIR_DOMAIN_NET_TYPE_ETHERNET && net->managedTap == 2))
                virNetDevTapDelete(ifname);
            goto error;
        }
        nfds++;
    }
    /* libvirt's qemuInterfaceEthernetConnect: the <script> once the tap is
     * up, its name as argument; when it fails the tap goes and the
     * interface keeps the name it was given */
    if (net->type == VIR_DOMAIN_NET_TYPE_ETHERNET && net->script &&
        virNetDevRunEthernetScript(net->script, ifname) < 0) {
        while (nfds > 0)
            close(fds[--nfds]);
        if (net->managedTap != 2)
            virNetDevTapDelete(ifname);
        goto error;
    }
    net->downscriptDue = net->type == VIR_DOMAIN_NET_TYPE_ETHERNET && net->downscript;
    g_free(net->ifname);
    net->ifname = g_steal_pointer(&ifname);
    net->tapfds = g_steal_pointer(&fds);
    net->ntapfds = nfds;
    if (qemuInterfaceFilterCreate(def, net) < 0) {
        qemuInterfaceCloseTapfds(net);
        if (net->managedTap != 2)
            virNetDevTapDelete(net->ifname);
        goto error;
    }
    /* <coalesce> on a tap the daemon made on a bridge, as libvirt's
     * virNetDevTapCreateInBridgePort; the live XML shows what the kernel
     * took (a tap caps rx-frames at 64) */
    if (net->hasCoalesce && bridge && geteuid() == 0 &&
        virNetDevSetCoalesce(net->ifname, &net->coalesceRxFrames) < 0) {
        qemuInterfaceCleanupNet(net);
        return -1;
    }
    /* libvirt's root qdisc on a tap it made (an inbound limit puts its
     * own there); a tap of Nova's or the bridge helper's is left as is */
    if (net->managedTap != 2 && geteuid() == 0 &&
        !(net->bandwidth && net->bandwidth->in && net->bandwidth->in->average) &&
        virNetDevSetRootQDisc(net->ifname, "noqueue") < 0) {
        qemuInterfaceCleanupNet(net);
        return -1;
    }
    /* its <bandwidth> on the tap before QEMU sends a packet */
    if (qemuBandwidthApply(net) < 0) {
        qemuInterfaceCleanupNet(net);
        return -1;
    }
    g_debug("interface %zu of '%s': tap %s on %s", idx, def->name, net->ifname,
            bridge ? bridge : "(none)");
    return 0;

error:
    qemuInterfacePortDelete(net);
    return -1;
}

int
qemuInterfacePrepare(virDomainDef *def, int *keepfds, size_t *nkeep, size_t maxkeep)
{
    for (size_t i = 0; i < def->nnets; i++) {
        virDomainNetDef *net = def->nets[i];

        /* the device ids of this run (a hotplug takes the next free one) */
        g_free(net->alias);
        net->alias = g_strdup_printf("net%zu", i);
        if (net->type == VIR_DOMAIN_NET_TYPE_VDPA && qemuInterfaceCheckVDPA(net) < 0)
            goto error;
        if (!qemuInterfaceHasTap(net))
            continue;
        if (*nkeep + MAX(net->driver.queues, 1) > maxkeep) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "too many tap interfaces or queues for one guest");
            goto error;
        }
        if (qemuInterfacePrepareNet(def, net, i) < 0)
            goto error;
        for (size_t q = 0; q < net->ntapfds; q++)
            keepfds[(*nkeep)++] = net->tapfds[q];
    }
    return 0;

error:
    qemuInterfaceCleanup(def);
    return -1;
}

void
qemuInterfaceCloseFds(virDomainDef *def)
{
    for (size_t i = 0; i < def->nnets; i++)
        qemuInterfaceCloseTapfds(def->nets[i]);
}

void
qemuInterfaceCleanupNet(virDomainNetDef *net)
{
    qemuInterfaceCloseTapfds(net);
    qemuInterfacePortDelete(net);
    qemuPasstStop(net);
    if (!qemuInterfaceHasTap(net) || !net->ifname)
        return;
    if (net->filterref)
        qemuInterfaceFilterDelete(net->ifname);
    /* a tap QEMU held goes with its last descriptor; an unmanaged
     * one (managed='no') is its owner's, given back without our limits */
    if (net->managedTap != 2)
        virNetDevTapDelete(net->ifname);
    else if (net->bandwidth)
        virNetDevBandwidthClear(net->ifname);
    /* libvirt's qemuExtDevicesStop / qemuDomainRemoveNetDevice: the
     * <downscript> once the tap is gone, its failure only logged */
    if (net->downscriptDue) {
        virErrorPtr saved = NULL;

        net->downscriptDue = false;
        virErrorPreserveLast(&saved);
        if (virNetDevRunEthernetScript(net->downscript, net->ifname) < 0)
            g_debug("downscript of %s: %s", net->ifname, virGetLastErrorMessage());
        virErrorRestore(&saved);
    }
}

void
qemuInterfaceCleanup(virDomainDef *def)
{
    for (size_t i = 0; i < def->nnets; i++)
        qemuInterfaceCleanupNet(def->nets[i]);
}

int
qemuInterfaceChangeBridge(const virDomainDef *def, virDomainNetDef *net,
                          const virDomainNetDef *newNet)
{
    /* the new port's interface: strings borrowed from @newNet */
    virDomainNetDef newPort = { 0 };
    virDomainNetDef *tmp = &newPort;
    g_autofree char *bridge = NULL;

    if (!net->ifname) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                       "the interface has no tap to move to another bridge");
        return -1;
    }
    /* the new port first (on a copy): the old one stays until the tap moved */
    tmp->type = newNet->type;
    tmp->network = newNet->network;
    memcpy(tmp->mac, net->mac, sizeof(tmp->mac));
    tmp->macSet = true;
    if (newNet->type == VIR_DOMAIN_NET_TYPE_NETWORK) {
        if (!(bridge = qemuInterfaceNetworkBridge(newNet->network)))
            return -1;
    } else {
        bridge = g_strdup(newNet->bridge);
    }
    if (!virNetDevExists(bridge)) {
        virReportSystemErrorFull(VIR_FROM_NONE, ENODEV, __func__,
                                 "Cannot get interface MTU on '%s'", bridge);
        return -1;
    }
    if (newNet->type == VIR_DOMAIN_NET_TYPE_NETWORK &&
        qemuInterfacePortCreate(def, tmp) < 0)
        return -1;
    if (virNetDevSetMaster(net->ifname, bridge) < 0) {
        qemuInterfacePortDelete(tmp);
        return -1;
    }
    qemuInterfacePortDelete(net);
    net->type = newNet->type;
    g_free(net->network);
    net->network = g_strdup(newNet->network);
    g_free(net->bridge);
    net->bridge = g_steal_pointer(&bridge);
    net->hasPortid = tmp->hasPortid;
    memcpy(net->portid, tmp->portid, sizeof(net->portid));
    return 0;
}
