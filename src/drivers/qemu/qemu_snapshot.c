/* qemu_snapshot.c: the QEMU driver's domain snapshots: internal qcow2 snapshots (qemu-img offline, savevm/loadvm/delvm running), metadata files */

/*
 * Threads: API threads only. Every entry point that changes something
 * holds the domain's MODIFY job; the object lock is dropped while QEMU or
 * qemu-img works (savevm writes the guest's memory into the first qcow2
 * disk and may take seconds), the job keeping other changes out. Queries
 * take only the object lock (the snapshot tree, obj->snapshots, is
 * protected by it).
 *
 * As libvirt 9.0: a snapshot of a shut off guest is "qemu-img snapshot -c"
 * on each of its qcow2 disks; of a running or paused guest, HMP "savevm"
 * (disks and memory), with the vCPUs stopped meanwhile. Reverting to a
 * running snapshot loads it with "loadvm" (in the running QEMU, or in a
 * fresh one started paused); to a shut off one, "qemu-img snapshot -a".
 * Delete is "delvm" / "qemu-img snapshot -d". External snapshots (new
 * qcow2 overlays, memory in a save image) are qemu_snapshot_external.c;
 * as libvirt 9.0, they cannot be reverted to, nor deleted with children.
 *
 * Metadata: <libDir>/snapshot/<domain>/<snapshot>.xml (libvirt's layout
 * and document: the snapshot XML with <active>1</active> for the current
 * one), each written atomically (virFileWriteAtomic); read back when the
 * driver starts.
 */

#define G_LOG_DOMAIN "virtkit.qemu.snapshot"

#include <string.h>

#include <json-c/json.h>

#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_moment.h"
#include "qemu_monitor.h"
#include "qemu_process.h"
#include "qemu_snapshot.h"
#include "snapshot_obj.h"
#include "virerror.h"
#include "virfile.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* savevm / loadvm write or read the whole guest memory */
#define QEMU_SNAPSHOT_TIMEOUT_MS 600000

/* ---- metadata files (qemu_moment.c) ------------------------------------- */

/* The snapshot XML with <active>1</active> for the current one (libvirt's
 * document). */
static char *
qemuSnapshotFormatMetadata(virDomainObj *obj, const virDomainMomentDef *moment)
{
    const virDomainSnapshotDef *def = (const virDomainSnapshotDef *)moment;
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    unsigned int flags =
        VIR_DOMAIN_SNAPSHOT_FORMAT_SECURE | VIR_DOMAIN_SNAPSHOT_FORMAT_INTERNAL;

    if (g_strcmp0(virDomainSnapshotObjListGetCurrent(obj->snapshots), def->name) == 0)
        flags |= VIR_DOMAIN_SNAPSHOT_FORMAT_CURRENT;
    virUUIDFormat(obj->def->uuid, uuidstr);
    return virDomainSnapshotDefFormat(uuidstr, def, flags);
}

static virDomainMomentDef *
qemuSnapshotParseMetadata(const char *xml, bool *current)
{
    return (virDomainMomentDef *)virDomainSnapshotDefParseString(
        xml, VIR_DOMAIN_SNAPSHOT_PARSE_REDEFINE | VIR_DOMAIN_SNAPSHOT_PARSE_INTERNAL,
        current);
}

static const qemuMomentKind qemuSnapshotKind = {
    .dir = "snapshot",
    .listOffset = G_STRUCT_OFFSET(virDomainObj, snapshots),
    .freeDef = (GDestroyNotify)virDomainSnapshotDefFree,
    .format = qemuSnapshotFormatMetadata,
    .parse = qemuSnapshotParseMetadata,
};

static int
qemuSnapshotWriteAll(qemuDriver *driver, virDomainObj *obj)
{
    return qemuMomentWriteAll(driver, &qemuSnapshotKind, obj);
}

static int
qemuSnapshotRemoveMetadata(qemuDriver *driver, virDomainObj *obj, const char *name)
{
    return qemuMomentRemoveMetadata(driver, &qemuSnapshotKind, obj, name);
}

/* The snapshot metadata of one domain, read at driver start (a
 * virDomainObjListForEach callback; @opaque is the driver). */
void
qemuSnapshotLoad(virDomainObj *obj, void *opaque)
{
    virDomainObjLock(obj);
    qemuMomentLoad(opaque, &qemuSnapshotKind, obj);
    virDomainObjUnlock(obj);
}

/* ---- helpers ------------------------------------------------------------- */

static virDomainSnapshotObjList *
qemuSnapshotList(virDomainObj *obj)
{
    return qemuMomentList(&qemuSnapshotKind, obj);
}

static const virDomainSnapshotQueryOps qemuSnapOps = {
    .objFromDomain = qemuDomainObjFromDomain,
    .errdom = VIR_FROM_QEMU,
};

/* Run qemu-img with @argv (NULL-terminated, without the program). 0, or -1
 * with libvirt's virCommandRun message. */
int
qemuSnapshotQemuImg(const char *const *args)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autofree char *line = NULL;
    g_autoptr(GError) gerr = NULL;
    const char *prog = g_file_test("/usr/bin/qemu-img", G_FILE_TEST_IS_EXECUTABLE)
                           ? "/usr/bin/qemu-img"
                           : "qemu-img";
    int status = 0;

    g_ptr_array_add(argv, (char *)prog);
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add(argv, (char *)args[i]);
    g_ptr_array_add(argv, NULL);
    line = g_strjoinv(" ", (char **)argv->pdata);
    g_debug("running %s", line);
    if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                      &out, &err, &status, &gerr)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Cannot run %s: %s", prog, gerr->message);
        return -1;
    }
    if (!g_spawn_check_wait_status(status, NULL)) {
        g_strstrip(err);
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Child process (%s) unexpected exit status %d: %s", line,
                       WIFEXITED(status) ? WEXITSTATUS(status) : 255, err);
        return -1;
    }
    return 0;
}

/* HMP @cmdline on @obj's QEMU (locked, job held; dropped meanwhile). HMP
 * answers errors as text: anything printed is an error, reported as
 * libvirt's "@what: TEXT". */
static int
qemuSnapshotHMP(virDomainObj *obj, const char *cmdline, const char *what)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autoptr(json_object) args = json_object_new_object();
    g_autoptr(json_object) reply = NULL;
    g_autofree char *text = NULL;
    int rc;

    if (!virDomainObjIsActive(obj) || !priv->mon) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    json_object_object_add(args, "command-line", json_object_new_string(cmdline));
    virDomainObjUnlock(obj);
    rc = qemuMonitorCommand(priv->mon, "human-monitor-command", args,
                            QEMU_SNAPSHOT_TIMEOUT_MS, &reply);
    virDomainObjLock(obj);
    if (rc < 0)
        return -1;
    text = g_strdup(reply && json_object_is_type(reply, json_type_string)
                        ? json_object_get_string(reply)
                        : "");
    g_strstrip(text);
    if (*text) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s: %s", what, text);
        return -1;
    }
    return 0;
}

/* HMP takes the name as one word: refuse what it would split or misread. */
static int
qemuSnapshotCheckHMPName(const char *name)
{
    for (const char *p = name; *p; p++) {
        if (g_ascii_isspace(*p) || *p == '"' || *p == '\\') {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "snapshot name '%s' cannot be passed to QEMU's monitor", name);
            return -1;
        }
    }
    return 0;
}

virDomainDiskDef *
qemuSnapshotDomainDisk(const virDomainDef *dom, const char *target)
{
    for (size_t i = 0; i < dom->ndisks; i++)
        if (g_str_equal(dom->disks[i]->dst, target))
            return dom->disks[i];
    return NULL;
}

/* qemu-img snapshot @op (-c, -a, -d) @name on every internal disk of
 * @def's domain definition @dom. On a failure of -c, the snapshots made on
 * the disks before are deleted again (libvirt does the same). */
static int
qemuSnapshotForEachDisk(const virDomainSnapshotDef *def, const virDomainDef *dom,
                        const char *op)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *disk;

        if (def->disks[i].snapshot != VIR_DOMAIN_SNAPSHOT_LOCATION_INTERNAL)
            continue;
        if (!(disk = qemuSnapshotDomainDisk(dom, def->disks[i].name)) || !disk->src)
            continue;
        if (qemuSnapshotQemuImg((const char *const[]){ "snapshot", op, def->name, "-q",
                                                       disk->src, NULL }) < 0) {
            if (g_str_equal(op, "-c")) {
                for (size_t j = 0; j < i; j++) {
                    const virDomainDiskDef *prev;

                    if (def->disks[j].snapshot != VIR_DOMAIN_SNAPSHOT_LOCATION_INTERNAL ||
                        !(prev = qemuSnapshotDomainDisk(dom, def->disks[j].name)) ||
                        !prev->src)
                        continue;
                    virErrorPtr saved = NULL;

                    virErrorPreserveLast(&saved);
                    qemuSnapshotQemuImg((const char *const[]){
                        "snapshot", "-d", def->name, "-q", prev->src, NULL });
                    virErrorRestore(&saved);
                }
            }
            return -1;
        }
    }
    return 0;
}

/* libvirt's errors for a guest whose agent is not connected / not
 * configured: QUIESCE of an internal snapshot (external ones freeze
 * through the agent, qemu_snapshot_external.c). */
int
qemuSnapshotPause(virDomainObj *obj, virDomainPausedReason reason)
{
    virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, reason);
    qemuDomainPriv(obj)->pausedReason = reason;
    if (qemuProcessMonitorCommand(obj, "stop") < 0) {
        if (virDomainObjIsActive(obj))
            virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
        return -1;
    }
    return 0;
}

void
qemuSnapshotReportNoAgent(const virDomainDef *def)
{
    for (size_t i = 0; i < def->nchannels; i++) {
        const char *name = def->channels[i]->targetName;

        if (name && g_str_equal(name, "org.qemu.guest_agent.0")) {
            virReportError(VIR_ERR_AGENT_UNRESPONSIVE, "%s",
                           "QEMU guest agent is not connected");
            return;
        }
    }
    virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                   "QEMU guest agent is not configured");
}

/* libvirt's qemuSnapshotPrepare checks for the disks of a new snapshot
 * @def of @obj (locked): internal ones must be qcow2; no mixing; what
 * virtkit cannot take (external) refused clearly. */
static int
qemuSnapshotPrepare(virDomainObj *obj, virDomainSnapshotDef *def, unsigned int flags)
{
    bool active = virDomainObjIsActive(obj);
    bool internal = false;
    bool external = false;

    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainSnapshotDiskDef *sd = &def->disks[i];
        const virDomainDiskDef *dd = qemuSnapshotDomainDisk(def->dom, sd->name);

        switch (sd->snapshot) {
        case VIR_DOMAIN_SNAPSHOT_LOCATION_INTERNAL:
            internal = true;
            if (def->state == VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT && active) {
                virReportError(
                    VIR_ERR_CONFIG_UNSUPPORTED,
                    "active qemu domains require external disk snapshots; disk "
                    "%s requested internal",
                    sd->name);
                return -1;
            }
            if (dd && dd->src && dd->format != VIR_STORAGE_FORMAT_QCOW2) {
                virReportError(
                    VIR_ERR_CONFIG_UNSUPPORTED,
                    "internal snapshot for disk %s unsupported for storage type "
                    "%s",
                    sd->name, "raw");
                return -1;
            }
            break;
        case VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL:
            external = true;
            break;
        default:
            break;
        }
    }
    if (def->memory == VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
        external = true;
    if (internal && external) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "mixing internal and external targets for a snapshot is not yet "
                       "supported");
        return -1;
    }
    if (external)
        return qemuSnapshotPrepareExternal(obj, def, flags);
    if (!internal) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "nothing selected for snapshot");
        return -1;
    }
    return 0;
}

/* libvirt's qemuSnapshotCreateXMLValidateDef */
static int
qemuSnapshotValidateDef(virDomainObj *obj, virDomainSnapshotDef *def, unsigned int flags)
{
    bool redefine = flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
    int state;

    if (!(flags & VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA)) {
        if (strchr(def->name, '/')) {
            virReportError(VIR_ERR_XML_DETAIL,
                           "invalid snapshot name '%s': name can't contain '/'",
                           def->name);
            return -1;
        }
        if (def->name[0] == '.') {
            virReportError(VIR_ERR_XML_DETAIL,
                           "invalid snapshot name '%s': name can't start with '.'",
                           def->name);
            return -1;
        }
    }
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_LIVE) &&
        (!virDomainObjIsActive(obj) ||
         def->memory != VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "live snapshot creation is supported only during full system "
                       "snapshots");
        return -1;
    }
    state = redefine ? def->state : virDomainObjGetState(obj, NULL);
    if (state == VIR_DOMAIN_SNAPSHOT_PMSUSPENDED) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "qemu doesn't support taking snapshots of PMSUSPENDED guests");
        return -1;
    }
    if (state == VIR_DOMAIN_SNAPSHOT_NOSTATE || state == VIR_DOMAIN_SNAPSHOT_BLOCKED ||
        state >= VIR_DOMAIN_SNAPSHOT_LAST ||
        (state == VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT && !redefine)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Invalid domain state %s",
                       virDomainSnapshotStateToString(state));
        return -1;
    }
    return 0;
}

/* libvirt's redefine checks (virDomainSnapshotRedefinePrep). */
static int
qemuSnapshotRedefineCheck(virDomainObj *obj, virDomainSnapshotDef *def,
                          unsigned int flags)
{
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY) &&
        def->state != VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT) {
        virReportErrorFull(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_INVALID_ARG, __func__,
                           "disk-only flag for snapshot %s requires "
                           "disk-snapshot state",
                           def->name);
        return -1;
    }
    return virDomainSnapshotRedefineCheck(obj, def);
}

/* ---- create -------------------------------------------------------------- */

/* Take the internal snapshot @def of @obj (locked, MODIFY job, defs set).
 * A running guest is paused meanwhile and resumed after (or stopped with
 * HALT: *halted set, the STOPPED event queued). */
static int
qemuSnapshotTakeInternal(qemuDriver *driver, virDomainObj *obj, virDomainSnapshotDef *def,
                         unsigned int flags, bool *halted)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autofree char *cmd = NULL;
    bool resume = false;
    int rc;

    if (!virDomainObjIsActive(obj))
        return qemuSnapshotForEachDisk(def, obj->def, "-c");

    if (qemuSnapshotCheckHMPName(def->name) < 0)
        return -1;
    if (obj->state == VIR_DOMAIN_RUNNING) {
        if (qemuSnapshotPause(obj, VIR_DOMAIN_PAUSED_SNAPSHOT) < 0)
            return -1;
        resume = true;
    }
    cmd = g_strdup_printf("savevm \"%s\"", def->name);
    rc = qemuSnapshotHMP(obj, cmd, "Failed to take snapshot");

    if (rc == 0 && (flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT) &&
        virDomainObjIsActive(obj)) {
        qemuProcessStop(driver, obj, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
        qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_STOPPED,
                                 VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
        *halted = true;
        return 0;
    }
    if (resume && virDomainObjIsActive(obj)) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
        priv->runningReason = VIR_DOMAIN_RUNNING_UNPAUSED;
        if (qemuProcessMonitorCommand(obj, "cont") < 0 && virDomainObjIsActive(obj)) {
            virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_SNAPSHOT);
            qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_SUSPENDED,
                                     VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
            rc = -1;
        }
        if (saved)
            virErrorRestore(&saved);
    }
    return rc;
}

virDomainSnapshotPtr
qemuDomainSnapshotCreateXML(virDomainPtr dom, const char *xml, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(dom->conn);
    g_autoptr(virDomainSnapshotDef) def = NULL;
    g_autofree char *name = NULL;
    virDomainSnapshotObjList *list;
    virDomainObj *obj;
    virDomainSnapshotPtr ret = NULL;
    bool redefine = flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
    bool halted = false;
    unsigned int parseFlags = 0;

    virCheckFlags(
        VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE | VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT |
            VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA | VIR_DOMAIN_SNAPSHOT_CREATE_HALT |
            VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY | VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT |
            VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE | VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC |
            VIR_DOMAIN_SNAPSHOT_CREATE_LIVE | VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE,
        NULL);

    /* libvirt's VIR_REQUIRE_FLAG_RET / VIR_EXCLUSIVE_FLAGS_RET */
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE) &&
        !(flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY)) {
        virSetErrorRaw(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, VIR_ERR_ERROR,
                       "Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY' is required by flag "
                       "'VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE'",
                       __func__, "flags", NULL, 0, -1);
        return NULL;
    }
    if (redefine && (flags & VIR_DOMAIN_SNAPSHOT_CREATE_LIVE)) {
        virSetErrorRaw(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, VIR_ERR_ERROR,
                       "Flags 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' and "
                       "'VIR_DOMAIN_SNAPSHOT_CREATE_LIVE' are mutually exclusive",
                       __func__, "flags", NULL, 0, -1);
        return NULL;
    }

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return NULL;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (virDomainObjParsePending(obj) < 0)
        goto endjob;
    list = qemuSnapshotList(obj);
    if (!obj->persistent && (flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "cannot halt after transient domain snapshot");
        goto endjob;
    }
    if (redefine)
        parseFlags |= VIR_DOMAIN_SNAPSHOT_PARSE_REDEFINE;
    if (!virDomainObjIsActive(obj) || (flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY))
        parseFlags |= VIR_DOMAIN_SNAPSHOT_PARSE_OFFLINE;
    if (!(def = virDomainSnapshotDefParseString(xml, parseFlags, NULL)))
        goto endjob;
    if (qemuSnapshotValidateDef(obj, def, flags) < 0)
        goto endjob;

    if (redefine) {
        virDomainSnapshotDef *other;

        if (qemuSnapshotRedefineCheck(obj, def, flags) < 0)
            goto endjob;
        other = virDomainSnapshotObjListFind(list, def->name);
        if (other && !def->dom && other->dom)
            def->dom = virDomainDefCopy(other->dom);
        name = g_strdup(def->name);
        if (other) {
            virDomainSnapshotObjListReplace(list, &def);
        } else if (virDomainSnapshotObjListAdd(list, &def) < 0) {
            goto endjob;
        }
        if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT)
            virDomainSnapshotObjListSetCurrent(list, name);
        if (qemuSnapshotWriteAll(driver, obj) < 0)
            goto endjob;
        ret = virGetDomainSnapshot(dom, name);
        goto endjob;
    }

    if (virDomainSnapshotObjListFind(list, def->name)) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED, __func__,
                           "domain moment %s already exists", def->name);
        goto endjob;
    }
    def->dom = virDomainDefCopy(obj->def);
    if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY)
        def->state = VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT;
    else
        def->state = virDomainObjGetState(obj, NULL);
    if (def->memory == VIR_DOMAIN_SNAPSHOT_LOCATION_DEFAULT)
        def->memory = (def->state == VIR_DOMAIN_SNAPSHOT_SHUTOFF ||
                       def->state == VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT)
                          ? VIR_DOMAIN_SNAPSHOT_LOCATION_NO
                          : VIR_DOMAIN_SNAPSHOT_LOCATION_INTERNAL;
    if (def->state == VIR_DOMAIN_SNAPSHOT_DISK_SNAPSHOT &&
        def->memory != VIR_DOMAIN_SNAPSHOT_LOCATION_NO) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "memory state cannot be saved with offline or disk-only snapshot");
        goto endjob;
    }
    if (virDomainSnapshotAlignDisks(def, NULL,
                                    (flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY) ||
                                            def->memory ==
                                                VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL
                                        ? VIR_DOMAIN_SNAPSHOT_LOCATION_EXTERNAL
                                        : VIR_DOMAIN_SNAPSHOT_LOCATION_INTERNAL,
                                    true) < 0 ||
        qemuSnapshotPrepare(obj, def, flags) < 0)
        goto endjob;
    if (virDomainSnapshotDefIsExternal(def)) {
        if (qemuSnapshotTakeExternal(driver, obj, def, flags, &halted) < 0)
            goto endjob;
    } else {
        if (virDomainObjIsActive(obj) && qemuSnapshotCheckHMPName(def->name) < 0)
            goto endjob;
        /* QUIESCE (with DISK_ONLY) quiesces external snapshots only */
        if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE) && virDomainObjIsActive(obj)) {
            qemuSnapshotReportNoAgent(obj->def);
            goto endjob;
        }
        if (qemuSnapshotTakeInternal(driver, obj, def, flags, &halted) < 0)
            goto endjob;
    }
    name = g_strdup(def->name);
    if (!(flags & VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA)) {
        def->parent_name = g_strdup(virDomainSnapshotObjListGetCurrent(list));
        if (virDomainSnapshotObjListAdd(list, &def) < 0)
            goto endjob;
        virDomainSnapshotObjListSetCurrent(list, name);
        /* the snapshot exists in the images: a metadata write failure is
         * reported, the snapshot stays listed for this daemon's life */
        if (qemuSnapshotWriteAll(driver, obj) < 0)
            goto endjob;
    }
    ret = virGetDomainSnapshot(dom, name);

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
    if (halted) {
        dom->id = -1;
        qemuDomainRemoveInactive(driver, obj);
    }
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- queries: the shared ones of snapshot_obj.c --------------------------- */

/* qemuDomainSnapshotGetXMLDesc ... qemuDomainSnapshotHasMetadata: the
 * shared queries of snapshot_obj.c */
VIR_DOMAIN_SNAPSHOT_QUERY_ENTRY_POINTS(qemu, &qemuSnapOps)

/* ---- revert -------------------------------------------------------------- */

/* Make @def's domain definition the persistent one of @obj (inactive). */
static int
qemuSnapshotRestoreDef(qemuDriver *driver, virDomainObj *obj,
                       const virDomainSnapshotDef *def)
{
    g_autoptr(virDomainDef) copy = virDomainDefCopy(def->dom);

    copy->id = -1;
    if (obj->persistent &&
        qemuDomainSaveConfig(driver, copy, qemuDomainPriv(obj)->graceOverrideSec) < 0)
        return -1;
    virDomainDefFree(obj->def);
    obj->def = g_steal_pointer(&copy);
    g_clear_pointer(&obj->newDef, virDomainDefFree);
    return 0;
}

/* Revert @obj (locked, MODIFY job) to the running or paused snapshot @def. */
static int
qemuSnapshotRevertActive(qemuDriver *driver, virDomainObj *obj, virDomainSnapshotDef *def,
                         unsigned int flags, bool *started)
{
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autofree char *cmd = g_strdup_printf("loadvm \"%s\"", def->name);
    bool wasStopped = !virDomainObjIsActive(obj);
    bool wasRunning = obj->state == VIR_DOMAIN_RUNNING;
    bool paused = !(flags & VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING) &&
                  (def->state == VIR_DOMAIN_SNAPSHOT_PAUSED ||
                   (flags & VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED));

    if (qemuSnapshotCheckHMPName(def->name) < 0)
        return -1;
    if (!wasStopped && qemuHotplugRemovalPending(obj)) {
        /* a device removal is still pending in this QEMU (the guest has not
         * released it yet), whose loadvm would then never answer: the
         * snapshot is loaded into a new one */
        qemuProcessStop(driver, obj, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
        qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_STOPPED,
                                 VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
        wasStopped = true;
        wasRunning = false;
    }
    if (wasStopped) {
        if (qemuSnapshotRestoreDef(driver, obj, def) < 0 ||
            qemuProcessStart(driver, obj, VIR_DOMAIN_START_PAUSED) < 0)
            return -1;
        *started = true;
        virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_FROM_SNAPSHOT);
    } else if (wasRunning) {
        if (qemuSnapshotPause(obj, VIR_DOMAIN_PAUSED_FROM_SNAPSHOT) < 0)
            return -1;
        /* libvirt announces the pause at once, in case the load fails */
        qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_SUSPENDED,
                                 VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
    }

    if (qemuSnapshotHMP(obj, cmd, "Failed to load snapshot") < 0) {
        if (wasStopped && virDomainObjIsActive(obj)) {
            virErrorPtr saved = NULL;

            virErrorPreserveLast(&saved);
            qemuProcessStop(driver, obj, VIR_DOMAIN_SHUTOFF_FAILED);
            *started = false;
            virErrorRestore(&saved);
        }
        return -1;
    }
    if (wasStopped)
        qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_STARTED,
                                 VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);

    if (paused) {
        virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_FROM_SNAPSHOT);
        if (wasStopped)
            qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_SUSPENDED,
                                     VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
    } else {
        virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
        priv->runningReason = VIR_DOMAIN_RUNNING_FROM_SNAPSHOT;
        if (qemuProcessMonitorCommand(obj, "cont") < 0) {
            if (virDomainObjIsActive(obj))
                virDomainObjSetState(obj, VIR_DOMAIN_PAUSED,
                                     VIR_DOMAIN_PAUSED_FROM_SNAPSHOT);
            return -1;
        }
        if (!wasStopped)
            qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_RESUMED,
                                     VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT);
    }
    qemuDomainSaveStatusLater(driver, obj);
    return 0;
}

/* Revert @obj (locked, MODIFY job) to the shut off snapshot @def. */
static int
qemuSnapshotRevertInactive(qemuDriver *driver, virDomainObj *obj,
                           virDomainSnapshotDef *def, unsigned int flags, bool *stopped,
                           bool *started)
{
    if (virDomainObjIsActive(obj)) {
        qemuProcessStop(driver, obj, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
        qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_STOPPED,
                                 VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
        *stopped = true;
    }
    if (qemuSnapshotForEachDisk(def, def->dom, "-a") < 0 ||
        qemuSnapshotRestoreDef(driver, obj, def) < 0)
        return -1;
    virDomainObjSetState(obj, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
    if (flags &
        (VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED)) {
        bool paused = flags & VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED;

        if (qemuProcessStart(driver, obj, paused ? VIR_DOMAIN_START_PAUSED : 0) < 0)
            return -1;
        *started = true;
        if (paused)
            virDomainObjSetState(obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_FROM_SNAPSHOT);
        else
            virDomainObjSetState(obj, VIR_DOMAIN_RUNNING,
                                 VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
        qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_STARTED,
                                 VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
        if (paused)
            qemuDriverQueueLifecycle(driver, obj, VIR_DOMAIN_EVENT_SUSPENDED,
                                     VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
        qemuDomainSaveStatusLater(driver, obj);
    }
    return 0;
}

int
qemuDomainRevertToSnapshot(virDomainSnapshotPtr snap, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(snap->domain->conn);
    virDomainSnapshotDef *def;
    virDomainObj *obj;
    bool online;
    bool stopped = false;
    bool started = false;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED |
                      VIR_DOMAIN_SNAPSHOT_REVERT_FORCE |
                      VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM,
                  -1);

    if (!(obj = qemuDomainObjFromDomain(snap->domain)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (!(def = virDomainSnapshotQueryFind(obj, snap->name, VIR_FROM_QEMU)) ||
        virDomainObjParsePending(obj) < 0)
        goto endjob;
    online = def->state == VIR_DOMAIN_SNAPSHOT_RUNNING ||
             def->state == VIR_DOMAIN_SNAPSHOT_PAUSED;
    if (!obj->persistent && !online &&
        !(flags &
          (VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED))) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "transient domain needs to request run or pause to revert to "
                       "inactive snapshot");
        goto endjob;
    }
    if (virDomainSnapshotDefIsExternal(def)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "revert to external snapshot not supported yet");
        goto endjob;
    }
    if (!(flags & VIR_DOMAIN_SNAPSHOT_REVERT_FORCE)) {
        if (!def->dom) {
            virReportError(VIR_ERR_SNAPSHOT_REVERT_RISKY,
                           "snapshot '%s' lacks domain '%s' rollback info", def->name,
                           obj->def->name);
            goto endjob;
        }
        if (virDomainObjIsActive(obj) && !online &&
            (flags &
             (VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED))) {
            virReportError(VIR_ERR_SNAPSHOT_REVERT_RISKY, "%s",
                           "must respawn guest to start inactive snapshot");
            goto endjob;
        }
    }
    if (!def->dom) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "snapshot '%s' lacks domain '%s' rollback info", def->name,
                       obj->def->name);
        goto endjob;
    }

    if (online) {
        if (qemuSnapshotRevertActive(driver, obj, def, flags, &started) < 0)
            goto endjob;
    } else if (qemuSnapshotRevertInactive(driver, obj, def, flags, &stopped, &started) <
               0) {
        goto endjob;
    }
    virDomainSnapshotObjListSetCurrent(obj->snapshots, def->name);
    if (qemuSnapshotWriteAll(driver, obj) < 0)
        goto endjob;
    ret = 0;

endjob:
    snap->domain->id = virDomainObjIsActive(obj) ? obj->def->id : -1;
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
    if (stopped && !started)
        qemuDomainRemoveInactive(driver, obj);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- delete -------------------------------------------------------------- */

/* Remove the data of the internal snapshot @def of @obj (locked, job). */
static int
qemuSnapshotDiscardData(qemuDriver *driver, virDomainObj *obj, virDomainSnapshotDef *def)
{
    if (virDomainSnapshotDefIsExternal(def))
        return qemuSnapshotDiscardExternal(driver, obj, def);
    if (virDomainObjIsActive(obj)) {
        g_autofree char *cmd = NULL;

        if (qemuSnapshotCheckHMPName(def->name) < 0)
            return -1;
        cmd = g_strdup_printf("delvm \"%s\"", def->name);
        return qemuSnapshotHMP(obj, cmd, "Failed to delete snapshot");
    }
    return qemuSnapshotForEachDisk(def, def->dom ? def->dom : obj->def, "-d");
}

/* libvirt 9.0's limits on deleting external snapshots: not with their
 * children (nor their children alone), not when they have children. */
static int
qemuSnapshotDeleteCheckExternal(virDomainSnapshotObjList *list, virDomainSnapshotDef *def,
                                unsigned int flags)
{
    if (flags & (VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                 VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)) {
        g_autoptr(GPtrArray) desc = virDomainSnapshotObjListDescendants(list, def->name);
        bool external = false;
        bool internal = false;

        if (!(flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY))
            g_ptr_array_add(desc, def->name);
        for (guint i = 0; i < desc->len; i++) {
            if (virDomainSnapshotDefIsExternal(
                    virDomainSnapshotObjListFind(list, desc->pdata[i])))
                external = true;
            else
                internal = true;
        }
        if (external && internal) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "deletion of external and internal children disk snapshots "
                           "not supported");
            return -1;
        }
        if (external) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "deletion of external children disk snapshots not supported");
            return -1;
        }
        return 0;
    }
    if (virDomainSnapshotDefIsExternal(def) &&
        virDomainSnapshotObjListNumChildren(list, def->name) > 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "deletion of external disk snapshots with children not supported");
        return -1;
    }
    return 0;
}

int
qemuDomainSnapshotDelete(virDomainSnapshotPtr snap, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(snap->domain->conn);
    virDomainSnapshotDef *def;
    virDomainSnapshotObjList *list;
    virDomainObj *obj;
    g_autofree char *name = NULL;
    g_autofree char *parent = NULL;
    bool metaOnly = flags & VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY;
    int ret = -1;

    virCheckFlags(VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                      VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY |
                      VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY,
                  -1);

    if (!(obj = qemuDomainObjFromDomain(snap->domain)))
        return -1;
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (!(def = virDomainSnapshotQueryFind(obj, snap->name, VIR_FROM_QEMU)) ||
        virDomainObjParsePending(obj) < 0)
        goto endjob;
    list = obj->snapshots;
    name = g_strdup(def->name);
    parent = g_strdup(def->parent_name);
    if (!metaOnly && qemuSnapshotDeleteCheckExternal(list, def, flags) < 0)
        goto endjob;

    if (flags & (VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                 VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)) {
        g_autoptr(GPtrArray) desc = virDomainSnapshotObjListDescendants(list, name);
        g_auto(GStrv) gone = g_new0(char *, desc->len + 1);
        bool hadCurrent = false;

        for (guint i = 0; i < desc->len; i++)
            gone[i] = g_strdup(desc->pdata[i]);
        /* leaves first: a failure leaves a consistent (smaller) tree */
        for (gint i = (gint)desc->len - 1; i >= 0; i--) {
            virDomainSnapshotDef *child = virDomainSnapshotObjListFind(list, gone[i]);

            if (!metaOnly && qemuSnapshotDiscardData(driver, obj, child) < 0)
                goto endjob;
            if (g_strcmp0(virDomainSnapshotObjListGetCurrent(list), gone[i]) == 0)
                hadCurrent = true;
            if (qemuSnapshotRemoveMetadata(driver, obj, gone[i]) < 0)
                goto endjob;
            virDomainSnapshotObjListRemove(list, gone[i]);
        }
        if (hadCurrent && (flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY))
            virDomainSnapshotObjListSetCurrent(list, name);
    }
    if (!(flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)) {
        bool wasCurrent = g_strcmp0(virDomainSnapshotObjListGetCurrent(list), name) == 0;

        if (!metaOnly && qemuSnapshotDiscardData(driver, obj, def) < 0)
            goto endjob;
        if (qemuSnapshotRemoveMetadata(driver, obj, name) < 0)
            goto endjob;
        virDomainSnapshotObjListRemove(list, name);
        if (wasCurrent && parent)
            virDomainSnapshotObjListSetCurrent(list, parent);
    }
    if (qemuSnapshotWriteAll(driver, obj) < 0)
        goto endjob;
    ret = 0;

endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- undefine ------------------------------------------------------------ */

void
qemuSnapshotDiscardAllMetadata(qemuDriver *driver, virDomainObj *obj)
{
    qemuMomentDiscardAll(driver, &qemuSnapshotKind, obj);
}

int
qemuSnapshotCheckUndefine(qemuDriver *driver, virDomainObj *obj, unsigned int flags)
{
    return qemuMomentCheckUndefine(driver, &qemuSnapshotKind, obj,
                                   flags & VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA);
}
