/* qemu_driver_native.c: the QEMU driver's native format (virConnectDomainXMLToNative)
 *
 * "qemu-argv": the command line a start of the definition would run,
 * prepared as qemuProcessStart prepares it but without touching the host
 * (no directory, socket, tap, port reservation or NVRAM file). No state of
 * its own: any thread.
 */
#define G_LOG_DOMAIN "virtkit.qemu.native"

#include <string.h>

#include "qemu_capabilities_glue.h"
#include "qemu_command.h"
#include "qemu_driver_priv.h"
#include "qemu_hostdev.h"
#include "qemu_hotplug.h"
#include "qemu_interface.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* Graphics listeners as a start sets them up (qemuProcessGraphicsSetupListen):
 * a network's address, a socket in the domain's directory, first ports. */
static int
qemuNativeGraphics(qemuDriver *driver, virDomainDef *def, const char *libDir)
{
    for (size_t i = 0; i < def->ngraphics; i++) {
        virDomainGraphicsDef *g = def->graphics[i];

        if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_NETWORK) {
            g_free(g->listen);
            if (!(g->listen = qemuInterfaceNetworkListenAddress(g->network)))
                return -1;
        } else if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_SOCKET && !g->socket) {
            g->socket = g_strdup_printf("%s/%s.sock", libDir,
                                        virDomainGraphicsTypeToString(g->type));
            g->socketGenerated = true;
        }
    }
    qemuDomainPretendVNCPorts(def, &driver->ports);
    return 0;
}

char *
qemuConnectDomainXMLToNative(virConnectPtr conn, const char *nativeFormat,
                             const char *domainXml, unsigned int flags)
{
    qemuDriver *driver = qemuDriverOf(conn);
    g_autoptr(virDomainDef) def = NULL;
    g_autofree char *version = NULL;
    g_autofree char *libDir = NULL;
    g_autofree char *monitor = NULL;
    g_auto(GStrv) argv = NULL;
    GString *out;
    int graceSec = -1;

    virCheckFlags(0, NULL);
    if (strcmp(nativeFormat, "qemu-argv") != 0) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported config type %s", nativeFormat);
        return NULL;
    }
    if (!(def = qemuDomainDefParseForDriver(driver, domainXml,
                                            VIR_DOMAIN_DEF_PARSE_INACTIVE, &graceSec)))
        return NULL;
    /* the directory of a domain that has no id, as libvirt shows it */
    def->id = -1;
    libDir = g_strdup_printf("%s/domain--1-%s", driver->libDir, def->name);
    monitor = g_strdup_printf("%s/monitor.sock", libDir);
    if (qemuGluePrepareForStart(driver, def, &version) < 0 ||
        qemuGlueFirmwareForStart(driver, def, false) < 0 ||
        qemuNativeGraphics(driver, def, libDir) < 0 || qemuHostdevPreparePretend(def) < 0)
        return NULL;
    qemuHostdevAssignAliases(def);
    qemuHotplugAssignRNGAliases(def);
    qemuHotplugAssignInputAliases(def);
    qemuHotplugAssignChannelAliases(def);
    qemuHotplugAssignWatchdogAlias(def);
    qemuDomainPrepareChannelPaths(def, libDir);
    if (!(argv = qemuGlueBuildArgv(driver, def, -1, monitor, libDir, NULL, NULL)))
        return NULL;
    out = g_string_new(NULL);
    qemuArgvFormat(out, (const char *const *)argv, " ");
    return g_string_free(out, FALSE);
}
