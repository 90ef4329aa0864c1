/* vksh-hostcpu.c: host and CPU facts as virsh 9.0 prints them (domcapabilities, ...) */
#define G_LOG_DOMAIN "vksh.hostcpu"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "vksh.h"
#include "vksh-keynames.h"

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

/* ---- guest utilities ---------------------------------------------------- */

static const char *const vkshKeycodeSets[] = {
    "linux", "xt", "atset1", "atset2", "atset3", "os_x", "xt_kbd", "usb", "win32", "qnum",
};

const vkshOptDef vkshOptsSendKey[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { "codeset", VKSH_OT_STRING, VKSH_OFLAG_NAMED,
      "the codeset of keycodes, default:linux" },
    { "holdtime", VKSH_OT_INT, VKSH_OFLAG_NAMED,
      "the time (in milliseconds) how long the keys will be held" },
    { "keycode", VKSH_OT_ARGV, VKSH_OFLAG_REQ | VKSH_OFLAG_ARGV_SHOWNAME,
      "the key code" },
    { NULL, 0, 0, NULL },
};

/* virsh's virshKeyCodeGetInt: a number (any base) up to 0xffff, or -1. */
static int
vkshKeyCodeGetInt(const char *str)
{
    char *end = NULL;
    unsigned long v;

    if (!*str || *str == '-')
        return -1;
    errno = 0;
    v = strtoul(str, &end, 0);
    if (errno || *end || v > 0xffff)
        return -1;
    return (int)v;
}

/* virsh's virKeycodeValueFromString: the code of key @name in @codeset
 * (the first row naming it; only linux, os_x and win32 have names), or -1. */
static int
vkshKeyCodeFromName(int codeset, const char *name)
{
    const vkshKeyName *names = NULL;
    size_t n = 0;

    switch (codeset) {
    case VIR_KEYCODE_SET_LINUX:
        names = vkshLinuxKeyNames;
        n = G_N_ELEMENTS(vkshLinuxKeyNames);
        break;
    case VIR_KEYCODE_SET_OSX:
        names = vkshOsxKeyNames;
        n = G_N_ELEMENTS(vkshOsxKeyNames);
        break;
    case VIR_KEYCODE_SET_WIN32:
        names = vkshWin32KeyNames;
        n = G_N_ELEMENTS(vkshWin32KeyNames);
        break;
    }
    for (size_t i = 0; i < n; i++) {
        if (g_str_equal(name, names[i].name))
            return (int)names[i].code;
    }
    return -1;
}

bool
vkshCmdSendKey(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *codesetName = "linux";
    unsigned int keycodes[VIR_DOMAIN_SEND_KEY_MAX_KEYS];
    int holdtime = 0;
    int codeset = -1;
    int count = 0;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "codeset", &codesetName) < 0 ||
        vkshOptInt(ctl, cmd, "holdtime", &holdtime) < 0)
        return false;
    if (holdtime < 0) {
        vkshError(ctl,
                  "Numeric value '%d' for <holdtime> option is malformed or out of range",
                  holdtime);
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(vkshKeycodeSets); i++) {
        if (g_str_equal(codesetName, vkshKeycodeSets[i]))
            codeset = (int)i;
    }
    if (g_str_equal(codesetName, "rfb"))
        codeset = VIR_KEYCODE_SET_QNUM;
    if (codeset < 0) {
        vkshError(ctl, "unknown codeset: '%s'", codesetName);
        return false;
    }
    for (guint i = 0; cmd->argv && i < cmd->argv->len; i++) {
        const char *word = g_ptr_array_index(cmd->argv, i);
        int key;

        if (count == VIR_DOMAIN_SEND_KEY_MAX_KEYS) {
            vkshError(ctl, "%s", "too many keycodes");
            return false;
        }
        if ((key = vkshKeyCodeGetInt(word)) < 0)
            key = vkshKeyCodeFromName(codeset, word);
        if (key < 0) {
            vkshError(ctl, "invalid keycode: '%s'", word);
            return false;
        }
        keycodes[count++] = (unsigned int)key;
    }
    return virDomainSendKey(dom, (unsigned int)codeset, (unsigned int)holdtime, keycodes,
                            count, 0) == 0;
}

const vkshOptDef vkshOptsDomcontrol[] = {
    { "domain", VKSH_OT_STRING, VKSH_OFLAG_REQ, "domain name, id or uuid" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdDomcontrol(vkshControl *ctl, const vkshCmd *cmd)
{
    static const char *const states[] = { "ok", "background job", "occupied", "error" };
    static const char *const reasons[] = { "", "unknown", "monitor failure",
                                           "internal (locking) error" };
    g_autoptr(virDomain) dom = NULL;
    virDomainControlInfo info;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (virDomainGetControlInfo(dom, &info, 0) < 0)
        return false;
    if (info.state != VIR_DOMAIN_CONTROL_OK && info.state != VIR_DOMAIN_CONTROL_ERROR)
        vkshPrint(ctl, "%s (%0.3fs)\n", info.state < 4 ? states[info.state] : "unknown",
                  info.stateTime / 1000.0);
    else if (info.state == VIR_DOMAIN_CONTROL_ERROR && info.details > 0)
        vkshPrint(ctl, "%s: %s\n", states[info.state],
                  info.details < 4 ? reasons[info.details] : "unknown");
    else
        vkshPrint(ctl, "%s\n", states[info.state]);
    return true;
}

/* ---- node-memory-tune ---------------------------------------------------- */

const vkshOptDef vkshOptsNodeMemoryTune[] = {
    { "shm-pages-to-scan", VKSH_OT_INT, VKSH_OFLAG_NAMED,
      "number of pages to scan before the shared memory service goes to sleep" },
    { "shm-sleep-millisecs", VKSH_OT_INT, VKSH_OFLAG_NAMED,
      "number of millisecs the shared memory service should sleep before next scan" },
    { "shm-merge-across-nodes", VKSH_OT_INT, VKSH_OFLAG_NAMED,
      "Specifies if pages from different numa nodes can be merged" },
    { NULL, 0, 0, NULL },
};

bool
vkshCmdNodeMemoryTune(vkshControl *ctl, const vkshCmd *cmd)
{
    static const char *const opts[][2] = {
        { "shm-pages-to-scan", VIR_NODE_MEMORY_SHARED_PAGES_TO_SCAN },
        { "shm-sleep-millisecs", VIR_NODE_MEMORY_SHARED_SLEEP_MILLISECS },
        { "shm-merge-across-nodes", VIR_NODE_MEMORY_SHARED_MERGE_ACROSS_NODES },
    };
    virTypedParameter set[G_N_ELEMENTS(opts)];
    g_autofree virTypedParameterPtr params = NULL;
    int nset = 0;
    int nparams = 0;

    memset(set, 0, sizeof(set));
    for (size_t i = 0; i < G_N_ELEMENTS(opts); i++) {
        const char *v = NULL;
        char *end = NULL;
        unsigned long long n;

        if (vkshOptString(ctl, cmd, opts[i][0], &v) < 0)
            return false;
        if (!v)
            continue;
        errno = 0;
        n = strtoull(v, &end, 10);
        if (!*v || *v == '-' || *end || errno || n > G_MAXUINT) {
            vkshError(ctl,
                      "Numeric value '%s' for <%s> option is malformed or out of range",
                      v, opts[i][0]);
            return false;
        }
        g_strlcpy(set[nset].field, opts[i][1], sizeof(set[nset].field));
        set[nset].type = VIR_TYPED_PARAM_UINT;
        set[nset].value.ui = (unsigned int)n;
        nset++;
    }
    if (nset) {
        if (virNodeSetMemoryParameters(ctl->conn, set, nset, 0) != 0) {
            vkshError(ctl, "%s", "Unable to change memory parameters");
            return false;
        }
        return true;
    }
    if (virNodeGetMemoryParameters(ctl->conn, NULL, &nparams, 0) != 0) {
        vkshError(ctl, "%s", "Unable to get number of memory parameters");
        return false;
    }
    if (nparams == 0)
        return true;
    params = g_new0(virTypedParameter, nparams);
    if (virNodeGetMemoryParameters(ctl->conn, params, &nparams, 0) != 0) {
        vkshError(ctl, "%s", "Unable to get memory parameters");
        return false;
    }
    vkshPrint(ctl, "Shared memory:\n");
    for (int i = 0; i < nparams; i++) {
        g_autofree char *str = NULL;

        switch (params[i].type) {
        case VIR_TYPED_PARAM_UINT:
            str = g_strdup_printf("%u", params[i].value.ui);
            break;
        case VIR_TYPED_PARAM_ULLONG:
            str = g_strdup_printf("%llu", params[i].value.ul);
            break;
        case VIR_TYPED_PARAM_INT:
            str = g_strdup_printf("%d", params[i].value.i);
            break;
        case VIR_TYPED_PARAM_LLONG:
            str = g_strdup_printf("%lld", params[i].value.l);
            break;
        default:
            str = g_strdup("unimplemented parameter type");
        }
        vkshPrint(ctl, "\t%-15s %s\n", params[i].field, str);
    }
    return true;
}
