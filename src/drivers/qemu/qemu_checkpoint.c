/* qemu_checkpoint.c: the QEMU driver's domain checkpoints: persistent dirty bitmaps in qcow2 disks, metadata files */

/*
 * Threads: API threads only. Create, delete and XML with SIZE hold a job
 * (MODIFY, or QUERY for SIZE); the object lock is dropped while QEMU
 * answers, the job keeping other changes out. Queries take only the
 * object lock (the tree, obj->checkpoints, is protected by it).
 *
 * As libvirt 9.0's qemu_checkpoint.c: a checkpoint of a running guest adds
 * one persistent, enabled dirty bitmap named after it to the format node
 * of each disk it covers, all in one QMP transaction; the bitmaps of
 * older checkpoints stay enabled (each counts every write since its own
 * checkpoint), so deleting one removes its bitmaps only (its parent's
 * already hold every write since the parent). Only qcow2 disks carry
 * bitmaps; an inactive domain takes no checkpoint and loses none but by
 * metadata (REDEFINE works on it). SIZE reads each bitmap's count from
 * query-block.
 *
 * Metadata: <libDir>/checkpoint/<domain>/<checkpoint>.xml, the
 * checkpoint's XML with its <domain>, written atomically; read back when
 * the driver starts (the newest leaf is then the current checkpoint).
 */

#define G_LOG_DOMAIN "virtkit.qemu.checkpoint"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "checkpoint_obj.h"
#include "qemu_command.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_moment.h"
#include "qemu_monitor.h"
#include "qemu_security.h"
#include "qemu_snapshot.h"
#include "virerror.h"
#include "virfile.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* ---- metadata files (qemu_moment.c) ------------------------------------- */

/* The checkpoint's XML with its <domain> (libvirt's document). */
static char *
qemuCheckpointFormatMetadata(virDomainObj *obj G_GNUC_UNUSED,
                             const virDomainMomentDef *moment)
{
    return virDomainCheckpointDefFormat((const virDomainCheckpointDef *)moment,
                                        VIR_DOMAIN_CHECKPOINT_FORMAT_SECURE);
}

/* A checkpoint's document does not say whether it is current. */
static virDomainMomentDef *
qemuCheckpointParseMetadata(const char *xml, bool *current G_GNUC_UNUSED)
{
    return (virDomainMomentDef *)virDomainCheckpointDefParseString(
        xml, VIR_DOMAIN_CHECKPOINT_PARSE_REDEFINE);
}

static const qemuMomentKind qemuCheckpointKind = {
    .dir = "checkpoint",
    .listOffset = G_STRUCT_OFFSET(virDomainObj, checkpoints),
    .freeDef = (GDestroyNotify)virDomainCheckpointDefFree,
    .format = qemuCheckpointFormatMetadata,
    .parse = qemuCheckpointParseMetadata,
};

static int
qemuCheckpointWriteMetadata(qemuDriver *driver, virDomainObj *obj,
                            const virDomainCheckpointDef *def)
{
    return qemuMomentWriteMetadata(driver, &qemuCheckpointKind, obj,
                                   (const virDomainMomentDef *)def);
}

/* Every metadata file of @obj again (parents change together). */
static int
qemuCheckpointWriteAll(qemuDriver *driver, virDomainObj *obj)
{
    return qemuMomentWriteAll(driver, &qemuCheckpointKind, obj);
}

static virDomainCheckpointObjList *
qemuCheckpointList(virDomainObj *obj)
{
    return qemuMomentList(&qemuCheckpointKind, obj);
}

/* The current checkpoint after a load: the newest leaf. */
static void
qemuCheckpointPickCurrent(virDomainCheckpointObjList *list)
{
    g_autoptr(GPtrArray) defs = virDomainCheckpointObjListDescendants(list, NULL);
    const virDomainCheckpointDef *best = NULL;

    for (guint i = 0; i < defs->len; i++) {
        const virDomainCheckpointDef *def = defs->pdata[i];

        if (virDomainCheckpointObjListNumChildren(list, def->name) > 0)
            continue;
        if (!best || def->creationTime > best->creationTime)
            best = def;
    }
    virDomainCheckpointObjListSetCurrent(list, best ? best->name : NULL);
}

void
qemuCheckpointLoad(virDomainObj *obj, void *opaque)
{
    virDomainObjLock(obj);
    qemuMomentLoad(opaque, &qemuCheckpointKind, obj);
    if (obj->checkpoints)
        qemuCheckpointPickCurrent(obj->checkpoints);
    virDomainObjUnlock(obj);
}

/* ---- QEMU's view of the disks --------------------------------------------- */

/* The query-block entry of the disk @dd (borrowed from @block), or NULL. */
static json_object *
qemuCheckpointBlockEntry(json_object *block, const virDomainDef *def,
                         const virDomainDiskDef *dd)
{
    g_autofree char *alias = qemuDiskAlias(def, dd);
    g_autofree char *qdev = g_strdup_printf("/machine/peripheral/%s/", alias);
    size_t n =
        json_object_is_type(block, json_type_array) ? json_object_array_length(block) : 0;

    for (size_t i = 0; i < n; i++) {
        json_object *b = json_object_array_get_idx(block, i);
        json_object *q = NULL, *ins = NULL;
        const char *qs;

        if (!json_object_object_get_ex(b, "qdev", &q) ||
            !(qs = json_object_get_string(q)) ||
            (!g_str_equal(qs, alias) && !g_str_has_prefix(qs, qdev)))
            continue;
        if (json_object_object_get_ex(b, "inserted", &ins))
            return ins;
    }
    return NULL;
}

static const char *
qemuCheckpointBlockNode(json_object *ins)
{
    json_object *nn = NULL;

    if (!ins || !json_object_object_get_ex(ins, "node-name", &nn))
        return NULL;
    return json_object_get_string(nn);
}

/* One transaction action @type on @node's bitmap @name. */
static void
qemuCheckpointAddAction(json_object *actions, const char *type, const char *node,
                        const char *name, bool persistent)
{
    json_object *act = json_object_new_object();
    json_object *data = json_object_new_object();

    json_object_object_add(data, "node", json_object_new_string(node));
    json_object_object_add(data, "name", json_object_new_string(name));
    if (persistent)
        json_object_object_add(data, "persistent", json_object_new_boolean(1));
    json_object_object_add(act, "type", json_object_new_string(type));
    json_object_object_add(act, "data", data);
    json_object_array_add(actions, act);
}

/* libvirt's qemuCheckpointPrepare checks of the aligned @def on @obj's
 * live definition: the bitmap carries the checkpoint's name, the disk is
 * qcow2. */
static int
qemuCheckpointPrepare(virDomainObj *obj, const virDomainCheckpointDef *def)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainCheckpointDiskDef *cd = &def->disks[i];
        const virDomainDiskDef *dd;

        if (cd->type != VIR_DOMAIN_CHECKPOINT_TYPE_BITMAP)
            continue;
        if (g_strcmp0(cd->bitmap, def->name) != 0) {
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                           "bitmap for disk '%s' must match checkpoint name '%s'",
                           cd->name, def->name);
            return -1;
        }
        dd = qemuSnapshotDomainDisk(obj->def, cd->name);
        if (dd && dd->format != VIR_STORAGE_FORMAT_QCOW2) {
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                           "checkpoint for disk %s unsupported for storage type %s",
                           cd->name, "raw");
            return -1;
        }
    }
    return 0;
}

/* The bitmaps of @def added on @obj's running QEMU, on the top image of
 * each disk (libvirt's qemuCheckpointAddActions), in one transaction.
 * Object locked, job held. */
static int
qemuCheckpointAddBitmaps(virDomainObj *obj, const virDomainCheckpointDef *def)
{
    g_autoptr(json_object) block = NULL;
    g_autoptr(json_object) targs = json_object_new_object();
    json_object *actions = json_object_new_array();

    json_object_object_add(targs, "actions", actions);
    if (qemuHotplugMonitor(obj, "query-block", NULL, &block) < 0)
        return -1;
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainCheckpointDiskDef *cd = &def->disks[i];
        const virDomainDiskDef *dd;
        const char *node;

        if (cd->type != VIR_DOMAIN_CHECKPOINT_TYPE_BITMAP || !cd->bitmap)
            continue;
        if (!(dd = qemuSnapshotDomainDisk(obj->def, cd->name)))
            continue;
        if (!(node = qemuCheckpointBlockNode(
                  qemuCheckpointBlockEntry(block, obj->def, dd)))) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "cannot find block node of disk '%s'",
                           dd->dst);
            return -1;
        }
        qemuCheckpointAddAction(actions, "block-dirty-bitmap-add", node, cd->bitmap,
                                true);
    }
    if (json_object_array_length(actions) == 0)
        return 0;
    return qemuHotplugMonitor(obj, "transaction", targs, NULL);
}

int
qemuCheckpointPropagateBitmaps(virDomainObj *obj, const virDomainDiskDef *dd,
                               const char *overlay, json_object *actions)
{
    g_autoptr(json_object) block = NULL;
    json_object *bitmaps = NULL;
    json_object *ins;
    size_t n;

    if (virDomainCheckpointObjListCount(obj->checkpoints) == 0)
        return 0;
    if (qemuHotplugMonitor(obj, "query-block", NULL, &block) < 0)
        return -1;
    if (!(ins = qemuCheckpointBlockEntry(block, obj->def, dd)) ||
        !json_object_object_get_ex(ins, "dirty-bitmaps", &bitmaps) ||
        !json_object_is_type(bitmaps, json_type_array))
        return 0;
    n = json_object_array_length(bitmaps);
    for (size_t i = 0; i < n; i++) {
        json_object *bm = json_object_array_get_idx(bitmaps, i);
        json_object *name = NULL, *rec = NULL, *pers = NULL;

        if (!json_object_object_get_ex(bm, "name", &name) ||
            !json_object_object_get_ex(bm, "recording", &rec) ||
            !json_object_object_get_ex(bm, "persistent", &pers) ||
            !json_object_get_boolean(rec) || !json_object_get_boolean(pers))
            continue;
        qemuCheckpointAddAction(actions, "block-dirty-bitmap-add", overlay,
                                json_object_get_string(name), true);
    }
    return 0;
}

/* The entry of query-named-block-nodes (@nodes) whose @key is @value: a
 * node name, or the format node (qcow2 or raw) of an image file; the
 * filters a job puts above an image (commit_top, copy-on-read,
 * mirror_top) carry its file name too and are skipped. */
static json_object *
qemuCheckpointNamedNode(json_object *nodes, const char *key, const char *value)
{
    size_t n =
        json_object_is_type(nodes, json_type_array) ? json_object_array_length(nodes) : 0;

    for (size_t i = 0; i < n; i++) {
        json_object *node = json_object_array_get_idx(nodes, i);
        json_object *v = NULL, *drv = NULL;

        if (!json_object_object_get_ex(node, key, &v) ||
            g_strcmp0(json_object_get_string(v), value) != 0)
            continue;
        if (g_str_equal(key, "file") &&
            (!json_object_object_get_ex(node, "drv", &drv) ||
             (g_strcmp0(json_object_get_string(drv), "qcow2") != 0 &&
              g_strcmp0(json_object_get_string(drv), "raw") != 0)))
            continue;
        return node;
    }
    return NULL;
}

/* The dirty bitmap @name of the query-named-block-nodes entry @node
 * (borrowed), or NULL. */
static json_object *
qemuCheckpointNodeBitmap(json_object *node, const char *name)
{
    json_object *bitmaps = NULL;
    size_t n = 0;

    if (node && json_object_object_get_ex(node, "dirty-bitmaps", &bitmaps) &&
        json_object_is_type(bitmaps, json_type_array))
        n = json_object_array_length(bitmaps);
    for (size_t i = 0; i < n; i++) {
        json_object *bm = json_object_array_get_idx(bitmaps, i);
        json_object *nm = NULL;

        if (json_object_object_get_ex(bm, "name", &nm) &&
            g_strcmp0(json_object_get_string(nm), name) == 0)
            return bm;
    }
    return NULL;
}

static bool
qemuCheckpointBool(json_object *o, const char *key)
{
    json_object *v = NULL;

    return json_object_object_get_ex(o, key, &v) && json_object_get_boolean(v);
}

static const char *
qemuCheckpointNodeName(json_object *node)
{
    json_object *nn = NULL;

    if (!node || !json_object_object_get_ex(node, "node-name", &nn))
        return NULL;
    return json_object_get_string(nn);
}

/* The entry of @nodes for @ref: a node name, or the path of an image
 * (its format node); NULL when QEMU has none. */
static json_object *
qemuCheckpointFindNode(json_object *nodes, const char *ref)
{
    if (!ref)
        return NULL;
    return qemuCheckpointNamedNode(nodes, ref[0] == '/' ? "file" : "node-name", ref);
}

/* The entry of the image below @node (its backing file), or NULL. */
static json_object *
qemuCheckpointBackingNode(json_object *nodes, json_object *node)
{
    json_object *backing = NULL;

    if (!json_object_object_get_ex(node, "backing_file", &backing))
        return NULL;
    return qemuCheckpointNamedNode(nodes, "file", json_object_get_string(backing));
}

/* libvirt's qemuBlockBitmapChainIsValid: the bitmap @name starts at @top
 * and is in consecutive images of its chain, each one persistent,
 * recording and consistent. */
static bool
qemuCheckpointChainValid(json_object *nodes, json_object *top, const char *name)
{
    bool found = false;
    bool ended = false;
    int depth = 0;

    for (json_object *n = top; n && depth++ < 64;
         n = qemuCheckpointBackingNode(nodes, n)) {
        json_object *bm = qemuCheckpointNodeBitmap(n, name);

        if (!bm) {
            if (!found)
                return false;
            ended = true;
            continue;
        }
        if (ended || qemuCheckpointBool(bm, "inconsistent") ||
            !qemuCheckpointBool(bm, "persistent") || !qemuCheckpointBool(bm, "recording"))
            return false;
        found = true;
    }
    return found;
}

/* libvirt's qemuBlockGetBitmapMergeActions: for each bitmap of the image
 * @top whose chain is valid, the same-named bitmaps of the images from
 * @top down to @stop (excluded; NULL: the whole chain) merged into
 * @target's bitmap of that name, added first (persistent, recording, the
 * granularity of the first one found) when @target lacks it. Appended to
 * @actions; nothing when @top is not found. */
static void
qemuCheckpointMergeActions(json_object *nodes, const char *top, const char *stop,
                           const char *target, json_object *actions)
{
    json_object *topNode = qemuCheckpointFindNode(nodes, top);
    json_object *stopNode = qemuCheckpointFindNode(nodes, stop);
    json_object *targetNode = qemuCheckpointFindNode(nodes, target);
    const char *targetName = qemuCheckpointNodeName(targetNode);
    json_object *bitmaps = NULL;
    size_t n = 0;

    if (!topNode || !targetName)
        return;
    if (json_object_object_get_ex(topNode, "dirty-bitmaps", &bitmaps) &&
        json_object_is_type(bitmaps, json_type_array))
        n = json_object_array_length(bitmaps);
    for (size_t i = 0; i < n; i++) {
        json_object *nm = NULL;
        const char *bname;
        json_object *from = json_object_new_array();
        json_object *act, *data;
        long long granularity = 0;
        int depth = 0;

        if (!json_object_object_get_ex(json_object_array_get_idx(bitmaps, i), "name",
                                       &nm) ||
            !(bname = json_object_get_string(nm)) ||
            !qemuCheckpointChainValid(nodes, topNode, bname)) {
            json_object_put(from);
            continue;
        }
        for (json_object *c = topNode; c && c != stopNode && depth++ < 64;
             c = qemuCheckpointBackingNode(nodes, c)) {
            json_object *bm = qemuCheckpointNodeBitmap(c, bname);
            json_object *g = NULL, *src;

            if (!bm)
                continue;
            if (granularity == 0 && json_object_object_get_ex(bm, "granularity", &g))
                granularity = json_object_get_int64(g);
            src = json_object_new_object();
            json_object_object_add(src, "node",
                                   json_object_new_string(qemuCheckpointNodeName(c)));
            json_object_object_add(src, "name", json_object_new_string(bname));
            json_object_array_add(from, src);
        }
        if (!qemuCheckpointNodeBitmap(targetNode, bname)) {
            act = json_object_new_object();
            data = json_object_new_object();
            json_object_object_add(data, "node", json_object_new_string(targetName));
            json_object_object_add(data, "name", json_object_new_string(bname));
            json_object_object_add(data, "persistent", json_object_new_boolean(1));
            if (granularity > 0)
                json_object_object_add(data, "granularity",
                                       json_object_new_int64(granularity));
            json_object_object_add(act, "type",
                                   json_object_new_string("block-dirty-bitmap-add"));
            json_object_object_add(act, "data", data);
            json_object_array_add(actions, act);
        }
        act = json_object_new_object();
        data = json_object_new_object();
        json_object_object_add(data, "node", json_object_new_string(targetName));
        json_object_object_add(data, "target", json_object_new_string(bname));
        json_object_object_add(data, "bitmaps", from);
        json_object_object_add(act, "type",
                               json_object_new_string("block-dirty-bitmap-merge"));
        json_object_object_add(act, "data", data);
        json_object_array_add(actions, act);
    }
}

/* query-named-block-nodes (flat), or NULL with an error reported. */
static json_object *
qemuCheckpointQueryNodes(virDomainObj *obj)
{
    g_autoptr(json_object) args = json_object_new_object();
    json_object *nodes = NULL;

    json_object_object_add(args, "flat", json_object_new_boolean(1));
    if (qemuHotplugMonitor(obj, "query-named-block-nodes", args, &nodes) < 0)
        return NULL;
    return nodes;
}

/* The options of blockdev-reopen that make the image node @node (an
 * entry of query-named-block-nodes @nodes) read-only or writable (@ro),
 * the others as it was opened with (libvirt's qemuBlockReopenFormat):
 * driver, its protocol node (libvirt-N-storage under libvirt-N-format, as
 * this driver names them), the image below, cache. NULL when @node is not
 * named so, or its backing image is not found (a reopen must name it: left
 * out, QEMU would drop it). */
static json_object *
qemuCheckpointReopenOptions(json_object *nodes, json_object *node, bool ro)
{
    const char *name = qemuCheckpointNodeName(node);
    json_object *drv = NULL, *cache = NULL, *bf = NULL;
    json_object *below = qemuCheckpointBackingNode(nodes, node);
    json_object *opts;
    g_autofree char *storage = NULL;
    const char *driver;
    int k;
    int end = 0;

    if (!name || sscanf(name, "libvirt-%d-format%n", &k, &end) != 1 ||
        name[end] != '\0' || !json_object_object_get_ex(node, "drv", &drv))
        return NULL;
    driver = json_object_get_string(drv);
    if (g_str_equal(driver, "qcow2") && !below &&
        json_object_object_get_ex(node, "backing_file", &bf) &&
        *json_object_get_string(bf))
        return NULL;
    storage = g_strdup_printf("libvirt-%d-storage", k);
    opts = json_object_new_object();
    json_object_object_add(opts, "node-name", json_object_new_string(name));
    json_object_object_add(opts, "read-only", json_object_new_boolean(ro));
    json_object_object_add(opts, "driver", json_object_new_string(driver));
    json_object_object_add(opts, "file", json_object_new_string(storage));
    if (g_str_equal(driver, "qcow2"))
        json_object_object_add(
            opts, "backing",
            below ? json_object_new_string(qemuCheckpointNodeName(below)) : NULL);
    if (json_object_object_get_ex(node, "cache", &cache) &&
        (qemuCheckpointBool(cache, "direct") || qemuCheckpointBool(cache, "no-flush"))) {
        json_object *c = json_object_new_object();

        json_object_object_add(
            c, "direct", json_object_new_boolean(qemuCheckpointBool(cache, "direct")));
        json_object_object_add(
            c, "no-flush",
            json_object_new_boolean(qemuCheckpointBool(cache, "no-flush")));
        json_object_object_add(opts, "cache", c);
    }
    return opts;
}

static int
qemuCheckpointReopen(virDomainObj *obj, json_object *opts)
{
    g_autoptr(json_object) args = json_object_new_object();
    json_object *list = json_object_new_array();

    json_object_array_add(list, json_object_get(opts));
    json_object_object_add(args, "options", list);
    return qemuHotplugMonitor(obj, "blockdev-reopen", args, NULL);
}

/* The bitmaps of @defs removed from @obj's running QEMU, from every image
 * of each disk's chain that carries one (libvirt 9.0's
 * qemuCheckpointDiscardBitmaps): one transaction, the read-only images
 * below the top reopened writable around it and read-only again after,
 * whether it worked or not. A bitmap found in no image of a disk's chain
 * is libvirt's error and nothing is removed. Object locked, job held. */
static int
qemuCheckpointDiscardBitmaps(virDomainObj *obj, virDomainCheckpointDef *const *defs,
                             size_t ndefs)
{
    g_autoptr(json_object) block = NULL;
    g_autoptr(json_object) nodes = NULL;
    g_autoptr(json_object) targs = json_object_new_object();
    g_autoptr(GPtrArray) reopen = g_ptr_array_new(); /* entries of @nodes */
    json_object *actions = json_object_new_array();
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    virErrorPtr saved = NULL;
    guint opened = 0;
    int ret = -1;

    json_object_object_add(targs, "actions", actions);
    if (qemuHotplugMonitor(obj, "query-block", NULL, &block) < 0 ||
        !(nodes = qemuCheckpointQueryNodes(obj)))
        return -1;
    for (size_t k = 0; k < ndefs; k++) {
        const virDomainCheckpointDef *def = defs[k];

        for (size_t i = 0; i < def->ndisks; i++) {
            const virDomainCheckpointDiskDef *cd = &def->disks[i];
            const virDomainDiskDef *dd;
            json_object *top;
            bool found = false;
            int depth = 0;

            if (cd->type != VIR_DOMAIN_CHECKPOINT_TYPE_BITMAP || !cd->bitmap)
                continue;
            /* a disk unplugged since keeps nothing to do, as in libvirt */
            if (!(dd = qemuSnapshotDomainDisk(obj->def, cd->name)))
                continue;
            top = qemuCheckpointFindNode(
                nodes,
                qemuCheckpointBlockNode(qemuCheckpointBlockEntry(block, obj->def, dd)));
            for (json_object *n = top; n && depth++ < 64;
                 n = qemuCheckpointBackingNode(nodes, n)) {
                if (!qemuCheckpointNodeBitmap(n, cd->bitmap))
                    continue;
                if (n != top && qemuCheckpointBool(n, "ro") &&
                    !g_ptr_array_find(reopen, n, NULL)) {
                    g_autoptr(json_object) probe =
                        qemuCheckpointReopenOptions(nodes, n, false);

                    if (!probe) {
                        /* an image QEMU opened by itself (a guest started
                         * by an older virtkitd): its bitmap stays */
                        g_debug("bitmap '%s' of node '%s' of disk '%s' kept: the node "
                                "cannot be reopened",
                                cd->bitmap, qemuCheckpointNodeName(n), dd->dst);
                        found = true;
                        continue;
                    }
                    g_ptr_array_add(reopen, n);
                }
                found = true;
                qemuCheckpointAddAction(actions, "block-dirty-bitmap-remove",
                                        qemuCheckpointNodeName(n), cd->bitmap, false);
            }
            if (!found) {
                virReportError(VIR_ERR_INTERNAL_ERROR,
                               "bitmap '%s' not found in backing chain of '%s'",
                               cd->bitmap, dd->dst);
                return -1;
            }
        }
    }
    if (json_object_array_length(actions) == 0)
        return 0;
    if (reopen->len > 0) {
        /* QEMU's user writes them for the moment (libvirt's
         * qemuDomainStorageSourceAccessAllow) */
        priv->writableImages = g_ptr_array_new_with_free_func(g_free);
        for (guint i = 0; i < reopen->len; i++) {
            json_object *file = NULL;

            if (json_object_object_get_ex(reopen->pdata[i], "file", &file))
                g_ptr_array_add(priv->writableImages,
                                g_strdup(json_object_get_string(file)));
        }
        if (qemuSecurityPrepareDomain(priv->driver, obj) < 0)
            goto restore;
    }
    for (; opened < reopen->len; opened++) {
        g_autoptr(json_object) opts =
            qemuCheckpointReopenOptions(nodes, reopen->pdata[opened], false);

        if (qemuCheckpointReopen(obj, opts) < 0)
            goto restore;
    }
    ret = qemuHotplugMonitor(obj, "transaction", targs, NULL);

restore:
    if (ret < 0)
        virErrorPreserveLast(&saved);
    for (guint i = 0; i < opened && virDomainObjIsActive(obj); i++) {
        g_autoptr(json_object) opts =
            qemuCheckpointReopenOptions(nodes, reopen->pdata[i], true);

        if (qemuCheckpointReopen(obj, opts) < 0) {
            /* the bitmaps are gone all the same, the image stays writable
             * until QEMU ends: tolerated, so a failure report of this
             * reopen would be wrong (the error of a failed removal is kept
             * in @saved) */
            g_debug("reopening '%s' read-only: %s",
                    qemuCheckpointNodeName(reopen->pdata[i]), virGetLastErrorMessage());
            virResetLastError();
        }
    }
    if (priv->writableImages) {
        g_clear_pointer(&priv->writableImages, g_ptr_array_unref);
        if (virDomainObjIsActive(obj) &&
            qemuSecurityPrepareDomain(priv->driver, obj) < 0) {
            /* the images stay QEMU's user's until the domain stops:
             * tolerated, as the reopen above */
            g_debug("giving back the images below the top: %s", virGetLastErrorMessage());
            virResetLastError();
        }
    }
    if (saved)
        virErrorRestore(&saved);
    return ret;
}

int
qemuCheckpointMergeBitmaps(virDomainObj *obj, const char *top, const char *stop,
                           const char *target)
{
    g_autoptr(json_object) nodes = NULL;
    g_autoptr(json_object) targs = json_object_new_object();
    json_object *actions = json_object_new_array();

    json_object_object_add(targs, "actions", actions);
    if (virDomainCheckpointObjListCount(obj->checkpoints) == 0)
        return 0;
    if (!(nodes = qemuCheckpointQueryNodes(obj)))
        return -1;
    if (!qemuCheckpointFindNode(nodes, target)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot find block node of image '%s'",
                       target);
        return -1;
    }
    qemuCheckpointMergeActions(nodes, top, stop, target, actions);
    g_debug("bitmap merge of '%s' into '%s': %s", top, target,
            json_object_to_json_string(actions));
    if (json_object_array_length(actions) == 0)
        return 0;
    return qemuHotplugMonitor(obj, "transaction", targs, NULL);
}

/* REDEFINE_VALIDATE: each bitmap of @def is valid in its disk's chain in
 * the running QEMU (libvirt's qemuBlockBitmapChainIsValid: from the top
 * image down through consecutive images, persistent, recording,
 * consistent). */
static int
qemuCheckpointValidateBitmaps(virDomainObj *obj, const virDomainCheckpointDef *def)
{
    g_autoptr(json_object) block = NULL;
    g_autoptr(json_object) nodes = NULL;

    if (!virDomainObjIsActive(obj))
        return 0;
    if (qemuHotplugMonitor(obj, "query-block", NULL, &block) < 0 ||
        !(nodes = qemuCheckpointQueryNodes(obj)))
        return -1;
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainCheckpointDiskDef *cd = &def->disks[i];
        const virDomainDiskDef *dd;
        json_object *top;

        if (cd->type != VIR_DOMAIN_CHECKPOINT_TYPE_BITMAP)
            continue;
        if (!cd->bitmap) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "missing bitmap name for disk '%s' of checkpoint '%s'",
                           cd->name, def->name);
            return -1;
        }
        if (!(dd = qemuSnapshotDomainDisk(obj->def, cd->name)))
            continue;
        top = qemuCheckpointFindNode(
            nodes,
            qemuCheckpointBlockNode(qemuCheckpointBlockEntry(block, obj->def, dd)));
        if (!top || !qemuCheckpointChainValid(nodes, top, cd->bitmap)) {
            virReportError(VIR_ERR_CHECKPOINT_INCONSISTENT,
                           "missing or broken bitmap '%s' for disk '%s'", cd->bitmap,
                           cd->name);
            return -1;
        }
    }
    return 0;
}

/* ---- entry points ---------------------------------------------------------- */

static const virDomainCheckpointQueryOps qemuCheckpointOps = {
    .objFromDomain = qemuDomainObjFromDomain,
    .errdom = VIR_FROM_QEMU,
};

virDomainCheckpointPtr
qemuDomainCheckpointCreateXML(virDomainPtr dom, const char *xml, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    g_autoptr(virDomainCheckpointDef) def = NULL;
    g_autofree char *name = NULL;
    virDomainCheckpointObjList *list;
    virDomainObj *obj;
    virDomainCheckpointPtr ret = NULL;
    bool redefine = flags & VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE;
    bool thaw = false;
    int rc;

    virCheckFlags(VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE |
                      VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE |
                      VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE,
                  NULL);

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return NULL;
    if (!redefine && !virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot create checkpoint for inactive domain");
        goto cleanup;
    }
    if (!(def = virDomainCheckpointDefParseString(
              xml, redefine ? VIR_DOMAIN_CHECKPOINT_PARSE_REDEFINE : 0)))
        goto cleanup;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (virDomainObjParsePending(obj) < 0)
        goto endjob;
    list = qemuCheckpointList(obj);

    if (redefine) {
        const char *current = virDomainCheckpointObjListGetCurrent(list);
        bool becomesCurrent = current && g_strcmp0(def->parent_name, current) == 0;

        if (virDomainCheckpointRedefineCheck(obj, def) < 0)
            goto endjob;
        if ((flags & VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE) &&
            qemuCheckpointValidateBitmaps(obj, def) < 0)
            goto endjob;
        name = g_strdup(def->name);
        virDomainCheckpointObjListReplace(list, &def);
        if (becomesCurrent)
            virDomainCheckpointObjListSetCurrent(list, name);
        if (qemuCheckpointWriteAll(driver, obj) < 0)
            goto endjob;
        ret = virGetDomainCheckpoint(dom, name);
        goto endjob;
    }

    if (!virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot create checkpoint for inactive domain");
        goto endjob;
    }
    if (virDomainCheckpointObjListFind(list, def->name)) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED, __func__,
                           "domain moment %s already exists", def->name);
        goto endjob;
    }
    def->dom = virDomainDefCopy(obj->def);
    if (virDomainCheckpointAlignDisks(def) < 0 || qemuCheckpointPrepare(obj, def) < 0)
        goto endjob;
    /* as libvirt: QUIESCE freezes the guest's filesystems through its
     * agent around the bitmaps' creation */
    if (flags & VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE) {
        int frozen = qemuSnapshotFSFreezeThaw(obj, true);

        if (frozen < 0)
            goto endjob;
        thaw = frozen > 0;
    }
    rc = qemuCheckpointAddBitmaps(obj, def);
    if (thaw && virDomainObjIsActive(obj)) {
        virErrorPtr saved = NULL;

        if (rc < 0)
            virErrorPreserveLast(&saved);
        if (qemuSnapshotFSFreezeThaw(obj, false) < 0 && rc == 0)
            rc = -1;
        if (saved)
            virErrorRestore(&saved);
    }
    if (rc < 0)
        goto endjob;
    def->parent_name = g_strdup(virDomainCheckpointObjListGetCurrent(list));
    name = g_strdup(def->name);
    if (virDomainCheckpointObjListAdd(list, &def) < 0)
        goto endjob;
    virDomainCheckpointObjListSetCurrent(list, name);
    /* the bitmaps exist: a metadata write failure is reported, the
     * checkpoint stays listed for this daemon's life */
    if (qemuCheckpointWriteMetadata(driver, obj,
                                    virDomainCheckpointObjListFind(list, name)) < 0)
        goto endjob;
    ret = virGetDomainCheckpoint(dom, name);

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

#define QEMU_CHECKPOINT_TMP_SIZE "libvirt-tmp-size-xml"

/* SIZE: each bitmap's count in the checkpoint @name (re-found after the
 * waits). As libvirt 9.0 (qemuCheckpointGetXMLDescUpdateSize): a bitmap
 * kept in several images of a disk's chain (external snapshots since the
 * checkpoint) is counted as their union, merged into a temporary bitmap
 * on the top image and removed again; a disk that lost its bitmap (a
 * pivot to a raw copy) shows no size. */
static int
qemuCheckpointFillSizes(virDomainObj *obj, const char *name)
{
    g_autoptr(json_object) block = NULL;
    g_autoptr(json_object) nodes = NULL;
    g_autoptr(json_object) merged = NULL;
    g_autoptr(json_object) addArgs = json_object_new_object();
    g_autoptr(json_object) delArgs = json_object_new_object();
    json_object *addActs = json_object_new_array();
    json_object *delActs = json_object_new_array();
    g_autoptr(GPtrArray) disks = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) bitmaps = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) temps = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GArray) sizes = g_array_new(FALSE, FALSE, sizeof(long long));
    virDomainCheckpointDef *def;

    json_object_object_add(addArgs, "actions", addActs);
    json_object_object_add(delArgs, "actions", delActs);
    if (!virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    if (!(def = virDomainCheckpointQueryFind(obj, name, VIR_FROM_QEMU)))
        return -1;
    for (size_t i = 0; i < def->ndisks; i++) {
        if (def->disks[i].type != VIR_DOMAIN_CHECKPOINT_TYPE_BITMAP ||
            !def->disks[i].bitmap)
            continue;
        g_ptr_array_add(disks, g_strdup(def->disks[i].name));
        g_ptr_array_add(bitmaps, g_strdup(def->disks[i].bitmap));
    }
    if (qemuHotplugMonitor(obj, "query-block", NULL, &block) < 0 ||
        !(nodes = qemuCheckpointQueryNodes(obj)))
        return -1;
    for (guint i = 0; i < disks->len; i++) {
        const char *bname = bitmaps->pdata[i];
        const virDomainDiskDef *dd = qemuSnapshotDomainDisk(obj->def, disks->pdata[i]);
        json_object *top = NULL;
        json_object *from = json_object_new_array();
        json_object *one = NULL;
        long long size = -1;
        int depth = 0;

        if (dd)
            top = qemuCheckpointFindNode(
                nodes,
                qemuCheckpointBlockNode(qemuCheckpointBlockEntry(block, obj->def, dd)));
        for (json_object *n = top; n && depth++ < 64;
             n = qemuCheckpointBackingNode(nodes, n)) {
            json_object *bm = qemuCheckpointNodeBitmap(n, bname);
            json_object *src;

            if (!bm)
                continue;
            one = bm;
            src = json_object_new_object();
            json_object_object_add(src, "node",
                                   json_object_new_string(qemuCheckpointNodeName(n)));
            json_object_object_add(src, "name", json_object_new_string(bname));
            json_object_array_add(from, src);
        }
        g_ptr_array_add(temps, NULL);
        if (json_object_array_length(from) == 1) {
            json_object *count = NULL;

            if (json_object_object_get_ex(one, "count", &count))
                size = json_object_get_int64(count);
            json_object_put(from);
        } else if (json_object_array_length(from) > 1) {
            const char *topName = qemuCheckpointNodeName(top);
            json_object *g = NULL;
            json_object *act = json_object_new_object();
            json_object *data = json_object_new_object();

            json_object_object_add(data, "node", json_object_new_string(topName));
            json_object_object_add(data, "name",
                                   json_object_new_string(QEMU_CHECKPOINT_TMP_SIZE));
            json_object_object_add(data, "persistent", json_object_new_boolean(0));
            json_object_object_add(data, "disabled", json_object_new_boolean(1));
            if (json_object_object_get_ex(one, "granularity", &g))
                json_object_object_add(data, "granularity", json_object_get(g));
            json_object_object_add(act, "type",
                                   json_object_new_string("block-dirty-bitmap-add"));
            json_object_object_add(act, "data", data);
            json_object_array_add(addActs, act);
            act = json_object_new_object();
            data = json_object_new_object();
            json_object_object_add(data, "node", json_object_new_string(topName));
            json_object_object_add(data, "target",
                                   json_object_new_string(QEMU_CHECKPOINT_TMP_SIZE));
            json_object_object_add(data, "bitmaps", from);
            json_object_object_add(act, "type",
                                   json_object_new_string("block-dirty-bitmap-merge"));
            json_object_object_add(act, "data", data);
            json_object_array_add(addActs, act);
            qemuCheckpointAddAction(delActs, "block-dirty-bitmap-remove", topName,
                                    QEMU_CHECKPOINT_TMP_SIZE, false);
            temps->pdata[i] = g_strdup(topName);
        } else {
            json_object_put(from);
        }
        g_array_append_val(sizes, size);
    }
    if (json_object_array_length(addActs) > 0) {
        virErrorPtr saved = NULL;
        int rc;

        if (qemuHotplugMonitor(obj, "transaction", addArgs, NULL) < 0)
            return -1;
        rc = (merged = qemuCheckpointQueryNodes(obj)) ? 0 : -1;
        if (rc < 0)
            virErrorPreserveLast(&saved);
        if (qemuHotplugMonitor(obj, "transaction", delArgs, NULL) < 0 && rc == 0)
            rc = -1;
        if (saved)
            virErrorRestore(&saved);
        if (rc < 0)
            return -1;
        for (guint i = 0; i < temps->len; i++) {
            json_object *bm, *count = NULL;

            if (!temps->pdata[i])
                continue;
            bm = qemuCheckpointNodeBitmap(
                qemuCheckpointNamedNode(merged, "node-name", temps->pdata[i]),
                QEMU_CHECKPOINT_TMP_SIZE);
            if (bm && json_object_object_get_ex(bm, "count", &count))
                g_array_index(sizes, long long, i) = json_object_get_int64(count);
        }
    }
    if (!(def = virDomainCheckpointQueryFind(obj, name, VIR_FROM_QEMU)))
        return -1;
    for (size_t i = 0; i < def->ndisks; i++) {
        virDomainCheckpointDiskDef *cd = &def->disks[i];

        cd->sizeValid = false;
        for (guint j = 0; j < disks->len; j++) {
            long long size = g_array_index(sizes, long long, j);

            if (g_strcmp0(cd->name, disks->pdata[j]) != 0 || size < 0)
                continue;
            cd->size = size;
            cd->sizeValid = true;
        }
    }
    return 0;
}

char *
qemuDomainCheckpointGetXMLDesc(virDomainCheckpointPtr cp, unsigned int flags)
{
    virDomainCheckpointDef *def;
    virDomainObj *obj;
    unsigned int fmt = 0;
    char *ret = NULL;

    virCheckFlags(VIR_DOMAIN_CHECKPOINT_XML_SECURE | VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN |
                      VIR_DOMAIN_CHECKPOINT_XML_SIZE,
                  NULL);
    if (!(obj = virDomainCheckpointQueryObj(&qemuCheckpointOps, cp, &def)))
        return NULL;
    if (flags & VIR_DOMAIN_CHECKPOINT_XML_SECURE)
        fmt |= VIR_DOMAIN_CHECKPOINT_FORMAT_SECURE;
    if (flags & VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN)
        fmt |= VIR_DOMAIN_CHECKPOINT_FORMAT_NO_DOMAIN;
    if (flags & VIR_DOMAIN_CHECKPOINT_XML_SIZE) {
        if (virDomainObjBeginJob(obj, VIR_JOB_QUERY, QEMU_JOB_WAIT_MS) < 0)
            goto cleanup;
        if (qemuCheckpointFillSizes(obj, cp->name) == 0 &&
            (def = virDomainCheckpointQueryFind(obj, cp->name, VIR_FROM_QEMU)))
            ret = virDomainCheckpointDefFormat(def,
                                               fmt | VIR_DOMAIN_CHECKPOINT_FORMAT_SIZE);
        virDomainObjEndJob(obj, VIR_JOB_QUERY);
        goto cleanup;
    }
    ret = virDomainCheckpointDefFormat(def, fmt);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* qemuDomainListAllCheckpoints, qemuDomainCheckpointListAllChildren,
 * qemuDomainCheckpointLookupByName, qemuDomainCheckpointGetParent: the
 * shared queries of checkpoint_obj.c */
VIR_DOMAIN_CHECKPOINT_QUERY_ENTRY_POINTS(qemu, &qemuCheckpointOps)

int
qemuDomainCheckpointDelete(virDomainCheckpointPtr cp, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(cp->domain->conn);
    bool metadataOnly = flags & VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY;
    virDomainCheckpointDef *def;
    virDomainCheckpointObjList *list;
    virDomainObj *obj;
    g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) defs = g_ptr_array_new();
    g_autofree char *name = NULL;
    bool hadCurrent = false;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN |
                      VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY |
                      VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY,
                  -1);

    if (!(obj = virDomainCheckpointQueryObj(&qemuCheckpointOps, cp, &def)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    /* found again: the lock was dropped while waiting for the job */
    if (!(def = virDomainCheckpointQueryFind(obj, cp->name, VIR_FROM_QEMU)))
        goto endjob;
    if (!metadataOnly && !virDomainObjIsActive(obj)) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot delete checkpoint for inactive domain");
        goto endjob;
    }
    list = obj->checkpoints;
    name = g_strdup(def->name);
    if (flags & (VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN |
                 VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY)) {
        g_autoptr(GPtrArray) desc = virDomainCheckpointObjListDescendants(list, name);

        for (guint i = 0; i < desc->len; i++) {
            virDomainCheckpointDef *d = desc->pdata[i];

            g_ptr_array_add(defs, d);
            g_ptr_array_add(gone, g_strdup(d->name));
        }
    }
    if (!(flags & VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY)) {
        g_ptr_array_add(defs, def);
        g_ptr_array_add(gone, g_strdup(name));
    }
    if (!metadataOnly &&
        qemuCheckpointDiscardBitmaps(obj, (virDomainCheckpointDef *const *)defs->pdata,
                                     defs->len) < 0)
        goto endjob;

    /* the bitmaps are gone: the metadata follows, children re-parented */
    for (guint i = 0; i < gone->len; i++) {
        g_autofree char *path =
            qemuMomentFile(driver, &qemuCheckpointKind, obj->def->name, gone->pdata[i]);

        if (g_strcmp0(virDomainCheckpointObjListGetCurrent(list), gone->pdata[i]) == 0 &&
            !g_str_equal(gone->pdata[i], name))
            hadCurrent = true;
        virDomainCheckpointObjListRemove(list, gone->pdata[i]);
        if (virFileRemoveDurableQuiet(path) != 0)
            g_debug("cannot remove '%s'", path);
    }
    if (hadCurrent && (flags & VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY))
        virDomainCheckpointObjListSetCurrent(list, name);
    if (qemuCheckpointWriteAll(driver, obj) < 0)
        goto endjob;
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- rename and undefine --------------------------------------------------- */

int
qemuCheckpointRenameMetadata(qemuDriver *driver, const char *oldName, const char *newName)
{
    g_autofree char *from = qemuMomentDir(driver, &qemuCheckpointKind, oldName);
    g_autofree char *to = qemuMomentDir(driver, &qemuCheckpointKind, newName);

    if (!g_file_test(from, G_FILE_TEST_IS_DIR))
        return 0;
    if (rename(from, to) < 0) {
        virReportSystemError(errno, "cannot rename checkpoint directory '%s' to '%s'",
                             from, to);
        return -1;
    }
    return 0;
}

int
qemuCheckpointCheckUndefine(qemuDriver *driver, virDomainObj *obj, unsigned int flags)
{
    return qemuMomentCheckUndefine(driver, &qemuCheckpointKind, obj,
                                   flags & VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA);
}

/* ---- backups (qemu_backup.c) ---------------------------------------------- */

bool
qemuCheckpointExists(virDomainObj *obj, const char *name)
{
    return obj->checkpoints &&
           virDomainCheckpointObjListFind(qemuCheckpointList(obj), name) != NULL;
}

int
qemuCheckpointBackupBitmap(virDomainObj *obj, const virDomainDiskDef *dd,
                           const char *checkpoint, const char *bitmap,
                           json_object *actions)
{
    g_autoptr(json_object) block = NULL;
    g_autoptr(json_object) nodes = NULL;
    json_object *top, *from, *act, *data;
    const char *topName;
    int depth = 0;

    if (qemuHotplugMonitor(obj, "query-block", NULL, &block) < 0 ||
        !(nodes = qemuCheckpointQueryNodes(obj)))
        return -1;
    topName = qemuCheckpointBlockNode(qemuCheckpointBlockEntry(block, obj->def, dd));
    if (!(top = qemuCheckpointFindNode(nodes, topName)) ||
        !qemuCheckpointChainValid(nodes, top, checkpoint)) {
        virReportError(VIR_ERR_CHECKPOINT_INCONSISTENT,
                       "missing or broken bitmap '%s' for disk '%s'", checkpoint,
                       dd->dst);
        return -1;
    }
    /* a temporary bitmap on the top image: every image's @checkpoint merged */
    act = json_object_new_object();
    data = json_object_new_object();
    json_object_object_add(data, "node", json_object_new_string(topName));
    json_object_object_add(data, "name", json_object_new_string(bitmap));
    json_object_object_add(data, "persistent", json_object_new_boolean(0));
    json_object_object_add(data, "disabled", json_object_new_boolean(1));
    json_object_object_add(act, "type", json_object_new_string("block-dirty-bitmap-add"));
    json_object_object_add(act, "data", data);
    json_object_array_add(actions, act);
    from = json_object_new_array();
    for (json_object *c = top; c && depth++ < 64;
         c = qemuCheckpointBackingNode(nodes, c)) {
        json_object *src;

        if (!qemuCheckpointNodeBitmap(c, checkpoint))
            continue;
        src = json_object_new_object();
        json_object_object_add(src, "node",
                               json_object_new_string(qemuCheckpointNodeName(c)));
        json_object_object_add(src, "name", json_object_new_string(checkpoint));
        json_object_array_add(from, src);
    }
    act = json_object_new_object();
    data = json_object_new_object();
    json_object_object_add(data, "node", json_object_new_string(topName));
    json_object_object_add(data, "target", json_object_new_string(bitmap));
    json_object_object_add(data, "bitmaps", from);
    json_object_object_add(act, "type",
                           json_object_new_string("block-dirty-bitmap-merge"));
    json_object_object_add(act, "data", data);
    json_object_array_add(actions, act);
    return 0;
}

int
qemuCheckpointBackupPrepare(virDomainObj *obj, const char *xml,
                            virDomainCheckpointDef **def, json_object *actions)
{
    g_autoptr(virDomainCheckpointDef) cp = NULL;
    g_autoptr(json_object) block = NULL;

    if (!(cp = virDomainCheckpointDefParseString(xml, 0)))
        return -1;
    if (obj->checkpoints &&
        virDomainCheckpointObjListFind(qemuCheckpointList(obj), cp->name)) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED, __func__,
                           "domain moment %s already exists", cp->name);
        return -1;
    }
    cp->dom = virDomainDefCopy(obj->def);
    if (virDomainCheckpointAlignDisks(cp) < 0 || qemuCheckpointPrepare(obj, cp) < 0)
        return -1;
    if (qemuHotplugMonitor(obj, "query-block", NULL, &block) < 0)
        return -1;
    for (size_t i = 0; i < cp->ndisks; i++) {
        const virDomainCheckpointDiskDef *cd = &cp->disks[i];
        const virDomainDiskDef *dd;
        const char *node;

        if (cd->type != VIR_DOMAIN_CHECKPOINT_TYPE_BITMAP || !cd->bitmap ||
            !(dd = qemuSnapshotDomainDisk(obj->def, cd->name)))
            continue;
        if (!(node = qemuCheckpointBlockNode(
                  qemuCheckpointBlockEntry(block, obj->def, dd)))) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "cannot find block node of disk '%s'",
                           dd->dst);
            return -1;
        }
        qemuCheckpointAddAction(actions, "block-dirty-bitmap-add", node, cd->bitmap,
                                true);
    }
    *def = g_steal_pointer(&cp);
    return 0;
}

int
qemuCheckpointBackupCommit(qemuDriver *driver, virDomainObj *obj,
                           virDomainCheckpointDef **def)
{
    virDomainCheckpointObjList *list = qemuCheckpointList(obj);
    g_autofree char *name = g_strdup((*def)->name);

    (*def)->parent_name = g_strdup(virDomainCheckpointObjListGetCurrent(list));
    if (virDomainCheckpointObjListAdd(list, def) < 0)
        return -1;
    virDomainCheckpointObjListSetCurrent(list, name);
    return qemuCheckpointWriteMetadata(driver, obj,
                                       virDomainCheckpointObjListFind(list, name));
}
