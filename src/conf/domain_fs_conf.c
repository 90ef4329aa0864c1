/* domain_fs_conf.c: the <filesystem> devices of <devices> (libvirt 9.0's virDomainFSDef) */

#define G_LOG_DOMAIN "virtkit.conf.fs"

#include <errno.h>
#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* libvirt 9.0's enum names, in its order (the numbers are the enums of
 * domain_conf.h) */
static const char *const typeNames[VIR_DOMAIN_FS_TYPE_LAST] = {
    "mount", "block", "file", "template", "ram", "bind", "volume",
};
static const char *const driverNames[VIR_DOMAIN_FS_DRIVER_LAST] = {
    "default", "path", "handle", "loop", "nbd", "ploop", "virtiofs",
};
static const char *const accessNames[VIR_DOMAIN_FS_ACCESS_LAST] = {
    "",
    "passthrough",
    "mapped",
    "squash",
};
static const char *const wrpolicyNames[VIR_DOMAIN_FS_WRPOLICY_LAST] = { "default",
                                                                        "immediate" };
static const char *const modelNames[VIR_DOMAIN_FS_MODEL_LAST] = {
    "default",
    "virtio",
    "virtio-transitional",
    "virtio-non-transitional",
};
static const char *const multidevsNames[VIR_DOMAIN_FS_MULTIDEVS_LAST] = {
    "default",
    "remap",
    "forbid",
    "warn",
};
static const char *const cacheNames[VIR_DOMAIN_FS_CACHE_LAST] = { "default", "none",
                                                                  "always" };
static const char *const sandboxNames[VIR_DOMAIN_FS_SANDBOX_LAST] = {
    "default",
    "namespace",
    "chroot",
};

const char *
virDomainFSTypeToString(int type)
{
    return virDomainEnumToString(typeNames, VIR_DOMAIN_FS_TYPE_LAST, type);
}

const char *
virDomainFSDriverToString(int driver)
{
    return virDomainEnumToString(driverNames, VIR_DOMAIN_FS_DRIVER_LAST, driver);
}

void
virDomainFSDefFree(virDomainFSDef *fs)
{
    if (!fs)
        return;
    g_free(fs->src);
    g_free(fs->sock);
    g_free(fs->dst);
    g_free(fs->format);
    g_free(fs->binary);
    g_free(fs->alias);
    virDomainDeviceBootClear(&fs->boot);
    g_free(fs);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainFSDef, virDomainFSDefFree);

virDomainFSDef *
virDomainFSDefCopy(const virDomainFSDef *fs)
{
    virDomainFSDef *copy = g_memdup2(fs, sizeof(*fs));

    copy->src = g_strdup(fs->src);
    copy->sock = g_strdup(fs->sock);
    copy->dst = g_strdup(fs->dst);
    copy->format = g_strdup(fs->format);
    copy->binary = g_strdup(fs->binary);
    copy->alias = g_strdup(fs->alias);
    virDomainDeviceBootCopy(&copy->boot, &fs->boot);
    return copy;
}

static const virDomainXMLAttrRule fsAttrs[] = {
    { "", (const char *const[]){ "type", "accessmode", "model", "multidevs", "fmode",
                                 "dmode", NULL } },
    { "source", (const char *const[]){ "dir", "file", "dev", "name", "usage", "units",
                                       "socket", NULL } },
    { "target", (const char *const[]){ "dir", NULL } },
    { "driver", (const char *const[]){ "type", "format", "wrpolicy", "queue", "iommu",
                                       "ats", "packed", "page_per_vq", NULL } },
    { "binary", (const char *const[]){ "path", "xattr", NULL } },
    { "binary/cache", (const char *const[]){ "mode", NULL } },
    { "binary/sandbox", (const char *const[]){ "mode", NULL } },
    { "binary/lock", (const char *const[]){ "posix", "flock", NULL } },
    { "binary/thread_pool", (const char *const[]){ "size", NULL } },
    { "space_hard_limit", (const char *const[]){ "unit", NULL } },
    { "space_soft_limit", (const char *const[]){ "unit", NULL } },
    { "boot", (const char *const[]){ "order", "loadparm", NULL } },
    { NULL, NULL },
};
static const char *const fsChildren[] = {
    "boot",
    "source",
    "source/",
    "target",
    "target/",
    "readonly",
    "driver",
    "driver/",
    "binary",
    "binary/",
    "binary/cache",
    "binary/lock",
    "binary/sandbox",
    "binary/thread_pool",
    "space_hard_limit",
    "space_soft_limit",
    "address",
    NULL,
};

/* An enum attribute as libvirt's virXMLPropEnum: *@out untouched when
 * absent; with @nonzero the first name (the default) is not accepted. */
static int
fsPropEnum(xmlNodePtr node, const char *name, const char *const *names, int last,
           bool nonzero, int *out)
{
    g_autofree char *str = node ? virDomainXMLProp(node, name) : NULL;
    int val;

    if (!str)
        return 0;
    val = virDomainEnumFromString(names, last, str);
    if (val < 0 || (nonzero && val == 0)) {
        virDomainXMLReportInvalidAttr(name, node, str);
        return -1;
    }
    *out = val;
    return 0;
}

/* on/off as libvirt's virXMLPropTristateSwitch */
static int
fsPropSwitch(xmlNodePtr node, const char *name, int *out)
{
    g_autofree char *str = node ? virDomainXMLProp(node, name) : NULL;

    if (!str)
        return 0;
    if (g_str_equal(str, "on")) {
        *out = VIR_DOMAIN_TRISTATE_ON;
    } else if (g_str_equal(str, "off")) {
        *out = VIR_DOMAIN_TRISTATE_OFF;
    } else {
        virDomainXMLReportInvalidAttr(name, node, str);
        return -1;
    }
    return 0;
}

/* fmode / dmode: octal, at most 0777 */
static int
fsPropMode(xmlNodePtr node, const char *name, unsigned int *out)
{
    g_autofree char *str = virDomainXMLProp(node, name);
    char *end = NULL;
    guint64 val;

    if (!str)
        return 0;
    errno = 0;
    val = g_ascii_strtoull(str, &end, 8);
    if (!*str || *end || errno || strchr(str, '-') || val > G_MAXUINT) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected non-negative integer value",
                           name, (const char *)node->name, str);
        return -1;
    }
    if (val > 0777) {
        virReportError(VIR_ERR_XML_ERROR, "invalid %s: '0%o'", name, (unsigned int)val);
        return -1;
    }
    *out = (unsigned int)val;
    return 0;
}

/* <space_hard_limit unit=...>N</...>: bytes (no unit: bytes) */
static int
fsParseLimit(xmlNodePtr node, unsigned long long *out)
{
    g_autofree char *text = NULL;
    g_autofree char *unit = NULL;
    unsigned long long val;

    if (!node)
        return 0;
    text = virDomainXMLNodeText(node);
    unit = virDomainXMLProp(node, "unit");
    if (!text || virDomainParseULL(text, &val) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "invalid value for '%s' element",
                       (const char *)node->name);
        return -1;
    }
    if (virDomainScaleInteger(&val, unit ? unit : "b", G_MAXUINT64) < 0)
        return -1;
    *out = val;
    return 0;
}

static int
fsParseBinary(virDomainFSDef *fs, xmlNodePtr node)
{
    xmlNodePtr binary = virDomainXMLChild(node, "binary");
    xmlNodePtr lock = binary ? virDomainXMLChild(binary, "lock") : NULL;
    xmlNodePtr cache = binary ? virDomainXMLChild(binary, "cache") : NULL;
    xmlNodePtr sandbox = binary ? virDomainXMLChild(binary, "sandbox") : NULL;
    xmlNodePtr pool = binary ? virDomainXMLChild(binary, "thread_pool") : NULL;
    xmlNodePtr driver = virDomainXMLChild(node, "driver");
    g_autofree char *queue = driver ? virDomainXMLProp(driver, "queue") : NULL;
    g_autofree char *size = pool ? virDomainXMLProp(pool, "size") : NULL;

    if (queue && virDomainParseULL(queue, &fs->queueSize) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "cannot parse queue size '%s' for virtiofs",
                       queue);
        return -1;
    }
    if (size) {
        char *end = NULL;
        gint64 v = g_ascii_strtoll(size, &end, 10);

        if (!*size || *end || v < G_MININT || v > G_MAXINT) {
            virReportError(VIR_ERR_XML_ERROR,
                           "cannot parse thread pool size '%s' for virtiofs", size);
            return -1;
        }
        fs->threadPoolSize = (int)v;
    }
    if (binary) {
        g_autofree char *path = virDomainXMLProp(binary, "path");

        /* libvirt's virFileSanitizePath: slashes collapsed (a leading
         * "//" kept), no trailing one */
        if (path && *path) {
            GString *clean = g_string_new(NULL);
            size_t i = 0;

            if (path[0] == '/' && path[1] == '/' && path[2] != '/') {
                g_string_append(clean, "//");
                i = 2;
            }
            for (; path[i]; i++) {
                if (path[i] == '/' && clean->len && clean->str[clean->len - 1] == '/')
                    continue;
                g_string_append_c(clean, path[i]);
            }
            if (clean->len > 1 && clean->str[clean->len - 1] == '/')
                g_string_truncate(clean, clean->len - 1);
            fs->binary = g_string_free(clean, FALSE);
        }
    }
    if (fsPropSwitch(binary, "xattr", &fs->xattr) < 0 ||
        fsPropSwitch(lock, "posix", &fs->posixLock) < 0 ||
        fsPropSwitch(lock, "flock", &fs->flock) < 0 ||
        fsPropEnum(cache, "mode", cacheNames, VIR_DOMAIN_FS_CACHE_LAST, true,
                   &fs->cache) < 0 ||
        fsPropEnum(sandbox, "mode", sandboxNames, VIR_DOMAIN_FS_SANDBOX_LAST, true,
                   &fs->sandbox) < 0)
        return -1;
    return 0;
}

int
virDomainFSParseXML(GPtrArray **fss, xmlNodePtr node, GPtrArray *unknown,
                    unsigned int flags, bool *failed)
{
    g_autoptr(virDomainFSDef) fs = g_new0(virDomainFSDef, 1);
    xmlNodePtr source = virDomainXMLChild(node, "source");
    xmlNodePtr target = virDomainXMLChild(node, "target");
    xmlNodePtr driver = virDomainXMLChild(node, "driver");
    g_autofree char *usage = NULL;
    g_autofree char *units = NULL;

    fs->threadPoolSize = -1;
    if (fsPropEnum(node, "type", typeNames, VIR_DOMAIN_FS_TYPE_LAST, false, &fs->type) <
            0 ||
        fsPropEnum(node, "accessmode", accessNames, VIR_DOMAIN_FS_ACCESS_LAST, false,
                   &fs->accessmode) < 0 ||
        fsPropMode(node, "fmode", &fs->fmode) < 0 ||
        fsPropMode(node, "dmode", &fs->dmode) < 0 ||
        fsPropEnum(node, "model", modelNames, VIR_DOMAIN_FS_MODEL_LAST, true,
                   &fs->model) < 0 ||
        fsPropEnum(node, "multidevs", multidevsNames, VIR_DOMAIN_FS_MULTIDEVS_LAST, false,
                   &fs->multidevs) < 0 ||
        fsParseLimit(virDomainXMLChild(node, "space_hard_limit"), &fs->spaceHardLimit) <
            0 ||
        fsParseLimit(virDomainXMLChild(node, "space_soft_limit"), &fs->spaceSoftLimit) <
            0)
        return -1;

    if (source) {
        static const char *const srcAttr[VIR_DOMAIN_FS_TYPE_LAST] = {
            [VIR_DOMAIN_FS_TYPE_MOUNT] = "dir",     [VIR_DOMAIN_FS_TYPE_BIND] = "dir",
            [VIR_DOMAIN_FS_TYPE_FILE] = "file",     [VIR_DOMAIN_FS_TYPE_BLOCK] = "dev",
            [VIR_DOMAIN_FS_TYPE_TEMPLATE] = "name",
        };

        fs->sock = virDomainXMLProp(source, "socket");
        if (srcAttr[fs->type])
            fs->src = virDomainXMLProp(source, srcAttr[fs->type]);
        if (fs->type == VIR_DOMAIN_FS_TYPE_RAM) {
            usage = virDomainXMLProp(source, "usage");
            units = virDomainXMLProp(source, "units");
        }
    }
    if (fs->type == VIR_DOMAIN_FS_TYPE_VOLUME) {
        /* a storage pool's volume: not carried (yet) */
        virDomainReportUnsupportedValue("filesystem type", "volume");
        return -1;
    }
    if (target)
        fs->dst = virDomainXMLProp(target, "dir");
    fs->readonly = virDomainXMLChild(node, "readonly") != NULL;

    if (driver) {
        g_autofree char *format = virDomainXMLProp(driver, "format");

        if (fsPropEnum(driver, "type", driverNames, VIR_DOMAIN_FS_DRIVER_LAST, false,
                       &fs->fsdriver) < 0 ||
            fsPropEnum(driver, "wrpolicy", wrpolicyNames, VIR_DOMAIN_FS_WRPOLICY_LAST,
                       false, &fs->wrpolicy) < 0)
            return -1;
        if (format) {
            int val = virDomainEnumFromString(virStorageFormatNames,
                                              VIR_STORAGE_FORMAT_LAST, format);

            if (val <= 0) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "unknown driver format value '%s'", format);
                return -1;
            }
            fs->format = g_steal_pointer(&format);
        }
        if (virDomainVirtioOptionsParse(driver, &fs->virtio) < 0)
            return -1;
    }
    if (fs->fsdriver == VIR_DOMAIN_FS_DRIVER_VIRTIOFS && fsParseBinary(fs, node) < 0)
        return -1;

    if (!fs->src && fs->type != VIR_DOMAIN_FS_TYPE_RAM && !fs->sock) {
        if (fs->dst)
            virReportError(VIR_ERR_NO_SOURCE, "%s", fs->dst);
        else
            virReportError(VIR_ERR_NO_SOURCE, NULL);
        return -1;
    }
    if (fs->type == VIR_DOMAIN_FS_TYPE_RAM) {
        if (!usage) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "missing 'usage' attribute for RAM filesystem");
            return -1;
        }
        if (virDomainParseULL(usage, &fs->usage) < 0) {
            virReportError(VIR_ERR_XML_ERROR,
                           "cannot parse usage '%s' for RAM filesystem", usage);
            return -1;
        }
        if (virDomainScaleInteger(&fs->usage, units, G_MAXUINT64) < 0)
            return -1;
    }
    /* libvirt's validation of the device */
    if (!fs->dst) {
        const char *src = fs->src ? fs->src : fs->sock;

        if (src)
            virReportError(VIR_ERR_NO_TARGET, "%s", src);
        else
            virReportError(VIR_ERR_NO_TARGET, NULL);
        return -1;
    }
    /* post-parse: passthrough unless an external daemon serves it */
    if (fs->accessmode == VIR_DOMAIN_FS_ACCESS_DEFAULT && !fs->sock)
        fs->accessmode = VIR_DOMAIN_FS_ACCESS_PASSTHROUGH;

    if (virDomainDeviceAddressParse(node, &fs->addr) < 0 ||
        virDomainDeviceBootParse(node, &fs->boot) < 0)
        return -1;
    /* libvirt's virDomainFSDefValidate */
    if (fs->boot.order && fs->fsdriver != VIR_DOMAIN_FS_DRIVER_VIRTIOFS) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "boot order is only supported for virtiofs");
        return -1;
    }
    if (!(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE)) {
        xmlNodePtr alias = virDomainXMLChild(node, "alias");

        if (alias && (fs->alias = virDomainXMLProp(alias, "name")) && !*fs->alias)
            g_clear_pointer(&fs->alias, g_free);
    }
    if (virDomainDeviceCheckChildren(node, fsChildren, unknown, flags, failed) < 0 ||
        virDomainDeviceCheckAttrs(node, fsAttrs, unknown, flags, failed) < 0)
        return -1;
    if (!*fss)
        *fss = g_ptr_array_new_with_free_func((GDestroyNotify)virDomainFSDefFree);
    g_ptr_array_add(*fss, g_steal_pointer(&fs));
    return 0;
}

int
virDomainFSCheckTargets(const virDomainDef *def)
{
    /* libvirt checks the virtiofs ones only */
    for (size_t i = 0; i < def->nfss; i++) {
        if (def->fss[i]->fsdriver != VIR_DOMAIN_FS_DRIVER_VIRTIOFS)
            continue;
        for (size_t j = 0; j < i; j++) {
            if (def->fss[j]->fsdriver == VIR_DOMAIN_FS_DRIVER_VIRTIOFS &&
                g_str_equal(def->fss[j]->dst, def->fss[i]->dst)) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "filesystem target '%s' specified twice",
                               def->fss[i]->dst);
                return -1;
            }
        }
    }
    return 0;
}

static void
fsAttr(GString *buf, const char *name, const char *value)
{
    g_string_append_printf(buf, " %s='", name);
    virDomainXMLEscape(buf, value);
    g_string_append_c(buf, '\'');
}

void
virDomainFSFormat(GString *buf, int indent, const virDomainFSDef *fs, unsigned int flags)
{
    int in = indent + 2;
    bool virtiofs = fs->fsdriver == VIR_DOMAIN_FS_DRIVER_VIRTIOFS;
    g_autoptr(GString) binary = g_string_new(NULL);

    g_string_append_printf(buf, "%*s<filesystem type='%s'", indent, "",
                           typeNames[fs->type]);
    if (fs->accessmode != VIR_DOMAIN_FS_ACCESS_DEFAULT)
        g_string_append_printf(buf, " accessmode='%s'", accessNames[fs->accessmode]);
    if (fs->model)
        g_string_append_printf(buf, " model='%s'", modelNames[fs->model]);
    if (fs->multidevs)
        g_string_append_printf(buf, " multidevs='%s'", multidevsNames[fs->multidevs]);
    if (fs->fmode)
        g_string_append_printf(buf, " fmode='%04o'", fs->fmode);
    if (fs->dmode)
        g_string_append_printf(buf, " dmode='%04o'", fs->dmode);
    g_string_append(buf, ">\n");

    if (fs->fsdriver || virDomainVirtioOptionsIsSet(&fs->virtio)) {
        g_string_append_printf(buf, "%*s<driver", in, "");
        if (fs->fsdriver) {
            g_string_append_printf(buf, " type='%s'", driverNames[fs->fsdriver]);
            if (fs->format)
                fsAttr(buf, "format", fs->format);
            if (fs->wrpolicy)
                g_string_append_printf(buf, " wrpolicy='%s'",
                                       wrpolicyNames[fs->wrpolicy]);
            if (fs->queueSize)
                g_string_append_printf(buf, " queue='%llu'", fs->queueSize);
        }
        virDomainVirtioOptionsFormat(buf, &fs->virtio);
        g_string_append(buf, "/>\n");
    }
    if (virtiofs) {
        bool attrs = fs->binary || fs->xattr;

        if (fs->cache)
            g_string_append_printf(binary, "%*s<cache mode='%s'/>\n", in + 2, "",
                                   cacheNames[fs->cache]);
        if (fs->sandbox)
            g_string_append_printf(binary, "%*s<sandbox mode='%s'/>\n", in + 2, "",
                                   sandboxNames[fs->sandbox]);
        if (fs->posixLock || fs->flock) {
            g_string_append_printf(binary, "%*s<lock", in + 2, "");
            if (fs->posixLock)
                g_string_append_printf(binary, " posix='%s'",
                                       virDomainTristateSwitchName(fs->posixLock));
            if (fs->flock)
                g_string_append_printf(binary, " flock='%s'",
                                       virDomainTristateSwitchName(fs->flock));
            g_string_append(binary, "/>\n");
        }
        if (fs->threadPoolSize >= 0)
            g_string_append_printf(binary, "%*s<thread_pool size='%d'/>\n", in + 2, "",
                                   fs->threadPoolSize);
        if (attrs || binary->len) {
            g_string_append_printf(buf, "%*s<binary", in, "");
            if (fs->binary)
                fsAttr(buf, "path", fs->binary);
            if (fs->xattr)
                g_string_append_printf(buf, " xattr='%s'",
                                       virDomainTristateSwitchName(fs->xattr));
            if (binary->len)
                g_string_append_printf(buf, ">\n%s%*s</binary>\n", binary->str, in, "");
            else
                g_string_append(buf, "/>\n");
        }
    }

    switch (fs->type) {
    case VIR_DOMAIN_FS_TYPE_MOUNT:
    case VIR_DOMAIN_FS_TYPE_BIND:
        g_string_append_printf(buf, "%*s<source", in, "");
        if (fs->sock)
            fsAttr(buf, "socket", fs->sock);
        else if (fs->src)
            fsAttr(buf, "dir", fs->src);
        g_string_append(buf, "/>\n");
        break;
    case VIR_DOMAIN_FS_TYPE_BLOCK:
    case VIR_DOMAIN_FS_TYPE_FILE:
    case VIR_DOMAIN_FS_TYPE_TEMPLATE:
        g_string_append_printf(buf, "%*s<source", in, "");
        if (fs->src)
            fsAttr(buf,
                   fs->type == VIR_DOMAIN_FS_TYPE_BLOCK  ? "dev"
                   : fs->type == VIR_DOMAIN_FS_TYPE_FILE ? "file"
                                                         : "name",
                   fs->src);
        g_string_append(buf, "/>\n");
        break;
    case VIR_DOMAIN_FS_TYPE_RAM:
        g_string_append_printf(buf, "%*s<source usage='%lld' units='KiB'/>\n", in, "",
                               (long long)(fs->usage / 1024));
        break;
    }
    g_string_append_printf(buf, "%*s<target", in, "");
    fsAttr(buf, "dir", fs->dst);
    g_string_append(buf, "/>\n");
    if (fs->readonly)
        g_string_append_printf(buf, "%*s<readonly/>\n", in, "");
    virDomainDeviceBootFormat(buf, in, &fs->boot);
    if (fs->alias && !(flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE)) {
        g_string_append_printf(buf, "%*s<alias", in, "");
        fsAttr(buf, "name", fs->alias);
        g_string_append(buf, "/>\n");
    }
    virDomainDeviceAddressFormat(buf, in, &fs->addr);
    if (fs->spaceHardLimit)
        g_string_append_printf(
            buf, "%*s<space_hard_limit unit='bytes'>%llu</space_hard_limit>\n", in, "",
            fs->spaceHardLimit);
    if (fs->spaceSoftLimit)
        g_string_append_printf(
            buf, "%*s<space_soft_limit unit='bytes'>%llu</space_soft_limit>\n", in, "",
            fs->spaceSoftLimit);
    g_string_append_printf(buf, "%*s</filesystem>\n", indent, "");
}
