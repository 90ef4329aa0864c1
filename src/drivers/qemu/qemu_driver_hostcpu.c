/* qemu_driver_hostcpu.c: the QEMU driver's host and CPU facts (domain capabilities, CPU models)
 *
 * Answers come from the probed QEMU (qemu_capabilities.h, through the glue)
 * and virtkit's own validator (qemu_domcaps.h). No state of its own: any
 * thread.
 */
#define G_LOG_DOMAIN "virtkit.qemu.hostcpu"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "qemu_capabilities_glue.h"
#include "qemu_driver_priv.h"
#include "domain_cpu_conf.h"
#include "qemu_monitor.h"
#include "virerror.h"
#include "virtypedparamlist.h"
#include "virkeycode.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

char *
qemuConnectGetDomainCapabilities(virConnectPtr conn, const char *emulatorbin,
                                 const char *arch, const char *machine,
                                 const char *virttype, unsigned int flags)
{
    virCheckFlags(0, NULL);
    return qemuGlueGetDomainCapabilities(qemuDriverOf(conn), emulatorbin, arch, machine,
                                         virttype);
}

int
qemuConnectCompareCPU(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    return qemuGlueCompareCPU(qemuDriverOf(conn), false, NULL, NULL, NULL, NULL, xmlDesc,
                              flags);
}

int
qemuConnectCompareHypervisorCPU(virConnectPtr conn, const char *emulator,
                                const char *arch, const char *machine,
                                const char *virttype, const char *xmlCPU,
                                unsigned int flags)
{
    return qemuGlueCompareCPU(qemuDriverOf(conn), true, emulator, arch, machine, virttype,
                              xmlCPU, flags);
}

char *
qemuConnectBaselineCPU(virConnectPtr conn, const char **xmlCPUs, unsigned int ncpus,
                       unsigned int flags)
{
    return qemuGlueBaselineCPU(qemuDriverOf(conn), false, NULL, NULL, NULL, NULL, xmlCPUs,
                               ncpus, flags);
}

char *
qemuConnectBaselineHypervisorCPU(virConnectPtr conn, const char *emulator,
                                 const char *arch, const char *machine,
                                 const char *virttype, const char **xmlCPUs,
                                 unsigned int ncpus, unsigned int flags)
{
    return qemuGlueBaselineCPU(qemuDriverOf(conn), true, emulator, arch, machine,
                               virttype, xmlCPUs, ncpus, flags);
}

/* libvirt's CPU drivers: the architectures whose models a list can name;
 * any other known one has no CPU driver (NO_SUPPORT, as libvirt's). */
static const char *const qemuCPUArchAny[] = {
    "aarch64", "armv6l", "armv7l", "armv7b", "s390", "s390x", "ppc64", "ppc64le", NULL,
};

int
qemuConnectGetCPUModelNames(virConnectPtr conn, const char *arch, char ***models,
                            unsigned int flags)
{
    g_auto(GStrv) names = NULL;
    int n;

    virCheckFlags(0, -1);
    if (!virDomainCpuArchIsKnown(arch)) {
        virReportError(VIR_ERR_INVALID_ARG, "cannot find architecture %s", arch);
        return -1;
    }
    if (!g_str_equal(arch, "x86_64") && !g_str_equal(arch, "i686")) {
        if (!g_strv_contains(qemuCPUArchAny, arch)) {
            virReportErrorFull(VIR_FROM_CPU, VIR_ERR_NO_SUPPORT, __func__,
                               "'%s' architecture is not supported by CPU driver", arch);
            return -1;
        }
        /* no emulator here runs them: no model to name */
        names = g_new0(char *, 1);
    } else if (!(names = qemuGlueGetCPUModelNames(qemuDriverOf(conn)))) {
        return -1;
    }
    n = (int)g_strv_length(names);
    if (models)
        *models = g_steal_pointer(&names);
    return n;
}

int
qemuHostKVMMaxVcpus(void)
{
    int fd = open("/dev/kvm", O_RDONLY | O_CLOEXEC);
    int n;

    if (fd < 0) {
        virReportSystemError(errno, "Unable to open %s", "/dev/kvm");
        return -1;
    }
    if ((n = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS)) <= 0 &&
        (n = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS)) <= 0)
        n = 4; /* the kernel's documented default */
    close(fd);
    return n;
}

unsigned int
qemuHostCPUMHz(void)
{
    g_autofree char *text = NULL;
    const char *p;

    if (!g_file_get_contents("/proc/cpuinfo", &text, NULL, NULL) ||
        !(p = strstr(text, "\ncpu MHz")) || !(p = strchr(p, ':')))
        return 0;
    return (unsigned int)g_ascii_strtoull(p + 1, NULL, 10);
}

/* ---- guest utilities ---------------------------------------------------- */

int
qemuDomainSendKey(virDomainPtr dom, unsigned int codeset, unsigned int holdtime,
                  unsigned int *keycodes, int nkeycodes, unsigned int flags)
{
    g_autoptr(json_object) args = NULL;
    json_object *keys;
    virDomainObj *obj;
    qemuMonitor *mon;
    int ret = -1;

    virCheckFlags(0, -1);
    args = json_object_new_object();
    keys = json_object_new_array();
    json_object_object_add(args, "keys", keys);
    for (int i = 0; i < nkeycodes; i++) {
        int qnum = virKeycodeToQnum(codeset, keycodes[i]);
        json_object *k;

        if (qnum < 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "cannot translate keycode %u of %s codeset to qnum keycode",
                           keycodes[i], virKeycodeSetToString(codeset));
            return -1;
        }
        k = json_object_new_object();
        json_object_object_add(k, "type", json_object_new_string("number"));
        json_object_object_add(k, "data", json_object_new_int(qnum));
        json_object_array_add(keys, k);
    }
    if (holdtime)
        json_object_object_add(args, "hold-time", json_object_new_int64(holdtime));
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto endjob;
    if (!(mon = qemuDomainPriv(obj)->mon)) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "QEMU monitor is not connected");
        goto endjob;
    }
    virDomainObjUnlock(obj);
    ret = qemuMonitorCommand(mon, "send-key", args, QEMU_MONITOR_TIMEOUT_MS, NULL);
    virDomainObjLock(obj);
endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* libvirt's qemuDomainGetControlInfo: the monitor gone is an error; a held
 * job makes the control channel occupied since the job was granted. */
int
qemuDomainGetControlInfo(virDomainPtr dom, virDomainControlInfoPtr info,
                         unsigned int flags)
{
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto cleanup;
    memset(info, 0, sizeof(*info));
    if (qemuDomainPriv(obj)->stuck) {
        /* its QEMU survived SIGKILL (qemuProcessMarkStuck): nothing controls it */
        info->state = VIR_DOMAIN_CONTROL_ERROR;
        info->details = VIR_DOMAIN_CONTROL_ERROR_REASON_INTERNAL;
        info->stateTime = (unsigned long long)(g_get_monotonic_time() / 1000 -
                                               qemuDomainPriv(obj)->stuckSinceMs);
    } else if (!qemuDomainPriv(obj)->mon) {
        info->state = VIR_DOMAIN_CONTROL_ERROR;
        info->details = VIR_DOMAIN_CONTROL_ERROR_REASON_MONITOR;
    } else if (obj->job != VIR_JOB_NONE) {
        gint64 now = g_get_real_time() / 1000;

        info->state = VIR_DOMAIN_CONTROL_OCCUPIED;
        info->stateTime =
            now > obj->jobStartMs ? (unsigned long long)(now - obj->jobStartMs) : 0;
    } else {
        info->state = VIR_DOMAIN_CONTROL_OK;
    }
    ret = 0;
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- KSM (libvirt's nodeGetMemoryParameters / nodeSetMemoryParameters) --- */

#define QEMU_KSM_DIR "/sys/kernel/mm/ksm"

static const struct {
    const char *param;
    const char *file;
    bool ull; /* VIR_TYPED_PARAM_ULLONG, else UINT */
} qemuKSMParams[] = {
    { VIR_NODE_MEMORY_SHARED_PAGES_TO_SCAN, "pages_to_scan", false },
    { VIR_NODE_MEMORY_SHARED_SLEEP_MILLISECS, "sleep_millisecs", false },
    { VIR_NODE_MEMORY_SHARED_PAGES_SHARED, "pages_shared", true },
    { VIR_NODE_MEMORY_SHARED_PAGES_SHARING, "pages_sharing", true },
    { VIR_NODE_MEMORY_SHARED_PAGES_UNSHARED, "pages_unshared", true },
    { VIR_NODE_MEMORY_SHARED_PAGES_VOLATILE, "pages_volatile", true },
    { VIR_NODE_MEMORY_SHARED_FULL_SCANS, "full_scans", true },
    { VIR_NODE_MEMORY_SHARED_MERGE_ACROSS_NODES, "merge_across_nodes", false },
};

int
qemuNodeGetMemoryParameters(virConnectPtr conn G_GNUC_UNUSED, virTypedParameterPtr params,
                            int *nparams, unsigned int flags)
{
    int n = 0;

    virCheckFlags(VIR_TYPED_PARAM_STRING_OKAY, -1);
    if (*nparams == 0) {
        *nparams = G_N_ELEMENTS(qemuKSMParams);
        return 0;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(qemuKSMParams) && n < *nparams; i++) {
        g_autofree char *path =
            g_build_filename(QEMU_KSM_DIR, qemuKSMParams[i].file, NULL);
        g_autofree char *text = NULL;
        virTypedParameterPtr p = &params[n];

        if (!g_file_get_contents(path, &text, NULL, NULL)) {
            virReportSystemError(errno, "unable to read %s", path);
            return -1;
        }
        memset(p, 0, sizeof(*p));
        g_strlcpy(p->field, qemuKSMParams[i].param, sizeof(p->field));
        if (qemuKSMParams[i].ull) {
            p->type = VIR_TYPED_PARAM_ULLONG;
            p->value.ul = g_ascii_strtoull(text, NULL, 10);
        } else {
            p->type = VIR_TYPED_PARAM_UINT;
            p->value.ui = (unsigned int)g_ascii_strtoull(text, NULL, 10);
        }
        n++;
    }
    *nparams = n;
    return 0;
}

int
qemuNodeSetMemoryParameters(virConnectPtr conn G_GNUC_UNUSED, virTypedParameterPtr params,
                            int nparams, unsigned int flags)
{
    static const char *const names[] = { VIR_NODE_MEMORY_SHARED_PAGES_TO_SCAN,
                                         VIR_NODE_MEMORY_SHARED_SLEEP_MILLISECS,
                                         VIR_NODE_MEMORY_SHARED_MERGE_ACROSS_NODES,
                                         NULL };
    static const int types[] = { VIR_TYPED_PARAM_UINT, VIR_TYPED_PARAM_UINT,
                                 VIR_TYPED_PARAM_UINT };

    virCheckFlags(0, -1);
    if (virTypedParamsCheck(params, nparams, names, types) < 0)
        return -1;
    for (int i = 0; i < nparams; i++) {
        g_autofree char *path = NULL;
        g_autofree char *value = g_strdup_printf("%u", params[i].value.ui);
        g_autoptr(GError) gerr = NULL;

        for (size_t k = 0; k < G_N_ELEMENTS(qemuKSMParams); k++) {
            if (g_str_equal(params[i].field, qemuKSMParams[k].param))
                path = g_build_filename(QEMU_KSM_DIR, qemuKSMParams[k].file, NULL);
        }
        if (!g_file_set_contents_full(path, value, -1, G_FILE_SET_CONTENTS_NONE, 0644,
                                      &gerr)) {
            virReportError(VIR_ERR_SYSTEM_ERROR, "Unable to write %s: %s", path,
                           gerr->message);
            return -1;
        }
    }
    return 0;
}
