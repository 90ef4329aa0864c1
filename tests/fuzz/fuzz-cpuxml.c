/* fuzz-cpuxml.c: libFuzzer target, the <cpu> of virConnectCompareCPU / BaselineCPU and their map (src/conf/cpu_map.c) */

/*
 * Input: a <cpu> document (seeds: tests/data/fuzz/cpuxml, host CPUs as
 * capabilities writes them and guest CPUs as domains carry them). It is
 * parsed both ways (auto: compare; host: baseline) and, when accepted,
 * compared with a small host and baselined alone and with a fixed CPU, all
 * over a small map. Checks, besides ASan/UBSan: a refusal leaves a libvirt
 * error (domain CPU, XML or NONE); a compare result is in range, and the
 * error case reports; a baseline names a model of the map, says
 * custom/exact and lists each feature once.
 */

#include <string.h>

#include "cpu_map.h"
#include "domain_conf.h"
#include "fuzz-common.h"
#include <libvirt/libvirt.h>

static const int cpuDomains[] = { VIR_FROM_CPU, VIR_FROM_XML, VIR_FROM_NONE, -1 };
static virCPUMap *map;
static virCPUMapHost *host;
static virCPUMapCPU *fixed;

int
LLVMFuzzerInitialize(int *argc G_GNUC_UNUSED, char ***argv G_GNUC_UNUSED)
{
    static const char *const base[] = { "fpu", "cx8", "mmx", "sse", "sse2", "lm", NULL };
    static const char *const newer[] = { "fpu", "cx8", "mmx",   "sse", "sse2",
                                         "lm",  "pni", "ssse3", "aes", NULL };
    static const char *const hostFeats[] = { "fpu", "cx8", "mmx", "sse", "sse2",
                                             "lm",  "pni", "vmx", NULL };

    map = virCPUMapNew();
    virCPUMapAddModel(map, "qemu64", NULL, base);
    virCPUMapAddModel(map, "Penryn", "Intel", newer);
    virCPUMapAddModel(map, "Opteron_G3", "AMD", newer);
    virCPUMapAddFeature(map, "vmx");
    host = virCPUMapHostNew(map, "Intel", hostFeats);
    if (virCPUMapParseCPU("<cpu><arch>x86_64</arch><model>Penryn</model></cpu>", true,
                          &fixed) < 0)
        abort();
    return 0;
}

static void
checkBaseline(virDomainCpuDef *cpu)
{
    if (!cpu) {
        fuzzCheckError("baseline", cpuDomains);
        return;
    }
    FUZZ_CHECK(cpu->model && virCPUMapHasModel(map, cpu->model), "baseline model %s",
               cpu->model ? cpu->model : "(none)");
    FUZZ_CHECK(cpu->mode == VIR_DOMAIN_CPU_MODE_CUSTOM &&
                   cpu->match == VIR_DOMAIN_CPU_MATCH_EXACT,
               "baseline mode %d match %d", cpu->mode, cpu->match);
    for (size_t i = 0; i < cpu->nfeatures; i++) {
        FUZZ_CHECK(virCPUMapHasFeature(map, cpu->features[i].name), "feature %s",
                   cpu->features[i].name);
        for (size_t j = i + 1; j < cpu->nfeatures; j++)
            FUZZ_CHECK(strcmp(cpu->features[i].name, cpu->features[j].name) != 0,
                       "feature %s listed twice", cpu->features[i].name);
    }
    virDomainCpuDefFree(cpu);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = fuzzInputString(data, size);
    g_autoptr(virCPUMapCPU) any = NULL;
    g_autoptr(virCPUMapCPU) hostCpu = NULL;

    virResetLastError();
    if (virCPUMapParseCPU(xml, false, &any) < 0) {
        fuzzCheckError("CPU parse", cpuDomains);
    } else {
        int r = virCPUMapCompare(map, host, any, size % 2);

        FUZZ_CHECK(r >= VIR_CPU_COMPARE_ERROR && r <= VIR_CPU_COMPARE_SUPERSET,
                   "compare %d", r);
        if (r == VIR_CPU_COMPARE_ERROR)
            fuzzCheckError("compare", cpuDomains);
    }
    virResetLastError();
    if (virCPUMapParseCPU(xml, true, &hostCpu) < 0) {
        fuzzCheckError("host CPU parse", cpuDomains);
    } else {
        virCPUMapCPU *two[] = { hostCpu, fixed };

        checkBaseline(virCPUMapBaseline(map, two, 1, NULL, size % 3 == 0, size % 5 == 0));
        virResetLastError();
        checkBaseline(virCPUMapBaseline(map, two, 2, NULL, size % 3 == 1, false));
    }
    virResetLastError();
    return 0;
}
