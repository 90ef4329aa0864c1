/* networkdrivertest.c: the network driver on a real host stack, inside a network namespace of its own */

/*
 * The test enters a new network namespace first (unshare CLONE_NEWNET, so
 * root is needed; without it every case is skipped): bridges, taps,
 * nftables tables and dnsmasq live and die there, never on the machine's
 * own interfaces. A DHCP client runs in a second namespace (a child
 * process of ours, killed by pid at the end) behind a veth pair plugged
 * into the network's bridge: busybox udhcpc gets a lease from dnsmasq.
 * Waits are bounded polls of real state (a lease in the file, a process
 * gone), never fixed sleeps.
 */

#define G_LOG_DOMAIN "virtkit.test.network"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bridge_driver_priv.h"
#include "network_host.h"
#include "virerror.h"

static char *root;
static char *cfg, *state, *run;
static pid_t peerPid; /* the client namespace's holder process */
static bool skipAll;

static const char *natXML = "<network><name>vknat</name><forward mode='nat'/>"
                            "<bridge name='vktest0'/>"
                            "<ip address='10.77.0.1' netmask='255.255.255.0'><dhcp>"
                            "<range start='10.77.0.10' end='10.77.0.20'/>"
                            "<host mac='52:54:00:77:00:99' name='fixed' ip='10.77.0.99'/>"
                            "</dhcp></ip></network>";

static int
sh(const char *cmd)
{
    int status = 0;
    g_autoptr(GError) err = NULL;
    const char *argv[] = { "/bin/sh", "-c", cmd, NULL };

    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                      &status, &err))
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *
shOut(const char *cmd)
{
    char *out = NULL;
    const char *argv[] = { "/bin/sh", "-c", cmd, NULL };

    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                      &out, NULL, NULL, NULL))
        return g_strdup("");
    return out;
}

static networkDriver *
newDriver(void)
{
    networkDriver *d = networkDriverNew(cfg, state, run, true, false);

    if (!d)
        g_test_message("driver: %s", virGetLastErrorMessage());
    g_assert_nonnull(d);
    return d;
}

static bool
tableExists(const char *bridge)
{
    return networkFirewallExists(bridge);
}

static pid_t
dnsmasqPid(const char *name)
{
    g_autofree char *path = g_strdup_printf("%s/network/%s.pid", run, name);
    g_autofree char *buf = NULL;
    pid_t pid;

    if (!g_file_get_contents(path, &buf, NULL, NULL))
        return 0;
    pid = atoi(buf);
    return pid > 1 && kill(pid, 0) == 0 ? pid : 0;
}

#define SKIP_UNLESS_READY()                                            \
    do {                                                               \
        if (skipAll) {                                                 \
            g_test_skip("needs root and iproute2, nftables, dnsmasq"); \
            return;                                                    \
        }                                                              \
    } while (0)

static void
testLifecycle(void)
{
    networkDriver *d;
    virNetworkObj *obj;
    bool updated = true;
    g_autofree char *live = NULL;
    pid_t pid;

    SKIP_UNLESS_READY();
    d = newDriver();
    obj = networkDriverDefine(d, natXML, false, &updated);
    g_assert_nonnull(obj);
    g_assert_false(updated);
    g_assert_true(obj->persistent);
    g_assert_false(obj->active);
    g_assert_true(obj->def->macSpecified);

    g_assert_cmpint(networkDriverStart(d, obj), ==, 0);
    g_assert_true(obj->active);
    g_assert_true(virNetDevExists("vktest0"));
    g_assert_true(tableExists("vktest0"));
    pid = dnsmasqPid("vknat");
    g_assert_cmpint(pid, >, 0);
    live = virNetworkDefFormat(obj->def, 0);
    g_assert_nonnull(strstr(live, "<port start='1024' end='65535'/>"));
    {
        g_autofree char *addr = shOut("ip -4 -o addr show dev vktest0");
        g_autofree char *rules = shOut("nft list table inet virtkit_vktest0");
        g_assert_nonnull(strstr(addr, "10.77.0.1/24"));
        g_assert_nonnull(strstr(rules, "masquerade"));
    }
    /* a second start is refused and changes nothing */
    g_assert_cmpint(networkDriverStart(d, obj), ==, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "Requested operation is not valid: network is already active");
    virNetworkObjEndAPI(&obj);

    /* the daemon restarts: everything is adopted, nothing recreated */
    networkDriverFree(d);
    d = newDriver();
    g_assert_cmpint(networkDriverActiveCount(d), ==, 1);
    obj = virNetworkObjListFindByName(d->networks, "vknat");
    g_assert_nonnull(obj);
    g_assert_true(obj->active);
    g_assert_cmpint(dnsmasqPid("vknat"), ==, pid);

    /* adoption restarts a dnsmasq that died meanwhile */
    virNetworkObjEndAPI(&obj);
    networkDriverFree(d);
    kill(pid, SIGKILL);
    for (int i = 0; i < 500 && kill(pid, 0) == 0; i++)
        g_usleep(10000);
    d = newDriver();
    obj = virNetworkObjListFindByName(d->networks, "vknat");
    g_assert_true(obj->active);
    pid = dnsmasqPid("vknat");
    g_assert_cmpint(pid, >, 0);

    g_assert_cmpint(networkDriverDestroy(d, obj), ==, 0);
    g_assert_false(obj->active);
    g_assert_false(virNetDevExists("vktest0"));
    g_assert_false(tableExists("vktest0"));
    for (int i = 0; i < 500 && kill(pid, 0) == 0; i++)
        g_usleep(10000);
    g_assert_cmpint(kill(pid, 0), ==, -1);
    /* the definition is back without the live parts */
    g_free(live);
    live = virNetworkDefFormat(obj->def, 0);
    g_assert_null(strstr(live, "<port"));
    g_assert_cmpint(networkDriverUndefine(d, obj), ==, 0);
    virNetworkObjEndAPI(&obj);
    g_assert_null(virNetworkObjListFindByName(d->networks, "vknat"));
    networkDriverFree(d);
    {
        g_autofree char *path = g_strdup_printf("%s/networks/vknat.xml", cfg);
        g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    }
}

/* A lease from dnsmasq for a client behind a veth in another namespace. */
static void
testDHCP(void)
{
    networkDriver *d;
    virNetworkObj *obj;
    bool updated;
    g_autoptr(GPtrArray) leases = NULL;
    g_autofree char *cmd = NULL;
    int rc = -1;

    SKIP_UNLESS_READY();
    d = newDriver();
    obj = networkDriverDefine(d, natXML, false, &updated);
    g_assert_nonnull(obj);
    g_assert_cmpint(networkDriverStart(d, obj), ==, 0);

    cmd =
        g_strdup_printf("ip link add vkc0 type veth peer name vkc1 netns %d && "
                        "ip link set vkc0 master vktest0 up && "
                        "nsenter -t %d -n ip link set vkc1 address 52:54:00:77:00:01 up",
                        (int)peerPid, (int)peerPid);
    g_assert_cmpint(sh(cmd), ==, 0);
    g_free(cmd);
    /* udhcpc retries on its own for up to ~30 s; each wait is 3 s, as
     * dnsmasq answers a DISCOVER only after its 3 s ping check */
    cmd = g_strdup_printf("nsenter -t %d -n busybox udhcpc -i vkc1 -n -q -f -s /bin/true "
                          "-t 10 -T 3 -x hostname:peer1 >/dev/null 2>&1",
                          (int)peerPid);
    rc = sh(cmd);
    g_assert_cmpint(rc, ==, 0);
    /* dnsmasq writes the lease file right after its ACK */
    for (int i = 0; i < 500; i++) {
        g_clear_pointer(&leases, g_ptr_array_unref);
        leases = networkDriverGetLeases(d, obj, NULL);
        if (leases && leases->len)
            break;
        g_usleep(10000);
    }
    g_assert_nonnull(leases);
    g_assert_cmpuint(leases->len, ==, 1);
    if (leases->len == 1) {
        networkLease *l = g_ptr_array_index(leases, 0);
        g_assert_cmpstr(l->mac, ==, "52:54:00:77:00:01");
        g_assert_true(g_str_has_prefix(l->ipaddr, "10.77.0."));
        g_assert_cmpuint(l->prefix, ==, 24);
        g_assert_cmpstr(l->hostname, ==, "peer1");
        g_assert_cmpint(l->expirytime, >, g_get_real_time() / G_USEC_PER_SEC);
    }
    g_clear_pointer(&leases, g_ptr_array_unref);
    leases = networkDriverGetLeases(d, obj, "52:54:00:77:00:02");
    g_assert_cmpuint(leases->len, ==, 0);

    /* a static host added live reaches dnsmasq's hosts file */
    g_assert_cmpint(networkDriverUpdate(d, obj, VIR_NETWORK_DEF_UPDATE_ADD_LAST,
                                        VIR_NETWORK_DEF_SECTION_IP_DHCP_HOST, -1,
                                        "<host mac='52:54:00:77:00:05' ip='10.77.0.55'/>",
                                        1),
                    ==, 0);
    {
        g_autofree char *path = g_strdup_printf("%s/network/vknat.hostsfile", run);
        g_autofree char *buf = NULL;
        g_assert_true(g_file_get_contents(path, &buf, NULL, NULL));
        g_assert_nonnull(strstr(buf, "52:54:00:77:00:05,10.77.0.55\n"));
        g_assert_nonnull(strstr(buf, "52:54:00:77:00:99,10.77.0.99,fixed\n"));
    }
    /* the live update left the persistent definition alone */
    g_assert_nonnull(obj->newDef);
    {
        g_autofree char *p = virNetworkDefFormat(obj->newDef, 0);
        g_autofree char *l = virNetworkDefFormat(obj->def, 0);
        g_assert_null(strstr(p, "10.77.0.55"));
        g_assert_nonnull(strstr(l, "10.77.0.55"));
    }

    sh("ip link del vkc0");
    g_assert_cmpint(networkDriverDestroy(d, obj), ==, 0);
    g_assert_cmpint(networkDriverUndefine(d, obj), ==, 0);
    virNetworkObjEndAPI(&obj);
    networkDriverFree(d);
}

/* Bad input: libvirt's errors, nothing half-made. */
static void
testBadInput(void)
{
    networkDriver *d;
    virNetworkObj *obj, *obj2;
    bool updated;

    SKIP_UNLESS_READY();
    d = newDriver();
    obj = networkDriverDefine(d, natXML, false, &updated);
    g_assert_cmpint(networkDriverStart(d, obj), ==, 0);
    /* as the API's entry points: no object lock held across other calls */
    virNetworkObjUnlock(obj);

    /* the same subnet on another bridge: refused at start */
    obj2 = networkDriverCreateXML(d, "<network><name>clash</name><bridge name='vktest1'/>"
                                     "<ip address='10.77.0.200' prefix='16'/></network>");
    g_assert_null(obj2);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "internal error: Network is already in use by interface vktest0");
    g_assert_false(virNetDevExists("vktest1"));
    g_assert_false(tableExists("vktest1"));
    g_assert_null(virNetworkObjListFindByName(d->networks, "clash"));

    /* a bridge name another network has */
    g_assert_null(
        networkDriverDefine(d,
                            "<network><name>other</name><bridge name='vktest0'/>"
                            "</network>",
                            false, &updated));
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "internal error: bridge name 'vktest0' already in use.");
    /* a bridge name a host interface has (not a network's) */
    g_assert_cmpint(sh("ip tuntap add dev vkhost0 mode tap"), ==, 0);
    g_assert_null(networkDriverCreateXML(d,
                                         "<network><name>h</name><bridge name='vkhost0'/>"
                                         "</network>"));
    g_assert_cmpstr(
        virGetLastErrorMessage(), ==,
        "internal error: bridge name 'vkhost0' is in use by a host interface");
    sh("ip link del vkhost0");
    /* a range outside its subnet */
    g_assert_null(networkDriverDefine(d,
                                      "<network><name>r</name><ip address='10.78.0.1' "
                                      "prefix='24'><dhcp><range start='10.79.0.2' "
                                      "end='10.79.0.9'/></dhcp></ip></network>",
                                      false, &updated));
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "internal error: range 10.79.0.2 - 10.79.0.9 is not entirely within "
                    "network 10.78.0.1/24");
    /* a forward device that does not exist */
    g_assert_null(
        networkDriverCreateXML(d, "<network><name>f</name>"
                                  "<forward mode='nat' dev='nosuch0'/>"
                                  "<bridge name='vktest2'/>"
                                  "<ip address='10.80.0.1' prefix='24'/></network>"));
    g_assert_cmpstr(
        virGetLastErrorMessage(), ==,
        "internal error: forward device 'nosuch0' of network 'f' does not exist");
    g_assert_false(virNetDevExists("vktest2"));
    {
        g_autofree char *tables = shOut("nft list tables");
        g_assert_cmpstr(tables, ==, "table inet virtkit_vktest0\n");
    }
    /* no file left for the refused ones */
    {
        g_autofree char *runDir = g_strdup_printf("%s/network", run);
        g_autoptr(GDir) dir = g_dir_open(runDir, 0, NULL);
        const char *e;
        while ((e = g_dir_read_name(dir)))
            g_assert_true(g_str_has_prefix(e, "vknat."));
    }
    virNetworkObjLock(obj);
    g_assert_cmpint(networkDriverDestroy(d, obj), ==, 0);
    g_assert_cmpint(networkDriverUndefine(d, obj), ==, 0);
    virNetworkObjEndAPI(&obj);
    networkDriverFree(d);
}

/* A daemon killed mid-start: the next one removes what was made. */
static void
testKilledWhileStarting(void)
{
    networkDriver *d;
    g_autofree char *status = g_strdup_printf("%s/network/half.xml", run);
    g_autofree char *data =
        g_strdup_printf("<!-- virtkit network status phase=starting -->\n"
                        "<network><name>half</name><bridge name='vkhalf0'/>"
                        "<ip address='10.81.0.1' prefix='24'/></network>\n");

    SKIP_UNLESS_READY();
    g_assert_true(g_file_set_contents(status, data, -1, NULL));
    g_assert_cmpint(sh("ip link add vkhalf0 type bridge && "
                       "nft add table inet virtkit_vkhalf0"),
                    ==, 0);
    d = newDriver();
    g_assert_null(virNetworkObjListFindByName(d->networks, "half"));
    g_assert_false(virNetDevExists("vkhalf0"));
    g_assert_false(tableExists("vkhalf0"));
    g_assert_false(g_file_test(status, G_FILE_TEST_EXISTS));
    networkDriverFree(d);
}

/* Isolated and routed networks: their rules, and a table of their own each. */
static void
testModes(void)
{
    networkDriver *d;
    virNetworkObj *iso, *route;
    g_autofree char *isoRules = NULL;
    g_autofree char *routeRules = NULL;

    SKIP_UNLESS_READY();
    d = newDriver();
    iso = networkDriverCreateXML(d, "<network><name>iso</name><bridge name='vkiso0'/>"
                                    "<ip address='10.82.0.1' prefix='24'/></network>");
    g_assert_nonnull(iso);
    virNetworkObjUnlock(iso);
    route = networkDriverCreateXML(d, "<network><name>rt</name><forward mode='route'/>"
                                      "<bridge name='vkrt0'/>"
                                      "<ip address='10.83.0.1' prefix='24'/></network>");
    g_assert_nonnull(route);
    virNetworkObjLock(iso);
    g_assert_false(iso->persistent);
    isoRules = shOut("nft list table inet virtkit_vkiso0");
    routeRules = shOut("nft list table inet virtkit_vkrt0");
    g_assert_null(strstr(isoRules, "masquerade"));
    g_assert_null(strstr(isoRules, "10.82.0.0/24"));
    g_assert_nonnull(strstr(isoRules, "iifname \"vkiso0\" reject"));
    g_assert_nonnull(strstr(routeRules, "ip daddr 10.83.0.0/24 accept"));
    g_assert_null(strstr(routeRules, "masquerade"));
    /* transient networks vanish when destroyed; the other one is untouched */
    g_assert_cmpint(networkDriverDestroy(d, iso), ==, 0);
    g_assert_true(iso->removed);
    g_assert_null(virNetworkObjListFindByName(d->networks, "iso"));
    g_assert_true(tableExists("vkrt0"));
    g_assert_false(tableExists("vkiso0"));
    g_assert_cmpint(networkDriverDestroy(d, route), ==, 0);
    virNetworkObjEndAPI(&iso);
    virNetworkObjEndAPI(&route);
    networkDriverFree(d);
}

int
main(int argc, char **argv)
{
    int ret;
    int pipefd[2];

    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();

    if (geteuid() != 0 || !g_file_test("/usr/sbin/nft", G_FILE_TEST_IS_EXECUTABLE) ||
        !g_file_test("/usr/sbin/dnsmasq", G_FILE_TEST_IS_EXECUTABLE) ||
        unshare(CLONE_NEWNET) < 0) {
        skipAll = true;
    } else {
        sh("ip link set lo up");
        /* the DHCP client's namespace: a child that waits for its end */
        g_assert_cmpint(pipe(pipefd), ==, 0);
        peerPid = fork();
        if (peerPid == 0) {
            char c;
            close(pipefd[1]);
            if (unshare(CLONE_NEWNET) < 0)
                _exit(1);
            /* wait until the parent closes its end */
            (void)!read(pipefd[0], &c, 1);
            _exit(0);
        }
        close(pipefd[0]);
        /* wait until the child is in its own namespace */
        for (int i = 0; i < 500; i++) {
            g_autofree char *a = g_strdup_printf("/proc/%d/ns/net", (int)peerPid);
            g_autofree char *b = g_file_read_link(a, NULL);
            g_autofree char *c = g_file_read_link("/proc/self/ns/net", NULL);
            if (b && c && strcmp(b, c) != 0)
                break;
            g_usleep(10000);
        }
        root = g_dir_make_tmp("vknettest-XXXXXX", NULL);
        /* dnsmasq drops to 'nobody' and re-reads its host files as it */
        g_chmod(root, 0755);
        cfg = g_strdup_printf("%s/etc", root);
        state = g_strdup_printf("%s/lib", root);
        run = g_strdup_printf("%s/run", root);
    }

    g_test_add_func("/network/driver/lifecycle", testLifecycle);
    g_test_add_func("/network/driver/dhcp", testDHCP);
    g_test_add_func("/network/driver/bad-input", testBadInput);
    g_test_add_func("/network/driver/killed-while-starting", testKilledWhileStarting);
    g_test_add_func("/network/driver/modes", testModes);
    ret = g_test_run();

    if (!skipAll) {
        g_autofree char *rm = g_strdup_printf("rm -rf '%s'", root);
        /* whatever a failed case left: our dnsmasqs by their pid files */
        g_autofree char *kill = g_strdup_printf(
            "for f in '%s'/run/network/*.pid; do [ -f \"$f\" ] && p=$(cat \"$f\") && "
            "[ \"$(cat /proc/$p/comm)\" = dnsmasq ] && kill $p; done",
            root);
        sh(kill);
        close(pipefd[1]);
        waitpid(peerPid, NULL, 0);
        sh(rm);
    }
    return ret;
}
