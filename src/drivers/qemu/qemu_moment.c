/* qemu_moment.c: the QEMU driver's metadata files of snapshots and checkpoints, one implementation for both kinds */

#define G_LOG_DOMAIN "virtkit.qemu.moment"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "qemu_moment.h"
#include "virerror.h"
#include "virfile.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* a metadata file is a few KiB; anything this big is not one of ours */
#define QEMU_MOMENT_XML_MAX (16 * 1024 * 1024)

char *
qemuMomentDir(qemuDriver *driver, const qemuMomentKind *kind, const char *domname)
{
    return g_build_filename(driver->libDir, kind->dir, domname, NULL);
}

char *
qemuMomentFile(qemuDriver *driver, const qemuMomentKind *kind, const char *domname,
               const char *name)
{
    g_autofree char *dir = qemuMomentDir(driver, kind, domname);
    g_autofree char *file = g_strdup_printf("%s.xml", name);

    return g_build_filename(dir, file, NULL);
}

static virDomainMomentObjList **
qemuMomentListSlot(const qemuMomentKind *kind, virDomainObj *obj)
{
    return (virDomainMomentObjList **)((char *)obj + kind->listOffset);
}

virDomainMomentObjList *
qemuMomentList(const qemuMomentKind *kind, virDomainObj *obj)
{
    virDomainMomentObjList **slot = qemuMomentListSlot(kind, obj);

    if (!*slot)
        *slot = virDomainMomentObjListNew(kind->freeDef);
    return *slot;
}

int
qemuMomentWriteMetadata(qemuDriver *driver, const qemuMomentKind *kind, virDomainObj *obj,
                        const virDomainMomentDef *def)
{
    g_autofree char *dir = qemuMomentDir(driver, kind, obj->def->name);
    g_autofree char *path = qemuMomentFile(driver, kind, obj->def->name, def->name);
    g_autofree char *xml = kind->format(obj, def);

    if (virFileMakePath(dir, 0700) < 0)
        return -1;
    return virFileWriteAtomic(path, xml, strlen(xml), 0600);
}

int
qemuMomentWriteAll(qemuDriver *driver, const qemuMomentKind *kind, virDomainObj *obj)
{
    g_autoptr(GPtrArray) defs =
        virDomainMomentObjListDescendants(*qemuMomentListSlot(kind, obj), NULL);

    for (guint i = 0; i < defs->len; i++)
        if (qemuMomentWriteMetadata(driver, kind, obj, defs->pdata[i]) < 0)
            return -1;
    return 0;
}

int
qemuMomentRemoveMetadata(qemuDriver *driver, const qemuMomentKind *kind,
                         virDomainObj *obj, const char *name)
{
    g_autofree char *path = qemuMomentFile(driver, kind, obj->def->name, name);

    return virFileRemoveDurable(path);
}

void
qemuMomentLoad(qemuDriver *driver, const qemuMomentKind *kind, virDomainObj *obj)
{
    g_autofree char *dir = qemuMomentDir(driver, kind, obj->def->name);
    g_autoptr(GDir) d = NULL;
    const char *ent;

    if (!(d = g_dir_open(dir, 0, NULL)))
        return;
    virFileRemoveAtomicLeftovers(dir, ".xml");
    while ((ent = g_dir_read_name(d))) {
        g_autofree char *path = NULL;
        g_autofree char *xml = NULL;
        g_autofree char *name = NULL;
        virDomainMomentDef *def = NULL;
        bool current = false;

        if (!g_str_has_suffix(ent, ".xml") || ent[0] == '.')
            continue;
        path = g_build_filename(dir, ent, NULL);
        /* A file that does not load is the operator's to look at, not a
         * reason to lose the domain's other moments: the error goes to
         * the notice and is cleared (no API call is answering here). */
        if (virFileReadAll(path, QEMU_MOMENT_XML_MAX, &xml) < 0 ||
            !(def = kind->parse(xml, &current))) {
            VIR_NOTICE("skipping %s metadata '%s' of domain '%s': %s", kind->dir, path,
                       obj->def->name, virGetLastErrorMessage());
            virResetLastError();
            continue;
        }
        name = g_strdup(def->name);
        if (virDomainMomentObjListAdd(qemuMomentList(kind, obj), &def) < 0) {
            VIR_NOTICE("skipping %s metadata '%s' of domain '%s': %s", kind->dir, path,
                       obj->def->name, virGetLastErrorMessage());
            virResetLastError();
            kind->freeDef(def);
            continue;
        }
        if (current)
            virDomainMomentObjListSetCurrent(*qemuMomentListSlot(kind, obj), name);
    }
}

static void
qemuMomentRemoveDir(qemuDriver *driver, const qemuMomentKind *kind, virDomainObj *obj)
{
    g_autofree char *dir = qemuMomentDir(driver, kind, obj->def->name);

    if (rmdir(dir) < 0 && errno != ENOENT)
        g_debug("cannot remove '%s': %s", dir, g_strerror(errno));
}

int
qemuMomentCheckUndefine(qemuDriver *driver, const qemuMomentKind *kind, virDomainObj *obj,
                        bool removeMetadata)
{
    virDomainMomentObjList *list = *qemuMomentListSlot(kind, obj);
    int n = virDomainMomentObjListCount(list);
    g_autoptr(GPtrArray) defs = NULL;

    if (virDomainObjIsActive(obj) || n == 0)
        return 0;
    if (!removeMetadata) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "cannot delete inactive domain with %d %ss", n, kind->dir);
        return -1;
    }
    defs = virDomainMomentObjListDescendants(list, NULL);
    for (guint i = 0; i < defs->len; i++) {
        const virDomainMomentDef *def = defs->pdata[i];

        if (qemuMomentRemoveMetadata(driver, kind, obj, def->name) < 0)
            return -1;
    }
    qemuMomentRemoveDir(driver, kind, obj);
    virDomainMomentObjListRemoveAll(list);
    return 0;
}

void
qemuMomentDiscardAll(qemuDriver *driver, const qemuMomentKind *kind, virDomainObj *obj)
{
    virDomainMomentObjList *list = *qemuMomentListSlot(kind, obj);
    g_autoptr(GPtrArray) defs = NULL;

    if (virDomainMomentObjListCount(list) == 0)
        return;
    defs = virDomainMomentObjListDescendants(list, NULL);
    for (guint i = 0; i < defs->len; i++) {
        const virDomainMomentDef *def = defs->pdata[i];
        g_autofree char *path = qemuMomentFile(driver, kind, obj->def->name, def->name);

        if (virFileRemoveDurableQuiet(path) != 0)
            g_debug("cannot remove '%s'", path);
    }
    qemuMomentRemoveDir(driver, kind, obj);
    virDomainMomentObjListRemoveAll(list);
}
