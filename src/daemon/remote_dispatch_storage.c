/* remote_dispatch_storage.c: the storage procedures whose wire form is not mechanical (info structs, a second volume)
 *
 * Thread protocol: see remote_dispatch.c. The mechanical storage
 * procedures are generated (protocol.vkp gen=both, remote_dispatch_gen.c).
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"
#include <string.h>

#include "remote_dispatch_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VKD_HANDLER(vkdDispatchStoragePoolGetInfo)
{
    remote_storage_pool_get_info_args *a = args;
    remote_storage_pool_get_info_ret *r = ret;
    g_autoptr(virStoragePool) pool = vkdStoragePoolFromWire(call->conn, &a->pool);
    virStoragePoolInfo info;

    if (virStoragePoolGetInfo(pool, &info) < 0)
        return -1;
    r->state = info.state;
    r->capacity = info.capacity;
    r->allocation = info.allocation;
    r->available = info.available;
    return 0;
}

VKD_HANDLER(vkdDispatchStorageVolGetInfo)
{
    remote_storage_vol_get_info_args *a = args;
    remote_storage_vol_get_info_ret *r = ret;
    g_autoptr(virStorageVol) vol = vkdStorageVolFromWire(call->conn, &a->vol);
    virStorageVolInfo info;

    if (virStorageVolGetInfo(vol, &info) < 0)
        return -1;
    r->type = info.type;
    r->capacity = info.capacity;
    r->allocation = info.allocation;
    return 0;
}

VKD_HANDLER(vkdDispatchStorageVolGetInfoFlags)
{
    remote_storage_vol_get_info_flags_args *a = args;
    remote_storage_vol_get_info_flags_ret *r = ret;
    g_autoptr(virStorageVol) vol = vkdStorageVolFromWire(call->conn, &a->vol);
    virStorageVolInfo info;

    if (virStorageVolGetInfoFlags(vol, &info, a->flags) < 0)
        return -1;
    r->type = info.type;
    r->capacity = info.capacity;
    r->allocation = info.allocation;
    return 0;
}

VKD_HANDLER(vkdDispatchStorageVolCreateXMLFrom)
{
    remote_storage_vol_create_xml_from_args *a = args;
    remote_storage_vol_create_xml_from_ret *r = ret;
    g_autoptr(virStoragePool) pool = vkdStoragePoolFromWire(call->conn, &a->pool);
    g_autoptr(virStorageVol) clone = vkdStorageVolFromWire(call->conn, &a->clonevol);
    g_autoptr(virStorageVol) vol = NULL;

    if (!(vol = virStorageVolCreateXMLFrom(pool, a->xml, clone, a->flags)))
        return -1;
    vkdStorageVolToWire(&r->vol, vol);
    return 0;
}

/* Upload and download: the volume's file attached to a new stream of the
 * call's connection; the data starts after the reply (vkdStreamAttach). */
static int
vkdStorageVolTransfer(vkdCall *call, const remote_nonnull_storage_vol *w,
                      unsigned long long offset, unsigned long long length,
                      unsigned int flags, bool upload)
{
    g_autoptr(virStorageVol) vol = vkdStorageVolFromWire(call->conn, w);
    virStreamPtr st;
    int rc;

    if (!(st = virStreamNew(call->conn, VIR_STREAM_NONBLOCK)))
        return -1;
    rc = upload ? virStorageVolUpload(vol, st, offset, length, flags)
                : virStorageVolDownload(vol, st, offset, length, flags);
    if (rc < 0) {
        virErrorPtr saved = NULL;

        virErrorPreserveLast(&saved);
        virStreamFree(st);
        virErrorRestore(&saved);
        return -1;
    }
    vkdStreamAttach(call, st,
                    flags & (upload ? VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM
                                    : VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM));
    return 0;
}

VKD_HANDLER(vkdDispatchStorageVolUpload)
{
    remote_storage_vol_upload_args *a = args;

    (void)ret;
    return vkdStorageVolTransfer(call, &a->vol, a->offset, a->length, a->flags, true);
}

VKD_HANDLER(vkdDispatchStorageVolDownload)
{
    remote_storage_vol_download_args *a = args;

    (void)ret;
    return vkdStorageVolTransfer(call, &a->vol, a->offset, a->length, a->flags, false);
}
