/* moment_conf.c: what snapshot and checkpoint definitions share: the lookup of the disks their <disks> name */
#define G_LOG_DOMAIN "virtkit.conf.moment"

#include "moment_conf.h"
#include "virerror.h"

int
virDomainMomentDiskIndex(const virDomainDef *dom, const char *name, const size_t *taken,
                         size_t i, int errdom)
{
    size_t idx;

    for (idx = 0; idx < dom->ndisks; idx++)
        if (g_str_equal(dom->disks[idx]->dst, name))
            break;
    if (idx == dom->ndisks) {
        for (idx = 0; idx < dom->ndisks; idx++)
            if (dom->disks[idx]->src && g_str_equal(dom->disks[idx]->src, name))
                break;
    }
    if (idx == dom->ndisks) {
        virReportErrorFull(errdom, VIR_ERR_CONFIG_UNSUPPORTED, __func__,
                           "no disk named '%s'", name);
        return -1;
    }
    for (size_t j = 0; j < i; j++) {
        if (taken[j] == idx) {
            virReportErrorFull(errdom, VIR_ERR_CONFIG_UNSUPPORTED, __func__,
                               "disk '%s' specified twice", name);
            return -1;
        }
    }
    return idx;
}
