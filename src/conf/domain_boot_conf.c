/* domain_boot_conf.c: a device's <boot order loadparm> and libvirt 9.0's per-device boot order rules */

#define G_LOG_DOMAIN "virtkit.conf.boot"

#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

#define LOADPARM_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789. "

int
virDomainDeviceBootParse(xmlNodePtr device, virDomainDeviceBoot *boot)
{
    xmlNodePtr node = virDomainXMLChild(device, "boot");
    unsigned int order = 0;
    g_autofree char *loadparm = NULL;

    if (!node)
        return 0;
    if (virDomainXMLPropUIntNonZero(node, "order", true, &order) < 0)
        return -1;
    if ((loadparm = virDomainXMLProp(node, "loadparm"))) {
        g_autofree char *upper = g_ascii_strup(loadparm, -1);

        /* libvirt's messages and code (virDomainDeviceLoadparmIsValid) */
        if (!*upper || strlen(upper) > 8) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "loadparm value '%s' must be between 1 and 8 characters",
                           upper);
            return -1;
        }
        if (strspn(upper, LOADPARM_CHARS) != strlen(upper)) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "invalid loadparm value '%s', expecting chars in set of "
                           "[a-zA-Z0-9.] and blank spaces",
                           upper);
            return -1;
        }
        g_free(loadparm);
        loadparm = g_steal_pointer(&upper);
    }
    boot->order = order;
    boot->loadparm = g_steal_pointer(&loadparm);
    return 0;
}

void
virDomainDeviceBootFormat(GString *buf, int indent, const virDomainDeviceBoot *boot)
{
    if (!boot->order)
        return;
    g_string_append_printf(buf, "%*s<boot order='%u'", indent, "", boot->order);
    if (boot->loadparm) {
        g_string_append(buf, " loadparm='");
        virDomainXMLEscape(buf, boot->loadparm);
        g_string_append_c(buf, '\'');
    }
    g_string_append(buf, "/>\n");
}

void
virDomainDeviceBootCopy(virDomainDeviceBoot *dst, const virDomainDeviceBoot *src)
{
    dst->order = src->order;
    dst->loadparm = g_strdup(src->loadparm);
}

void
virDomainDeviceBootClear(virDomainDeviceBoot *boot)
{
    g_clear_pointer(&boot->loadparm, g_free);
    boot->order = 0;
}

/* Every device's boot of @def that may carry an order, in @out (borrowed) */
static void
collectBoots(const virDomainDef *def, GPtrArray *out)
{
    for (size_t i = 0; i < def->ndisks; i++)
        g_ptr_array_add(out, &def->disks[i]->boot);
    for (size_t i = 0; i < def->nnets; i++)
        g_ptr_array_add(out, &def->nets[i]->boot);
    for (size_t i = 0; i < def->nhostdevs; i++)
        g_ptr_array_add(out, &def->hostdevs[i]->boot);
    for (size_t i = 0; i < def->nfss; i++)
        g_ptr_array_add(out, &def->fss[i]->boot);
    for (size_t i = 0; i < def->nredirdevs; i++)
        g_ptr_array_add(out, &def->redirdevs[i]->boot);
}

int
virDomainDefBootOrderPostParse(virDomainDef *def)
{
    g_autoptr(GPtrArray) boots = g_ptr_array_new();
    g_autoptr(GHashTable) seen = NULL;

    collectBoots(def, boots);
    for (guint i = 0; i < boots->len; i++) {
        const virDomainDeviceBoot *b = g_ptr_array_index(boots, i);

        if (!b->order)
            continue;
        if (!seen)
            seen = g_hash_table_new(g_direct_hash, g_direct_equal);
        if (!g_hash_table_add(seen, GUINT_TO_POINTER(b->order))) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "boot order '%u' used for more than one device", b->order);
            return -1;
        }
    }
    if (def->os.nBootDevs > 0 && seen) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "per-device boot elements cannot be used together with "
                       "os/boot elements");
        return -1;
    }
    if (def->os.nBootDevs == 0 && !seen) {
        def->os.bootDevs[0] = VIR_DOMAIN_BOOT_DISK;
        def->os.nBootDevs = 1;
    }
    return 0;
}

int
virDomainDefCheckDeviceBoot(const virDomainDef *def, const virDomainDeviceBoot *boot,
                            const virDomainDeviceBoot *old)
{
    g_autoptr(GPtrArray) boots = NULL;

    if (!boot->order)
        return 0;
    if (def->os.nBootDevs > 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "per-device boot elements cannot be used together with "
                       "os/boot elements");
        return -1;
    }
    boots = g_ptr_array_new();
    collectBoots(def, boots);
    for (guint i = 0; i < boots->len; i++) {
        const virDomainDeviceBoot *b = g_ptr_array_index(boots, i);

        if (b != old && b->order == boot->order) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "boot order %u is already used by another device",
                           boot->order);
            return -1;
        }
    }
    return 0;
}
