/* vksh-iotune.c: blkdeviotune, a disk's I/O throttling (as virsh 9.0) */
#define G_LOG_DOMAIN "vksh.iotune"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "vksh.h"

/* Every output below is virsh 9.0's (tools/virsh-domain.c), byte for byte. */

#define IOTUNE_OPT(name, help)                    \
    {                                             \
        name, VKSH_OT_INT, VKSH_OFLAG_NAMED, help \
    }
#define IOTUNE_ALIAS(alias, name)     \
    {                                 \
        alias, VKSH_OT_ALIAS, 0, name \
    }

const vkshOptDef vkshOptsBlkdeviotune[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "device", VKSH_OT_STRING, VKSH_OFLAG_REQ, "block device" },
    IOTUNE_ALIAS("total_bytes_sec", "total-bytes-sec"),
    IOTUNE_OPT("total-bytes-sec",
               "total throughput limit, as scaled integer (default bytes)"),
    IOTUNE_ALIAS("read_bytes_sec", "read-bytes-sec"),
    IOTUNE_OPT("read-bytes-sec",
               "read throughput limit, as scaled integer (default bytes)"),
    IOTUNE_ALIAS("write_bytes_sec", "write-bytes-sec"),
    IOTUNE_OPT("write-bytes-sec",
               "write throughput limit, as scaled integer (default bytes)"),
    IOTUNE_ALIAS("total_iops_sec", "total-iops-sec"),
    IOTUNE_OPT("total-iops-sec", "total I/O operations limit per second"),
    IOTUNE_ALIAS("read_iops_sec", "read-iops-sec"),
    IOTUNE_OPT("read-iops-sec", "read I/O operations limit per second"),
    IOTUNE_ALIAS("write_iops_sec", "write-iops-sec"),
    IOTUNE_OPT("write-iops-sec", "write I/O operations limit per second"),
    IOTUNE_ALIAS("total_bytes_sec_max", "total-bytes-sec-max"),
    IOTUNE_OPT("total-bytes-sec-max", "total max, as scaled integer (default bytes)"),
    IOTUNE_ALIAS("read_bytes_sec_max", "read-bytes-sec-max"),
    IOTUNE_OPT("read-bytes-sec-max", "read max, as scaled integer (default bytes)"),
    IOTUNE_ALIAS("write_bytes_sec_max", "write-bytes-sec-max"),
    IOTUNE_OPT("write-bytes-sec-max", "write max, as scaled integer (default bytes)"),
    IOTUNE_ALIAS("total_iops_sec_max", "total-iops-sec-max"),
    IOTUNE_OPT("total-iops-sec-max", "total I/O operations max"),
    IOTUNE_ALIAS("read_iops_sec_max", "read-iops-sec-max"),
    IOTUNE_OPT("read-iops-sec-max", "read I/O operations max"),
    IOTUNE_ALIAS("write_iops_sec_max", "write-iops-sec-max"),
    IOTUNE_OPT("write-iops-sec-max", "write I/O operations max"),
    IOTUNE_ALIAS("size_iops_sec", "size-iops-sec"),
    IOTUNE_OPT("size-iops-sec", "I/O size in bytes"),
    IOTUNE_ALIAS("group_name", "group-name"),
    { "group-name", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "group name to share I/O quota between multiple drives" },
    IOTUNE_ALIAS("total_bytes_sec_max_length", "total-bytes-sec-max-length"),
    IOTUNE_OPT("total-bytes-sec-max-length",
               "duration in seconds to allow total max bytes"),
    IOTUNE_ALIAS("read_bytes_sec_max_length", "read-bytes-sec-max-length"),
    IOTUNE_OPT("read-bytes-sec-max-length",
               "duration in seconds to allow read max bytes"),
    IOTUNE_ALIAS("write_bytes_sec_max_length", "write-bytes-sec-max-length"),
    IOTUNE_OPT("write-bytes-sec-max-length",
               "duration in seconds to allow write max bytes"),
    IOTUNE_ALIAS("total_iops_sec_max_length", "total-iops-sec-max-length"),
    IOTUNE_OPT("total-iops-sec-max-length",
               "duration in seconds to allow total I/O operations max"),
    IOTUNE_ALIAS("read_iops_sec_max_length", "read-iops-sec-max-length"),
    IOTUNE_OPT("read-iops-sec-max-length",
               "duration in seconds to allow read I/O operations max"),
    IOTUNE_ALIAS("write_iops_sec_max_length", "write-iops-sec-max-length"),
    IOTUNE_OPT("write-iops-sec-max-length",
               "duration in seconds to allow write I/O operations max"),
    { "config", VKSH_OT_BOOL, 0, "affect next boot" },
    { "live", VKSH_OT_BOOL, 0, "affect running domain" },
    { "current", VKSH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

/* virsh's vshCommandOptULongLong: digits only (no sign), no overflow;
 * 0 absent, 1 and *@value, -1 reported. */
static int
vkshIoTuneULL(vkshControl *ctl, const vkshCmd *cmd, const char *name,
              unsigned long long *value)
{
    const char *v = vkshOptRaw(cmd, name);
    char *end = NULL;
    unsigned long long n;

    if (!v)
        return 0;
    errno = 0;
    n = strtoull(v, &end, 10);
    if (!*v || *end || errno || strchr(v, '-')) {
        vkshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                  v, name);
        return -1;
    }
    *value = n;
    return 1;
}

static const vkshDeviceTune iotune = {
    .get = virDomainGetBlockIoTune,
    .set = virDomainSetBlockIoTune,
    .countNamesDevice = false,
    .countError = "Unable to get number of block I/O throttle parameters",
    .getError = "Unable to get block I/O throttle parameters",
    .setError = "Unable to change block I/O throttle",
};

bool
vkshCmdBlkdeviotune(vkshControl *ctl, const vkshCmd *cmd)
{
    /* virsh's order: the scaled byte options, then the plain numbers */
    static const char *const scaled[][2] = {
        { "total-bytes-sec", VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC },
        { "read-bytes-sec", VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC },
        { "write-bytes-sec", VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC },
        { "total-bytes-sec-max", VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC_MAX },
        { "read-bytes-sec-max", VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC_MAX },
        { "write-bytes-sec-max", VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC_MAX },
    };
    static const char *const plain[][2] = {
        { "total-iops-sec", VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC },
        { "read-iops-sec", VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC },
        { "write-iops-sec", VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC },
        { "total-iops-sec-max", VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC_MAX },
        { "read-iops-sec-max", VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC_MAX },
        { "write-iops-sec-max", VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC_MAX },
        { "size-iops-sec", VIR_DOMAIN_BLOCK_IOTUNE_SIZE_IOPS_SEC },
        { "total-bytes-sec-max-length",
          VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC_MAX_LENGTH },
        { "read-bytes-sec-max-length",
          VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC_MAX_LENGTH },
        { "write-bytes-sec-max-length",
          VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC_MAX_LENGTH },
        { "total-iops-sec-max-length",
          VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC_MAX_LENGTH },
        { "read-iops-sec-max-length", VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC_MAX_LENGTH },
        { "write-iops-sec-max-length",
          VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC_MAX_LENGTH },
    };
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *why = NULL;
    virTypedParameterPtr params = NULL;
    int nparams = 0, maxparams = 0;
    unsigned long long value;
    unsigned int flags;
    const char *disk = NULL;
    const char *group = NULL;
    bool ok = false;

    if (!vkshTuneFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "device", &disk) < 0)
        goto cleanup;
    for (size_t i = 0; i < G_N_ELEMENTS(scaled); i++) {
        int rc = vkshOptScaledWhy(ctl, cmd, scaled[i][0], 1, ULLONG_MAX, &value, &why);

        if (rc < 0)
            goto interror;
        if (rc > 0)
            virTypedParamsAddULLong(&params, &nparams, &maxparams, scaled[i][1], value);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(plain); i++) {
        int rc = vkshIoTuneULL(ctl, cmd, plain[i][0], &value);

        if (rc < 0)
            goto interror;
        if (rc > 0)
            virTypedParamsAddULLong(&params, &nparams, &maxparams, plain[i][1], value);
    }
    if (vkshOptString(ctl, cmd, "group-name", &group) < 0) {
        vkshError(ctl, "%s", "Unable to parse group-name parameter");
        goto cleanup;
    }
    if (group)
        virTypedParamsAddString(&params, &nparams, &maxparams,
                                VIR_DOMAIN_BLOCK_IOTUNE_GROUP_NAME, group);

    if (!vkshDeviceTuneRun(ctl, dom, disk, &params, &nparams, flags, &iotune))
        goto cleanup;
    ok = true;
    goto cleanup;

interror:
    vkshError(ctl, "%s", "Unable to parse integer parameter");
    /* the scaling's own error is the library's: virsh prints it last */
    if (why)
        vkshError(ctl, "%s", why);
cleanup:
    virTypedParamsFree(params, nparams);
    return ok;
}
