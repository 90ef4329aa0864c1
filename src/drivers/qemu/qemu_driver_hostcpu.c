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
#include "virerror.h"

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
