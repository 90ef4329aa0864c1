/* qemu_command_backing.c: the images below a disk's own (a given <backingStore> chain, then the qcow2 chain the headers name) and their -blockdev nodes */

#define G_LOG_DOMAIN "virtkit.qemu.command"

#include <string.h>

#include "qemu_command.h"
#include "qemu_command_priv.h"
#include "qemu_block_net.h"
#include "qemu_security.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* Whether images of @format name a backing image (libvirt's formats from
 * 'cow' on) */
static bool
qemuFormatHasBacking(int format)
{
    return format >= VIR_STORAGE_FILE_COW;
}

/* QEMU's format driver of a layer (libvirt's
 * qemuBlockStorageSourceGetBlockdevFormatProps) */
static const char *
qemuLayerFormatDriver(int format)
{
    switch (format) {
    case VIR_STORAGE_FILE_PLOOP:
        return "parallels";
    case VIR_STORAGE_FILE_VHD:
        return "vhdx";
    default:
        return virStorageFileFormatNames[format];
    }
}

static void
qemuDiskLayerFree(gpointer p)
{
    qemuDiskLayer *l = p;

    g_free(l->path);
    g_free(l);
}

GPtrArray *
qemuDiskLayers(const virDomainDiskDef *disk, bool *terminated)
{
    GPtrArray *layers = g_ptr_array_new_with_free_func(qemuDiskLayerFree);
    const char *detectFrom = NULL;
    const virDomainDiskBackingDef *b;

    *terminated = false;
    if (!disk->src && !disk->net)
        return layers;
    /* the given layers; what an earlier start read from the images
     * (detected, in a live definition) is read again */
    for (b = disk->backing; b && !b->terminator && !b->detected; b = b->backing) {
        qemuDiskLayer *l = g_new0(qemuDiskLayer, 1);

        l->type = b->type;
        l->format = b->format;
        l->path = g_strdup(b->path);
        l->given = b;
        g_ptr_array_add(layers, l);
    }
    if (b && b->terminator && !b->detected) {
        *terminated = true;
    } else if (layers->len == 0) {
        if (disk->format == VIR_STORAGE_FORMAT_QCOW2 && disk->src && !disk->net)
            detectFrom = disk->src;
    } else {
        const qemuDiskLayer *last = g_ptr_array_index(layers, layers->len - 1);

        if (last->type == VIR_DOMAIN_DISK_TYPE_FILE && last->path &&
            last->format == VIR_STORAGE_FILE_QCOW2)
            detectFrom = last->path;
    }
    if (detectFrom) {
        g_autoptr(GArray) fmts = NULL;
        g_autoptr(GPtrArray) chain =
            qemuSecurityBackingChainFormats(detectFrom, VIR_STORAGE_FORMAT_QCOW2, &fmts);

        for (guint j = 0; j < chain->len; j++) {
            qemuDiskLayer *l = g_new0(qemuDiskLayer, 1);
            bool qcow2 = g_array_index(fmts, int, j) == VIR_STORAGE_FORMAT_QCOW2;

            l->type = VIR_DOMAIN_DISK_TYPE_FILE;
            l->format = qcow2 ? VIR_STORAGE_FILE_QCOW2 : VIR_STORAGE_FILE_RAW;
            l->path = g_strdup(g_ptr_array_index(chain, j));
            l->detected = true;
            g_ptr_array_add(layers, l);
        }
        /* the last image read: terminated only when its header names no
         * backing; a chain the walk could not follow further (a backing
         * file not readable here, not a local file, too deep) is left to
         * QEMU to open from the header */
        if (chain->len) {
            const qemuDiskLayer *last = g_ptr_array_index(layers, layers->len - 1);

            *terminated = last->format != VIR_STORAGE_FILE_QCOW2 ||
                          qemuSecurityQcow2HasNoBacking(last->path);
        } else if (layers->len) {
            *terminated = qemuSecurityQcow2HasNoBacking(detectFrom);
        }
    }
    return layers;
}

size_t
qemuDiskNodeIndex(const virDomainDef *def, const virDomainDiskDef *disk)
{
    size_t n = 1;

    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *d = def->disks[i];
        bool terminated;
        g_autoptr(GPtrArray) layers = NULL;

        if (!d->src && !d->net)
            continue;
        if (d == disk)
            return n;
        layers = qemuDiskLayers(d, &terminated);
        n += 1 + layers->len;
    }
    return 0;
}

/* The -blockdev pair of each layer below the disk @disk (qemuDiskLayers),
 * bottom first, as libvirt 9.0 names them: libvirt-N-storage /
 * libvirt-N-format, read-only, each format node naming the one below as
 * "backing" (null below the last when the chain is terminated). The
 * nearest takes *@next, the next one below *@next + 1, and so on.
 * *@first gets the nearest one's N (0: no layer) and *@terminated whether
 * the disk's own format node gets "backing":null. 0, or -1 with libvirt's
 * error for a layer below an image whose format has none. */
int
qemuBuildDiskBacking(GPtrArray *a, const virDomainDiskDef *disk, const char *cacheJSON,
                     size_t *next, size_t *first, bool *terminated)
{
    g_autoptr(GPtrArray) layers = qemuDiskLayers(disk, terminated);
    int topFormat = disk->format == VIR_STORAGE_FORMAT_QCOW2 ? VIR_STORAGE_FILE_QCOW2
                                                             : VIR_STORAGE_FILE_RAW;

    *first = 0;
    for (guint j = 0; j < layers->len; j++) {
        int above = j == 0 ? topFormat : ((qemuDiskLayer *)layers->pdata[j - 1])->format;

        if (!qemuFormatHasBacking(above)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "storage format '%s' does not support backing store",
                           virStorageFileFormatNames[above]);
            return -1;
        }
        if (((qemuDiskLayer *)layers->pdata[j])->given &&
            ((qemuDiskLayer *)layers->pdata[j])->given->auth) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "authentication of a backing store layer is not supported "
                           "by virtkit");
            return -1;
        }
    }
    if (layers->len == 0)
        return 0;
    *first = *next;
    *next += layers->len;
    for (guint j = layers->len; j > 0; j--) {
        const qemuDiskLayer *l = g_ptr_array_index(layers, j - 1);
        size_t n = *first + j - 1;
        g_autofree char *below = NULL;
        g_autofree char *storage = NULL;

        if (j < layers->len)
            below = g_strdup_printf(",\"backing\":\"libvirt-%zu-format\"", n + 1);
        else if (*terminated && qemuFormatHasBacking(l->format))
            below = g_strdup(",\"backing\":null");
        else
            below = g_strdup("");
        if (l->type == VIR_DOMAIN_DISK_TYPE_NETWORK) {
            virDomainDiskDef tmp = { 0 };
            qemuBlockNetSecrets sec = { NULL, NULL };

            tmp.type = VIR_DOMAIN_DISK_TYPE_NETWORK;
            tmp.net = l->given->net;
            if (!(storage = qemuBlockNetStorageProps(&tmp, &sec)))
                return -1;
        } else {
            g_autofree char *esc = g_strescape(l->path ? l->path : "", NULL);

            storage = g_strdup_printf("{\"driver\":\"%s\",\"filename\":\"%s\"",
                                      qemuDiskStorageDriver(l->type), esc);
        }
        add(a, "-blockdev");
        addf(a,
             "%s,\"node-name\":\"libvirt-%zu-storage\"%s,\"auto-read-only\":true,"
             "\"discard\":\"unmap\"}",
             storage, n, cacheJSON ? cacheJSON : "");
        add(a, "-blockdev");
        addf(a,
             "{\"node-name\":\"libvirt-%zu-format\",\"read-only\":true%s,\"driver\":"
             "\"%s\",\"file\":\"libvirt-%zu-storage\"%s}",
             n, cacheJSON ? cacheJSON : "", qemuLayerFormatDriver(l->format), n, below);
    }
    *terminated = false;
    return 0;
}
