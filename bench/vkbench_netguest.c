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

/* The net test guest (build-test-guest.sh, variant net) on network
 * NAME_PREFIX "gnet" with MAC @mac and the kernel arguments @args. */
static char *
netGuestXml(const char *name, const char *guestDir, const char *serial, const char *mac,
            const char *args)
{
    char *xml = NULL;

    if (asprintf(
            &xml,
            "<domain type='qemu'><name>%s</name>"
            "<memory unit='MiB'>256</memory><vcpu>1</vcpu>"
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
            name, guestDir, guestDir, args, mac, serial) < 0)
        abort();
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

/* Reads one line of stdin; false at its end. */
static bool
waitGo(void)
{
    int c;

    while ((c = getchar()) != EOF) {
        if (c == '\n')
            return true;
    }
    return false;
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
 * time) each start (of the receiver, REPS times, then of the sender)
 * waits for a line on stdin, each send waits for a connection to the
 * sender (10.212.0.6:5002, made by the nettrigger workload), "READY" is
 * printed once the sender has its address, and the guests stay until
 * stdin ends: make bench alternates the two daemons' starts and
 * transfers, so that a change of the machine's load falls on both sides
 * alike. */
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
    char lines[64][256];
    char *rxXml, *txXml;
    virNetworkPtr net;
    virDomainPtr rx, tx;
    int sent = reps;

    if (reps > 60)
        reps = 60;
    snprintf(rxName, sizeof(rxName), NAME_PREFIX "rx%s", serveTag ? serveTag : "");
    snprintf(txName, sizeof(txName), NAME_PREFIX "tx%s", serveTag ? serveTag : "");
    snprintf(rxSerial, sizeof(rxSerial), "%s/%s.serial", serialDir, rxName);
    snprintf(txSerial, sizeof(txSerial), "%s/%s.serial", serialDir, txName);
    if (!(net = virNetworkCreateXML(conn, netXml)))
        die("virNetworkCreateXML");
    rxXml = netGuestXml(rxName, guestDir, rxSerial, "52:54:00:21:20:01",
                        "virtkit.nclisten=5001");
    rx = defineOrDie(conn, rxXml);
    for (int r = 0; r < reps; r++) {
        double t0;

        if (serveTag && !waitGo())
            die("stdin ended before a start");
        unlink(rxSerial);
        t0 = nowMs();
        if (virDomainCreate(rx) < 0)
            die("virDomainCreate (guest with a NAT interface)");
        sample("guest_nat_start", nowMs() - t0);
        serialWait(rxSerial, "GUEST-IP ", 1, 300000, "no GUEST-IP within 300 s");
        sample("guest_nat_start_ip", nowMs() - t0);
        if (r + 1 < reps && virDomainDestroy(rx) < 0)
            die("virDomainDestroy (guest with a NAT interface)");
    }

    if (serveTag)
        snprintf(args, sizeof(args),
                 "virtkit.ncsend=10.212.0.5:5001:%lld:60 virtkit.nctrigger=5002", bytes);
    else
        snprintf(args, sizeof(args), "virtkit.ncsend=10.212.0.5:5001:%lld:%d", bytes,
                 reps);
    txXml = netGuestXml(txName, guestDir, txSerial, "52:54:00:21:20:02", args);
    if (serveTag && !waitGo())
        die("stdin ended before the sender's start");
    unlink(txSerial);
    if (!(tx = virDomainCreateXML(conn, txXml, 0)))
        die("virDomainCreateXML (sender guest)");
    if (serveTag) {
        serialWait(txSerial, "GUEST-IP ", 1, 300000, "the sender guest has no address");
        printf("READY\n");
        fflush(stdout);
        while (getchar() != EOF)
            ;
        sent = serialLines(txSerial, "GUEST-NC-SENT ", lines, 64);
    } else {
        serialWait(txSerial, "GUEST-NC-SENT ", reps, 120000.0 + reps * 60000.0,
                   "the sender guest did not send everything in time");
        serialLines(txSerial, "GUEST-NC-SENT ", lines, 64);
        for (int r = 0; r < reps; r++)
            netGuestSample(lines[r], bytes);
    }
    netGuestCheckReceived(rxSerial, sent, bytes);
    if (virDomainDestroy(tx) < 0 || virDomainDestroy(rx) < 0)
        die("virDomainDestroy (net guests)");
    virDomainFree(tx);
    undefineOrDie(rx);
    if (virNetworkDestroy(net) < 0)
        die("virNetworkDestroy");
    virNetworkFree(net);
    unlink(rxSerial);
    unlink(txSerial);
    free(rxXml);
    free(txXml);
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
    char path[64];
    int before = serialLines(txSerial, "GUEST-NC-SENT ", lines, 64);
    int status = 0;
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
    if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("the sender guest did not take the trigger within 120 s");
    serialWait(txSerial, "GUEST-NC-SENT ", before + 1, 120000,
               "the sender guest did not send within 120 s");
    serialLines(txSerial, "GUEST-NC-SENT ", lines, 64);
    netGuestSample(lines[before], bytes);
}
