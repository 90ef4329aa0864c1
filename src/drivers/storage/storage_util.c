/* storage_util.c: probing volume files (libvirt's header magic) and running qemu-img */

#define G_LOG_DOMAIN "virtkit.storage.util"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "datatypes.h"
#include "driver.h"
#include "storage_util.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_STORAGE

#define HEADER_LEN 4096

static guint64
be64(const unsigned char *p)
{
    guint64 v = 0;

    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

static guint32
be32(const unsigned char *p)
{
    return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

static guint64
le64(const unsigned char *p)
{
    guint64 v = 0;

    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

ssize_t
virStorageReadHeader(const char *path, char *buf, size_t len)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    ssize_t n;

    if (fd < 0)
        return -1;
    n = pread(fd, buf, len, 0);
    close(fd);
    return n;
}

/* libvirt's magic table, for the formats qemu-img reads. */
static int
probeFormat(const unsigned char *h, size_t n)
{
    if (n >= 8 && memcmp(h, "QFI\xfb", 4) == 0)
        return be32(h + 4) == 1 ? VIR_STORAGE_FILE_QCOW : VIR_STORAGE_FILE_QCOW2;
    if (n >= 4 && memcmp(h, "QED\0", 4) == 0)
        return VIR_STORAGE_FILE_QED;
    if (n >= 4 && memcmp(h, "KDMV", 4) == 0)
        return VIR_STORAGE_FILE_VMDK;
    if (n >= 8 && memcmp(h, "conectix", 8) == 0)
        return VIR_STORAGE_FILE_VPC;
    if (n >= 68 && h[64] == 0x7f && h[65] == 0x10 && h[66] == 0xda && h[67] == 0xbe)
        return VIR_STORAGE_FILE_VDI;
    if (n >= 22 && memcmp(h, "Bochs Virtual HD Image", 22) == 0)
        return VIR_STORAGE_FILE_BOCHS;
    if (n >= 16 && memcmp(h, "WithoutFreeSpace", 16) == 0)
        return VIR_STORAGE_FILE_PLOOP;
    return VIR_STORAGE_FILE_RAW;
}

static int
recordedFormat(const char *path)
{
    char buf[32];
    ssize_t n = getxattr(path, VIR_STORAGE_FORMAT_XATTR, buf, sizeof(buf) - 1);

    if (n <= 0)
        return -1;
    buf[n] = '\0';
    return virStorageFileFormatFromString(buf);
}

void
virStorageVolRecordFormat(const char *path, int format)
{
    const char *name = virStorageFileFormatToString(format);

    if (name && setxattr(path, VIR_STORAGE_FORMAT_XATTR, name, strlen(name), 0) < 0)
        g_debug("cannot record format of '%s': %s", path, g_strerror(errno));
}

void
virStorageVolFillStat(virStorageVolTarget *t, const struct stat *sb)
{
    t->perms.mode = sb->st_mode & 0777;
    t->perms.uid = sb->st_uid;
    t->perms.gid = sb->st_gid;
    t->hasTimestamps = true;
    t->atime.sec = sb->st_atim.tv_sec;
    t->atime.nsec = sb->st_atim.tv_nsec;
    t->mtime.sec = sb->st_mtim.tv_sec;
    t->mtime.nsec = sb->st_mtim.tv_nsec;
    t->ctime.sec = sb->st_ctim.tv_sec;
    t->ctime.nsec = sb->st_ctim.tv_nsec;
}

/* qcow2 header: version, size, cluster bits, features, backing file and
 * its format (header extension 0xE2792ACA). Never opens the backing. */
static void
probeQcow2(virStorageVolDef *vol, const unsigned char *h, size_t n)
{
    guint32 version = be32(h + 4);
    guint64 boff = be64(h + 8);
    guint32 blen = be32(h + 16);
    guint32 cbits = be32(h + 20);
    size_t ext;

    if (n < 72)
        return;
    vol->capacity = be64(h + 24);
    if (cbits >= 9 && cbits <= 21)
        vol->target.clusterSize = 1ull << cbits;
    g_clear_pointer(&vol->target.compat, g_free);
    vol->target.hasFeatures = false;
    memset(vol->target.features, 0, sizeof(vol->target.features));
    if (version >= 3 && n >= 104) {
        vol->target.compat = g_strdup("1.1");
        vol->target.hasFeatures = true;
        vol->target.features[VIR_STORAGE_FILE_FEATURE_LAZY_REFCOUNTS] = be64(h + 80) & 1;
        vol->target.features[VIR_STORAGE_FILE_FEATURE_EXTENDED_L2] =
            (be64(h + 72) >> 4) & 1;
        ext = be32(h + 100);
    } else {
        ext = 72;
    }

    g_clear_pointer(&vol->backing.path, g_free);
    vol->hasBacking = false;
    if (boff && blen && blen < 1024 && boff + blen <= n) {
        g_autofree char *bpath = g_strndup((const char *)h + boff, blen);
        struct stat sb;

        vol->hasBacking = true;
        if (bpath[0] != '/') {
            g_autofree char *dir = g_path_get_dirname(vol->target.path);

            vol->backing.path = g_build_filename(dir, bpath, NULL);
        } else {
            vol->backing.path = g_steal_pointer(&bpath);
        }
        vol->backing.format = VIR_STORAGE_FILE_RAW;
        vol->backing.perms.mode = (mode_t)-1;
        vol->backing.perms.uid = (uid_t)-1;
        vol->backing.perms.gid = (gid_t)-1;
        /* the extensions: type, length, data padded to 8 bytes */
        while (ext + 8 <= n && ext < boff) {
            guint32 type = be32(h + ext);
            guint32 len = be32(h + ext + 4);

            if (type == 0)
                break;
            if (type == 0xE2792ACA && ext + 8 + len <= n && len < 32) {
                g_autofree char *fmt = g_strndup((const char *)h + ext + 8, len);
                int f = virStorageFileFormatFromString(fmt);

                if (f > 0)
                    vol->backing.format = f;
            }
            ext += 8 + ((len + 7) & ~7u);
        }
        if (stat(vol->backing.path, &sb) == 0)
            virStorageVolFillStat(&vol->backing, &sb);
    }
}

/* The encryption libvirt's probe reads in a header: a LUKS (version 1)
 * raw image, a qcow2 one with crypt method 1 (qcow) or 2 (luks). A volume
 * keeps the <encryption> it was created with (its secrets); one without
 * gets what the header says, without a secret, as libvirt's pool refresh
 * lists it. */
static void
probeEncryption(virStorageVolDef *vol, int fmt, const unsigned char *h, size_t n)
{
    int enc = -1;

    if (fmt == VIR_STORAGE_FILE_RAW && n >= 8 && memcmp(h, "LUKS\xba\xbe", 6) == 0 &&
        h[6] == 0 && h[7] == 1)
        enc = VIR_STORAGE_ENCRYPTION_FORMAT_LUKS;
    else if (fmt == VIR_STORAGE_FILE_QCOW2 && n >= 36 && memcmp(h, "QFI\xfb", 4) == 0 &&
             (be32(h + 32) == 1 || be32(h + 32) == 2))
        enc = be32(h + 32) == 1 ? VIR_STORAGE_ENCRYPTION_FORMAT_QCOW
                                : VIR_STORAGE_ENCRYPTION_FORMAT_LUKS;
    if (enc < 0) {
        g_clear_pointer(&vol->target.encryption, virStorageEncryptionFree);
        return;
    }
    if (vol->target.encryption && vol->target.encryption->format == enc)
        return;
    virStorageEncryptionFree(vol->target.encryption);
    vol->target.encryption = g_new0(virStorageEncryption, 1);
    vol->target.encryption->format = enc;
}

int
virStorageVolProbe(virStorageVolDef *vol)
{
    struct stat sb;
    unsigned char h[HEADER_LEN];
    ssize_t n = 0;
    int fmt;

    if (lstat(vol->target.path, &sb) < 0) {
        if (errno == ENOENT)
            return -2;
        virReportSystemError(errno, "cannot stat file '%s'", vol->target.path);
        return -1;
    }
    if (S_ISLNK(sb.st_mode) || !(S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode)))
        return -2;

    virStorageVolFillStat(&vol->target, &sb);
    if (S_ISDIR(sb.st_mode)) {
        vol->type = VIR_STORAGE_VOL_TYPE_DIR;
        vol->target.format = VIR_STORAGE_FILE_DIR;
        vol->capacity = vol->allocation = vol->physical = 0;
        return 0;
    }

    vol->type = VIR_STORAGE_VOL_TYPE_FILE;
    vol->allocation = (unsigned long long)sb.st_blocks * 512;
    vol->physical = sb.st_size;
    vol->capacity = sb.st_size;

    if (sb.st_size > 0) {
        n = virStorageReadHeader(vol->target.path, (char *)h, sizeof(h));
        if (n < 0) {
            if (errno == EACCES || errno == ENOENT)
                return -2;
            virReportSystemError(errno, "cannot open volume '%s'", vol->target.path);
            return -1;
        }
    }
    fmt = recordedFormat(vol->target.path);
    if (fmt < 0 && vol->formatSet)
        fmt = vol->target.format;
    if (fmt < 0)
        fmt = probeFormat(h, n);
    vol->target.format = fmt;

    probeEncryption(vol, fmt, h, n);
    switch (fmt) {
    case VIR_STORAGE_FILE_QCOW2:
        if (n >= 72 && memcmp(h, "QFI\xfb", 4) == 0)
            probeQcow2(vol, h, n);
        break;
    case VIR_STORAGE_FILE_RAW:
        /* a LUKS image: what the guest sees is after its header (libvirt
         * subtracts the payload offset, in sectors) */
        if (n >= 108 && memcmp(h, "LUKS\xba\xbe", 6) == 0 && h[6] == 0 && h[7] == 1 &&
            (guint64)be32(h + 104) * 512 <= vol->capacity)
            vol->capacity -= (guint64)be32(h + 104) * 512;
        break;
    case VIR_STORAGE_FILE_QCOW:
        if (n >= 32)
            vol->capacity = be64(h + 24);
        break;
    case VIR_STORAGE_FILE_QED:
        if (n >= 56)
            vol->capacity = le64(h + 48);
        break;
    case VIR_STORAGE_FILE_VMDK:
        if (n >= 20 && memcmp(h, "KDMV", 4) == 0)
            vol->capacity = le64(h + 12) * 512;
        break;
    case VIR_STORAGE_FILE_VDI:
        if (n >= 376)
            vol->capacity = le64(h + 368);
        break;
    case VIR_STORAGE_FILE_VPC:
        if (n >= 56)
            vol->capacity = be64(h + 48);
        break;
    default:
        break;
    }
    return 0;
}

int
virStorageRunTool(const char *const *argv, char **output)
{
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autofree char *cmdline = g_strjoinv(" ", (char **)argv);
    g_autoptr(GError) gerr = NULL;
    g_auto(GStrv) env = g_environ_setenv(g_get_environ(), "LC_ALL", "C", TRUE);
    int status = 0;

    g_debug("running %s", cmdline);
    if (!g_spawn_sync(NULL, (char **)argv, env,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_CLOEXEC_PIPES, NULL, NULL, &out, &err,
                      &status, &gerr)) {
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
    if (output)
        *output = g_steal_pointer(&out);
    return 0;
}

int
virStorageQemuImg(const char *const *args, char **output)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();

    g_ptr_array_add(argv, (char *)"qemu-img");
    for (const char *const *a = args; *a; a++)
        g_ptr_array_add(argv, (char *)*a);
    g_ptr_array_add(argv, NULL);
    return virStorageRunTool((const char *const *)argv->pdata, output);
}

/* The value of @sec (a volume secret) from the secret driver serving this
 * process; NULL with its error. */
static unsigned char *
secretValue(const virStorageEncryptionSecret *es, size_t *len)
{
    static const char *const usageNames[] = { "none",  "volume", "ceph",
                                              "iscsi", "tls",    "vtpm" };
    const virSecretDriver *sd = virGetSharedSecretDriver();
    virConnectPtr conn = NULL;
    virSecretPtr sec = NULL;
    unsigned char *value = NULL;

    if (!sd || !sd->secretLookupByUUID || !sd->secretLookupByUsage ||
        !sd->secretGetValueInternal) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "an encrypted volume needs a secret driver (virtkitd's)");
        return NULL;
    }
    conn = virGetConnect();
    conn->secretDriver = sd;
    if (es->useUUID)
        sec = sd->secretLookupByUUID(conn, es->uuid);
    else
        sec = sd->secretLookupByUsage(conn, VIR_SECRET_USAGE_TYPE_VOLUME, es->usage);
    if (sec && sec->usageType != VIR_SECRET_USAGE_TYPE_NONE &&
        sec->usageType != VIR_SECRET_USAGE_TYPE_VOLUME) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virUUIDFormat(es->useUUID ? es->uuid : sec->uuid, uuidstr);
        virReportErrorFull(
            VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
            "secret with uuid %s is of type '%s' not expected '%s' type", uuidstr,
            sec->usageType >= 0 && sec->usageType < (int)G_N_ELEMENTS(usageNames)
                ? usageNames[sec->usageType]
                : "?",
            "volume");
    } else if (sec) {
        value = sd->secretGetValueInternal(sec, len);
    }
    if (sec)
        virObjectUnrefSecret(sec);
    virObjectUnrefConnect(conn);
    return value;
}

char *
virStorageVolSecretFile(const virStoragePoolDef *pool, const virStorageVolDef *vol)
{
    const virStorageEncryption *enc = vol->target.encryption;
    g_autofree char *path = NULL;
    unsigned char *value;
    size_t len = 0;
    bool ok;
    int fd;

    if (!enc || enc->nsecrets != 1) {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "A single <secret type='passphrase'...> element is expected in "
                       "encryption description");
        return NULL;
    }
    path = g_strdup_printf("%s/%s.%s.secret.XXXXXX", pool->target.path, pool->name,
                           vol->name);
    if (!(value = secretValue(&enc->secrets[0], &len)))
        return NULL;
    if ((fd = g_mkstemp_full(path, O_WRONLY | O_CLOEXEC, 0600)) < 0) {
        virReportSystemError(errno, "%s", "failed to open secret file for write");
        explicit_bzero(value, len);
        g_free(value);
        return NULL;
    }
    ok = write(fd, value, len) == (ssize_t)len;
    if (!ok)
        virReportSystemError(errno, "%s", "failed to write secret file");
    close(fd);
    explicit_bzero(value, len);
    g_free(value);
    if (!ok) {
        unlink(path);
        return NULL;
    }
    return g_steal_pointer(&path);
}

void
virStorageQemuImgEscape(GString *buf, const char *value)
{
    for (const char *p = value; *p; p++) {
        if (*p == ',')
            g_string_append_c(buf, ',');
        g_string_append_c(buf, *p);
    }
}
