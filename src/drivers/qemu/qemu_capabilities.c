/* qemu_capabilities.c: probe a QEMU binary over QMP, cache the result, answer capabilities */

/*
 * Thread protocol: qemuCapsCache.lock protects the memory cache and the KVM
 * verdict of every qemuCaps it handed out; it is held across a probe (QEMU
 * run with a deadline) so that concurrent lookups wait for one probe. The
 * probe's QMP traffic runs on the monitor I/O thread (qemu_monitor.c); the
 * caller only waits with deadlines. Everything else in a qemuCaps is
 * immutable after creation.
 */

#define G_LOG_DOMAIN "virtkit.qemu.caps"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qemu_capabilities.h"
#include "qemu_domain_address.h"
#include "qemu_monitor.h"
#include "virerror.h"
#include "virfile.h"
#include "virprocess.h"
#include "virsecurity.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

typedef struct {
    char *name;
    char *alias; /* may be NULL */
    bool isDefault;
    int maxCpus;
    char *defaultCPU; /* "qemu64" (default-cpu-type without its suffix); may be NULL */
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
    GPtrArray *machines;  /* qemuCapsMachine * */
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

static void
qemuCapsMachineFree(gpointer p)
{
    qemuCapsMachine *m = p;

    g_free(m->name);
    g_free(m->alias);
    g_free(m->defaultCPU);
    g_free(m);
}

static void
qemuCapsCPUModelFree(gpointer p)
{
    qemuCapsCPUModel *m = p;

    g_free(m->name);
    g_free(m->aliasOf);
    g_strfreev(m->blockers);
    g_free(m->vendor);
    g_strfreev(m->features);
    g_free(m);
}

static qemuCaps *
qemuCapsNew(void)
{
    qemuCaps *caps = g_new0(qemuCaps, 1);

    caps->refs = 1;
    caps->machines = g_ptr_array_new_with_free_func(qemuCapsMachineFree);
    caps->commands = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    caps->accels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    caps->package = g_strdup("");
    caps->runUid = -1;
    caps->runGid = -1;
    return caps;
}

qemuCaps *
qemuCapsRef(qemuCaps *caps)
{
    g_atomic_int_inc(&caps->refs);
    return caps;
}

void
qemuCapsUnref(qemuCaps *caps)
{
    if (!caps || !g_atomic_int_dec_and_test(&caps->refs))
        return;
    g_free(caps->binary);
    g_free(caps->versionString);
    g_free(caps->package);
    g_ptr_array_unref(caps->machines);
    g_hash_table_unref(caps->commands);
    g_hash_table_unref(caps->accels);
    if (caps->cpuModels)
        g_ptr_array_unref(caps->cpuModels);
    g_free(caps->hostCPUVendor);
    g_strfreev(caps->hostCPUFeatures);
    g_strfreev(caps->cpuFeatureNames);
    g_free(caps->kvmWhy);
    g_free(caps);
}

qemuCapsCache *
qemuCapsCacheNew(const char *cacheDir)
{
    qemuCapsCache *cache = g_new0(qemuCapsCache, 1);

    g_mutex_init(&cache->lock);
    if (cacheDir)
        cache->dir = g_build_filename(cacheDir, "capabilities", NULL);
    cache->byPath = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify)qemuCapsUnref);
    return cache;
}

void
qemuCapsCacheSetRunAs(qemuCapsCache *cache, const virSecurityIdentity *runAs)
{
    g_mutex_lock(&cache->lock);
    cache->runAs = runAs;
    g_mutex_unlock(&cache->lock);
}

void
qemuCapsCacheFree(qemuCapsCache *cache)
{
    if (!cache)
        return;
    g_hash_table_unref(cache->byPath);
    g_free(cache->dir);
    g_mutex_clear(&cache->lock);
    g_free(cache);
}

/* ---- accessors ------------------------------------------------------ */

const char *
qemuCapsGetBinary(const qemuCaps *caps)
{
    return caps->binary;
}

unsigned long
qemuCapsGetVersion(const qemuCaps *caps)
{
    return caps->version;
}

const char *
qemuCapsGetVersionString(const qemuCaps *caps)
{
    return caps->versionString;
}

const char *
qemuCapsGetPackage(const qemuCaps *caps)
{
    return caps->package;
}

bool
qemuCapsHasCommand(const qemuCaps *caps, const char *qmpCommand)
{
    return g_hash_table_contains(caps->commands, qmpCommand);
}

bool
qemuCapsHasSandbox(const qemuCaps *caps)
{
    return caps->sandbox;
}

bool
qemuCapsHasAccel(const qemuCaps *caps, const char *accel)
{
    return g_hash_table_contains(caps->accels, accel);
}

const char *
qemuCapsGetMachineDefaultCPU(const qemuCaps *caps, const char *machine)
{
    const char *canon = qemuCapsGetCanonicalMachine(caps, machine);

    for (guint i = 0; canon && i < caps->machines->len; i++) {
        qemuCapsMachine *m = g_ptr_array_index(caps->machines, i);

        if (g_str_equal(m->name, canon))
            return m->defaultCPU;
    }
    return NULL;
}

int
qemuCapsGetMachineMaxCpus(const qemuCaps *caps, const char *machine)
{
    const char *canon = qemuCapsGetCanonicalMachine(caps, machine);

    for (guint i = 0; canon && i < caps->machines->len; i++) {
        qemuCapsMachine *m = g_ptr_array_index(caps->machines, i);

        if (g_str_equal(m->name, canon))
            return m->maxCpus;
    }
    return 0;
}

const qemuCapsCPUModel *
qemuCapsGetCPUModel(const qemuCaps *caps, const char *name)
{
    for (guint i = 0; caps->cpuModels && i < caps->cpuModels->len; i++) {
        const qemuCapsCPUModel *m = g_ptr_array_index(caps->cpuModels, i);

        if (g_str_equal(m->name, name))
            return m;
    }
    return NULL;
}

bool
qemuCapsCPUModelIsNamed(const char *name)
{
    const char *v = strrchr(name, '-');

    if (g_str_equal(name, "max") || g_str_equal(name, "host") ||
        g_str_equal(name, "base"))
        return false;
    if (v && v[1] == 'v' && v[2] && strspn(v + 2, "0123456789") == strlen(v + 2))
        return false;
    return true;
}

bool
qemuCapsCPUFeatureIsKnown(const qemuCaps *caps, const char *name)
{
    return !caps->cpuFeatureNames ||
           g_strv_contains((const char *const *)caps->cpuFeatureNames, name);
}

const char *const *
qemuCapsGetHostCPU(const qemuCaps *caps, const char **vendor)
{
    *vendor = caps->hostCPUVendor;
    return (const char *const *)caps->hostCPUFeatures;
}

const qemuCapsCPUModel *const *
qemuCapsGetCPUModels(const qemuCaps *caps, size_t *n)
{
    *n = caps->cpuModels ? caps->cpuModels->len : 0;
    return caps->cpuModels ? (const qemuCapsCPUModel *const *)caps->cpuModels->pdata
                           : NULL;
}

const char *
qemuCapsGetCanonicalMachine(const qemuCaps *caps, const char *name)
{
    for (guint i = 0; i < caps->machines->len; i++) {
        qemuCapsMachine *m = g_ptr_array_index(caps->machines, i);

        if (name ? (g_str_equal(m->name, name) || g_strcmp0(m->alias, name) == 0)
                 : m->isDefault)
            return m->name;
    }
    return NULL;
}

/* ---- (de)serialization ---------------------------------------------- */

static json_object *
qemuCapsStrvToJSON(const char *const *v)
{
    json_object *a = json_object_new_array();

    for (size_t i = 0; v && v[i]; i++)
        json_object_array_add(a, json_object_new_string(v[i]));
    return a;
}

static json_object *
qemuCapsToJSON(const qemuCaps *caps)
{
    json_object *o = json_object_new_object();
    json_object *machines = json_object_new_array();
    json_object *cmds = json_object_new_array();
    json_object *accels = json_object_new_array();
    g_autoptr(GList) keys = NULL;

    json_object_object_add(o, "binary", json_object_new_string(caps->binary));
    json_object_object_add(o, "inode", json_object_new_int64((gint64)caps->inode));
    json_object_object_add(o, "size", json_object_new_int64(caps->size));
    json_object_object_add(o, "mtime", json_object_new_int64(caps->mtimeNs));
    json_object_object_add(o, "ctime", json_object_new_int64(caps->ctimeNs));
    json_object_object_add(o, "version", json_object_new_int64(caps->version));
    json_object_object_add(o, "versionString",
                           json_object_new_string(caps->versionString));
    json_object_object_add(o, "package", json_object_new_string(caps->package));
    for (guint i = 0; i < caps->machines->len; i++) {
        qemuCapsMachine *m = g_ptr_array_index(caps->machines, i);
        json_object *mo = json_object_new_object();

        json_object_object_add(mo, "name", json_object_new_string(m->name));
        if (m->alias)
            json_object_object_add(mo, "alias", json_object_new_string(m->alias));
        json_object_object_add(mo, "default", json_object_new_boolean(m->isDefault));
        json_object_object_add(mo, "maxCpus", json_object_new_int(m->maxCpus));
        if (m->defaultCPU)
            json_object_object_add(mo, "defaultCPU",
                                   json_object_new_string(m->defaultCPU));
        json_object_array_add(machines, mo);
    }
    json_object_object_add(o, "machines", machines);
    keys = g_list_sort(g_hash_table_get_keys(caps->commands), (GCompareFunc)strcmp);
    for (GList *l = keys; l; l = l->next)
        json_object_array_add(cmds, json_object_new_string(l->data));
    json_object_object_add(o, "commands", cmds);
    g_clear_pointer(&keys, g_list_free);
    keys = g_list_sort(g_hash_table_get_keys(caps->accels), (GCompareFunc)strcmp);
    for (GList *l = keys; l; l = l->next)
        json_object_array_add(accels, json_object_new_string(l->data));
    json_object_object_add(o, "accels", accels);
    if (caps->sandboxKnown)
        json_object_object_add(o, "sandbox", json_object_new_boolean(caps->sandbox));
    if (caps->cpuModels) {
        json_object *models = json_object_new_array();

        for (guint i = 0; i < caps->cpuModels->len; i++) {
            const qemuCapsCPUModel *m = g_ptr_array_index(caps->cpuModels, i);
            json_object *mo = json_object_new_object();

            json_object_object_add(mo, "name", json_object_new_string(m->name));
            if (m->aliasOf)
                json_object_object_add(mo, "aliasOf", json_object_new_string(m->aliasOf));
            json_object_object_add(mo, "usable", json_object_new_boolean(m->usable));
            json_object_object_add(mo, "deprecated",
                                   json_object_new_boolean(m->deprecated));
            if (m->vendor)
                json_object_object_add(mo, "vendor", json_object_new_string(m->vendor));
            if (m->blockers)
                json_object_object_add(
                    mo, "blockers", qemuCapsStrvToJSON((const char *const *)m->blockers));
            if (m->features)
                json_object_object_add(
                    mo, "features", qemuCapsStrvToJSON((const char *const *)m->features));
            json_object_array_add(models, mo);
        }
        json_object_object_add(o, "cpuModels", models);
    }
    if (caps->hostCPUKnown) {
        json_object *h = json_object_new_object();

        if (caps->hostCPUVendor)
            json_object_object_add(h, "vendor",
                                   json_object_new_string(caps->hostCPUVendor));
        json_object_object_add(
            h, "features",
            qemuCapsStrvToJSON((const char *const *)caps->hostCPUFeatures));
        json_object_object_add(
            h, "names", qemuCapsStrvToJSON((const char *const *)caps->cpuFeatureNames));
        json_object_object_add(o, "hostCPU", h);
    }
    if (caps->runUid >= 0) {
        json_object_object_add(o, "runUid", json_object_new_int64(caps->runUid));
        json_object_object_add(o, "runGid", json_object_new_int64(caps->runGid));
    }
    if (caps->kvmProbed) {
        json_object *k = json_object_new_object();

        json_object_object_add(k, "usable", json_object_new_boolean(caps->kvmUsable));
        if (caps->kvmWhy)
            json_object_object_add(k, "why", json_object_new_string(caps->kvmWhy));
        json_object_object_add(o, "kvm", k);
    }
    return o;
}

static const char *
jsonStr(json_object *o, const char *key)
{
    json_object *v;

    if (!json_object_object_get_ex(o, key, &v) ||
        !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* An array of strings as a NULL-terminated vector; NULL when empty or not
 * an array. */
static char **
qemuCapsStrvFromJSON(json_object *a)
{
    g_autoptr(GPtrArray) v = NULL;

    if (!a || !json_object_is_type(a, json_type_array) || !json_object_array_length(a))
        return NULL;
    v = g_ptr_array_new();
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        json_object *e = json_object_array_get_idx(a, i);

        if (json_object_is_type(e, json_type_string))
            g_ptr_array_add(v, g_strdup(json_object_get_string(e)));
    }
    g_ptr_array_add(v, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&v), FALSE);
}

static qemuCaps *
qemuCapsFromJSON(json_object *o)
{
    g_autoptr(qemuCaps) caps = qemuCapsNew();
    json_object *v;

    if (!jsonStr(o, "binary") || !jsonStr(o, "versionString") ||
        !json_object_object_get_ex(o, "machines", &v) ||
        !json_object_is_type(v, json_type_array))
        return NULL;
    caps->binary = g_strdup(jsonStr(o, "binary"));
    caps->versionString = g_strdup(jsonStr(o, "versionString"));
    g_free(caps->package);
    caps->package = g_strdup(jsonStr(o, "package") ? jsonStr(o, "package") : "");
    caps->inode = (guint64)json_object_get_int64(json_object_object_get(o, "inode"));
    caps->size = json_object_get_int64(json_object_object_get(o, "size"));
    caps->mtimeNs = json_object_get_int64(json_object_object_get(o, "mtime"));
    caps->ctimeNs = json_object_get_int64(json_object_object_get(o, "ctime"));
    caps->version =
        (unsigned long)json_object_get_int64(json_object_object_get(o, "version"));
    for (size_t i = 0; i < json_object_array_length(v); i++) {
        json_object *mo = json_object_array_get_idx(v, i);
        qemuCapsMachine *m;

        if (!jsonStr(mo, "name"))
            return NULL;
        m = g_new0(qemuCapsMachine, 1);
        m->name = g_strdup(jsonStr(mo, "name"));
        m->alias = g_strdup(jsonStr(mo, "alias"));
        m->isDefault = json_object_get_boolean(json_object_object_get(mo, "default"));
        m->maxCpus = json_object_get_int(json_object_object_get(mo, "maxCpus"));
        m->defaultCPU = g_strdup(jsonStr(mo, "defaultCPU"));
        g_ptr_array_add(caps->machines, m);
    }
    if (json_object_object_get_ex(o, "cpuModels", &v) &&
        json_object_is_type(v, json_type_array)) {
        caps->cpuModels = g_ptr_array_new_with_free_func(qemuCapsCPUModelFree);
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            json_object *mo = json_object_array_get_idx(v, i);
            qemuCapsCPUModel *m;

            if (!jsonStr(mo, "name"))
                return NULL;
            m = g_new0(qemuCapsCPUModel, 1);
            m->name = g_strdup(jsonStr(mo, "name"));
            m->aliasOf = g_strdup(jsonStr(mo, "aliasOf"));
            m->usable = json_object_get_boolean(json_object_object_get(mo, "usable"));
            m->deprecated =
                json_object_get_boolean(json_object_object_get(mo, "deprecated"));
            m->blockers = qemuCapsStrvFromJSON(json_object_object_get(mo, "blockers"));
            m->vendor = g_strdup(jsonStr(mo, "vendor"));
            m->features = qemuCapsStrvFromJSON(json_object_object_get(mo, "features"));
            g_ptr_array_add(caps->cpuModels, m);
        }
    }
    /* a cache file without the feature names (older) is probed again */
    if (json_object_object_get_ex(o, "hostCPU", &v) &&
        json_object_is_type(v, json_type_object) && json_object_object_get(v, "names")) {
        caps->hostCPUKnown = true;
        caps->cpuFeatureNames = qemuCapsStrvFromJSON(json_object_object_get(v, "names"));
        caps->hostCPUVendor = g_strdup(jsonStr(v, "vendor"));
        caps->hostCPUFeatures =
            qemuCapsStrvFromJSON(json_object_object_get(v, "features"));
    }
    if (json_object_object_get_ex(o, "commands", &v))
        for (size_t i = 0; i < json_object_array_length(v); i++)
            g_hash_table_add(caps->commands, g_strdup(json_object_get_string(
                                                 json_object_array_get_idx(v, i))));
    if (json_object_object_get_ex(o, "accels", &v))
        for (size_t i = 0; i < json_object_array_length(v); i++)
            g_hash_table_add(caps->accels, g_strdup(json_object_get_string(
                                               json_object_array_get_idx(v, i))));
    if (json_object_object_get_ex(o, "sandbox", &v)) {
        caps->sandboxKnown = true;
        caps->sandbox = json_object_get_boolean(v);
    }
    caps->runUid =
        json_object_object_get_ex(o, "runUid", &v) ? json_object_get_int64(v) : -1;
    caps->runGid =
        json_object_object_get_ex(o, "runGid", &v) ? json_object_get_int64(v) : -1;
    if (json_object_object_get_ex(o, "kvm", &v)) {
        caps->kvmProbed = true;
        caps->kvmUsable = json_object_get_boolean(json_object_object_get(v, "usable"));
        caps->kvmWhy = g_strdup(jsonStr(v, "why"));
    }
    return g_steal_pointer(&caps);
}

qemuCaps *
qemuCapsLoadFile(const char *path)
{
    g_autofree char *text = NULL;
    g_autoptr(GError) gerr = NULL;
    g_autoptr(json_object) o = NULL;
    qemuCaps *caps;

    if (!g_file_get_contents(path, &text, NULL, &gerr)) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "cannot read QEMU capabilities cache '%s': %s", path,
                       gerr->message);
        return NULL;
    }
    if (!(o = json_tokener_parse(text)) || !(caps = qemuCapsFromJSON(o))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "invalid QEMU capabilities cache '%s'",
                       path);
        return NULL;
    }
    return caps;
}

static char *
qemuCapsCachePath(qemuCapsCache *cache, const char *binary)
{
    g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, binary, -1);
    g_autofree char *name = g_strdup_printf("%s.json", sum);

    return g_build_filename(cache->dir, name, NULL);
}

/* Best effort: a cache that cannot be written only costs a probe later. */
static void
qemuCapsCacheSave(qemuCapsCache *cache, const qemuCaps *caps)
{
    g_autoptr(json_object) o = NULL;
    g_autofree char *path = NULL;
    const char *text;
    g_autoptr(GError) gerr = NULL;

    if (!cache->dir)
        return;
    if (g_mkdir_with_parents(cache->dir, 0700) < 0) {
        g_debug("cannot create %s: %s", cache->dir, g_strerror(errno));
        return;
    }
    o = qemuCapsToJSON(caps);
    text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
                                                 JSON_C_TO_STRING_SPACED |
                                                 JSON_C_TO_STRING_NOSLASHESCAPE);
    path = qemuCapsCachePath(cache, caps->binary);
    /* g_file_set_contents writes a temp file, fsyncs and renames. */
    if (!g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                  &gerr))
        g_debug("cannot write %s: %s", path, gerr->message);
}

/* ---- probing -------------------------------------------------------- */

typedef struct {
    guint64 inode;
    gint64 size;
    gint64 mtimeNs;
    gint64 ctimeNs;
} qemuCapsIdentity;

static int
qemuCapsGetIdentity(const char *binary, qemuCapsIdentity *id)
{
    struct stat sb;

    if (stat(binary, &sb) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Cannot find QEMU binary %s: %s", binary,
                       g_strerror(errno));
        return -1;
    }
    id->inode = sb.st_ino;
    id->size = sb.st_size;
    id->mtimeNs = (gint64)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
    id->ctimeNs = (gint64)sb.st_ctim.tv_sec * 1000000000 + sb.st_ctim.tv_nsec;
    return 0;
}

static bool
qemuCapsMatches(const qemuCaps *caps, const qemuCapsIdentity *id)
{
    return caps->inode == id->inode && caps->size == id->size &&
           caps->mtimeNs == id->mtimeNs && caps->ctimeNs == id->ctimeNs;
}

/* Was @caps probed as @runAs would run it? */
static bool
qemuCapsRunMatches(const qemuCaps *caps, const virSecurityIdentity *runAs)
{
    if (!runAs)
        return caps->runUid < 0;
    return caps->runUid == (gint64)runAs->uid && caps->runGid == (gint64)runAs->gid;
}

/* Kill (if needed) and reap a probe child. */
static void
qemuCapsReap(pid_t pid, int pidfd, gint64 deadline)
{
    if (virProcessWaitPidfd(pidfd, deadline) != 1) {
        virProcessPidfdKill(pidfd, SIGKILL);
        virProcessWaitPidfd(pidfd, G_MAXINT64);
    }
    virProcessReapPidfd(pidfd, NULL);
    close(pidfd);
}

/* Start @binary with a QMP monitor we are connected to. Returns the
 * connected fd (and pid/pidfd), or -1 with an error reported. */
static int
qemuCapsSpawnQMP(const char *binary, const char *const *extra,
                 const virSecurityIdentity *runAs, pid_t *pid, int *pidfd)
{
    g_autofree char *dir = NULL;
    g_autofree char *sockpath = NULL;
    g_autofree char *chardev = NULL;
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) gerr = NULL;
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    virProcessSpawnOpts opts = { 0 };
    int lfd = -1;
    int cfd = -1;
    int ret = -1;

    if (!(dir = g_dir_make_tmp("virtkit-caps-XXXXXX", &gerr))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot create a probe directory: %s",
                       gerr->message);
        return -1;
    }
    sockpath = g_build_filename(dir, "qmp.sock", NULL);
    g_strlcpy(addr.sun_path, sockpath, sizeof(addr.sun_path));
    if ((lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
        bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 1) < 0) {
        virReportSystemError(errno, "%s", "cannot create the probe monitor socket");
        goto cleanup;
    }
    chardev = g_strdup_printf("socket,id=charmonitor,fd=%d,server=on,wait=off", lfd);
    g_ptr_array_add(argv, g_strdup(binary));
    for (size_t i = 0; extra[i]; i++)
        g_ptr_array_add(argv, g_strdup(extra[i]));
    g_ptr_array_add(argv, g_strdup("-chardev"));
    g_ptr_array_add(argv, g_steal_pointer(&chardev));
    g_ptr_array_add(argv, g_strdup("-mon"));
    g_ptr_array_add(argv, g_strdup("chardev=charmonitor,id=monitor,mode=control"));
    g_ptr_array_add(argv, NULL);

    opts.argv = (const char *const *)argv->pdata;
    opts.logfd = -1;
    opts.keepfds = &lfd;
    opts.nkeepfds = 1;
    opts.dieWithParent = true; /* a probe must not outlive a killed daemon */
    if (runAs)
        virSecurityIdentityApply(runAs, &opts);
    if (virProcessSpawn(&opts, pid, pidfd) < 0)
        goto cleanup;
    if ((cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
        connect(cfd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        virReportSystemError(errno, "%s", "cannot connect to the probe monitor socket");
        if (cfd >= 0)
            close(cfd);
        cfd = -1;
        qemuCapsReap(*pid, *pidfd, 0);
        goto cleanup;
    }
    ret = cfd;

cleanup:
    if (lfd >= 0)
        close(lfd);
    unlink(sockpath);
    rmdir(dir);
    return ret;
}

/* Does -sandbox take every option the command line uses? */
static bool
qemuCapsProbeSandbox(qemuMonitor *mon, int timeout_ms)
{
    static const char *const wanted[] = { "obsolete", "elevateprivileges", "spawn",
                                          "resourcecontrol", NULL };
    g_autoptr(json_object) args = json_object_new_object();
    g_autoptr(json_object) reply = NULL;
    g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
    json_object *opt;
    json_object *params;

    json_object_object_add(args, "option", json_object_new_string("sandbox"));
    if (qemuMonitorCommand(mon, "query-command-line-options", args, timeout_ms, &reply) <
        0) {
        /* "invalid option name: sandbox": built without seccomp. A probe
         * answer, not a failure: the monitor has no quiet variant, so the
         * error it reported is dropped here (virerror.h rule 4). */
        g_debug("no -sandbox: %s", virGetLastErrorMessage());
        virResetLastError();
        return false;
    }
    if (!json_object_is_type(reply, json_type_array) ||
        json_object_array_length(reply) < 1 ||
        !(opt = json_object_array_get_idx(reply, 0)) ||
        !json_object_object_get_ex(opt, "parameters", &params) ||
        !json_object_is_type(params, json_type_array))
        return false;
    for (size_t i = 0; i < json_object_array_length(params); i++) {
        const char *n = jsonStr(json_object_array_get_idx(params, i), "name");

        if (n)
            g_hash_table_add(names, (gpointer)n);
    }
    for (size_t i = 0; wanted[i]; i++) {
        if (!g_hash_table_contains(names, wanted[i]))
            return false;
    }
    return true;
}

static gint
qemuCapsStrCmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * query-cpu-model-expansion type 'static' of model @name under TCG (what
 * libvirt asks of "max" for its host-model): QEMU's vendor string
 * ("AuthenticAMD") into *vendor and the boolean properties that are true
 * (QEMU's canonical feature names, sorted) into *features. -1 when QEMU
 * cannot expand it (not reported: the model is then only unexpanded).
 */
static int
qemuCapsProbeCPUExpansion(qemuMonitor *mon, const char *name, int timeout_ms,
                          char **vendor, char ***features, char ***names)
{
    g_autoptr(json_object) args = json_object_new_object();
    g_autoptr(json_object) reply = NULL;
    g_autoptr(GPtrArray) feats = g_ptr_array_new();
    g_autoptr(GPtrArray) all = g_ptr_array_new();
    json_object *model = json_object_new_object();
    json_object *m;
    json_object *props;

    json_object_object_add(model, "name", json_object_new_string(name));
    json_object_object_add(args, "type", json_object_new_string("static"));
    json_object_object_add(args, "model", model);
    if (qemuMonitorCommand(mon, "query-cpu-model-expansion", args, timeout_ms, &reply) <
        0) {
        /* a model QEMU cannot expand (virerror.h rule 4) */
        virResetLastError();
        return -1;
    }
    if (!json_object_object_get_ex(reply, "model", &m) ||
        !json_object_object_get_ex(m, "props", &props) ||
        !json_object_is_type(props, json_type_object))
        return -1;
    json_object_object_foreach(props, key, val)
    {
        if (json_object_is_type(val, json_type_boolean) && json_object_get_boolean(val))
            g_ptr_array_add(feats, g_strdup(key));
        if (json_object_is_type(val, json_type_boolean) && names)
            g_ptr_array_add(all, g_strdup(key));
    }
    g_ptr_array_sort(feats, qemuCapsStrCmp);
    g_ptr_array_add(feats, NULL);
    if (names) {
        g_ptr_array_sort(all, qemuCapsStrCmp);
        g_ptr_array_add(all, NULL);
        *names = (char **)g_ptr_array_free(g_steal_pointer(&all), FALSE);
    }
    *vendor = g_strdup(jsonStr(props, "vendor"));
    *features = (char **)g_ptr_array_free(g_steal_pointer(&feats), FALSE);
    return 0;
}

/* libvirt's CPU map name of QEMU's vendor string; NULL for others. */
const char *
qemuCapsCPUVendorName(const char *qemuVendor)
{
    static const char *const vendors[][2] = {
        { "GenuineIntel", "Intel" },
        { "AuthenticAMD", "AMD" },
        { "HygonGenuine", "Hygon" },
    };

    for (size_t i = 0; qemuVendor && i < G_N_ELEMENTS(vendors); i++) {
        if (g_str_equal(qemuVendor, vendors[i][0]))
            return vendors[i][1];
    }
    return NULL;
}

static int
qemuCapsProbeQMP(qemuCaps *caps, qemuMonitor *mon, int timeout_ms)
{
    g_autoptr(json_object) ver = NULL;
    g_autoptr(json_object) machines = NULL;
    g_autoptr(json_object) cmds = NULL;
    g_autoptr(json_object) types = NULL;
    g_autoptr(json_object) cpuDefs = NULL;
    g_autoptr(json_object) args = json_object_new_object();
    json_object *q;

    if (qemuMonitorCommand(mon, "query-version", NULL, timeout_ms, &ver) < 0 ||
        qemuMonitorCommand(mon, "query-machines", NULL, timeout_ms, &machines) < 0 ||
        qemuMonitorCommand(mon, "query-commands", NULL, timeout_ms, &cmds) < 0)
        return -1;
    json_object_object_add(args, "implements", json_object_new_string("accel"));
    if (qemuMonitorCommand(mon, "qom-list-types", args, timeout_ms, &types) < 0 ||
        qemuMonitorCommand(mon, "query-cpu-definitions", NULL, timeout_ms, &cpuDefs) < 0)
        return -1;
    caps->sandbox = qemuCapsProbeSandbox(mon, timeout_ms);
    caps->sandboxKnown = true;

    if (!json_object_object_get_ex(ver, "qemu", &q) ||
        !json_object_is_type(machines, json_type_array) ||
        !json_object_is_type(cmds, json_type_array) ||
        !json_object_is_type(types, json_type_array) ||
        !json_object_is_type(cpuDefs, json_type_array)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "unexpected QMP probe replies from '%s'",
                       caps->binary);
        return -1;
    }
    {
        int maj = json_object_get_int(json_object_object_get(q, "major"));
        int min = json_object_get_int(json_object_object_get(q, "minor"));
        int mic = json_object_get_int(json_object_object_get(q, "micro"));

        caps->version = maj * 1000000UL + min * 1000UL + mic;
        caps->versionString = g_strdup_printf("%d.%d.%d", maj, min, mic);
        g_free(caps->package);
        caps->package = g_strdup(jsonStr(ver, "package") ? jsonStr(ver, "package") : "");
    }
    for (size_t i = 0; i < json_object_array_length(machines); i++) {
        json_object *mo = json_object_array_get_idx(machines, i);
        qemuCapsMachine *m;

        if (!jsonStr(mo, "name") || g_str_equal(jsonStr(mo, "name"), "none"))
            continue;
        m = g_new0(qemuCapsMachine, 1);
        m->name = g_strdup(jsonStr(mo, "name"));
        m->alias = g_strdup(jsonStr(mo, "alias"));
        m->isDefault = json_object_get_boolean(json_object_object_get(mo, "is-default"));
        m->maxCpus = json_object_get_int(json_object_object_get(mo, "cpu-max"));
        for (size_t j = 0; j < 2 && jsonStr(mo, "default-cpu-type"); j++) {
            static const char *const suffix[] = { "-x86_64-cpu", "-i386-cpu" };
            const char *t = jsonStr(mo, "default-cpu-type");

            if (g_str_has_suffix(t, suffix[j]))
                m->defaultCPU = g_strndup(t, strlen(t) - strlen(suffix[j]));
        }
        g_ptr_array_add(caps->machines, m);
    }
    caps->cpuModels = g_ptr_array_new_with_free_func(qemuCapsCPUModelFree);
    for (size_t i = 0; i < json_object_array_length(cpuDefs); i++) {
        json_object *co = json_object_array_get_idx(cpuDefs, i);
        json_object *unavail = NULL;
        qemuCapsCPUModel *m;

        if (!jsonStr(co, "name"))
            continue;
        m = g_new0(qemuCapsCPUModel, 1);
        m->name = g_strdup(jsonStr(co, "name"));
        m->aliasOf = g_strdup(jsonStr(co, "alias-of"));
        /* usable under TCG: nothing QEMU would have to drop */
        m->usable = json_object_object_get_ex(co, "unavailable-features", &unavail) &&
                    json_object_is_type(unavail, json_type_array) &&
                    json_object_array_length(unavail) == 0;
        m->blockers = qemuCapsStrvFromJSON(unavail);
        if (qemuCapsCPUModelIsNamed(m->name)) {
            g_autofree char *v = NULL;

            if (qemuCapsProbeCPUExpansion(mon, m->name, timeout_ms, &v, &m->features,
                                          NULL) == 0)
                m->vendor = g_strdup(qemuCapsCPUVendorName(v));
        }
        m->deprecated = json_object_get_boolean(json_object_object_get(co, "deprecated"));
        g_ptr_array_add(caps->cpuModels, m);
    }
    if (qemuCapsProbeCPUExpansion(mon, "max", timeout_ms, &caps->hostCPUVendor,
                                  &caps->hostCPUFeatures, &caps->cpuFeatureNames) < 0)
        g_debug("QEMU '%s' cannot expand CPU model max: host-model unavailable",
                caps->binary);
    caps->hostCPUKnown = true;
    for (size_t i = 0; i < json_object_array_length(cmds); i++) {
        const char *n = jsonStr(json_object_array_get_idx(cmds, i), "name");

        if (n)
            g_hash_table_add(caps->commands, g_strdup(n));
    }
    for (size_t i = 0; i < json_object_array_length(types); i++) {
        const char *n = jsonStr(json_object_array_get_idx(types, i), "name");

        if (n && g_str_has_suffix(n, "-accel"))
            g_hash_table_add(caps->accels, g_strndup(n, strlen(n) - strlen("-accel")));
    }
    return 0;
}

/* A probe QEMU that did not answer in time: add what the kernel says of
 * the process (its state and where it sleeps) to the timeout error, so a
 * report tells a stopped or blocked QEMU from a slow one (str2 is the
 * detail without the code's prefix, as virReportError sets it). Other
 * errors are left as they are. */
static void
qemuCapsTimeoutDetail(const char *binary, pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%lld/stat", (long long)pid);
    g_autofree char *wpath = g_strdup_printf("/proc/%lld/wchan", (long long)pid);
    g_autofree char *stat = NULL;
    g_autofree char *wchan = NULL;
    g_autofree char *msg = NULL;
    const char *close_paren;
    virErrorPtr err = virGetLastError();

    if (!err || err->code != VIR_ERR_OPERATION_TIMEOUT)
        return;
    if (!g_file_get_contents(path, &stat, NULL, NULL) ||
        !(close_paren = strrchr(stat, ')')) || close_paren[1] != ' ' || !close_paren[2])
        return;
    if (!g_file_get_contents(wpath, &wchan, NULL, NULL))
        wchan = g_strdup("?");
    msg = g_strdup_printf("%s (probing '%s': pid %lld in state %c, waiting in %s)",
                          err->str2 ? err->str2 : err->message, binary, (long long)pid,
                          close_paren[2], *wchan ? wchan : "-");
    virReportError(VIR_ERR_OPERATION_TIMEOUT, "%s", msg);
}

static qemuCaps *
qemuCapsProbe(const char *binary, const qemuCapsIdentity *id,
              const virSecurityIdentity *runAs)
{
    static const char *const extra[] = {
        "-machine", "none", "-nodefaults", "-no-user-config", "-display", "none", "-S",
        "-accel",   "tcg",  NULL
    };
    gint64 deadline = g_get_monotonic_time() + QEMU_CAPS_PROBE_TIMEOUT_MS * 1000LL;
    g_autoptr(qemuCaps) caps = qemuCapsNew();
    qemuMonitor *mon;
    pid_t pid;
    int pidfd;
    int fd;
    int rc;

    caps->binary = g_strdup(binary);
    caps->inode = id->inode;
    caps->size = id->size;
    caps->mtimeNs = id->mtimeNs;
    caps->ctimeNs = id->ctimeNs;
    caps->runUid = runAs ? (gint64)runAs->uid : -1;
    caps->runGid = runAs ? (gint64)runAs->gid : -1;

    if ((fd = qemuCapsSpawnQMP(binary, extra, runAs, &pid, &pidfd)) < 0)
        return NULL;
    if (!(mon = qemuMonitorOpen(fd, NULL, NULL, QEMU_CAPS_PROBE_TIMEOUT_MS))) {
        qemuCapsTimeoutDetail(binary, pid);
        qemuCapsReap(pid, pidfd, 0);
        return NULL;
    }
    rc = qemuCapsProbeQMP(caps, mon, QEMU_CAPS_PROBE_TIMEOUT_MS);
    if (rc == 0)
        qemuMonitorQuit(mon);
    else
        qemuCapsTimeoutDetail(binary, pid);
    qemuMonitorClose(mon);
    qemuCapsReap(pid, pidfd, rc == 0 ? deadline : 0);
    if (rc < 0)
        return NULL;
    if (caps->machines->len == 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "QEMU binary '%s' reports no machine types", binary);
        return NULL;
    }
    g_debug("probed %s: version %lu, %u machines", binary, caps->version,
            caps->machines->len);
    return g_steal_pointer(&caps);
}

qemuCaps *
qemuCapsCacheLookup(qemuCapsCache *cache, const char *binary)
{
    g_autofree char *found = NULL;
    qemuCapsIdentity id;
    qemuCaps *caps;

    if (!binary) {
        if (!(found = g_find_program_in_path("qemu-system-x86_64"))) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "Cannot find QEMU binary qemu-system-x86_64: "
                           "No such file or directory");
            return NULL;
        }
        binary = found;
    }
    if (qemuCapsGetIdentity(binary, &id) < 0)
        return NULL;

    g_mutex_lock(&cache->lock);
    caps = g_hash_table_lookup(cache->byPath, binary);
    if (caps && qemuCapsMatches(caps, &id) && qemuCapsRunMatches(caps, cache->runAs)) {
        qemuCapsRef(caps);
        g_mutex_unlock(&cache->lock);
        return caps;
    }
    caps = NULL;
    if (cache->dir) {
        g_autofree char *path = qemuCapsCachePath(cache, binary);
        g_autofree char *text = NULL;

        if (g_file_get_contents(path, &text, NULL, NULL)) {
            g_autoptr(json_object) o = json_tokener_parse(text);
            qemuCaps *c = o ? qemuCapsFromJSON(o) : NULL;

            if (c && g_str_equal(c->binary, binary) && qemuCapsMatches(c, &id) &&
                c->sandboxKnown && c->cpuModels && c->hostCPUKnown &&
                qemuCapsRunMatches(c, cache->runAs))
                caps = c;
            else
                qemuCapsUnref(c);
        }
    }
    if (!caps) {
        caps = qemuCapsProbe(binary, &id, cache->runAs);
        /* A probe QEMU that never answered qmp_capabilities (seen twice in
         * make check, the QEMU blocked in a socket read while its monitor
         * waited: cause not found yet) was killed by the probe; one fresh
         * QEMU is tried before giving up. The reset is right: the first
         * error is replaced by the second probe's outcome, and the operator
         * is told. */
        if (!caps && virGetLastErrorCode() == VIR_ERR_OPERATION_TIMEOUT) {
            VIR_NOTICE("probing '%s' timed out (%s): trying once more", binary,
                       virGetLastErrorMessage());
            virResetLastError();
            caps = qemuCapsProbe(binary, &id, cache->runAs);
        }
        if (!caps) {
            g_mutex_unlock(&cache->lock);
            return NULL;
        }
        qemuCapsCacheSave(cache, caps);
    }
    g_hash_table_replace(cache->byPath, g_strdup(binary), qemuCapsRef(caps));
    g_mutex_unlock(&cache->lock);
    return caps;
}

/* ---- KVM ------------------------------------------------------------ */

/*
 * The probe guest: a floppy-sized disk whose boot sector writes 1 to an
 * isa-debug-exit port (QEMU then exits with status (1 << 1) | 1 = 3). The
 * default firmware (SeaBIOS) runs first, so the probe executes real-mode
 * and protected-mode firmware code, PCI and timer setup under the
 * accelerator, not only one instruction at the reset vector.
 */
static const unsigned char qemuCapsProbeBootCode[] = {
    0xb0, 0x01, /* mov al, 1 */
    0xe6, 0xf4, /* out 0xf4, al */
    0xf4,       /* hlt */
    0xeb, 0xfe, /* jmp $ */
};

/* Run the probe guest under @accel with a deadline. Returns the elapsed
 * time in µs if it reached the exit port, or -1 (*why set). */
static gint64
qemuCapsRunProbeGuest(const char *binary, const char *image, const char *accel,
                      const virSecurityIdentity *runAs, gint64 timeout_us, char **why)
{
    g_autofree char *drive =
        g_strdup_printf("if=none,id=probe0,file=%s,format=raw", image);
    const char *argv[] = { binary,
                           "-machine",
                           "pc",
                           "-accel",
                           accel,
                           "-nodefaults",
                           "-no-user-config",
                           "-display",
                           "none",
                           "-m",
                           "16",
                           "-device",
                           "isa-debug-exit,iobase=0xf4,iosize=0x01",
                           "-drive",
                           drive,
                           "-device",
                           "ide-hd,drive=probe0",
                           NULL };
    virProcessSpawnOpts opts = { .argv = argv, .logfd = -1, .dieWithParent = true };
    gint64 start = g_get_monotonic_time();
    pid_t pid;
    int pidfd;
    int status = 0;
    int rc;

    if (runAs)
        virSecurityIdentityApply(runAs, &opts);
    if (virProcessSpawn(&opts, &pid, &pidfd) < 0) {
        *why = g_strdup_printf("cannot start '%s': %s", binary, virGetLastErrorMessage());
        virResetLastError();
        return -1;
    }
    rc = virProcessWaitPidfd(pidfd, start + timeout_us);
    if (rc != 1) {
        virProcessPidfdKill(pidfd, SIGKILL);
        virProcessWaitPidfd(pidfd, G_MAXINT64);
        virProcessReapPidfd(pidfd, NULL);
        close(pidfd);
        virResetLastError();
        *why = g_strdup_printf("a probe guest did not run under %s within %lld ms", accel,
                               (long long)(timeout_us / 1000));
        return -1;
    }
    virProcessReapPidfd(pidfd, &status);
    close(pidfd);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 3) {
        *why = g_strdup_printf("a probe guest under %s ended with status 0x%x, not by "
                               "running its code",
                               accel, status);
        return -1;
    }
    return g_get_monotonic_time() - start;
}

static void
qemuCapsProbeKVM(qemuCaps *caps, const virSecurityIdentity *runAs)
{
    g_autofree char *dir = NULL;
    g_autofree char *image = NULL;
    g_autofree char *data = g_malloc0(512 * 2880);
    g_autofree char *why = NULL;
    gint64 tcg;
    gint64 kvm;
    gint64 budget;

    caps->kvmProbed = true;
    caps->kvmUsable = false;
    if (!qemuCapsHasAccel(caps, "kvm")) {
        caps->kvmWhy = g_strdup("QEMU was built without KVM");
        return;
    }
    if (access("/dev/kvm", R_OK | W_OK) < 0) {
        caps->kvmWhy = g_strdup_printf("/dev/kvm is not usable: %s", g_strerror(errno));
        return;
    }
    if (!(dir = g_dir_make_tmp("virtkit-kvmprobe-XXXXXX", NULL))) {
        caps->kvmWhy = g_strdup("cannot create a directory for the KVM probe");
        return;
    }
    image = g_build_filename(dir, "boot.img", NULL);
    memcpy(data, qemuCapsProbeBootCode, sizeof(qemuCapsProbeBootCode));
    data[510] = 0x55;
    data[511] = (char)0xaa;
    if (!g_file_set_contents(image, data, 512 * 2880, NULL)) {
        caps->kvmWhy = g_strdup("cannot write the KVM probe image");
        rmdir(dir);
        return;
    }
    /* the probe QEMU runs as the guests' user: its scratch files are its own */
    if (runAs && (chown(dir, runAs->uid, runAs->gid) < 0 ||
                  chown(image, runAs->uid, runAs->gid) < 0)) {
        caps->kvmWhy = g_strdup_printf("cannot hand the KVM probe image to uid %u: %s",
                                       (unsigned int)runAs->uid, g_strerror(errno));
        goto cleanup;
    }

    /* The same guest under TCG validates the probe and sets the yardstick:
     * a working KVM runs firmware faster than TCG; a broken one (as on
     * hosts where guests hang under KVM) is far slower or never finishes. */
    if ((tcg = qemuCapsRunProbeGuest(caps->binary, image, "tcg", runAs,
                                     QEMU_CAPS_PROBE_TIMEOUT_MS * 1000LL, &why)) < 0) {
        caps->kvmWhy = g_strdup_printf("the KVM probe itself failed (%s)", why);
        goto cleanup;
    }
    budget = MAX(2 * tcg + 500 * 1000, 1000 * 1000);
    budget = MIN(budget, QEMU_CAPS_KVM_PROBE_TIMEOUT_MS * 1000LL);
    if ((kvm = qemuCapsRunProbeGuest(caps->binary, image, "kvm", runAs, budget, &why)) <
        0) {
        caps->kvmWhy = g_strdup_printf("KVM is present but %s (TCG: %lld ms)", why,
                                       (long long)(tcg / 1000));
        goto cleanup;
    }
    caps->kvmUsable = true;
    g_debug("KVM probe: kvm %lld us, tcg %lld us", (long long)kvm, (long long)tcg);

cleanup:
    unlink(image);
    rmdir(dir);
}

bool
qemuCapsKVMUsable(qemuCapsCache *cache, qemuCaps *caps, char **why)
{
    bool usable;

    g_mutex_lock(&cache->lock);
    if (!caps->kvmProbed) {
        qemuCapsProbeKVM(caps, cache->runAs);
        qemuCapsCacheSave(cache, caps);
    }
    usable = caps->kvmUsable;
    if (!usable && why)
        *why = g_strdup(caps->kvmWhy);
    g_mutex_unlock(&cache->lock);
    return usable;
}

int
qemuCapsCheckVirtType(qemuCapsCache *cache, qemuCaps *caps, int virtType)
{
    g_autofree char *why = NULL;
    const char *type = virDomainVirtTypeToString(virtType);

    if (virtType == VIR_DOMAIN_VIRT_QEMU && qemuCapsHasAccel(caps, "tcg"))
        return 0;
    if (virtType == VIR_DOMAIN_VIRT_KVM) {
        if (qemuCapsKVMUsable(cache, caps, &why))
            return 0;
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Emulator '%s' does not support virt type 'kvm': %s", caps->binary,
                       why);
        return -1;
    }
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                   "Emulator '%s' does not support virt type '%s'", caps->binary,
                   type ? type : "none");
    return -1;
}

/* ---- defaults and XML ----------------------------------------------- */

/* libvirt's qemuDomainDefSetDefaultCPU and qemuDomainDefCPUPostParse: a
 * guest without a CPU model gets the machine's default one (as the CPU
 * QEMU would give it anyway), written into the definition; check= and
 * host-passthrough's migratable= get libvirt's defaults. */
static void
qemuCapsDomainDefCPUPostParse(const qemuCaps *caps, virDomainDef *def)
{
    virDomainCpuDef *cpu = def->cpu;
    const char *model;

    if ((!cpu || (cpu->mode == VIR_DOMAIN_CPU_MODE_CUSTOM && !cpu->model)) &&
        (model = qemuCapsGetMachineDefaultCPU(caps, def->os.machine))) {
        if (!cpu)
            cpu = def->cpu = virDomainCpuDefNew();
        cpu->mode = VIR_DOMAIN_CPU_MODE_CUSTOM;
        cpu->match = VIR_DOMAIN_CPU_MATCH_EXACT;
        cpu->fallback = VIR_DOMAIN_CPU_FALLBACK_FORBID;
        cpu->model = g_strdup(model);
    }
    if (!cpu)
        return;
    if (cpu->mode == VIR_DOMAIN_CPU_MODE_HOST_PASSTHROUGH && !cpu->migratable)
        cpu->migratable = VIR_DOMAIN_TRISTATE_ON;
    if ((cpu->mode == VIR_DOMAIN_CPU_MODE_CUSTOM && !cpu->model) ||
        cpu->check != VIR_DOMAIN_CPU_CHECK_DEFAULT)
        return;
    switch (cpu->mode) {
    case VIR_DOMAIN_CPU_MODE_HOST_PASSTHROUGH:
    case VIR_DOMAIN_CPU_MODE_MAXIMUM:
        cpu->check = VIR_DOMAIN_CPU_CHECK_NONE;
        break;
    case VIR_DOMAIN_CPU_MODE_HOST_MODEL:
        cpu->check = VIR_DOMAIN_CPU_CHECK_PARTIAL;
        break;
    default:
        /* custom CPUs under TCG are not compared with the host's */
        cpu->check = def->virtType == VIR_DOMAIN_VIRT_QEMU ? VIR_DOMAIN_CPU_CHECK_NONE
                                                           : VIR_DOMAIN_CPU_CHECK_PARTIAL;
    }
}

int
qemuCapsDomainDefPostParse(const qemuCaps *caps, virDomainDef *def)
{
    /* Defaults only: an arch or a machine QEMU lacks is the validator's
     * to refuse (qemu_validate.c), and stays as given until then. */
    const char *machine = qemuCapsGetCanonicalMachine(caps, def->os.machine);

    if (!def->os.arch)
        def->os.arch = g_strdup(qemuCapsGetArch(caps));
    if (machine && g_strcmp0(def->os.machine, machine) != 0) {
        g_free(def->os.machine);
        def->os.machine = g_strdup(machine);
    }
    if (!def->emulator)
        def->emulator = g_strdup(caps->binary);
    qemuCapsDomainDefCPUPostParse(caps, def);
    /* libvirt's QEMU default for QXL's VGA memory */
    for (size_t i = 0; i < def->nvideos; i++) {
        if (g_str_equal(def->videos[i]->type, "qxl") && !def->videos[i]->vgamem)
            def->videos[i]->vgamem = 16384;
    }
    /* libvirt 9.0's default audio backend: a domain without <audio> gets id
     * 1, of type 'spice' when its last graphics is SPICE, else 'none' (seen
     * on libvirtd 9.0 with and without graphics, SPICE then VNC and VNC
     * then SPICE) */
    if (def->naudios == 0) {
        bool spice = def->ngraphics > 0 && def->graphics[def->ngraphics - 1]->type ==
                                               VIR_DOMAIN_GRAPHICS_TYPE_SPICE;

        def->audios = g_new0(virDomainAudioDef, 1);
        def->audios[0].id = 1;
        def->audios[0].type = g_strdup(spice ? "spice" : "none");
        def->naudios = 1;
    }
    /* libvirt's default devices and PCI addresses, written into the
     * definition (qemu_domain_address.c); a second pass changes nothing */
    if (!machine)
        return 0; /* a machine QEMU lacks: the validator's to refuse */
    return qemuDomainAssignAddresses(def, machine);
}

/* The value of "KEY<tabs>: VALUE" in the first processor of /proc/cpuinfo
 * (the lines before the first blank one); NULL if absent. */
static char *
qemuCapsCPUInfoValue(const char *cpuinfo, const char *key)
{
    g_auto(GStrv) lines = g_strsplit(cpuinfo, "\n", -1);

    for (size_t i = 0; lines[i] && *lines[i]; i++) {
        char *colon = strchr(lines[i], ':');

        if (!colon)
            continue;
        *colon = '\0';
        if (g_str_equal(g_strstrip(lines[i]), key))
            return g_strdup(g_strstrip(colon + 1));
    }
    return NULL;
}

/* An integer of a CPU's topology directory; -1 when absent. */
static long long
qemuCapsCPUTopologyValue(const char *cpu, const char *name)
{
    g_autofree char *path =
        g_strdup_printf("/sys/devices/system/cpu/%s/topology/%s", cpu, name);
    g_autofree char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return -1;
    return g_ascii_strtoll(text, NULL, 10);
}

/*
 * The host CPU's vendor, signature and topology as libvirt 9.0's
 * capabilities give them (from /proc/cpuinfo and the CPUs' sysfs topology:
 * sockets = packages, dies per package, cores per die, threads per core).
 * No <model> and no <feature>: libvirt names the closest model of its CPU
 * map and the features beyond it; virtkit has no CPU map.
 */
static void
qemuCapsFormatHostCPU(GString *x)
{
    static const char *const vendors[][2] = {
        { "GenuineIntel", "Intel" },
        { "AuthenticAMD", "AMD" },
        { "HygonGenuine", "Hygon" },
    };
    g_autofree char *cpuinfo = NULL;
    g_autoptr(GHashTable) packages = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_autoptr(GHashTable) dies = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_autoptr(GHashTable) cores = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_autoptr(GDir) dir = NULL;
    const char *name;
    unsigned int ncpus = 0;

    if (g_file_get_contents("/proc/cpuinfo", &cpuinfo, NULL, NULL)) {
        g_autofree char *vendor = qemuCapsCPUInfoValue(cpuinfo, "vendor_id");
        g_autofree char *family = qemuCapsCPUInfoValue(cpuinfo, "cpu family");
        g_autofree char *model = qemuCapsCPUInfoValue(cpuinfo, "model");
        g_autofree char *stepping = qemuCapsCPUInfoValue(cpuinfo, "stepping");

        for (size_t i = 0; vendor && i < G_N_ELEMENTS(vendors); i++) {
            if (g_str_equal(vendor, vendors[i][0]))
                g_string_append_printf(x, "      <vendor>%s</vendor>\n", vendors[i][1]);
        }
        if (family && model && stepping)
            g_string_append_printf(x,
                                   "      <signature family='%s' model='%s' "
                                   "stepping='%s'/>\n",
                                   family, model, stepping);
    }
    if (!(dir = g_dir_open("/sys/devices/system/cpu", 0, NULL)))
        return;
    while ((name = g_dir_read_name(dir))) {
        long long pkg, die, core;

        if (!g_str_has_prefix(name, "cpu") || !g_ascii_isdigit(name[3]) ||
            (pkg = qemuCapsCPUTopologyValue(name, "physical_package_id")) < 0 ||
            (core = qemuCapsCPUTopologyValue(name, "core_id")) < 0)
            continue;
        die = MAX(qemuCapsCPUTopologyValue(name, "die_id"), 0);
        ncpus++;
        g_hash_table_add(packages, GINT_TO_POINTER(pkg));
        g_hash_table_add(dies, GINT_TO_POINTER((pkg << 16) | die));
        g_hash_table_add(cores, GINT_TO_POINTER((((pkg << 16) | die) << 16) | core));
    }
    if (ncpus && g_hash_table_size(cores)) {
        guint s = g_hash_table_size(packages);
        guint d = g_hash_table_size(dies) / s;
        guint c = g_hash_table_size(cores) / g_hash_table_size(dies);
        guint t = ncpus / g_hash_table_size(cores);

        g_string_append_printf(x,
                               "      <topology sockets='%u' dies='%u' cores='%u' "
                               "threads='%u'/>\n",
                               s, d, c, t);
    }
}

const char *
qemuCapsGetArch(const qemuCaps *caps)
{
    return g_str_has_suffix(caps->binary, "-i386") ? "i686" : "x86_64";
}

char *
qemuCapsBinaryForArch(const char *arch)
{
    char *path = NULL;

    if (g_strcmp0(arch, "i686") == 0)
        path = g_find_program_in_path("qemu-system-i386");
    return path;
}

/* One <guest> of the capabilities XML: @caps' arch, emulator, machines. */
static void
qemuCapsFormatGuest(GString *x, const qemuCaps *caps, bool kvm)
{
    g_autofree char *emu = g_markup_escape_text(caps->binary, -1);
    bool i686 = g_str_equal(qemuCapsGetArch(caps), "i686");

    g_string_append(x, "  <guest>\n    <os_type>hvm</os_type>\n");
    g_string_append_printf(x, "    <arch name='%s'>\n      <wordsize>%d</wordsize>\n",
                           qemuCapsGetArch(caps), i686 ? 32 : 64);
    g_string_append_printf(x, "      <emulator>%s</emulator>\n", emu);
    /* QEMU's default machine first, then the others in QEMU's order, as
     * libvirt lists them (clients such as virt-install take the first one
     * that fits) */
    for (int pass = 0; pass < 2; pass++) {
        for (guint i = 0; i < caps->machines->len; i++) {
            qemuCapsMachine *m = g_ptr_array_index(caps->machines, i);

            if (m->isDefault != (pass == 0))
                continue;
            g_string_append_printf(x, "      <machine maxCpus='%d'>%s</machine>\n",
                                   m->maxCpus, m->name);
            if (m->alias)
                g_string_append_printf(
                    x, "      <machine canonical='%s' maxCpus='%d'>%s</machine>\n",
                    m->name, m->maxCpus, m->alias);
        }
    }
    g_string_append(x, "      <domain type='qemu'/>\n");
    if (kvm)
        g_string_append(x, "      <domain type='kvm'/>\n");
    g_string_append(x, "    </arch>\n    <features>\n");
    /* libvirt: a 32-bit x86 guest may run with or without PAE */
    if (i686)
        g_string_append(x, "      <pae/>\n      <nonpae/>\n");
    g_string_append(x, "      <acpi default='on' toggle='yes'/>\n");
    g_string_append(x, "      <apic default='on' toggle='no'/>\n");
    g_string_append(x, "    </features>\n  </guest>\n\n");
}

char *
qemuCapsFormatCapabilitiesXML(qemuCapsCache *cache, qemuCaps *caps, qemuCaps *caps32)
{
    g_autoptr(GString) x = g_string_new(NULL);
    bool kvm = qemuCapsKVMUsable(cache, caps, NULL);

    g_string_append(x, "<capabilities>\n\n  <host>\n    <cpu>\n");
    g_string_append(x, "      <arch>x86_64</arch>\n");
    qemuCapsFormatHostCPU(x);
    g_string_append(x, "    </cpu>\n  </host>\n\n");
    /* libvirt lists the guests by architecture, i686 first; the same host
     * KVM serves both (the boot probe runs with the 64-bit binary) */
    if (caps32)
        qemuCapsFormatGuest(x, caps32, kvm);
    qemuCapsFormatGuest(x, caps, kvm);
    g_string_append(x, "</capabilities>\n");
    return g_string_free(g_steal_pointer(&x), FALSE);
}
