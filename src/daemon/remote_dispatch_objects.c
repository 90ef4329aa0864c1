/* remote_dispatch_objects.c: the non-mechanical procedures of node devices and secrets
 *
 * Thread protocol: see remote_dispatch.c. The mechanical procedures of
 * every object kind are generated (protocol.vkp gen=..., remote_dispatch_gen.c).
 */
#define G_LOG_DOMAIN "virtkitd.dispatch"
#include <string.h>

#include "remote_dispatch_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VKD_HANDLER(vkdDispatchNodeDeviceGetParent)
{
    remote_node_device_get_parent_args *a = args;
    remote_node_device_get_parent_ret *r = ret;
    g_autoptr(virNodeDevice) dev = NULL;
    const char *parent;

    /* As libvirtd: the device must exist; a device without a parent is a
     * NULL string, not an error (the client's library reports it). */
    if (!(dev = virNodeDeviceLookupByName(call->conn, a->name)))
        return -1;
    if (!(parent = virNodeDeviceGetParent(dev))) {
        virResetLastError();
        r->parentName = NULL;
        return 0;
    }
    r->parentName = g_strdup(parent);
    return 0;
}

VKD_HANDLER(vkdDispatchSecretSetValue)
{
    remote_secret_set_value_args *a = args;
    g_autoptr(virSecret) secret = vkdSecretFromWire(call->conn, &a->secret);

    return virSecretSetValue(secret, a->value_val, a->value_len, a->flags);
}

VKD_HANDLER(vkdDispatchSecretGetValue)
{
    remote_secret_get_value_args *a = args;
    remote_secret_get_value_ret *r = ret;
    g_autoptr(virSecret) secret = vkdSecretFromWire(call->conn, &a->secret);
    unsigned char *value;
    size_t len = 0;

    if (!(value = virSecretGetValue(secret, &len, a->flags)))
        return -1;
    if (len > REMOTE_SECRET_VALUE_MAX) {
        memset(value, 0, len);
        g_free(value);
        virReportError(VIR_ERR_RPC, "%s", "secret value too large");
        return -1;
    }
    r->value_len = len;
    r->value_val = (uint8_t *)value;
    return 0;
}
