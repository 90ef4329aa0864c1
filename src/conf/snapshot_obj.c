/* snapshot_obj.c: the snapshot filters and checks over a domain's moment tree, and the snapshot queries every driver answers with it */
#define G_LOG_DOMAIN "virtkit.conf.snapshotobj"

#include <libvirt/libvirt.h>
#include <stddef.h>
#include <string.h>

#include "snapshot_conf.h"
#include "snapshot_obj.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* The snapshot kind's own listing filter (moment_obj.c does the tree's
 * ROOTS/DESCENDANTS and LEAVES/NO_LEAVES). */
static bool
matches(virDomainMomentObjList *list G_GNUC_UNUSED, const virDomainMomentDef *moment,
        unsigned int flags)
{
    const virDomainSnapshotDef *def = (const virDomainSnapshotDef *)moment;
    unsigned int states =
        flags & (VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE | VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE |
                 VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY);
    unsigned int locs =
        flags & (VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL | VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL);

    /* every snapshot listed here has metadata */
    if ((flags & VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA) &&
        !(flags & VIR_DOMAIN_SNAPSHOT_LIST_METADATA))
        return false;
    if (states) {
        bool ok;

        if (def->state == VIR_DOMAIN_SNAPSHOT_SHUTOFF)
            ok = states & VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE;
        else if (def->state == VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT)
            ok = states & VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY;
        else
            ok = states & VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE;
        if (!ok)
            return false;
    }
    if (locs) {
        bool ext = virDomainSnapshotDefIsExternal(def);

        if (!((ext && (locs & VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL)) ||
              (!ext && (locs & VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL))))
            return false;
    }
    return true;
}

static void *
snapshotHandle(virDomainPtr dom, const char *name)
{
    return virGetDomainSnapshot(dom, name);
}

static const virDomainMomentKind snapshotKind = {
    .noun = "snapshot",
    .noSuchError = VIR_ERR_NO_DOMAIN_SNAPSHOT,
    .listOffset = offsetof(virDomainObj, snapshots),
    .handle = snapshotHandle,
    .filter = matches,
};

GPtrArray *
virDomainSnapshotObjListNames(virDomainSnapshotObjList *list, const char *from,
                              unsigned int flags)
{
    return virDomainMomentObjListNames(list, from, flags, matches);
}

GPtrArray *
virDomainSnapshotObjListDescendants(virDomainSnapshotObjList *list, const char *name)
{
    g_autoptr(GPtrArray) defs = virDomainMomentObjListDescendants(list, name);
    GPtrArray *names = g_ptr_array_sized_new(defs->len);

    for (guint i = 0; i < defs->len; i++)
        g_ptr_array_add(names, ((virDomainMomentDef *)defs->pdata[i])->name);
    return names;
}

int
virDomainSnapshotRedefineCheck(virDomainObj *obj, virDomainSnapshotDef *def)
{
    virDomainSnapshotDef *other = virDomainSnapshotObjListFind(obj->snapshots, def->name);

    if (virDomainMomentRedefineParentCheck(obj->snapshots, &def->moment) < 0)
        return -1;
    if (def->dom && memcmp(def->dom->uuid, obj->def->uuid, VIR_UUID_BUFLEN) != 0) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virUUIDFormat(obj->def->uuid, uuidstr);
        virReportErrorFull(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_INVALID_ARG, __func__,
                           "definition for snapshot %s must use uuid %s", def->name,
                           uuidstr);
        return -1;
    }
    if (other) {
        bool onlineOther = other->state == VIR_DOMAIN_SNAPSHOT_RUNNING ||
                           other->state == VIR_DOMAIN_SNAPSHOT_PAUSED;
        bool online = def->state == VIR_DOMAIN_SNAPSHOT_RUNNING ||
                      def->state == VIR_DOMAIN_SNAPSHOT_PAUSED;

        if (online != onlineOther) {
            virReportErrorFull(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_INVALID_ARG, __func__,
                               "cannot change between online and "
                               "offline snapshot state in snapshot %s",
                               def->name);
            return -1;
        }
        if ((other->state == VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT) !=
            (def->state == VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT)) {
            virReportErrorFull(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_INVALID_ARG, __func__,
                               "cannot change between disk only and "
                               "full system in snapshot %s",
                               def->name);
            return -1;
        }
    }
    return virDomainSnapshotAlignDisks(def, other ? other->dom : NULL,
                                       virDomainSnapshotDefIsExternal(def)
                                           ? VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL
                                           : VIR_DOMAIN_SNAPSHOT_LOCATION_INTERNAL,
                                       true);
}

/* ---- the queries both drivers answer (snapshot_obj.h) -------------------- */

virDomainSnapshotDef *
virDomainSnapshotQueryFind(virDomainObj *obj, const char *name, int errdom)
{
    return (virDomainSnapshotDef *)virDomainMomentQueryFind(&snapshotKind, obj, name,
                                                            errdom);
}

virDomainObj *
virDomainSnapshotQueryObj(const virDomainSnapshotQueryOps *ops, virDomainSnapshotPtr snap,
                          virDomainSnapshotDef **def)
{
    return virDomainMomentQueryObj(&snapshotKind, ops, snap->domain, snap->name,
                                   (virDomainMomentDef **)def);
}

int
virDomainSnapshotQueryList(const virDomainSnapshotQueryOps *ops, virDomainPtr dom,
                           const char *from, unsigned int flags, char **const names,
                           int maxnames, virDomainSnapshotPtr **snaps)
{
    return virDomainMomentQueryList(&snapshotKind, ops, dom, from, flags, names, maxnames,
                                    (void ***)snaps);
}

virDomainSnapshotPtr
virDomainSnapshotQueryLookup(const virDomainSnapshotQueryOps *ops, virDomainPtr dom,
                             const char *name)
{
    return virDomainMomentQueryLookup(&snapshotKind, ops, dom, name);
}

virDomainSnapshotPtr
virDomainSnapshotQueryCurrent(const virDomainSnapshotQueryOps *ops, virDomainPtr dom)
{
    virDomainObj *obj = ops->objFromDomain(dom);
    const char *cur;
    virDomainSnapshotPtr ret = NULL;

    if (!obj)
        return NULL;
    if (!(cur = virDomainSnapshotObjListGetCurrent(obj->snapshots)))
        virReportErrorFull(ops->errdom, VIR_ERR_NO_DOMAIN_SNAPSHOT, __func__, "%s",
                           "the domain does not have a current snapshot");
    else
        ret = virGetDomainSnapshot(dom, cur);
    virDomainObjEndAPI(&obj);
    return ret;
}

virDomainSnapshotPtr
virDomainSnapshotQueryParent(const virDomainSnapshotQueryOps *ops,
                             virDomainSnapshotPtr snap)
{
    return virDomainMomentQueryParent(&snapshotKind, ops, snap->domain, snap->name);
}

int
virDomainSnapshotQueryHasCurrent(const virDomainSnapshotQueryOps *ops, virDomainPtr dom)
{
    virDomainObj *obj = ops->objFromDomain(dom);
    int ret;

    if (!obj)
        return -1;
    ret = virDomainSnapshotObjListGetCurrent(obj->snapshots) != NULL;
    virDomainObjEndAPI(&obj);
    return ret;
}

int
virDomainSnapshotQueryIsCurrent(const virDomainSnapshotQueryOps *ops,
                                virDomainSnapshotPtr snap)
{
    virDomainSnapshotDef *def;
    virDomainObj *obj = virDomainSnapshotQueryObj(ops, snap, &def);
    int ret;

    if (!obj)
        return -1;
    ret = g_strcmp0(virDomainSnapshotObjListGetCurrent(obj->snapshots), def->name) == 0;
    virDomainObjEndAPI(&obj);
    return ret;
}

int
virDomainSnapshotQueryHasMetadata(const virDomainSnapshotQueryOps *ops,
                                  virDomainSnapshotPtr snap)
{
    virDomainSnapshotDef *def;
    virDomainObj *obj = virDomainSnapshotQueryObj(ops, snap, &def);

    if (!obj)
        return -1;
    virDomainObjEndAPI(&obj);
    return 1;
}

char *
virDomainSnapshotQueryXMLDesc(const virDomainSnapshotQueryOps *ops,
                              virDomainSnapshotPtr snap, unsigned int flags)
{
    virDomainSnapshotDef *def;
    virDomainObj *obj = virDomainSnapshotQueryObj(ops, snap, &def);
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    char *ret;

    if (!obj)
        return NULL;
    virUUIDFormat(obj->def->uuid, uuidstr);
    ret = virDomainSnapshotDefFormat(
        uuidstr, def,
        (flags & VIR_DOMAIN_SNAPSHOT_XML_SECURE) ? VIR_DOMAIN_SNAPSHOT_FORMAT_SECURE : 0);
    virDomainObjEndAPI(&obj);
    return ret;
}
