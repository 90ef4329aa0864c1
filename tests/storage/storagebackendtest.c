/* storagebackendtest.c: the dir backend on a temporary folder: build, refresh, volumes made with qemu-img, checked on disk */

#define G_LOG_DOMAIN "virtkit.test.storagebackend"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "storage_backend.h"
#include "storage_util.h"
#include "virerror.h"

static char *tmpdir;

typedef struct {
    virStoragePoolObjList *list;
    virStoragePoolObj *obj;
    const virStorageBackend *be;
} fixture;

static void
setup(fixture *f, gconstpointer data)
{
    g_autofree char *xml = g_strdup_printf(
        "<pool type='dir'><name>t</name><target><path>%s/pool</path></target></pool>",
        tmpdir);
    virStoragePoolDef *def = virStoragePoolDefParseString(xml);

    g_assert_nonnull(def);
    f->list = virStoragePoolObjListNew();
    f->obj = virStoragePoolObjListAdd(f->list, &def, false, false);
    g_assert_nonnull(f->obj);
    f->be = virStorageBackendForType(VIR_STORAGE_POOL_DIR);
    g_assert_nonnull(f->be);
    g_assert_cmpint(f->be->buildPool(f->obj, 0), ==, 0);
    g_assert_cmpint(f->be->refreshPool(f->obj), ==, 0);
}

static void
teardown(fixture *f, gconstpointer data)
{
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s/pool'", tmpdir);

    virStoragePoolObjEndAPI(&f->obj);
    virStoragePoolObjListFree(f->list);
    g_assert_cmpint(system(cmd), ==, 0);
}

/* create + build as the driver does; returns the vol (owned by the pool) */
static virStorageVolDef *
mkvol(fixture *f, const char *xml, int expectCode)
{
    g_autoptr(virStorageVolDef) vol = virStorageVolDefParseString(f->obj->def, xml, 0);
    virStorageVolDef *ret;

    g_assert_nonnull(vol);
    virResetLastError();
    if (f->be->createVol(f->obj, vol) < 0 ||
        f->be->buildVol(f->obj->def, vol, NULL, 0) < 0) {
        g_assert_cmpint(expectCode, !=, 0);
        g_assert_cmpint(virGetLastError()->code, ==, expectCode);
        return NULL;
    }
    g_assert_cmpint(expectCode, ==, 0);
    g_assert_cmpint(f->be->refreshVol(f->obj, vol), ==, 0);
    ret = g_steal_pointer(&vol);
    virStoragePoolObjAddVol(f->obj, ret);
    return ret;
}

static char *
qemuImgInfo(const char *path)
{
    const char *args[] = { "info", "--output=json", path, NULL };
    char *out = NULL;

    g_assert_cmpint(virStorageQemuImg(args, &out), ==, 0);
    return out;
}

static void
testRawQcow2(fixture *f, gconstpointer data)
{
    virStorageVolDef *raw, *q, *sparse;
    struct stat sb;
    g_autofree char *info = NULL;
    g_autofree char *xml = NULL;

    raw = mkvol(f, "<volume><name>r1</name><capacity unit='M'>10</capacity></volume>", 0);
    g_assert_cmpint(stat(raw->target.path, &sb), ==, 0);
    g_assert_cmpint(sb.st_size, ==, 10 << 20);
    g_assert_cmpint(sb.st_blocks * 512, >=,
                    10 << 20); /* fully allocated: libvirt's default */
    g_assert_cmpint(sb.st_mode & 0777, ==, 0600);
    g_assert_cmpuint(raw->capacity, ==, 10 << 20);
    g_assert_cmpuint(raw->physical, ==, 10 << 20);

    sparse = mkvol(f,
                   "<volume><name>s1</name><capacity unit='G'>1</capacity>"
                   "<allocation>0</allocation></volume>",
                   0);
    g_assert_cmpint(stat(sparse->target.path, &sb), ==, 0);
    g_assert_cmpint(sb.st_size, ==, 1 << 30);
    g_assert_cmpint(sb.st_blocks, ==, 0);

    q = mkvol(f,
              "<volume><name>q1</name><capacity unit='M'>10</capacity>"
              "<target><format type='qcow2'/></target></volume>",
              0);
    info = qemuImgInfo(q->target.path);
    g_assert_nonnull(strstr(info, "\"format\": \"qcow2\""));
    g_assert_nonnull(strstr(info, "\"virtual-size\": 10485760"));
    g_assert_nonnull(strstr(info, "\"compat\": \"0.10\"")); /* libvirt 9.0's default */
    g_assert_cmpint(q->target.format, ==, VIR_STORAGE_FILE_QCOW2);
    g_assert_cmpuint(q->capacity, ==, 10 << 20);
    /* as libvirt 9.0: a new volume shows no cluster size, a refreshed pool's do */
    g_assert_cmpuint(q->target.clusterSize, ==, 0);
    g_assert_null(q->target.compat);
    xml = virStorageVolDefFormat(f->obj->def, q);
    g_assert_nonnull(strstr(xml, "<format type='qcow2'/>"));
    g_assert_null(strstr(xml, "<clusterSize"));

    /* refresh finds the same volumes, sorted as readdir gives them */
    g_assert_cmpint(f->be->refreshPool(f->obj), ==, 0);
    g_assert_cmpuint(f->obj->vols->len, ==, 3);
    q = virStoragePoolObjFindVolByName(f->obj, "q1");
    g_assert_nonnull(q);
    g_assert_cmpint(q->target.format, ==, VIR_STORAGE_FILE_QCOW2);
    g_assert_cmpuint(q->capacity, ==, 10 << 20);
    g_assert_cmpuint(q->target.clusterSize, ==, 65536);
    g_assert_cmpuint(f->obj->def->capacity, >, 0);
    g_assert_cmpuint(f->obj->def->allocation + f->obj->def->available, ==,
                     f->obj->def->capacity);
}

static void
testBadNames(fixture *f, gconstpointer data)
{
    g_autofree char *outside = g_strdup_printf("%s/escaped", tmpdir);

    mkvol(f, "<volume><name>../escaped</name><capacity>1</capacity></volume>",
          VIR_ERR_OPERATION_INVALID);
    g_assert_cmpstr(
        virGetLastError()->message, ==,
        "Requested operation is not valid: volume name '../escaped' cannot contain '/'");
    mkvol(f, "<volume><name>..</name><capacity>1</capacity></volume>",
          VIR_ERR_OPERATION_INVALID);
    mkvol(f, "<volume><name>a</name><capacity>1</capacity></volume>", 0);
    mkvol(f, "<volume><name>a</name><capacity>1</capacity></volume>",
          VIR_ERR_OPERATION_INVALID);
    /* metadata preallocation of a raw volume: refused, nothing left */
    {
        g_autoptr(virStorageVolDef) vol = virStorageVolDefParseString(
            f->obj->def, "<volume><name>p</name><capacity>1</capacity></volume>", 0);

        g_assert_cmpint(f->be->createVol(f->obj, vol), ==, 0);
        g_assert_cmpint(f->be->buildVol(f->obj->def, vol, NULL, 1), ==, -1);
        g_assert_false(g_file_test(vol->target.path, G_FILE_TEST_EXISTS));
    }
    g_assert_false(g_file_test(outside, G_FILE_TEST_EXISTS));
    g_assert_cmpint(f->be->refreshPool(f->obj), ==, 0);
    g_assert_cmpuint(f->obj->vols->len, ==, 1);
}

/* A raw volume whose guest wrote a qcow2 header stays raw: the format
 * virtkit recorded wins over the probe; a foreign file is probed. */
static void
testProbe(fixture *f, gconstpointer data)
{
    virStorageVolDef *raw =
        mkvol(f,
              "<volume><name>guest.img</name><capacity unit='M'>1</capacity>"
              "</volume>",
              0);
    g_autofree char *foreign = g_strdup_printf("%s/pool/foreign.qcow2", tmpdir);
    g_autofree char *backed = g_strdup_printf("%s/pool/backed.qcow2", tmpdir);
    g_autofree char *hdrcmd = NULL;
    const char *mk[] = { "create", "-q", "-f", "qcow2", foreign, "64M", NULL };
    const char *mkb[] = { "create",        "-q", "-f",    "qcow2", "-b",
                          "foreign.qcow2", "-F", "qcow2", backed,  NULL };
    virStorageVolDef *v;

    g_assert_cmpint(virStorageQemuImg(mk, NULL), ==, 0);
    g_assert_cmpint(virStorageQemuImg(mkb, NULL), ==, 0);
    /* the guest writes a qcow2 header into its raw disk */
    hdrcmd = g_strdup_printf("dd if='%s' of='%s' bs=512 count=1 conv=notrunc status=none",
                             backed, raw->target.path);
    g_assert_cmpint(system(hdrcmd), ==, 0);

    g_assert_cmpint(f->be->refreshPool(f->obj), ==, 0);
    v = virStoragePoolObjFindVolByName(f->obj, "guest.img");
    g_assert_nonnull(v);
    g_assert_cmpint(v->target.format, ==, VIR_STORAGE_FILE_RAW);
    g_assert_false(v->hasBacking);
    g_assert_cmpuint(v->capacity, ==, 1 << 20);

    v = virStoragePoolObjFindVolByName(f->obj, "foreign.qcow2");
    g_assert_nonnull(v);
    g_assert_cmpint(v->target.format, ==, VIR_STORAGE_FILE_QCOW2);
    g_assert_cmpuint(v->capacity, ==, 64 << 20);
    g_assert_cmpstr(v->target.compat, ==, "1.1");

    v = virStoragePoolObjFindVolByName(f->obj, "backed.qcow2");
    g_assert_nonnull(v);
    g_assert_true(v->hasBacking);
    g_assert_cmpstr(v->backing.path, ==, foreign);
    g_assert_cmpint(v->backing.format, ==, VIR_STORAGE_FILE_QCOW2);
    g_assert_cmpuint(v->capacity, ==, 64 << 20);

    /* after a restart (a fresh pool object) the recorded format still wins */
    virStoragePoolObjClearVols(f->obj);
    g_assert_cmpint(f->be->refreshPool(f->obj), ==, 0);
    v = virStoragePoolObjFindVolByName(f->obj, "guest.img");
    g_assert_cmpint(v->target.format, ==, VIR_STORAGE_FILE_RAW);
}

static void
testCloneResizeWipe(fixture *f, gconstpointer data)
{
    virStorageVolDef *src =
        mkvol(f,
              "<volume><name>src</name><capacity unit='M'>4</capacity>"
              "<allocation>0</allocation></volume>",
              0);
    g_autoptr(virStorageVolDef) dst = NULL;
    g_autofree char *info = NULL;
    g_autofree char *cmd = NULL;
    char buf[16] = { 0 };
    struct stat sb;
    int fd;

    /* write a pattern, clone into qcow2, read it back through qemu-img */
    fd = open(src->target.path, O_WRONLY);
    g_assert_cmpint(pwrite(fd, "VIRTKIT-PATTERN", 15, 1 << 20), ==, 15);
    close(fd);
    dst = virStorageVolDefParseString(f->obj->def,
                                      "<volume><name>dst</name><capacity>0</capacity>"
                                      "<target><format type='qcow2'/></target></volume>",
                                      0);
    g_assert_cmpint(f->be->createVol(f->obj, dst), ==, 0);
    g_assert_cmpint(f->be->buildVol(f->obj->def, dst, src, 0), ==, 0);
    g_assert_cmpint(f->be->refreshVol(f->obj, dst), ==, 0);
    g_assert_cmpint(dst->target.format, ==, VIR_STORAGE_FILE_QCOW2);
    g_assert_cmpuint(dst->capacity, ==, 4 << 20);
    cmd = g_strdup_printf("qemu-img convert -f qcow2 -O raw '%s' '%s/back.raw'",
                          dst->target.path, tmpdir);
    g_assert_cmpint(system(cmd), ==, 0);
    g_free(cmd);
    cmd = g_strdup_printf("%s/back.raw", tmpdir);
    fd = open(cmd, O_RDONLY);
    g_assert_cmpint(pread(fd, buf, 15, 1 << 20), ==, 15);
    close(fd);
    unlink(cmd);
    g_assert_cmpstr(buf, ==, "VIRTKIT-PATTERN");

    /* resize: raw grows by truncation, qcow2 through qemu-img */
    g_assert_cmpint(f->be->resizeVol(src, 8 << 20, 0), ==, 0);
    g_assert_cmpint(stat(src->target.path, &sb), ==, 0);
    g_assert_cmpint(sb.st_size, ==, 8 << 20);
    g_assert_cmpint(f->be->resizeVol(dst, 16 << 20, 0), ==, 0);
    g_assert_cmpint(f->be->refreshVol(f->obj, dst), ==, 0);
    g_assert_cmpuint(dst->capacity, ==, 16 << 20);
    g_assert_cmpint(f->be->resizeVol(dst, 2 << 20, 4 /* SHRINK */), ==, 0);
    g_assert_cmpint(f->be->refreshVol(f->obj, dst), ==, 0);
    g_assert_cmpuint(dst->capacity, ==, 2 << 20);

    /* wipe: the pattern is gone, the size stays */
    g_assert_cmpint(f->be->wipeVol(src, 0, 0), ==, 0);
    fd = open(src->target.path, O_RDONLY);
    g_assert_cmpint(pread(fd, buf, 15, 1 << 20), ==, 15);
    close(fd);
    g_assert_cmpint(memcmp(buf, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 15), ==, 0);
    g_assert_cmpint(stat(src->target.path, &sb), ==, 0);
    g_assert_cmpint(sb.st_size, ==, 8 << 20);
    g_assert_cmpint(f->be->wipeVol(dst, 0, 0), ==, 0);
    g_free(info);
    info = qemuImgInfo(dst->target.path);
    g_assert_nonnull(strstr(info, "\"format\": \"qcow2\""));
    g_assert_cmpint(f->be->wipeVol(dst, 9 /* trim */, 0), ==, -1);
    g_assert_cmpint(virGetLastError()->code, ==, VIR_ERR_ARGUMENT_UNSUPPORTED);
    g_assert_cmpstr(virGetLastError()->message, ==,
                    "argument unsupported: 'trim' algorithm not supported");
    /* a pattern: scrub(1) as libvirt runs it, or libvirt's error without it */
    {
        g_autofree char *scrub = g_find_program_in_path("scrub");
        int rc = f->be->wipeVol(src, 1 /* nnsa */, 0);

        if (scrub) {
            g_assert_cmpint(rc, ==, 0);
            g_assert_cmpint(stat(src->target.path, &sb), ==, 0);
            g_assert_cmpint(sb.st_size, ==, 8 << 20);
        } else {
            g_assert_cmpint(rc, ==, -1);
            g_assert_cmpint(virGetLastError()->code, ==, VIR_ERR_SYSTEM_ERROR);
        }
    }

    /* delete */
    g_assert_cmpint(f->be->deleteVol(f->obj, dst, 0), ==, 0);
    g_assert_false(g_file_test(dst->target.path, G_FILE_TEST_EXISTS));
    g_assert_cmpint(f->be->deleteVol(f->obj, src, 0), ==, 0);
    g_assert_cmpint(f->be->refreshPool(f->obj), ==, 0);
    g_assert_cmpuint(f->obj->vols->len, ==, 0);
    g_assert_cmpint(f->be->deletePool(f->obj, 0), ==, 0);
    g_assert_false(g_file_test(f->obj->def->target.path, G_FILE_TEST_EXISTS));
}

int
main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *cmd = NULL;
    int rc;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("vkstorage-XXXXXX", &err);
    g_assert_nonnull(tmpdir);
    g_test_add("/storage/dir/raw-qcow2", fixture, NULL, setup, testRawQcow2, teardown);
    g_test_add("/storage/dir/bad-names", fixture, NULL, setup, testBadNames, teardown);
    g_test_add("/storage/dir/probe", fixture, NULL, setup, testProbe, teardown);
    g_test_add("/storage/dir/clone-resize-wipe", fixture, NULL, setup,
               testCloneResizeWipe, teardown);
    rc = g_test_run();
    cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        rc = 1;
    g_free(tmpdir);
    return rc;
}
