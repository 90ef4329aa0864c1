/* vksh-blockjob.c: the block job commands (blockcopy, blockcommit, blockpull, blockjob) with virsh 9.0's output */
#define G_LOG_DOMAIN "vksh.blockjob"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vksh-storage.h"
#include "vksh.h"

/*
 * As virsh 9.0's virsh-domain.c: the --wait variants register the
 * BLOCK_JOB and BLOCK_JOB_2 events of the domain (matched on the disk as
 * given), poll the job every 500 ms (the event loop runs meanwhile, so
 * events are delivered), print "\rLABEL: [NNN %]" on stderr with
 * --verbose, abort on --timeout or SIGINT, then end the job as
 * --pivot/--finish/--keep-overlay ask. Messages go to stdout with a
 * leading newline; vksh adds the command's trailing newline.
 */

static const char *const vkshBlockJobNames[] = {
    "Unknown job",  "Block Pull",          "Block Copy",
    "Block Commit", "Active Block Commit", "Backup",
};

static const char *
vkshBlockJobToString(int type)
{
    if (type >= 0 && type < (int)G_N_ELEMENTS(vkshBlockJobNames))
        return vkshBlockJobNames[type];
    return "Unknown job";
}

/* virsh's virshPrintJobProgress */
static void
vkshPrintJobProgress(const char *label, unsigned long long remaining,
                     unsigned long long total)
{
    double progress = 100.00;

    if (remaining != 0) {
        progress = 1.0 - (double)remaining / (double)total;
        progress *= 100.00;
        if (progress > 99.00 && progress < 100.00)
            progress = 99;
    }
    fflush(stdout);
    fprintf(stderr, "\r%s: [%3d %%]", label, (int)progress);
    fflush(stderr);
}

/* vshCommandOptUInt / ULongLong (no wrap): 1 and *value, 0 absent, -1 reported */
static int
vkshBlockOptULL(vkshControl *ctl, const vkshCmd *cmd, const char *name,
                unsigned long long max, unsigned long long *value)
{
    const char *v = vkshOptRaw(cmd, name);
    char *end = NULL;
    unsigned long long n;

    if (!v)
        return 0;
    errno = 0;
    n = strtoull(v, &end, 10);
    if (!*v || *end || errno || n > max || strchr(v, '-')) {
        vkshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                  v, name);
        return -1;
    }
    *value = n;
    return 1;
}

/* virsh's vshCommandOptTimeoutToMs: 0 absent, 1 and *ms, -1 reported */
static int
vkshBlockOptTimeout(vkshControl *ctl, const vkshCmd *cmd, int *ms)
{
    unsigned long long t = 0;
    int rc;

    if ((rc = vkshBlockOptULL(ctl, cmd, "timeout", UINT_MAX, &t)) <= 0)
        return rc;
    if (t == 0 || t > INT_MAX / 1000) {
        vkshError(ctl,
                  "Numeric value '%llu' for <%s> option is malformed or out of range", t,
                  "timeout");
        return -1;
    }
    *ms = (int)t * 1000;
    return 1;
}

/* virsh's virshBlockJobOptionBandwidth: a plain number (negative ones
 * wrap, for history's sake) is taken as is; otherwise a scaled size in
 * bytes, shifted to MiB/s unless @bytes. */
static int
vkshBlockOptBandwidth(vkshControl *ctl, const vkshCmd *cmd, bool bytes,
                      unsigned long *bandwidth)
{
    const char *v = vkshOptRaw(cmd, "bandwidth");
    char *end = NULL;
    unsigned long long bw;

    if (!v)
        return 0;
    errno = 0;
    if (*v) {
        unsigned long n = strtoul(v, &end, 10);

        if (!*end && errno == 0) {
            *bandwidth = n;
            return 0;
        }
    }
    errno = 0;
    bw = strtoull(v, &end, 10);
    if (!*v || errno || end == v || strchr(v, '-')) {
        goto bad;
    } else {
        unsigned long long scale = 1;

        if (*end) {
            static const char units[] = "kmgtpe";
            const char *u = strchr(units, g_ascii_tolower(*end));
            unsigned long long base = 1024;

            if (!u)
                goto bad;
            if (end[1] == 'i' && end[2] == 'B' && !end[3])
                base = 1024;
            else if (end[1] == 'B' && !end[2])
                base = 1000;
            else if (end[1])
                goto bad;
            for (size_t i = 0; i <= (size_t)(u - units); i++)
                scale *= base;
        }
        if (bw > ULONG_MAX / scale)
            goto bad;
        bw *= scale;
    }
    if (!bytes)
        bw >>= 20;
    *bandwidth = bw;
    return 0;
bad:
    vkshError(ctl,
              "Scaled numeric value '%s' for <--bandwidth> option is malformed or out of "
              "range",
              v);
    return -1;
}

/* ---- waiting for a job ---------------------------------------------------- */

typedef struct {
    vkshControl *ctl;
    virDomainPtr dom;
    const char *dev;
    const char *jobName;
    bool verbose;
    int timeout; /* ms, 0: none */
    bool asyncAbort;
    int cbId;
    int cbId2;
    int status; /* -1 until an event of the disk arrives */
} vkshBlockJobWait;

static volatile sig_atomic_t vkshBlockIntCaught;

static void
vkshBlockCatchInt(int sig)
{
    (void)sig;
    vkshBlockIntCaught = 1;
}

static void
vkshBlockJobStatusHandler(virConnectPtr conn, virDomainPtr dom, const char *disk,
                          int type, int status, void *opaque)
{
    vkshBlockJobWait *data = opaque;

    (void)conn;
    (void)dom;
    (void)type;
    if (disk && g_str_equal(disk, data->dev))
        data->status = status;
}

static void
vkshBlockJobWaitFree(vkshBlockJobWait *data)
{
    if (!data)
        return;
    if (data->cbId >= 0)
        virConnectDomainEventDeregisterAny(data->ctl->conn, data->cbId);
    if (data->cbId2 >= 0)
        virConnectDomainEventDeregisterAny(data->ctl->conn, data->cbId2);
    g_free(data);
}

static vkshBlockJobWait *
vkshBlockJobWaitInit(vkshControl *ctl, virDomainPtr dom, const char *dev,
                     const char *jobName, bool verbose, int timeout, bool asyncAbort)
{
    vkshBlockJobWait *data = g_new0(vkshBlockJobWait, 1);

    data->ctl = ctl;
    data->dom = dom;
    data->dev = dev;
    data->jobName = jobName;
    data->verbose = verbose;
    data->timeout = timeout;
    data->asyncAbort = asyncAbort;
    data->status = -1;
    data->cbId = virConnectDomainEventRegisterAny(
        ctl->conn, dom, VIR_DOMAIN_EVENT_ID_BLOCK_JOB,
        VIR_DOMAIN_EVENT_CALLBACK((void (*)(void))vkshBlockJobStatusHandler), data, NULL);
    if (data->cbId < 0)
        vkshResetError();
    data->cbId2 = virConnectDomainEventRegisterAny(
        ctl->conn, dom, VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2,
        VIR_DOMAIN_EVENT_CALLBACK((void (*)(void))vkshBlockJobStatusHandler), data, NULL);
    if (data->cbId2 < 0)
        vkshResetError();
    return data;
}

static void
vkshBlockTimerFired(int timer, void *opaque)
{
    (void)timer;
    *(bool *)opaque = true;
}

/* virsh's 500 ms sleep, during which the event loop delivers events */
static void
vkshBlockJobPause(void)
{
    bool fired = false;
    int timer = virEventAddTimeout(500, vkshBlockTimerFired, &fired, NULL);

    if (timer < 0) {
        vkshResetError();
        g_usleep(500 * 1000);
        return;
    }
    while (!fired && !vkshBlockIntCaught)
        if (virEventRunDefaultImpl() < 0)
            break;
    virEventRemoveTimeout(timer);
}

/* virsh's virshBlockJobWait: the job's final status, or -1 after reporting */
static int
vkshBlockJobWaitRun(vkshBlockJobWait *data)
{
    unsigned int retries = 5;
    unsigned int abortFlags = 0;
    virDomainBlockJobInfo info = { 0 };
    virDomainBlockJobInfo last = { 0 };
    struct sigaction sa = { 0 };
    struct sigaction oldSa = { 0 };
    gint64 start = g_get_monotonic_time() / 1000;
    int ret = -1;

    if (data->asyncAbort)
        abortFlags |= VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC;
    vkshBlockIntCaught = 0;
    sa.sa_handler = vkshBlockCatchInt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &oldSa);

    while (true) {
        int result = virDomainGetBlockJobInfo(data->dom, data->dev, &info, 0);

        if (result < 0) {
            vkshError(data->ctl, "failed to query job for disk %s", data->dev);
            goto cleanup;
        }
        if ((data->cbId >= 0 || data->cbId2 >= 0) && data->status != -1) {
            ret = data->status;
            break;
        }
        if (data->cbId < 0 || data->cbId2 < 0) {
            if (result == 0) {
                ret = VIR_DOMAIN_BLOCK_JOB_COMPLETED;
                break;
            }
            if (info.end == info.cur &&
                ((data->cbId < 0 && data->cbId2 < 0) || --retries == 0)) {
                ret = VIR_DOMAIN_BLOCK_JOB_READY;
                break;
            }
        }
        if (data->verbose && (info.cur != last.cur || info.end != last.end))
            vkshPrintJobProgress(data->jobName, info.end - info.cur, info.end);
        last = info;

        if (vkshBlockIntCaught ||
            (data->timeout && g_get_monotonic_time() / 1000 - start > data->timeout)) {
            if (virDomainBlockJobAbort(data->dom, data->dev, abortFlags) < 0) {
                vkshError(data->ctl, "failed to abort job for disk '%s'", data->dev);
                goto cleanup;
            }
            ret = VIR_DOMAIN_BLOCK_JOB_CANCELED;
            break;
        }
        vkshBlockJobPause();
    }
    if (data->verbose &&
        (ret == VIR_DOMAIN_BLOCK_JOB_COMPLETED || ret == VIR_DOMAIN_BLOCK_JOB_READY))
        vkshPrintJobProgress(data->jobName, 0, 1);
cleanup:
    sigaction(SIGINT, &oldSa, NULL);
    return ret;
}

/* Waits for @data's job and reports how it ended, as virsh does after a
 * blocking blockcommit / blockcopy / blockpull (@verb: "Commit", "Copy",
 * "Pull"): "VERB aborted" / "VERB failed" make it false, as does an error
 * (reported); a job that completed or is ready makes it true. */
static bool
vkshBlockJobWaitReport(vkshControl *ctl, vkshBlockJobWait *data, const char *verb)
{
    switch (vkshBlockJobWaitRun(data)) {
    case -1:
        return false;
    case VIR_DOMAIN_BLOCK_JOB_CANCELED:
        vkshPrint(ctl, "\n%s aborted", verb);
        return false;
    case VIR_DOMAIN_BLOCK_JOB_FAILED:
        vkshPrint(ctl, "\n%s failed", verb);
        return false;
    default:
        return true;
    }
}

/* The end of a ready two-phase job (an active commit, a copy), as virsh:
 * --pivot switches to the new image, --finish ends the job keeping the
 * old one (@finished printed), otherwise it stays in its ready phase
 * (@ready printed). false after reporting a failed pivot or finish. */
static bool
vkshBlockJobComplete(vkshControl *ctl, virDomainPtr dom, const char *path,
                     unsigned int abortFlags, bool pivot, bool finish,
                     const char *finished, const char *ready)
{
    if (pivot) {
        if (virDomainBlockJobAbort(dom, path,
                                   abortFlags | VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT) < 0) {
            vkshError(ctl, "failed to pivot job for disk %s", path);
            return false;
        }
        vkshPrint(ctl, "\n%s", "Successfully pivoted");
    } else if (finish) {
        if (virDomainBlockJobAbort(dom, path, abortFlags) < 0) {
            vkshError(ctl, "failed to finish job for disk %s", path);
            return false;
        }
        vkshPrint(ctl, "\n%s", finished);
    } else {
        vkshPrint(ctl, "\n%s", ready);
    }
    return true;
}

/* ---- blockcommit ----------------------------------------------------------- */

const vkshOptDef vkshOptsBlockcommit[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "path", VKSH_OT_STRING, VKSH_OFLAG_REQ, "fully-qualified path of disk" },
    { "bandwidth", VKSH_OT_INT, 0, "bandwidth limit in MiB/s" },
    { "base", VKSH_OT_STRING, 0,
      "path of base file to commit into (default bottom of chain)" },
    { "shallow", VKSH_OT_BOOL, 0, "use backing file of top as base" },
    { "top", VKSH_OT_STRING, 0,
      "path of top file to commit from (default top of chain)" },
    { "active", VKSH_OT_BOOL, 0, "trigger two-stage active commit of top file" },
    { "delete", VKSH_OT_BOOL, 0, "delete files that were successfully committed" },
    { "wait", VKSH_OT_BOOL, 0,
      "wait for job to complete (with --active, wait for job to sync)" },
    { "verbose", VKSH_OT_BOOL, 0, "with --wait, display the progress" },
    { "timeout", VKSH_OT_INT, 0,
      "implies --wait, abort if copy exceeds timeout (in seconds)" },
    { "pivot", VKSH_OT_BOOL, 0, "implies --active --wait, pivot when commit is synced" },
    { "keep-overlay", VKSH_OT_BOOL, 0,
      "implies --active --wait, quit when commit is synced" },
    { "async", VKSH_OT_BOOL, 0, "with --wait, don't wait for cancel to finish" },
    { "keep-relative", VKSH_OT_BOOL, 0, "keep the backing chain relatively referenced" },
    { "bytes", VKSH_OT_BOOL, 0, "the bandwidth limit is in bytes/s rather than MiB/s" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdBlockcommit(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    bool verbose = vkshOptBool(cmd, "verbose");
    bool pivot = vkshOptBool(cmd, "pivot");
    bool finish = vkshOptBool(cmd, "keep-overlay");
    bool active = vkshOptBool(cmd, "active") || pivot || finish;
    bool blocking = vkshOptBool(cmd, "wait") || pivot || finish;
    bool async = vkshOptBool(cmd, "async");
    bool bytes = vkshOptBool(cmd, "bytes");
    int timeout = 0;
    const char *path = NULL;
    const char *base = NULL;
    const char *top = NULL;
    unsigned int abortFlags = 0;
    unsigned int flags = 0;
    unsigned long bandwidth = 0;
    vkshBlockJobWait *bjWait = NULL;
    bool ret = false;

    if (!vkshOptExclusive(ctl, cmd, "pivot", "keep-overlay"))
        return false;
    if (vkshOptString(ctl, cmd, "path", &path) < 0 ||
        vkshOptString(ctl, cmd, "base", &base) < 0 ||
        vkshOptString(ctl, cmd, "top", &top) < 0)
        return false;
    if (vkshBlockOptBandwidth(ctl, cmd, bytes, &bandwidth) < 0)
        return false;
    if (bytes)
        flags |= VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES;
    if (vkshOptBool(cmd, "shallow"))
        flags |= VIR_DOMAIN_BLOCK_COMMIT_SHALLOW;
    if (vkshOptBool(cmd, "delete"))
        flags |= VIR_DOMAIN_BLOCK_COMMIT_DELETE;
    if (active)
        flags |= VIR_DOMAIN_BLOCK_COMMIT_ACTIVE;
    if (vkshOptBool(cmd, "keep-relative"))
        flags |= VIR_DOMAIN_BLOCK_COMMIT_RELATIVE;
    if (vkshBlockOptTimeout(ctl, cmd, &timeout) < 0)
        return false;
    if (timeout)
        blocking = true;
    if (!blocking) {
        if (verbose) {
            vkshError(ctl, "%s",
                      "--verbose requires at least one of --timeout, --wait, --pivot, or "
                      "--keep-overlay");
            return false;
        }
        if (async) {
            vkshError(ctl, "%s",
                      "--async requires at least one of --timeout, --wait, --pivot, or "
                      "--keep-overlay");
            return false;
        }
    }
    if (async)
        abortFlags |= VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (blocking)
        bjWait =
            vkshBlockJobWaitInit(ctl, dom, path, "Block commit", verbose, timeout, async);

    if (virDomainBlockCommit(dom, path, base, top, bandwidth, flags) < 0)
        goto cleanup;
    if (!blocking) {
        vkshPrint(ctl, "%s",
                  active ? "Active Block Commit started" : "Block Commit started");
        ret = true;
        goto cleanup;
    }
    if (!vkshBlockJobWaitReport(ctl, bjWait, "Commit"))
        goto cleanup;
    if (!active)
        vkshPrint(ctl, "\n%s", "Commit complete");
    else if (!vkshBlockJobComplete(ctl, dom, path, abortFlags, pivot, finish,
                                   "Commit complete, overlay image kept",
                                   "Now in synchronized phase"))
        goto cleanup;
    ret = true;
cleanup:
    vkshBlockJobWaitFree(bjWait);
    return ret;
}

/* ---- blockcopy ------------------------------------------------------------- */

const vkshOptDef vkshOptsBlockcopy[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "path", VKSH_OT_STRING, VKSH_OFLAG_REQ, "fully-qualified path of source disk" },
    { "dest", VKSH_OT_STRING, 0, "path of the copy to create" },
    { "bandwidth", VKSH_OT_INT, 0, "bandwidth limit in MiB/s" },
    { "shallow", VKSH_OT_BOOL, 0, "make the copy share a backing chain" },
    { "reuse-external", VKSH_OT_BOOL, 0, "reuse existing destination" },
    { "blockdev", VKSH_OT_BOOL, 0,
      "copy destination is block device instead of regular file" },
    { "wait", VKSH_OT_BOOL, 0, "wait for job to reach mirroring phase" },
    { "verbose", VKSH_OT_BOOL, 0, "with --wait, display the progress" },
    { "timeout", VKSH_OT_INT, 0,
      "implies --wait, abort if copy exceeds timeout (in seconds)" },
    { "pivot", VKSH_OT_BOOL, 0, "implies --wait, pivot when mirroring starts" },
    { "finish", VKSH_OT_BOOL, 0, "implies --wait, quit when mirroring starts" },
    { "async", VKSH_OT_BOOL, 0, "with --wait, don't wait for cancel to finish" },
    { "xml", VKSH_OT_STRING, 0,
      "filename containing XML description of the copy destination" },
    { "format", VKSH_OT_STRING, 0, "format of the destination file" },
    { "granularity", VKSH_OT_INT, 0, "power-of-two granularity to use during the copy" },
    { "buf-size", VKSH_OT_INT, 0, "maximum amount of in-flight data during the copy" },
    { "bytes", VKSH_OT_BOOL, 0, "the bandwidth limit is in bytes/s rather than MiB/s" },
    { "transient-job", VKSH_OT_BOOL, 0,
      "the copy job is not persisted if VM is turned off" },
    { "synchronous-writes", VKSH_OT_BOOL, 0,
      "the copy job forces guest writes to be synchronously written to the destination" },
    { "print-xml", VKSH_OT_BOOL, 0,
      "print the XML used to start the copy job instead of starting the job" },
    { NULL, 0, 0, NULL },
};

/* the destination <disk> virsh builds from --dest/--format/--blockdev */
static char *
vkshBlockCopyXML(const char *dest, const char *format, bool blockdev)
{
    GString *s = g_string_new(NULL);
    g_autofree char *d = g_markup_escape_text(dest, -1);

    g_string_append_printf(s, "<disk type='%s'>\n", blockdev ? "block" : "file");
    g_string_append_printf(s, "  <source %s='%s'/>\n", blockdev ? "dev" : "file", d);
    if (format) {
        g_autofree char *f = g_markup_escape_text(format, -1);

        g_string_append_printf(s, "  <driver type='%s'/>\n", f);
    }
    g_string_append(s, "</disk>\n");
    return g_string_free(s, false);
}

static bool
vkshBlockCopyParams(vkshControl *ctl, unsigned long bandwidth, bool bytes,
                    unsigned int granularity, unsigned long long bufSize,
                    virTypedParameterPtr *params, int *nparams, int *maxparams)
{
    if (bandwidth) {
        unsigned long long bw = bandwidth;

        if (!bytes) {
            unsigned long long limit = MIN(ULONG_MAX, ULLONG_MAX >> 20);

            if (bw > limit) {
                vkshError(ctl, "bandwidth must be less than %llu", limit);
                return false;
            }
            bw <<= 20ULL;
        }
        if (virTypedParamsAddULLong(params, nparams, maxparams,
                                    VIR_DOMAIN_BLOCK_COPY_BANDWIDTH, bw) < 0)
            return false;
    }
    if (granularity &&
        virTypedParamsAddUInt(params, nparams, maxparams,
                              VIR_DOMAIN_BLOCK_COPY_GRANULARITY, granularity) < 0)
        return false;
    if (bufSize && virTypedParamsAddULLong(params, nparams, maxparams,
                                           VIR_DOMAIN_BLOCK_COPY_BUF_SIZE, bufSize) < 0)
        return false;
    return true;
}

bool
vkshCmdBlockcopy(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *dest = NULL;
    const char *format = NULL;
    const char *path = NULL;
    const char *xml = NULL;
    g_autofree char *xmlstr = NULL;
    unsigned long bandwidth = 0;
    unsigned long long granularity = 0;
    unsigned long long bufSize = 0;
    unsigned int flags = 0;
    unsigned int abortFlags = 0;
    bool verbose = vkshOptBool(cmd, "verbose");
    bool pivot = vkshOptBool(cmd, "pivot");
    bool finish = vkshOptBool(cmd, "finish");
    bool blockdev = vkshOptBool(cmd, "blockdev");
    bool blocking = vkshOptBool(cmd, "wait") || finish || pivot;
    bool async = vkshOptBool(cmd, "async");
    bool bytes = vkshOptBool(cmd, "bytes");
    bool transientJob = vkshOptBool(cmd, "transient-job");
    bool syncWrites = vkshOptBool(cmd, "synchronous-writes");
    bool printXML = vkshOptBool(cmd, "print-xml");
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    int maxparams = 0;
    int timeout = 0;
    vkshBlockJobWait *bjWait = NULL;
    bool ret = false;

    if (vkshOptString(ctl, cmd, "path", &path) < 0 ||
        vkshOptString(ctl, cmd, "dest", &dest) < 0 ||
        vkshOptString(ctl, cmd, "xml", &xml) < 0 ||
        vkshOptString(ctl, cmd, "format", &format) < 0)
        return false;
    if (vkshBlockOptBandwidth(ctl, cmd, bytes, &bandwidth) < 0)
        return false;
    if (vkshBlockOptULL(ctl, cmd, "granularity", UINT_MAX, &granularity) < 0)
        return false;
    if (vkshBlockOptULL(ctl, cmd, "buf-size", ULLONG_MAX, &bufSize) < 0)
        return false;
    /* some REBASE_* and COPY_* flags have the same values */
    if (vkshOptBool(cmd, "shallow"))
        flags |= VIR_DOMAIN_BLOCK_REBASE_SHALLOW;
    if (vkshOptBool(cmd, "reuse-external"))
        flags |= VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT;
    if (transientJob)
        flags |= VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB;
    if (syncWrites)
        flags |= VIR_DOMAIN_BLOCK_COPY_SYNCHRONOUS_WRITES;
    if (vkshBlockOptTimeout(ctl, cmd, &timeout) < 0)
        return false;
    if (timeout)
        blocking = true;
    if (async)
        abortFlags |= VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC;
    if (!vkshOptExclusive(ctl, cmd, "dest", "xml") ||
        !vkshOptExclusive(ctl, cmd, "format", "xml") ||
        !vkshOptExclusive(ctl, cmd, "blockdev", "xml") ||
        !vkshOptExclusive(ctl, cmd, "pivot", "finish"))
        return false;
    if (!dest && !xml) {
        vkshError(ctl, "%s", "need either --dest or --xml");
        return false;
    }
    if (!blocking) {
        if (verbose) {
            vkshError(ctl, "%s",
                      "--verbose requires at least one of --timeout, --wait, --pivot, or "
                      "--finish");
            return false;
        }
        if (async) {
            vkshError(ctl, "%s",
                      "--async requires at least one of --timeout, --wait, --pivot, or "
                      "--finish");
            return false;
        }
    }
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (blocking && !printXML)
        bjWait =
            vkshBlockJobWaitInit(ctl, dom, path, "Block Copy", verbose, timeout, async);
    if (xml && !(xmlstr = vkshReadFile(ctl, xml)))
        goto cleanup;

    if (granularity || bufSize || (format && !g_str_equal(format, "raw")) || xml ||
        transientJob || syncWrites || printXML) {
        if (!vkshBlockCopyParams(ctl, bandwidth, bytes, (unsigned int)granularity,
                                 bufSize, &params, &nparams, &maxparams))
            goto cleanup;
        if (!xmlstr)
            xmlstr = vkshBlockCopyXML(dest, format, blockdev);
        if (printXML) {
            vkshPrint(ctl, "%s", xmlstr);
            ret = true;
            goto cleanup;
        }
        if (virDomainBlockCopy(dom, path, xmlstr, params, nparams, flags) < 0)
            goto cleanup;
    } else {
        flags |= VIR_DOMAIN_BLOCK_REBASE_COPY;
        if (blockdev)
            flags |= VIR_DOMAIN_BLOCK_REBASE_COPY_DEV;
        if (format && g_str_equal(format, "raw"))
            flags |= VIR_DOMAIN_BLOCK_REBASE_COPY_RAW;
        if (bytes)
            flags |= VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES;
        if (virDomainBlockRebase(dom, path, dest, bandwidth, flags) < 0)
            goto cleanup;
    }
    if (!blocking) {
        vkshPrint(ctl, "%s", "Block Copy started");
        ret = true;
        goto cleanup;
    }
    if (!vkshBlockJobWaitReport(ctl, bjWait, "Copy") ||
        !vkshBlockJobComplete(ctl, dom, path, abortFlags, pivot, finish,
                              "Successfully copied", "Now in mirroring phase"))
        goto cleanup;
    ret = true;
cleanup:
    virTypedParamsFree(params, nparams);
    vkshBlockJobWaitFree(bjWait);
    return ret;
}

/* ---- blockpull ------------------------------------------------------------- */

const vkshOptDef vkshOptsBlockpull[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "path", VKSH_OT_STRING, VKSH_OFLAG_REQ, "fully-qualified path of disk" },
    { "bandwidth", VKSH_OT_INT, 0, "bandwidth limit in MiB/s" },
    { "base", VKSH_OT_STRING, 0, "path of backing file in chain for a partial pull" },
    { "wait", VKSH_OT_BOOL, 0, "wait for job to finish" },
    { "verbose", VKSH_OT_BOOL, 0, "with --wait, display the progress" },
    { "timeout", VKSH_OT_INT, 0,
      "with --wait, abort if pull exceeds timeout (in seconds)" },
    { "async", VKSH_OT_BOOL, 0, "with --wait, don't wait for cancel to finish" },
    { "keep-relative", VKSH_OT_BOOL, 0, "keep the backing chain relatively referenced" },
    { "bytes", VKSH_OT_BOOL, 0, "the bandwidth limit is in bytes/s rather than MiB/s" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdBlockpull(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    bool blocking = vkshOptBool(cmd, "wait");
    bool verbose = vkshOptBool(cmd, "verbose");
    bool async = vkshOptBool(cmd, "async");
    bool bytes = vkshOptBool(cmd, "bytes");
    int timeout = 0;
    const char *path = NULL;
    const char *base = NULL;
    unsigned long bandwidth = 0;
    unsigned int flags = 0;
    vkshBlockJobWait *bjWait = NULL;
    bool ret = false;

    if (verbose && !blocking) {
        vkshError(ctl, "Option --%s is required by option --%s", "wait", "verbose");
        return false;
    }
    if (async && !blocking) {
        vkshError(ctl, "Option --%s is required by option --%s", "wait", "async");
        return false;
    }
    if (vkshOptString(ctl, cmd, "path", &path) < 0 ||
        vkshOptString(ctl, cmd, "base", &base) < 0)
        return false;
    if (vkshBlockOptBandwidth(ctl, cmd, bytes, &bandwidth) < 0)
        return false;
    if (vkshBlockOptTimeout(ctl, cmd, &timeout) < 0)
        return false;
    if (vkshOptBool(cmd, "keep-relative"))
        flags |= VIR_DOMAIN_BLOCK_REBASE_RELATIVE;
    if (bytes)
        flags |= VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES;
    if (timeout)
        blocking = true;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (blocking)
        bjWait =
            vkshBlockJobWaitInit(ctl, dom, path, "Block Pull", verbose, timeout, async);

    if (base || flags) {
        if (virDomainBlockRebase(dom, path, base, bandwidth, flags) < 0)
            goto cleanup;
    } else if (virDomainBlockPull(dom, path, bandwidth, 0) < 0) {
        goto cleanup;
    }
    if (!blocking) {
        vkshPrint(ctl, "%s", "Block Pull started");
        ret = true;
        goto cleanup;
    }
    if (!vkshBlockJobWaitReport(ctl, bjWait, "Pull"))
        goto cleanup;
    vkshPrint(ctl, "\n%s", "Pull complete");
    ret = true;
cleanup:
    vkshBlockJobWaitFree(bjWait);
    return ret;
}

/* ---- blockjob -------------------------------------------------------------- */

const vkshOptDef vkshOptsBlockjob[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "path", VKSH_OT_STRING, VKSH_OFLAG_REQ, "fully-qualified path of disk" },
    { "abort", VKSH_OT_BOOL, 0, "abort the active job on the specified disk" },
    { "async", VKSH_OT_BOOL, 0, "implies --abort; request but don't wait for job end" },
    { "pivot", VKSH_OT_BOOL, 0,
      "implies --abort; conclude and pivot a copy or commit job" },
    { "info", VKSH_OT_BOOL, 0, "get active job information for the specified disk" },
    { "bytes", VKSH_OT_BOOL, 0, "get/set bandwidth in bytes rather than MiB/s" },
    { "raw", VKSH_OT_BOOL, 0,
      "implies --info; output details rather than human summary" },
    { "bandwidth", VKSH_OT_INT, 0, "set the bandwidth limit in MiB/s" },
    { NULL, 0, 0, NULL },
};

static bool
vkshBlockJobInfo(vkshControl *ctl, virDomainPtr dom, const char *path, bool raw,
                 bool bytes)
{
    virDomainBlockJobInfo info = { 0 };
    unsigned long long speed = 0;
    unsigned int flags = 0;
    int rc = -1;

    if (bytes || !raw) {
        flags |= VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES;
        rc = virDomainGetBlockJobInfo(dom, path, &info, flags);
        if (rc < 0) {
            int code = vkshLastErrorCode();

            if (code != VIR_ERR_INVALID_ARG && code != VIR_ERR_OVERFLOW)
                return false;
            if (bytes) {
                vkshError(ctl, "%s", "failed to query job for disk");
                return false;
            }
            vkshResetError();
            rc = -1;
        }
        speed = info.bandwidth;
    }
    if (rc < 0) {
        flags &= ~VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES;
        if ((rc = virDomainGetBlockJobInfo(dom, path, &info, flags)) < 0)
            return false;
        speed = info.bandwidth;
        if (!raw) {
            speed <<= 20;
            if (speed >> 20 != info.bandwidth) {
                vkshError(ctl, "overflow in converting %ld MiB/s to bytes\n",
                          info.bandwidth);
                return false;
            }
        }
    }
    if (rc == 0) {
        if (!raw)
            vkshPrintExtra(ctl, "No current block job for %s", path);
        return true;
    }
    if (raw) {
        vkshPrint(ctl, " type=%s\n bandwidth=%lu\n cur=%llu\n end=%llu\n",
                  vkshBlockJobToString(info.type), info.bandwidth, info.cur, info.end);
    } else {
        vkshPrintJobProgress(vkshBlockJobToString(info.type), info.end - info.cur,
                             info.end);
        if (speed) {
            const char *unit;
            double val = vkshPrettyCapacity(speed, &unit);

            vkshPrint(ctl, "    Bandwidth limit: %llu bytes/s (%-.3lf %s/s)", speed, val,
                      unit);
        }
        vkshPrint(ctl, "\n");
    }
    return true;
}

bool
vkshCmdBlockjob(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    bool raw = vkshOptBool(cmd, "raw");
    bool bytes = vkshOptBool(cmd, "bytes");
    bool abortMode = vkshOptBool(cmd, "abort");
    bool pivot = vkshOptBool(cmd, "pivot");
    bool async = vkshOptBool(cmd, "async");
    bool bandwidth = vkshOptBool(cmd, "bandwidth");
    const char *path = NULL;

    if (!vkshOptExclusive(ctl, cmd, "raw", "abort") ||
        !vkshOptExclusive(ctl, cmd, "raw", "pivot") ||
        !vkshOptExclusive(ctl, cmd, "raw", "async") ||
        !vkshOptExclusive(ctl, cmd, "raw", "bandwidth") ||
        !vkshOptExclusive(ctl, cmd, "info", "abort") ||
        !vkshOptExclusive(ctl, cmd, "info", "pivot") ||
        !vkshOptExclusive(ctl, cmd, "info", "async") ||
        !vkshOptExclusive(ctl, cmd, "info", "bandwidth"))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "path", &path) < 0)
        return false;

    if (bandwidth) {
        unsigned long bw = 0;
        unsigned int flags = bytes ? VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES : 0;

        if (vkshBlockOptBandwidth(ctl, cmd, bytes, &bw) < 0)
            return false;
        return virDomainBlockJobSetSpeed(dom, path, bw, flags) == 0;
    }
    if (abortMode || pivot || async) {
        unsigned int flags = 0;

        if (async)
            flags |= VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC;
        if (pivot)
            flags |= VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT;
        return virDomainBlockJobAbort(dom, path, flags) == 0;
    }
    return vkshBlockJobInfo(ctl, dom, path, raw, bytes);
}
