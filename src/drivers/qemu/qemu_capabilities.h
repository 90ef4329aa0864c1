/* qemu_capabilities.h: what a QEMU binary can do, probed once and cached by its identity */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "domain_conf.h"
#include "virsecurity.h"

/*
 * A qemuCaps describes one emulator binary: version, machine types (with
 * aliases and the default), accelerators, QMP commands. It is immutable
 * once built except for the KVM verdict, which is filled in lazily under
 * the cache's lock; callers hold references (qemuCapsRef/Unref).
 *
 * Probe: the binary is run once with "-machine none -nodefaults -display
 * none -S -accel tcg" and a QMP monitor on a listening socket passed by fd
 * (then connected to), asked query-version,
 * query-machines, query-commands, qom-list-types (for accelerators),
 * query-command-line-options for "sandbox", query-cpu-definitions (a cache
 * file without CPU models is probed again), then quit; the whole probe has
 * a deadline. Probes run as the identity given by qemuCapsCacheSetRunAs
 * (the guests' QEMU user), recorded in the cache file. Cache: in memory, and as JSON in
 * "<cacheDir>/capabilities/<sha256(path)>.json", keyed by the binary's
 * identity (path, inode, size, mtime, ctime): a file whose identity does
 * not match is re-probed and rewritten.
 *
 * KVM: usable only if a tiny guest booted with accel=kvm really runs: the
 * default firmware (SeaBIOS) boots a one-sector disk whose code writes to an
 * isa-debug-exit port, so QEMU's exit status (3) proves guest code ran. The
 * same guest under TCG first validates the probe and sets the deadline for
 * the KVM run (2 x TCG time + 0.5 s, at least 1 s, at most
 * QEMU_CAPS_KVM_PROBE_TIMEOUT_MS): a working KVM is faster than TCG. Here
 * the reset vector alone does run under KVM, but SeaBIOS takes ~5 s (TCG
 * ~0.4 s) and a Linux guest hangs, so the verdict is "not usable".
 * /dev/kvm and query-kvm prove nothing. The
 * probe runs at most once per binary identity (the verdict is cached too),
 * and only when something needs it (a kvm domain, or the capabilities XML).
 *
 * Threads: all functions may be called from any thread; the cache has one
 * lock, held during a probe (so concurrent lookups of the same binary wait
 * for one probe instead of running two).
 */

typedef struct _qemuCaps qemuCaps;
typedef struct _qemuCapsCache qemuCapsCache;

/* Deadline of the QMP probe and of each KVM/TCG boot probe: libvirt's
 * monitor wait (30 s). QEMU answers in ~20 ms on an idle host; 15 s was
 * once exceeded at load average 18 on 2 cores, failing a define. */
#define QEMU_CAPS_PROBE_TIMEOUT_MS 30000
#define QEMU_CAPS_KVM_PROBE_TIMEOUT_MS 5000

/* @cacheDir: directory for cache files (created if missing), or NULL for
 * memory only. Never fails. */
qemuCapsCache *qemuCapsCacheNew(const char *cacheDir);
void qemuCapsCacheFree(qemuCapsCache *cache);
/* Probe as @runAs from now on (borrowed: it must outlive @cache; NULL: as
 * ourselves). Cached results probed as someone else are probed again. */
void qemuCapsCacheSetRunAs(qemuCapsCache *cache, const virSecurityIdentity *runAs);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemuCapsCache, qemuCapsCacheFree);

/*
 * Caps of @binary (an absolute path), or of "qemu-system-x86_64" found on
 * PATH when @binary is NULL. Probes when the cache has nothing valid for the
 * binary's current identity. Returns a new reference, or NULL with an error
 * reported (binary missing: "Cannot find QEMU binary %s: No such file or
 * directory"; probe failure: INTERNAL_ERROR naming the binary and why).
 */
qemuCaps *qemuCapsCacheLookup(qemuCapsCache *cache, const char *binary);

qemuCaps *qemuCapsRef(qemuCaps *caps);
void qemuCapsUnref(qemuCaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemuCaps, qemuCapsUnref);

/* Load a cache file written by this module without checking the binary's
 * identity (tests build command lines against a recorded probe). NULL with
 * an error reported. */
qemuCaps *qemuCapsLoadFile(const char *path);

/* A CPU model of query-cpu-definitions (probed under TCG). */
typedef struct {
    char *name;    /* "Haswell", "qemu64-v1", "max", ... */
    char *aliasOf; /* "qemu64" -> "qemu64-v1"; NULL when not an alias */
    bool usable;   /* no unavailable-features under TCG */
    bool deprecated;
    char **blockers; /* the unavailable-features (NULL-terminated; NULL: none) */
    char *vendor;    /* "Intel", "AMD", "Hygon" (QEMU's static expansion); NULL: other
                      * or a versioned name / max / host / base (not expanded) */
    char **features; /* the features on in QEMU's static expansion of the model
                      * (QEMU's names, sorted; NULL-terminated); NULL: not expanded */
} qemuCapsCPUModel;

/* Accessors; returned strings are borrowed from @caps. */
const char *qemuCapsGetBinary(const qemuCaps *caps);
unsigned long qemuCapsGetVersion(const qemuCaps *caps);     /* 7002022 */
const char *qemuCapsGetVersionString(const qemuCaps *caps); /* "7.2.22" */
const char *qemuCapsGetPackage(const qemuCaps *caps);       /* may be "" */
bool qemuCapsHasCommand(const qemuCaps *caps, const char *qmpCommand);
bool qemuCapsHasAccel(const qemuCaps *caps, const char *accel); /* "tcg", "kvm" */
/* -sandbox with obsolete/elevateprivileges/spawn/resourcecontrol works */
bool qemuCapsHasSandbox(const qemuCaps *caps);

/*
 * The canonical machine type for @name ("q35" -> "pc-q35-7.2"; NULL -> the
 * default machine; a full name -> itself). NULL if the binary has no such
 * machine (no error reported).
 */
const char *qemuCapsGetCanonicalMachine(const qemuCaps *caps, const char *name);

/* Is machine @name (alias or full name) one QEMU marks deprecated
 * (query-machines 'deprecated')? False for an unknown one. */
bool qemuCapsIsMachineDeprecated(const qemuCaps *caps, const char *name);

/* The CPU model QEMU gives @machine (alias or full name; NULL: the default
 * machine) when -cpu is not given, e.g. "qemu64"; NULL if not known. */
const char *qemuCapsGetMachineDefaultCPU(const qemuCaps *caps, const char *machine);
/* QEMU's cpu-max of @machine (alias or full name; NULL: default), 0 if unknown. */
int qemuCapsGetMachineMaxCpus(const qemuCaps *caps, const char *machine);
/* The CPU model called @name (QEMU's exact spelling), or NULL. */
const qemuCapsCPUModel *qemuCapsGetCPUModel(const qemuCaps *caps, const char *name);
/* Is @name one of the models libvirt names (not "X-vN", max, host, base)? */
bool qemuCapsCPUModelIsNamed(const char *name);
/* Every CPU model in QEMU's order; *n set (0 for none). Borrowed. */
const qemuCapsCPUModel *const *qemuCapsGetCPUModels(const qemuCaps *caps, size_t *n);
/* The host CPU model as libvirt probes it under TCG: QEMU's static
 * expansion of "max". Its features (QEMU's names, sorted, NULL-terminated)
 * or NULL when QEMU could not expand it; *vendor (may be NULL) gets QEMU's
 * vendor string ("AuthenticAMD"). Borrowed. */
const char *const *qemuCapsGetHostCPU(const qemuCaps *caps, const char **vendor);
/* Is @name (QEMU's spelling) a CPU feature this QEMU knows (a boolean
 * property of its expansion of "max")? True when that is not known. */
bool qemuCapsCPUFeatureIsKnown(const qemuCaps *caps, const char *name);
/* Every CPU feature this QEMU knows (QEMU's names, NULL-terminated), or
 * NULL when that is not known. Borrowed. */
const char *const *qemuCapsGetCPUFeatureNames(const qemuCaps *caps);
/* "Intel", "AMD", "Hygon" for QEMU's vendor strings; NULL for others. */
const char *qemuCapsCPUVendorName(const char *qemuVendor);

/*
 * Can a def of @virtType run with this binary? QEMU: when TCG exists. KVM:
 * runs (or reuses) the KVM boot probe. 0 if yes; else -1 with
 * CONFIG_UNSUPPORTED: "Emulator '<path>' does not support virt type
 * '<type>'" plus, for kvm, the probe's reason ("... : KVM is present but a
 * guest did not run under it within 5000 ms").
 */
int qemuCapsCheckVirtType(qemuCapsCache *cache, qemuCaps *caps, int virtType);

/* The KVM verdict (probing if not known yet); *why (if not NULL) gets a new
 * string explaining a negative verdict. */
bool qemuCapsKVMUsable(qemuCapsCache *cache, qemuCaps *caps, char **why);

/*
 * Driver post-parse for a QEMU def, defaults only: sets def->emulator when
 * NULL, expands def->os.machine (alias or missing -> canonical; a machine
 * the binary lacks stays as given), sets def->os.arch to "x86_64" when
 * NULL. Refusing what QEMU cannot do is qemuValidateDomainDef's job
 * (qemu_validate.h), called right after. Returns 0.
 */
int qemuCapsDomainDefPostParse(const qemuCaps *caps, virDomainDef *def);

/* A disk's defaults as libvirt's QEMU driver fills them at parse (define,
 * attach, update): driver name 'qemu', format raw unless given (a volume's
 * comes from its pool). */
void qemuCapsDiskDefPostParse(virDomainDiskDef *disk);

/* The capabilities XML (libvirt's layout: <host> with uuid/arch/cpu, one
 * <guest> for hvm i686 (@caps32, qemu-system-i386; NULL: none), one for
 * hvm x86_64 (@caps), each with wordsize, emulator, machines (canonical names
 * and aliases as canonical='...'), <domain type='qemu'/> and <domain
 * type='kvm'/> only if KVM is usable). New string; never NULL. */
/* qemu_driver_hugepages.c: the host's page sizes (<pages/> of the host
 * <cpu>) and its NUMA cells (<topology>), read from sysfs at each call, as
 * libvirt 9.0's capabilities list them; no <topology> without NUMA nodes. */
void qemuHugepagesFormatCPUPages(GString *x);
void qemuHugepagesFormatTopology(GString *x);
char *qemuCapsFormatCapabilitiesXML(qemuCapsCache *cache, qemuCaps *caps,
                                    qemuCaps *caps32);

/* The guest architecture of @caps' binary: "i686" for qemu-system-i386,
 * "x86_64" otherwise. Static string. */
const char *qemuCapsGetArch(const qemuCaps *caps);
/* The binary libvirt picks for a guest of @arch when the definition names
 * none: qemu-system-i386 for "i686" if installed; NULL (the default
 * qemu-system-x86_64, which also runs i686 guests) otherwise. New string. */
char *qemuCapsBinaryForArch(const char *arch);
