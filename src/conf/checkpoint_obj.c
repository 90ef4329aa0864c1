/* checkpoint_obj.c: the checkpoint queries every driver answers with a domain's moment tree, and the redefine check */
#define G_LOG_DOMAIN "virtkit.conf.checkpointobj"

#include <libvirt/libvirt.h>
#include <stddef.h>
#include <string.h>

#include "checkpoint_obj.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

static void *
checkpointHandle(virDomainPtr dom, const char *name)
{
    return virGetDomainCheckpoint(dom, name);
}

static const virDomainMomentKind checkpointKind = {
    .noun = "checkpoint",
    .noSuchError = VIR_ERR_NO_DOMAIN_CHECKPOINT,
    .listOffset = offsetof(virDomainObj, checkpoints),
    .handle = checkpointHandle,
    .filter = NULL,
};

/* ---- the queries both drivers answer -------------------------------------- */

virDomainCheckpointDef *
virDomainCheckpointQueryFind(virDomainObj *obj, const char *name, int errdom)
{
    return (virDomainCheckpointDef *)virDomainMomentQueryFind(&checkpointKind, obj, name,
                                                              errdom);
}

virDomainObj *
virDomainCheckpointQueryObj(const virDomainCheckpointQueryOps *ops,
                            virDomainCheckpointPtr cp, virDomainCheckpointDef **def)
{
    return virDomainMomentQueryObj(&checkpointKind, ops, cp->domain, cp->name,
                                   (virDomainMomentDef **)def);
}

int
virDomainCheckpointQueryList(const virDomainCheckpointQueryOps *ops, virDomainPtr dom,
                             const char *from, unsigned int flags,
                             virDomainCheckpointPtr **cps)
{
    return virDomainMomentQueryList(&checkpointKind, ops, dom, from, flags, NULL, 0,
                                    (void ***)cps);
}

virDomainCheckpointPtr
virDomainCheckpointQueryLookup(const virDomainCheckpointQueryOps *ops, virDomainPtr dom,
                               const char *name)
{
    return virDomainMomentQueryLookup(&checkpointKind, ops, dom, name);
}

virDomainCheckpointPtr
virDomainCheckpointQueryParent(const virDomainCheckpointQueryOps *ops,
                               virDomainCheckpointPtr cp)
{
    return virDomainMomentQueryParent(&checkpointKind, ops, cp->domain, cp->name);
}

int
virDomainCheckpointRedefineCheck(virDomainObj *obj, virDomainCheckpointDef *def)
{
    if (virDomainMomentRedefineParentCheck(obj->checkpoints, &def->moment) < 0)
        return -1;
    if (def->dom) {
        if (memcmp(def->dom->uuid, obj->def->uuid, VIR_UUID_BUFLEN) != 0) {
            char uuidstr[VIR_UUID_STRING_BUFLEN];

            virUUIDFormat(obj->def->uuid, uuidstr);
            virReportErrorFull(VIR_FROM_DOMAIN_CHECKPOINT, VIR_ERR_INVALID_ARG, __func__,
                               "definition for checkpoint %s must use uuid %s", def->name,
                               uuidstr);
            return -1;
        }
        if (virDomainCheckpointAlignDisks(def) < 0)
            return -1;
    }
    return 0;
}
