/* vksh-hostdev.c: host PCI device assignment commands (nodedev-detach,
 * nodedev-reattach, nodedev-reset) as virsh 9.0, listed in vkshNodedevCmds */

#define G_LOG_DOMAIN "vksh.hostdev"
#include "vksh.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNodeDevice, virNodeDeviceFree)

const vkshOptDef vkshOptsNodedevDetach[] = {
    { "device", VKSH_OT_STRING, VKSH_OFLAG_REQ, "device key" },
    { "driver", VKSH_OT_STRING, 0,
      "pci device assignment backend driver (e.g. 'vfio' or 'xen')" },
    { NULL, 0, 0, NULL },
};

const vkshOptDef vkshOptsNodedevKey[] = {
    { "device", VKSH_OT_STRING, VKSH_OFLAG_REQ, "device key" },
    { NULL, 0, 0, NULL },
};

/* The device of option "device" (as virsh: a lookup by name), or NULL
 * after reporting; its name in @name. */
static virNodeDevicePtr
vkshHostdevLookup(vkshControl *ctl, const vkshCmd *cmd, const char **name)
{
    virNodeDevicePtr dev;

    if (vkshOptString(ctl, cmd, "device", name) <= 0)
        return NULL;
    if (!(dev = virNodeDeviceLookupByName(ctl->conn, *name)))
        vkshError(ctl, "Could not find matching device '%s'", *name);
    return dev;
}

/* As virsh: with --driver the newer virNodeDeviceDetachFlags, else the
 * old (misspelled) virNodeDeviceDettach. */
bool
vkshCmdNodedevDetach(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNodeDevice) dev = NULL;
    const char *name = NULL;
    const char *driver = NULL;
    int rc;

    if (vkshOptString(ctl, cmd, "driver", &driver) < 0)
        return false;
    if (!(dev = vkshHostdevLookup(ctl, cmd, &name)))
        return false;
    if (driver)
        rc = virNodeDeviceDetachFlags(dev, driver, 0);
    else
        rc = virNodeDeviceDettach(dev);
    if (rc < 0) {
        vkshError(ctl, "Failed to detach device %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Device %s detached\n", name);
    return true;
}

bool
vkshCmdNodedevReattach(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNodeDevice) dev = NULL;
    const char *name = NULL;

    if (!(dev = vkshHostdevLookup(ctl, cmd, &name)))
        return false;
    if (virNodeDeviceReAttach(dev) < 0) {
        vkshError(ctl, "Failed to re-attach device %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Device %s re-attached\n", name);
    return true;
}

bool
vkshCmdNodedevReset(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNodeDevice) dev = NULL;
    const char *name = NULL;

    if (!(dev = vkshHostdevLookup(ctl, cmd, &name)))
        return false;
    if (virNodeDeviceReset(dev) < 0) {
        vkshError(ctl, "Failed to reset device %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Device %s reset\n", name);
    return true;
}
