/* storage_backend_disk.c: the disk backend: a block device's partition table as a pool, its partitions as volumes (parted) */

#define G_LOG_DOMAIN "virtkit.storage.disk"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage_backend.h"
#include "storage_parted.h"
#include "storage_util.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_STORAGE

#define SECTOR 512ULL

/* libvirt's flag values (the public header is not this layer's) */
#define BUILD_NO_OVERWRITE (1 << 2)
#define BUILD_OVERWRITE (1 << 3)
#define CREATE_PREALLOC_METADATA (1 << 0)
#define CREATE_REFLINK (1 << 1)
#define DELETE_ZEROED (1 << 0)

/*
 * As libvirt's disk backend: the pool's source is one block device whose
 * partition table (parted's msdos = libvirt's "dos", gpt, ...) parted(8)
 * writes and reads; every partition is a volume named after its device
 * node (loop0p1, sda2), at <target path>/<name> (a pool on /dev). New
 * partitions go into the smallest free extent that holds them; on a dos
 * table they end on a cylinder boundary of the BIOS geometry and become
 * logical partitions once four primary/extended ones exist. All the work
 * runs with the pool locked (a partition table has one writer at a time).
 *
 * Unlike libvirt 9.0, a volume name that is not the partition parted will
 * create is refused before anything is written (libvirt creates the
 * partition, then fails and leaves it), and a partition of a device whose
 * name ends in a digit (loop0p1) is deleted by its number (libvirt runs
 * `parted rm p1` there, which fails).
 */

static const char *
devicePath(const virStoragePoolDef *def)
{
    return def->source.devices ? def->source.devices[0] : "";
}

/* parted's name of the pool's label; "unknown" builds as dos (libvirt) */
static const char *
partedLabel(int format)
{
    if (format == VIR_STORAGE_POOL_DISK_DOS || format == VIR_STORAGE_POOL_DISK_UNKNOWN)
        return "msdos";
    return virStoragePoolFormatDiskToString(format);
}

/* libvirt's name of parted's label @label ("msdos" is "dos") */
static const char *
labelName(const char *label)
{
    return strcmp(label, "msdos") == 0 ? "dos" : label;
}

/*
 * The partition table of @dev: 1 with *@table filled, 0 when the device
 * carries no table parted recognises, -1 with the error reported.
 */
static int
readTable(const char *dev, bool geometry, virStoragePartTable **table)
{
    const char *argv[] = { "parted", "-s", dev, "unit", "B", "print", "free", NULL };
    const char *chs[] = { "parted", "-s", dev, "unit", "chs", "print", NULL };
    g_autoptr(virStoragePartTable) t = NULL;
    g_autofree char *out = NULL;
    g_autofree char *cout = NULL;

    if (virStorageRunTool(argv, &out) < 0) {
        virErrorPtr err = virGetLastError();

        if (err && err->message && strstr(err->message, "unrecognised disk label")) {
            virResetLastError();
            return 0;
        }
        return -1;
    }
    if (!(t = virStoragePartTableParse(out))) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "cannot read the partition table of '%s' from parted", dev);
        return -1;
    }
    if (geometry && strcmp(t->label, "msdos") == 0) {
        if (virStorageRunTool(chs, &cout) < 0)
            return -1;
        if (!virStoragePartTableParseGeometry(t, cout)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "Failed to create disk pool geometry");
            return -1;
        }
    }
    *table = g_steal_pointer(&t);
    return 1;
}

static bool
deviceExists(const char *dev, bool report)
{
    if (access(dev, F_OK) == 0)
        return true;
    if (report)
        virReportError(VIR_ERR_INVALID_ARG, "device path '%s' doesn't exist", dev);
    return false;
}

/* The volume name of partition @num of @dev: its device node's name. */
static char *
partitionName(const char *dev, int num)
{
    g_autofree char *base = g_path_get_basename(dev);
    size_t len = strlen(base);

    return g_strdup_printf("%s%s%d", base,
                           len && g_ascii_isdigit(base[len - 1]) ? "p" : "", num);
}

/* Where volume @name shows: <target>/<name> when it is there, else /dev/<name>. */
static char *
partitionPath(const virStoragePoolDef *def, const char *name)
{
    g_autofree char *inTarget = g_build_filename(def->target.path, name, NULL);

    if (strcmp(def->target.path, "/dev") != 0 && access(inTarget, F_OK) == 0)
        return g_steal_pointer(&inTarget);
    return g_strdup_printf("/dev/%s", name);
}

/* Fill @vol (name, path set) from partition @p and its device node. */
static int
fillVol(const virStoragePoolDef *def, virStorageVolDef *vol, const virStoragePart *p)
{
    struct stat sb;
    int fd;

    vol->type = VIR_STORAGE_VOL_TYPE_BLOCK;
    g_free(vol->key);
    vol->key = g_strdup(vol->target.path);
    g_free(vol->extentDevice);
    vol->extentDevice = g_strdup(devicePath(def));
    vol->extent.start = p->start;
    vol->extent.end = p->end;
    vol->partType = p->kind == VIR_STORAGE_PART_LOGICAL    ? 2
                    : p->kind == VIR_STORAGE_PART_EXTENDED ? 3
                                                           : 1;
    vol->target.format = p->kind == VIR_STORAGE_PART_EXTENDED
                             ? VIR_STORAGE_VOL_DISK_EXTENDED
                             : VIR_STORAGE_VOL_DISK_NONE;
    if (stat(vol->target.path, &sb) < 0) {
        virReportSystemError(errno, "cannot stat file '%s'", vol->target.path);
        return -1;
    }
    virStorageVolFillStat(&vol->target, &sb);
    if (p->kind == VIR_STORAGE_PART_EXTENDED) {
        /* its node covers only the table's link: the extent is its size */
        vol->capacity = p->end - p->start;
        vol->allocation = 0;
        vol->physical = vol->capacity;
        return 0;
    }
    if ((fd = open(vol->target.path, O_RDONLY | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "cannot open volume '%s'", vol->target.path);
        return -1;
    }
    if (ioctl(fd, BLKGETSIZE64, &vol->capacity) < 0) {
        virReportSystemError(errno, "cannot get the size of '%s'", vol->target.path);
        close(fd);
        return -1;
    }
    close(fd);
    vol->allocation = vol->physical = vol->capacity;
    return 0;
}

/*
 * Wait (up to 10 s) until the kernel made the device node of partition
 * @path (devtmpfs creates it when parted tells the kernel the new table),
 * or until it is gone (@present false).
 */
static bool
waitNode(const char *path, bool present)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while ((access(path, F_OK) == 0) != present) {
        if (g_get_monotonic_time() > deadline)
            return false;
        g_usleep(10 * 1000);
    }
    return true;
}

/* The free extents of a table as libvirt reports them: on a dos table
 * only whole cylinders count (the rest is the table's), the first sector
 * is never free; those inside the extended partition are logical space. */
typedef struct {
    virStorageExtent ext;
    bool logical;
} freeExtent;

static GArray *
freeExtents(const virStoragePartTable *t, unsigned long long *limit)
{
    GArray *free = g_array_new(FALSE, TRUE, sizeof(freeExtent));
    const virStoragePart *ext = NULL;

    *limit = t->size;
    if (t->cylinders)
        *limit = MIN(t->size,
                     (unsigned long long)t->cylinders * t->heads * t->sectors * SECTOR);
    for (guint i = 0; i < t->parts->len; i++) {
        const virStoragePart *p = &g_array_index(t->parts, virStoragePart, i);

        if (p->kind == VIR_STORAGE_PART_EXTENDED)
            ext = p;
    }
    for (guint i = 0; i < t->parts->len; i++) {
        const virStoragePart *p = &g_array_index(t->parts, virStoragePart, i);
        freeExtent f = { { p->start, MIN(p->end, *limit) }, false };

        if (p->kind != VIR_STORAGE_PART_FREE)
            continue;
        if (f.ext.start == 0)
            f.ext.start = SECTOR;
        if (t->cylinders && f.ext.start < (unsigned long long)t->sectors * SECTOR)
            f.ext.start = (unsigned long long)t->sectors * SECTOR;
        if (f.ext.end <= f.ext.start)
            continue;
        f.logical = ext && f.ext.start >= ext->start && f.ext.end <= ext->end;
        g_array_append_val(free, f);
    }
    return free;
}

/* ---- pool -------------------------------------------------------------- */

static bool
diskCheck(virStoragePoolObj *obj)
{
    return deviceExists(devicePath(obj->def), false);
}

static int
diskStart(virStoragePoolObj *obj)
{
    const char *dev = devicePath(obj->def);
    g_autoptr(virStoragePartTable) t = NULL;
    int format = obj->def->source.format;
    int rc;

    if (!deviceExists(dev, true))
        return -1;
    if ((rc = readTable(dev, false, &t)) < 0)
        return -1;
    if (rc == 0) {
        virReportError(VIR_ERR_STORAGE_PROBE_FAILED,
                       "Device '%s' is unrecognized, requires build", dev);
        return -1;
    }
    if (format != VIR_STORAGE_POOL_DISK_UNKNOWN &&
        strcmp(t->label, partedLabel(format)) != 0) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "Format of device '%s' does not match the expected format '%s'",
                       dev, virStoragePoolFormatDiskToString(format));
        return -1;
    }
    return 0;
}

static int
diskBuild(virStoragePoolObj *obj, unsigned int flags)
{
    const char *dev = devicePath(obj->def);
    g_autoptr(virStoragePartTable) t = NULL;
    int format = obj->def->source.format;
    int rc;

    virCheckFlags(BUILD_OVERWRITE | BUILD_NO_OVERWRITE, -1);
    if ((flags & BUILD_OVERWRITE) && (flags & BUILD_NO_OVERWRITE)) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "Flags 'VIR_STORAGE_POOL_BUILD_OVERWRITE' and "
                       "'VIR_STORAGE_POOL_BUILD_NO_OVERWRITE' are mutually exclusive");
        return -1;
    }
    if (!deviceExists(dev, false)) {
        virReportError(VIR_ERR_STORAGE_PROBE_FAILED,
                       "Failed to create filesystem probe for device %s", dev);
        return -1;
    }
    if (format == VIR_STORAGE_POOL_DISK_UNKNOWN)
        format = obj->def->source.format = VIR_STORAGE_POOL_DISK_DOS;
    if (!(flags & BUILD_OVERWRITE)) {
        if ((rc = readTable(dev, false, &t)) < 0)
            return -1;
        if (rc == 1 && (flags & BUILD_NO_OVERWRITE)) {
            virReportError(VIR_ERR_STORAGE_POOL_BUILT,
                           "Device '%s' already formatted using '%s'", dev,
                           labelName(t->label));
            return -1;
        }
        if (rc == 1 && strcmp(t->label, partedLabel(format)) != 0) {
            virReportError(VIR_ERR_STORAGE_POOL_BUILT,
                           "Format of device '%s' does not match the expected format "
                           "'%s', forced overwrite is necessary",
                           dev, virStoragePoolFormatDiskToString(format));
            return -1;
        }
        if (rc == 1)
            return 0; /* the table asked for is there: kept, as libvirt */
    }
    {
        const char *argv[] = {
            "parted", "-s", dev, "mklabel", partedLabel(format), NULL
        };

        return virStorageRunTool(argv, NULL);
    }
}

static int
diskRefresh(virStoragePoolObj *obj)
{
    virStoragePoolDef *def = obj->def;
    const char *dev = devicePath(def);
    g_autoptr(virStoragePartTable) t = NULL;
    g_autoptr(GPtrArray) vols =
        g_ptr_array_new_with_free_func((GDestroyNotify)virStorageVolDefFree);
    g_autoptr(GArray) free = NULL;
    unsigned long long limit, capacity = 0, allocation = 0, available = 0;
    virStorageVolDef *extended = NULL;
    int rc;

    if (!deviceExists(dev, true))
        return -1;
    if ((rc = readTable(dev, true, &t)) < 0)
        return -1;
    if (rc == 0) {
        virReportError(VIR_ERR_STORAGE_PROBE_FAILED,
                       "Device '%s' is unrecognized, requires build", dev);
        return -1;
    }
    free = freeExtents(t, &limit);
    for (guint i = 0; i < t->parts->len; i++) {
        const virStoragePart *p = &g_array_index(t->parts, virStoragePart, i);
        g_autofree char *name = NULL;
        g_autoptr(virStorageVolDef) vol = NULL;
        virStorageVolDef *old;

        if (p->kind == VIR_STORAGE_PART_FREE)
            continue;
        name = partitionName(dev, p->num);
        /* a volume being built (unlocked) keeps its object */
        old = virStoragePoolObjFindVolByName(obj, name);
        if (old && old->building) {
            guint idx = 0;

            g_ptr_array_find(obj->vols, old, &idx);
            g_ptr_array_add(vols, g_ptr_array_steal_index(obj->vols, idx));
            allocation += old->allocation;
            continue;
        }
        vol = g_new0(virStorageVolDef, 1);
        vol->name = g_steal_pointer(&name);
        vol->target.path = partitionPath(def, vol->name);
        if (!waitNode(vol->target.path, true)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "partition '%s' has no device node",
                           vol->target.path);
            return -1;
        }
        if (fillVol(def, vol, p) < 0)
            return -1;
        if (p->kind == VIR_STORAGE_PART_EXTENDED)
            extended = vol;
        else if (p->kind == VIR_STORAGE_PART_LOGICAL && extended)
            extended->allocation += vol->allocation;
        allocation += vol->allocation;
        capacity = MAX(capacity, p->end);
        g_ptr_array_add(vols, g_steal_pointer(&vol));
    }
    g_free(def->source.freeExtents);
    def->source.freeExtents = g_new0(virStorageExtent, free->len);
    def->source.nfreeExtents = free->len;
    for (guint i = 0; i < free->len; i++) {
        const freeExtent *f = &g_array_index(free, freeExtent, i);

        def->source.freeExtents[i] = f->ext;
        available += f->ext.end - f->ext.start;
        capacity = MAX(capacity, f->ext.end);
    }
    def->capacity = capacity;
    def->allocation = allocation;
    def->available = available;
    g_ptr_array_unref(obj->vols);
    obj->vols = g_steal_pointer(&vols);
    return 0;
}

static int
diskStop(virStoragePoolObj *obj)
{
    g_clear_pointer(&obj->def->source.freeExtents, g_free);
    obj->def->source.nfreeExtents = 0;
    return 0;
}

/* libvirt's pool delete: the partition table is erased (zeros over the
 * first and the last MiB: the gpt backup table sits at the end). */
static int
diskDelete(virStoragePoolObj *obj, unsigned int flags)
{
    const char *dev = devicePath(obj->def);
    g_autofree char *zero = g_malloc0(1 << 20);
    unsigned long long size = 0;
    int fd;
    int ret = -1;

    virCheckFlags(0, -1);
    if ((fd = open(dev, O_WRONLY | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "Failed to open storage volume with path '%s'", dev);
        return -1;
    }
    if (ioctl(fd, BLKGETSIZE64, &size) < 0) {
        struct stat sb;

        if (fstat(fd, &sb) < 0) {
            virReportSystemError(errno, "Failed to stat storage volume with path '%s'",
                                 dev);
            goto out;
        }
        size = sb.st_size;
    }
    for (int i = 0; i < 2; i++) {
        unsigned long long len = MIN(size, 1ULL << 20);
        unsigned long long off = i == 0 ? 0 : size - len;

        if (pwrite(fd, zero, len, off) != (ssize_t)len) {
            virReportSystemError(
                errno, "Failed to write %llu bytes to storage volume with path '%s'", len,
                dev);
            goto out;
        }
    }
    if (fsync(fd) < 0) {
        virReportSystemError(errno, "cannot sync data to file '%s'", dev);
        goto out;
    }
    ioctl(fd, BLKRRPART);
    ret = 0;
out:
    close(fd);
    return ret;
}

/* ---- volumes ----------------------------------------------------------- */

/* The number parted gives the next partition of @kind (the lowest free
 * one; logical partitions count from 5). */
static int
nextNumber(const virStoragePartTable *t, virStoragePartKind kind, bool msdos)
{
    int first = kind == VIR_STORAGE_PART_LOGICAL ? 5 : 1;
    int last = msdos && kind != VIR_STORAGE_PART_LOGICAL ? 4 : 4096;

    for (int n = first; n <= last; n++) {
        bool used = false;

        for (guint i = 0; i < t->parts->len && !used; i++)
            used = g_array_index(t->parts, virStoragePart, i).num == n;
        if (!used)
            return n;
    }
    return -1;
}

/*
 * Make the partition for @vol (name, capacity, format from its XML) with
 * the pool locked: its kind, its place, parted mkpart, its device node.
 * Fills path, key, type. Nothing is written when the name is not the one
 * the partition will get.
 */
static int
diskCreateVol(virStoragePoolObj *obj, virStorageVolDef *vol)
{
    const char *dev = devicePath(obj->def);
    g_autoptr(virStoragePartTable) t = NULL;
    g_autoptr(GArray) free = NULL;
    g_autofree char *expected = NULL;
    g_autofree char *startArg = NULL;
    g_autofree char *endArg = NULL;
    virStoragePartKind kind = VIR_STORAGE_PART_PRIMARY;
    bool msdos, haveExtended = false;
    int primaries = 0, num, best = -1;
    unsigned long long limit, start = 0, end, needed = vol->capacity, cyl = 0;
    int rc;

    /* libvirt's disk backend makes partitions only, never encrypted */
    if (vol->target.encryption) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "storage pool does not support encrypted volumes");
        return -1;
    }

    if (readTable(dev, true, &t) <= 0) {
        if (!virGetLastError())
            virReportError(VIR_ERR_STORAGE_PROBE_FAILED,
                           "Device '%s' is unrecognized, requires build", dev);
        return -1;
    }
    msdos = strcmp(t->label, "msdos") == 0;
    for (guint i = 0; i < t->parts->len; i++) {
        virStoragePartKind k = g_array_index(t->parts, virStoragePart, i).kind;

        if (k == VIR_STORAGE_PART_PRIMARY || k == VIR_STORAGE_PART_EXTENDED)
            primaries++;
        haveExtended |= k == VIR_STORAGE_PART_EXTENDED;
    }
    if (msdos && vol->target.format == VIR_STORAGE_VOL_DISK_EXTENDED) {
        if (haveExtended) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "extended partition already exists");
            return -1;
        }
        kind = VIR_STORAGE_PART_EXTENDED;
    } else if (msdos && primaries >= 4) {
        if (!haveExtended) {
            virReportError(
                VIR_ERR_INTERNAL_ERROR, "%s",
                "no extended partition found and no primary partition available");
            return -1;
        }
        kind = VIR_STORAGE_PART_LOGICAL;
    }
    if ((num = nextNumber(t, kind, msdos)) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no large enough free extent");
        return -1;
    }
    expected = partitionName(dev, num);
    if (strcmp(vol->name, expected) != 0) {
        virReportError(VIR_ERR_INVALID_ARG, "invalid partition name '%s', expected '%s'",
                       vol->name, expected);
        return -1;
    }

    /* the smallest free extent that holds it (libvirt's choice) */
    free = freeExtents(t, &limit);
    if (msdos) {
        cyl = (unsigned long long)t->heads * t->sectors * SECTOR;
        needed = vol->capacity + (cyl - vol->capacity % cyl);
    }
    for (guint i = 0; i < free->len; i++) {
        const freeExtent *f = &g_array_index(free, freeExtent, i);
        unsigned long long size = f->ext.end - f->ext.start;
        const freeExtent *b = best >= 0 ? &g_array_index(free, freeExtent, best) : NULL;

        if (kind == VIR_STORAGE_PART_LOGICAL) {
            if (!f->logical || size < SECTOR)
                continue;
            size -= SECTOR;
        } else if (f->logical) {
            continue;
        }
        if (size > needed && (!b || size < b->ext.end - b->ext.start))
            best = i;
    }
    if (best < 0 || vol->capacity == 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no large enough free extent");
        return -1;
    }
    start = g_array_index(free, freeExtent, best).ext.start;
    if (kind == VIR_STORAGE_PART_LOGICAL)
        start += SECTOR;
    end = start + needed;
    if (msdos)
        end -= start % cyl;
    end -= 1;

    startArg = g_strdup_printf("%lluB", start);
    endArg = g_strdup_printf("%lluB", end);
    {
        static const char *const fsType[] = {
            [VIR_STORAGE_VOL_DISK_NONE] = "ext2",
            [VIR_STORAGE_VOL_DISK_LINUX] = "ext2",
            [VIR_STORAGE_VOL_DISK_FAT16] = "fat16",
            [VIR_STORAGE_VOL_DISK_FAT32] = "fat32",
            [VIR_STORAGE_VOL_DISK_LINUX_SWAP] = "linux-swap",
            [VIR_STORAGE_VOL_DISK_LINUX_LVM] = "ext2",
            [VIR_STORAGE_VOL_DISK_LINUX_RAID] = "ext2",
            [VIR_STORAGE_VOL_DISK_EXTENDED] = NULL,
        };
        const char *argv[9] = { "parted", "-s", dev, "mkpart" };
        int n = 4;

        if (!msdos) {
            argv[n++] = "primary";
        } else if (kind == VIR_STORAGE_PART_EXTENDED) {
            argv[n++] = "extended";
        } else {
            argv[n++] = kind == VIR_STORAGE_PART_LOGICAL ? "logical" : "primary";
            argv[n++] = fsType[vol->target.format];
        }
        argv[n++] = startArg;
        argv[n++] = endArg;
        argv[n] = NULL;
        if (virStorageRunTool(argv, NULL) < 0)
            return -1;
    }
    g_free(vol->target.path);
    vol->target.path = partitionPath(obj->def, vol->name);
    /* the partition parted made must be the one named: else it goes */
    g_clear_pointer(&t, virStoragePartTableFree);
    rc = readTable(dev, false, &t);
    for (guint i = 0; rc > 0 && i < t->parts->len; i++) {
        const virStoragePart *p = &g_array_index(t->parts, virStoragePart, i);

        if (p->num == num && p->start == start) {
            if (!waitNode(vol->target.path, true)) {
                virReportError(VIR_ERR_INTERNAL_ERROR,
                               "partition '%s' has no device node", vol->target.path);
                break;
            }
            return fillVol(obj->def, vol, p);
        }
    }
    if (!virGetLastError())
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "parted did not create partition %d of '%s'", num, dev);
    {
        g_autofree char *numArg = g_strdup_printf("%d", num);
        const char *argv[] = { "parted", "-s", dev, "rm", numArg, NULL };
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        if (rc > 0)
            virStorageRunTool(argv, NULL);
        virErrorRestore(&saved);
    }
    return -1;
}

/* The partition exists (made by createVol); a clone copies @inputvol's
 * guest-visible bytes into it (qemu-img convert to raw, unlocked). */
static int
diskBuildVol(const virStoragePoolDef *pool, virStorageVolDef *vol,
             const virStorageVolDef *inputvol, unsigned int flags)
{
    /* a partition is all allocated: preallocation asks nothing more */
    virCheckFlags(CREATE_PREALLOC_METADATA | CREATE_REFLINK, -1);
    if (!inputvol)
        return 0;
    if (inputvol->capacity > vol->capacity) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "input volume '%s' is larger than the partition '%s'",
                       inputvol->name, vol->name);
        return -1;
    }
    {
        const char *fmt = "raw";
        const char *args[] = {
            "convert",        "-n", "-f", fmt, "-O", "raw", inputvol->target.path,
            vol->target.path, NULL
        };

        /* a volume of a file pool names its image format; a partition is raw */
        if (inputvol->type == VIR_STORAGE_VOL_TYPE_FILE &&
            virStorageFileFormatToString(inputvol->target.format) &&
            inputvol->target.format > VIR_STORAGE_FILE_DIR)
            args[3] = virStorageFileFormatToString(inputvol->target.format);
        (void)pool;
        return virStorageQemuImg(args, NULL);
    }
}

static int
diskRefreshVol(virStoragePoolObj *obj, virStorageVolDef *vol)
{
    const char *dev = devicePath(obj->def);
    g_autoptr(virStoragePartTable) t = NULL;
    int rc = readTable(dev, false, &t);

    for (guint i = 0; rc > 0 && i < t->parts->len; i++) {
        const virStoragePart *p = &g_array_index(t->parts, virStoragePart, i);
        g_autofree char *name = NULL;

        if (p->kind == VIR_STORAGE_PART_FREE)
            continue;
        name = partitionName(dev, p->num);
        if (strcmp(name, vol->name) != 0)
            continue;
        if (fillVol(obj->def, vol, p) < 0)
            return -1;
        /* an extended partition holds what its logical ones hold */
        for (guint j = 0; p->kind == VIR_STORAGE_PART_EXTENDED && j < obj->vols->len;
             j++) {
            const virStorageVolDef *l = g_ptr_array_index(obj->vols, j);

            if (l->partType == 2)
                vol->allocation += l->allocation;
        }
        return 0;
    }
    if (rc >= 0)
        virReportError(VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching name '%s'",
                       vol->name);
    return -1;
}

static int
diskWipeVol(virStorageVolDef *vol, unsigned int algorithm, unsigned int flags)
{
    g_autoptr(virStorageVolDef) raw = virStorageVolDefCopy(vol);

    if (vol->partType == 3) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "cannot wipe an extended partition");
        return -1;
    }
    raw->type = VIR_STORAGE_VOL_TYPE_BLOCK;
    raw->target.format = VIR_STORAGE_FILE_RAW;
    return virStorageBackendWipeLocal(raw, algorithm, flags);
}

static int
diskDeleteVol(virStoragePoolObj *obj, virStorageVolDef *vol, unsigned int flags)
{
    const char *dev = devicePath(obj->def);
    g_autofree char *base = g_path_get_basename(dev);
    g_autofree char *node = g_path_get_basename(vol->target.path);
    g_autofree char *numArg = NULL;
    const char *num;
    char *end = NULL;
    long n;

    virCheckFlags(DELETE_ZEROED, -1);
    if (!g_str_has_prefix(node, base)) {
        virReportError(
            VIR_ERR_INTERNAL_ERROR,
            "Volume path '%s' did not start with parent pool source device name.", node);
        return -1;
    }
    num = node + strlen(base);
    if (*num == 'p' && g_ascii_isdigit(base[strlen(base) - 1]))
        num++;
    n = strtol(num, &end, 10);
    if (!*num || *end || n <= 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "cannot parse partition number from target '%s'", node);
        return -1;
    }
    if ((flags & DELETE_ZEROED) && diskWipeVol(vol, 0, 0) < 0)
        return -1;
    numArg = g_strdup_printf("%ld", n);
    {
        const char *argv[] = { "parted", "-s", dev, "rm", numArg, NULL };

        if (virStorageRunTool(argv, NULL) < 0)
            return -1;
    }
    if (!waitNode(vol->target.path, false))
        VIR_NOTICE("partition '%s' removed, its device node stays", vol->target.path);
    return 0;
}

const virStorageBackend virStorageBackendDisk = {
    .type = VIR_STORAGE_POOL_DISK,
    .refreshPoolAfterVolChange = true,
    .buildPool = diskBuild,
    .checkPool = diskCheck,
    .startPool = diskStart,
    .refreshPool = diskRefresh,
    .stopPool = diskStop,
    .deletePool = diskDelete,
    .createVol = diskCreateVol,
    .buildVol = diskBuildVol,
    .refreshVol = diskRefreshVol,
    .deleteVol = diskDeleteVol,
    .resizeVol =
        NULL, /* libvirt: "storage pool does not support changing of volume capacity" */
    .wipeVol = diskWipeVol,
};
