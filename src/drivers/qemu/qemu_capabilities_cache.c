/* qemu_capabilities_cache.c: the capabilities cache (memory and JSON files keyed by the binary's identity) */

/*
 * Thread protocol: qemuCapsCache.lock protects the memory cache and the KVM
 * verdict of every qemuCaps it handed out; it is held across a probe (QEMU
 * run with a deadline, qemu_capabilities_probe.c) so that concurrent
 * lookups wait for one probe. The probe's QMP traffic runs on the monitor
 * I/O thread (qemu_monitor.c); the caller only waits with deadlines.
 */

#define G_LOG_DOMAIN "virtkit.qemu.caps.cache"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "qemu_capabilities_priv.h"
#include "qemu_monitor.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

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
        json_object_object_add(mo, "deprecated", json_object_new_boolean(m->deprecated));
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

const char *
qemuCapsJSONStr(json_object *o, const char *key)
{
    json_object *v;

    if (!json_object_object_get_ex(o, key, &v) ||
        !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

char **
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

    if (!qemuCapsJSONStr(o, "binary") || !qemuCapsJSONStr(o, "versionString") ||
        !json_object_object_get_ex(o, "machines", &v) ||
        !json_object_is_type(v, json_type_array))
        return NULL;
    caps->binary = g_strdup(qemuCapsJSONStr(o, "binary"));
    caps->versionString = g_strdup(qemuCapsJSONStr(o, "versionString"));
    g_free(caps->package);
    caps->package =
        g_strdup(qemuCapsJSONStr(o, "package") ? qemuCapsJSONStr(o, "package") : "");
    caps->inode = (guint64)json_object_get_int64(json_object_object_get(o, "inode"));
    caps->size = json_object_get_int64(json_object_object_get(o, "size"));
    caps->mtimeNs = json_object_get_int64(json_object_object_get(o, "mtime"));
    caps->ctimeNs = json_object_get_int64(json_object_object_get(o, "ctime"));
    caps->version =
        (unsigned long)json_object_get_int64(json_object_object_get(o, "version"));
    for (size_t i = 0; i < json_object_array_length(v); i++) {
        json_object *mo = json_object_array_get_idx(v, i);
        qemuCapsMachine *m;

        if (!qemuCapsJSONStr(mo, "name"))
            return NULL;
        m = g_new0(qemuCapsMachine, 1);
        m->name = g_strdup(qemuCapsJSONStr(mo, "name"));
        m->alias = g_strdup(qemuCapsJSONStr(mo, "alias"));
        m->isDefault = json_object_get_boolean(json_object_object_get(mo, "default"));
        m->maxCpus = json_object_get_int(json_object_object_get(mo, "maxCpus"));
        m->defaultCPU = g_strdup(qemuCapsJSONStr(mo, "defaultCPU"));
        m->deprecated = json_object_get_boolean(json_object_object_get(mo, "deprecated"));
        if (!json_object_object_get(mo, "deprecated"))
            caps->machinesOld = true;
        g_ptr_array_add(caps->machines, m);
    }
    if (json_object_object_get_ex(o, "cpuModels", &v) &&
        json_object_is_type(v, json_type_array)) {
        caps->cpuModels = g_ptr_array_new_with_free_func(qemuCapsCPUModelFree);
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            json_object *mo = json_object_array_get_idx(v, i);
            qemuCapsCPUModel *m;

            if (!qemuCapsJSONStr(mo, "name"))
                return NULL;
            m = g_new0(qemuCapsCPUModel, 1);
            m->name = g_strdup(qemuCapsJSONStr(mo, "name"));
            m->aliasOf = g_strdup(qemuCapsJSONStr(mo, "aliasOf"));
            m->usable = json_object_get_boolean(json_object_object_get(mo, "usable"));
            m->deprecated =
                json_object_get_boolean(json_object_object_get(mo, "deprecated"));
            m->blockers = qemuCapsStrvFromJSON(json_object_object_get(mo, "blockers"));
            m->vendor = g_strdup(qemuCapsJSONStr(mo, "vendor"));
            m->features = qemuCapsStrvFromJSON(json_object_object_get(mo, "features"));
            g_ptr_array_add(caps->cpuModels, m);
        }
    }
    /* a cache file without the feature names (older) is probed again */
    if (json_object_object_get_ex(o, "hostCPU", &v) &&
        json_object_is_type(v, json_type_object) && json_object_object_get(v, "names")) {
        caps->hostCPUKnown = true;
        caps->cpuFeatureNames = qemuCapsStrvFromJSON(json_object_object_get(v, "names"));
        caps->hostCPUVendor = g_strdup(qemuCapsJSONStr(v, "vendor"));
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
        caps->kvmWhy = g_strdup(qemuCapsJSONStr(v, "why"));
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

/* ---- binary identity ------------------------------------------------ */

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
                c->sandboxKnown && c->cpuModels && c->hostCPUKnown && !c->machinesOld &&
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
