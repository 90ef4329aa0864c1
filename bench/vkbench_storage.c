/* vkbench_storage.c: volume upload and download, sparse and full, pool refresh (workload storage) */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vkbench.h"

static int
benchSource(virStreamPtr st, char *bytes, size_t nbytes, void *opaque)
{
    return read(*(int *)opaque, bytes, nbytes);
}

static int
benchSink(virStreamPtr st, const char *bytes, size_t nbytes, void *opaque)
{
    size_t done = 0;

    while (done < nbytes) {
        ssize_t n = write(*(int *)opaque, bytes + done, nbytes - done);

        if (n < 0)
            return -1;
        done += n;
    }
    return nbytes;
}

static int
benchInData(virStreamPtr st, int *inData, long long *length, void *opaque)
{
    int fd = *(int *)opaque;
    off_t cur = lseek(fd, 0, SEEK_CUR), data, hole, end;

    if (cur < 0)
        return -1;
    data = lseek(fd, cur, SEEK_DATA);
    if (data < 0 && errno == ENXIO) {
        if ((end = lseek(fd, 0, SEEK_END)) < 0 || lseek(fd, cur, SEEK_SET) < 0)
            return -1;
        *inData = 0;
        *length = end - cur;
        return 0;
    }
    if (data < 0)
        return -1;
    if (data > cur) {
        *inData = 0;
        *length = data - cur;
    } else {
        if ((hole = lseek(fd, cur, SEEK_HOLE)) < 0)
            return -1;
        *inData = 1;
        *length = hole - cur;
    }
    return lseek(fd, cur, SEEK_SET) < 0 ? -1 : 0;
}

static int
benchSkip(virStreamPtr st, long long length, void *opaque)
{
    return lseek(*(int *)opaque, length, SEEK_CUR) < 0 ? -1 : 0;
}

static int
benchSkipSink(virStreamPtr st, long long length, void *opaque)
{
    int fd = *(int *)opaque;
    off_t cur = lseek(fd, 0, SEEK_CUR);

    if (cur < 0 || ftruncate(fd, cur + length) < 0 ||
        lseek(fd, cur + length, SEEK_SET) < 0)
        return -1;
    return 0;
}

/* One transfer of @path to/from @vol, timed from the call to the finish. */
static void
benchTransfer(virConnectPtr conn, virStorageVolPtr vol, const char *path, bool upload,
              bool sparse, const char *metric)
{
    int fd =
        upload ? open(path, O_RDONLY) : open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    virStreamPtr st = virStreamNew(conn, 0);
    double t0 = nowMs();
    int rc;

    if (fd < 0 || !st)
        die(path);
    if (upload) {
        if (virStorageVolUpload(vol, st, 0, 0,
                                sparse ? VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM : 0) < 0)
            die("virStorageVolUpload");
        rc = sparse ? virStreamSparseSendAll(st, benchSource, benchInData, benchSkip, &fd)
                    : virStreamSendAll(st, benchSource, &fd);
    } else {
        if (virStorageVolDownload(
                vol, st, 0, 0, sparse ? VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM : 0) < 0)
            die("virStorageVolDownload");
        rc = sparse ? virStreamSparseRecvAll(st, benchSink, benchSkipSink, &fd)
                    : virStreamRecvAll(st, benchSink, &fd);
    }
    if (rc < 0 || virStreamFinish(st) < 0)
        die("stream transfer");
    sample(metric, nowMs() - t0);
    virStreamFree(st);
    close(fd);
}

/* The raw volume @name of @pool: the one an earlier part left in the
 * folder (found by the pool's start), or a new one of @size bytes. */
static virStorageVolPtr
benchVolume(virStoragePoolPtr pool, const char *name, long long size)
{
    virStorageVolPtr *vols = NULL;
    virStorageVolPtr vol = NULL;
    char xml[256];
    int n = virStoragePoolListAllVolumes(pool, &vols, 0);

    for (int i = 0; i < n; i++) {
        if (!vol && strcmp(virStorageVolGetName(vols[i]), name) == 0)
            vol = vols[i];
        else
            virStorageVolFree(vols[i]);
    }
    free(vols);
    if (vol)
        return vol;
    snprintf(xml, sizeof(xml),
             "<volume><name>%s</name><capacity>%lld</capacity><allocation>0</allocation>"
             "</volume>",
             name, size);
    if (!(vol = virStorageVolCreateXML(pool, xml, 0)))
        die("virStorageVolCreateXML");
    return vol;
}

/*
 * A transient dir pool at @dir (built), a raw volume the size of @full
 * uploaded and downloaded @reps times, the same with @sparse and the
 * SPARSE_STREAM flags; then @nvols empty files in the folder and @reps
 * pool refreshes. Downloads go to @dir.down. @part: "all" that; "xfer"
 * the transfers only (the volumes of an earlier part reused); "refresh"
 * the refreshes only (after the transfers, whose two volumes it counts).
 * The pool is destroyed at the end of each part; its files stay. So
 * make bench alternates the sides' transfers one round at a time, as the
 * other rows that move with the machine's load do.
 */
void
workloadStorage(virConnectPtr conn, const char *dir, const char *full, const char *sparse,
                int nvols, int reps, const char *part)
{
    char xml[1024], down[1024], metric[64];
    virStoragePoolPtr pool;
    virStorageVolPtr vol;
    struct stat sf, ss;
    bool xfer = strcmp(part, "refresh") != 0;
    bool refresh = strcmp(part, "xfer") != 0;

    if (stat(full, &sf) < 0 || stat(sparse, &ss) < 0)
        die("stat of the transfer files");
    snprintf(xml, sizeof(xml),
             "<pool type='dir'><name>" NAME_PREFIX "pool</name><target><path>%s</path>"
             "</target></pool>",
             dir);
    if (!(pool = virStoragePoolCreateXML(conn, xml, VIR_STORAGE_POOL_CREATE_WITH_BUILD)))
        die("virStoragePoolCreateXML");
    snprintf(down, sizeof(down), "%s.down", dir);

    vol = benchVolume(pool, "full", (long long)sf.st_size);
    for (int r = 0; xfer && r < reps; r++) {
        benchTransfer(conn, vol, full, true, false, "vol_upload_full");
        benchTransfer(conn, vol, down, false, false, "vol_download_full");
    }
    virStorageVolFree(vol);

    vol = benchVolume(pool, "sparse", (long long)ss.st_size);
    for (int r = 0; xfer && r < reps; r++) {
        benchTransfer(conn, vol, sparse, true, true, "vol_upload_sparse");
        benchTransfer(conn, vol, down, false, true, "vol_download_sparse");
    }
    virStorageVolFree(vol);
    unlink(down);

    for (int i = 0; refresh && i < nvols; i++) {
        char path[1100];
        int fd;

        snprintf(path, sizeof(path), "%s/vol%05d.img", dir, i);
        if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
            die(path);
        close(fd);
    }
    snprintf(metric, sizeof(metric), "pool_refresh_%d", nvols);
    for (int r = 0; refresh && r < reps; r++) {
        double t0 = nowMs();

        if (virStoragePoolRefresh(pool, 0) < 0)
            die("virStoragePoolRefresh");
        sample(metric, nowMs() - t0);
    }
    if (refresh && virStoragePoolNumOfVolumes(pool) != nvols + 2)
        die("virStoragePoolNumOfVolumes after the refresh");
    virStoragePoolDestroy(pool);
    virStoragePoolFree(pool);
}
