/* qemu_validate_vcpu.c: the validator's rules for the states of individual vCPUs (<vcpus>) */

/*
 * Part of the one validator (qemu_validate.c, which calls it; kept apart
 * for that file's size): libvirt 9.0's qemuDomainDefVcpusPostParse, its
 * CONFIG_UNSUPPORTED texts. Pure.
 */
#define G_LOG_DOMAIN "virtkit.qemu.validate"

#include "domain_vcpu_conf.h"
#include "qemu_validate.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

int
qemuValidateDomainVcpus(const virDomainDef *def)
{
    const virDomainVcpuState *s = def->vcpuStates;
    bool hasOrder;

    if (!s)
        return 0;
    /* vCPU 0: online, first, and not hotpluggable */
    if (!s[0].online) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "vcpu 0 can't be offline");
        return -1;
    }
    if (s[0].hotpluggable == VIR_DOMAIN_TRISTATE_ON) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "vcpu0 can't be hotpluggable");
        return -1;
    }
    if (s[0].order != 0 && s[0].order != 1) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "vcpu0 must be enabled first");
        return -1;
    }
    hasOrder = s[0].order != 0;
    for (unsigned int i = 1; i < def->vcpus; i++) {
        if (s[i].online && (s[i].order != 0) != hasOrder) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "all vcpus must have either set or unset order");
            return -1;
        }
        if (s[i].hotpluggable != VIR_DOMAIN_TRISTATE_OFF)
            continue;
        /* online and not hotpluggable: only at the start, in ascending order */
        if (s[i - 1].hotpluggable == VIR_DOMAIN_TRISTATE_ON) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "online non-hotpluggable vcpus need to be ordered prior to "
                           "hotplugable vcpus");
            return -1;
        }
        if (s[i - 1].order > s[i].order) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "online non-hotpluggable vcpus must be ordered in ascending "
                           "order");
            return -1;
        }
    }
    return 0;
}
