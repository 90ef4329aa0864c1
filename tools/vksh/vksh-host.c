/* vksh-host.c: host and hypervisor commands: uri, version, hostname, nodeinfo, capabilities */

#define G_LOG_DOMAIN "vksh.host"
#include "vksh.h"

static bool
cmdUri(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autofree char *uri = virConnectGetURI(ctl->conn);

    if (!uri) {
        vkshError(ctl, "%s", "failed to get URI");
        return false;
    }
    vkshPrint(ctl, "%s\n", uri);
    return true;
}

static bool
cmdHostname(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autofree char *hostname = virConnectGetHostname(ctl->conn);

    if (!hostname) {
        vkshError(ctl, "%s", "failed to get hostname");
        return false;
    }
    vkshPrint(ctl, "%s\n", hostname);
    return true;
}

/* libvirt encodes versions as major * 1000000 + minor * 1000 + micro. */
static void
vkshPrintVersion(vkshControl *ctl, const char *what, const char *prefix, unsigned long v)
{
    vkshPrint(ctl, "%s: %s%lu.%lu.%lu\n", what, prefix, v / 1000000, (v / 1000) % 1000,
              v % 1000);
}

static const vkshOptDef optsVersion[] = {
    { "daemon", VKSH_OT_BOOL, 0, "report daemon version too" },
    { NULL, 0, 0, NULL },
};

static bool
cmdVersion(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autofree char *typeprefix = NULL;
    unsigned long libVersion = 0;
    unsigned long apiVersion = 0;
    unsigned long hvVersion = 0;
    const char *hvType;

    if (!(hvType = virConnectGetType(ctl->conn))) {
        vkshError(ctl, "%s", "failed to get hypervisor type");
        return false;
    }
    typeprefix = g_strdup_printf("%s ", hvType);

    vkshPrintVersion(ctl, "Compiled against library", "libvirt ", LIBVIR_VERSION_NUMBER);
    if (virGetVersion(&libVersion, hvType, &apiVersion) < 0) {
        vkshError(ctl, "%s", "failed to get the library version");
        return false;
    }
    vkshPrintVersion(ctl, "Using library", "libvirt ", libVersion);
    vkshPrintVersion(ctl, "Using API", typeprefix, apiVersion);

    if (virConnectGetVersion(ctl->conn, &hvVersion) < 0) {
        vkshError(ctl, "%s", "failed to get the hypervisor version");
        return false;
    }
    if (hvVersion == 0)
        vkshPrint(ctl, "Cannot extract running %s hypervisor version\n", hvType);
    else
        vkshPrintVersion(ctl, "Running hypervisor", typeprefix, hvVersion);

    if (vkshOptBool(cmd, "daemon")) {
        unsigned long daemonVersion = 0;

        if (virConnectGetLibVersion(ctl->conn, &daemonVersion) < 0) {
            vkshError(ctl, "%s", "failed to get the daemon version");
            return false;
        }
        vkshPrintVersion(ctl, "Running against daemon", "", daemonVersion);
    }
    return true;
}

static bool
cmdNodeinfo(vkshControl *ctl, const vkshCmd *cmd)
{
    virNodeInfo info;

    if (virNodeGetInfo(ctl->conn, &info) < 0) {
        vkshError(ctl, "%s", "failed to get node information");
        return false;
    }
    vkshPrint(ctl, "%-20s %s\n", "CPU model:", info.model);
    vkshPrint(ctl, "%-20s %d\n", "CPU(s):", info.cpus);
    vkshPrint(ctl, "%-20s %d MHz\n", "CPU frequency:", info.mhz);
    vkshPrint(ctl, "%-20s %d\n", "CPU socket(s):", info.sockets);
    vkshPrint(ctl, "%-20s %d\n", "Core(s) per socket:", info.cores);
    vkshPrint(ctl, "%-20s %d\n", "Thread(s) per core:", info.threads);
    vkshPrint(ctl, "%-20s %d\n", "NUMA cell(s):", info.nodes);
    vkshPrint(ctl, "%-20s %lu KiB\n", "Memory size:", info.memory);
    return true;
}

static bool
cmdCapabilities(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autofree char *caps = virConnectGetCapabilities(ctl->conn);

    if (!caps) {
        vkshError(ctl, "%s", "failed to get capabilities");
        return false;
    }
    vkshPrint(ctl, "%s\n", caps);
    return true;
}

const vkshCmdDef vkshHostCmds[] = {
    { "allocpages", vkshCmdAllocpages, vkshOptsAllocpages, "Manipulate pages pool size",
      "Allocate or free some pages in the pool for NUMA cell.", 0 },
    { "capabilities", cmdCapabilities, NULL, "capabilities",
      "Returns capabilities of hypervisor/driver.", 0 },
    { "cpu-baseline", vkshCmdCpuBaseline, vkshOptsCpuBaseline, "compute baseline CPU",
      "Compute baseline CPU for a set of given CPUs.", 0 },
    { "cpu-compare", vkshCmdCpuCompare, vkshOptsCpuCompare,
      "compare host CPU with a CPU described by an XML file", "compare CPU with host CPU",
      0 },
    { "cpu-models", vkshCmdCpuModels, vkshOptsCpuModels, "CPU models",
      "Get the CPU models for an arch.", 0 },
    { "domcapabilities", vkshCmdDomcapabilities, vkshOptsDomcapabilities,
      "domain capabilities",
      "Returns capabilities of emulator with respect to host and libvirt.", 0 },
    { "freecell", vkshCmdFreecell, vkshOptsFreecell, "NUMA free memory",
      "display available free memory for the NUMA cell.", 0 },
    { "freepages", vkshCmdFreepages, vkshOptsFreepages, "NUMA free pages",
      "display available free pages for the NUMA cell.", 0 },
    { "hostname", cmdHostname, NULL, "print the hypervisor hostname", NULL, 0 },
    { "hypervisor-cpu-baseline", vkshCmdHypervisorCpuBaseline,
      vkshOptsHypervisorCpuBaseline,
      "compute baseline CPU usable by a specific hypervisor",
      "Compute baseline CPU for a set of given CPUs. The result will be tailored to the "
      "specified hypervisor.",
      0 },
    { "hypervisor-cpu-compare", vkshCmdHypervisorCpuCompare, vkshOptsHypervisorCpuCompare,
      "compare a CPU with the CPU created by a hypervisor on the host",
      "compare CPU with hypervisor CPU", 0 },
    { "maxvcpus", vkshCmdMaxvcpus, vkshOptsMaxvcpus, "connection vcpu maximum",
      "Show maximum number of virtual CPUs for guests on this connection.", 0 },
    { "node-memory-tune", vkshCmdNodeMemoryTune, vkshOptsNodeMemoryTune,
      "Get or set node memory parameters",
      "Get or set node memory parameters\nTo get the memory parameters, use following "
      "command: \n\nvirsh # node-memory-tune",
      0 },
    { "nodecpumap", vkshCmdNodecpumap, vkshOptsNodecpumap, "node cpu map",
      "Displays the node's total number of CPUs, the number of online CPUs and the list "
      "of online CPUs.",
      0 },
    { "nodecpustats", vkshCmdNodecpustats, vkshOptsNodecpustats,
      "Prints cpu stats of the node.", "Returns cpu stats of the node, in nanoseconds.",
      0 },
    { "nodeinfo", cmdNodeinfo, NULL, "node information",
      "Returns basic information about the node.", 0 },
    { "nodememstats", vkshCmdNodememstats, vkshOptsNodememstats,
      "Prints memory stats of the node.",
      "Returns memory stats of the node, in kilobytes.", 0 },
    { "nodesuspend", vkshCmdNodesuspend, vkshOptsNodesuspend,
      "suspend the host node for a given time duration",
      "Suspend the host node for a given time duration and attempt to resume thereafter.",
      0 },
    { "sysinfo", vkshCmdSysinfo, NULL, "print the hypervisor sysinfo",
      "output an XML string for the hypervisor sysinfo, if available", 0 },
    { "uri", cmdUri, NULL, "print the hypervisor canonical URI", NULL, 0 },
    { "version", cmdVersion, optsVersion, "show version",
      "Display the system version information.", 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
