/* virnetdev.c: host network interfaces: running ip, existence, taps for guests */

#define G_LOG_DOMAIN "virtkit.util.netdev"

#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "virerror.h"
#include "virnetdev.h"

#define VIR_FROM_THIS VIR_FROM_NONE

#define IP_PATH "/usr/sbin/ip"

/* "52:54:00:aa:bb:cc" of 6 bytes, into @buf of 18 bytes */
static void
formatMAC(const unsigned char *mac, char *buf)
{
    g_snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
               mac[4], mac[5]);
}

int
virNetDevRunCommand(const char *const *argv, const char *input)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *out = NULL;
    g_autofree char *errout = NULL;
    g_autofree char *cmd = g_strjoinv(" ", (char **)argv);
    g_autofree char *inputPath = NULL;
    g_autoptr(GPtrArray) args = g_ptr_array_new();
    int status = 0;
    bool ok;

    /* g_spawn_sync waits with waitpid on its own child: no SIGCHLD
     * handler, no child watch (the daemon reaps its guests by pidfd) */
    if (input) {
        int fd = g_file_open_tmp("virtkit-net-XXXXXX", &inputPath, &err);
        if (fd < 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "cannot write input of %s: %s", cmd,
                           err->message);
            return -1;
        }
        close(fd);
        if (!g_file_set_contents(inputPath, input, -1, &err)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "cannot write input of %s: %s", cmd,
                           err->message);
            g_unlink(inputPath);
            return -1;
        }
    }
    for (guint i = 0; argv[i]; i++) {
        /* "-" as the input file name reads @input */
        if (input && strcmp(argv[i], "-") == 0)
            g_ptr_array_add(args, inputPath);
        else
            g_ptr_array_add(args, (char *)argv[i]);
    }
    g_ptr_array_add(args, NULL);
    g_debug("running %s", cmd);
    ok = g_spawn_sync(NULL, (char **)args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                      &errout, &status, &err);
    if (inputPath)
        g_unlink(inputPath);
    if (!ok) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot execute binary %s: %s", argv[0],
                       err->message);
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        g_strchomp(errout);
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Child process (%s) unexpected exit status %d: %s", cmd,
                       WIFEXITED(status) ? WEXITSTATUS(status) : 255, errout);
        return -1;
    }
    return 0;
}

int
virNetDevRunEthernetScript(const char *script, const char *ifname)
{
    /* libvirt's virCommandAddEnvPassCommon: LC_ALL=C and these, if set */
    static const char *const passed[] = {
        "LD_PRELOAD", "LD_LIBRARY_PATH", "PATH", "HOME", "USER", "LOGNAME", "TMPDIR"
    };
    g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) err = NULL;
    g_autofree char *out = NULL;
    g_autofree char *errout = NULL;
    g_autofree char *envs = NULL;
    g_autofree char *cmd = NULL;
    const char *argv[] = { script, ifname, NULL };
    int status = 0;

    g_ptr_array_add(env, g_strdup("LC_ALL=C"));
    for (size_t i = 0; i < G_N_ELEMENTS(passed); i++) {
        const char *v = g_getenv(passed[i]);

        if (v)
            g_ptr_array_add(env, g_strdup_printf("%s=%s", passed[i], v));
        else if (g_str_equal(passed[i], "PATH"))
            g_ptr_array_add(env, g_strdup("PATH=/bin:/usr/bin"));
    }
    g_ptr_array_add(env, NULL);
    envs = g_strjoinv(" ", (char **)env->pdata);
    cmd = g_strdup_printf("%s %s %s", envs, script, ifname);
    g_debug("running %s", cmd);
    /* what libvirt's child says when it cannot exec the script */
    if (access(script, X_OK) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Child process (%s) unexpected exit status 127: libvirt:  error : "
                       "cannot execute binary %s: %s\n",
                       cmd, script, g_strerror(errno));
        return -1;
    }
    if (!g_spawn_sync(NULL, (char **)argv, (char **)env->pdata, G_SPAWN_DEFAULT, NULL,
                      NULL, &out, &errout, &status, &err)) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Child process (%s) unexpected exit status 127: libvirt:  error : "
                       "cannot execute binary %s: %s\n",
                       cmd, script, err->message);
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFEXITED(status))
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "Child process (%s) unexpected exit status %d%s%s", cmd,
                           WEXITSTATUS(status), errout && *errout ? ": " : "",
                           errout ? errout : "");
        else
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "Child process (%s) unexpected fatal signal %d%s%s", cmd,
                           WTERMSIG(status), errout && *errout ? ": " : "",
                           errout ? errout : "");
        return -1;
    }
    return 0;
}

int
virNetDevRunDaemonizing(const char *const *argv)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *cmd = g_strjoinv(" ", (char **)argv);
    g_autofree char *errPath = NULL;
    g_autofree char *errout = NULL;
    int errfd = g_file_open_tmp("virtkit-net-XXXXXX", &errPath, &err);
    int nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
    GPid pid = 0;
    int status = 0;
    bool ok;

    if (errfd < 0 || nullfd < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot run %s: %s", cmd,
                       err ? err->message : g_strerror(errno));
        if (errfd >= 0)
            close(errfd);
        if (nullfd >= 0)
            close(nullfd);
        if (errPath)
            g_unlink(errPath);
        return -1;
    }
    /* a daemon keeps the descriptors it was given: a file, not a pipe, so
     * that nobody waits for its end */
    ok = g_spawn_async_with_fds(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                NULL, NULL, &pid, nullfd, nullfd, errfd, &err);
    close(nullfd);
    close(errfd);
    if (!ok) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot execute binary %s: %s", argv[0],
                       err->message);
        g_unlink(errPath);
        return -1;
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    g_file_get_contents(errPath, &errout, NULL, NULL);
    g_unlink(errPath);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (errout)
            g_strchomp(errout);
        virReportError(
            VIR_ERR_INTERNAL_ERROR, "Child process (%s) unexpected exit status %d: %s",
            cmd, WIFEXITED(status) ? WEXITSTATUS(status) : 255, errout ? errout : "");
        return -1;
    }
    return 0;
}

/* The same, for clean-up: nothing reported, true on success. */
bool
virNetDevRunQuiet(const char *const *argv)
{
    virErrorPtr saved = NULL;
    int rc;

    virErrorPreserveLast(&saved);
    rc = virNetDevRunCommand(argv, NULL);
    virErrorRestore(&saved);
    return rc == 0;
}

bool
virNetDevExists(const char *name)
{
    return if_nametoindex(name) != 0;
}

int
virNetDevGetMTU(const char *ifname)
{
    struct ifreq ifr = { 0 };
    int fd;
    int rc;

    if (strlen(ifname) >= sizeof(ifr.ifr_name)) {
        virReportSystemError(ENAMETOOLONG, "Cannot get interface MTU on '%s'", ifname);
        return -1;
    }
    if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno, "%s", "Cannot open network interface control socket");
        return -1;
    }
    g_strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
    rc = ioctl(fd, SIOCGIFMTU, &ifr);
    if (rc < 0)
        virReportSystemError(errno, "Cannot get interface MTU on '%s'", ifname);
    close(fd);
    return rc < 0 ? -1 : ifr.ifr_mtu;
}

int
virNetDevSetMTU(const char *ifname, unsigned int mtu)
{
    struct ifreq ifr = { 0 };
    int fd;
    int rc;

    if (strlen(ifname) >= sizeof(ifr.ifr_name) || mtu > G_MAXINT) {
        virReportSystemError(EINVAL, "Cannot set interface MTU on '%s'", ifname);
        return -1;
    }
    if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno, "%s", "Cannot open network interface control socket");
        return -1;
    }
    g_strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
    ifr.ifr_mtu = (int)mtu;
    rc = ioctl(fd, SIOCSIFMTU, &ifr);
    if (rc < 0)
        virReportSystemError(errno, "Cannot set interface MTU on '%s'", ifname);
    close(fd);
    return rc < 0 ? -1 : 0;
}

/* ---- taps ------------------------------------------------------------- */

int
virNetDevTapDelete(const char *ifname)
{
    const char *argv[] = { IP_PATH, "link", "del", ifname, NULL };

    if (!virNetDevExists(ifname))
        return 0;
    virNetDevRunQuiet(argv);
    return 0;
}

int
virNetDevTapCreate(const char *templ, const char *bridge, const unsigned char *mac,
                   unsigned int mtu, bool isolated, bool multiQueue, const char *tunpath,
                   char **ifname)
{
    int fd = -1;
    struct ifreq ifr;
    char macstr[18];
    unsigned char tapmac[6];
    g_autofree char *name = NULL;

    if (!tunpath)
        tunpath = "/dev/net/tun";
    if ((fd = open(tunpath, O_RDWR | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "Unable to open %s, is tun module loaded?", tunpath);
        return -1;
    }
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags =
        IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | (multiQueue ? IFF_MULTI_QUEUE : 0);
    /* with "%d" in the name the kernel picks the first free number */
    g_strlcpy(ifr.ifr_name, templ, sizeof(ifr.ifr_name));
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        virReportSystemError(errno, "Unable to create tap device %s", templ);
        close(fd);
        return -1;
    }
    name = g_strdup(ifr.ifr_name);

    memcpy(tapmac, mac, 6);
    tapmac[0] = 0xfe; /* as libvirt: the bridge must never take the tap's MAC */
    formatMAC(tapmac, macstr);
    {
        const char *argv[] = { IP_PATH, "link",    "set",  "dev",
                               name,    "address", macstr, NULL };
        if (virNetDevRunCommand(argv, NULL) < 0)
            goto error;
    }
    /* as libvirt: before the tap joins the bridge (a larger or smaller
     * port changes the bridge's own MTU), the one asked for, else the
     * bridge's */
    if (!mtu && bridge) {
        int brmtu = virNetDevGetMTU(bridge);

        if (brmtu < 0)
            goto error;
        mtu = (unsigned int)brmtu;
    }
    if (mtu && virNetDevSetMTU(name, mtu) < 0)
        goto error;
    if (bridge) {
        const char *argv[] = {
            IP_PATH, "link", "set", "dev", name, "master", bridge, NULL
        };
        if (virNetDevRunCommand(argv, NULL) < 0)
            goto error;
        if (isolated && virNetDevBridgePortSetIsolated(name, true) < 0)
            goto error;
    }
    {
        const char *argv[] = { IP_PATH, "link", "set", "dev", name, "up", NULL };
        if (virNetDevRunCommand(argv, NULL) < 0)
            goto error;
    }
    *ifname = g_steal_pointer(&name);
    return fd;

error:
    /* closing the only fd of a non-persistent tap removes it */
    close(fd);
    return -1;
}

int
virNetDevTapOpen(const char *ifname, bool multiQueue, const char *tunpath)
{
    struct ifreq ifr;
    int fd;

    if (!virNetDevExists(ifname)) {
        virReportSystemError(ENODEV, "Unable to get index for interface %s", ifname);
        return -1;
    }
    if (!tunpath)
        tunpath = "/dev/net/tun";
    if ((fd = open(tunpath, O_RDWR | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "Unable to open %s, is tun module loaded?", tunpath);
        return -1;
    }
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags =
        IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | (multiQueue ? IFF_MULTI_QUEUE : 0);
    g_strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        virReportSystemError(errno, "Unable to open tap device %s", ifname);
        close(fd);
        return -1;
    }
    return fd;
}

int
virNetDevBridgePortSetIsolated(const char *ifname, bool isolated)
{
    /* netlink through ip (IFLA_BRPORT_ISOLATED), not sysfs's
     * brif/PORT/isolated as libvirt: sysfs shows the network namespace of
     * whoever mounted it, not necessarily the daemon's */
    const char *argv[] = { IP_PATH,
                           "link",
                           "set",
                           "dev",
                           ifname,
                           "type",
                           "bridge_slave",
                           "isolated",
                           isolated ? "on" : "off",
                           NULL };

    return virNetDevRunCommand(argv, NULL);
}

int
virNetDevSetCoalesce(const char *ifname, unsigned int *rxFrames)
{
    struct ethtool_coalesce coal = { .cmd = ETHTOOL_SCOALESCE };
    struct ifreq ifr = { 0 };
    int fd;

    if (strlen(ifname) >= sizeof(ifr.ifr_name)) {
        virReportSystemError(ENAMETOOLONG, "Cannot set coalesce info on '%s'", ifname);
        return -1;
    }
    if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno, "%s", "Cannot open network interface control socket");
        return -1;
    }
    g_strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
    /* as libvirt: every other setting 0 */
    coal.rx_max_coalesced_frames = rxFrames ? *rxFrames : 0;
    ifr.ifr_data = (void *)&coal;
    if (ioctl(fd, SIOCETHTOOL, &ifr) < 0) {
        virReportSystemError(errno, "Cannot set coalesce info on '%s'", ifname);
        close(fd);
        return -1;
    }
    /* what the device took (a tap caps it), or the value as given */
    coal = (struct ethtool_coalesce){ .cmd = ETHTOOL_GCOALESCE };
    if (rxFrames && ioctl(fd, SIOCETHTOOL, &ifr) == 0)
        *rxFrames = coal.rx_max_coalesced_frames;
    close(fd);
    return 0;
}

int
virNetDevSetMaster(const char *ifname, const char *bridge)
{
    const char *plug[] = {
        IP_PATH, "link", "set", "dev", ifname, "master", bridge, NULL
    };
    const char *unplug[] = { IP_PATH, "link", "set", "dev", ifname, "nomaster", NULL };

    return virNetDevRunCommand(bridge ? plug : unplug, NULL);
}
