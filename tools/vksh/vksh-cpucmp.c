/* vksh-cpucmp.c: cpu-compare, cpu-baseline, hypervisor-cpu-compare, hypervisor-cpu-baseline as virsh 9.0 */
#define G_LOG_DOMAIN "vksh.cpucmp"

#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "vksh.h"

const vkshOptDef vkshOptsCpuCompare[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "file containing an XML CPU description" },
    { "error", VKSH_OT_BOOL, 0, "report error if CPUs are incompatible" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML document against schema" },
    { NULL, 0, 0, NULL },
};

const vkshOptDef vkshOptsCpuBaseline[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "file containing XML CPU descriptions" },
    { "features", VKSH_OT_BOOL, 0, "Show features that are part of the CPU model type" },
    { "migratable", VKSH_OT_BOOL, 0, "Do not include features that block migration" },
    { NULL, 0, 0, NULL },
};

const vkshOptDef vkshOptsHypervisorCpuCompare[] = {
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "file containing an XML CPU description" },
    { "virttype", VKSH_OT_STRING, 0, "virtualization type (/domain/@type)" },
    { "emulator", VKSH_OT_STRING, 0,
      "path to emulator binary (/domain/devices/emulator)" },
    { "arch", VKSH_OT_STRING, 0, "CPU architecture (/domain/os/type/@arch)" },
    { "machine", VKSH_OT_STRING, 0, "machine type (/domain/os/type/@machine)" },
    { "error", VKSH_OT_BOOL, 0, "report error if CPUs are incompatible" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML document against schema" },
    { NULL, 0, 0, NULL },
};

const vkshOptDef vkshOptsHypervisorCpuBaseline[] = {
    { "file", VKSH_OT_STRING, 0, "file containing XML CPU descriptions" },
    { "virttype", VKSH_OT_STRING, 0, "virtualization type (/domain/@type)" },
    { "emulator", VKSH_OT_STRING, 0,
      "path to emulator binary (/domain/devices/emulator)" },
    { "arch", VKSH_OT_STRING, 0, "CPU architecture (/domain/os/type/@arch)" },
    { "machine", VKSH_OT_STRING, 0, "machine type (/domain/os/type/@machine)" },
    { "features", VKSH_OT_BOOL, 0, "Show features that are part of the CPU model type" },
    { "migratable", VKSH_OT_BOOL, 0, "Do not include features that block migration" },
    { "model", VKSH_OT_STRING, 0,
      "Shortcut for calling the command with a single CPU model and no additional "
      "features" },
    { NULL, 0, 0, NULL },
};

/* The first fatal parser error as virsh (libvirt's XML parser) words it:
 * "FILE:LINE: MESSAGE", the offending line and a caret under the column. */
typedef struct {
    char *message;
} vkshXMLError;

static void
vkshXMLCatchError(void *ctx, const char *msg G_GNUC_UNUSED, ...)
{
    xmlParserCtxtPtr ctxt = ctx;
    vkshXMLError *state;
    const xmlChar *cur;
    const xmlChar *base;
    g_autoptr(GString) context = g_string_new(NULL);
    g_autoptr(GString) pointer = g_string_new(NULL);
    const xmlError *err;
    size_t col;

    if (!ctxt || !ctxt->input || !(state = ctxt->_private) || state->message)
        return;
    err = &ctxt->lastError;
    if (err->level != XML_ERR_FATAL || !err->message)
        return;
    cur = ctxt->input->cur;
    base = ctxt->input->base;
    while (cur > base && (*cur == '\n' || *cur == '\r'))
        cur--;
    while (cur > base && *cur != '\n' && *cur != '\r')
        cur--;
    if (*cur == '\n' || *cur == '\r')
        cur++;
    col = ctxt->input->cur - cur;
    while (*cur && *cur != '\n' && *cur != '\r')
        g_string_append_c(context, *cur++);
    for (size_t n = 0; n < col && n < context->len; n++)
        g_string_append_c(pointer, context->str[n] == '\t' ? '\t' : '-');
    g_string_append_c(pointer, '^');
    state->message = g_strdup_printf(
        "%s:%d: %s%s\n%s", err->file ? err->file : "", err->line, err->message,
        context->len ? context->str : "(null)", pointer->str);
}

/*
 * virsh's vshExtractCPUDefXMLs: the <cpu> elements of @path, a bare <cpu>
 * (or several), a domain, host capabilities or domain capabilities (whose
 * supported host-model <mode> becomes a <cpu> without attributes). A new
 * NULL-terminated list, or NULL after reporting.
 */
static char **
vkshExtractCPUs(vkshControl *ctl, const char *path)
{
    g_autofree char *buf = NULL;
    g_autofree char *wrapped = NULL;
    const char *body;
    xmlDocPtr doc;
    xmlParserCtxtPtr pctxt;
    vkshXMLError perr = { NULL };
    xmlXPathContextPtr xctx = NULL;
    xmlXPathObjectPtr obj = NULL;
    g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);

    if (!(buf = vkshReadFile(ctl, path)))
        return NULL;
    body = buf;
    if (g_str_has_prefix(buf, "<?xml") && strstr(buf, "?>"))
        body = strstr(buf, "?>") + 2;
    wrapped = g_strdup_printf("<container>%s</container>", body);
    if (!(pctxt = xmlNewParserCtxt())) {
        vkshError(ctl, "%s", "out of memory");
        return NULL;
    }
    pctxt->sax->error = vkshXMLCatchError;
    pctxt->sax->warning = NULL;
    pctxt->_private = &perr;
    doc = xmlCtxtReadMemory(pctxt, wrapped, (int)strlen(wrapped), path, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOWARNING);
    if (doc && !pctxt->wellFormed) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(pctxt);
    if (!doc) {
        vkshError(ctl, "%s", perr.message ? perr.message : "failed to parse the XML");
        g_free(perr.message);
        return NULL;
    }
    if ((xctx = xmlXPathNewContext(doc)))
        obj = xmlXPathEvalExpression(
            (const xmlChar *)"/container/cpu|/container/domain/cpu|"
                             "/container/capabilities/host/cpu|"
                             "/container/domainCapabilities/cpu/"
                             "mode[@name='host-model' and @supported='yes']",
            xctx);
    for (int i = 0; obj && obj->nodesetval && i < obj->nodesetval->nodeNr; i++) {
        xmlNodePtr node = obj->nodesetval->nodeTab[i];
        xmlBufferPtr xb = xmlBufferCreate();

        if (xmlStrEqual(node->name, (const xmlChar *)"mode")) {
            xmlNodeSetName(node, (const xmlChar *)"cpu");
            while (node->properties)
                xmlRemoveProp(node->properties);
        }
        xmlNodeDump(xb, doc, node, 0, 0);
        g_ptr_array_add(out, g_strdup((const char *)xmlBufferContent(xb)));
        xmlBufferFree(xb);
    }
    if (obj)
        xmlXPathFreeObject(obj);
    if (xctx)
        xmlXPathFreeContext(xctx);
    xmlFreeDoc(doc);
    if (out->len == 0) {
        vkshError(
            ctl,
            "File '%s' does not contain any <cpu> element or valid domain XML, host "
            "capabilities XML, or domain capabilities XML",
            path);
        return NULL;
    }
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&out), FALSE);
}

/* The compare result as virsh words it; false (virsh's exit status 1) for
 * an incompatible CPU. */
static bool
vkshPrintCompare(vkshControl *ctl, int result, const char *file, bool hypervisor)
{
    switch (result) {
    case VIR_CPU_COMPARE_INCOMPATIBLE:
        if (hypervisor)
            vkshPrint(ctl,
                      "CPU described in %s is incompatible with the CPU provided by "
                      "hypervisor on the host\n",
                      file);
        else
            vkshPrint(ctl, "CPU described in %s is incompatible with host CPU\n", file);
        vkshPrint(ctl, "\n");
        return false;
    case VIR_CPU_COMPARE_IDENTICAL:
        if (hypervisor)
            vkshPrint(
                ctl,
                "CPU described in %s is identical to the CPU provided by hypervisor "
                "on the host\n",
                file);
        else
            vkshPrint(ctl, "CPU described in %s is identical to host CPU\n", file);
        break;
    case VIR_CPU_COMPARE_SUPERSET:
        if (hypervisor)
            vkshPrint(ctl,
                      "The CPU provided by hypervisor on the host is a superset of CPU "
                      "described in %s\n",
                      file);
        else
            vkshPrint(ctl, "Host CPU is a superset of CPU described in %s\n", file);
        break;
    default:
        vkshError(ctl, "Failed to compare %s CPU with %s",
                  hypervisor ? "hypervisor" : "host", file);
        return false;
    }
    vkshPrint(ctl, "\n");
    return true;
}

static unsigned int
vkshCompareFlags(const vkshCmd *cmd)
{
    return (vkshOptBool(cmd, "error") ? VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE : 0) |
           (vkshOptBool(cmd, "validate") ? VIR_CONNECT_COMPARE_CPU_VALIDATE_XML : 0);
}

static unsigned int
vkshBaselineFlags(const vkshCmd *cmd)
{
    return (vkshOptBool(cmd, "features") ? VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES : 0) |
           (vkshOptBool(cmd, "migratable") ? VIR_CONNECT_BASELINE_CPU_MIGRATABLE : 0);
}

bool
vkshCmdCpuCompare(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *file = NULL;
    g_auto(GStrv) cpus = NULL;
    int result;

    if (vkshOptString(ctl, cmd, "file", &file) < 0)
        return false;
    if (!(cpus = vkshExtractCPUs(ctl, file)))
        return false;
    result = virConnectCompareCPU(ctl->conn, cpus[0], vkshCompareFlags(cmd));
    return vkshPrintCompare(ctl, result, file, false);
}

bool
vkshCmdHypervisorCpuCompare(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *file = NULL;
    const char *virttype = NULL;
    const char *emulator = NULL;
    const char *arch = NULL;
    const char *machine = NULL;
    g_auto(GStrv) cpus = NULL;
    int result;

    if (vkshOptString(ctl, cmd, "file", &file) < 0 ||
        vkshOptString(ctl, cmd, "virttype", &virttype) < 0 ||
        vkshOptString(ctl, cmd, "emulator", &emulator) < 0 ||
        vkshOptString(ctl, cmd, "arch", &arch) < 0 ||
        vkshOptString(ctl, cmd, "machine", &machine) < 0)
        return false;
    if (!(cpus = vkshExtractCPUs(ctl, file)))
        return false;
    result = virConnectCompareHypervisorCPU(ctl->conn, emulator, arch, machine, virttype,
                                            cpus[0], vkshCompareFlags(cmd));
    return vkshPrintCompare(ctl, result, file, true);
}

bool
vkshCmdCpuBaseline(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *file = NULL;
    g_auto(GStrv) cpus = NULL;
    g_autofree char *result = NULL;

    if (vkshOptString(ctl, cmd, "file", &file) < 0)
        return false;
    if (!(cpus = vkshExtractCPUs(ctl, file)))
        return false;
    if (!(result = virConnectBaselineCPU(ctl->conn, (const char **)cpus,
                                         g_strv_length(cpus), vkshBaselineFlags(cmd))))
        return false;
    vkshPrint(ctl, "%s", result);
    return true;
}

bool
vkshCmdHypervisorCpuBaseline(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *file = NULL;
    const char *virttype = NULL;
    const char *emulator = NULL;
    const char *arch = NULL;
    const char *machine = NULL;
    const char *model = NULL;
    g_auto(GStrv) cpus = NULL;
    g_autofree char *result = NULL;

    if (vkshOptString(ctl, cmd, "file", &file) < 0 ||
        vkshOptString(ctl, cmd, "virttype", &virttype) < 0 ||
        vkshOptString(ctl, cmd, "emulator", &emulator) < 0 ||
        vkshOptString(ctl, cmd, "arch", &arch) < 0 ||
        vkshOptString(ctl, cmd, "machine", &machine) < 0 ||
        vkshOptString(ctl, cmd, "model", &model) < 0)
        return false;
    if (!vkshOptExclusive(ctl, cmd, "file", "model"))
        return false;
    if (!file && !model) {
        vkshError(ctl, "%s", "Either --file or --model must be provided");
        return false;
    }
    if (file) {
        if (!(cpus = vkshExtractCPUs(ctl, file)))
            return false;
    } else {
        g_autoptr(GString) x = g_string_new("<cpu><model>");
        g_autofree char *esc = g_markup_escape_text(model, -1);

        g_string_append_printf(x, "%s</model></cpu>", esc);
        cpus = g_new0(char *, 2);
        cpus[0] = g_string_free(g_steal_pointer(&x), FALSE);
    }
    if (!(result = virConnectBaselineHypervisorCPU(
              ctl->conn, emulator, arch, machine, virttype, (const char **)cpus,
              g_strv_length(cpus), vkshBaselineFlags(cmd))))
        return false;
    vkshPrint(ctl, "%s", result);
    return true;
}
