/* nwfilter_driver.c: network filters of virtkitd: definitions (define, undefine, list, look up) and bindings applied as nftables rules */

/*
 * Threads: every entry point may run on any worker. nwfLock guards the
 * whole state (the lists of definitions and bindings and the state
 * pointer itself); it is held across the small file writes that make a
 * change durable, so a change is on disk before anyone sees it, and
 * across the `nft` runs that make or remove a binding's rules (one short
 * local process each), so two changes of one port never interleave.
 * Nothing here waits on a guest or a client. One thread of its own,
 * nwfilter-purge, runs once after the start (nwfPurgeRun: the tables a
 * killed daemon left, under nwfLock), started by the autostart hook and
 * joined at cleanup.
 */
#define G_LOG_DOMAIN "virtkit.nwfilter.driver"

#include <errno.h>
#include <string.h>

#include "nwfilter_binding_conf.h"
#include "nwfilter_conf.h"
#include "nwfilter_driver.h"
#include "nwfilter_nft.h"
#include "virerror.h"
#include "virfile.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_NWFILTER

/* how deep filter references are followed when looking for a loop: far
 * more than any real set (libvirt's ships depth 3) */
#define NWF_MAX_DEPTH 256

typedef struct {
    char *dir;
    GPtrArray *defs;     /* of virNWFilterDef *, in definition order */
    char *bindingDir;    /* <runtime>/nwfilter-binding: PORTDEV.xml */
    GPtrArray *bindings; /* of virNWFilterBindingDef * */
    GThread *purge;      /* nwfPurgeRun, joined by nwfStateCleanup */
} nwfState;

static GMutex nwfLock;
static nwfState *nwfDriver;
static const virNWFilterDriver nwfilterDriverTable;

/* The state, or NULL with an error (the daemon is stopping). Lock held. */
static nwfState *
nwfGetState(void)
{
    if (!nwfDriver)
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "nwfilter state driver is not active");
    return nwfDriver;
}

static virNWFilterDef *
nwfFindByName(nwfState *st, const char *name)
{
    for (guint i = 0; i < st->defs->len; i++) {
        virNWFilterDef *def = st->defs->pdata[i];

        if (g_str_equal(def->name, name))
            return def;
    }
    return NULL;
}

static virNWFilterDef *
nwfFindByUUID(nwfState *st, const unsigned char *uuid)
{
    for (guint i = 0; i < st->defs->len; i++) {
        virNWFilterDef *def = st->defs->pdata[i];

        if (memcmp(def->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return def;
    }
    return NULL;
}

static void
nwfReportNoUUID(const unsigned char *uuid)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    virUUIDFormat(uuid, uuidstr);
    virReportError(VIR_ERR_NO_NWFILTER, "no nwfilter with matching uuid '%s'", uuidstr);
}

/* The filter of a handle (by UUID, as libvirt), or NULL with NO_NWFILTER. */
static virNWFilterDef *
nwfFromHandle(nwfState *st, virNWFilterPtr nwfilter)
{
    virNWFilterDef *def = nwfFindByUUID(st, nwfilter->uuid);

    if (!def)
        nwfReportNoUUID(nwfilter->uuid);
    return def;
}

/* Does following the references of @def reach @target? */
static bool
nwfReaches(nwfState *st, const virNWFilterDef *def, const char *target, int depth)
{
    if (depth > NWF_MAX_DEPTH)
        return true;
    for (guint i = 0; i < def->entries->len; i++) {
        const virNWFilterEntry *entry = def->entries->pdata[i];
        const virNWFilterDef *next;

        if (!entry->filterref)
            continue;
        if (g_str_equal(entry->filterref, target))
            return true;
        if ((next = nwfFindByName(st, entry->filterref)) &&
            nwfReaches(st, next, target, depth + 1))
            return true;
    }
    return false;
}

static bool nwfBindingUses(nwfState *st, const virNWFilterBindingDef *b,
                           const char *name);
static void nwfRebuildUsers(nwfState *st, const char *name);
static void nwfCtPrune(nwfState *st);
static int nwfCheckUsers(nwfState *st, const virNWFilterDef *def);

static char *
nwfPath(nwfState *st, const char *name)
{
    g_autofree char *base = g_strconcat(name, ".xml", NULL);

    return g_build_filename(st->dir, base, NULL);
}

static int
nwfSave(nwfState *st, const virNWFilterDef *def)
{
    g_autofree char *path = NULL;
    g_autofree char *xml = NULL;

    /* the name is a file name here: one that would leave the folder (or
     * hide in it) is refused, with the code and domain libvirt's failed
     * file creation gives for a name with a '/' */
    if (strchr(def->name, '/') || def->name[0] == '.') {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, __func__,
                           "cannot keep a network filter named '%s' in '%s'", def->name,
                           st->dir);
        return -1;
    }
    path = nwfPath(st, def->name);
    xml = virNWFilterDefFormat(def);
    return virFileWriteAtomic(path, xml, strlen(xml), 0600);
}

/* Make @def (taken on success) the definition of its filter, as libvirt's
 * virNWFilterObjListAssignDef + save: a UUID of another name, a name of
 * another UUID and a reference loop are refused; the file is written
 * before the list changes. Returns the definition kept, or NULL (error
 * reported, nothing changed). Lock held. */
static virNWFilterDef *
nwfAssign(nwfState *st, virNWFilterDef **defp, bool save)
{
    virNWFilterDef *def = *defp;
    virNWFilterDef *old;

    if ((old = nwfFindByUUID(st, def->uuid))) {
        if (!g_str_equal(old->name, def->name)) {
            virReportError(
                VIR_ERR_OPERATION_FAILED,
                "filter with same UUID but different name ('%s') already exists",
                old->name);
            return NULL;
        }
    } else if ((old = nwfFindByName(st, def->name))) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virUUIDFormat(old->uuid, uuidstr);
        virReportError(VIR_ERR_OPERATION_FAILED,
                       "filter '%s' already exists with uuid %s", def->name, uuidstr);
        return NULL;
    }
    if (nwfReaches(st, def, def->name, 0)) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "filter would introduce a loop");
        return NULL;
    }
    if (save && nwfSave(st, def) < 0)
        return NULL;
    if (old) {
        for (guint i = 0; i < st->defs->len; i++) {
            if (st->defs->pdata[i] == old) {
                st->defs->pdata[i] = g_steal_pointer(defp);
                virNWFilterDefFree(old);
                return st->defs->pdata[i];
            }
        }
    }
    g_ptr_array_add(st->defs, g_steal_pointer(defp));
    return def;
}

/* ---- loading ----------------------------------------------------------- */

static int
nwfLoadOne(nwfState *st, const char *file)
{
    g_autofree char *path = g_build_filename(st->dir, file, NULL);
    g_autofree char *name = g_strndup(file, strlen(file) - 4);
    g_autoptr(virNWFilterDef) def = NULL;

    if (!(def = virNWFilterDefParseFile(path)))
        return -1;
    if (!g_str_equal(name, def->name)) {
        virReportError(VIR_ERR_XML_ERROR,
                       "network filter config filename '%s' does not match name '%s'",
                       path, def->name);
        return -1;
    }
    /* a UUID made up now is kept: written back, as libvirt does */
    if (!nwfAssign(st, &def, !def->uuidSpecified))
        return -1;
    return 0;
}

static gint
nwfCompareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The standard filters, written as files (no <uuid>: each gets its own
 * when loaded, as the files libvirt's packages install). */
static int
nwfWriteDefaults(const char *dir)
{
    for (size_t i = 0; nwfilterDefaults[i].name; i++) {
        g_autofree char *base = g_strconcat(nwfilterDefaults[i].name, ".xml", NULL);
        g_autofree char *path = g_build_filename(dir, base, NULL);
        const char *xml = nwfilterDefaults[i].xml;

        if (virFileWriteAtomic(path, xml, strlen(xml), 0600) < 0)
            return -1;
    }
    return 0;
}

static void
nwfStateFree(nwfState *st)
{
    if (!st)
        return;
    g_ptr_array_unref(st->defs);
    g_ptr_array_unref(st->bindings);
    g_free(st->dir);
    g_free(st->bindingDir);
    g_free(st);
}

static const virNWFilterDef *nwfLookupForNft(const char *name, void *opaque);

/* The bindings of a previous run (their status files): each gets its
 * rules made again from the current definitions, replacing its table in
 * one transaction (so a restart never duplicates a rule and never leaves
 * a port unfiltered in between). */
static void
nwfLoadBindings(nwfState *st)
{
    g_autoptr(GDir) d = g_dir_open(st->bindingDir, 0, NULL);
    const char *name;

    virFileRemoveAtomicLeftovers(st->bindingDir, ".xml");
    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(st->bindingDir, name, NULL);
        g_autoptr(virNWFilterBindingDef) b = NULL;
        g_autofree char *script = NULL;

        if (name[0] == '.' || !g_str_has_suffix(name, ".xml"))
            continue;
        if (!(b = virNWFilterBindingDefParseFile(path))) {
            VIR_NOTICE("cannot load network filter binding %s: %s", name,
                       virGetLastErrorMessage());
            virResetLastError();
            continue;
        }
        if (!(script = nwfNftBuild(b, nwfLookupForNft, st)) || nwfNftApply(script) < 0) {
            /* kept: its old rules, if any, stay in force */
            VIR_NOTICE("cannot rebuild the filter rules of %s: %s", b->portdevname,
                       virGetLastErrorMessage());
            virResetLastError();
        }
        g_ptr_array_add(st->bindings, g_steal_pointer(&b));
    }
}

/* Background, once per start: a binding table with no status file is
 * what a daemon killed between the two left, and goes. Listing the tables
 * runs nft, a process of its own (3-5 ms on a quiet machine, far more
 * under load), which the daemon's start no longer waits for; one run lists
 * both families, the binding tables and the shared state table, which is
 * looked at only when it was listed (deleting a missing table is an nft
 * transaction that fails, 13-40 ms on this 2-CPU machine under load).
 * nwfLock is held throughout, as around every other nft run: a binding
 * made or removed meanwhile is either in st->bindings before the listing
 * or made after the purge, never removed by it. */
static gpointer
nwfPurgeRun(gpointer opaque)
{
    nwfState *st = opaque;
    g_autoptr(GPtrArray) tables = NULL;
    bool ct = false;

    g_mutex_lock(&nwfLock);
    tables = nwfNftListTables(&ct);
    for (guint i = 0; i < tables->len; i++) {
        bool known = false;

        for (guint j = 0; j < st->bindings->len && !known; j++) {
            g_autofree char *t = nwfNftTableName(
                ((virNWFilterBindingDef *)st->bindings->pdata[j])->portdevname);

            known = g_str_equal(t, tables->pdata[i]);
        }
        if (!known)
            nwfNftRemoveTable(tables->pdata[i]);
    }
    /* and the shared state table, if no binding uses it any more */
    if (ct)
        nwfCtPrune(st);
    g_mutex_unlock(&nwfLock);
    return NULL;
}

static int
nwfStateInitialize(const virStateDriverRoots *roots)
{
    const char *env = g_getenv("VIRTKIT_NWFILTER_DEFAULTS");
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GDir) d = NULL;
    g_autoptr(GError) gerr = NULL;
    bool defaults;
    bool firstStart;
    nwfState *st;
    const char *name;

    /* as libvirt: network filters belong to the system daemon */
    if (!roots->privileged)
        return 0;
    defaults = g_strcmp0(roots->configDir, "/etc/virtkit") == 0;
    if (env)
        defaults = strcmp(env, "1") == 0;

    st = g_new0(nwfState, 1);
    st->dir = g_build_filename(roots->configDir, "nwfilter", NULL);
    st->defs = g_ptr_array_new_with_free_func((GDestroyNotify)virNWFilterDefFree);
    st->bindingDir = g_build_filename(roots->runtimeDir, "nwfilter-binding", NULL);
    st->bindings =
        g_ptr_array_new_with_free_func((GDestroyNotify)virNWFilterBindingDefFree);
    firstStart = !g_file_test(st->dir, G_FILE_TEST_IS_DIR);
    if (virFileMakePath(st->dir, 0700) < 0 ||
        (firstStart && defaults && nwfWriteDefaults(st->dir) < 0))
        goto error;
    virFileRemoveAtomicLeftovers(st->dir, ".xml");
    if (!(d = g_dir_open(st->dir, 0, &gerr))) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "cannot open directory '%s': %s", st->dir,
                       gerr->message);
        goto error;
    }
    while ((name = g_dir_read_name(d))) {
        if (name[0] != '.' && g_str_has_suffix(name, ".xml"))
            g_ptr_array_add(names, g_strdup(name));
    }
    g_ptr_array_sort(names, nwfCompareNames);
    /* as libvirt: a filter that cannot be loaded is reported and skipped */
    for (guint i = 0; i < names->len; i++) {
        if (nwfLoadOne(st, names->pdata[i]) < 0) {
            VIR_NOTICE("cannot load network filter %s: %s", (const char *)names->pdata[i],
                       virGetLastErrorMessage());
            virResetLastError();
        }
    }
    if (virFileMakePath(st->bindingDir, 0700) < 0)
        goto error;
    nwfLoadBindings(st);
    g_mutex_lock(&nwfLock);
    nwfDriver = st;
    g_mutex_unlock(&nwfLock);
    virSetSharedNWFilterDriver(&nwfilterDriverTable);
    return 0;

error:
    nwfStateFree(st);
    return -1;
}

/* Once every driver is up: the purge's `nft` run (~3 ms of CPU) no
 * longer competes with the hypervisor driver's loading of its definitions
 * on a small host, and it finds the bindings its reconnect renewed. The
 * guests autostarted next take nwfLock after it or before it, as they
 * did when it started with the driver. */
static void
nwfStateAutostart(virStateAutostartReport report, void *opaque)
{
    g_mutex_lock(&nwfLock);
    if (nwfDriver && !nwfDriver->purge)
        nwfDriver->purge = g_thread_new("nwfilter-purge", nwfPurgeRun, nwfDriver);
    g_mutex_unlock(&nwfLock);
}

static void
nwfStateCleanup(void)
{
    nwfState *st;

    virSetSharedNWFilterDriver(NULL);
    g_mutex_lock(&nwfLock);
    st = g_steal_pointer(&nwfDriver);
    g_mutex_unlock(&nwfLock);
    if (st && st->purge)
        g_thread_join(g_steal_pointer(&st->purge));
    /* the bindings' rules stay: the guests keep running */
    nwfStateFree(st);
}

/* ---- entry points -------------------------------------------------------- */

static gint
nwfCompareDefs(gconstpointer a, gconstpointer b)
{
    const virNWFilterDef *da = *(virNWFilterDef *const *)a;
    const virNWFilterDef *db = *(virNWFilterDef *const *)b;

    return strcmp(da->name, db->name);
}

/* The definitions sorted by name (borrowed). Lock held. */
static GPtrArray *
nwfSorted(nwfState *st)
{
    GPtrArray *out = g_ptr_array_sized_new(st->defs->len);

    for (guint i = 0; i < st->defs->len; i++)
        g_ptr_array_add(out, st->defs->pdata[i]);
    g_ptr_array_sort(out, nwfCompareDefs);
    return out;
}

static int
nwfilterConnectNumOfNWFilters(virConnectPtr conn)
{
    nwfState *st;
    int n = -1;

    g_mutex_lock(&nwfLock);
    if ((st = nwfGetState()))
        n = st->defs->len;
    g_mutex_unlock(&nwfLock);
    return n;
}

static int
nwfilterConnectListNWFilters(virConnectPtr conn, char **const names, int maxnames)
{
    g_autoptr(GPtrArray) all = NULL;
    nwfState *st;
    int n = 0;

    g_mutex_lock(&nwfLock);
    if (!(st = nwfGetState())) {
        g_mutex_unlock(&nwfLock);
        return -1;
    }
    all = nwfSorted(st);
    for (guint i = 0; i < all->len && n < maxnames; i++)
        names[n++] = g_strdup(((virNWFilterDef *)all->pdata[i])->name);
    g_mutex_unlock(&nwfLock);
    return n;
}

static int
nwfilterConnectListAllNWFilters(virConnectPtr conn, virNWFilterPtr **filters,
                                unsigned int flags)
{
    g_autoptr(GPtrArray) all = NULL;
    nwfState *st;
    int n;

    virCheckFlags(0, -1);
    g_mutex_lock(&nwfLock);
    if (!(st = nwfGetState())) {
        g_mutex_unlock(&nwfLock);
        return -1;
    }
    all = nwfSorted(st);
    n = all->len;
    if (filters) {
        *filters = g_new0(virNWFilterPtr, n + 1);
        for (int i = 0; i < n; i++) {
            virNWFilterDef *def = all->pdata[i];

            (*filters)[i] = virGetNWFilter(conn, def->name, def->uuid);
        }
    }
    g_mutex_unlock(&nwfLock);
    return n;
}

static virNWFilterPtr
nwfilterLookupByName(virConnectPtr conn, const char *name)
{
    virNWFilterPtr ret = NULL;
    virNWFilterDef *def;
    nwfState *st;

    g_mutex_lock(&nwfLock);
    if ((st = nwfGetState())) {
        if ((def = nwfFindByName(st, name)))
            ret = virGetNWFilter(conn, def->name, def->uuid);
        else
            virReportError(VIR_ERR_NO_NWFILTER, "no nwfilter with matching name '%s'",
                           name);
    }
    g_mutex_unlock(&nwfLock);
    return ret;
}

static virNWFilterPtr
nwfilterLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    virNWFilterPtr ret = NULL;
    virNWFilterDef *def;
    nwfState *st;

    g_mutex_lock(&nwfLock);
    if ((st = nwfGetState())) {
        if ((def = nwfFindByUUID(st, uuid)))
            ret = virGetNWFilter(conn, def->name, def->uuid);
        else
            nwfReportNoUUID(uuid);
    }
    g_mutex_unlock(&nwfLock);
    return ret;
}

static char *
nwfilterGetXMLDesc(virNWFilterPtr nwfilter, unsigned int flags)
{
    virNWFilterDef *def;
    nwfState *st;
    char *ret = NULL;

    virCheckFlags(0, NULL);
    g_mutex_lock(&nwfLock);
    if ((st = nwfGetState()) && (def = nwfFromHandle(st, nwfilter)))
        ret = virNWFilterDefFormat(def);
    g_mutex_unlock(&nwfLock);
    return ret;
}

static virNWFilterPtr
nwfilterDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    g_autoptr(virNWFilterDef) def = NULL;
    virNWFilterPtr ret = NULL;
    virNWFilterDef *kept;
    nwfState *st;

    virCheckFlags(VIR_NWFILTER_DEFINE_VALIDATE, NULL);
    if (!(def = virNWFilterDefParseString(xml, (flags & VIR_NWFILTER_DEFINE_VALIDATE)
                                                   ? VIR_NWFILTER_PARSE_VALIDATE
                                                   : 0)))
        return NULL;
    g_mutex_lock(&nwfLock);
    if ((st = nwfGetState()) && nwfCheckUsers(st, def) == 0 &&
        (kept = nwfAssign(st, &def, true))) {
        ret = virGetNWFilter(conn, kept->name, kept->uuid);
        nwfRebuildUsers(st, kept->name);
    }
    g_mutex_unlock(&nwfLock);
    return ret;
}

static virNWFilterPtr
nwfilterDefineXML(virConnectPtr conn, const char *xml)
{
    return nwfilterDefineXMLFlags(conn, xml, 0);
}

static int
nwfilterUndefine(virNWFilterPtr nwfilter)
{
    virNWFilterDef *def;
    nwfState *st;
    int ret = -1;

    g_mutex_lock(&nwfLock);
    if ((st = nwfGetState()) && (def = nwfFromHandle(st, nwfilter))) {
        g_autofree char *path = nwfPath(st, def->name);

        /* as libvirt: a filter a binding uses stays; one other filters
         * reference goes */
        for (guint i = 0; i < st->bindings->len; i++) {
            if (nwfBindingUses(st, st->bindings->pdata[i], def->name)) {
                virReportError(VIR_ERR_OPERATION_INVALID, "%s", "nwfilter is in use");
                g_mutex_unlock(&nwfLock);
                return -1;
            }
        }
        if (virFileRemoveDurable(path) == 0) {
            g_ptr_array_remove(st->defs, def);
            ret = 0;
        }
    }
    g_mutex_unlock(&nwfLock);
    return ret;
}

static void
nwfReportNoBinding(const char *portdev)
{
    virReportError(VIR_ERR_NO_NWFILTER_BINDING, "no nwfilter binding for port dev '%s'",
                   portdev);
}

static const virNWFilterDef *
nwfLookupForNft(const char *name, void *opaque)
{
    return nwfFindByName(opaque, name);
}

static virNWFilterBindingDef *
nwfFindBinding(nwfState *st, const char *portdev)
{
    for (guint i = 0; i < st->bindings->len; i++) {
        virNWFilterBindingDef *b = st->bindings->pdata[i];

        if (g_str_equal(b->portdevname, portdev))
            return b;
    }
    return NULL;
}

static char *
nwfBindingPath(nwfState *st, const char *portdev)
{
    g_autofree char *base = g_strconcat(portdev, ".xml", NULL);

    return g_build_filename(st->bindingDir, base, NULL);
}

/* Does the filter tree of @b use filter @name? */
static bool
nwfBindingUses(nwfState *st, const virNWFilterBindingDef *b, const char *name)
{
    const virNWFilterDef *top;

    if (g_str_equal(b->filter, name))
        return true;
    return (top = nwfFindByName(st, b->filter)) && nwfReaches(st, top, name, 0);
}

/* (Re)make the rules of @b from the current definitions. 0, or -1 with
 * the translator's or nft's error (the old rules, if any, stay). Lock
 * held. */
static int
nwfBindingInstantiate(nwfState *st, const virNWFilterBindingDef *b)
{
    g_autofree char *script = nwfNftBuild(b, nwfLookupForNft, st);
    g_autofree char *call = NULL;

    if (!script)
        return -1;
    /* as libvirt's warning: without br_netfilter's pass through the inet
     * hooks bridged packets have no connection state, and rules that
     * match one never match them */
    if (nwfNftScriptUsesCt(script) &&
        (!g_file_get_contents("/proc/sys/net/bridge/bridge-nf-call-iptables", &call, NULL,
                              NULL) ||
         call[0] != '1'))
        VIR_NOTICE("network filter of %s matches connection states: to enable them for "
                   "bridged traffic do 'echo 1 > "
                   "/proc/sys/net/bridge/bridge-nf-call-iptables' (module br_netfilter)",
                   b->portdevname);
    return nwfNftApply(script);
}

/* The shared connection-state table goes once no binding's rules use it.
 * Lock held. */
static void
nwfCtPrune(nwfState *st)
{
    for (guint i = 0; i < st->bindings->len; i++) {
        g_autofree char *script =
            nwfNftBuild(st->bindings->pdata[i], nwfLookupForNft, st);

        if (!script)
            virResetLastError();
        if (nwfNftScriptUsesCt(script))
            return;
    }
    nwfNftRemoveCt();
}

typedef struct {
    nwfState *st;
    const virNWFilterDef *def; /* in place of the definition of its name */
} nwfTrial;

static const virNWFilterDef *
nwfLookupTrial(const char *name, void *opaque)
{
    nwfTrial *t = opaque;

    return g_str_equal(name, t->def->name) ? t->def : nwfFindByName(t->st, name);
}

/* As libvirt, before @def replaces (or joins) the definitions: a binding
 * whose rules can be made now must still be made with @def, or the
 * definition is refused with the reason. 0, or -1 with that error. Lock
 * held. */
static int
nwfCheckUsers(nwfState *st, const virNWFilterDef *def)
{
    nwfTrial trial = { st, def };

    for (guint i = 0; i < st->bindings->len; i++) {
        const virNWFilterBindingDef *b = st->bindings->pdata[i];
        g_autofree char *now = nwfNftBuild(b, nwfLookupForNft, st);
        g_autofree char *then = NULL;

        if (!now) {
            virResetLastError();
            continue;
        }
        if (!(then = nwfNftBuild(b, nwfLookupTrial, &trial)))
            return -1;
    }
    return 0;
}

/* After a definition changed: the bindings using @name get their rules
 * made again (as libvirt's rebuild of every binding); a binding that no
 * longer instantiates keeps its rules and is told in the log. Lock held. */
static void
nwfRebuildUsers(nwfState *st, const char *name)
{
    for (guint i = 0; i < st->bindings->len; i++) {
        virNWFilterBindingDef *b = st->bindings->pdata[i];

        if (!nwfBindingUses(st, b, name))
            continue;
        if (nwfBindingInstantiate(st, b) < 0) {
            VIR_NOTICE("cannot rebuild the filter rules of %s: %s", b->portdevname,
                       virGetLastErrorMessage());
            virResetLastError();
        }
    }
    nwfCtPrune(st);
}

static int
nwfilterConnectListAllNWFilterBindings(virConnectPtr conn,
                                       virNWFilterBindingPtr **bindings,
                                       unsigned int flags)
{
    nwfState *st;
    int n;

    virCheckFlags(0, -1);
    g_mutex_lock(&nwfLock);
    if (!(st = nwfGetState())) {
        g_mutex_unlock(&nwfLock);
        return -1;
    }
    n = st->bindings->len;
    if (bindings) {
        *bindings = g_new0(virNWFilterBindingPtr, n + 1);
        for (int i = 0; i < n; i++) {
            virNWFilterBindingDef *b = st->bindings->pdata[i];

            (*bindings)[i] = virGetNWFilterBinding(conn, b->portdevname, b->filter);
        }
    }
    g_mutex_unlock(&nwfLock);
    return n;
}

static virNWFilterBindingPtr
nwfilterBindingLookupByPortDev(virConnectPtr conn, const char *portdev)
{
    virNWFilterBindingPtr ret = NULL;
    virNWFilterBindingDef *b;
    nwfState *st;

    g_mutex_lock(&nwfLock);
    if ((st = nwfGetState())) {
        if ((b = nwfFindBinding(st, portdev)))
            ret = virGetNWFilterBinding(conn, b->portdevname, b->filter);
        else
            nwfReportNoBinding(portdev);
    }
    g_mutex_unlock(&nwfLock);
    return ret;
}

static char *
nwfilterBindingGetXMLDesc(virNWFilterBindingPtr binding, unsigned int flags)
{
    virNWFilterBindingDef *b;
    nwfState *st;
    char *ret = NULL;

    virCheckFlags(0, NULL);
    g_mutex_lock(&nwfLock);
    if ((st = nwfGetState())) {
        if ((b = nwfFindBinding(st, binding->portdev)))
            ret = virNWFilterBindingDefFormat(b);
        else
            nwfReportNoBinding(binding->portdev);
    }
    g_mutex_unlock(&nwfLock);
    return ret;
}

/* As libvirt's nwfilter driver: the binding is kept (a status file in
 * <runtime>/nwfilter-binding, written before the rules exist) and its
 * filter tree applied to the port device as nftables rules; a failure
 * leaves neither. */
static virNWFilterBindingPtr
nwfilterBindingCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    g_autoptr(virNWFilterBindingDef) def = NULL;
    virNWFilterBindingPtr ret = NULL;
    g_autofree char *path = NULL;
    g_autofree char *out = NULL;
    nwfState *st;

    virCheckFlags(VIR_NWFILTER_BINDING_CREATE_VALIDATE, NULL);
    if (!(def = virNWFilterBindingDefParseString(
              xml, flags & VIR_NWFILTER_BINDING_CREATE_VALIDATE)))
        return NULL;
    g_mutex_lock(&nwfLock);
    if (!(st = nwfGetState()))
        goto cleanup;
    if (nwfFindBinding(st, def->portdevname)) {
        virReportError(VIR_ERR_OPERATION_FAILED, "binding '%s' already exists",
                       def->portdevname);
        goto cleanup;
    }
    if (strchr(def->portdevname, '/') || def->portdevname[0] == '.') {
        virReportError(VIR_ERR_INVALID_ARG, "invalid port device name '%s'",
                       def->portdevname);
        goto cleanup;
    }
    /* as libvirt: the binding records the MAC variable it was made with */
    if (!g_tree_lookup(def->filterparams->table, "MAC")) {
        const unsigned char *m = def->mac;
        g_autofree char *mac = g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", m[0],
                                               m[1], m[2], m[3], m[4], m[5]);

        virNWFilterParamsAdd(def->filterparams, "MAC", mac);
    }
    path = nwfBindingPath(st, def->portdevname);
    out = virNWFilterBindingDefFormat(def);
    if (virFileWriteAtomic(path, out, strlen(out), 0600) < 0)
        goto cleanup;
    if (nwfBindingInstantiate(st, def) < 0) {
        nwfNftRemove(def->portdevname);
        virFileRemoveDurableQuiet(path);
        goto cleanup;
    }
    ret = virGetNWFilterBinding(conn, def->portdevname, def->filter);
    g_ptr_array_add(st->bindings, g_steal_pointer(&def));

cleanup:
    g_mutex_unlock(&nwfLock);
    return ret;
}

static int
nwfilterBindingDelete(virNWFilterBindingPtr binding)
{
    virNWFilterBindingDef *b;
    nwfState *st;
    int ret = -1;

    g_mutex_lock(&nwfLock);
    if ((st = nwfGetState())) {
        if ((b = nwfFindBinding(st, binding->portdev))) {
            g_autofree char *path = nwfBindingPath(st, b->portdevname);

            nwfNftRemove(b->portdevname);
            if (virFileRemoveDurable(path) == 0) {
                g_ptr_array_remove(st->bindings, b);
                nwfCtPrune(st);
                ret = 0;
            }
        } else {
            nwfReportNoBinding(binding->portdev);
        }
    }
    g_mutex_unlock(&nwfLock);
    return ret;
}

static const virNWFilterDriver nwfilterDriverTable = {
    .name = "nwfilter",
    .connectNumOfNWFilters = nwfilterConnectNumOfNWFilters,
    .connectListNWFilters = nwfilterConnectListNWFilters,
    .connectListAllNWFilters = nwfilterConnectListAllNWFilters,
    .nwfilterLookupByName = nwfilterLookupByName,
    .nwfilterLookupByUUID = nwfilterLookupByUUID,
    .nwfilterGetXMLDesc = nwfilterGetXMLDesc,
    .nwfilterDefineXML = nwfilterDefineXML,
    .nwfilterDefineXMLFlags = nwfilterDefineXMLFlags,
    .nwfilterUndefine = nwfilterUndefine,
    .connectListAllNWFilterBindings = nwfilterConnectListAllNWFilterBindings,
    .nwfilterBindingLookupByPortDev = nwfilterBindingLookupByPortDev,
    .nwfilterBindingGetXMLDesc = nwfilterBindingGetXMLDesc,
    .nwfilterBindingCreateXML = nwfilterBindingCreateXML,
    .nwfilterBindingDelete = nwfilterBindingDelete,
};

const virStateDriver nwfilterStateDriver = {
    .name = "nwfilter",
    .stateInitialize = nwfStateInitialize,
    .stateAutostart = nwfStateAutostart,
    .stateCleanup = nwfStateCleanup,
};
