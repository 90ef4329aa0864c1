/* virnetdevbandwidth.c: traffic limits of a guest's tap with tc */

#define G_LOG_DOMAIN "virtkit.util.bandwidth"

#include <glib.h>
#include <string.h>
#include <unistd.h>

#include "virerror.h"
#include "virnetdev.h"
#include "virnetdevbandwidth.h"

#define VIR_FROM_THIS VIR_FROM_NONE

#define TC_PATH "/usr/sbin/tc"

void
virNetDevBandwidthClear(const char *ifname)
{
    const char *root[] = { TC_PATH, "qdisc", "del", "dev", ifname, "root", NULL };
    const char *ingress[] = { TC_PATH, "qdisc", "del", "dev", ifname, "ingress", NULL };

    /* either may be absent: nothing to say then */
    virNetDevRunQuiet(root);
    virNetDevRunQuiet(ingress);
}

int
virNetDevSetRootQDisc(const char *ifname, const char *qdisc)
{
    const char *argv[] = { TC_PATH, "qdisc",  "replace", "dev", ifname,
                           "root",  "handle", "0:",      qdisc, NULL };

    return virNetDevRunCommand(argv, NULL);
}

/* The htb class's quantum for @average kibibytes/s: its bytes per second
 * over an MTU of 1500, at least 1 (htb's own default from r2q is too
 * small for slow classes, and says so in the kernel log). */
static unsigned long long
quantumOf(unsigned long long average)
{
    unsigned long long q = average * 1024 / 8 / 1500;

    return q ? q : 1;
}

/* Run @argv, a part of the layout that shapes nothing by itself (the sfq
 * leaf shares the class fairly between flows; without it htb's own fifo
 * leaf queues; the fw filter only repeats htb's default class). A kernel
 * built without it (tc: "Specified qdisc kind is unknown", "TC classifier
 * not found") leaves the limit in force: the operator is told, the start
 * goes on. Any other failure is reported: -1. */
static int
runRefinement(const char *const *argv, const char *ifname, const char *what)
{
    const char *msg;

    if (virNetDevRunCommand(argv, NULL) == 0)
        return 0;
    msg = virGetLastErrorMessage();
    if (!strstr(msg, "kind is unknown") && !strstr(msg, "classifier not found"))
        return -1;
    /* tolerated, and told: the reset is right (virerror.h rule 4) */
    VIR_NOTICE("bandwidth of '%s': this kernel has no %s, the limit is kept without it",
               ifname, what);
    virResetLastError();
    return 0;
}

/* Shape what leaves @ifname with @rate (htb + sfq). */
static int
setEgress(const char *ifname, const virNetDevBandwidthRate *rate)
{
    g_autofree char *average = g_strdup_printf("%llukbps", rate->average);
    g_autofree char *peak = rate->peak ? g_strdup_printf("%llukbps", rate->peak) : NULL;
    g_autofree char *burst = rate->burst ? g_strdup_printf("%llukb", rate->burst) : NULL;
    g_autofree char *quantum = g_strdup_printf("%llu", quantumOf(rate->average));
    const char *qdisc[] = { TC_PATH,  "qdisc", "add", "dev",     ifname, "root",
                            "handle", "1:",    "htb", "default", "1",    NULL };
    const char *class[24] = { TC_PATH,   "class", "add", "dev",  ifname,  "parent", "1:",
                              "classid", "1:1",   "htb", "rate", average, NULL };
    const char *sfq[] = { TC_PATH,  "qdisc", "add", "dev",     ifname, "parent", "1:1",
                          "handle", "2:",    "sfq", "perturb", "10",   NULL };
    const char *filter[] = { TC_PATH, "filter",   "add",    "dev",  ifname, "parent",
                             "1:0",   "protocol", "all",    "prio", "1",    "handle",
                             "1",     "fw",       "flowid", "1",    NULL };
    size_t n = 12;

    if (peak) {
        class[n++] = "ceil";
        class[n++] = peak;
    }
    if (burst) {
        class[n++] = "burst";
        class[n++] = burst;
    }
    class[n++] = "quantum";
    class[n++] = quantum;
    class[n] = NULL;
    if (virNetDevRunCommand(qdisc, NULL) < 0 || virNetDevRunCommand(class, NULL) < 0 ||
        runRefinement(sfq, ifname, "sfq qdisc") < 0 ||
        runRefinement(filter, ifname, "fw classifier") < 0)
        return -1;
    return 0;
}

/* Police what enters @ifname with @rate (drop above it). */
static int
setIngress(const char *ifname, const virNetDevBandwidthRate *rate)
{
    g_autofree char *average = g_strdup_printf("%llukbps", rate->average);
    /* tc keeps the burst in bytes in 32 bits: the average as a burst is
     * capped to what fits */
    g_autofree char *burst = g_strdup_printf(
        "%llukb", rate->burst ? rate->burst : MIN(rate->average, G_MAXUINT / 1024));
    const char *qdisc[] = { TC_PATH, "qdisc", "add", "dev", ifname, "ingress", NULL };
    const char *filter[] = { TC_PATH,  "filter", "add",      "dev", ifname,
                             "parent", "ffff:",  "protocol", "all", "u32",
                             "match",  "u32",    "0",        "0",   "police",
                             "rate",   average,  "burst",    burst, "mtu",
                             "64kb",   "drop",   "flowid",   ":1",  NULL };

    if (virNetDevRunCommand(qdisc, NULL) < 0 || virNetDevRunCommand(filter, NULL) < 0)
        return -1;
    return 0;
}

int
virNetDevBandwidthSet(const char *ifname, const virNetDevBandwidth *bw, bool swapped)
{
    const virNetDevBandwidthRate *rx; /* into the host through @ifname */
    const virNetDevBandwidthRate *tx; /* out of the host through @ifname */

    if (!bw)
        return 0;
    if (geteuid() != 0) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "Network bandwidth tuning is not available in session mode");
        return -1;
    }
    if (!ifname) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "Unable to set bandwidth for interface because device name is "
                       "unknown");
        return -1;
    }
    rx = swapped ? bw->out : bw->in;
    tx = swapped ? bw->in : bw->out;
    virNetDevBandwidthClear(ifname);
    if (tx && tx->average && setEgress(ifname, tx) < 0)
        return -1;
    if (rx && rx->average && setIngress(ifname, rx) < 0)
        return -1;
    return 0;
}
