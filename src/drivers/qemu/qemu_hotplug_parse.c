/* qemu_hotplug_parse.c: the one device of an attach, detach or update request, parsed as the domain parser reads it */

#define G_LOG_DOMAIN "virtkit.qemu.hotplugparse"

#include <string.h>

#include "qemu_capabilities.h"
#include "qemu_capabilities_glue.h"
#include "qemu_hotplug.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* A device's XML, parsed inside a wrapper definition by the domain parser:
 * the definition holding the one device, or NULL with the parser's error.
 * OPERATION_UNSUPPORTED for a device element virtkit does not plug
 * (libvirt's texts for live / persistent changes). */
virDomainDef *
qemuHotplugParseDevice(const char *xml, const char *action, const char **what)
{
    return qemuHotplugParseDeviceLive(xml, action, what, false);
}

virDomainDef *
qemuHotplugParseDeviceLive(const char *xml, const char *action, const char **what,
                           bool live)
{
    g_autofree char *doc = NULL;
    g_autoptr(virDomainDef) def = NULL;
    const char *p = xml;
    g_autofree char *name = NULL;
    size_t len;

    /* the root element's name (comments and the declaration skipped) */
    while (*p) {
        while (g_ascii_isspace(*p))
            p++;
        if (g_str_has_prefix(p, "<?") || g_str_has_prefix(p, "<!--")) {
            const char *end = strstr(p, g_str_has_prefix(p, "<?") ? "?>" : "-->");

            if (!end)
                break;
            p = end + (g_str_has_prefix(p, "<?") ? 2 : 3);
            continue;
        }
        break;
    }
    if (*p == '<') {
        len = strcspn(p + 1, " \t\r\n/>");
        name = g_strndup(p + 1, len);
    }
    if (!name || !*name) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing device type in the device XML");
        return NULL;
    }
    if (strcmp(name, "disk") != 0 && strcmp(name, "interface") != 0 &&
        ((strcmp(name, "rng") != 0 && strcmp(name, "input") != 0 &&
          strcmp(name, "controller") != 0 && strcmp(name, "channel") != 0 &&
          strcmp(name, "watchdog") != 0 && strcmp(name, "serial") != 0 &&
          strcmp(name, "console") != 0 && strcmp(name, "memory") != 0 &&
          strcmp(name, "filesystem") != 0 && strcmp(name, "hostdev") != 0) ||
         (g_str_has_suffix(action, "update") && strcmp(name, "memory") != 0))) {
        /* @action: "live attach", "persistent detach", ... */
        /* libvirt's code for a live update is CONFIG_UNSUPPORTED; its
         * device type of every character device is 'chr' */
        bool chr = strcmp(name, "serial") == 0 || strcmp(name, "console") == 0 ||
                   strcmp(name, "channel") == 0 || strcmp(name, "parallel") == 0;

        virReportError(strcmp(action, "live update") == 0 ? VIR_ERR_CONFIG_UNSUPPORTED
                                                          : VIR_ERR_OPERATION_UNSUPPORTED,
                       "%s of device '%s' is not supported", action, chr ? "chr" : name);
        return NULL;
    }
    /* libvirt's device type names: <interface> is a "net" device */
    *what = strcmp(name, "disk") == 0         ? "disk"
            : strcmp(name, "rng") == 0        ? "rng"
            : strcmp(name, "input") == 0      ? "input"
            : strcmp(name, "controller") == 0 ? "controller"
            : strcmp(name, "channel") == 0    ? "channel"
            : strcmp(name, "watchdog") == 0   ? "watchdog"
            : strcmp(name, "serial") == 0     ? "serial"
            : strcmp(name, "console") == 0    ? "console"
            : strcmp(name, "memory") == 0     ? "memory"
            : strcmp(name, "filesystem") == 0 ? "fs"
            : strcmp(name, "hostdev") == 0    ? "hostdev"
                                              : "net";
    doc = g_strdup_printf("<domain type='qemu'><name>device</name><memory>%s</memory>"
                          "<os><type>hvm</type></os><devices>%s</devices></domain>",
                          /* room for a <memory> device's size */
                          strcmp(*what, "memory") == 0 ? "1099511627776" : "1024", xml);
    /* a live change reads what only the live XML has (a memory device's
     * alias), as libvirt parses it without VIR_DOMAIN_DEF_PARSE_INACTIVE */
    if (!(def = virDomainDefParseString(
              doc,
              (live && strcmp(*what, "memory") == 0 ? 0 : VIR_DOMAIN_DEF_PARSE_INACTIVE) |
                  (strcmp(*what, "memory") == 0
                       ? VIR_DOMAIN_DEF_PARSE_SKIP_MEMDEV_VALIDATE
                       : 0))))
        return NULL;
    /* what the device carries that virtkit does not honour (a <bandwidth>,
     * say) is refused as define refuses it, never dropped; a detach only
     * needs to find the device */
    if (!strstr(action, "detach") && def->unknownElements && def->unknownElements[0]) {
        const char *u = def->unknownElements[0];
        const char *at = strchr(u, '@');

        if (at) {
            g_autofree char *elem = g_strndup(u, at - u);

            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "attribute '%s' of element '%s' is not supported by the "
                           "QEMU driver",
                           at + 1, elem);
        } else {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "element '%s' is not supported by the QEMU driver", u);
        }
        return NULL;
    }
    if ((strcmp(*what, "disk") == 0 && def->ndisks != 1) ||
        (strcmp(*what, "net") == 0 && def->nnets != 1) ||
        (strcmp(*what, "rng") == 0 && def->nrngs != 1) ||
        (strcmp(*what, "input") == 0 && def->ninputs != 1) ||
        (strcmp(*what, "controller") == 0 && def->ncontrollers != 1) ||
        (strcmp(*what, "channel") == 0 && def->nchannels != 1) ||
        (strcmp(*what, "watchdog") == 0 && !def->watchdog) ||
        (strcmp(*what, "serial") == 0 && def->nserials != 1) ||
        (strcmp(*what, "console") == 0 && def->nconsoles != 1) ||
        (strcmp(*what, "memory") == 0 && def->nmems != 1) ||
        (strcmp(*what, "fs") == 0 && def->nfss != 1) ||
        (strcmp(*what, "hostdev") == 0 && def->nhostdevs != 1)) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "the device XML must hold one device");
        return NULL;
    }
    if (def->ndisks == 1)
        qemuCapsDiskDefPostParse(def->disks[0]);
    return g_steal_pointer(&def);
}
