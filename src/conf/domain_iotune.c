/* domain_iotune.c: a disk's <iotune> as virDomainSet/GetBlockIoTune's typed parameters, and the rules every driver shares */
#define G_LOG_DOMAIN "virtkit.conf"

#include <string.h>

#include "domain_iotune.h"
#include "virerror.h"
#include "virtypedparamlist.h"

const char *const virDomainBlockIoTuneParamNames[VIR_DOMAIN_BLOCK_IOTUNE_NPARAMS + 1] = {
    VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC,
    VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC,
    VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC,
    VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC,
    VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC,
    VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC,
    VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC_MAX,
    VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC_MAX,
    VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC_MAX,
    VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC_MAX,
    VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC_MAX,
    VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC_MAX,
    VIR_DOMAIN_BLOCK_IOTUNE_SIZE_IOPS_SEC,
    VIR_DOMAIN_BLOCK_IOTUNE_GROUP_NAME,
    VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_BYTES_SEC_MAX_LENGTH,
    VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC_MAX_LENGTH,
    VIR_DOMAIN_BLOCK_IOTUNE_WRITE_BYTES_SEC_MAX_LENGTH,
    VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC_MAX_LENGTH,
    VIR_DOMAIN_BLOCK_IOTUNE_READ_IOPS_SEC_MAX_LENGTH,
    VIR_DOMAIN_BLOCK_IOTUNE_WRITE_IOPS_SEC_MAX_LENGTH,
    NULL,
};

#define IOTUNE_GROUP_INDEX 13

#define U VIR_TYPED_PARAM_ULLONG
const int virDomainBlockIoTuneParamTypes[VIR_DOMAIN_BLOCK_IOTUNE_NPARAMS] = {
    U, U, U, U, U, U, U, U, U, U, U, U, U, VIR_TYPED_PARAM_STRING, U, U, U, U, U, U,
};
#undef U

/* The number parameter @i (not the group name) of @t, and its family. */
static unsigned long long *
iotuneField(virDomainBlockIoTuneInfo *t, size_t i, unsigned int *family)
{
    if (i < 6) {
        *family = i < 3 ? VIR_DOMAIN_IOTUNE_SET_BYTES : VIR_DOMAIN_IOTUNE_SET_IOPS;
        return &t->base[i];
    }
    if (i < 12) {
        *family =
            i < 9 ? VIR_DOMAIN_IOTUNE_SET_BYTES_MAX : VIR_DOMAIN_IOTUNE_SET_IOPS_MAX;
        return &t->max[i - 6];
    }
    if (i == 12) {
        *family = VIR_DOMAIN_IOTUNE_SET_SIZE_IOPS;
        return &t->sizeIops;
    }
    g_assert(i > IOTUNE_GROUP_INDEX && i < VIR_DOMAIN_BLOCK_IOTUNE_NPARAMS);
    *family = i < 17 ? VIR_DOMAIN_IOTUNE_SET_BYTES_MAX_LENGTH
                     : VIR_DOMAIN_IOTUNE_SET_IOPS_MAX_LENGTH;
    return &t->maxLen[i - 14];
}

bool
virDomainBlockIoTuneHasAny(const virDomainBlockIoTuneInfo *t)
{
    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST; i++) {
        if (t->base[i] || t->max[i] || t->maxLen[i])
            return true;
    }
    return t->sizeIops != 0;
}

bool
virDomainBlockIoTuneEqual(const virDomainBlockIoTuneInfo *a,
                          const virDomainBlockIoTuneInfo *b)
{
    return memcmp(a->base, b->base, sizeof(a->base)) == 0 &&
           memcmp(a->max, b->max, sizeof(a->max)) == 0 &&
           memcmp(a->maxLen, b->maxLen, sizeof(a->maxLen)) == 0 &&
           a->sizeIops == b->sizeIops;
}

void
virDomainBlockIoTuneCopy(const virDomainBlockIoTuneInfo *src,
                         virDomainBlockIoTuneInfo *dst)
{
    char *group = g_strdup(src->groupName);

    if (src == dst) {
        g_free(group);
        return;
    }
    g_free(dst->groupName);
    *dst = *src;
    dst->groupName = group;
}

void
virDomainBlockIoTuneClear(virDomainBlockIoTuneInfo *t)
{
    g_free(t->groupName);
    memset(t, 0, sizeof(*t));
}

int
virDomainBlockIoTuneFromParams(const virTypedParameter *params, int nparams,
                               int errdomain, virDomainBlockIoTuneInfo *t,
                               unsigned int *set)
{
    for (int k = 0; k < nparams; k++) {
        const virTypedParameter *p = &params[k];
        unsigned int family = 0;
        size_t i;

        for (i = 0; i < VIR_DOMAIN_BLOCK_IOTUNE_NPARAMS; i++) {
            if (strcmp(p->field, virDomainBlockIoTuneParamNames[i]) == 0)
                break;
        }
        if (i == VIR_DOMAIN_BLOCK_IOTUNE_NPARAMS)
            continue;
        if (i == IOTUNE_GROUP_INDEX) {
            g_free(t->groupName);
            t->groupName = g_strdup(p->value.s);
            *set |= VIR_DOMAIN_IOTUNE_SET_GROUP_NAME;
            continue;
        }
        if (p->value.ul > VIR_DOMAIN_BLOCK_IOTUNE_MAX) {
            virReportErrorFull(errdomain, VIR_ERR_ARGUMENT_UNSUPPORTED, __func__,
                               "block I/O throttle limit value must be no more than %llu",
                               VIR_DOMAIN_BLOCK_IOTUNE_MAX);
            return -1;
        }
        *iotuneField(t, i, &family) = p->value.ul;
        *set |= family;
    }
    return 0;
}

int
virDomainBlockIoTuneCheckTotals(const virDomainBlockIoTuneInfo *t, int errdomain)
{
    static const char *const what[] = { "bytes_sec", "iops_sec" };

    for (size_t m = 0; m < 2; m++) {
        const unsigned long long *v = m ? t->max : t->base;

        for (size_t k = 0; k < 2; k++) {
            size_t total =
                k ? VIR_DOMAIN_IOTUNE_TOTAL_IOPS_SEC : VIR_DOMAIN_IOTUNE_TOTAL_BYTES_SEC;

            if (v[total] && (v[total + 1] || v[total + 2])) {
                virReportErrorFull(
                    errdomain, VIR_ERR_INVALID_ARG, __func__,
                    "total and read/write of %s%s cannot be set at the same time",
                    what[k], m ? "_max" : "");
                return -1;
            }
        }
    }
    return 0;
}

int
virDomainBlockIoTuneToParams(const virDomainBlockIoTuneInfo *t,
                             virTypedParameterPtr params, int n)
{
    int count = MIN(n, VIR_DOMAIN_BLOCK_IOTUNE_NPARAMS);

    for (int i = 0; i < count; i++) {
        virDomainBlockIoTuneInfo *mut = (virDomainBlockIoTuneInfo *)t;
        unsigned int family;

        if (i == IOTUNE_GROUP_INDEX)
            virTypedParameterSet(&params[i], virDomainBlockIoTuneParamNames[i],
                                 VIR_TYPED_PARAM_STRING, 0, t->groupName);
        else
            virTypedParameterSet(&params[i], virDomainBlockIoTuneParamNames[i],
                                 VIR_TYPED_PARAM_ULLONG, *iotuneField(mut, i, &family),
                                 NULL);
    }
    return count;
}
