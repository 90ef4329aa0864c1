/* qemu_security.c: hand a guest's files to the QEMU user for a run, and give them back */

/*
 * Threads: any thread (API threads at start, workers at stop, the driver's
 * creator at startup). driver->securityLock is held over every read-modify
 * of the record directory and the chowns it covers; it is never held
 * while waiting on QEMU or on a domain lock.
 */

#define G_LOG_DOMAIN "virtkit.qemu.security"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu_security.h"
#include "qemu_command.h"
#include "qemu_domain.h"
#include "virerror.h"
#include "virfile.h"
#include "virsecurity.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define QEMU_SECURITY_CHAIN_MAX 32
#define QEMU_SECURITY_RECORD_MAX (4 * 1024 * 1024)
#define QEMU_SECURITY_RECORD_HEADER \
    "# virtkit ownership record: uid gid mode run-uid run-gid path\n"

/* ---- qcow2 backing chains ------------------------------------------ */

static guint32
qemuSecurityBE32(const unsigned char *p)
{
    return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

static guint64
qemuSecurityBE64(const unsigned char *p)
{
    return ((guint64)qemuSecurityBE32(p) << 32) | qemuSecurityBE32(p + 4);
}

static bool
qemuSecurityReadAt(int fd, void *buf, size_t len, off_t off)
{
    ssize_t got = pread(fd, buf, len, off);

    return got >= 0 && (size_t)got == len;
}

static bool
qemuSecurityIsQcow2(const char *path)
{
    unsigned char magic[4];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    bool ret;

    if (fd < 0)
        return false;
    ret = qemuSecurityReadAt(fd, magic, 4, 0) && memcmp(magic, "QFI\xfb", 4) == 0;
    close(fd);
    return ret;
}

/* The backing file named by the qcow2 image @path (resolved against its
 * directory) and whether it is qcow2 itself; NULL when there is none. */
static char *
qemuSecurityQcow2Backing(const char *path, bool *backingQcow2)
{
    unsigned char hdr[104];
    g_autofree char *name = NULL;
    g_autofree char *fmt = NULL;
    g_autofree char *dir = NULL;
    guint32 version;
    guint64 off;
    guint32 size;
    guint64 ext;
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return NULL;
    if (!qemuSecurityReadAt(fd, hdr, 72, 0) || memcmp(hdr, "QFI\xfb", 4) != 0)
        goto done;
    version = qemuSecurityBE32(hdr + 4);
    off = qemuSecurityBE64(hdr + 8);
    size = qemuSecurityBE32(hdr + 16);
    if (off == 0 || size == 0 || size > 1023)
        goto done;
    name = g_malloc0(size + 1);
    if (!qemuSecurityReadAt(fd, name, size, (off_t)off))
        g_clear_pointer(&name, g_free);
    if (!name || strlen(name) != size)
        goto done;
    /* header extensions: the backing format (0xE2792ACA) */
    ext = 72;
    if (version >= 3 && qemuSecurityReadAt(fd, hdr + 72, 32, 72))
        ext = qemuSecurityBE32(hdr + 100);
    for (int i = 0; i < 64 && ext < 65536; i++) {
        unsigned char eh[8];
        guint32 type;
        guint32 len;

        if (!qemuSecurityReadAt(fd, eh, 8, (off_t)ext))
            break;
        type = qemuSecurityBE32(eh);
        len = qemuSecurityBE32(eh + 4);
        if (type == 0 || len > 65536)
            break;
        if (type == 0xE2792ACA && len < 64) {
            fmt = g_malloc0(len + 1);
            if (!qemuSecurityReadAt(fd, fmt, len, (off_t)ext + 8))
                g_clear_pointer(&fmt, g_free);
            break;
        }
        ext += 8 + ((len + 7) & ~7u);
    }

done:
    close(fd);
    if (!name)
        return NULL;
    if (strchr(name, ':') && !g_path_is_absolute(name)) {
        /* "json:{...}", "nbd://..."... not a local file we could hand over */
        g_debug("backing '%s' of '%s' is not a local file", name, path);
        return NULL;
    }
    if (!g_path_is_absolute(name)) {
        char *abs;

        dir = g_path_get_dirname(path);
        abs = g_build_filename(dir, name, NULL);
        g_free(name);
        name = abs;
    }
    *backingQcow2 = fmt ? g_str_equal(fmt, "qcow2") : qemuSecurityIsQcow2(name);
    return g_steal_pointer(&name);
}

bool
qemuSecurityQcow2HasNoBacking(const char *path)
{
    unsigned char hdr[20];
    bool ret;
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return false;
    ret = qemuSecurityReadAt(fd, hdr, sizeof(hdr), 0) && memcmp(hdr, "QFI\xfb", 4) == 0 &&
          (qemuSecurityBE64(hdr + 8) == 0 || qemuSecurityBE32(hdr + 16) == 0);
    close(fd);
    return ret;
}

GPtrArray *
qemuSecurityBackingChain(const char *path, int format)
{
    return qemuSecurityBackingChainFormats(path, format, NULL);
}

GPtrArray *
qemuSecurityBackingChainFormats(const char *path, int format, GArray **formats)
{
    GPtrArray *chain = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GArray) fmts = g_array_new(FALSE, FALSE, sizeof(int));
    g_autoptr(GHashTable) seen =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autofree char *cur = g_strdup(path);
    bool qcow2 = format == VIR_STORAGE_FORMAT_QCOW2;

    g_hash_table_add(seen, realpath(path, NULL) ?: g_strdup(path));
    while (qcow2 && chain->len < QEMU_SECURITY_CHAIN_MAX) {
        bool nextQcow2 = false;
        g_autofree char *next = qemuSecurityQcow2Backing(cur, &nextQcow2);
        g_autofree char *real = NULL;

        if (!next)
            break;
        real = realpath(next, NULL);
        if (g_hash_table_contains(seen, real ? real : next))
            break;
        g_hash_table_add(seen, g_strdup(real ? real : next));
        g_ptr_array_add(chain, g_strdup(next));
        {
            int f = nextQcow2 ? VIR_STORAGE_FORMAT_QCOW2 : VIR_STORAGE_FORMAT_RAW;

            g_array_append_val(fmts, f);
        }
        g_free(cur);
        cur = g_steal_pointer(&next);
        qcow2 = nextQcow2;
    }
    if (formats)
        *formats = g_steal_pointer(&fmts);
    return chain;
}

/* ---- records -------------------------------------------------------- */

typedef struct {
    char *path; /* real path */
    uid_t uid;  /* the original owner */
    gid_t gid;
    mode_t mode;
    uid_t runUid; /* what it was handed to */
    gid_t runGid;
    bool carried; /* an update: handed over already, in the record */
} qemuSecurityEntry;

static void
qemuSecurityEntryFree(gpointer data)
{
    qemuSecurityEntry *e = data;

    g_free(e->path);
    g_free(e);
}

static char *
qemuSecurityRecordDir(qemuDriver *driver)
{
    return g_build_filename(driver->libDir, "owners", NULL);
}

static char *
qemuSecurityRecordPath(qemuDriver *driver, const unsigned char *uuid)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    g_autofree char *dir = qemuSecurityRecordDir(driver);

    return g_build_filename(dir, virUUIDFormat(uuid, uuidstr), NULL);
}

/* Entries of the record at @path; NULL when there is none (or it is
 * unreadable: logged). */
static GPtrArray *
qemuSecurityRecordRead(const char *path)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    GPtrArray *entries;

    if (!g_file_test(path, G_FILE_TEST_EXISTS))
        return NULL;
    if (virFileReadAll(path, QEMU_SECURITY_RECORD_MAX, &text) < 0) {
        VIR_NOTICE("cannot read ownership record '%s': %s", path,
                   virGetLastErrorMessage());
        virResetLastError();
        return NULL;
    }
    entries = g_ptr_array_new_with_free_func(qemuSecurityEntryFree);
    lines = g_strsplit(text, "\n", -1);
    /* the text after the last newline is an append a crash cut short
     * (qemuSecurityRecordAppend): its chown never happened */
    if (lines[0]) {
        size_t last = g_strv_length(lines) - 1;

        g_free(lines[last]);
        lines[last] = NULL;
    }
    for (size_t i = 0; lines[i]; i++) {
        unsigned int uid, gid, mode, ruid, rgid;
        int n = 0;
        qemuSecurityEntry *e;

        if (!lines[i][0] || lines[i][0] == '#')
            continue;
        if (sscanf(lines[i], "%u %u %o %u %u %n", &uid, &gid, &mode, &ruid, &rgid, &n) !=
                5 ||
            n == 0 || !lines[i][n]) {
            VIR_NOTICE("ownership record '%s': line %zu is not understood", path, i + 1);
            continue;
        }
        e = g_new0(qemuSecurityEntry, 1);
        e->path = g_strcompress(lines[i] + n);
        e->uid = uid;
        e->gid = gid;
        e->mode = mode;
        e->runUid = ruid;
        e->runGid = rgid;
        g_ptr_array_add(entries, e);
    }
    return entries;
}

static void
qemuSecurityRecordLine(GString *text, const qemuSecurityEntry *e)
{
    g_autofree char *esc = g_strescape(e->path, NULL);

    g_string_append_printf(text, "%u %u %o %u %u %s\n", (unsigned int)e->uid,
                           (unsigned int)e->gid, (unsigned int)e->mode,
                           (unsigned int)e->runUid, (unsigned int)e->runGid, esc);
}

static int
qemuSecurityRecordWrite(const char *path, GPtrArray *entries)
{
    g_autoptr(GString) text = g_string_new(QEMU_SECURITY_RECORD_HEADER);

    for (guint i = 0; i < entries->len; i++)
        qemuSecurityRecordLine(text, g_ptr_array_index(entries, i));
    return virFileWriteAtomic(path, text->str, text->len, 0600);
}

/* True when no entry of @entries that is not carried over names a path
 * of @mine (the record as read): then the record with them appended holds
 * what a rewrite would. */
static bool
qemuSecurityOnlyAdded(GPtrArray *entries, GPtrArray *mine)
{
    for (guint i = 0; i < entries->len; i++) {
        const qemuSecurityEntry *e = g_ptr_array_index(entries, i);

        if (e->carried)
            continue;
        for (guint k = 0; k < mine->len; k++) {
            if (g_str_equal(((qemuSecurityEntry *)g_ptr_array_index(mine, k))->path,
                            e->path))
                return false;
        }
    }
    return true;
}

/* The entries of @entries not carried over, appended to the record at
 * @path and on disk before this returns (one fdatasync, where the atomic
 * rewrite costs two syncs and a rename: a disk hot-plugged on a busy host
 * waited 8-20 ms for those before its chown). Only for a record that holds
 * every carried entry already and ends with a whole line. A crash during
 * the append leaves a last line without its newline, which
 * qemuSecurityRecordRead drops (its chown had not happened). 0, or -1 with
 * nothing reported (the caller rewrites the record instead). */
static int
qemuSecurityRecordAppend(const char *path, GPtrArray *entries)
{
    g_autoptr(GString) text = g_string_new(NULL);
    struct stat sb;
    char last = 0;
    size_t done = 0;
    int fd;
    int ret = -1;

    for (guint i = 0; i < entries->len; i++) {
        const qemuSecurityEntry *e = g_ptr_array_index(entries, i);

        if (!e->carried)
            qemuSecurityRecordLine(text, e);
    }
    if ((fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC)) < 0)
        return -1;
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
        pread(fd, &last, 1, sb.st_size - 1) != 1 || last != '\n')
        goto cleanup;
    while (done < text->len) {
        ssize_t n = write(fd, text->str + done, text->len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            goto cleanup;
        done += (size_t)n;
    }
    if (fdatasync(fd) == 0)
        ret = 0;

cleanup:
    close(fd);
    return ret;
}

/* path -> qemuSecurityEntry * (borrowed from @keep) of every record other
 * than @exceptUuid's. securityLock held. */
static GHashTable *
qemuSecurityHeldByOthers(qemuDriver *driver, const char *exceptName, GPtrArray *keep)
{
    GHashTable *held = g_hash_table_new(g_str_hash, g_str_equal);
    g_autofree char *dir = qemuSecurityRecordDir(driver);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *ent;

    while (d && (ent = g_dir_read_name(d))) {
        g_autofree char *path = NULL;
        GPtrArray *entries;

        if (g_str_equal(ent, exceptName) || ent[0] == '.' || strchr(ent, '.'))
            continue; /* ours, or a temporary file of an atomic write */
        path = g_build_filename(dir, ent, NULL);
        if (!(entries = qemuSecurityRecordRead(path)))
            continue;
        g_ptr_array_add(keep, entries);
        for (guint i = 0; i < entries->len; i++) {
            qemuSecurityEntry *e = g_ptr_array_index(entries, i);

            g_hash_table_insert(held, e->path, e);
        }
    }
    return held;
}

/* Give @e back to its owner if it is still what we made it. */
static void
qemuSecurityGiveBack(const qemuSecurityEntry *e)
{
    struct stat sb;

    if (stat(e->path, &sb) < 0) {
        g_debug("cannot give back '%s': %s", e->path, g_strerror(errno));
        return;
    }
    if (sb.st_uid != e->runUid || sb.st_gid != e->runGid) {
        if (sb.st_uid != e->uid || sb.st_gid != e->gid)
            VIR_NOTICE(
                "'%s' is owned by %u:%u, not %u:%u as handed to QEMU: left as it is",
                e->path, (unsigned int)sb.st_uid, (unsigned int)sb.st_gid,
                (unsigned int)e->runUid, (unsigned int)e->runGid);
        return;
    }
    if (chown(e->path, e->uid, e->gid) < 0) {
        VIR_NOTICE("cannot give '%s' back to %u:%u: %s", e->path, (unsigned int)e->uid,
                   (unsigned int)e->gid, g_strerror(errno));
        return;
    }
    /* chown clears set-id bits: the mode recorded comes back whole */
    if (stat(e->path, &sb) == 0 && (sb.st_mode & 07777) != (e->mode & 07777) &&
        chmod(e->path, e->mode & 07777) < 0)
        VIR_NOTICE("cannot restore the mode of '%s': %s", e->path, g_strerror(errno));
    g_debug("gave '%s' back to %u:%u", e->path, (unsigned int)e->uid,
            (unsigned int)e->gid);
}

/* securityLock held. */
static void
qemuSecurityRestoreLocked(qemuDriver *driver, const unsigned char *uuid)
{
    g_autofree char *path = qemuSecurityRecordPath(driver, uuid);
    g_autofree char *name = g_path_get_basename(path);
    g_autoptr(GPtrArray) entries = qemuSecurityRecordRead(path);
    g_autoptr(GPtrArray) keep = NULL;
    g_autoptr(GHashTable) held = NULL;
    int err;

    if (!entries) {
        if (g_file_test(path, G_FILE_TEST_EXISTS) && unlink(path) < 0)
            VIR_NOTICE("cannot remove '%s': %s", path, g_strerror(errno));
        return;
    }
    keep = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    held = qemuSecurityHeldByOthers(driver, name, keep);
    for (guint i = 0; i < entries->len; i++) {
        qemuSecurityEntry *e = g_ptr_array_index(entries, i);

        if (g_hash_table_contains(held, e->path)) {
            g_debug("'%s' stays handed over: another running domain uses it", e->path);
            continue;
        }
        qemuSecurityGiveBack(e);
    }
    if ((err = virFileRemoveDurableQuiet(path)) != 0)
        VIR_NOTICE("cannot remove ownership record '%s': %s", path, g_strerror(err));
}

void
qemuSecurityRestoreDomain(qemuDriver *driver, const unsigned char *uuid)
{
    g_mutex_lock(&driver->securityLock);
    qemuSecurityRestoreLocked(driver, uuid);
    g_mutex_unlock(&driver->securityLock);
}

void
qemuSecurityRestoreStale(qemuDriver *driver)
{
    g_autofree char *dir = qemuSecurityRecordDir(driver);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func(g_free);
    const char *ent;

    while (d && (ent = g_dir_read_name(d))) {
        unsigned char uuid[VIR_UUID_BUFLEN];
        virDomainObj *obj;
        bool running = false;

        if (virUUIDParse(ent, uuid) < 0) {
            if (ent[0] == '.') {
                /* a temporary file left by a crash in an atomic write */
                g_autofree char *tmp = g_build_filename(dir, ent, NULL);

                unlink(tmp);
            }
            continue;
        }
        if ((obj = virDomainObjListFindByUUID(driver->domains, uuid))) {
            running = virDomainObjIsActive(obj);
            virDomainObjEndAPI(&obj);
        }
        if (!running)
            g_ptr_array_add(stale, g_memdup2(uuid, VIR_UUID_BUFLEN));
    }
    for (guint i = 0; i < stale->len; i++) {
        g_debug("giving back the files of a domain that is not running");
        qemuSecurityRestoreDomain(driver, g_ptr_array_index(stale, i));
    }
}

/* ---- prepare --------------------------------------------------------- */

typedef struct {
    char *path;       /* as QEMU will open it */
    const char *what; /* "storage file", "loader", "nvram", "kernel", "initrd" */
    bool write;
} qemuSecurityItem;

static void
qemuSecurityItemFree(gpointer data)
{
    qemuSecurityItem *it = data;

    g_free(it->path);
    g_free(it);
}

static void
qemuSecurityAddItem(GPtrArray *items, const char *path, const char *what, bool write)
{
    qemuSecurityItem *it = g_new0(qemuSecurityItem, 1);

    it->path = g_strdup(path);
    it->what = what;
    it->write = write;
    g_ptr_array_add(items, it);
}

/* True when @path is one of @writable (g_free paths, may be NULL). */
static bool
qemuSecurityIsListed(const GPtrArray *writable, const char *path)
{
    for (guint i = 0; writable && i < writable->len; i++) {
        if (g_str_equal(g_ptr_array_index(writable, i), path))
            return true;
    }
    return false;
}

/* Every file QEMU opens by name for @def; the backing images in
 * @writable (a domain's writableImages, may be NULL) for writing, and its
 * other entries (a backup's targets) too. */
static GPtrArray *
qemuSecurityCollect(const virDomainDef *def, const GPtrArray *writable)
{
    GPtrArray *items = g_ptr_array_new_with_free_func(qemuSecurityItemFree);

    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *disk = def->disks[i];
        g_autoptr(GPtrArray) chain = NULL;
        bool ro = disk->readonly || disk->device == VIR_DOMAIN_DISK_DEVICE_CDROM;

        if (!disk->src)
            continue;
        qemuSecurityAddItem(items, disk->src, "storage file", !ro);
        /* the images below it QEMU opens: a given chain's local layers,
         * then the qcow2 chain the headers name */
        {
            bool terminated;
            g_autoptr(GPtrArray) layers = qemuDiskLayers(disk, &terminated);

            chain = g_ptr_array_new_with_free_func(g_free);
            for (guint j = 0; j < layers->len; j++) {
                const qemuDiskLayer *l = g_ptr_array_index(layers, j);

                if (l->type != VIR_DOMAIN_DISK_TYPE_NETWORK && l->path)
                    g_ptr_array_add(chain, g_strdup(l->path));
            }
        }
        for (guint j = 0; j < chain->len; j++)
            qemuSecurityAddItem(
                items, g_ptr_array_index(chain, j), "storage file",
                (disk->mirrorSrc &&
                 g_str_equal(disk->mirrorSrc, g_ptr_array_index(chain, j))) ||
                    qemuSecurityIsListed(writable, g_ptr_array_index(chain, j)));
        /* a block copy's destination */
        if (disk->mirrorJob == VIR_DOMAIN_BLOCK_JOB_TYPE_COPY && disk->mirrorSrc)
            qemuSecurityAddItem(items, disk->mirrorSrc, "storage file", true);
    }
    /* the rest of @writable: images no disk names (a backup's targets) */
    for (guint i = 0; writable && i < writable->len; i++) {
        const char *path = g_ptr_array_index(writable, i);
        bool listed = false;

        for (guint j = 0; j < items->len && !listed; j++)
            listed = g_str_equal(((qemuSecurityItem *)g_ptr_array_index(items, j))->path,
                                 path);
        if (!listed)
            qemuSecurityAddItem(items, path, "storage file", true);
    }
    if (def->os.loader)
        qemuSecurityAddItem(items, def->os.loader, "loader",
                            def->os.loaderType == VIR_DOMAIN_LOADER_TYPE_PFLASH &&
                                def->os.loaderReadonly != VIR_DOMAIN_TRISTATE_ON);
    if (def->os.nvram && def->os.loaderType == VIR_DOMAIN_LOADER_TYPE_PFLASH)
        qemuSecurityAddItem(items, def->os.nvram, "nvram", true);
    if (def->os.kernel)
        qemuSecurityAddItem(items, def->os.kernel, "kernel", false);
    /* an egl-headless display's render node, opened read-write by QEMU */
    for (size_t i = 0; i < def->ngraphics; i++) {
        if (def->graphics[i]->rendernode)
            qemuSecurityAddItem(items, def->graphics[i]->rendernode, "render node", true);
    }
    if (def->os.initrd)
        qemuSecurityAddItem(items, def->os.initrd, "initrd", false);
    return items;
}

/* libvirt's words and domain for an image the QEMU user cannot open
 * (virStorageSourceReportBrokenChain: VIR_FROM_STORAGE); the kernel and
 * initrd, which libvirt leaves to QEMU, in the QEMU domain. */
static void
qemuSecurityReportUnreachable(const qemuSecurityItem *it, int err, const char *blocker,
                              unsigned int uid, unsigned int gid)
{
    int domain = g_str_equal(it->what, "storage file") ? VIR_FROM_STORAGE : VIR_FROM_QEMU;

    if (err == EACCES && blocker)
        virReportSystemErrorFull(domain, err, __func__,
                                 "Cannot access %s '%s' (as uid:%u, gid:%u): "
                                 "directory '%s' cannot be searched",
                                 it->what, it->path, uid, gid, blocker);
    else
        virReportSystemErrorFull(domain, err, __func__,
                                 "Cannot access %s '%s' (as uid:%u, gid:%u)", it->what,
                                 it->path, uid, gid);
}

/* Undo chowns made by a failed prepare (securityLock held). */
static void
qemuSecurityUndo(GPtrArray *entries, guint done, GHashTable *held)
{
    for (guint i = 0; i < done; i++) {
        qemuSecurityEntry *e = g_ptr_array_index(entries, i);

        /* (what an update carried over stays the domain's) */
        if (!e->carried && !g_hash_table_contains(held, e->path))
            qemuSecurityGiveBack(e);
    }
}

/* The part of qemuSecurityPrepareDomain under securityLock; for
 * qemuSecurityUpdateDomain (@update), @mine is the domain's record (may be
 * NULL) and @carried (moved into the new record) what of it stays. */
static int
qemuSecurityPrepareLocked(qemuDriver *driver, virDomainObj *obj, GPtrArray *items,
                          bool update, GPtrArray *mine, GPtrArray *carried)
{
    const virSecurityIdentity *id = driver->runAs;
    unsigned int uid = (unsigned int)id->uid;
    unsigned int gid = (unsigned int)id->gid;
    guint n = items->len;
    g_autofree const char **paths = g_new0(const char *, n);
    int err;
    g_autofree int *reach = g_new0(int, n);
    g_autofree char **blocker = g_new0(char *, n);
    g_autofree bool *readable = g_new0(bool, n);
    g_autofree bool *writable = g_new0(bool, n);
    g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(qemuSecurityEntryFree);
    g_autoptr(GPtrArray) keep =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    g_autoptr(GHashTable) held = NULL;
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    g_autofree char *record = qemuSecurityRecordPath(driver, obj->def->uuid);
    g_autofree char *recordName = g_path_get_basename(record);
    g_autofree char *dir = qemuSecurityRecordDir(driver);
    guint nnew = 0;
    bool removed = false;
    int ret = -1;

    if (update) {
        /* what the running domain holds already stays as it is */
        while (carried && carried->len > 0) {
            qemuSecurityEntry *c = g_ptr_array_steal_index(carried, 0);

            g_hash_table_add(seen, c->path);
            g_ptr_array_add(entries, c);
        }
    } else {
        /* a record left by an earlier run of this domain: give that back
         * first */
        qemuSecurityRestoreLocked(driver, obj->def->uuid);
    }
    held = qemuSecurityHeldByOthers(driver, recordName, keep);

    for (guint i = 0; i < n; i++)
        paths[i] = ((qemuSecurityItem *)g_ptr_array_index(items, i))->path;
    if (n > 0 &&
        virSecurityCheckAccessAs(id, paths, n, reach, blocker, readable, writable) < 0)
        goto cleanup;

    /* Every file reachable (nothing is changed yet)... */
    for (guint i = 0; i < n; i++) {
        qemuSecurityItem *it = g_ptr_array_index(items, i);

        if (reach[i] == 0)
            continue;
        qemuSecurityReportUnreachable(it, reach[i], blocker[i], uid, gid);
        goto cleanup;
    }

    /* ... then what must be handed over. */
    for (guint i = 0; i < n; i++) {
        qemuSecurityItem *it = g_ptr_array_index(items, i);
        bool usable = readable[i] && (!it->write || writable[i]);
        qemuSecurityEntry *other;
        qemuSecurityEntry *e;
        g_autofree char *real = NULL;
        struct stat sb;

        if (!driver->dynamicOwnership) {
            if (!usable) {
                qemuSecurityReportUnreachable(it, EACCES, NULL, uid, gid);
                goto cleanup;
            }
            continue;
        }
        if (!(real = realpath(it->path, NULL)) || stat(real, &sb) < 0) {
            virReportSystemError(errno, "Cannot access %s '%s'", it->what, it->path);
            goto cleanup;
        }
        if (g_hash_table_contains(seen, real))
            continue;
        other = g_hash_table_lookup(held, real);
        /* Read-only and readable already: left alone, unless readable only
         * because it is handed over for another domain (then this domain
         * holds it too, or the other's stop would take it away). */
        if (!it->write && readable[i] && !other)
            continue;
        if (!S_ISREG(sb.st_mode) && !S_ISBLK(sb.st_mode)) {
            /* a character device or the like: not ours to chown (a block
             * device is handed over and back as libvirt's DAC driver does) */
            if (!usable) {
                qemuSecurityReportUnreachable(it, EACCES, NULL, uid, gid);
                goto cleanup;
            }
            continue;
        }
        e = g_new0(qemuSecurityEntry, 1);
        e->path = g_steal_pointer(&real);
        /* handed over for another domain already: its true owner is there */
        e->uid = other ? other->uid : sb.st_uid;
        e->gid = other ? other->gid : sb.st_gid;
        e->mode = other ? other->mode : sb.st_mode & 07777;
        e->runUid = id->uid;
        e->runGid = id->gid;
        g_hash_table_add(seen, e->path);
        g_ptr_array_add(entries, e);
        nnew++;
    }
    /* an update: what the record holds that the domain no longer uses
     * goes back first (a crash before the record is rewritten leaves an
     * entry whose file is its owner's again: the restore leaves it) */
    for (guint i = 0; mine && i < mine->len; i++) {
        qemuSecurityEntry *m = g_ptr_array_index(mine, i);

        if (g_hash_table_contains(seen, m->path))
            continue;
        removed = true;
        if (g_hash_table_contains(held, m->path))
            g_debug("'%s' stays handed over: another running domain uses it", m->path);
        else
            qemuSecurityGiveBack(m);
    }
    if (nnew == 0 && !removed) {
        ret = 0;
        goto cleanup;
    }
    if (entries->len == 0) {
        /* an update (the domain runs on) keeps the record, empty: the next
         * disk hot-plugged is appended to it (qemuSecurityRecordAppend);
         * the domain's stop removes it */
        if (update && qemuSecurityRecordWrite(record, entries) < 0) {
            VIR_NOTICE("cannot rewrite ownership record '%s': %s", record,
                       virGetLastErrorMessage());
            virResetLastError();
            if ((err = virFileRemoveDurableQuiet(record)) != 0)
                VIR_NOTICE("cannot remove ownership record '%s': %s", record,
                           g_strerror(err));
        }
        ret = 0;
        goto cleanup;
    }

    /* durable before the first chown: a crash from here on is repaired.
     * What an update only adds (a disk hot-plugged) is appended, with one
     * sync, to the record that holds the rest already. */
    if (virFileMakePath(dir, 0700) < 0)
        goto cleanup;
    if (!(update && !removed && mine && qemuSecurityOnlyAdded(entries, mine) &&
          qemuSecurityRecordAppend(record, entries) == 0) &&
        qemuSecurityRecordWrite(record, entries) < 0)
        goto cleanup;
    for (guint i = 0; i < entries->len; i++) {
        qemuSecurityEntry *e = g_ptr_array_index(entries, i);

        if (e->carried)
            continue;
        if (chown(e->path, e->runUid, e->runGid) < 0) {
            virReportSystemError(errno, "cannot hand '%s' to uid:%u, gid:%u", e->path,
                                 uid, gid);
            qemuSecurityUndo(entries, i, held);
            /* the chown's error is the one to report: this one is only
             * logged (a stale record is restored at the next start); an
             * update keeps the record of what the domain still holds */
            if (nnew < entries->len) {
                g_autoptr(GPtrArray) kept = g_ptr_array_new();

                for (guint k = 0; k < entries->len; k++) {
                    qemuSecurityEntry *c = g_ptr_array_index(entries, k);

                    if (c->carried)
                        g_ptr_array_add(kept, c);
                }
                if (qemuSecurityRecordWrite(record, kept) < 0) {
                    g_debug("cannot rewrite '%s': %s", record, virGetLastErrorMessage());
                    virResetLastError();
                }
            } else if ((err = virFileRemoveDurableQuiet(record)) != 0) {
                g_debug("cannot remove '%s': %s", record, g_strerror(err));
            }
            goto cleanup;
        }
        g_debug("handed '%s' (%u:%u) to %u:%u", e->path, (unsigned int)e->uid,
                (unsigned int)e->gid, uid, gid);
    }
    ret = 0;

cleanup:
    for (guint i = 0; i < n; i++)
        g_free(blocker[i]);
    return ret;
}

int
qemuSecurityPrepareDomain(qemuDriver *driver, virDomainObj *obj)
{
    g_autoptr(GPtrArray) items = NULL;
    int ret;

    if (!driver->runAs)
        return 0;
    items = qemuSecurityCollect(obj->def, qemuDomainPriv(obj)->writableImages);
    if (items->len == 0)
        return 0;
    g_mutex_lock(&driver->securityLock);
    ret = qemuSecurityPrepareLocked(driver, obj, items, false, NULL, NULL);
    g_mutex_unlock(&driver->securityLock);
    return ret;
}

int
qemuSecurityUpdateDomain(qemuDriver *driver, virDomainObj *obj)
{
    g_autoptr(GPtrArray) items = NULL;
    int ret;

    if (!driver->runAs)
        return 0;
    items = qemuSecurityCollect(obj->def, qemuDomainPriv(obj)->writableImages);
    g_mutex_lock(&driver->securityLock);
    {
        g_autofree char *record = qemuSecurityRecordPath(driver, obj->def->uuid);
        g_autoptr(GPtrArray) mine = qemuSecurityRecordRead(record);
        g_autoptr(GPtrArray) work = g_ptr_array_new();
        g_autoptr(GPtrArray) carried =
            g_ptr_array_new_with_free_func(qemuSecurityEntryFree);

        for (guint i = 0; i < items->len; i++) {
            qemuSecurityItem *it = g_ptr_array_index(items, i);
            g_autofree char *real = NULL;
            const qemuSecurityEntry *m = NULL;
            struct stat sb;

            /* the kernel, initrd and firmware of a running QEMU were
             * opened at its start: only its disks change */
            if (!g_str_equal(it->what, "storage file"))
                continue;
            real = realpath(it->path, NULL);
            for (guint k = 0; real && mine && k < mine->len && !m; k++) {
                const qemuSecurityEntry *c = g_ptr_array_index(mine, k);

                if (g_str_equal(c->path, real))
                    m = c;
            }
            if (m && stat(real, &sb) == 0 && sb.st_uid == m->runUid &&
                sb.st_gid == m->runGid) {
                /* handed over for this run already: no check, no chown */
                qemuSecurityEntry *c = g_memdup2(m, sizeof(*c));
                bool dup = false;

                for (guint k = 0; k < carried->len; k++)
                    dup |= g_str_equal(
                        ((qemuSecurityEntry *)g_ptr_array_index(carried, k))->path, real);
                if (dup) {
                    g_free(c);
                    continue;
                }
                c->path = g_steal_pointer(&real);
                c->carried = true;
                g_ptr_array_add(carried, c);
                continue;
            }
            g_ptr_array_add(work, it);
        }
        ret = qemuSecurityPrepareLocked(driver, obj, work, true, mine, carried);
    }
    g_mutex_unlock(&driver->securityLock);
    return ret;
}
