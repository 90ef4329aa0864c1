/* test_driver_change.c: the test driver's changes of a guest's definition (metadata, rename, vCPUs), with libvirt 9.0's semantics */

/*
 * Threads: as test_driver.c; each entry point holds one object lock (and
 * rename the list's write lock for the moment of the renaming); the
 * definitions change in memory only.
 */

#define G_LOG_DOMAIN "virtkit.test.change"

#include <string.h>

#include "driver.h"
#include "test_driver_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_TEST

/*
 * libvirt's virDomainObjGetDefs: the live definition (@flags LIVE) and the
 * persistent one (CONFIG) to change, CURRENT resolved by the state. A
 * running persistent domain gets its own next-boot copy first, so that a
 * CONFIG change leaves the running guest alone. 0, or -1 with libvirt's
 * OPERATION_INVALID "domain is not running" / "transient domains do not
 * have any persistent config".
 */
int
testDomainObjGetDefs(virDomainObj *obj, unsigned int flags, virDomainDef **live,
                     virDomainDef **persistent)
{
    bool active = virDomainObjIsActive(obj);

    *live = NULL;
    *persistent = NULL;
    if (!(flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)))
        flags |= active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && testDomainObjCheckActive(obj) < 0)
        return -1;
    if ((flags & VIR_DOMAIN_AFFECT_CONFIG) && !obj->persistent) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, __func__,
                           "transient domains do not have any persistent config");
        return -1;
    }
    /* libvirt's running persistent domain has had its next-boot copy since
     * it started: a LIVE change must not show in it */
    if (active && obj->persistent && !obj->newDef) {
        obj->newDef = virDomainDefCopy(obj->def);
        testDomainObjGetPrivate(obj)->hasNextDef = true;
    }
    if (flags & VIR_DOMAIN_AFFECT_LIVE)
        *live = obj->def;
    if (flags & VIR_DOMAIN_AFFECT_CONFIG)
        *persistent = virDomainObjGetPersistentDef(obj);
    return 0;
}

int
testDomainSetMetadata(virDomainPtr dom, int type, const char *metadata, const char *key,
                      const char *uri, unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *live;
    virDomainDef *persistent;
    g_autoptr(virDomainDef) liveCopy = NULL;
    g_autoptr(virDomainDef) persistentCopy = NULL;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjGetDefs(obj, flags, &live, &persistent) < 0)
        goto cleanup;
    /* both or neither: each change is tried on a copy first */
    if (live) {
        liveCopy = virDomainDefCopy(live);
        if (virDomainDefSetMetadata(liveCopy, type, metadata, key, uri) < 0)
            goto cleanup;
    }
    if (persistent) {
        persistentCopy = virDomainDefCopy(persistent);
        if (virDomainDefSetMetadata(persistentCopy, type, metadata, key, uri) < 0)
            goto cleanup;
    }
    if (live)
        virDomainDefSetMetadata(live, type, metadata, key, uri);
    if (persistent)
        virDomainDefSetMetadata(persistent, type, metadata, key, uri);
    ret = 0;
    virObjectEventStateQueue(
        testDriverOf(dom->conn)->eventState,
        virDomainEventMetadataChangeNew(VIR_DOMAIN_EVENT_OBJ(obj), type, uri));

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

char *
testDomainGetMetadata(virDomainPtr dom, int type, const char *uri, unsigned int flags)
{
    virDomainObj *obj;
    const virDomainDef *def;
    char *ret = NULL;

    virCheckFlags(VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, NULL);
    if (!(obj = testDomObjFromDomain(dom)))
        return NULL;
    if (type < VIR_DOMAIN_METADATA_DESCRIPTION || type > VIR_DOMAIN_METADATA_ELEMENT)
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, __func__,
                           "unknown metadata type '%d'", type);
    else if ((def = testDomainObjGetOneDef(obj, flags)))
        ret = virDomainDefGetMetadata(def, type, uri);
    virDomainObjEndAPI(&obj);
    return ret;
}

static int
testDomainRenameCallback(virDomainObj *obj, const char *newName, void *opaque)
{
    GPtrArray *events = opaque;

    if (strchr(newName, '/')) {
        virReportError(VIR_ERR_XML_ERROR, "name %s cannot contain '/'", newName);
        return -1;
    }
    g_ptr_array_add(events,
                    virDomainEventLifecycleNew(-1, obj->def->name, obj->def->uuid,
                                               VIR_DOMAIN_EVENT_UNDEFINED,
                                               VIR_DOMAIN_EVENT_UNDEFINED_RENAMED));
    g_free(obj->def->name);
    obj->def->name = g_strdup(newName);
    g_ptr_array_add(events,
                    virDomainEventLifecycleNewFromObj(obj, VIR_DOMAIN_EVENT_DEFINED,
                                                      VIR_DOMAIN_EVENT_DEFINED_RENAMED));
    return 0;
}

int
testDomainRename(virDomainPtr dom, const char *new_name, unsigned int flags)
{
    testDriver *driver = testDriverOf(dom->conn);
    g_autoptr(GPtrArray) events = g_ptr_array_new();
    virDomainObj *obj;
    int ret = -1;

    virCheckFlags(0, -1);
    g_mutex_lock(&driver->lock);
    if (!(obj = testDomObjFromDomain(dom)))
        goto unlock;
    if (virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "cannot rename active domain");
        goto cleanup;
    }
    if (!obj->persistent) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot rename a transient domain");
        goto cleanup;
    }
    if (virDomainObjGetState(obj, NULL) != VIR_DOMAIN_SHUTOFF) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "domain has to be shutoff before renaming");
        goto cleanup;
    }
    /* driver->lock keeps define/create out, so the state checked above holds */
    if (virDomainObjListRename(driver->domains, obj, new_name, testDomainRenameCallback,
                               events) < 0)
        goto cleanup;
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
unlock:
    g_mutex_unlock(&driver->lock);
    for (guint i = 0; i < events->len; i++)
        virObjectEventStateQueue(driver->eventState, g_ptr_array_index(events, i));
    return ret;
}

/* libvirt's test driver: at most testConnectGetMaxVcpus (32) and the
 * definitions' maximum; MAXIMUM changes the persistent maximum. */
int
testDomainSetVcpusFlags(virDomainPtr dom, unsigned int nvcpus, unsigned int flags)
{
    virDomainObj *obj;
    virDomainDef *live;
    virDomainDef *persistent;
    int ret = -1;

    virCheckFlags(
        VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_VCPU_MAXIMUM, -1);
    if (nvcpus > TEST_MAX_VCPUS) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "requested cpu amount exceeds maximum supported amount (%u > %d)",
                       nvcpus, TEST_MAX_VCPUS);
        return -1;
    }
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (testDomainObjGetDefs(obj, flags, &live, &persistent) < 0)
        goto cleanup;
    if (live && live->vcpus < nvcpus) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "requested cpu amount exceeds maximum (%u > %u)", nvcpus,
                       live->vcpus);
        goto cleanup;
    }
    if (persistent && !(flags & VIR_DOMAIN_VCPU_MAXIMUM) && persistent->vcpus < nvcpus) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "requested cpu amount exceeds maximum (%u > %u)", nvcpus,
                       persistent->vcpus);
        goto cleanup;
    }
    if (live)
        virDomainDefSetVcpus(live, nvcpus);
    if (persistent) {
        if (flags & VIR_DOMAIN_VCPU_MAXIMUM)
            virDomainDefSetVcpusMax(persistent, nvcpus);
        else
            virDomainDefSetVcpus(persistent, nvcpus);
    }
    ret = 0;

cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}
