/* domainobjtest.c: unit tests of domain objects, jobs and the list (src/conf/domain_obj.c) */

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "domain_obj.h"
#include "datatypes.h"
#include "virerror.h"
#include "viruuid.h"

static virDomainDef *
makeDef(const char *name, const char *uuid)
{
    g_autofree char *xml = g_strdup_printf(
        "<domain type='test'><name>%s</name>%s%s%s<memory>1024</memory>"
        "<os><type>hvm</type></os></domain>",
        name, uuid ? "<uuid>" : "", uuid ? uuid : "", uuid ? "</uuid>" : "");
    virDomainDef *def = virDomainDefParseString(xml, VIR_DOMAIN_DEF_PARSE_INACTIVE);

    g_assert_nonnull(def);
    return def;
}

static void
assertError(int code, const char *message)
{
    virErrorPtr err = virGetLastError();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(err->domain, ==, VIR_FROM_DOMAIN);
    if (message)
        g_assert_cmpstr(err->message, ==, message);
}

#define UUID1 "11111111-2222-3333-4444-555555555555"
#define UUID2 "66666666-7777-8888-9999-000000000000"

static void
testAddLookup(void)
{
    virDomainObjList *list = virDomainObjListNew();
    virDomainDef *def = makeDef("a", UUID1);
    virDomainObj *obj = virDomainObjListAdd(list, &def, 0, NULL);
    virDomainObj *found;
    unsigned char uuid[VIR_UUID_BUFLEN];
    int reason;

    g_assert_nonnull(obj);
    g_assert_null(def);
    g_assert_cmpint(virDomainObjGetState(obj, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    g_assert_false(virDomainObjIsActive(obj));
    /* returned locked: another thread could not take it */
    g_assert_false(g_mutex_trylock(&obj->lock));
    virDomainObjEndAPI(&obj);
    g_assert_null(obj);

    found = virDomainObjListFindByName(list, "a");
    g_assert_nonnull(found);
    g_assert_cmpstr(found->def->name, ==, "a");
    virDomainObjEndAPI(&found);

    g_assert_cmpint(virUUIDParse(UUID1, uuid), ==, 0);
    found = virDomainObjListFindByUUID(list, uuid);
    g_assert_nonnull(found);
    g_assert_cmpstr(found->def->name, ==, "a");
    virDomainObjEndAPI(&found);

    g_assert_null(virDomainObjListFindByName(list, "b"));
    g_assert_null(virDomainObjListFindByName(list, NULL));
    uuid[0] ^= 0xff;
    g_assert_null(virDomainObjListFindByUUID(list, uuid));
    g_assert_null(virDomainObjListFindByID(list, 1));
    virDomainObjListFree(list);
}

typedef struct {
    virDomainObjList *list;
    const char *name;
    bool found;
    bool wouldBlock;
} NoWaitProbe;

/* A lookup in no-wait mode, from a thread of its own (the object lock may
 * be held by this test's thread, and GMutex is not recursive). */
static gpointer
noWaitThread(gpointer opaque)
{
    NoWaitProbe *p = opaque;
    virDomainObj *obj;

    virDomainObjListSetNoWait(true);
    obj = virDomainObjListFindByName(p->list, p->name);
    p->found = obj != NULL;
    p->wouldBlock = virDomainObjListWouldBlock();
    virDomainObjEndAPI(&obj);
    virDomainObjListSetNoWait(false);
    return NULL;
}

static void
noWaitProbe(virDomainObjList *list, const char *name, bool *found, bool *wouldBlock)
{
    NoWaitProbe p = { .list = list, .name = name };

    g_thread_join(g_thread_new("nowait", noWaitThread, &p));
    *found = p.found;
    *wouldBlock = p.wouldBlock;
}

/* No-wait lookups find what is free, and say "would block" instead of
 * waiting for a busy object or list; by id they never look. */
static void
testNoWait(void)
{
    virDomainObjList *list = virDomainObjListNew();
    virDomainDef *def = makeDef("a", UUID1);
    virDomainObj *obj = virDomainObjListAdd(list, &def, 0, NULL);
    bool found;
    bool wouldBlock;

    /* "a" is locked (Add returns it locked) */
    noWaitProbe(list, "a", &found, &wouldBlock);
    g_assert_false(found);
    g_assert_true(wouldBlock);
    virDomainObjEndAPI(&obj);

    noWaitProbe(list, "a", &found, &wouldBlock);
    g_assert_true(found);
    g_assert_false(wouldBlock);
    noWaitProbe(list, "nosuch", &found, &wouldBlock);
    g_assert_false(found);
    g_assert_false(wouldBlock);

    /* a definition still to be parsed (from a file) is not for this thread */
    obj = virDomainObjListFindByName(list, "a");
    obj->pendingDir = "/nonexistent";
    virDomainObjEndAPI(&obj);
    noWaitProbe(list, "a", &found, &wouldBlock);
    g_assert_false(found);
    g_assert_true(wouldBlock);
    obj = virDomainObjListFindByName(list, "a");
    obj->pendingDir = NULL;
    virDomainObjEndAPI(&obj);

    virDomainObjListSetNoWait(true);
    g_assert_null(virDomainObjListFindByID(list, 1));
    g_assert_true(virDomainObjListWouldBlock());
    virDomainObjListSetNoWait(false);
    g_assert_false(virDomainObjListWouldBlock());
    /* back to waiting lookups in this thread */
    obj = virDomainObjListFindByName(list, "a");
    g_assert_nonnull(obj);
    virDomainObjEndAPI(&obj);
    virDomainObjListFree(list);
}

/* A placeholder (name and UUID) with its definition in a file: parsed on
 * demand; a file naming another domain is refused and stays pending; a
 * redefinition replaces a pending one. */
static void
testParsePending(void)
{
    g_autofree char *dir = g_dir_make_tmp("vkobj-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "a.xml", NULL);
    /* a folder whose a.xml names domain b */
    g_autofree char *otherDir = g_build_filename(dir, "other", NULL);
    g_autofree char *other = g_build_filename(otherDir, "a.xml", NULL);
    virDomainObjList *list = virDomainObjListNew();
    g_autoptr(virDomainDef) full = makeDef("a", UUID1);
    g_autofree char *text = virDomainDefFormat(full, 0);
    g_autoptr(virDomainDef) full2 = makeDef("b", UUID1);
    g_autofree char *text2 = virDomainDefFormat(full2, 0);
    virDomainDef *stub = virDomainDefNew();
    virDomainDef *redef;
    virDomainDef *old = NULL;
    virDomainObj *obj;

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    g_assert_cmpint(g_mkdir(otherDir, 0700), ==, 0);
    g_assert_true(g_file_set_contents(other, text2, -1, NULL));
    stub->name = g_strdup("a");
    g_assert_cmpint(virUUIDParse(UUID1, stub->uuid), ==, 0);
    obj = virDomainObjListAdd(list, &stub, 0, NULL);
    g_assert_nonnull(obj);
    g_assert_cmpuint(obj->def->memory, ==, 0);

    /* the file names another domain: refused, still pending */
    obj->pendingDir = otherDir;
    g_assert_cmpint(virDomainObjParsePending(obj), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_nonnull(obj->pendingDir);
    g_assert_cmpuint(obj->def->memory, ==, 0);

    obj->pendingDir = dir;
    g_assert_cmpint(virDomainObjParsePending(obj), ==, 0);
    g_assert_null(obj->pendingDir);
    g_assert_cmpuint(obj->def->memory, ==, 1024);
    g_assert_cmpint(virDomainObjParsePending(obj), ==, 0); /* nothing left */

    /* redefining over a pending one: the replaced definition handed back
     * is the parsed one, not the placeholder */
    obj->pendingDir = dir;
    virDomainObjEndAPI(&obj);
    redef = makeDef("a", UUID1);
    obj = virDomainObjListAdd(list, &redef, 0, &old);
    g_assert_nonnull(obj);
    g_assert_null(obj->pendingDir);
    g_assert_nonnull(old);
    g_assert_cmpuint(old->memory, ==, 1024);
    virDomainDefFree(old);
    virDomainObjEndAPI(&obj);

    virDomainObjListFree(list);
    g_unlink(path);
    g_unlink(other);
    g_rmdir(otherDir);
    g_rmdir(dir);
}

static void
testAddConflicts(void)
{
    virDomainObjList *list = virDomainObjListNew();
    virDomainDef *def = makeDef("a", UUID1);
    virDomainObj *obj = virDomainObjListAdd(list, &def, 0, NULL);
    virDomainDef *old = NULL;

    virDomainObjEndAPI(&obj);

    /* same name, other uuid */
    def = makeDef("a", UUID2);
    virResetLastError();
    g_assert_null(virDomainObjListAdd(list, &def, 0, NULL));
    g_assert_nonnull(def);
    assertError(VIR_ERR_OPERATION_FAILED,
                "operation failed: domain 'a' already exists with uuid " UUID1);
    virDomainDefFree(def);

    /* same uuid, other name */
    def = makeDef("b", UUID1);
    virResetLastError();
    g_assert_null(virDomainObjListAdd(list, &def, 0, NULL));
    assertError(VIR_ERR_OPERATION_FAILED,
                "operation failed: domain 'a' is already defined with uuid " UUID1);
    virDomainDefFree(def);

    /* same name and uuid: replaces, handing back the old def */
    def = makeDef("a", UUID1);
    def->vcpus = 3;
    obj = virDomainObjListAdd(list, &def, 0, &old);
    g_assert_nonnull(obj);
    g_assert_nonnull(old);
    g_assert_cmpuint(old->vcpus, ==, 1);
    g_assert_cmpuint(obj->def->vcpus, ==, 3);
    virDomainDefFree(old);

    /* active: a non-live def becomes the next-boot def */
    obj->def->id = 4;
    virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    virDomainObjEndAPI(&obj);
    def = makeDef("a", UUID1);
    def->vcpus = 5;
    obj = virDomainObjListAdd(list, &def, 0, &old);
    g_assert_nonnull(obj);
    g_assert_null(old);
    g_assert_cmpuint(obj->def->vcpus, ==, 3);
    g_assert_cmpuint(obj->newDef->vcpus, ==, 5);
    g_assert_true(virDomainObjGetPersistentDef(obj) == obj->newDef);
    virDomainObjEndAPI(&obj);

    /* CHECK_LIVE refuses an active domain */
    def = makeDef("a", UUID1);
    virResetLastError();
    g_assert_null(
        virDomainObjListAdd(list, &def, VIR_DOMAIN_OBJ_LIST_ADD_CHECK_LIVE, NULL));
    assertError(VIR_ERR_OPERATION_INVALID,
                "Requested operation is not valid: domain 'a' is already active");

    /* LIVE replaces the running def and keeps the persistent one */
    def->id = 4;
    obj = virDomainObjListAdd(list, &def, VIR_DOMAIN_OBJ_LIST_ADD_LIVE, NULL);
    g_assert_nonnull(obj);
    g_assert_cmpuint(obj->def->vcpus, ==, 1);
    g_assert_cmpuint(obj->newDef->vcpus, ==, 5);
    virDomainObjEndAPI(&obj);
    virDomainObjListFree(list);
}

static void
testRemove(void)
{
    virDomainObjList *list = virDomainObjListNew();
    virDomainDef *def = makeDef("a", UUID1);
    virDomainObj *obj = virDomainObjListAdd(list, &def, 0, NULL);
    virDomainObj *held = virDomainObjRef(obj);
    unsigned char uuid[VIR_UUID_BUFLEN];

    obj->def->id = 2;
    virDomainObjListRemove(list, obj);
    /* still locked by us, still alive through our references */
    g_assert_false(g_mutex_trylock(&obj->lock));
    g_assert_true(obj->removing);
    virDomainObjEndAPI(&obj);

    g_assert_null(virDomainObjListFindByName(list, "a"));
    virUUIDParse(UUID1, uuid);
    g_assert_null(virDomainObjListFindByUUID(list, uuid));
    g_assert_null(virDomainObjListFindByID(list, 2));
    g_assert_cmpint(virDomainObjListNumOfDomains(list, false), ==, 0);
    g_assert_cmpstr(held->def->name, ==, "a");
    virDomainObjUnref(held);

    /* the name is free again */
    def = makeDef("a", UUID2);
    obj = virDomainObjListAdd(list, &def, 0, NULL);
    g_assert_nonnull(obj);
    virDomainObjEndAPI(&obj);
    virDomainObjListFree(list);
}

static void
collectName(virDomainObj *obj, void *opaque)
{
    g_ptr_array_add(opaque, g_strdup(obj->def->name));
}

/* Removing from the middle of the list keeps every other domain reachable
 * by every path (lookups, iteration, export). */
static void
testRemoveMiddle(void)
{
    virDomainObjList *list = virDomainObjListNew();
    virConnectPtr conn = virGetConnect();
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    static const char *const kept[] = { "m0", "m2", "m4", "m5" };

    for (int i = 0; i < 6; i++) {
        g_autofree char *name = g_strdup_printf("m%d", i);
        virDomainDef *def = makeDef(name, NULL);
        virDomainObj *obj = virDomainObjListAdd(list, &def, 0, NULL);

        virDomainObjEndAPI(&obj);
    }
    for (int i = 1; i <= 3; i += 2) {
        g_autofree char *name = g_strdup_printf("m%d", i);
        virDomainObj *obj = virDomainObjListFindByName(list, name);

        virDomainObjListRemove(list, obj);
        virDomainObjEndAPI(&obj);
    }
    g_assert_cmpint(virDomainObjListExport(list, conn, NULL, 0), ==, 4);
    virDomainObjListForEach(list, collectName, names);
    g_assert_cmpuint(names->len, ==, 4);
    for (size_t i = 0; i < G_N_ELEMENTS(kept); i++) {
        virDomainObj *obj = virDomainObjListFindByName(list, kept[i]);

        g_assert_nonnull(obj);
        virDomainObjListRemove(list, obj);
        virDomainObjEndAPI(&obj);
        g_assert_cmpint(virDomainObjListNumOfDomains(list, false), ==, 3 - (int)i);
    }
    virObjectUnrefConnect(conn);
    virDomainObjListFree(list);
}

static void
testFindByID(void)
{
    virDomainObjList *list = virDomainObjListNew();
    virDomainObj *objs[3];
    virDomainObj *found;

    for (int i = 0; i < 3; i++) {
        g_autofree char *name = g_strdup_printf("d%d", i);
        virDomainDef *def = makeDef(name, NULL);

        objs[i] = virDomainObjListAdd(list, &def, 0, NULL);
        virDomainObjUnlock(objs[i]);
    }
    g_assert_cmpint(virDomainObjListNextID(list), ==, 1);
    g_assert_cmpint(virDomainObjListNextID(list), ==, 2);
    virDomainObjListBumpID(list, 10);
    g_assert_cmpint(virDomainObjListNextID(list), ==, 11);
    virDomainObjListBumpID(list, 3);
    g_assert_cmpint(virDomainObjListNextID(list), ==, 12);

    objs[1]->def->id = 7;
    found = virDomainObjListFindByID(list, 7);
    g_assert_true(found == objs[1]);
    virDomainObjEndAPI(&found);

    /* the id changes under the cache: stale entries are not returned */
    objs[1]->def->id = -1;
    objs[2]->def->id = 7;
    found = virDomainObjListFindByID(list, 7);
    g_assert_true(found == objs[2]);
    virDomainObjEndAPI(&found);
    objs[2]->def->id = -1;
    g_assert_null(virDomainObjListFindByID(list, 7));
    g_assert_null(virDomainObjListFindByID(list, -1));

    for (int i = 0; i < 3; i++)
        virDomainObjUnref(objs[i]);
    virDomainObjListFree(list);
}

typedef struct {
    const char *name;
    int state;
    bool active;
    bool persistent;
    bool autostart;
} filterDom;

static const filterDom filterDoms[] = {
    { "run", VIR_DOMAIN_RUNNING, true, true, true },
    { "pause", VIR_DOMAIN_PAUSED, true, false, false },
    { "off", VIR_DOMAIN_SHUTOFF, false, true, false },
    { "crash", VIR_DOMAIN_CRASHED, true, true, false },
    { "pm", VIR_DOMAIN_PMSUSPENDED, true, false, true },
};

static const struct {
    unsigned int flags;
    const char *expect; /* names of filterDoms that match, in order */
} filterCases[] = {
    { 0, "run pause off crash pm" },
    { VIR_CONNECT_LIST_DOMAINS_ACTIVE, "run pause crash pm" },
    { VIR_CONNECT_LIST_DOMAINS_INACTIVE, "off" },
    { VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE,
      "run pause off crash pm" },
    { VIR_CONNECT_LIST_DOMAINS_PERSISTENT, "run off crash" },
    { VIR_CONNECT_LIST_DOMAINS_TRANSIENT, "pause pm" },
    { VIR_CONNECT_LIST_DOMAINS_RUNNING, "run" },
    { VIR_CONNECT_LIST_DOMAINS_PAUSED | VIR_CONNECT_LIST_DOMAINS_SHUTOFF, "pause off" },
    { VIR_CONNECT_LIST_DOMAINS_OTHER, "crash pm" },
    { VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_TRANSIENT, "" },
    { VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
      "run crash" },
    { VIR_CONNECT_LIST_DOMAINS_AUTOSTART, "run pm" },
    { VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, "pause off crash" },
    { VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, "" },
    { VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, "run pause off crash pm" },
    { VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE | VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE,
      "run pause off crash pm" },
    { VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, "" },
    { VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, "run pause off crash pm" },
    { VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT, "" },
    { VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT | VIR_CONNECT_LIST_DOMAINS_SHUTOFF, "off" },
};

static void
testFilters(void)
{
    virDomainObj *objs[G_N_ELEMENTS(filterDoms)];

    for (size_t i = 0; i < G_N_ELEMENTS(filterDoms); i++) {
        objs[i] = virDomainObjNew();
        objs[i]->def = makeDef(filterDoms[i].name, NULL);
        objs[i]->def->id = filterDoms[i].active ? (int)i + 1 : -1;
        objs[i]->state = filterDoms[i].state;
        objs[i]->persistent = filterDoms[i].persistent;
        objs[i]->autostart = filterDoms[i].autostart;
    }
    for (size_t c = 0; c < G_N_ELEMENTS(filterCases); c++) {
        g_autoptr(GString) got = g_string_new(NULL);

        for (size_t i = 0; i < G_N_ELEMENTS(filterDoms); i++) {
            if (virDomainObjMatchFilter(objs[i], filterCases[c].flags))
                g_string_append_printf(got, "%s%s", got->len ? " " : "",
                                       filterDoms[i].name);
        }
        g_test_message("flags 0x%x", filterCases[c].flags);
        g_assert_cmpstr(got->str, ==, filterCases[c].expect);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(filterDoms); i++)
        virDomainObjUnref(objs[i]);
}

static void
testExport(void)
{
    virDomainObjList *list = virDomainObjListNew();
    virConnectPtr conn = virGetConnect();
    virDomainPtr *doms = NULL;
    char **names = g_new0(char *, 11);
    int ids[10];
    int n;

    for (int i = 0; i < 10; i++) {
        g_autofree char *name = g_strdup_printf("d%d", i);
        virDomainDef *def = makeDef(name, NULL);
        virDomainObj *obj = virDomainObjListAdd(list, &def, 0, NULL);

        if (i % 2) {
            obj->def->id = virDomainObjListNextID(list);
            virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
        }
        virDomainObjEndAPI(&obj);
    }
    n = virDomainObjListExport(list, conn, &doms, VIR_CONNECT_LIST_DOMAINS_ACTIVE);
    g_assert_cmpint(n, ==, 5);
    for (int i = 0; i < n; i++) {
        g_assert_nonnull(doms[i]);
        g_assert_cmpint(doms[i]->id, >, 0);
        g_assert_true(doms[i]->conn == conn);
        virObjectUnrefDomain(doms[i]);
    }
    g_assert_null(doms[n]);
    g_free(doms);
    g_assert_cmpint(virDomainObjListExport(list, conn, NULL, 0), ==, 10);
    g_assert_cmpint(virDomainObjListNumOfDomains(list, true), ==, 5);
    g_assert_cmpint(virDomainObjListNumOfDomains(list, false), ==, 5);
    g_assert_cmpint(virDomainObjListGetActiveIDs(list, ids, 10), ==, 5);
    g_assert_cmpint(virDomainObjListGetActiveIDs(list, ids, 2), ==, 2);
    n = virDomainObjListGetInactiveNames(list, names, 10);
    g_assert_cmpint(n, ==, 5);
    for (int i = 0; i < n; i++) {
        int idx = atoi(names[i] + 1);
        g_assert_cmpint(idx % 2, ==, 0);
    }
    g_strfreev(names);
    virObjectUnrefConnect(conn);
    virDomainObjListFree(list);
}

static void
countCb(virDomainObj *obj, void *opaque)
{
    int *count = opaque;

    g_assert_true(g_mutex_trylock(&obj->lock));
    g_mutex_unlock(&obj->lock);
    (*count)++;
}

static void
testForEach(void)
{
    virDomainObjList *list = virDomainObjListNew();
    int count = 0;

    for (int i = 0; i < 4; i++) {
        g_autofree char *name = g_strdup_printf("d%d", i);
        virDomainDef *def = makeDef(name, NULL);
        virDomainObj *obj = virDomainObjListAdd(list, &def, 0, NULL);
        virDomainObjEndAPI(&obj);
    }
    virDomainObjListForEach(list, countCb, &count);
    g_assert_cmpint(count, ==, 4);
    virDomainObjListFree(list);
}

typedef struct {
    virDomainObj *obj;
    GMutex lock;
    GCond cond;
    bool holding;
    bool release;
} jobHolder;

static gpointer
holdJob(gpointer opaque)
{
    jobHolder *h = opaque;

    virDomainObjLock(h->obj);
    g_assert_cmpint(virDomainObjBeginJob(h->obj, VIR_JOB_MODIFY, 1000), ==, 0);
    virDomainObjUnlock(h->obj);
    g_mutex_lock(&h->lock);
    h->holding = true;
    g_cond_broadcast(&h->cond);
    while (!h->release)
        g_cond_wait(&h->cond, &h->lock);
    g_mutex_unlock(&h->lock);
    virDomainObjLock(h->obj);
    virDomainObjEndJob(h->obj, VIR_JOB_MODIFY);
    virDomainObjUnlock(h->obj);
    return NULL;
}

static void
testJobs(void)
{
    jobHolder h = { 0 };
    GThread *thread;
    gint64 start;

    h.obj = virDomainObjNew();
    h.obj->def = makeDef("j", NULL);
    g_mutex_init(&h.lock);
    g_cond_init(&h.cond);
    thread = g_thread_new("job", holdJob, &h);
    g_mutex_lock(&h.lock);
    while (!h.holding)
        g_cond_wait(&h.cond, &h.lock);
    g_mutex_unlock(&h.lock);

    virDomainObjLock(h.obj);
    /* busy: a second MODIFY times out after its deadline */
    start = g_get_monotonic_time();
    virResetLastError();
    g_assert_cmpint(virDomainObjBeginJob(h.obj, VIR_JOB_MODIFY, 50), ==, -1);
    g_assert_cmpint(g_get_monotonic_time() - start, >=, 50 * 1000);
    assertError(VIR_ERR_OPERATION_TIMEOUT,
                "Timed out during operation: cannot acquire state change lock");
    /* DESTROY waits too, until the holder allows it */
    g_assert_cmpint(virDomainObjBeginJob(h.obj, VIR_JOB_DESTROY, 0), ==, -1);
    virDomainObjAllowDestroy(h.obj);
    g_assert_cmpint(virDomainObjBeginJob(h.obj, VIR_JOB_DESTROY, 0), ==, 0);
    g_assert_true(h.obj->destroyJobActive);
    /* but not twice */
    g_assert_cmpint(virDomainObjBeginJob(h.obj, VIR_JOB_DESTROY, 0), ==, -1);
    virDomainObjEndJob(h.obj, VIR_JOB_DESTROY);
    g_assert_false(h.obj->destroyJobActive);
    g_assert_cmpint(h.obj->job, ==, VIR_JOB_MODIFY);
    virDomainObjUnlock(h.obj);

    /* released while we wait: the wait ends early with the job */
    g_mutex_lock(&h.lock);
    h.release = true;
    g_cond_broadcast(&h.cond);
    g_mutex_unlock(&h.lock);
    virDomainObjLock(h.obj);
    start = g_get_monotonic_time();
    g_assert_cmpint(virDomainObjBeginJob(h.obj, VIR_JOB_QUERY, 10000), ==, 0);
    g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
    g_assert_cmpint(h.obj->job, ==, VIR_JOB_QUERY);
    g_assert_true(h.obj->jobOwner == g_thread_self());
    virDomainObjEndJob(h.obj, VIR_JOB_QUERY);
    g_assert_cmpint(h.obj->job, ==, VIR_JOB_NONE);
    virDomainObjUnlock(h.obj);

    g_thread_join(thread);
    g_mutex_clear(&h.lock);
    g_cond_clear(&h.cond);
    virDomainObjUnref(h.obj);
}

static void
testStateNames(void)
{
    static const struct {
        int state;
        int reason;
        const char *s;
        const char *r;
    } cases[] = {
        { VIR_DOMAIN_NOSTATE, 0, "nostate", "unknown" },
        { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, "running", "booted" },
        { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_FROM_SNAPSHOT, "running",
          "from snapshot" },
        { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_POSTCOPY_FAILED, "running",
          "post-copy failed" },
        { VIR_DOMAIN_BLOCKED, 0, "blocked", "unknown" },
        { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, "paused", "user" },
        { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_IOERROR, "paused", "ioerror" },
        { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_SHUTTING_DOWN, "paused", "shutdown" },
        { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_CRASHED, "paused", "panicked" },
        { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_STARTING_UP, "paused", "starting up" },
        { VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN_USER, "shutdown", "user" },
        { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED, "shutoff", "destroyed" },
        { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DAEMON, "shutoff", "daemon" },
        { VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED, "crashed", "panicked" },
        { VIR_DOMAIN_PMSUSPENDED, 0, "pmsuspended", "unknown" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_assert_cmpstr(virDomainStateTypeToString(cases[i].state), ==, cases[i].s);
        g_assert_cmpstr(virDomainStateReasonToString(cases[i].state, cases[i].reason), ==,
                        cases[i].r);
        g_assert_cmpint(virDomainStateTypeFromString(cases[i].s), ==, cases[i].state);
        g_assert_cmpint(virDomainStateReasonFromString(cases[i].state, cases[i].r), ==,
                        cases[i].reason);
    }
    g_assert_null(virDomainStateTypeToString(8));
    g_assert_null(virDomainStateReasonToString(VIR_DOMAIN_SHUTOFF, 9));
    g_assert_null(virDomainStateReasonToString(VIR_DOMAIN_RUNNING, -1));
    g_assert_cmpint(virDomainStateTypeFromString("shut off"), ==, -1);
    g_assert_cmpint(virDomainStateReasonFromString(VIR_DOMAIN_SHUTOFF, "booted"), ==, -1);
}

/* testConcurrent: readers look names up while one writer adds and removes
 * them. Whatever the scheduler does, every reader has done a lookup before
 * the writer's first change and another one between its rounds 99 and 100
 * (the writer waits for them: phase, ready), so lookups meet a list in the
 * middle of its changes, and the run stays the writer's 200 rounds. */
#define STRESS_READERS 4
#define STRESS_ROUNDS 200

typedef struct {
    virDomainObjList *list;
    gint stop;
    gint lookups;
    gint phase; /* bumped by the writer when it wants a lookup from each */
    GMutex lock;
    GCond cond;
    int ready; /* readers that have looked up in this phase (lock) */
} stressData;

static gpointer
stressLookup(gpointer opaque)
{
    stressData *d = opaque;
    unsigned int i = 0;
    int phase = 0;

    do {
        g_autofree char *name = g_strdup_printf("s%u", i++ % 64);
        virDomainObj *obj = virDomainObjListFindByName(d->list, name);
        int now;

        if (obj) {
            g_assert_cmpstr(obj->def->name, ==, name);
            virDomainObjEndAPI(&obj);
        }
        g_atomic_int_inc(&d->lookups);
        now = g_atomic_int_get(&d->phase);
        if (now != phase) {
            g_mutex_lock(&d->lock);
            d->ready++;
            g_cond_signal(&d->cond);
            g_mutex_unlock(&d->lock);
            phase = now;
        }
    } while (!g_atomic_int_get(&d->stop));
    return NULL;
}

/* stressWaitReaders: start a phase and return once every reader has done a
 * lookup in it */
static void
stressWaitReaders(stressData *d)
{
    g_mutex_lock(&d->lock);
    d->ready = 0;
    g_atomic_int_inc(&d->phase);
    while (d->ready < STRESS_READERS)
        g_cond_wait(&d->cond, &d->lock);
    g_mutex_unlock(&d->lock);
}

static void
testConcurrent(void)
{
    stressData d = { .list = virDomainObjListNew() };
    GThread *threads[STRESS_READERS];

    g_mutex_init(&d.lock);
    g_cond_init(&d.cond);
    for (int i = 0; i < STRESS_READERS; i++)
        threads[i] = g_thread_new("lookup", stressLookup, &d);
    for (int round = 0; round < STRESS_ROUNDS; round++) {
        if (round == 0 || round == STRESS_ROUNDS / 2)
            stressWaitReaders(&d);
        for (int i = 0; i < 64; i += 2 + round % 2) {
            g_autofree char *name = g_strdup_printf("s%d", i);
            virDomainObj *obj = virDomainObjListFindByName(d.list, name);

            if (obj) {
                virDomainObjListRemove(d.list, obj);
                virDomainObjEndAPI(&obj);
            } else {
                virDomainDef *def = makeDef(name, NULL);

                obj = virDomainObjListAdd(d.list, &def, 0, NULL);
                g_assert_nonnull(obj);
                virDomainObjEndAPI(&obj);
            }
        }
    }
    g_atomic_int_set(&d.stop, 1);
    for (int i = 0; i < STRESS_READERS; i++)
        g_thread_join(threads[i]);
    /* a reader's lookup before each phase it reported */
    g_assert_cmpint(g_atomic_int_get(&d.lookups), >=, 2 * STRESS_READERS);
    g_cond_clear(&d.cond);
    g_mutex_clear(&d.lock);
    virDomainObjListFree(d.list);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/conf/obj/add-lookup", testAddLookup);
    g_test_add_func("/conf/obj/add-conflicts", testAddConflicts);
    g_test_add_func("/conf/obj/no-wait", testNoWait);
    g_test_add_func("/conf/obj/parse-pending", testParsePending);
    g_test_add_func("/conf/obj/remove", testRemove);
    g_test_add_func("/conf/obj/remove-middle", testRemoveMiddle);
    g_test_add_func("/conf/obj/find-by-id", testFindByID);
    g_test_add_func("/conf/obj/filters", testFilters);
    g_test_add_func("/conf/obj/export", testExport);
    g_test_add_func("/conf/obj/foreach", testForEach);
    g_test_add_func("/conf/obj/jobs", testJobs);
    g_test_add_func("/conf/obj/state-names", testStateNames);
    g_test_add_func("/conf/obj/concurrent", testConcurrent);
    return g_test_run();
}
