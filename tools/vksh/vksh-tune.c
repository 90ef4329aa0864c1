/* vksh-tune.c: memtune, blkiotune, numatune, perf, vcpupin, emulatorpin, iothread* (as virsh 9.0) */
#define G_LOG_DOMAIN "vksh.tune"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "vksh.h"

/* Every output below is virsh 9.0's (tools/virsh-domain.c), byte for byte. */

bool
vkshTuneFlags(vkshControl *ctl, const vkshCmd *cmd, unsigned int *flags)
{
    if (!vkshOptExclusive(ctl, cmd, "current", "live") ||
        !vkshOptExclusive(ctl, cmd, "current", "config"))
        return false;
    *flags = VIR_DOMAIN_AFFECT_CURRENT;
    if (vkshOptBool(cmd, "config"))
        *flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (vkshOptBool(cmd, "live"))
        *flags |= VIR_DOMAIN_AFFECT_LIVE;
    return true;
}

bool
vkshDeviceTuneRun(vkshControl *ctl, virDomainPtr dom, const char *device,
                  virTypedParameterPtr *params, int *nparams, unsigned int flags,
                  const vkshDeviceTune *tune)
{
    if (*nparams > 0) {
        if (tune->set(dom, device, *params, *nparams, flags) != 0) {
            vkshError(ctl, "%s", tune->setError);
            return false;
        }
        return true;
    }
    if (tune->get(dom, tune->countNamesDevice ? device : NULL, NULL, nparams, flags) !=
        0) {
        vkshError(ctl, "%s", tune->countError);
        return false;
    }
    if (*nparams == 0)
        return true;
    *params = g_new0(virTypedParameter, *nparams);
    if (tune->get(dom, device, *params, nparams, flags) != 0) {
        vkshError(ctl, "%s", tune->getError);
        return false;
    }
    for (int i = 0; i < *nparams; i++) {
        g_autofree char *str = vkshTypedParamValue(&(*params)[i], false);

        vkshPrint(ctl, "%-15s: %s\n", (*params)[i].field, str);
    }
    return true;
}

/* virsh's virScaleInteger suffixes over @value (in units of @scale). */
static bool
vkshTuneScale(unsigned long long *value, const char *suffix, unsigned long long scale)
{
    if (!vkshScaleSuffix(suffix, scale, &scale))
        return false;
    if (*value > (unsigned long long)LLONG_MAX / scale)
        return false;
    *value *= scale;
    return true;
}

/* virsh's virshMemtuneGetSize: 1 and *kib set, 0 absent, -1 bad. A
 * negative number means unlimited. */
static int
vkshMemtuneSize(const vkshCmd *cmd, const char *name, unsigned long long *kib,
                const char **badSuffix)
{
    const char *str = vkshOptRaw(cmd, name);
    char *end = NULL;
    long long v;
    unsigned long long bytes;

    if (!str)
        return 0;
    errno = 0;
    v = strtoll(str, &end, 10);
    if (errno || end == str)
        return -1;
    if (v < 0) {
        *kib = VIR_DOMAIN_MEMORY_PARAM_UNLIMITED;
        return 1;
    }
    bytes = (unsigned long long)v;
    if (!vkshTuneScale(&bytes, end, 1024)) {
        *badSuffix = end;
        return -1;
    }
    *kib = (bytes + 1023) / 1024;
    return 1;
}

/* ---- memtune ---------------------------------------------------------------- */

const vkshOptDef vkshOptsMemtune[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "hard-limit", VKSH_OT_INT, VKSH_OFLAG_NAMED,
      "Max memory, as scaled integer (default KiB)" },
    { "soft-limit", VKSH_OT_INT, VKSH_OFLAG_NAMED,
      "Memory during contention, as scaled integer (default KiB)" },
    { "swap-hard-limit", VKSH_OT_INT, VKSH_OFLAG_NAMED,
      "Max memory plus swap, as scaled integer (default KiB)" },
    { "min-guarantee", VKSH_OT_INT, VKSH_OFLAG_NAMED,
      "Min guaranteed memory, as scaled integer (default KiB)" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdMemtune(vkshControl *ctl, const vkshCmd *cmd)
{
    static const char *const opts[][2] = {
        { "hard-limit", VIR_DOMAIN_MEMORY_HARD_LIMIT },
        { "soft-limit", VIR_DOMAIN_MEMORY_SOFT_LIMIT },
        { "swap-hard-limit", VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT },
        { "min-guarantee", VIR_DOMAIN_MEMORY_MIN_GUARANTEE },
    };
    g_autoptr(virDomain) dom = NULL;
    virTypedParameterPtr params = NULL;
    int nparams = 0, maxparams = 0;
    unsigned int flags;
    bool ok = false;

    if (!vkshTuneFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    for (size_t i = 0; i < G_N_ELEMENTS(opts); i++) {
        unsigned long long kib;
        const char *badSuffix = NULL;
        int rc = vkshMemtuneSize(cmd, opts[i][0], &kib, &badSuffix);

        if (rc < 0) {
            vkshError(ctl, "Unable to parse integer parameter %s", opts[i][0]);
            /* then libvirt's own, from virScaleInteger in virsh's process */
            if (badSuffix)
                vkshError(ctl, "invalid argument: unknown suffix '%s'", badSuffix);
            goto cleanup;
        }
        if (rc == 1)
            virTypedParamsAddULLong(&params, &nparams, &maxparams, opts[i][1], kib);
    }
    if (nparams == 0) {
        if (virDomainGetMemoryParameters(dom, NULL, &nparams, flags) != 0) {
            vkshError(ctl, "%s", "Unable to get number of memory parameters");
            goto cleanup;
        }
        if (nparams == 0) {
            ok = true;
            goto cleanup;
        }
        params = g_new0(virTypedParameter, nparams);
        if (virDomainGetMemoryParameters(dom, params, &nparams, flags) != 0) {
            vkshError(ctl, "%s", "Unable to get memory parameters");
            goto cleanup;
        }
        for (int i = 0; i < nparams; i++) {
            if (params[i].type == VIR_TYPED_PARAM_ULLONG &&
                params[i].value.ul ==
                    (unsigned long long)VIR_DOMAIN_MEMORY_PARAM_UNLIMITED) {
                vkshPrint(ctl, "%-15s: %s\n", params[i].field, "unlimited");
            } else {
                g_autofree char *str = vkshTypedParamValue(&params[i], false);

                vkshPrint(ctl, "%-15s: %s\n", params[i].field, str);
            }
        }
    } else if (virDomainSetMemoryParameters(dom, params, nparams, flags) != 0) {
        vkshError(ctl, "%s", "Unable to change memory parameters");
        goto cleanup;
    }
    ok = true;

cleanup:
    virTypedParamsFree(params, nparams);
    return ok;
}

/* ---- blkiotune -------------------------------------------------------------- */

const vkshOptDef vkshOptsBlkiotune[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "weight", VKSH_OT_INT, VKSH_OFLAG_NAMED, "IO Weight" },
    { "device-weights", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "per-device IO Weights, in the form of /path/to/device,weight,..." },
    { "device-read-iops-sec", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "per-device read I/O limit per second, in the form of "
      "/path/to/device,read_iops_sec,..." },
    { "device-write-iops-sec", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "per-device write I/O limit per second, in the form of "
      "/path/to/device,write_iops_sec,..." },
    { "device-read-bytes-sec", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "per-device bytes read per second, in the form of /path/to/device,read_bytes_sec,..." },
    { "device-write-bytes-sec", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "per-device bytes wrote per second, in the form of "
      "/path/to/device,write_bytes_sec,..." },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdBlkiotune(vkshControl *ctl, const vkshCmd *cmd)
{
    static const char *const opts[][2] = {
        { "device-weights", VIR_DOMAIN_BLKIO_DEVICE_WEIGHT },
        { "device-read-iops-sec", VIR_DOMAIN_BLKIO_DEVICE_READ_IOPS },
        { "device-write-iops-sec", VIR_DOMAIN_BLKIO_DEVICE_WRITE_IOPS },
        { "device-read-bytes-sec", VIR_DOMAIN_BLKIO_DEVICE_READ_BPS },
        { "device-write-bytes-sec", VIR_DOMAIN_BLKIO_DEVICE_WRITE_BPS },
    };
    g_autoptr(virDomain) dom = NULL;
    virTypedParameterPtr params = NULL;
    int nparams = 0, maxparams = 0;
    unsigned int flags;
    int weight = 0, rc;
    bool ok = false;

    if (!vkshTuneFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((rc = vkshOptInt(ctl, cmd, "weight", &weight)) < 0)
        goto cleanup;
    if (rc > 0) {
        if (weight <= 0) {
            vkshError(ctl, "Invalid value of %d for I/O weight", weight);
            goto cleanup;
        }
        virTypedParamsAddUInt(&params, &nparams, &maxparams, VIR_DOMAIN_BLKIO_WEIGHT,
                              (unsigned int)weight);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(opts); i++) {
        const char *val = vkshOptRaw(cmd, opts[i][0]);

        if (val)
            virTypedParamsAddString(&params, &nparams, &maxparams, opts[i][1], val);
    }
    if (nparams == 0) {
        if (virDomainGetBlkioParameters(dom, NULL, &nparams, flags) != 0) {
            vkshError(ctl, "%s", "Unable to get number of blkio parameters");
            goto cleanup;
        }
        if (nparams == 0) {
            ok = true;
            goto cleanup;
        }
        params = g_new0(virTypedParameter, nparams);
        if (virDomainGetBlkioParameters(dom, params, &nparams, flags) != 0) {
            vkshError(ctl, "%s", "Unable to get blkio parameters");
            goto cleanup;
        }
        for (int i = 0; i < nparams; i++) {
            g_autofree char *str = vkshTypedParamValue(&params[i], false);

            vkshPrint(ctl, "%-15s: %s\n", params[i].field, str);
        }
    } else if (virDomainSetBlkioParameters(dom, params, nparams, flags) < 0) {
        vkshError(ctl, "%s", "Unable to change blkio parameters");
        goto cleanup;
    }
    ok = true;

cleanup:
    virTypedParamsFree(params, nparams);
    return ok;
}

/* ---- numatune --------------------------------------------------------------- */

static const char *const vkshNumaModes[] = { "strict", "preferred", "interleave",
                                             "restrictive" };

const vkshOptDef vkshOptsNumatune[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "mode", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "NUMA mode, one of strict, preferred and interleave \n"
      "or a number from the virDomainNumatuneMemMode enum" },
    { "nodeset", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "NUMA node selections to set" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdNumatune(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    virTypedParameterPtr params = NULL;
    int nparams = 0, maxparams = 0;
    unsigned int flags;
    const char *nodeset = NULL, *mode = NULL;
    bool ok = false;

    if (!vkshTuneFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "nodeset", &nodeset) < 0)
        goto cleanup;
    if (nodeset)
        virTypedParamsAddString(&params, &nparams, &maxparams, VIR_DOMAIN_NUMA_NODESET,
                                nodeset);
    if (vkshOptString(ctl, cmd, "mode", &mode) < 0)
        goto cleanup;
    if (mode) {
        int m = -1;

        for (size_t i = 0; i < G_N_ELEMENTS(vkshNumaModes); i++) {
            if (strcmp(mode, vkshNumaModes[i]) == 0)
                m = (int)i;
        }
        if (m < 0) {
            char *end = NULL;
            long v;

            errno = 0;
            v = strtol(mode, &end, 0);
            if (errno || end == mode || *end || v < INT_MIN || v > INT_MAX) {
                vkshError(ctl, "Invalid mode: %s", mode);
                goto cleanup;
            }
            m = (int)v;
        }
        virTypedParamsAddInt(&params, &nparams, &maxparams, VIR_DOMAIN_NUMA_MODE, m);
    }
    if (nparams == 0) {
        if (virDomainGetNumaParameters(dom, NULL, &nparams, flags) != 0) {
            vkshError(ctl, "%s", "Unable to get number of memory parameters");
            goto cleanup;
        }
        if (nparams == 0) {
            ok = true;
            goto cleanup;
        }
        params = g_new0(virTypedParameter, nparams);
        if (virDomainGetNumaParameters(dom, params, &nparams, flags) != 0) {
            vkshError(ctl, "%s", "Unable to get numa parameters");
            goto cleanup;
        }
        for (int i = 0; i < nparams; i++) {
            if (params[i].type == VIR_TYPED_PARAM_INT &&
                strcmp(params[i].field, VIR_DOMAIN_NUMA_MODE) == 0) {
                int m = params[i].value.i;

                vkshPrint(ctl, "%-15s: %s\n", params[i].field,
                          m >= 0 && m < (int)G_N_ELEMENTS(vkshNumaModes)
                              ? vkshNumaModes[m]
                              : "(null)");
            } else {
                g_autofree char *str = vkshTypedParamValue(&params[i], false);

                vkshPrint(ctl, "%-15s: %s\n", params[i].field, str);
            }
        }
    } else if (virDomainSetNumaParameters(dom, params, nparams, flags) != 0) {
        vkshError(ctl, "%s", "Unable to change numa parameters");
        goto cleanup;
    }
    ok = true;

cleanup:
    virTypedParamsFree(params, nparams);
    return ok;
}

/* ---- perf ----------------------------------------------------------------------- */

const vkshOptDef vkshOptsPerf[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "enable", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "perf events which will be enabled" },
    { "disable", VKSH_OT_STRING, VKSH_OFLAG_NAMED, "perf events which will be disabled" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

/* virsh's virshParseEventStr: comma-separated names, empty ones skipped. */
static void
vkshPerfAddEvents(const char *list, bool state, virTypedParameterPtr *params,
                  int *nparams, int *maxparams)
{
    g_auto(GStrv) names = g_strsplit(list, ",", 0);

    for (char **n = names; *n; n++) {
        if (**n)
            virTypedParamsAddBoolean(params, nparams, maxparams, *n, state);
    }
}

static void
vkshPerfPrint(vkshControl *ctl, const virTypedParameter *params, int nparams)
{
    for (int i = 0; i < nparams; i++) {
        bool on = params[i].type == VIR_TYPED_PARAM_BOOLEAN && params[i].value.b;

        vkshPrintExtra(ctl, "%-15s: %s\n", params[i].field, on ? "enabled" : "disabled");
    }
}

bool
vkshCmdPerf(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    virTypedParameterPtr params = NULL;
    int nparams = 0, maxparams = 0;
    const char *enable = NULL, *disable = NULL;
    unsigned int flags;
    bool ok = false;

    if (!vkshTuneFlags(ctl, cmd, &flags))
        return false;
    if (vkshOptString(ctl, cmd, "enable", &enable) < 0 ||
        vkshOptString(ctl, cmd, "disable", &disable) < 0)
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (enable)
        vkshPerfAddEvents(enable, true, &params, &nparams, &maxparams);
    if (disable)
        vkshPerfAddEvents(disable, false, &params, &nparams, &maxparams);
    if (nparams == 0) {
        if (virDomainGetPerfEvents(dom, &params, &nparams, flags) != 0) {
            vkshError(ctl, "%s", "Unable to get perf events");
            goto cleanup;
        }
    } else if (virDomainSetPerfEvents(dom, params, nparams, flags) != 0) {
        vkshError(ctl, "%s", "Unable to enable/disable perf events");
        goto cleanup;
    }
    vkshPerfPrint(ctl, params, nparams);
    ok = true;

cleanup:
    virTypedParamsFree(params, nparams);
    return ok;
}

/* ---- vcpupin / emulatorpin ------------------------------------------------------ */

/* virsh's virshNodeGetCPUCount. */
static int
vkshNodeCpuCount(vkshControl *ctl)
{
    int n = virNodeGetCPUMap(ctl->conn, NULL, NULL, 0);

    if (n < 0) {
        virNodeInfo info;

        vkshResetError();
        if (virNodeGetInfo(ctl->conn, &info) < 0)
            return -1;
        n = (int)(info.nodes * info.sockets * info.cores * info.threads);
    }
    return n;
}

/* libvirt's virBitmapDataFormat: "0-1,3"; "" when empty. */
static char *
vkshCpumapFormat(const unsigned char *map, int maplen)
{
    GString *out = g_string_new(NULL);
    int nbits = maplen * 8;

    for (int i = 0; i < nbits; i++) {
        int j = i;

        if (!VIR_CPU_USED(map, i))
            continue;
        while (j + 1 < nbits && VIR_CPU_USED(map, j + 1))
            j++;
        if (out->len)
            g_string_append_c(out, ',');
        if (j == i)
            g_string_append_printf(out, "%d", i);
        else
            g_string_append_printf(out, "%d-%d", i, j);
        i = j;
    }
    return g_string_free(out, FALSE);
}

/* virsh's virshParseCPUList: "r" is every CPU; NULL after the messages. */
static unsigned char *
vkshParseCpuList(vkshControl *ctl, int *maplen, const char *cpulist, int maxcpu)
{
    g_autofree unsigned char *bits = g_new0(unsigned char, 1024 / 8);
    const char *p = cpulist;
    int last = -1;
    unsigned char *out;

    if (cpulist[0] == 'r') {
        for (int c = 0; c < maxcpu; c++)
            VIR_USE_CPU(bits, c);
        last = maxcpu - 1;
    } else {
        bool any = false;

        while (*p) {
            bool neg = false;
            char *end = NULL;
            unsigned long a, b;

            while (g_ascii_isspace(*p))
                p++;
            if (*p == '^') {
                neg = true;
                p++;
            }
            if (!g_ascii_isdigit(*p))
                goto invalid;
            a = strtoul(p, &end, 10);
            b = a;
            p = end;
            if (*p == '-' && !neg) {
                p++;
                if (!g_ascii_isdigit(*p))
                    goto invalid;
                b = strtoul(p, &end, 10);
                p = end;
                if (b < a)
                    goto invalid;
            }
            if (b >= 1024)
                goto invalid;
            for (unsigned long c = a; c <= b; c++) {
                if (neg)
                    VIR_UNUSE_CPU(bits, c);
                else
                    VIR_USE_CPU(bits, c);
            }
            any = true;
            while (g_ascii_isspace(*p))
                p++;
            if (*p == ',')
                p++;
            else if (*p)
                goto invalid;
        }
        if (!any)
            goto invalid;
        for (int c = 0; c < 1024; c++) {
            if (VIR_CPU_USED(bits, c))
                last = c;
        }
        if (last < 0) {
            vkshError(ctl, "Invalid cpulist '%s'", cpulist);
            return NULL;
        }
        if (last >= maxcpu) {
            vkshError(ctl, "CPU %d in cpulist '%s' exceed the maxcpu %d", last, cpulist,
                      maxcpu);
            return NULL;
        }
    }
    *maplen = last < 0 ? 1 : (last + 8) / 8;
    out = g_new0(unsigned char, *maplen);
    memcpy(out, bits, *maplen);
    return out;

invalid:
    /* virsh's message, then libvirt's (its client library parsed the list) */
    vkshError(ctl, "Invalid cpulist '%s'", cpulist);
    vkshError(ctl, "invalid argument: Failed to parse bitmap '%s'", cpulist);
    return NULL;
}

const vkshOptDef vkshOptsVcpupin[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "vcpu", VKSH_OT_INT, 0, "vcpu number" },
    { "cpulist", VKSH_OT_STRING, 0,
      "host cpu number(s) to set, or omit option to query" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

static bool
vkshVcpuPinQuery(vkshControl *ctl, virDomainPtr dom, unsigned int vcpu, bool gotVcpu,
                 int maxcpu, unsigned int flags)
{
    g_autofree unsigned char *cpumap = NULL;
    g_autoptr(GPtrArray) rows =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    int ncpus, maplen;
    bool live = (flags & VIR_DOMAIN_AFFECT_LIVE) ||
                (!(flags & VIR_DOMAIN_AFFECT_CONFIG) && virDomainIsActive(dom) == 1);

    if (((flags & VIR_DOMAIN_AFFECT_LIVE) && virDomainIsActive(dom) < 1) ||
        ((flags & VIR_DOMAIN_AFFECT_CONFIG) && virDomainIsPersistent(dom) < 1)) {
        vkshError(ctl, "%s",
                  (flags & VIR_DOMAIN_AFFECT_LIVE)
                      ? "cannot get vcpupin for offline domain"
                      : "cannot get vcpupin for transient domain");
        return false;
    }
    if ((ncpus = virDomainGetVcpusFlags(dom, flags | VIR_DOMAIN_VCPU_MAXIMUM)) < 0)
        return false;
    if (gotVcpu && (int)vcpu >= ncpus) {
        vkshError(ctl, "vcpu %d is out of range of %s cpu count %d", (int)vcpu,
                  live ? "live" : "persistent", ncpus);
        return false;
    }
    maplen = VIR_CPU_MAPLEN(maxcpu);
    cpumap = g_new0(unsigned char, (size_t)ncpus *maplen);
    if ((ncpus = virDomainGetVcpuPinInfo(dom, ncpus, cpumap, maplen, flags)) < 0)
        return true; /* virsh goes on: the error is reported at the end */
    g_ptr_array_add(rows, g_strdupv((char *[]){ "VCPU", "CPU Affinity", NULL }));
    for (int i = 0; i < ncpus; i++) {
        char **row;

        if (gotVcpu && i != (int)vcpu)
            continue;
        row = g_new0(char *, 3);
        row[0] = g_strdup_printf("%d", i);
        row[1] = vkshCpumapFormat(VIR_GET_CPUMAP(cpumap, maplen, i), maplen);
        g_ptr_array_add(rows, row);
    }
    vkshTablePrint(ctl, rows, 2, !ctl->quiet);
    return true;
}

bool
vkshCmdVcpupin(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree unsigned char *cpumap = NULL;
    const char *cpulist = NULL;
    unsigned int flags;
    int vcpu = 0, rc, maxcpu, maplen = 0;
    bool gotVcpu;
    bool current = vkshOptBool(cmd, "current");

    if (!vkshTuneFlags(ctl, cmd, &flags))
        return false;
    if ((rc = vkshOptInt(ctl, cmd, "vcpu", &vcpu)) < 0)
        return false;
    if (rc > 0 && vcpu < 0) {
        vkshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                  vkshOptRaw(cmd, "vcpu"), "vcpu");
        return false;
    }
    gotVcpu = rc > 0;
    if (vkshOptString(ctl, cmd, "cpulist", &cpulist) < 0)
        return false;
    if (!cpulist && !vkshOptExclusive(ctl, cmd, "live", "config"))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((maxcpu = vkshNodeCpuCount(ctl)) < 0)
        return false;
    if (!cpulist)
        return vkshVcpuPinQuery(ctl, dom, (unsigned int)vcpu, gotVcpu, maxcpu, flags);
    if (!gotVcpu) {
        vkshError(ctl, "%s", "vcpupin: Missing vCPU number in pin mode.");
        return false;
    }
    if (!(cpumap = vkshParseCpuList(ctl, &maplen, cpulist, maxcpu)))
        return false;
    /* the older call when no flag was given, as virsh */
    if (flags == VIR_DOMAIN_AFFECT_CURRENT && !current)
        return virDomainPinVcpu(dom, (unsigned int)vcpu, cpumap, maplen) == 0;
    return virDomainPinVcpuFlags(dom, (unsigned int)vcpu, cpumap, maplen, flags) == 0;
}

const vkshOptDef vkshOptsEmulatorpin[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "cpulist", VKSH_OT_STRING, 0,
      "host cpu number(s) to set, or omit option to query" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdEmulatorpin(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree unsigned char *cpumap = NULL;
    const char *cpulist = NULL;
    unsigned int flags;
    int maxcpu, maplen = 0;

    if (!vkshTuneFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "cpulist", &cpulist) < 0)
        return false;
    if ((maxcpu = vkshNodeCpuCount(ctl)) < 0)
        return false;
    if (!cpulist) {
        g_autofree char *pin = NULL;

        maplen = VIR_CPU_MAPLEN(maxcpu);
        cpumap = g_new0(unsigned char, maplen);
        if (virDomainGetEmulatorPinInfo(dom, cpumap, maplen, flags) < 0)
            return false;
        vkshPrintExtra(ctl, "%s %s\n", "emulator:", "CPU Affinity");
        vkshPrintExtra(ctl, "----------------------------------\n");
        vkshPrintExtra(ctl, "       *: ");
        pin = vkshCpumapFormat(cpumap, maplen);
        vkshPrint(ctl, "%s", pin);
        vkshPrint(ctl, "\n");
        return true;
    }
    if (!(cpumap = vkshParseCpuList(ctl, &maplen, cpulist, maxcpu)))
        return false;
    return virDomainPinEmulator(dom, cpumap, maplen, flags) == 0;
}

/* ---- IOThreads ------------------------------------------------------------- */

/* virsh's vshCommandOptUInt / vshCommandOptULongLong (no sign, no
 * wrapping): 1 and *@value set, 0 absent, -1 reported. */
static int
vkshTuneOptUnsigned(vkshControl *ctl, const vkshCmd *cmd, const char *name,
                    unsigned long long max, unsigned long long *value)
{
    const char *v = vkshOptRaw(cmd, name);
    const char *s = v;
    char *end = NULL;
    unsigned long long n;

    if (!v)
        return 0;
    while (g_ascii_isspace(*s))
        s++;
    errno = 0;
    n = strtoull(v, &end, 10);
    if (*s == '-' || !*v || errno || *end || n > max) {
        vkshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                  v, name);
        return -1;
    }
    *value = n;
    return 1;
}

const vkshOptDef vkshOptsIothreadinfo[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdIothreadinfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    virDomainIOThreadInfoPtr *info = NULL;
    g_autoptr(GPtrArray) rows = NULL;
    unsigned int flags;
    int n;

    if (!vkshTuneFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((n = virDomainGetIOThreadInfo(dom, &info, flags)) < 0) {
        vkshError(ctl, "Unable to get domain IOThreads information");
        return false;
    }
    if (n == 0) {
        vkshPrintExtra(ctl, "No IOThreads found for the domain");
        return true;
    }
    rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    {
        char **head = g_new0(char *, 3);

        head[0] = g_strdup("IOThread ID");
        head[1] = g_strdup("CPU Affinity");
        g_ptr_array_add(rows, head);
    }
    for (int i = 0; i < n; i++) {
        char **row = g_new0(char *, 3);

        row[0] = g_strdup_printf("%u", info[i]->iothread_id);
        row[1] = vkshCpumapFormat(info[i]->cpumap, info[i]->cpumaplen);
        g_ptr_array_add(rows, row);
        virDomainIOThreadInfoFree(info[i]);
    }
    free(info);
    vkshTablePrint(ctl, rows, 2, !ctl->quiet);
    return true;
}

const vkshOptDef vkshOptsIothreadpin[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "iothread", VKSH_OT_INT, VKSH_OFLAG_REQ, "IOThread ID number" },
    { "cpulist", VKSH_OT_STRING, VKSH_OFLAG_REQ, "host cpu number(s) to set" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdIothreadpin(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree unsigned char *cpumap = NULL;
    const char *cpulist = NULL;
    unsigned long long id = 0;
    unsigned int flags;
    int maxcpu, maplen = 0;

    if (!vkshTuneFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshTuneOptUnsigned(ctl, cmd, "iothread", G_MAXUINT, &id) < 0)
        return false;
    if (vkshOptString(ctl, cmd, "cpulist", &cpulist) < 0)
        return false;
    if ((maxcpu = vkshNodeCpuCount(ctl)) < 0)
        return false;
    if (!(cpumap = vkshParseCpuList(ctl, &maplen, cpulist, maxcpu)))
        return false;
    return virDomainPinIOThread(dom, (unsigned int)id, cpumap, maplen, flags) == 0;
}

/* iothreadadd and iothreaddel: virsh's positive int id */
static bool
vkshIothreadId(vkshControl *ctl, const vkshCmd *cmd, int *id)
{
    *id = 0;
    if (vkshOptInt(ctl, cmd, "id", id) < 0)
        return false;
    if (*id <= 0) {
        vkshError(ctl, "Invalid IOThread id value: '%d'", *id);
        return false;
    }
    return true;
}

const vkshOptDef vkshOptsIothreadadd[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "id", VKSH_OT_INT, VKSH_OFLAG_REQ, "iothread for the new IOThread" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdIothreadadd(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    unsigned int flags;
    int id;

    if (!vkshTuneFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!vkshIothreadId(ctl, cmd, &id))
        return false;
    return virDomainAddIOThread(dom, (unsigned int)id, flags) == 0;
}

const vkshOptDef vkshOptsIothreaddel[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "id", VKSH_OT_INT, VKSH_OFLAG_REQ, "iothread_id for the IOThread to delete" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdIothreaddel(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    unsigned int flags;
    int id;

    if (!vkshTuneFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!vkshIothreadId(ctl, cmd, &id))
        return false;
    return virDomainDelIOThread(dom, (unsigned int)id, flags) == 0;
}

const vkshOptDef vkshOptsIothreadset[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "id", VKSH_OT_INT, VKSH_OFLAG_REQ, "iothread id of existing IOThread" },
    { "poll-max-ns", VKSH_OT_INT, VKSH_OFLAG_NAMED,
      "set the maximum IOThread polling time in ns" },
    { "poll-grow", VKSH_OT_INT, VKSH_OFLAG_NAMED,
      "set the value to increase the IOThread polling time" },
    { "poll-shrink", VKSH_OT_INT, VKSH_OFLAG_NAMED,
      "set the value for reduction of the IOThread polling time" },
    { "thread-pool-min", VKSH_OT_INT, VKSH_OFLAG_NAMED,
      "lower boundary for worker thread pool" },
    { "thread-pool-max", VKSH_OT_INT, VKSH_OFLAG_NAMED,
      "upper boundary for worker thread pool" },
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdIothreadset(vkshControl *ctl, const vkshCmd *cmd)
{
    static const struct {
        const char *opt;
        const char *param;
        int type;
    } fields[] = {
        { "poll-max-ns", VIR_DOMAIN_IOTHREAD_POLL_MAX_NS, VIR_TYPED_PARAM_ULLONG },
        { "poll-grow", VIR_DOMAIN_IOTHREAD_POLL_GROW, VIR_TYPED_PARAM_UINT },
        { "poll-shrink", VIR_DOMAIN_IOTHREAD_POLL_SHRINK, VIR_TYPED_PARAM_UINT },
        { "thread-pool-min", VIR_DOMAIN_IOTHREAD_THREAD_POOL_MIN, VIR_TYPED_PARAM_INT },
        { "thread-pool-max", VIR_DOMAIN_IOTHREAD_THREAD_POOL_MAX, VIR_TYPED_PARAM_INT },
    };
    g_autoptr(virDomain) dom = NULL;
    virTypedParameter params[G_N_ELEMENTS(fields)];
    int nparams = 0;
    unsigned int flags;
    int id = 0;

    memset(params, 0, sizeof(params));
    if (!vkshTuneFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptInt(ctl, cmd, "id", &id) < 0)
        return false;
    if (id <= 0) {
        vkshError(ctl, "Invalid IOThread id value: '%d'", id);
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        virTypedParameterPtr p = &params[nparams];
        unsigned long long u = 0;
        int v = 0;
        int rc;

        if (fields[i].type == VIR_TYPED_PARAM_INT)
            rc = vkshOptInt(ctl, cmd, fields[i].opt, &v);
        else
            rc = vkshTuneOptUnsigned(
                ctl, cmd, fields[i].opt,
                fields[i].type == VIR_TYPED_PARAM_UINT ? G_MAXUINT : G_MAXUINT64, &u);
        if (rc < 0)
            return false;
        if (rc == 0)
            continue;
        g_strlcpy(p->field, fields[i].param, sizeof(p->field));
        p->type = fields[i].type;
        if (fields[i].type == VIR_TYPED_PARAM_INT)
            p->value.i = v;
        else if (fields[i].type == VIR_TYPED_PARAM_UINT)
            p->value.ui = (unsigned int)u;
        else
            p->value.ul = u;
        nparams++;
    }
    if (nparams == 0) {
        vkshError(ctl, "Not enough arguments passed, nothing to set");
        return false;
    }
    return virDomainSetIOThreadParams(dom, (unsigned int)id, params, nparams, flags) == 0;
}
