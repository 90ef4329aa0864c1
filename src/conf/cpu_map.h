/* cpu_map.h: a CPU map (x86 models and their features) and libvirt's CPU compare and baseline over it */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "domain_cpu_conf.h"

/*
 * libvirt answers virConnectCompareCPU and virConnectBaselineCPU from its
 * CPU map: every x86 model with the CPUID features it has, plus the host
 * CPU. virtkit builds its map from QEMU: each model's features are those
 * on in QEMU's static expansion of it (query-cpu-model-expansion), with
 * libvirt's feature names; the models are those of libvirt 9.0's map, in
 * its order (oldest first). A map differs from libvirt's where QEMU's
 * definition of a model differs from libvirt's, and features are listed
 * by name where libvirt lists them in CPUID order.
 *
 * All functions are pure over their arguments; a map is immutable once
 * filled and may be read from any thread.
 */

typedef struct _virCPUMap virCPUMap;

/* libvirt 9.0's x86 models, oldest first (the order the CPU map and
 * virConnectGetCPUModelNames give); NULL-terminated. */
extern const char *const virCPUMapX86Models[];

/* Models libvirt defines without a vendor (QEMU's generic ones). */
bool virCPUMapModelIsGeneric(const char *name);

virCPUMap *virCPUMapNew(void);
void virCPUMapFree(virCPUMap *map);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virCPUMap, virCPUMapFree);

/* Add model @name (vendor "Intel", "AMD", "Hygon" or NULL) with
 * @features (libvirt's names, any order, NULL-terminated, copied); the
 * features become known. Models are tried newest (last added) first. */
void virCPUMapAddModel(virCPUMap *map, const char *name, const char *vendor,
                       const char *const *features);
/* Make feature @name known (a host may have features no model has). */
void virCPUMapAddFeature(virCPUMap *map, const char *name);
bool virCPUMapHasFeature(const virCPUMap *map, const char *name);
bool virCPUMapHasModel(const virCPUMap *map, const char *name);
/* The features of model @name, sorted (new), or NULL when the map has no
 * such model. */
GStrv virCPUMapModelFeatures(const virCPUMap *map, const char *name);

/* A parsed CPU description: a host CPU (it has <arch>) or a guest CPU. */
typedef struct {
    virDomainCpuDef *def;
    char *arch; /* host CPUs: <arch> */
    bool host;
} virCPUMapCPU;

void virCPUMapCPUFree(virCPUMapCPU *cpu);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virCPUMapCPU, virCPUMapCPUFree);

/*
 * Parse @xml, a <cpu> element, as libvirt's virCPUDefParseXMLString:
 * @wantHost true parses a host CPU (<arch> and <model> required, no mode
 * attribute), false decides by the presence of <arch>. Errors in
 * VIR_FROM_CPU: XML_DETAIL for malformed XML, XML_ERROR "XML does not
 * contain expected 'cpu' element", "Missing CPU architecture", "Missing
 * CPU model name", CONFIG_UNSUPPORTED "Attribute mode is only allowed for
 * guest CPU", and the <cpu> parser's own. Returns 0 or -1.
 */
int virCPUMapParseCPU(const char *xml, bool wantHost, virCPUMapCPU **out);

/* A host CPU as the map sees it: vendor and every feature it has. */
typedef struct {
    char *model; /* the closest model (virCPUMapHostDecode), NULL: unknown */
    char *vendor;
    GStrv features; /* sorted */
} virCPUMapHost;

void virCPUMapHostFree(virCPUMapHost *host);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virCPUMapHost, virCPUMapHostFree);

/* A host of @vendor (may be NULL) with @features (libvirt's names; those
 * the map does not know are dropped), named by its closest model (the
 * newest with the fewest extra features and none missing, as libvirt's
 * x86Decode of a host). New; never NULL. */
virCPUMapHost *virCPUMapHostNew(const virCPUMap *map, const char *vendor,
                                const char *const *features);

/* The host's /proc/cpuinfo "flags" (Linux names) as libvirt's feature
 * names the map knows, sorted; *@vendor gets "Intel"/"AMD"/"Hygon" or
 * NULL. Unknown and Linux-only flags are dropped. */
GStrv virCPUMapFeaturesFromCPUInfo(const virCPUMap *map, const char *cpuinfo,
                                   char **vendor);

/*
 * libvirt's x86 compare of @cpu with @host: INCOMPATIBLE when the host
 * lacks a required feature, has a forbidden one, is of another vendor or
 * the CPU is of another architecture, or (match='strict') has more; else
 * SUPERSET when the host has more, IDENTICAL when not. With
 * @failIncompatible an incompatible CPU is VIR_ERR_CPU_INCOMPATIBLE with
 * libvirt's reason and VIR_CPU_COMPARE_ERROR. Unknown models and features
 * are INTERNAL_ERROR "Unknown CPU model X" / "Unknown CPU feature X".
 * Returns a virCPUCompareResult (-1 on error).
 */
int virCPUMapCompare(const virCPUMap *map, const virCPUMapHost *host,
                     const virCPUMapCPU *cpu, bool failIncompatible);

/*
 * libvirt's x86 baseline of @ncpus host CPUs: the features all have (and,
 * when @onlyFeatures is not NULL, QEMU knows), named by the model that
 * needs the fewest features added or disabled (the CPUs' common model
 * when they share one: fallback forbid), the common vendor when all give
 * it. @expand lists every feature of the model (sorted); @migratable
 * drops the non-migratable (invtsc). Errors as libvirt's (VIR_FROM_CPU):
 * INVALID_ARG "no CPUs given", OPERATION_FAILED "CPU vendors do not
 * match" / "Unknown CPU vendor X" / "CPUs are incompatible", INTERNAL_ERROR
 * for unknown models and features. New guest CPU, or NULL.
 */
virDomainCpuDef *virCPUMapBaseline(const virCPUMap *map, virCPUMapCPU *const *cpus,
                                   size_t ncpus, const char *const *onlyFeatures,
                                   bool expand, bool migratable);
