/* test_driver_snapshot.c: domain snapshots in the test driver, with libvirt 9.0's test-driver semantics (metadata only) */
#define G_LOG_DOMAIN "virtkit.test.snapshot"

#include <string.h>

#include "snapshot_obj.h"
#include "test_driver_priv.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/*
 * As libvirt's test driver: a snapshot is its metadata (the definition
 * and state when taken); every disk is "internal", the memory internal
 * when the guest ran. Reverting replays the state changes with their
 * lifecycle events. Everything runs under the domain object's lock;
 * create and revert also hold driver->lock like the other compound
 * changes (define, undefine).
 */

static void
testSnapQueue(testDriver *driver, virObjectEvent *event)
{
    if (event)
        virObjectEventStateQueue(driver->eventState, event);
}

static virDomainSnapshotObjList *
testSnapList(virDomainObj *obj)
{
    if (!obj->snapshots)
        obj->snapshots = virDomainSnapshotObjListNew();
    return obj->snapshots;
}

static const virDomainSnapshotQueryOps testSnapOps = {
    .objFromDomain = testDomObjFromDomain,
    .errdom = VIR_FROM_TEST,
};

/* @snap's domain object (locked, referenced) and its def, or NULL. */
static virDomainObj *
testSnapObj(virDomainSnapshotPtr snap, virDomainSnapshotDef **def)
{
    return virDomainSnapshotQueryObj(&testSnapOps, snap, def);
}

virDomainSnapshotPtr
testDomainSnapshotCreateXML(virDomainPtr dom, const char *xml, unsigned int flags)
{
    testDriver *driver = dom->conn->privateData;
    g_autoptr(virDomainSnapshotDef) def = NULL;
    virDomainSnapshotObjList *list;
    virDomainObj *obj;
    virObjectEvent *event = NULL;
    virDomainSnapshotPtr ret = NULL;
    bool redefine = flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
    unsigned int parseFlags = 0;
    g_autofree char *name = NULL;

    virCheckFlags(
        VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE | VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT |
            VIR_DOMAIN_SNAPSHOT_CREATE_HALT | VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE |
            VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC | VIR_DOMAIN_SNAPSHOT_CREATE_LIVE |
            VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE,
        NULL);

    g_mutex_lock(&driver->lock);
    if (!(obj = testDomObjFromDomain(dom)))
        goto cleanup;
    list = testSnapList(obj);
    if (!obj->persistent && (flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot halt after transient domain snapshot");
        goto cleanup;
    }
    if (testDomainCheckpointCheckSnapshot(obj) < 0)
        goto cleanup;
    if (redefine)
        parseFlags |= VIR_DOMAIN_SNAPSHOT_PARSE_REDEFINE;
    if (!virDomainObjIsActive(obj))
        parseFlags |= VIR_DOMAIN_SNAPSHOT_PARSE_OFFLINE;
    if (!(def = virDomainSnapshotDefParseString(xml, parseFlags, NULL)))
        goto cleanup;

    if (redefine) {
        virDomainSnapshotDef *other;

        if (virDomainSnapshotRedefineCheck(obj, def) < 0)
            goto cleanup;
        other = virDomainSnapshotObjListFind(list, def->name);
        if (other && !def->dom && other->dom)
            def->dom = virDomainDefCopy(other->dom);
        name = g_strdup(def->name);
        if (other) {
            virDomainSnapshotObjListReplace(list, &def);
        } else if (virDomainSnapshotObjListAdd(list, &def) < 0) {
            goto cleanup;
        }
        if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT)
            virDomainSnapshotObjListSetCurrent(list, name);
    } else {
        int reason;

        def->dom = virDomainDefCopy(obj->def);
        def->state = virDomainObjGetState(obj, &reason);
        if (!def->memory)
            def->memory = virDomainObjIsActive(obj)
                              ? VIR_DOMAIN_SNAPSHOT_LOCATION_INTERNAL
                              : VIR_DOMAIN_SNAPSHOT_LOCATION_NO;
        if (virDomainSnapshotAlignDisks(def, NULL, VIR_DOMAIN_SNAPSHOT_LOCATION_INTERNAL,
                                        true) < 0)
            goto cleanup;
        def->parent_name = g_strdup(virDomainSnapshotObjListGetCurrent(list));
        name = g_strdup(def->name);
        if (virDomainSnapshotObjListAdd(list, &def) < 0)
            goto cleanup;
        virDomainSnapshotObjListSetCurrent(list, name);
        if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT) && virDomainObjIsActive(obj)) {
            testDomainShutdownState(obj, dom, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
            event = virDomainEventLifecycleNewFromObj(
                obj, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
        }
    }
    ret = virGetDomainSnapshot(dom, name);

cleanup:
    virDomainObjEndAPI(&obj);
    g_mutex_unlock(&driver->lock);
    testSnapQueue(driver, event);
    return ret;
}

/* ---- queries: the shared ones of snapshot_obj.c --------------------------- */

/* testDomainSnapshotGetXMLDesc ... testDomainSnapshotHasMetadata */
VIR_DOMAIN_SNAPSHOT_QUERY_ENTRY_POINTS(test, &testSnapOps)

/* ---- revert and delete ---------------------------------------------------- */

int
testDomainRevertToSnapshot(virDomainSnapshotPtr snap, unsigned int flags)
{
    testDriver *driver = snap->domain->conn->privateData;
    virDomainSnapshotDef *def;
    virDomainObj *obj;
    virObjectEvent *events[3] = { NULL, NULL, NULL };
    int ret = -1;
    bool online;

    virCheckFlags(VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED |
                      VIR_DOMAIN_SNAPSHOT_REVERT_FORCE,
                  -1);

    g_mutex_lock(&driver->lock);
    if (!(obj = testSnapObj(snap, &def)))
        goto cleanup;
    online = def->state == VIR_DOMAIN_SNAPSHOT_RUNNING ||
             def->state == VIR_DOMAIN_SNAPSHOT_PAUSED;
    if (!obj->persistent && !online &&
        !(flags &
          (VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED))) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "transient domain needs to request run or pause to revert to "
                       "inactive snapshot");
        goto cleanup;
    }
    if (!(flags & VIR_DOMAIN_SNAPSHOT_REVERT_FORCE)) {
        if (!def->dom) {
            virReportError(VIR_ERR_SNAPSHOT_REVERT_RISKY,
                           "snapshot '%s' lacks domain '%s' rollback info", def->name,
                           obj->def->name);
            goto cleanup;
        }
        if (virDomainObjIsActive(obj) && !online &&
            (flags &
             (VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED))) {
            virReportError(VIR_ERR_SNAPSHOT_REVERT_RISKY, "%s",
                           "must respawn guest to start inactive snapshot");
            goto cleanup;
        }
    }
    if (!def->dom) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing domain in snapshot");
        goto cleanup;
    }

    virDomainSnapshotObjListSetCurrent(obj->snapshots, def->name);
    if (virDomainObjIsActive(obj)) {
        testDomainShutdownState(obj, snap->domain, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
        events[0] = virDomainEventLifecycleNewFromObj(
            obj, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
    }
    virDomainDefFree(obj->def);
    obj->def = virDomainDefCopy(def->dom);
    obj->def->id = -1;
    g_clear_pointer(&obj->newDef, virDomainDefFree);

    if (online) {
        bool paused = (flags & VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED) ||
                      (def->state == VIR_DOMAIN_SNAPSHOT_PAUSED &&
                       !(flags & VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING));

        testDomainStartState(driver, obj, VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
        snap->domain->id = obj->def->id;
        events[1] = virDomainEventLifecycleNewFromObj(
            obj, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
        if (paused) {
            virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_FROM_SNAPSHOT);
            events[2] = virDomainEventLifecycleNewFromObj(
                obj, VIR_DOMAIN_EVENT_SUSPENDED,
                VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
        }
    } else if (flags &
               (VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED)) {
        /* libvirt 9.0's test driver announces the start of an inactive
         * snapshot's guest but leaves it shut off; so does this one */
        events[1] = virDomainEventLifecycleNewFromObj(
            obj, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
        if (flags & VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED)
            events[2] = virDomainEventLifecycleNewFromObj(
                obj, VIR_DOMAIN_EVENT_SUSPENDED,
                VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
    }
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    g_mutex_unlock(&driver->lock);
    for (size_t i = 0; i < G_N_ELEMENTS(events); i++)
        testSnapQueue(driver, events[i]);
    return ret;
}

int
testDomainSnapshotDelete(virDomainSnapshotPtr snap, unsigned int flags)
{
    virDomainSnapshotDef *def;
    virDomainObj *obj;
    virDomainSnapshotObjList *list;
    g_autofree char *name = NULL;
    g_autofree char *parent = NULL;

    virCheckFlags(VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                      VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY,
                  -1);
    if (!(obj = testSnapObj(snap, &def)))
        return -1;
    list = obj->snapshots;
    name = g_strdup(def->name);
    parent = g_strdup(def->parent_name);

    if (flags & (VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                 VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)) {
        g_autoptr(GPtrArray) desc = virDomainSnapshotObjListDescendants(list, name);
        g_auto(GStrv) gone = g_new0(char *, desc->len + 1);
        bool hadCurrent = false;

        for (guint i = 0; i < desc->len; i++)
            gone[i] = g_strdup(desc->pdata[i]);
        for (guint i = 0; gone[i]; i++) {
            if (g_strcmp0(virDomainSnapshotObjListGetCurrent(list), gone[i]) == 0)
                hadCurrent = true;
            virDomainSnapshotObjListRemove(list, gone[i]);
        }
        if (hadCurrent && (flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY))
            virDomainSnapshotObjListSetCurrent(list, name);
    }
    if (!(flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)) {
        bool wasCurrent = g_strcmp0(virDomainSnapshotObjListGetCurrent(list), name) == 0;

        virDomainSnapshotObjListRemove(list, name);
        if (wasCurrent && parent)
            virDomainSnapshotObjListSetCurrent(list, parent);
    }
    virDomainObjEndAPI(&obj);
    return 0;
}

/* The undefine rule: an inactive domain with snapshots stays unless the
 * caller asks to drop their metadata. 0, or -1 with libvirt's error. */
int
testDomainSnapshotCheckUndefine(virDomainObj *obj, unsigned int flags)
{
    int n = virDomainSnapshotObjListCount(obj->snapshots);

    if (virDomainObjIsActive(obj) || n == 0)
        return 0;
    if (!(flags & VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "cannot delete inactive domain with %d snapshots", n);
        return -1;
    }
    virDomainSnapshotObjListRemoveAll(obj->snapshots);
    return 0;
}
