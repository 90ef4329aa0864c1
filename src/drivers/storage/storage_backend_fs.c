/* storage_backend_fs.c: the dir and fs storage backends (a folder of volume files; fs mounts it first) */

#define G_LOG_DOMAIN "virtkit.storage.fs"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "storage_backend.h"
#include "storage_util.h"
#include "virerror.h"
#include "virfile.h"

#define VIR_FROM_THIS VIR_FROM_STORAGE

/* public flag values (libvirt-storage.h; storage_driver.c checks the
 * build flags against them) */
#define BUILD_NO_OVERWRITE (1 << 2)
#define BUILD_OVERWRITE (1 << 3)
#define CREATE_PREALLOC_METADATA (1 << 0)
#define CREATE_REFLINK (1 << 1)
#define CREATE_VALIDATE (1 << 2)
#define RESIZE_ALLOCATE (1 << 0)
#define RESIZE_SHRINK (1 << 2)
#define WIPE_ALG_ZERO 0
#define WIPE_ALG_TRIM 9
#define DELETE_ZEROED (1 << 0)
#define DELETE_WITH_SNAPSHOTS (1 << 1)

/* ---- pools ------------------------------------------------------------- */

static int
dirBuild(virStoragePoolObj *obj, unsigned int flags)
{
    const virStoragePoolDef *def = obj->def;
    mode_t mode = def->target.perms.mode;

    virCheckFlags(BUILD_OVERWRITE | BUILD_NO_OVERWRITE, -1);
    if ((flags & BUILD_OVERWRITE) && (flags & BUILD_NO_OVERWRITE)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "Overwrite and no overwrite flags are mutually exclusive");
        return -1;
    }
    if (def->target.path[0] != '/') {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "storage pool target path '%s' is not absolute", def->target.path);
        return -1;
    }
    if (g_file_test(def->target.path, G_FILE_TEST_IS_DIR)) {
        /* libvirt leaves an existing folder's mode unless one is asked */
        if (mode != (mode_t)-1 && chmod(def->target.path, mode) < 0) {
            virReportSystemError(errno, "cannot set mode of '%s' to %04o",
                                 def->target.path, (unsigned int)mode);
            return -1;
        }
    } else {
        g_autofree char *parent = g_path_get_dirname(def->target.path);

        if (virFileMakePath(parent, 0755) < 0)
            return -1;
        if (mkdir(def->target.path,
                  mode != (mode_t)-1 ? mode : VIR_STORAGE_DEFAULT_POOL_PERM_MODE) < 0 &&
            errno != EEXIST) {
            virReportSystemError(errno, "cannot create path '%s'", def->target.path);
            return -1;
        }
        if (mode != (mode_t)-1)
            chmod(def->target.path, mode);
    }
    if ((def->target.perms.uid != (uid_t)-1 || def->target.perms.gid != (gid_t)-1) &&
        geteuid() == 0 &&
        chown(def->target.path, def->target.perms.uid, def->target.perms.gid) < 0) {
        virReportSystemError(errno, "cannot chown '%s' to (%u, %u)", def->target.path,
                             (unsigned int)def->target.perms.uid,
                             (unsigned int)def->target.perms.gid);
        return -1;
    }
    return 0;
}

static bool
dirCheck(virStoragePoolObj *obj)
{
    return g_file_test(obj->def->target.path, G_FILE_TEST_IS_DIR);
}

static int
dirRefresh(virStoragePoolObj *obj)
{
    virStoragePoolDef *def = obj->def;
    g_autoptr(GPtrArray) vols =
        g_ptr_array_new_with_free_func((GDestroyNotify)virStorageVolDefFree);
    DIR *dir;
    struct dirent *ent;
    struct statvfs sv;
    struct stat sb;

    if (!(dir = opendir(def->target.path))) {
        virReportSystemError(errno, "cannot open directory '%s'", def->target.path);
        return -1;
    }
    while ((errno = 0, ent = readdir(dir))) {
        g_autoptr(virStorageVolDef) vol = NULL;
        virStorageVolDef *old;
        bool ctrl = false;
        int rc;

        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        for (const char *p = ent->d_name; *p; p++)
            ctrl |= g_ascii_iscntrl(*p);
        if (ctrl)
            continue;
        vol = g_new0(virStorageVolDef, 1);
        vol->name = g_strdup(ent->d_name);
        vol->target.path = g_strdup_printf("%s/%s", def->target.path, ent->d_name);
        vol->key = g_strdup(vol->target.path);
        /* a volume created by this daemon keeps the format it was made with */
        if ((old = virStoragePoolObjFindVolByName(obj, ent->d_name)) && old->formatSet) {
            vol->target.format = old->target.format;
            vol->formatSet = true;
        }
        rc = virStorageVolProbe(vol);
        if (rc == -2)
            continue;
        if (rc < 0) {
            closedir(dir);
            return -1;
        }
        g_ptr_array_add(vols, g_steal_pointer(&vol));
    }
    closedir(dir);

    if (statvfs(def->target.path, &sv) < 0) {
        virReportSystemError(errno, "cannot statvfs path '%s'", def->target.path);
        return -1;
    }
    def->capacity = (unsigned long long)sv.f_frsize * sv.f_blocks;
    def->available = (unsigned long long)sv.f_bfree * sv.f_frsize;
    def->allocation = def->capacity - def->available;
    if (stat(def->target.path, &sb) == 0) {
        def->target.perms.mode = sb.st_mode & 0777;
        def->target.perms.uid = sb.st_uid;
        def->target.perms.gid = sb.st_gid;
    }

    /* the new list replaces the old one whole: a failed refresh above
     * left the pool's volumes as they were */
    g_ptr_array_unref(obj->vols);
    obj->vols = g_steal_pointer(&vols);
    return 0;
}

static int
dirDelete(virStoragePoolObj *obj, unsigned int flags)
{
    virCheckFlags(0, -1);
    if (rmdir(obj->def->target.path) < 0) {
        virReportSystemError(errno, "failed to remove pool '%s'", obj->def->target.path);
        return -1;
    }
    return 0;
}

/* ---- fs: a device mounted on the target -------------------------------- */

static int
runTool(const char *const *argv)
{
    g_autofree char *err = NULL;
    g_autofree char *cmdline = g_strjoinv(" ", (char **)argv);
    g_autoptr(GError) gerr = NULL;
    int status = 0;

    if (!g_spawn_sync(NULL, (char **)argv, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                      &err, &status, &gerr)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Cannot run %s: %s", cmdline,
                       gerr->message);
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        g_strstrip(err);
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Child process (%s) unexpected exit status %d: %s", cmdline,
                       WIFEXITED(status) ? WEXITSTATUS(status) : 255, err);
        return -1;
    }
    return 0;
}

/* Whether @target is a mount point (/proc/self/mountinfo). */
static bool
fsIsMounted(const char *target)
{
    g_autofree char *data = NULL;
    g_auto(GStrv) lines = NULL;

    if (!g_file_get_contents("/proc/self/mountinfo", &data, NULL, NULL))
        return false;
    lines = g_strsplit(data, "\n", -1);
    for (char **l = lines; *l; l++) {
        g_auto(GStrv) f = g_strsplit(*l, " ", 6);

        if (g_strv_length(f) >= 5 && strcmp(f[4], target) == 0)
            return true;
    }
    return false;
}

static bool
fsCheck(virStoragePoolObj *obj)
{
    return fsIsMounted(obj->def->target.path);
}

static int
fsStart(virStoragePoolObj *obj)
{
    const virStoragePoolDef *def = obj->def;
    const char *fmt = virStoragePoolFormatFileSystemToString(def->source.format);

    if (!def->source.devices || !def->source.devices[0]) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing source device");
        return -1;
    }
    if (fsIsMounted(def->target.path))
        return 0;
    if (def->source.format == VIR_STORAGE_POOL_FS_AUTO) {
        const char *argv[] = { "mount", def->source.devices[0], def->target.path, NULL };
        return runTool(argv);
    } else {
        const char *argv[] = { "mount",          "-t", fmt, def->source.devices[0],
                               def->target.path, NULL };
        return runTool(argv);
    }
}

static int
fsStop(virStoragePoolObj *obj)
{
    const char *argv[] = { "umount", obj->def->target.path, NULL };

    if (!fsIsMounted(obj->def->target.path))
        return 0;
    return runTool(argv);
}

/* 0 if @device holds no filesystem blkid knows (exit status 2: nothing
 * found); else -1 with libvirt's STORAGE_POOL_BUILT errors, or the
 * failure to probe (never taken for an empty device). */
static int
fsDeviceCheckEmpty(const char *device, const char *fmt)
{
    const char *argv[] = { "blkid", "-p", "-o", "value", "-s", "TYPE", device, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(GError) gerr = NULL;
    int status = 0;

    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                      &err, &status, &gerr)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Cannot run blkid: %s", gerr->message);
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
        return 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        virReportError(VIR_ERR_STORAGE_PROBE_FAILED,
                       "Failed to probe for format type on device '%s': %s", device,
                       g_strstrip(err));
        return -1;
    }
    g_strstrip(out);
    if (strcmp(out, fmt) == 0)
        virReportError(VIR_ERR_STORAGE_POOL_BUILT,
                       "Device '%s' already formatted using '%s'", device, fmt);
    else
        virReportError(VIR_ERR_STORAGE_POOL_BUILT,
                       "Format of device '%s' does not match the expected format '%s', "
                       "forced overwrite is necessary",
                       device, fmt);
    return -1;
}

static int
fsBuild(virStoragePoolObj *obj, unsigned int flags)
{
    const virStoragePoolDef *def = obj->def;
    const char *fmt = def->source.format == VIR_STORAGE_POOL_FS_AUTO
                          ? "ext4"
                          : virStoragePoolFormatFileSystemToString(def->source.format);

    if (dirBuild(obj, flags & ~(BUILD_OVERWRITE | BUILD_NO_OVERWRITE)) < 0)
        return -1;
    if ((flags & BUILD_OVERWRITE) && (flags & BUILD_NO_OVERWRITE)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "Overwrite and no overwrite flags are mutually exclusive");
        return -1;
    }
    if (!(flags & (BUILD_OVERWRITE | BUILD_NO_OVERWRITE)))
        return 0;
    if ((flags & BUILD_NO_OVERWRITE) &&
        fsDeviceCheckEmpty(def->source.devices[0], fmt) < 0)
        return -1;
    {
        g_autofree char *mkfs = g_strdup_printf("mkfs.%s", fmt);
        const char *argv[] = { mkfs, "-F", def->source.devices[0], NULL };
        const char *argvNoF[] = { mkfs, def->source.devices[0], NULL };

        return runTool(g_str_has_prefix(fmt, "ext") ? argv : argvNoF);
    }
}

/* ---- volumes ----------------------------------------------------------- */

static int
volCreate(virStoragePoolObj *obj, virStorageVolDef *vol)
{
    if (vol->target.format == VIR_STORAGE_FILE_DIR)
        vol->type = VIR_STORAGE_VOL_TYPE_DIR;
    else if (vol->target.format == VIR_STORAGE_FILE_PLOOP)
        vol->type = VIR_STORAGE_VOL_TYPE_PLOOP;
    else
        vol->type = VIR_STORAGE_VOL_TYPE_FILE;

    /* Volumes within a directory pool are not recursive: no escape to ../
     * or a subfolder */
    if (strchr(vol->name, '/')) {
        virReportError(VIR_ERR_OPERATION_INVALID, "volume name '%s' cannot contain '/'",
                       vol->name);
        return -1;
    }
    g_free(vol->target.path);
    vol->target.path = g_strdup_printf("%s/%s", obj->def->target.path, vol->name);
    if (access(vol->target.path, F_OK) == 0 || strcmp(vol->name, "..") == 0 ||
        strcmp(vol->name, ".") == 0) {
        virReportError(VIR_ERR_OPERATION_INVALID,
                       "volume target path '%s' already exists", vol->target.path);
        return -1;
    }
    g_free(vol->key);
    vol->key = g_strdup(vol->target.path);
    return 0;
}

static int
setPerms(const virStorageVolDef *vol)
{
    mode_t mode = vol->target.perms.mode != (mode_t)-1
                      ? vol->target.perms.mode
                      : VIR_STORAGE_DEFAULT_VOL_PERM_MODE;

    if (chmod(vol->target.path, mode) < 0) {
        virReportSystemError(errno, "cannot set mode of '%s' to %04o", vol->target.path,
                             (unsigned int)mode);
        return -1;
    }
    if ((vol->target.perms.uid != (uid_t)-1 || vol->target.perms.gid != (gid_t)-1) &&
        geteuid() == 0 &&
        chown(vol->target.path, vol->target.perms.uid, vol->target.perms.gid) < 0) {
        virReportSystemError(errno, "cannot chown '%s' to (%u, %u)", vol->target.path,
                             (unsigned int)vol->target.perms.uid,
                             (unsigned int)vol->target.perms.gid);
        return -1;
    }
    return 0;
}

static int
buildRaw(virStorageVolDef *vol, unsigned int flags)
{
    int fd;
    unsigned long long alloc = MIN(vol->allocation, vol->capacity);

    if (flags & CREATE_PREALLOC_METADATA) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "metadata preallocation is not supported for raw volumes");
        return -1;
    }
    fd = open(vol->target.path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
              VIR_STORAGE_DEFAULT_VOL_PERM_MODE);
    if (fd < 0) {
        virReportSystemError(errno, "Failed to create file '%s'", vol->target.path);
        return -1;
    }
    if (ftruncate(fd, vol->capacity) < 0) {
        virReportSystemError(errno, "cannot extend file '%s'", vol->target.path);
        goto error;
    }
    if (alloc) {
        int rc = posix_fallocate(fd, 0, alloc);

        if (rc != 0) {
            virReportSystemError(rc, "cannot allocate %llu bytes in file '%s'", alloc,
                                 vol->target.path);
            goto error;
        }
    }
    if (fsync(fd) < 0) {
        virReportSystemError(errno, "cannot sync data to file '%s'", vol->target.path);
        goto error;
    }
    close(fd);
    return 0;

error:
    close(fd);
    return -1;
}

/* libvirt's checks of an <encryption> qemu-img is asked to make, in its
 * order (after the secret's lookup) */
static int
checkEncryption(const virStorageVolDef *vol)
{
    const virStorageEncryption *enc = vol->target.encryption;
    int fmt = vol->target.format;

    if ((enc->format == VIR_STORAGE_ENCRYPTION_FORMAT_QCOW ||
         enc->format == VIR_STORAGE_ENCRYPTION_FORMAT_DEFAULT) &&
        (fmt == VIR_STORAGE_FILE_QCOW || fmt == VIR_STORAGE_FILE_QCOW2)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "creation of qcow2 encrypted image is not supported");
        return -1;
    }
    if (fmt == VIR_STORAGE_FILE_RAW &&
        enc->format != VIR_STORAGE_ENCRYPTION_FORMAT_LUKS) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "Only luks encryption is supported for raw files");
        return -1;
    }
    if (fmt != VIR_STORAGE_FILE_RAW && fmt != VIR_STORAGE_FILE_QCOW2) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "volume encryption unsupported with format %s",
                       virStorageFileFormatToString(fmt));
        return -1;
    }
    if (enc->format != VIR_STORAGE_ENCRYPTION_FORMAT_LUKS) {
        /* libvirt prints the enum's number */
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "unsupported volume encryption format %d", enc->format);
        return -1;
    }
    return 0;
}

/* qemu-img's options for @vol's LUKS encryption under secret @alias
 * (libvirt's storageBackendBuildQemuImgEncriptionOpts): a qcow2 image's
 * are prefixed "encrypt.", its format named first */
static void
encryptionOpts(GString *opts, const virStorageVolDef *vol, const char *alias)
{
    const virStorageEncryption *enc = vol->target.encryption;
    bool qcow2 = vol->target.format == VIR_STORAGE_FILE_QCOW2;
    const char *pre = qcow2 ? "encrypt." : "";
    const struct {
        const char *name;
        const char *value;
    } opt[] = {
        { "cipher-mode", enc->cipherMode },
        { "hash-alg", enc->cipherHash },
        { "ivgen-alg", enc->ivgenName },
        { "ivgen-hash-alg", enc->ivgenName ? enc->ivgenHash : NULL },
    };

    if (opts->len)
        g_string_append_c(opts, ',');
    if (qcow2)
        g_string_append(opts, "encrypt.format=luks,");
    g_string_append_printf(opts, "%skey-secret=%s", pre, alias);
    if (!enc->cipherName)
        return;
    g_string_append_printf(opts, ",%scipher-alg=", pre);
    virStorageQemuImgEscape(opts, enc->cipherName);
    g_string_append_printf(opts, "-%u", enc->cipherSize);
    for (size_t i = 0; i < G_N_ELEMENTS(opt); i++) {
        if (!opt[i].value)
            continue;
        g_string_append_printf(opts, ",%s%s=", pre, opt[i].name);
        virStorageQemuImgEscape(opts, opt[i].value);
    }
}

static int
buildQemuImg(const virStoragePoolDef *pool, virStorageVolDef *vol,
             const virStorageVolDef *inputvol, unsigned int flags)
{
    g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GString) opts = g_string_new(NULL);
    bool luks = vol->target.encryption && vol->target.format == VIR_STORAGE_FILE_RAW;
    const char *fmt = luks ? "luks" : virStorageFileFormatToString(vol->target.format);
    bool qcow2 = vol->target.format == VIR_STORAGE_FILE_QCOW2;
    g_autofree char *secretFile = NULL;
    g_autofree char *alias = NULL;
    int rc;

    if ((flags & CREATE_PREALLOC_METADATA) && !qcow2) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "metadata preallocation only available with qcow2");
        return -1;
    }
    if (qcow2) {
        g_string_append_printf(opts, "compat=%s",
                               vol->target.compat ? vol->target.compat : "0.10");
        if (flags & CREATE_PREALLOC_METADATA)
            g_string_append(opts, ",preallocation=metadata");
        if (vol->target.features[VIR_STORAGE_FILE_FEATURE_LAZY_REFCOUNTS])
            g_string_append(opts, ",lazy_refcounts");
        if (vol->target.features[VIR_STORAGE_FILE_FEATURE_EXTENDED_L2])
            g_string_append(opts, ",extended_l2=on");
    }

    /* an encrypted volume: made by qemu-img with the passphrase it reads
     * from a file (libvirt's order: the secret first, then the checks) */
    if (vol->target.encryption || (inputvol && inputvol->target.encryption)) {
        if (inputvol) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "copying to or from an encrypted volume is not supported by "
                           "virtkit");
            return -1;
        }
        if (!pool || !(secretFile = virStorageVolSecretFile(pool, vol)))
            return -1;
        if (checkEncryption(vol) < 0) {
            unlink(secretFile);
            return -1;
        }
        alias = g_strdup_printf("%s_encrypt0", vol->name);
        encryptionOpts(opts, vol, alias);
        g_ptr_array_add(args, g_strdup("create"));
        g_ptr_array_add(args, g_strdup("--object"));
        {
            g_autoptr(GString) obj = g_string_new(NULL);

            g_string_append_printf(obj, "secret,id=%s,file=", alias);
            virStorageQemuImgEscape(obj, secretFile);
            g_ptr_array_add(args, g_string_free(g_steal_pointer(&obj), FALSE));
        }
        g_ptr_array_add(args, g_strdup("-f"));
        g_ptr_array_add(args, g_strdup(fmt));
        if (vol->hasBacking) {
            g_ptr_array_add(args, g_strdup("-b"));
            g_ptr_array_add(args, g_strdup(vol->backing.path));
            g_ptr_array_add(args, g_strdup("-F"));
            g_ptr_array_add(args,
                            g_strdup(virStorageFileFormatToString(vol->backing.format)));
        }
        g_ptr_array_add(args, g_strdup("-o"));
        g_ptr_array_add(args, g_strdup(opts->str));
        g_ptr_array_add(args, g_strdup(vol->target.path));
        g_ptr_array_add(args, g_strdup_printf("%lluK", (vol->capacity + 1023) / 1024));
        g_ptr_array_add(args, NULL);
        rc = virStorageQemuImg((const char *const *)args->pdata, NULL);
        unlink(secretFile);
        return rc;
    }
    if (inputvol) {
        g_ptr_array_add(args, g_strdup("convert"));
        g_ptr_array_add(args, g_strdup("-f"));
        g_ptr_array_add(args,
                        g_strdup(virStorageFileFormatToString(inputvol->target.format)));
        g_ptr_array_add(args, g_strdup("-O"));
        g_ptr_array_add(args, g_strdup(fmt));
        if (opts->len) {
            g_ptr_array_add(args, g_strdup("-o"));
            g_ptr_array_add(args, g_strdup(opts->str));
        }
        g_ptr_array_add(args, g_strdup(inputvol->target.path));
        g_ptr_array_add(args, g_strdup(vol->target.path));
    } else {
        g_ptr_array_add(args, g_strdup("create"));
        g_ptr_array_add(args, g_strdup("-f"));
        g_ptr_array_add(args, g_strdup(fmt));
        if (vol->hasBacking) {
            g_ptr_array_add(args, g_strdup("-b"));
            g_ptr_array_add(args, g_strdup(vol->backing.path));
            g_ptr_array_add(args, g_strdup("-F"));
            g_ptr_array_add(args,
                            g_strdup(virStorageFileFormatToString(vol->backing.format)));
        }
        if (opts->len) {
            g_ptr_array_add(args, g_strdup("-o"));
            g_ptr_array_add(args, g_strdup(opts->str));
        }
        g_ptr_array_add(args, g_strdup(vol->target.path));
        if (vol->capacity || !vol->hasBacking)
            g_ptr_array_add(args,
                            g_strdup_printf("%lluK", (vol->capacity + 1023) / 1024));
    }
    g_ptr_array_add(args, NULL);
    return virStorageQemuImg((const char *const *)args->pdata, NULL);
}

static int
volBuild(const virStoragePoolDef *pool, virStorageVolDef *vol,
         const virStorageVolDef *inputvol, unsigned int flags)
{
    int rc;

    virCheckFlags(CREATE_PREALLOC_METADATA | CREATE_REFLINK | CREATE_VALIDATE, -1);

    if (vol->target.format == VIR_STORAGE_FILE_DIR) {
        if (inputvol) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                           "cannot copy from volume to a directory volume");
            return -1;
        }
        if (mkdir(vol->target.path,
                  vol->target.perms.mode != (mode_t)-1 ? vol->target.perms.mode : 0755) <
            0) {
            virReportSystemError(errno, "cannot create path '%s'", vol->target.path);
            return -1;
        }
        return 0;
    }
    if (vol->hasBacking && inputvol) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "backing storage not supported for raw volumes");
        return -1;
    }
    if (vol->hasBacking && vol->target.format != VIR_STORAGE_FILE_QCOW2 &&
        vol->target.format != VIR_STORAGE_FILE_QED) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "backing storage not supported for raw volumes");
        return -1;
    }
    if (vol->hasBacking && access(vol->backing.path, R_OK) < 0) {
        virReportSystemError(errno, "inaccessible backing store volume %s",
                             vol->backing.path);
        return -1;
    }

    if (vol->target.format == VIR_STORAGE_FILE_RAW && !inputvol &&
        !vol->target.encryption)
        rc = buildRaw(vol, flags);
    else
        rc = buildQemuImg(pool, vol, inputvol, flags);
    if (rc == 0 && inputvol && vol->target.format == VIR_STORAGE_FILE_RAW &&
        vol->capacity > inputvol->capacity &&
        truncate(vol->target.path, vol->capacity) < 0) {
        virReportSystemError(errno, "cannot extend file '%s'", vol->target.path);
        rc = -1;
    }
    if (rc == 0)
        rc = setPerms(vol);
    if (rc < 0) {
        unlink(vol->target.path);
        return -1;
    }
    virStorageVolRecordFormat(vol->target.path, vol->target.format);
    vol->formatSet = true;
    return 0;
}

static int
volRefresh(virStoragePoolObj *obj, virStorageVolDef *vol)
{
    /* as libvirt's volume refresh (after create, upload, resize): the
     * cluster size stays what the definition had (given at creation, or
     * probed by a pool refresh) */
    unsigned long long clusterSize = vol->target.clusterSize;
    int rc = virStorageVolProbe(vol);

    vol->target.clusterSize = clusterSize;

    if (rc == -2) {
        virReportError(VIR_ERR_STORAGE_VOL_EXIST, "'%s'", vol->name);
        return -1;
    }
    return rc;
}

/* Zeros over @path's file (the pattern algorithms are scrub's). */
static int
volWipeRaw(const char *path)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    struct stat sb;
    int ret = -1;

    if (fd < 0) {
        virReportSystemError(errno, "Failed to open storage volume with path '%s'", path);
        return -1;
    }
    if (fstat(fd, &sb) < 0) {
        virReportSystemError(errno, "Failed to stat storage volume with path '%s'", path);
        goto out;
    }
    if (S_ISBLK(sb.st_mode)) {
        /* a partition (disk pools): st_size is 0; the device zeroes its
         * range itself where it can (a discard need not read as zeros) */
        guint64 range[2] = { 0, 0 };
        off_t size = lseek(fd, 0, SEEK_END);

        if (size < 0) {
            virReportSystemError(errno, "Failed to stat storage volume with path '%s'",
                                 path);
            goto out;
        }
        sb.st_size = size;
        range[1] = size;
        if (size == 0 || ioctl(fd, BLKZEROOUT, range) == 0)
            goto sync;
    }
    /* zeros that cost no space: a hole reads back as zeros */
    if (S_ISBLK(sb.st_mode) ||
        fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, sb.st_size) < 0) {
        g_autofree char *zero = g_malloc0(1 << 20);

        for (off_t off = 0; off < sb.st_size; off += 1 << 20) {
            size_t n = MIN((off_t)(1 << 20), sb.st_size - off);

            if (pwrite(fd, zero, n, off) != (ssize_t)n) {
                virReportSystemError(
                    errno, "Failed to write %zu bytes to storage volume with path '%s'",
                    n, path);
                goto out;
            }
        }
    }
sync:
    if (fsync(fd) < 0) {
        virReportSystemError(errno, "cannot sync data to file '%s'", path);
        goto out;
    }
    ret = 0;
out:
    close(fd);
    return ret;
}

/* The pattern algorithms (nnsa ... random) as libvirt runs them: Debian's
 * scrub(1) over the volume's file; without it, libvirt's "Cannot find
 * 'scrub' in path" (SYSTEM_ERROR, domain NONE). */
static int
volWipeScrub(const char *path, unsigned int algorithm)
{
    static const char *const patterns[] = {
        [1] = "nnsa",     [2] = "dod",       [3] = "bsi",        [4] = "gutmann",
        [5] = "schneier", [6] = "pfitzner7", [7] = "pfitzner33", [8] = "random",
    };
    g_autofree char *scrub = g_find_program_in_path("scrub");

    g_assert(algorithm >= 1 && algorithm < G_N_ELEMENTS(patterns));
    if (!scrub) {
        virReportSystemErrorFull(VIR_FROM_NONE, ENOENT, __func__,
                                 "Cannot find '%s' in path", "scrub");
        return -1;
    }
    {
        const char *argv[] = { scrub, "-f", "-p", patterns[algorithm], path, NULL };

        return runTool(argv);
    }
}

static int
volWipe(virStorageVolDef *vol, unsigned int algorithm, unsigned int flags)
{
    virCheckFlags(0, -1);

    if (algorithm == WIPE_ALG_TRIM) {
        virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
                       "'trim' algorithm not supported");
        return -1;
    }
    if (algorithm > WIPE_ALG_TRIM) {
        virReportError(VIR_ERR_INVALID_ARG, "wiping algorithm %u not supported",
                       algorithm);
        return -1;
    }
    if (vol->type == VIR_STORAGE_VOL_TYPE_DIR) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "wiping of a directory volume is not supported");
        return -1;
    }
    if (algorithm != WIPE_ALG_ZERO)
        return volWipeScrub(vol->target.path, algorithm);
    if (vol->target.format != VIR_STORAGE_FILE_RAW && algorithm == WIPE_ALG_ZERO) {
        /* An image format: an empty image of the same size reads back as
         * zeros and stays a valid image of its format. */
        g_autofree char *tmp = g_strdup_printf("%s.vkwipe", vol->target.path);
        g_autoptr(virStorageVolDef) fresh = virStorageVolDefCopy(vol);
        int rc;

        g_free(fresh->target.path);
        fresh->target.path = g_strdup(tmp);
        fresh->hasBacking = false;
        /* zeros: what was encrypted is gone, the new image is a plain one */
        g_clear_pointer(&fresh->target.encryption, virStorageEncryptionFree);
        unlink(tmp);
        if (buildQemuImg(NULL, fresh, NULL, 0) < 0) {
            unlink(tmp);
            return -1;
        }
        rc = rename(tmp, vol->target.path);
        if (rc < 0) {
            virReportSystemError(errno, "cannot rename '%s' to '%s'", tmp,
                                 vol->target.path);
            unlink(tmp);
            return -1;
        }
        setPerms(vol);
        virStorageVolRecordFormat(vol->target.path, vol->target.format);
        return 0;
    }
    return volWipeRaw(vol->target.path);
}

static int
volDelete(virStoragePoolObj *obj, virStorageVolDef *vol, unsigned int flags)
{
    virCheckFlags(DELETE_ZEROED | DELETE_WITH_SNAPSHOTS, -1);

    if (vol->type == VIR_STORAGE_VOL_TYPE_DIR) {
        if (rmdir(vol->target.path) < 0) {
            virReportSystemError(errno, "cannot remove directory '%s'", vol->target.path);
            return -1;
        }
        return 0;
    }
    if ((flags & DELETE_ZEROED) && volWipe(vol, WIPE_ALG_ZERO, 0) < 0)
        return -1;
    if (unlink(vol->target.path) < 0 && errno != ENOENT) {
        virReportSystemError(errno, "cannot unlink file '%s'", vol->target.path);
        return -1;
    }
    return 0;
}

static int
volResize(virStorageVolDef *vol, unsigned long long capacity, unsigned int flags)
{
    virCheckFlags(RESIZE_ALLOCATE | RESIZE_SHRINK, -1);

    if (vol->target.format == VIR_STORAGE_FILE_RAW) {
        int fd = open(vol->target.path, O_RDWR | O_CLOEXEC);
        int ret = -1;

        if (fd < 0) {
            virReportSystemError(errno, "Unable to open '%s'", vol->target.path);
            return -1;
        }
        if (flags & RESIZE_ALLOCATE) {
            int rc = capacity > vol->capacity
                         ? posix_fallocate(fd, vol->capacity, capacity - vol->capacity)
                         : 0;

            if (rc != 0) {
                virReportSystemError(rc, "Failed to pre-allocate space for file '%s'",
                                     vol->target.path);
                goto out;
            }
        }
        if (ftruncate(fd, capacity) < 0) {
            virReportSystemError(errno, "Failed to truncate file '%s'", vol->target.path);
            goto out;
        }
        if (fsync(fd) < 0) {
            virReportSystemError(errno, "cannot sync data to file '%s'",
                                 vol->target.path);
            goto out;
        }
        ret = 0;
out:
        close(fd);
        return ret;
    } else {
        g_autofree char *size = g_strdup_printf("%llu", capacity);
        const char *fmt = virStorageFileFormatToString(vol->target.format);
        const char *args[] = { "resize", "-f", fmt, vol->target.path, size, NULL };
        const char *argsShrink[] = { "resize",         "--shrink", "-f", fmt,
                                     vol->target.path, size,       NULL };

        if (flags & RESIZE_ALLOCATE) {
            virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                           "preallocate is only supported for raw type volume");
            return -1;
        }
        return virStorageQemuImg((flags & RESIZE_SHRINK) ? argsShrink : args, NULL);
    }
}

int
virStorageBackendWipeLocal(virStorageVolDef *vol, unsigned int algorithm,
                           unsigned int flags)
{
    return volWipe(vol, algorithm, flags);
}

const virStorageBackend virStorageBackendDirectory = {
    .type = VIR_STORAGE_POOL_DIR,
    .buildPool = dirBuild,
    .checkPool = dirCheck,
    .refreshPool = dirRefresh,
    .deletePool = dirDelete,
    .createVol = volCreate,
    .buildVol = volBuild,
    .refreshVol = volRefresh,
    .deleteVol = volDelete,
    .resizeVol = volResize,
    .wipeVol = volWipe,
};

const virStorageBackend virStorageBackendFileSystem = {
    .type = VIR_STORAGE_POOL_FS,
    .buildPool = fsBuild,
    .checkPool = fsCheck,
    .startPool = fsStart,
    .refreshPool = dirRefresh,
    .stopPool = fsStop,
    .deletePool = dirDelete,
    .createVol = volCreate,
    .buildVol = volBuild,
    .refreshVol = volRefresh,
    .deleteVol = volDelete,
    .resizeVol = volResize,
    .wipeVol = volWipe,
};

const virStorageBackend *
virStorageBackendForType(int type)
{
    switch (type) {
    case VIR_STORAGE_POOL_DIR:
        return &virStorageBackendDirectory;
    case VIR_STORAGE_POOL_FS:
        return &virStorageBackendFileSystem;
    case VIR_STORAGE_POOL_DISK:
        return &virStorageBackendDisk;
    case VIR_STORAGE_POOL_LOGICAL:
        return &virStorageBackendLogical;
    default:
        virReportError(VIR_ERR_INTERNAL_ERROR, "missing backend for pool type %d (%s)",
                       type,
                       virStoragePoolTypeToString(type) ? virStoragePoolTypeToString(type)
                                                        : "(null)");
        return NULL;
    }
}
