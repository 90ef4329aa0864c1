/* domain_cpu_conf.h: the guest <cpu> of a domain definition (libvirt 9.0's cpu_conf, guest side) */
#pragma once

#include <glib.h>
#include <stdbool.h>

/*
 * <cpu mode match check migratable> with <model fallback vendor_id>,
 * <vendor>, <topology sockets dies cores threads> and <feature policy
 * name>, parsed with libvirt's messages and formatted as libvirt 9.0
 * formats it (virCPUDefFormatBufFull), and <cache level mode>. <numa> is
 * the domain's (domain_numa_conf.c); other children virtkit does not
 * carry (<maxphysaddr>) are recorded as unknown so a driver refuses them.
 * Which modes and models run is the driver's to say.
 */

typedef enum {
    VIR_DOMAIN_CPU_MODE_CUSTOM = 0,
    VIR_DOMAIN_CPU_MODE_HOST_MODEL,
    VIR_DOMAIN_CPU_MODE_HOST_PASSTHROUGH,
    VIR_DOMAIN_CPU_MODE_MAXIMUM,
    VIR_DOMAIN_CPU_MODE_LAST
} virDomainCpuMode;

typedef enum {
    VIR_DOMAIN_CPU_MATCH_NONE = 0, /* not given (custom gets exact) */
    VIR_DOMAIN_CPU_MATCH_MINIMUM,
    VIR_DOMAIN_CPU_MATCH_EXACT,
    VIR_DOMAIN_CPU_MATCH_STRICT,
    VIR_DOMAIN_CPU_MATCH_LAST
} virDomainCpuMatch;

typedef enum {
    VIR_DOMAIN_CPU_CHECK_DEFAULT = 0, /* not given: the driver decides */
    VIR_DOMAIN_CPU_CHECK_NONE,
    VIR_DOMAIN_CPU_CHECK_PARTIAL,
    VIR_DOMAIN_CPU_CHECK_FULL,
    VIR_DOMAIN_CPU_CHECK_LAST
} virDomainCpuCheck;

typedef enum {
    VIR_DOMAIN_CPU_FALLBACK_ALLOW = 0, /* libvirt's default */
    VIR_DOMAIN_CPU_FALLBACK_FORBID,
    VIR_DOMAIN_CPU_FALLBACK_LAST
} virDomainCpuFallback;

typedef enum {
    VIR_DOMAIN_CPU_FEATURE_FORCE = 0,
    VIR_DOMAIN_CPU_FEATURE_REQUIRE, /* default when policy= is absent */
    VIR_DOMAIN_CPU_FEATURE_OPTIONAL,
    VIR_DOMAIN_CPU_FEATURE_DISABLE,
    VIR_DOMAIN_CPU_FEATURE_FORBID,
    VIR_DOMAIN_CPU_FEATURE_LAST
} virDomainCpuFeaturePolicy;

typedef struct {
    char *name;
    int policy; /* virDomainCpuFeaturePolicy */
} virDomainCpuFeatureDef;

/* <cache mode=...>: libvirt's virCPUCacheMode */
typedef enum {
    VIR_DOMAIN_CPU_CACHE_MODE_EMULATE = 0,
    VIR_DOMAIN_CPU_CACHE_MODE_PASSTHROUGH,
    VIR_DOMAIN_CPU_CACHE_MODE_DISABLE,
    VIR_DOMAIN_CPU_CACHE_MODE_LAST
} virDomainCpuCacheMode;

const char *virDomainCpuCacheModeToString(int mode);

typedef struct _virDomainCpuDef {
    int mode;       /* virDomainCpuMode */
    int match;      /* virDomainCpuMatch */
    int check;      /* virDomainCpuCheck */
    int migratable; /* virDomainTristate: absent, on, off */
    char *model;    /* NULL: none (custom with topology only, or host modes) */
    int fallback;   /* virDomainCpuFallback */
    char *vendorId; /* <model vendor_id=...>, 12 characters */
    char *vendor;   /* <vendor> */
    /* <topology>: all 0 when absent; dies is 1 when the element omits it */
    unsigned int sockets;
    unsigned int dies;
    unsigned int cores;
    unsigned int threads;
    bool cache;                       /* <cache> given */
    int cacheLevel;                   /* its level= (1-3), -1 when absent */
    int cacheMode;                    /* virDomainCpuCacheMode */
    virDomainCpuFeatureDef *features; /* in document order, names unique */
    size_t nfeatures;
} virDomainCpuDef;

virDomainCpuDef *virDomainCpuDefNew(void);
void virDomainCpuDefFree(virDomainCpuDef *cpu);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainCpuDef, virDomainCpuDefFree);
virDomainCpuDef *virDomainCpuDefCopy(const virDomainCpuDef *src);

const char *virDomainCpuModeToString(int mode);
/* Is @arch one of libvirt's architecture names (virArch: "x86_64", "i686",
 * "aarch64", ...)? */
bool virDomainCpuArchIsKnown(const char *arch);
const char *virDomainCpuFeaturePolicyToString(int policy);

/* Append the <cpu> element of @cpu (nothing when NULL) to @buf, each line
 * indented by @indent spaces, exactly as libvirt 9.0 formats a guest CPU. */
void virDomainCpuDefFormat(GString *buf, const virDomainCpuDef *cpu, int indent);
/* The same with @extra (already indented lines, e.g. the guest's <numa>)
 * appended to its children. */
void virDomainCpuDefFormatWith(GString *buf, const virDomainCpuDef *cpu,
                               const char *extra, int indent);

struct _xmlNode;

/* Parse a <cpu> element (@node, libxml2's xmlNode) into *@out: 0, or -1
 * with libvirt's error reported. Children virtkit does not carry go to
 * @unknown as "cpu/NAME" (PARSE_VALIDATE: a schema error, *failed set). */
int virDomainCpuDefParse(struct _xmlNode *node, GPtrArray *unknown, unsigned int flags,
                         bool *failed, virDomainCpuDef **out);

/* Product of the topology, 0 when there is none. */
unsigned long long virDomainCpuDefTopologyVcpus(const virDomainCpuDef *cpu);
