/* qemu_taint.c: the QEMU driver marks a domain tainted or using deprecated configuration, as libvirt 9.0 does */

#define G_LOG_DOMAIN "virtkit.qemu.taint"

#include "qemu_capabilities_glue.h"
#include "qemu_domain.h"
#include "qemu_taint.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

void
qemuDomainObjTaintMsg(qemuDriver *driver, virDomainObj *obj, virDomainTaintFlags taint,
                      const char *extra)
{
    char uuid[VIR_UUID_STRING_BUFLEN];
    const char *pre = extra ? " (" : "";
    const char *post = extra ? ")" : "";

    /* a taint is told once per run; one with its own text every time */
    if (!virDomainObjTaint(obj, taint) && !extra)
        return;
    if (taint == VIR_DOMAIN_TAINT_DEPRECATED_CONFIG && extra)
        virDomainObjDeprecation(obj, extra);

    virUUIDFormat(obj->def->uuid, uuid);
    VIR_NOTICE("Domain id=%d name='%s' uuid=%s is tainted: %s%s%s%s", obj->def->id,
               obj->def->name, uuid, virDomainTaintTypeToString(taint), pre,
               extra ? extra : "", post);
    qemuDomainLogAppend(driver, obj->def->name, "Domain id=%d is tainted: %s%s%s%s",
                        obj->def->id, virDomainTaintTypeToString(taint), pre,
                        extra ? extra : "", post);
}

void
qemuDomainObjTaint(qemuDriver *driver, virDomainObj *obj, virDomainTaintFlags taint)
{
    qemuDomainObjTaintMsg(driver, obj, taint, NULL);
    if (qemuDomainSaveStatus(driver, obj) < 0) {
        g_debug("status of '%s' not saved: %s", obj->def->name, virGetLastErrorMessage());
        virResetLastError();
    }
}

void
qemuDomainObjCheckTaint(qemuDriver *driver, virDomainObj *obj, bool incoming)
{
    const virDomainCpuDef *cpu = obj->def->cpu;
    g_autofree char *what = NULL;

    /* libvirt: a privileged driver whose QEMU user or group is root */
    if (driver->privileged && driver->runAs &&
        (driver->runAs->uid == 0 || driver->runAs->gid == 0))
        qemuDomainObjTaintMsg(driver, obj, VIR_DOMAIN_TAINT_HIGH_PRIVILEGES, NULL);

    if (qemuGlueIsMachineDeprecated(driver, obj->def)) {
        what = g_strdup_printf("machine type '%s'", obj->def->os.machine);
        qemuDomainObjTaintMsg(driver, obj, VIR_DOMAIN_TAINT_DEPRECATED_CONFIG, what);
    }
    if (!cpu)
        return;
    switch (cpu->mode) {
    case VIR_DOMAIN_CPU_MODE_HOST_PASSTHROUGH:
    case VIR_DOMAIN_CPU_MODE_MAXIMUM:
        if (incoming)
            qemuDomainObjTaintMsg(driver, obj, VIR_DOMAIN_TAINT_HOST_CPU, NULL);
        break;
    case VIR_DOMAIN_CPU_MODE_CUSTOM:
        if (cpu->model && qemuGlueIsCPUDeprecated(driver, obj->def, cpu->model)) {
            g_free(what);
            what = g_strdup_printf("CPU model '%s'", cpu->model);
            qemuDomainObjTaintMsg(driver, obj, VIR_DOMAIN_TAINT_DEPRECATED_CONFIG, what);
        }
        break;
    default:
        break;
    }
}
