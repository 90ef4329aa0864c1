/* qemu_driver_change.c: QEMU driver entry points that change a guest's definition (metadata, rename) */

/*
 * Threads: each changing call holds the domain's MODIFY job; files are
 * written with the object locked (they are small) except the status file,
 * whose writer drops the lock itself. Rename takes the domain list's write
 * lock for the moment of the renaming (virDomainObjListRename), with the
 * job held so that no start can slip in.
 */

#define G_LOG_DOMAIN "virtkit.qemu.change"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "snapshot_obj.h"
#include "domain_event.h"
#include "qemu_driver_priv.h"
#include "virerror.h"
#include "virfile.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/*
 * libvirt's virDomainObjGetDefs: the live definition (@flags LIVE) and the
 * persistent one (CONFIG) to change, CURRENT resolved by the state. 0, or
 * -1 with OPERATION_INVALID "domain is not running" / "transient domains
 * do not have any persistent config" (DOMAIN error domain).
 */
int
qemuDomainObjGetDefs(virDomainObj *obj, unsigned int flags, virDomainDef **live,
                     virDomainDef **persistent)
{
    bool active = virDomainObjIsActive(obj);

    *live = NULL;
    *persistent = NULL;
    if (!(flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)))
        flags |= active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && qemuDomainObjCheckActive(obj) < 0)
        return -1;
    if ((flags & VIR_DOMAIN_AFFECT_CONFIG) && !obj->persistent) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, __func__,
                           "transient domains do not have any persistent config");
        return -1;
    }
    if (flags & VIR_DOMAIN_AFFECT_LIVE)
        *live = obj->def;
    if (flags & VIR_DOMAIN_AFFECT_CONFIG)
        *persistent = virDomainObjGetPersistentDef(obj);
    return 0;
}

int
qemuDomainSetMetadata(virDomainPtr dom, int type, const char *metadata, const char *key,
                      const char *uri, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    virDomainObj *obj;
    virDomainDef *live;
    virDomainDef *persistent;
    g_autoptr(virDomainDef) newLive = NULL;
    g_autoptr(virDomainDef) newPersistent = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjGetDefs(obj, flags, &live, &persistent) < 0)
        goto endjob;

    /* both definitions or neither: each change is made on a copy first */
    if (live) {
        newLive = virDomainDefCopy(live);
        if (virDomainDefSetMetadata(newLive, type, metadata, key, uri) < 0)
            goto endjob;
    }
    if (persistent) {
        newPersistent = virDomainDefCopy(persistent);
        if (virDomainDefSetMetadata(newPersistent, type, metadata, key, uri) < 0)
            goto endjob;
        /* the file first: a definition that did not reach the disk is
         * not reported as changed */
        if (qemuDomainSaveConfig(driver, newPersistent,
                                 qemuDomainPriv(obj)->graceOverrideSec) < 0)
            goto endjob;
        virDomainDefSetMetadata(persistent, type, metadata, key, uri);
    }
    if (live) {
        virDomainDefSetMetadata(live, type, metadata, key, uri);
        qemuDomainSaveStatus(driver, obj);
    }
    ret = 0;
    virObjectEventStateQueue(driver->events, virDomainEventMetadataChangeNew(
                                                 VIR_DOMAIN_EVENT_OBJ(obj), type, uri));

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

char *
qemuDomainGetMetadata(virDomainPtr dom, int type, const char *uri, unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *live;
    virDomainDef *persistent;
    char *ret = NULL;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, NULL);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return NULL;
    if (type < VIR_DOMAIN_METADATA_DESCRIPTION || type > VIR_DOMAIN_METADATA_ELEMENT)
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, __func__,
                           "unknown metadata type '%d'", type);
    else if (qemuDomainObjGetDefs(obj, flags, &live, &persistent) == 0)
        ret = virDomainDefGetMetadata(live ? live : persistent, type, uri);
    virDomainObjEndAPI(&obj);
    return ret;
}

typedef struct {
    qemuDriver *driver;
    GPtrArray *events;
} qemuRenameData;

/*
 * Under the list's write lock, the object locked: the files follow the
 * name. Order, so that a crash at any point loses nothing: the new
 * definition is written (atomically) first, then the new autostart link,
 * then the old definition and link go. A crash in between leaves both
 * files (one UUID: the daemon loads one of them, the guest is not lost);
 * a failure removes what was made, so nothing is half renamed.
 */
static int
qemuDomainRenameCallback(virDomainObj *obj, const char *newName, void *opaque)
{
    qemuRenameData *data = opaque;
    qemuDriver *driver = data->driver;
    g_autofree char *oldName = g_strdup(obj->def->name);
    g_autofree char *newPath = g_strdup_printf("%s/%s.xml", driver->configDir, newName);
    int graceSec = qemuDomainPriv(obj)->graceOverrideSec;
    bool autostart = obj->autostart;

    if (strchr(newName, '/')) {
        virReportError(VIR_ERR_XML_ERROR, "name %s cannot contain '/'", newName);
        return -1;
    }
    if (access(newPath, F_OK) == 0) {
        virReportError(VIR_ERR_OPERATION_INVALID, "domain with name '%s' already exists",
                       newName);
        return -1;
    }

    /* the checkpoints' metadata follows the name it is kept under */
    if (qemuCheckpointRenameMetadata(driver, oldName, newName) < 0)
        return -1;
    g_free(obj->def->name);
    obj->def->name = g_strdup(newName);
    if (qemuDomainSaveConfig(driver, obj->def, graceSec) < 0)
        goto rollback;
    if (autostart && qemuDomainSetAutostartLink(driver, newName, true) < 0)
        goto rollback;
    if (qemuDomainRemoveConfig(driver, oldName) < 0)
        goto rollback;

    g_ptr_array_add(data->events,
                    virDomainEventLifecycleNew(-1, oldName, obj->def->uuid,
                                               VIR_DOMAIN_EVENT_UNDEFINED,
                                               VIR_DOMAIN_EVENT_UNDEFINED_RENAMED));
    g_ptr_array_add(data->events,
                    virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_DEFINED,
                                                      VIR_DOMAIN_EVENT_DEFINED_RENAMED));
    return 0;

rollback:
    if (autostart) {
        g_autofree char *link =
            g_strdup_printf("%s/%s.xml", driver->autostartDir, newName);

        if (virFileRemoveDurableQuiet(link) != 0)
            g_debug("autostart link '%s' left behind", link);
    }
    if (virFileRemoveDurableQuiet(newPath) != 0)
        g_debug("definition '%s' left behind", newPath);
    if (qemuCheckpointRenameMetadata(driver, newName, oldName) < 0)
        g_debug("checkpoint metadata of '%s' left under '%s'", oldName, newName);
    g_free(obj->def->name);
    obj->def->name = g_steal_pointer(&oldName);
    return -1;
}

int
qemuDomainRename(virDomainPtr dom, const char *new_name, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    g_autoptr(GPtrArray) events = g_ptr_array_new();
    qemuRenameData data = { .driver = driver, .events = events };
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(0, -1);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "cannot rename active domain");
        goto endjob;
    }
    if (!obj->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot rename a transient domain");
        goto endjob;
    }
    if (virDomainObjGetState(obj, NULL) != VIR_DOMAIN_SHUTOFF) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "domain has to be shutoff before renaming");
        goto endjob;
    }
    /* as libvirt: the snapshot metadata is kept under the domain's name */
    if (virDomainSnapshotObjListCount(obj->snapshots) > 0) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot rename domain with snapshots");
        goto endjob;
    }
    if (virDomainObjListRename(driver->domains, obj, new_name, qemuDomainRenameCallback,
                               &data) < 0)
        goto endjob;
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    for (guint i = 0; i < events->len; i++)
        virObjectEventStateQueue(driver->events, g_ptr_array_index(events, i));
    return ret;
}
