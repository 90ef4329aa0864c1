/* qemu_driver_info.c: QEMU driver entry points that read a domain's state and definition */

#define G_LOG_DOMAIN "virtkit.qemu.info"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu_driver_priv.h"
#include "qemu_taint.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

int
qemuDomainGetState(virDomainPtr dom, int *state, int *reason, unsigned int flags)
{
    virDomainObj *obj;

    virCheckFlags(0, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    *state = virDomainObjGetState(obj, reason);
    virDomainObjEndAPI(&obj);
    return 0;
}

/* CPU time of @pid in ns from /proc/PID/stat (utime + stime); 0 if gone. */
static unsigned long long
qemuDomainProcessCpuTime(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%lld/stat", (long long)pid);
    g_autofree char *data = NULL;
    unsigned long long utime = 0, stime = 0;
    const char *p;
    long tck = sysconf(_SC_CLK_TCK);

    if (pid <= 0 || !g_file_get_contents(path, &data, NULL, NULL) ||
        !(p = strrchr(data, ')')))
        return 0;
    /* after ')': field 3 onwards; utime and stime are fields 14 and 15 */
    if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
               &stime) != 2 ||
        tck <= 0)
        return 0;
    return (utime + stime) * (1000000000ULL / (unsigned long long)tck);
}

int
qemuDomainGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    virDomainObj *obj;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    memset(info, 0, sizeof(*info));
    info->state = (unsigned char)virDomainObjGetState(obj, NULL);
    info->maxMem = obj->def->memory;
    info->memory = obj->def->currentMemory;
    info->nrVirtCpu = (unsigned short)virDomainDefGetVcpus(obj->def);
    info->cpuTime = virDomainObjIsActive(obj) ? qemuDomainProcessCpuTime(obj->pid) : 0;
    virDomainObjEndAPI(&obj);
    return 0;
}

char *
qemuDomainGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *def;
    unsigned int fmt = 0;
    char *ret;

    virCheckFlags(VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE, NULL);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return NULL;
    if (flags & VIR_DOMAIN_XML_SECURE)
        fmt |= VIR_DOMAIN_DEF_FORMAT_SECURE;
    if ((flags & VIR_DOMAIN_XML_INACTIVE) || !virDomainObjIsActive(obj)) {
        def = virDomainObjGetPersistentDef(obj);
        fmt |= VIR_DOMAIN_DEF_FORMAT_INACTIVE;
    } else {
        def = obj->def;
    }
    ret = virDomainDefFormat(def, fmt);
    virDomainObjEndAPI(&obj);
    return ret;
}

char *
qemuDomainGetOSType(virDomainPtr dom)
{
    virDomainObj *obj;
    char *ret;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return NULL;
    ret = g_strdup(obj->def->os.type ? obj->def->os.type : "hvm");
    virDomainObjEndAPI(&obj);
    return ret;
}

unsigned long long
qemuDomainGetMaxMemory(virDomainPtr dom)
{
    virDomainObj *obj;
    unsigned long long ret;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return 0;
    ret = obj->def->memory;
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainGetVcpusFlags(virDomainPtr dom, unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *def;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                      VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_VCPU_GUEST,
                  -1);
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        virReportErrorFull(
            VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, __func__, "%s",
            "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' "
            "are mutually exclusive");
        return -1;
    }
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    {
        virDomainDef *live;
        virDomainDef *persistent;

        if (qemuDomainObjGetDefs(obj, flags, &live, &persistent) < 0)
            goto cleanup;
        def = live ? live : persistent;
    }
    if (flags & VIR_DOMAIN_VCPU_GUEST) {
        /* no guest agent channel in virtkit: libvirt's answer without one */
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                       "QEMU guest agent is not configured");
        goto cleanup;
    }
    ret = (flags & VIR_DOMAIN_VCPU_MAXIMUM) ? (int)def->vcpus
                                            : (int)virDomainDefGetVcpus(def);

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainIsActive(virDomainPtr dom)
{
    virDomainObj *obj;
    int ret;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    ret = virDomainObjIsActive(obj);
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainIsPersistent(virDomainPtr dom)
{
    virDomainObj *obj;
    int ret;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    ret = obj->persistent;
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainIsUpdated(virDomainPtr dom)
{
    virDomainObj *obj;
    int ret;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    ret = 0;
    if (virDomainObjIsActive(obj) && obj->newDef) {
        /* updated: the next-boot definition differs from the running one */
        g_autofree char *live =
            virDomainDefFormat(obj->def, VIR_DOMAIN_DEF_FORMAT_INACTIVE);
        g_autofree char *next =
            virDomainDefFormat(obj->newDef, VIR_DOMAIN_DEF_FORMAT_INACTIVE);

        ret = !g_str_equal(live, next);
    }
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainGetAutostart(virDomainPtr dom, int *autostart)
{
    virDomainObj *obj;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    *autostart = obj->autostart;
    virDomainObjEndAPI(&obj);
    return 0;
}

int
qemuDomainGetSecurityLabel(virDomainPtr dom, virSecurityLabelPtr seclabel)
{
    virDomainObj *obj;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    memset(seclabel, 0, sizeof(*seclabel)); /* no security driver (model "none") */
    virDomainObjEndAPI(&obj);
    return 0;
}

/* libvirt's security drivers for QEMU are a stack: the confining one
 * ("none" here: virtkit confines with user separation, seccomp and
 * cgroups, not SELinux/AppArmor), then "dac" when the driver is
 * privileged. The "none" label is empty; the "dac" one is "+UID:+GID" of
 * the running process (libvirt's DAC driver reads /proc/PID the same
 * way), neither enforcing. */
int
qemuDomainGetSecurityLabelList(virDomainPtr dom, virSecurityLabelPtr *seclabels)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    g_autofree virSecurityLabel *labels = NULL;
    virDomainObj *obj;
    int n = -1;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (!virDomainObjIsActive(obj)) {
        *seclabels = NULL;
        n = 0;
        goto cleanup;
    }
    labels = g_new0(virSecurityLabel, driver->privileged ? 2 : 1);
    if (driver->privileged) {
        g_autofree char *path = g_strdup_printf("/proc/%d", (int)obj->pid);
        struct stat sb;

        if (stat(path, &sb) < 0) {
            virReportSystemError(errno, "unable to get uid and gid for PID %d via procfs",
                                 (int)obj->pid);
            goto cleanup;
        }
        g_snprintf(labels[1].label, sizeof(labels[1].label), "+%u:+%u",
                   (unsigned int)sb.st_uid, (unsigned int)sb.st_gid);
    }
    n = driver->privileged ? 2 : 1;
    *seclabels = g_steal_pointer(&labels);
cleanup:
    virDomainObjEndAPI(&obj);
    return n;
}

int
qemuDomainGetMessages(virDomainPtr dom, char ***msgs, unsigned int flags)
{
    virDomainObj *obj;
    int n;

    virCheckFlags(VIR_DOMAIN_MESSAGE_DEPRECATION | VIR_DOMAIN_MESSAGE_TAINTING, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    n = virDomainObjGetMessages(obj, msgs, flags);
    virDomainObjEndAPI(&obj);
    return n;
}
