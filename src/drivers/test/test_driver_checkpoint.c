/* test_driver_checkpoint.c: domain checkpoints in the test driver, with libvirt 9.0's test-driver semantics (metadata only) */
#define G_LOG_DOMAIN "virtkit.test.checkpoint"

#include <string.h>

#include "snapshot_obj.h"
#include "checkpoint_obj.h"
#include "snapshot_conf.h"
#include "test_driver_priv.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/*
 * As libvirt's test driver: a checkpoint is its metadata (the definition
 * when taken, the disks that would carry a bitmap); only a running domain
 * without snapshots takes one. Everything runs under the domain object's
 * lock; nothing here changes the domain's state.
 */

static const virDomainCheckpointQueryOps testCheckpointOps = {
    .objFromDomain = testDomObjFromDomain,
    .errdom = VIR_FROM_TEST,
};

static virDomainCheckpointObjList *
testCheckpointList(virDomainObj *obj)
{
    if (!obj->checkpoints)
        obj->checkpoints = virDomainCheckpointObjListNew();
    return obj->checkpoints;
}

virDomainCheckpointPtr
testDomainCheckpointCreateXML(virDomainPtr dom, const char *xml, unsigned int flags)
{
    g_autoptr(virDomainCheckpointDef) def = NULL;
    virDomainCheckpointObjList *list;
    virDomainObj *obj;
    virDomainCheckpointPtr ret = NULL;
    bool redefine = flags & VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE;
    g_autofree char *name = NULL;

    virCheckFlags(VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE |
                      VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE,
                  NULL);

    if (!(obj = testDomObjFromDomain(dom)))
        return NULL;
    list = testCheckpointList(obj);
    if (virDomainSnapshotObjListCount(obj->snapshots) > 0) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot create checkpoint while snapshot exists");
        goto cleanup;
    }
    if (!virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot create checkpoint for inactive domain");
        goto cleanup;
    }
    if (!(def = virDomainCheckpointDefParseString(
              xml, redefine ? VIR_DOMAIN_CHECKPOINT_PARSE_REDEFINE : 0)))
        goto cleanup;

    if (redefine) {
        const char *current = virDomainCheckpointObjListGetCurrent(list);
        /* libvirt moves "current" to a redefined child of the current one */
        bool becomesCurrent = current && g_strcmp0(def->parent_name, current) == 0;

        if (virDomainCheckpointRedefineCheck(obj, def) < 0)
            goto cleanup;
        name = g_strdup(def->name);
        virDomainCheckpointObjListReplace(list, &def);
        if (becomesCurrent)
            virDomainCheckpointObjListSetCurrent(list, name);
    } else {
        def->dom = virDomainDefCopy(obj->def);
        if (virDomainCheckpointAlignDisks(def) < 0)
            goto cleanup;
        def->parent_name = g_strdup(virDomainCheckpointObjListGetCurrent(list));
        name = g_strdup(def->name);
        if (virDomainCheckpointObjListAdd(list, &def) < 0)
            goto cleanup;
        virDomainCheckpointObjListSetCurrent(list, name);
    }
    ret = virGetDomainCheckpoint(dom, name);

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

char *
testDomainCheckpointGetXMLDesc(virDomainCheckpointPtr cp, unsigned int flags)
{
    virDomainCheckpointDef *def;
    virDomainObj *obj;
    unsigned int fmt = 0;
    char *ret;

    virCheckFlags(VIR_DOMAIN_CHECKPOINT_XML_SECURE | VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN |
                      VIR_DOMAIN_CHECKPOINT_XML_SIZE,
                  NULL);
    if (!(obj = virDomainCheckpointQueryObj(&testCheckpointOps, cp, &def)))
        return NULL;
    /* SIZE: the test driver has no bitmaps to measure, as libvirt's */
    if (flags & VIR_DOMAIN_CHECKPOINT_XML_SECURE)
        fmt |= VIR_DOMAIN_CHECKPOINT_FORMAT_SECURE;
    if (flags & VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN)
        fmt |= VIR_DOMAIN_CHECKPOINT_FORMAT_NO_DOMAIN;
    ret = virDomainCheckpointDefFormat(def, fmt);
    virDomainObjEndAPI(&obj);
    return ret;
}

/* testDomainListAllCheckpoints, testDomainCheckpointListAllChildren,
 * testDomainCheckpointLookupByName, testDomainCheckpointGetParent: the
 * shared queries of checkpoint_obj.c */
VIR_DOMAIN_CHECKPOINT_QUERY_ENTRY_POINTS(test, &testCheckpointOps)

int
testDomainCheckpointDelete(virDomainCheckpointPtr cp, unsigned int flags)
{
    virDomainCheckpointDef *def;
    virDomainCheckpointObjList *list;
    virDomainObj *obj;
    g_autofree char *name = NULL;

    virCheckFlags(VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN |
                      VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY |
                      VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY,
                  -1);
    if (!(obj = virDomainCheckpointQueryObj(&testCheckpointOps, cp, &def)))
        return -1;
    list = obj->checkpoints;
    name = g_strdup(def->name);

    if (flags & (VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN |
                 VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY)) {
        g_autoptr(GPtrArray) desc = virDomainCheckpointObjListDescendants(list, name);
        g_auto(GStrv) gone = g_new0(char *, desc->len + 1);
        bool hadCurrent = false;

        for (guint i = 0; i < desc->len; i++)
            gone[i] = g_strdup(((virDomainCheckpointDef *)desc->pdata[i])->name);
        for (guint i = 0; gone[i]; i++) {
            if (g_strcmp0(virDomainCheckpointObjListGetCurrent(list), gone[i]) == 0)
                hadCurrent = true;
            virDomainCheckpointObjListRemove(list, gone[i]);
        }
        /* as libvirt: a removed current hands over to the checkpoint */
        if (hadCurrent)
            virDomainCheckpointObjListSetCurrent(list, name);
    }
    if (!(flags & VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY))
        virDomainCheckpointObjListRemove(list, name);
    virDomainObjEndAPI(&obj);
    return 0;
}

/* The snapshot side of libvirt's rule: no snapshot while a checkpoint
 * exists. 0, or -1 with its error. */
int
testDomainCheckpointCheckSnapshot(virDomainObj *obj)
{
    if (virDomainCheckpointObjListCount(obj->checkpoints) > 0) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot create snapshot while checkpoint exists");
        return -1;
    }
    return 0;
}
