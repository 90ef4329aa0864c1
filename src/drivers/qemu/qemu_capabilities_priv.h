/* qemu_capabilities_priv.h: the qemuCaps and cache structures shared by the capabilities files */
#pragma once

#include <json-c/json.h>

#include "qemu_capabilities.h"

/*
 * qemu_capabilities.c answers queries on a qemuCaps (and builds the
 * definition defaults and the capabilities XML); qemu_capabilities_cache.c
 * keeps the memory and file cache (JSON) and decides when to probe;
 * qemu_capabilities_probe.c runs QEMU to probe it (QMP, KVM boot probe).
 * Only these three files include this header.
 */

typedef struct {
    char *name;
    char *alias; /* may be NULL */
    bool isDefault;
    int maxCpus;
    char *defaultCPU; /* "qemu64" (default-cpu-type without its suffix); may be NULL */
    bool deprecated;  /* query-machines 'deprecated' */
} qemuCapsMachine;

struct _qemuCaps {
    gint refs;
    char *binary;
    /* identity of the binary when probed */
    guint64 inode;
    gint64 size;
    gint64 mtimeNs;
    gint64 ctimeNs;

    unsigned long version;
    char *versionString;
    char *package;
    GPtrArray *machines; /* qemuCapsMachine * */
    /* a cache file written before machines carried 'deprecated' (probed
     * again; a recorded test file is read as it is) */
    bool machinesOld;
    GHashTable *commands; /* set of QMP command names */
    GHashTable *accels;   /* set: "tcg", "kvm", ... */
    /* query-cpu-definitions under TCG, in QEMU's order (qemuCapsCPUModel *);
     * NULL in a cache file written before it was probed (probed again) */
    GPtrArray *cpuModels;
    /* query-cpu-model-expansion static of "max" under TCG, as libvirt
     * probes its host CPU model: QEMU's vendor string and the features on
     * (sorted); hostCPUKnown false in an older cache file (probed again) */
    bool hostCPUKnown;
    char *hostCPUVendor;
    char **hostCPUFeatures;
    /* every boolean property of that expansion: the CPU features this
     * QEMU knows (QEMU's names, sorted); NULL when it could not expand */
    char **cpuFeatureNames;

    /* -sandbox with obsolete, elevateprivileges, spawn, resourcecontrol
     * (query-command-line-options); unknown in a cache file written
     * before it was probed, which is then probed again */
    bool sandbox;
    bool sandboxKnown;
    /* who it was probed as (the KVM verdict depends on it) */
    gint64 runUid; /* -1: as the daemon itself */
    gint64 runGid;

    /* KVM verdict: cache->lock */
    bool kvmProbed;
    bool kvmUsable;
    char *kvmWhy;
};

struct _qemuCapsCache {
    GMutex lock;
    char *dir;                        /* NULL: memory only */
    GHashTable *byPath;               /* binary path -> qemuCaps * (a reference) */
    const virSecurityIdentity *runAs; /* borrowed; NULL: probe as ourselves */
};

/* The identity of a binary on disk: a cache entry is valid only for it. */
typedef struct {
    guint64 inode;
    gint64 size;
    gint64 mtimeNs;
    gint64 ctimeNs;
} qemuCapsIdentity;

/* A new qemuCaps with empty tables (one reference). */
qemuCaps *qemuCapsNew(void);
/* GDestroyNotify of a qemuCapsCPUModel (for caps->cpuModels). */
void qemuCapsCPUModelFree(gpointer p);

/* The string member @key of @o, or NULL (absent or not a string). Borrowed. */
const char *qemuCapsJSONStr(json_object *o, const char *key);
/* An array of strings as a new NULL-terminated vector; NULL when empty or
 * not an array. */
char **qemuCapsStrvFromJSON(json_object *a);

/* Probe @binary (identity @id) as @runAs (NULL: as ourselves): a new
 * qemuCaps, or NULL with an error reported. Runs QEMU with a deadline;
 * the caller holds the cache lock. */
qemuCaps *qemuCapsProbe(const char *binary, const qemuCapsIdentity *id,
                        const virSecurityIdentity *runAs);
/* Fill in @caps' KVM verdict (kvmProbed, kvmUsable, kvmWhy) by booting the
 * probe guest under TCG then KVM; the caller holds the cache lock. */
void qemuCapsProbeKVM(qemuCaps *caps, const virSecurityIdentity *runAs);
