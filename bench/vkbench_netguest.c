/* vkbench_netguest.c: guest-to-guest TCP over a NAT bridge (workloads netguest, nettrigger) */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vkbench.h"

/* The values after @prefix on the lines of @path that start with it (at
 * most @max, each up to 255 bytes), into @out; returns how many. Only
 * whole lines count: the guest's console writes a line a few bytes at a
 * time, and the last one may still be on its way. */
static int
serialLines(const char *path, const char *prefix, char out[][256], int max)
{
    FILE *f = fopen(path, "r");
    char line[512];
    size_t plen = strlen(prefix);
    int n = 0;

    if (!f)
        return 0;
    while (n < max && fgets(line, sizeof(line), f)) {
        if (!strchr(line, '\n') && feof(f))
            break;
        if (strncmp(line, prefix, plen) == 0) {
            snprintf(out[n], 256, "%s", line + plen);
            out[n][strcspn(out[n], "\r\n")] = '\0';
            n++;
        }
    }
    fclose(f);
    return n;
}

/* The <cputune> that pins the guest's vCPU and its emulator threads to
 * host CPU @cpu (a cpulist; NULL or empty: no pinning, an empty string). */
static char *
netGuestCputune(const char *cpu)
{
    char *xml = NULL;

    if (!cpu || !*cpu)
        return strdup("");
    if (asprintf(&xml,
                 "<cputune><vcpupin vcpu='0' cpuset='%s'/><emulatorpin cpuset='%s'/>"
                 "</cputune>",
                 cpu, cpu) < 0)
        abort();
    return xml;
}

/* The net test guest (build-test-guest.sh, variant net) on network
 * NAME_PREFIX "gnet" with MAC @mac and the kernel arguments @args; @cpu:
 * the host CPUs its threads are pinned to (NULL: none). */
static char *
netGuestXml(const char *name, const char *guestDir, const char *serial, const char *mac,
            const char *args, const char *cpu)
{
    char *xml = NULL;
    char *cputune = netGuestCputune(cpu);

    if (!cputune)
        abort();
    if (asprintf(
            &xml,
            "<domain type='qemu'><name>%s</name>"
            "<memory unit='MiB'>256</memory><vcpu>1</vcpu>%s"
            "<os><type arch='x86_64' machine='q35'>hvm</type>"
            "<kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>"
            "<cmdline>console=ttyS0 no_timer_check quiet virtkit.dhcp=1 %s</cmdline></os>"
            "<features><acpi/></features>"
            "<on_poweroff>destroy</on_poweroff>"
            "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
            "<interface type='network'><source network='" NAME_PREFIX "gnet'/>"
            "<mac address='%s'/><model type='virtio'/></interface>"
            "<serial type='file'><source path='%s'/><target port='0'/></serial>"
            "</devices></domain>",
            name, cputune, guestDir, guestDir, args, mac, serial) < 0)
        abort();
    free(cputune);
    return xml;
}

/* Waits (deadline @ms) until @path has @count lines starting with @prefix. */
static void
serialWait(const char *path, const char *prefix, int count, double ms, const char *what)
{
    char lines[64][256];
    double deadline = nowMs() + ms;

    while (serialLines(path, prefix, lines, 64) < count) {
        if (nowMs() > deadline) {
            char cmd[4200];

            /* what the guest said, for the log */
            snprintf(cmd, sizeof(cmd), "tail -n 8 '%s' >&2", path);
            if (system(cmd) < 0)
                perror("system");
            die(what);
        }
        usleep(1000);
    }
}

/* The receiver's byte counts: @n transfers of @bytes each. */
static void
netGuestCheckReceived(const char *rxSerial, int n, long long bytes)
{
    char lines[64][256];

    serialWait(rxSerial, "GUEST-NC-RECEIVED ", n, 30000,
               "the receiver guest did not count");
    if (serialLines(rxSerial, "GUEST-NC-RECEIVED ", lines, 64) < n)
        die("receiver lines");
    for (int r = 0; r < n; r++) {
        if (atoll(lines[r]) != bytes)
            die("the receiver guest got another amount than was sent");
    }
}

/* The bytes/s of the sender's GUEST-NC-SENT line @line. */
static void
netGuestSample(const char *line, long long bytes)
{
    long long n = 0;
    double t0 = 0, t1 = 0;

    if (sscanf(line, "%lld %lf %lf", &n, &t0, &t1) != 3 || n != bytes)
        die("GUEST-NC-SENT line");
    /* /proc/uptime has 10 ms steps: a transfer inside one counts as 10 ms */
    sample("net_guest2guest_bytes_per_s", n / (t1 - t0 > 0.01 ? t1 - t0 : 0.01));
}

/* Reads one line of stdin into @cmd (without its newline, cut to @size - 1
 * bytes); false at its end. */
static bool
readCommand(char *cmd, size_t size)
{
    size_t n = 0;
    int c;

    while ((c = getchar()) != EOF) {
        if (c == '\n') {
            cmd[n] = '\0';
            return true;
        }
        if (n + 1 < size)
            cmd[n++] = (char)c;
    }
    return false;
}

/* One boot of a served guest pair (netGuestServe). */
struct netPair {
    virDomainPtr rx, tx;
};

/* Starts the receiver (@rxXml) and the sender (@txXml), both transient, at
 * once, and waits for both addresses; prints the sender's tap (its live
 * XML: "TXTAP DEV") and "READY @boot". */
static void
netPairUp(virConnectPtr conn, struct netPair *pair, const char *rxXml, const char *txXml,
          const char *rxSerial, const char *txSerial, int boot)
{
    char *live;
    const char *dev;

    unlink(rxSerial);
    unlink(txSerial);
    if (!(pair->rx = virDomainCreateXML(conn, rxXml, 0)))
        die("virDomainCreateXML (receiver guest)");
    if (!(pair->tx = virDomainCreateXML(conn, txXml, 0)))
        die("virDomainCreateXML (sender guest)");
    serialWait(rxSerial, "GUEST-IP ", 1, 300000, "the receiver guest has no address");
    serialWait(txSerial, "GUEST-IP ", 1, 300000, "the sender guest has no address");
    live = virDomainGetXMLDesc(pair->tx, 0);
    dev = live ? strstr(live, "<target dev='") : NULL;
    if (!dev)
        die("the sender guest's live XML names no tap");
    printf("TXTAP %.*s\nREADY %d\n", (int)strcspn(dev + 13, "'"), dev + 13, boot);
    fflush(stdout);
    free(live);
}

/* Checks that the receiver of @pair counted every transfer its sender
 * reported (each of @bytes), then destroys both guests. */
static void
netPairDown(struct netPair *pair, const char *rxSerial, const char *txSerial,
            long long bytes)
{
    char lines[64][256];

    netGuestCheckReceived(rxSerial, serialLines(txSerial, "GUEST-NC-SENT ", lines, 64),
                          bytes);
    if (virDomainDestroy(pair->tx) < 0 || virDomainDestroy(pair->rx) < 0)
        die("virDomainDestroy (net guests)");
    virDomainFree(pair->tx);
    virDomainFree(pair->rx);
    pair->rx = pair->tx = NULL;
}

/* netguest GUESTDIR SERIALDIR REPS BYTES [serve TAG]: the net test guest
 * on a NAT network with DHCP (the daemons in network namespaces of their
 * own, scripts/bench.sh). A guest with a NAT interface: start (call: its
 * tap, the network's port) and start to its DHCP address on its console
 * (GUEST-IP), REPS times. Then a second guest sends BYTES to the first
 * (at a fixed address from a DHCP host entry) over TCP through the bridge
 * (busybox nc), timed by the sender's /proc/uptime (10 ms steps); the
 * receiver's byte counts are checked.
 * Without "serve" the sender sends REPS times at once. With "serve" (the
 * guests named with TAG, so that both daemons' guests can run at the same
 * time) each start of the receiver (REPS times) waits for a line on
 * stdin; then each further line boots a fresh pair (the line "down" only
 * takes the current pair down): the current pair, if any, is checked (its
 * receiver counted every byte its sender sent) and destroyed, then the
 * receiver and the sender start at once, both transient, and "TXTAP DEV"
 * (the sender's tap) and "READY N" (N: the pair's boot, from 1) are
 * printed once both have their address; the sender sends on each
 * connection to its trigger port (10.212.0.6:5002, made by the
 * nettrigger and netpair workloads). At the end of stdin the last pair
 * is checked and destroyed. make bench boots the two daemons' pairs
 * several times (blocks of rounds) and runs their transfers at once.
 * VKBENCH_NET_RXCPU and VKBENCH_NET_TXCPU (host cpulists), when set, pin
 * the served receiver's and sender's vCPU and emulator threads
 * (<vcpupin>, <emulatorpin>): the same XML on either daemon. The guest of
 * the start rows is never pinned. */
void
workloadNetGuest(virConnectPtr conn, const char *guestDir, const char *serialDir,
                 int reps, long long bytes, const char *serveTag)
{
    const char *netXml = "<network><name>" NAME_PREFIX "gnet</name><forward mode='nat'/>"
                         "<bridge name='vkbbr1'/><ip address='10.212.0.1' prefix='24'>"
                         "<dhcp><range start='10.212.0.10' end='10.212.0.50'/>"
                         "<host mac='52:54:00:21:20:01' ip='10.212.0.5'/>"
                         "<host mac='52:54:00:21:20:02' ip='10.212.0.6'/></dhcp>"
                         "</ip></network>";
    char rxSerial[4096], txSerial[4096], args[256], rxName[64], txName[64];
    char lines[64][256], cmd[64];
    char *rxXml, *txXml, *rxPinXml;
    struct netPair pair = { NULL, NULL };
    virNetworkPtr net;
    virDomainPtr rx, tx;
    int boot = 0;

    if (reps > 60)
        reps = 60;
    snprintf(rxName, sizeof(rxName), NAME_PREFIX "rx%s", serveTag ? serveTag : "");
    snprintf(txName, sizeof(txName), NAME_PREFIX "tx%s", serveTag ? serveTag : "");
    snprintf(rxSerial, sizeof(rxSerial), "%s/%s.serial", serialDir, rxName);
    snprintf(txSerial, sizeof(txSerial), "%s/%s.serial", serialDir, txName);
    if (!(net = virNetworkCreateXML(conn, netXml)))
        die("virNetworkCreateXML");
    rxXml = netGuestXml(rxName, guestDir, rxSerial, "52:54:00:21:20:01",
                        "virtkit.nclisten=5001", NULL);
    rx = defineOrDie(conn, rxXml);
    for (int r = 0; r < reps; r++) {
        double t0;

        if (serveTag && !readCommand(cmd, sizeof(cmd)))
            die("stdin ended before a start");
        unlink(rxSerial);
        t0 = nowMs();
        if (virDomainCreate(rx) < 0)
            die("virDomainCreate (guest with a NAT interface)");
        sample("guest_nat_start", nowMs() - t0);
        serialWait(rxSerial, "GUEST-IP ", 1, 300000, "no GUEST-IP within 300 s");
        sample("guest_nat_start_ip", nowMs() - t0);
        if ((serveTag || r + 1 < reps) && virDomainDestroy(rx) < 0)
            die("virDomainDestroy (guest with a NAT interface)");
    }

    if (serveTag) {
        /* the served pairs: the same guests, transient, pinned if asked */
        undefineOrDie(rx);
        rxPinXml = netGuestXml(rxName, guestDir, rxSerial, "52:54:00:21:20:01",
                               "virtkit.nclisten=5001", getenv("VKBENCH_NET_RXCPU"));
        snprintf(args, sizeof(args),
                 "virtkit.ncsend=10.212.0.5:5001:%lld:60 virtkit.nctrigger=5002", bytes);
        txXml = netGuestXml(txName, guestDir, txSerial, "52:54:00:21:20:02", args,
                            getenv("VKBENCH_NET_TXCPU"));
        while (readCommand(cmd, sizeof(cmd))) {
            if (pair.rx)
                netPairDown(&pair, rxSerial, txSerial, bytes);
            if (strcmp(cmd, "down") == 0) {
                printf("DOWN %d\n", boot);
                fflush(stdout);
                continue;
            }
            netPairUp(conn, &pair, rxPinXml, txXml, rxSerial, txSerial, ++boot);
        }
        if (pair.rx)
            netPairDown(&pair, rxSerial, txSerial, bytes);
        free(rxPinXml);
    } else {
        snprintf(args, sizeof(args), "virtkit.ncsend=10.212.0.5:5001:%lld:%d", bytes,
                 reps);
        txXml = netGuestXml(txName, guestDir, txSerial, "52:54:00:21:20:02", args,
                            getenv("VKBENCH_NET_TXCPU"));
        unlink(txSerial);
        if (!(tx = virDomainCreateXML(conn, txXml, 0)))
            die("virDomainCreateXML (sender guest)");
        serialWait(txSerial, "GUEST-NC-SENT ", reps, 120000.0 + reps * 60000.0,
                   "the sender guest did not send everything in time");
        serialLines(txSerial, "GUEST-NC-SENT ", lines, 64);
        for (int r = 0; r < reps; r++)
            netGuestSample(lines[r], bytes);
        netGuestCheckReceived(rxSerial, reps, bytes);
        if (virDomainDestroy(tx) < 0 || virDomainDestroy(rx) < 0)
            die("virDomainDestroy (net guests)");
        virDomainFree(tx);
        undefineOrDie(rx);
    }
    if (virNetworkDestroy(net) < 0)
        die("virNetworkDestroy");
    virNetworkFree(net);
    unlink(rxSerial);
    unlink(txSerial);
    free(rxXml);
    free(txXml);
}

/* A child that connects to the served sender's trigger port
 * (10.212.0.6:5002) from the network namespace of @nsPid, retried every
 * 20 ms until it listens (120 s at most); exits 0 once connected. */
static pid_t
netTriggerStart(const char *nsPid)
{
    char path[64];
    pid_t child;

    snprintf(path, sizeof(path), "/proc/%s/ns/net", nsPid);
    if ((child = fork()) < 0)
        die("fork");
    if (child == 0) {
        struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(5002) };
        double deadline = nowMs() + 120000;
        int nsfd = open(path, O_RDONLY | O_CLOEXEC);

        if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0) {
            perror(path);
            _exit(2);
        }
        inet_pton(AF_INET, "10.212.0.6", &sin.sin_addr);
        for (;;) {
            int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

            if (s >= 0 && connect(s, (struct sockaddr *)&sin, sizeof(sin)) == 0) {
                close(s);
                _exit(0);
            }
            if (s >= 0)
                close(s);
            if (nowMs() > deadline)
                _exit(1);
            usleep(20000);
        }
    }
    return child;
}

/* nettrigger NETNS_PID TX_SERIAL BYTES: one transfer of a served netguest
 * sender (above): a connection to 10.212.0.6:5002 from the network
 * namespace of NETNS_PID (its daemon's; retried until the sender listens,
 * 120 s at most), then its next GUEST-NC-SENT line, as a sample. Uses no
 * connection to a daemon. */
void
workloadNetTrigger(const char *nsPid, const char *txSerial, long long bytes)
{
    char lines[64][256];
    int before = serialLines(txSerial, "GUEST-NC-SENT ", lines, 64);
    int status = 0;
    pid_t child;

    child = netTriggerStart(nsPid);
    if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("the sender guest did not take the trigger within 120 s");
    serialWait(txSerial, "GUEST-NC-SENT ", before + 1, 120000,
               "the sender guest did not send within 120 s");
    serialLines(txSerial, "GUEST-NC-SENT ", lines, 64);
    netGuestSample(lines[before], bytes);
}

/* The received-bytes counter of interface @dev (the tap: what its guest
 * sent) in the network namespace of @nsPid, from /proc/PID/net/dev; -1 if
 * it is not there. */
static long long
tapRxBytes(const char *nsPid, const char *dev)
{
    char path[64], line[512];
    size_t dlen = strlen(dev);
    long long v = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%s/net/dev", nsPid);
    if (!(f = fopen(path, "r")))
        return -1;
    while (fgets(line, sizeof(line), f)) {
        const char *p = line + strspn(line, " ");

        if (strncmp(p, dev, dlen) == 0 && p[dlen] == ':') {
            v = atoll(p + dlen + 1);
            break;
        }
    }
    fclose(f);
    return v;
}

/* netpair NSPID_A TX_SERIAL_A TAP_A NSPID_B TX_SERIAL_B TAP_B BYTES: one
 * transfer of each of two served netguest senders (two daemons' guest
 * pairs) at the same time, A's trigger first. Both transfers share the
 * machine's CPUs and its load from start to end, so that a change of the
 * load falls on both alike; each is measured on the host, on its sender's
 * tap (TAP_A, TAP_B: bytes the sender guest sent, every 5 ms), over the
 * one window in which both are moving: from when both have sent 5 % of
 * BYTES to when the first has sent 95 % (the one that finishes first
 * does not then run alone into its figures, nor the other into them).
 * Prints "PAIR A_BYTES_PER_S B_BYTES_PER_S WINDOW_S A_GUEST_BYTES_PER_S
 * B_GUEST_BYTES_PER_S": the window's rates (same window: their ratio is
 * the round's), then each transfer's own, timed by its guest as
 * nettrigger's. Uses no connection to a daemon. */
void
workloadNetPair(const char *nsA, const char *serialA, const char *tapA, const char *nsB,
                const char *serialB, const char *tapB, long long bytes)
{
    const char *ns[2] = { nsA, nsB }, *serial[2] = { serialA, serialB };
    const char *tap[2] = { tapA, tapB };
    char lines[64][256];
    int before[2], status;
    long long base[2], lo = bytes / 20, hi = bytes - bytes / 20;
    double tStart = -1, tEnd = -1, deadline = nowMs() + 300000, lastCheck = 0;
    long long atStart[2] = { 0, 0 }, atEnd[2] = { 0, 0 };
    bool done = false;
    pid_t child[2];

    for (int i = 0; i < 2; i++) {
        before[i] = serialLines(serial[i], "GUEST-NC-SENT ", lines, 64);
        if ((base[i] = tapRxBytes(ns[i], tap[i])) < 0)
            die("no such tap in the daemon's network namespace");
    }
    child[0] = netTriggerStart(ns[0]);
    child[1] = netTriggerStart(ns[1]);
    while (!done) {
        long long moved[2];
        double t = nowMs();

        for (int i = 0; i < 2; i++)
            moved[i] = tapRxBytes(ns[i], tap[i]) - base[i];
        if (tStart < 0 && moved[0] >= lo && moved[1] >= lo) {
            tStart = t;
            atStart[0] = moved[0];
            atStart[1] = moved[1];
        }
        if (tStart >= 0 && tEnd < 0 && (moved[0] >= hi || moved[1] >= hi)) {
            tEnd = t;
            atEnd[0] = moved[0];
            atEnd[1] = moved[1];
        }
        if (t - lastCheck > 50) {
            lastCheck = t;
            done = tEnd >= 0 &&
                   serialLines(serial[0], "GUEST-NC-SENT ", lines, 64) > before[0] &&
                   serialLines(serial[1], "GUEST-NC-SENT ", lines, 64) > before[1];
        }
        if (t > deadline)
            die("the sender guests did not both send within 300 s");
        usleep(5000);
    }
    for (int i = 0; i < 2; i++) {
        if (waitpid(child[i], &status, 0) < 0 || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0)
            die("a sender guest did not take the trigger within 120 s");
    }
    if (tEnd - tStart < 1)
        die("no window with both transfers moving");
    printf("PAIR %.0f %.0f %.3f", (atEnd[0] - atStart[0]) * 1000.0 / (tEnd - tStart),
           (atEnd[1] - atStart[1]) * 1000.0 / (tEnd - tStart), (tEnd - tStart) / 1000.0);
    for (int i = 0; i < 2; i++) {
        long long n = 0;
        double t0 = 0, t1 = 0;

        serialLines(serial[i], "GUEST-NC-SENT ", lines, 64);
        if (sscanf(lines[before[i]], "%lld %lf %lf", &n, &t0, &t1) != 3 || n != bytes)
            die("GUEST-NC-SENT line");
        printf(" %.0f", n / (t1 - t0 > 0.01 ? t1 - t0 : 0.01));
    }
    printf("\n");
}
