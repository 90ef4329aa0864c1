/* vksh-hostcpu.c: host and CPU facts as virsh 9.0 prints them (domcapabilities, ...) */
#define G_LOG_DOMAIN "vksh.hostcpu"

#include "vksh.h"

const vkshOptDef vkshOptsDomcapabilities[] = {
    { "virttype", VKSH_OT_STRING, 0, "virtualization type (/domain/@type)" },
    { "emulatorbin", VKSH_OT_STRING, 0,
      "path to emulator binary (/domain/devices/emulator)" },
    { "arch", VKSH_OT_STRING, 0, "domain architecture (/domain/os/type/@arch)" },
    { "machine", VKSH_OT_STRING, 0, "machine type (/domain/os/type/@machine)" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDomcapabilities(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autofree char *caps = NULL;
    const char *virttype = NULL;
    const char *emulatorbin = NULL;
    const char *arch = NULL;
    const char *machine = NULL;

    if (vkshOptString(ctl, cmd, "virttype", &virttype) < 0 ||
        vkshOptString(ctl, cmd, "emulatorbin", &emulatorbin) < 0 ||
        vkshOptString(ctl, cmd, "arch", &arch) < 0 ||
        vkshOptString(ctl, cmd, "machine", &machine) < 0)
        return false;
    if (!(caps = virConnectGetDomainCapabilities(ctl->conn, emulatorbin, arch, machine,
                                                 virttype, 0))) {
        vkshError(ctl, "%s", "failed to get emulator capabilities");
        return false;
    }
    vkshPrint(ctl, "%s\n", caps);
    return true;
}
