/* vksh-hostcpu.c: host and CPU facts as virsh 9.0 prints them (domcapabilities, ...) */
#define G_LOG_DOMAIN "vksh.hostcpu"

#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

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

const vkshOptDef vkshOptsCpuModels[] = {
    { "arch", VKSH_OT_STRING, VKSH_OFLAG_REQ, "architecture" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdCpuModels(vkshControl *ctl, const vkshCmd *cmd)
{
    g_auto(GStrv) models = NULL;
    const char *arch = NULL;
    int n;

    if (vkshOptString(ctl, cmd, "arch", &arch) < 0)
        return false;
    if ((n = virConnectGetCPUModelNames(ctl->conn, arch, &models, 0)) < 0) {
        vkshError(ctl, "%s", "failed to get CPU model names");
        return false;
    }
    if (n == 0)
        vkshPrintExtra(ctl, "%s\n", "all CPU models are accepted");
    for (int i = 0; i < n; i++)
        vkshPrint(ctl, "%s\n", models[i]);
    return true;
}

const vkshOptDef vkshOptsMaxvcpus[] = {
    { "type", VKSH_OT_STRING, 0, "domain type" },
    { NULL, 0, 0, NULL },
};

/* virsh 9.0: the domain capabilities' vcpu max first, then
 * virConnectGetMaxVcpus (the first one's error forgotten). */
bool
vkshCmdMaxvcpus(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autofree char *caps = NULL;
    const char *type = NULL;
    int vcpus = -1;

    if (vkshOptString(ctl, cmd, "type", &type) < 0)
        return false;
    if ((caps = virConnectGetDomainCapabilities(ctl->conn, NULL, NULL, NULL, type, 0))) {
        xmlDocPtr doc = xmlReadMemory(caps, strlen(caps), "domainCapabilities", NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOENT);
        xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;

        for (xmlNodePtr n = root ? root->children : NULL; n; n = n->next) {
            if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "vcpu")) {
                xmlChar *max = xmlGetProp(n, BAD_CAST "max");
                char *end = NULL;
                long v = max ? strtol((const char *)max, &end, 10) : -1;

                if (max && end && !*end && v >= 0 && v <= G_MAXINT)
                    vcpus = (int)v;
                xmlFree(max);
                break;
            }
        }
        if (doc)
            xmlFreeDoc(doc);
    } else {
        vkshResetError();
    }
    if (vcpus < 0 && (vcpus = virConnectGetMaxVcpus(ctl->conn, type)) < 0)
        return false;
    vkshPrint(ctl, "%d\n", vcpus);
    return true;
}
