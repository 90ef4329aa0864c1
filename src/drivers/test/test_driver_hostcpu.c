/* test_driver_hostcpu.c: the test driver's CPU facts, as libvirt 9.0's test driver answers them */
#define G_LOG_DOMAIN "virtkit.test.hostcpu"

#include "test_driver_priv.h"
#include "domain_cpu_conf.h"
#include "cpu_map.h"
#include <string.h>

#include "virerror.h"
#include "virkeycode.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/* The models of libvirt 9.0's CPU map (what its test driver lists, read
 * with Debian's virsh cpu-models on test:///default): x86's are the CPU
 * map's (cpu_map.h), ppc64's here. */
static const char *const testCPUModelsPPC64[] = {
    "POWER6",  "POWER7",        "POWER8",        "POWER9",
    "POWER10", "POWERPC_e5500", "POWERPC_e6500", NULL,
};
/* architectures whose CPU driver takes any model (an empty list) */
static const char *const testCPUArchAny[] = {
    "aarch64", "armv6l", "armv7l", "armv7b", "s390", "s390x", NULL,
};

int
testConnectGetCPUModelNames(virConnectPtr conn G_GNUC_UNUSED, const char *arch,
                            char ***models, unsigned int flags)
{
    const char *const *list = NULL;

    virCheckFlags(0, -1);
    if (!virDomainCpuArchIsKnown(arch)) {
        virReportError(VIR_ERR_INVALID_ARG, "cannot find architecture %s", arch);
        return -1;
    }
    if (g_str_equal(arch, "x86_64") || g_str_equal(arch, "i686"))
        list = virCPUMapX86Models;
    else if (g_str_equal(arch, "ppc64") || g_str_equal(arch, "ppc64le"))
        list = testCPUModelsPPC64;
    else if (!g_strv_contains(testCPUArchAny, arch)) {
        virReportErrorFull(VIR_FROM_CPU, VIR_ERR_NO_SUPPORT, __func__,
                           "'%s' architecture is not supported by CPU driver", arch);
        return -1;
    }
    if (models)
        *models = list ? g_strdupv((char **)list) : g_new0(char *, 1);
    return list ? (int)g_strv_length((char **)list) : 0;
}

/* libvirt's test driver: a baseline over its CPU map (here virtkit's, from
 * QEMU's model definitions: test_cpu_map.c), no host CPU to compare with
 * (compare answers NO_SUPPORT), and no MIGRATABLE flag. */
char *
testConnectBaselineCPU(virConnectPtr conn G_GNUC_UNUSED, const char **xmlCPUs,
                       unsigned int ncpus, unsigned int flags)
{
    g_autoptr(GPtrArray) cpus =
        g_ptr_array_new_with_free_func((GDestroyNotify)virCPUMapCPUFree);
    g_autoptr(virDomainCpuDef) cpu = NULL;
    g_autoptr(GString) buf = g_string_new(NULL);

    virCheckFlags(VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES, NULL);
    for (unsigned int i = 0; i < ncpus; i++) {
        virCPUMapCPU *c = NULL;

        if (virCPUMapParseCPU(xmlCPUs[i], true, &c) < 0)
            return NULL;
        g_ptr_array_add(cpus, c);
    }
    for (guint i = 0; i < cpus->len; i++) {
        const virCPUMapCPU *c = g_ptr_array_index(cpus, i);

        if (!g_str_equal(c->arch, "x86_64") && !g_str_equal(c->arch, "i686")) {
            virReportErrorFull(VIR_FROM_CPU, VIR_ERR_NO_SUPPORT, __func__,
                               "virtkit has no CPU map of '%s' architecture", c->arch);
            return NULL;
        }
    }
    if (!(cpu = virCPUMapBaseline(
              testCPUMapGet(), (virCPUMapCPU *const *)cpus->pdata, cpus->len, NULL,
              flags & VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES, false)))
        return NULL;
    virDomainCpuDefFormat(buf, cpu, 0);
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

/* libvirt's test driver: the keys must be keys of their codeset, and the
 * domain running; nothing is pressed. */
int
testDomainSendKey(virDomainPtr dom, unsigned int codeset, unsigned int holdtime,
                  unsigned int *keycodes, int nkeycodes, unsigned int flags)
{
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) < 0)
        goto cleanup;
    for (int i = 0; i < nkeycodes; i++) {
        if (!virKeycodeIsValid(codeset, keycodes[i])) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "invalid keycode %u of %s codeset",
                           keycodes[i], virKeycodeSetToString(codeset));
            goto cleanup;
        }
    }
    ret = 0;
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
testDomainGetControlInfo(virDomainPtr dom, virDomainControlInfoPtr info,
                         unsigned int flags)
{
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjCheckActive(obj) == 0) {
        memset(info, 0, sizeof(*info));
        info->state = VIR_DOMAIN_CONTROL_OK;
        ret = 0;
    }
    virDomainObjEndAPI(&obj);
    return ret;
}
