/* storage_conf.h: storage pool and volume definitions and their XML (libvirt 9.0's) */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "storage_file_format.h"
#include "storage_encryption_conf.h"

/* Pool types, libvirt's numbering (virStoragePoolType). */
typedef enum {
    VIR_STORAGE_POOL_DIR = 0,
    VIR_STORAGE_POOL_FS,
    VIR_STORAGE_POOL_NETFS,
    VIR_STORAGE_POOL_LOGICAL,
    VIR_STORAGE_POOL_DISK,
    VIR_STORAGE_POOL_ISCSI,
    VIR_STORAGE_POOL_ISCSI_DIRECT,
    VIR_STORAGE_POOL_SCSI,
    VIR_STORAGE_POOL_MPATH,
    VIR_STORAGE_POOL_RBD,
    VIR_STORAGE_POOL_SHEEPDOG,
    VIR_STORAGE_POOL_GLUSTER,
    VIR_STORAGE_POOL_ZFS,
    VIR_STORAGE_POOL_VSTORAGE,
    VIR_STORAGE_POOL_LAST
} virStoragePoolTypeInternal;

/* <source><format type=...> of an fs pool (virStoragePoolFormatFileSystem). */
typedef enum {
    VIR_STORAGE_POOL_FS_AUTO = 0,
    VIR_STORAGE_POOL_FS_EXT2,
    VIR_STORAGE_POOL_FS_EXT3,
    VIR_STORAGE_POOL_FS_EXT4,
    VIR_STORAGE_POOL_FS_UFS,
    VIR_STORAGE_POOL_FS_ISO,
    VIR_STORAGE_POOL_FS_UDF,
    VIR_STORAGE_POOL_FS_GFS,
    VIR_STORAGE_POOL_FS_GFS2,
    VIR_STORAGE_POOL_FS_VFAT,
    VIR_STORAGE_POOL_FS_HFSPLUS,
    VIR_STORAGE_POOL_FS_XFS,
    VIR_STORAGE_POOL_FS_OCFS2,
    VIR_STORAGE_POOL_FS_VMFS,
    VIR_STORAGE_POOL_FS_LAST
} virStoragePoolFormatFileSystem;

/* <source><format type=...> of a disk pool (virStoragePoolFormatDisk):
 * the partition table; "dos" is parted's "msdos". */
typedef enum {
    VIR_STORAGE_POOL_DISK_UNKNOWN = 0,
    VIR_STORAGE_POOL_DISK_DOS,
    VIR_STORAGE_POOL_DISK_DVH,
    VIR_STORAGE_POOL_DISK_GPT,
    VIR_STORAGE_POOL_DISK_MAC,
    VIR_STORAGE_POOL_DISK_BSD,
    VIR_STORAGE_POOL_DISK_PC98,
    VIR_STORAGE_POOL_DISK_SUN,
    VIR_STORAGE_POOL_DISK_LVM2,
    VIR_STORAGE_POOL_DISK_LAST
} virStoragePoolFormatDisk;

/* <source><format type=...> of a logical pool (virStoragePoolFormatLogical). */
typedef enum {
    VIR_STORAGE_POOL_LOGICAL_UNKNOWN = 0,
    VIR_STORAGE_POOL_LOGICAL_LVM2,
    VIR_STORAGE_POOL_LOGICAL_LAST
} virStoragePoolFormatLogical;

/* <target><format type=...> of a partition in a disk pool
 * (virStorageVolFormatDisk). */
typedef enum {
    VIR_STORAGE_VOL_DISK_NONE = 0,
    VIR_STORAGE_VOL_DISK_LINUX,
    VIR_STORAGE_VOL_DISK_FAT16,
    VIR_STORAGE_VOL_DISK_FAT32,
    VIR_STORAGE_VOL_DISK_LINUX_SWAP,
    VIR_STORAGE_VOL_DISK_LINUX_LVM,
    VIR_STORAGE_VOL_DISK_LINUX_RAID,
    VIR_STORAGE_VOL_DISK_EXTENDED,
    VIR_STORAGE_VOL_DISK_LAST
} virStorageVolFormatDisk;

/* A byte range [start, end) of a device. */
typedef struct {
    unsigned long long start;
    unsigned long long end;
} virStorageExtent;

/* Volume types (virStorageVolType, public numbering). */
typedef enum {
    VIR_STORAGE_VOL_TYPE_FILE = 0,
    VIR_STORAGE_VOL_TYPE_BLOCK,
    VIR_STORAGE_VOL_TYPE_DIR,
    VIR_STORAGE_VOL_TYPE_NETWORK,
    VIR_STORAGE_VOL_TYPE_NETDIR,
    VIR_STORAGE_VOL_TYPE_PLOOP,
    VIR_STORAGE_VOL_TYPE_LAST
} virStorageVolTypeInternal;


typedef enum {
    VIR_STORAGE_FILE_FEATURE_LAZY_REFCOUNTS = 0,
    VIR_STORAGE_FILE_FEATURE_EXTENDED_L2,
    VIR_STORAGE_FILE_FEATURE_LAST
} virStorageFileFeature;

const char *virStoragePoolTypeToString(int type);
int virStoragePoolTypeFromString(const char *str);
const char *virStorageVolTypeToString(int type);
int virStorageVolTypeFromString(const char *str);
const char *virStorageFileFormatToString(int fmt);
int virStorageFileFormatFromString(const char *str);
const char *virStoragePoolFormatFileSystemToString(int fmt);
int virStoragePoolFormatFileSystemFromString(const char *str);
const char *virStoragePoolFormatDiskToString(int fmt);
int virStoragePoolFormatDiskFromString(const char *str);
const char *virStorageVolFormatDiskToString(int fmt);
int virStorageVolFormatDiskFromString(const char *str);

/* Default modes, as libvirt's VIR_STORAGE_DEFAULT_{POOL,VOL}_PERM_MODE. */
#define VIR_STORAGE_DEFAULT_POOL_PERM_MODE 0711
#define VIR_STORAGE_DEFAULT_VOL_PERM_MODE 0600

/* An upload that is not both finished and on the disk is marked on the
 * volume's file itself, as this extended attribute: "in-progress" while it
 * runs (set before the first byte is written), "interrupted" once it ended
 * without its finish, and "syncing BOOT-ID N" from its finish (answered
 * with the bytes in the page cache, as libvirt answers it) until they are
 * on the disk, when the storage driver removes it. A wipe and the file's
 * removal also end it. A volume cut in the middle of an upload (client
 * gone, daemon killed) is thus known as such, across restarts; the QEMU
 * driver refuses to start a guest from it. A "syncing" mark of this boot
 * only says the sync has not been seen to end (the daemon may have been
 * stopped): the bytes are in the page cache, and a guest start syncs them
 * itself. One of another boot means the host went down before the bytes
 * reached the disk: the upload counts as interrupted. No mark where the
 * file system has no user extended attributes. */
#define VIR_STORAGE_UPLOAD_XATTR "user.virtkit.upload"

typedef enum {
    VIR_STORAGE_UPLOAD_MARK_IN_PROGRESS,
    VIR_STORAGE_UPLOAD_MARK_INTERRUPTED, /* also: syncing, of another boot */
    VIR_STORAGE_UPLOAD_MARK_SYNCING,     /* of this boot: sync, then clear */
} virStorageUploadMarkState;

/* A new "syncing" mark's value, unique in this process (a sync that ends
 * clears only its own mark, not a later upload's). */
char *virStorageUploadSyncingMark(void);
/* What a mark's @value says (anything unknown: interrupted). */
virStorageUploadMarkState virStorageUploadMarkParse(const char *value);

/* -1 in any field: not given. */
typedef struct {
    mode_t mode;
    uid_t uid;
    gid_t gid;
    char *label;
} virStoragePerms;

typedef struct {
    virStoragePoolTypeInternal type;
    char *name;
    unsigned char uuid[16];

    unsigned long long capacity;   /* bytes; filled by refresh */
    unsigned long long allocation; /* bytes */
    unsigned long long available;  /* bytes */

    struct {
        char *dir;      /* <source><dir path=/> */
        char **devices; /* <source><device path=/>, NULL-terminated */
        char *name;     /* <source><name> */
        char *host;     /* <source><host name=/> (formatted, never used) */
        int format;     /* pool type's format enum (fs: virStoragePoolFormatFileSystem,
                           disk: virStoragePoolFormatDisk, logical:
                           virStoragePoolFormatLogical) */
        bool hasFormat; /* the pool type has a format (fs, netfs, disk, logical) */
        /* Runtime (live XML of an active disk pool): the free extents of
         * devices[0], as <freeExtent> children of its <device>. */
        virStorageExtent *freeExtents;
        size_t nfreeExtents;
    } source;

    struct {
        char *path;
        virStoragePerms perms;
    } target;
} virStoragePoolDef;

typedef struct {
    long long sec; /* -1: not known */
    long nsec;
} virStorageTimestamp;

typedef struct {
    char *path;
    int format; /* virStorageFileFormat */
    virStoragePerms perms;
    bool hasTimestamps;
    virStorageTimestamp atime, mtime, ctime;
    char *compat;                   /* qcow2 "0.10" / "1.1" */
    unsigned long long clusterSize; /* 0: not shown */
    bool hasFeatures;               /* <features> present (qcow2 >= 1.1) */
    bool features[VIR_STORAGE_FILE_FEATURE_LAST];
    bool nocow;
    /* <encryption> of the target (NULL: none): as given at creation, or
     * what a refresh reads in the image's header (no secret then) */
    virStorageEncryption *encryption;
} virStorageVolTarget;

typedef struct {
    char *name;
    char *key;
    virStorageVolTypeInternal type;

    unsigned long long capacity;   /* bytes (virtual size) */
    unsigned long long allocation; /* bytes used on the host */
    unsigned long long physical;   /* bytes of the file; 0: not shown */
    bool hasAllocation;            /* <allocation> was given */
    bool hasCapacity;              /* <capacity> was given */

    /* A partition of a disk pool: <source><device path=extentDevice>
     * <extent start end/></device></source> (runtime, from the host). */
    char *extentDevice;
    virStorageExtent extent;
    int partType; /* disk pools: 0 none, 1 primary, 2 logical, 3 extended */

    virStorageVolTarget target; /* target.format: virStorageVolFormatDisk in a
                                   disk pool, else virStorageFileFormat */
    bool hasBacking;
    virStorageVolTarget backing; /* <backingStore> when hasBacking */

    /* Runtime, never formatted. */
    bool building;  /* being built; refuses delete/resize/upload */
    int inUse;      /* streams or jobs using it */
    bool formatSet; /* format known from its creation, not probed */
} virStorageVolDef;

void virStoragePoolDefFree(virStoragePoolDef *def);
void virStorageVolDefFree(virStorageVolDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virStoragePoolDef, virStoragePoolDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virStorageVolDef, virStorageVolDefFree);

virStoragePoolDef *virStoragePoolDefCopy(const virStoragePoolDef *def);
virStorageVolDef *virStorageVolDefCopy(const virStorageVolDef *def);

/*
 * Parse a <pool> document as libvirt 9.0 does (its checks and messages,
 * domain STORAGE): type, name (no '/'), uuid (generated when absent),
 * source, target path (made canonical: no '//' nor trailing '/'),
 * permissions. Returns the def, or NULL with the error reported.
 */
virStoragePoolDef *virStoragePoolDefParseString(const char *xml);

/* Format flags. */
#define VIR_STORAGE_POOL_DEF_FORMAT_INACTIVE (1 << 0) /* no capacity figures */

/* The <pool> document (libvirt's layout, 2-space indent). Never fails. */
char *virStoragePoolDefFormat(const virStoragePoolDef *def, unsigned int flags);

/* Volume parse flags (libvirt's VIR_VOL_XML_PARSE_*). */
#define VIR_VOL_XML_PARSE_NO_CAPACITY (1 << 0)
#define VIR_VOL_XML_PARSE_OPT_CAPACITY (1 << 1)
#define VIR_VOL_XML_PARSE_VALIDATE (1 << 2)

/*
 * Parse a <volume> document for a pool of @pool's type, as libvirt 9.0:
 * name required, type, capacity/allocation with units (at most LLONG_MAX
 * bytes), target format (the pool type's default when absent; dir/fs:
 * raw), backingStore, permissions, compat, features. NULL with the error
 * reported.
 */
virStorageVolDef *virStorageVolDefParseString(const virStoragePoolDef *pool,
                                              const char *xml, unsigned int flags);

/* The <volume> document for a volume of @pool. Never fails. */
char *virStorageVolDefFormat(const virStoragePoolDef *pool, const virStorageVolDef *def);

/* Whether volumes of pools of @type carry a <format> (dir, fs, netfs...). */
bool virStoragePoolTypeHasVolFormat(int type);

/* Canonical path as libvirt's virFileSanitizePath: runs of '/' collapsed
 * (exactly two leading ones stay), no trailing '/' (but "/" and "//"
 * stay), a URI ("scheme://...") untouched. Never fails. */
char *virStorageSanitizePath(const char *path);

/* libvirt 9.0's <storagepoolCapabilities>: every pool type in libvirt's
 * order with its pool and volume format options, marked supported='yes'
 * where @supported(type) says so. Caller frees. */
char *virStoragePoolCapsFormat(bool (*supported)(int type));

/* Scale "@val @unit" to bytes as libvirt's virStorageSize (unit default:
 * bytes; at most LLONG_MAX). 0, or -1 with the error reported. */
int virStorageParseSize(const char *unit, const char *val, unsigned long long *ret);
