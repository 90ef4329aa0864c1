/* vksh-nodedevcreate.c: nodedev-create, -destroy, -define, -undefine, -start, -autostart as virsh 9.0 */

#define G_LOG_DOMAIN "vksh.nodedevcreate"

#include "vksh.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNodeDevice, virNodeDeviceFree)

const vkshOptDef vkshOptsNodedevCreate[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "file containing an XML description of the device" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL, 0, 0, NULL },
};

const vkshOptDef vkshOptsNodedevDevice[] = {
    { "device", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "device name or wwn pair in 'wwnn,wwpn' format" },
    { NULL, 0, 0, NULL },
};

const vkshOptDef vkshOptsNodedevStart[] = {
    { "device", VKSH_OT_STRING, VKSH_OFLAG_REQ, "device name" },
    { NULL, 0, 0, NULL },
};

/* The device named @value, or NULL after virsh's error. */
static virNodeDevicePtr
findDevice(vkshControl *ctl, const char *value)
{
    virNodeDevicePtr dev = virNodeDeviceLookupByName(ctl->conn, value);

    if (!dev)
        vkshError(ctl, "Could not find matching device '%s'", value);
    return dev;
}

/* nodedev-create and nodedev-define (@define) */
static bool
createOrDefine(vkshControl *ctl, const vkshCmd *cmd, bool define)
{
    g_autoptr(virNodeDevice) dev = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vkshOptString(ctl, cmd, "file", &file) <= 0)
        return false;
    /* VIR_NODE_DEVICE_CREATE_XML_VALIDATE == VIR_NODE_DEVICE_DEFINE_XML_VALIDATE */
    if (vkshOptBool(cmd, "validate"))
        flags |= VIR_NODE_DEVICE_CREATE_XML_VALIDATE;
    if (!(xml = vkshReadFile(ctl, file)))
        return false;
    if (define) {
        if (!(dev = virNodeDeviceDefineXML(ctl->conn, xml, flags))) {
            vkshError(ctl, "Failed to define node device from '%s'", file);
            return false;
        }
        vkshPrintExtra(ctl, "Node device '%s' defined from '%s'\n",
                       virNodeDeviceGetName(dev), file);
        return true;
    }
    if (!(dev = virNodeDeviceCreateXML(ctl->conn, xml, flags))) {
        vkshError(ctl, "Failed to create node device from %s", file);
        return false;
    }
    vkshPrintExtra(ctl, "Node device %s created from %s\n", virNodeDeviceGetName(dev),
                   file);
    return true;
}

bool
vkshCmdNodedevCreate(vkshControl *ctl, const vkshCmd *cmd)
{
    return createOrDefine(ctl, cmd, false);
}

bool
vkshCmdNodedevDefine(vkshControl *ctl, const vkshCmd *cmd)
{
    return createOrDefine(ctl, cmd, true);
}

bool
vkshCmdNodedevDestroy(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNodeDevice) dev = NULL;
    const char *name = NULL;

    if (vkshOptString(ctl, cmd, "device", &name) <= 0)
        return false;
    if (!(dev = findDevice(ctl, name)))
        return false;
    if (virNodeDeviceDestroy(dev) < 0) {
        vkshError(ctl, "Failed to destroy node device '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Destroyed node device '%s'\n", name);
    return true;
}

bool
vkshCmdNodedevUndefine(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNodeDevice) dev = NULL;
    const char *name = NULL;

    if (vkshOptString(ctl, cmd, "device", &name) <= 0)
        return false;
    if (!(dev = findDevice(ctl, name)))
        return false;
    if (virNodeDeviceUndefine(dev, 0) < 0) {
        vkshError(ctl, "Failed to undefine node device '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Undefined node device '%s'\n", name);
    return true;
}

bool
vkshCmdNodedevStart(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNodeDevice) dev = NULL;
    const char *name = NULL;

    if (vkshOptString(ctl, cmd, "device", &name) <= 0)
        return false;
    if (!(dev = findDevice(ctl, name)))
        return false;
    if (virNodeDeviceCreate(dev, 0) < 0) {
        vkshError(ctl, "Failed to start device %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Device %s started\n", name);
    return true;
}

const vkshOptDef vkshOptsNodedevAutostart[] = {
    { "device", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "device name or wwn pair in 'wwnn,wwpn' format" },
    { "disable", VKSH_OT_BOOL, 0, "disable autostarting" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdNodedevAutostart(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virNodeDevice) dev = NULL;
    const char *name = NULL;
    int autostart = !vkshOptBool(cmd, "disable");

    if (vkshOptString(ctl, cmd, "device", &name) <= 0)
        return false;
    if (!(dev = findDevice(ctl, name)))
        return false;
    if (virNodeDeviceSetAutostart(dev, autostart) < 0) {
        vkshError(ctl,
                  autostart ? "failed to mark device %s as autostarted"
                            : "failed to unmark device %s as autostarted",
                  name);
        return false;
    }
    vkshPrintExtra(ctl,
                   autostart ? "Device %s marked as autostarted\n"
                             : "Device %s unmarked as autostarted\n",
                   name);
    return true;
}
