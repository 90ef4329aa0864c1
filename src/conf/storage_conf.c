/* storage_conf.c: storage pool and volume XML: parse, check and format as libvirt 9.0 */

#define G_LOG_DOMAIN "virtkit.conf.storage"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "storage_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_STORAGE

static const char *const poolTypeNames[VIR_STORAGE_POOL_LAST] = {
    "dir",  "fs",    "netfs", "logical",  "disk",    "iscsi", "iscsi-direct",
    "scsi", "mpath", "rbd",   "sheepdog", "gluster", "zfs",   "vstorage",
};
static const char *const volTypeNames[VIR_STORAGE_VOL_TYPE_LAST] = {
    "file", "block", "dir", "network", "netdir", "ploop",
};
static const char *const fileFormatNames[VIR_STORAGE_FILE_LAST] = {
    "none", "raw", "dir",   "bochs", "cloop", "dmg",   "iso", "vpc",  "vdi",
    "fat",  "vhd", "ploop", "cow",   "qcow",  "qcow2", "qed", "vmdk",
};
static const char *const fsFormatNames[VIR_STORAGE_POOL_FS_LAST] = {
    "auto", "ext2", "ext3", "ext4", "ufs", "iso9660", "udf",
    "gfs",  "gfs2", "vfat", "hfs+", "xfs", "ocfs2",   "vmfs",
};
static const char *const diskFormatNames[VIR_STORAGE_POOL_DISK_LAST] = {
    "unknown", "dos", "dvh", "gpt", "mac", "bsd", "pc98", "sun", "lvm2",
};
static const char *const logicalFormatNames[VIR_STORAGE_POOL_LOGICAL_LAST] = {
    "unknown",
    "lvm2",
};
static const char *const partFormatNames[VIR_STORAGE_VOL_DISK_LAST] = {
    "none",       "linux",     "fat16",      "fat32",
    "linux-swap", "linux-lvm", "linux-raid", "extended",
};

static const char *const featureNames[VIR_STORAGE_FILE_FEATURE_LAST] = {
    "lazy_refcounts",
    "extended_l2",
};

const char *
virStoragePoolTypeToString(int type)
{
    return virDomainEnumToString(poolTypeNames, VIR_STORAGE_POOL_LAST, type);
}

int
virStoragePoolTypeFromString(const char *str)
{
    return virDomainEnumFromString(poolTypeNames, VIR_STORAGE_POOL_LAST, str);
}

const char *
virStorageVolTypeToString(int type)
{
    return virDomainEnumToString(volTypeNames, VIR_STORAGE_VOL_TYPE_LAST, type);
}

int
virStorageVolTypeFromString(const char *str)
{
    return virDomainEnumFromString(volTypeNames, VIR_STORAGE_VOL_TYPE_LAST, str);
}

const char *
virStorageFileFormatToString(int fmt)
{
    return virDomainEnumToString(fileFormatNames, VIR_STORAGE_FILE_LAST, fmt);
}

int
virStorageFileFormatFromString(const char *str)
{
    return virDomainEnumFromString(fileFormatNames, VIR_STORAGE_FILE_LAST, str);
}

const char *
virStoragePoolFormatFileSystemToString(int fmt)
{
    return virDomainEnumToString(fsFormatNames, VIR_STORAGE_POOL_FS_LAST, fmt);
}

int
virStoragePoolFormatFileSystemFromString(const char *str)
{
    return virDomainEnumFromString(fsFormatNames, VIR_STORAGE_POOL_FS_LAST, str);
}

const char *
virStoragePoolFormatDiskToString(int fmt)
{
    return virDomainEnumToString(diskFormatNames, VIR_STORAGE_POOL_DISK_LAST, fmt);
}

int
virStoragePoolFormatDiskFromString(const char *str)
{
    return virDomainEnumFromString(diskFormatNames, VIR_STORAGE_POOL_DISK_LAST, str);
}

const char *
virStorageVolFormatDiskToString(int fmt)
{
    return virDomainEnumToString(partFormatNames, VIR_STORAGE_VOL_DISK_LAST, fmt);
}

int
virStorageVolFormatDiskFromString(const char *str)
{
    return virDomainEnumFromString(partFormatNames, VIR_STORAGE_VOL_DISK_LAST, str);
}

/* The format names of a pool of @type's <source><format>, with their count. */
static const char *const *
poolFormatNames(int type, int *count)
{
    switch (type) {
    case VIR_STORAGE_POOL_FS:
    case VIR_STORAGE_POOL_NETFS:
        *count = VIR_STORAGE_POOL_FS_LAST;
        return fsFormatNames;
    case VIR_STORAGE_POOL_DISK:
        *count = VIR_STORAGE_POOL_DISK_LAST;
        return diskFormatNames;
    case VIR_STORAGE_POOL_LOGICAL:
        *count = VIR_STORAGE_POOL_LOGICAL_LAST;
        return logicalFormatNames;
    default:
        *count = 0;
        return NULL;
    }
}

bool
virStoragePoolTypeHasVolFormat(int type)
{
    switch (type) {
    case VIR_STORAGE_POOL_DIR:
    case VIR_STORAGE_POOL_FS:
    case VIR_STORAGE_POOL_NETFS:
    case VIR_STORAGE_POOL_GLUSTER:
    case VIR_STORAGE_POOL_VSTORAGE:
    case VIR_STORAGE_POOL_DISK:
        return true;
    default:
        return false;
    }
}

/* ---- lifetime ---------------------------------------------------------- */

static void
volTargetClear(virStorageVolTarget *t)
{
    g_free(t->path);
    g_free(t->perms.label);
    g_free(t->compat);
    virStorageEncryptionFree(t->encryption);
    memset(t, 0, sizeof(*t));
}

void
virStoragePoolDefFree(virStoragePoolDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->source.dir);
    g_strfreev(def->source.devices);
    g_free(def->source.name);
    g_free(def->source.host);
    g_free(def->target.path);
    g_free(def->target.perms.label);
    g_free(def->source.freeExtents);
    g_free(def);
}

void
virStorageVolDefFree(virStorageVolDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->key);
    g_free(def->extentDevice);
    volTargetClear(&def->target);
    volTargetClear(&def->backing);
    g_free(def);
}

virStoragePoolDef *
virStoragePoolDefCopy(const virStoragePoolDef *src)
{
    virStoragePoolDef *def = g_new0(virStoragePoolDef, 1);

    *def = *src;
    def->name = g_strdup(src->name);
    def->source.dir = g_strdup(src->source.dir);
    def->source.devices = g_strdupv(src->source.devices);
    def->source.name = g_strdup(src->source.name);
    def->source.host = g_strdup(src->source.host);
    def->target.path = g_strdup(src->target.path);
    def->target.perms.label = g_strdup(src->target.perms.label);
    def->source.freeExtents =
        src->source.nfreeExtents
            ? g_memdup2(src->source.freeExtents,
                        src->source.nfreeExtents * sizeof(virStorageExtent))
            : NULL;
    return def;
}

static void
volTargetCopy(virStorageVolTarget *dst, const virStorageVolTarget *src)
{
    *dst = *src;
    dst->path = g_strdup(src->path);
    dst->perms.label = g_strdup(src->perms.label);
    dst->compat = g_strdup(src->compat);
    dst->encryption = virStorageEncryptionCopy(src->encryption);
}

virStorageVolDef *
virStorageVolDefCopy(const virStorageVolDef *src)
{
    virStorageVolDef *def = g_new0(virStorageVolDef, 1);

    *def = *src;
    def->name = g_strdup(src->name);
    def->key = g_strdup(src->key);
    def->extentDevice = g_strdup(src->extentDevice);
    volTargetCopy(&def->target, &src->target);
    volTargetCopy(&def->backing, &src->backing);
    return def;
}

/* ---- helpers ----------------------------------------------------------- */

char *
virStorageSanitizePath(const char *path)
{
    GString *buf = g_string_new(NULL);
    const char *p = path;
    const char *scheme = strstr(path, "://");

    /* a URI keeps its slashes: two may name another resource (RFC 3986) */
    if (scheme && strchr(path, '/') > scheme) {
        g_string_free(buf, TRUE);
        return g_strdup(path);
    }
    /* exactly two leading slashes stay (POSIX leaves their meaning to the
     * system); three or more are one */
    if (p[0] == '/' && p[1] == '/' && p[2] != '/') {
        g_string_append(buf, "//");
        p += 2;
    }
    while (*p) {
        if (*p != '/') {
            g_string_append_c(buf, *p++);
            continue;
        }
        while (*p == '/')
            p++;
        /* no trailing slash, unless the path is "/" */
        if (!*p && buf->len)
            break;
        g_string_append_c(buf, '/');
    }
    return g_string_free(buf, FALSE);
}

/* ---- capabilities -------------------------------------------------------- */

static void
capsEnum(GString *buf, const char *kind, const char *optName, const char *def,
         const char *const *values)
{
    g_string_append_printf(buf, "    <%s>\n      <defaultFormat type='%s'/>\n", kind,
                           def);
    g_string_append_printf(buf, "      <enum name='%s'>\n", optName);
    for (size_t i = 0; values && values[i]; i++)
        g_string_append_printf(buf, "        <value>%s</value>\n", values[i]);
    g_string_append_printf(buf, "      </enum>\n    </%s>\n", kind);
}

char *
virStoragePoolCapsFormat(bool (*supported)(int type))
{
    static const char *const netfs[] = { "auto", "nfs", "glusterfs", "cifs", NULL };
    static const char *const logical[] = { "unknown", "lvm2", NULL };
    static const char *const disk[] = { "unknown", "dos",  "dvh", "gpt",  "mac",
                                        "bsd",     "pc98", "sun", "lvm2", NULL };
    static const char *const part[] = { "none",       "linux",      "fat16",
                                        "fat32",      "linux-swap", "linux-lvm",
                                        "linux-raid", "extended",   NULL };
    static const char *const none[] = { NULL };
    const char *files[VIR_STORAGE_FILE_LAST + 1] = { NULL };
    const char *fsFormats[VIR_STORAGE_POOL_FS_LAST + 1] = { NULL };
    GString *buf = g_string_new("<storagepoolCapabilities>\n");

    for (int i = 0; i < VIR_STORAGE_FILE_LAST; i++)
        files[i] = virStorageFileFormatToString(i);
    for (int i = 0; i < VIR_STORAGE_POOL_FS_LAST; i++)
        fsFormats[i] = virStoragePoolFormatFileSystemToString(i);

    for (int type = 0; type < VIR_STORAGE_POOL_LAST; type++) {
        g_string_append_printf(buf, "  <pool type='%s' supported='%s'>\n",
                               virStoragePoolTypeToString(type),
                               supported(type) ? "yes" : "no");
        switch (type) {
        case VIR_STORAGE_POOL_DIR:
        case VIR_STORAGE_POOL_GLUSTER:
        case VIR_STORAGE_POOL_VSTORAGE:
            capsEnum(buf, "volOptions", "targetFormatType", "raw", files);
            break;
        case VIR_STORAGE_POOL_FS:
            capsEnum(buf, "poolOptions", "sourceFormatType", "auto", fsFormats);
            capsEnum(buf, "volOptions", "targetFormatType", "raw", files);
            break;
        case VIR_STORAGE_POOL_NETFS:
            capsEnum(buf, "poolOptions", "sourceFormatType", "auto", netfs);
            capsEnum(buf, "volOptions", "targetFormatType", "raw", files);
            break;
        case VIR_STORAGE_POOL_LOGICAL:
            capsEnum(buf, "poolOptions", "sourceFormatType", "lvm2", logical);
            break;
        case VIR_STORAGE_POOL_DISK:
            capsEnum(buf, "poolOptions", "sourceFormatType", "unknown", disk);
            capsEnum(buf, "volOptions", "targetFormatType", "none", part);
            break;
        case VIR_STORAGE_POOL_RBD:
            capsEnum(buf, "volOptions", "targetFormatType", "raw", none);
            break;
        default:
            break;
        }
        g_string_append(buf, "  </pool>\n");
    }
    g_string_append(buf, "</storagepoolCapabilities>\n");
    return g_string_free(buf, FALSE);
}

int
virStorageParseSize(const char *unit, const char *val, unsigned long long *ret)
{
    unsigned long long v;

    if (virDomainParseULL(val, &v) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "malformed capacity element");
        return -1;
    }
    /* off_t is signed: no file is larger than LLONG_MAX bytes. Units
     * default to bytes here (libvirt's virStorageSize). */
    if (!unit || !*unit) {
        if (v > LLONG_MAX) {
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_OVERFLOW, __func__,
                               "value too large: %llu", v);
            return -1;
        }
    } else if (virDomainScaleInteger(&v, unit, LLONG_MAX) < 0) {
        return -1;
    }
    *ret = v;
    return 0;
}

/* The XML reader reports in the domain DOMAIN: hand its error on in the
 * storage domain, as libvirt's storage parser raises it. */
static xmlDocPtr
readDoc(const char *xml, const char *url)
{
    xmlDocPtr doc = virDomainXMLReadDoc(xml, strlen(xml), url);

    if (!doc) {
        virErrorPtr err = NULL;

        virErrorPreserveLast(&err);
        if (err) {
            virSetErrorRaw(VIR_FROM_STORAGE, err->code, err->level, err->message,
                           err->str1, err->str2, err->str3, err->int1, err->int2);
            virFreeError(err);
        }
    }
    return doc;
}

/* libvirt's virStorageDefParsePerms; nothing given: all -1. */
static int
parsePerms(xmlNodePtr target, virStoragePerms *perms)
{
    xmlNodePtr node = virDomainXMLChild(target, "permissions");
    g_autofree char *mode = NULL;
    g_autofree char *owner = NULL;
    g_autofree char *group = NULL;

    perms->mode = (mode_t)-1;
    perms->uid = (uid_t)-1;
    perms->gid = (gid_t)-1;
    if (!node)
        return 0;

    if ((mode = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(node, "mode")))) {
        char *end = NULL;
        long v;

        errno = 0;
        v = strtol(mode, &end, 8);
        if (errno || end == mode || *end || v < 0 || (v & ~0777)) {
            virReportError(VIR_ERR_XML_ERROR, "%s", "malformed octal mode");
            return -1;
        }
        perms->mode = (mode_t)v;
    }
    if ((owner = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(node, "owner")))) {
        char *end = NULL;
        long long v;

        errno = 0;
        v = strtoll(owner, &end, 10);
        if (errno || end == owner || *end || v < -1 || v > UINT_MAX) {
            virReportError(VIR_ERR_XML_ERROR, "%s", "malformed owner element");
            return -1;
        }
        perms->uid = (uid_t)v;
    }
    if ((group = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(node, "group")))) {
        char *end = NULL;
        long long v;

        errno = 0;
        v = strtoll(group, &end, 10);
        if (errno || end == group || *end || v < -1 || v > UINT_MAX) {
            virReportError(VIR_ERR_XML_ERROR, "%s", "malformed group element");
            return -1;
        }
        perms->gid = (gid_t)v;
    }
    perms->label = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(node, "label"));
    return 0;
}

/* ---- pool -------------------------------------------------------------- */

/* What a pool type's <source> requires (libvirt's poolTypeInfo flags). */
enum {
    SRC_HOST = 1 << 0,
    SRC_DEVICE = 1 << 1,
    SRC_DIR = 1 << 2,
    SRC_ADAPTER = 1 << 3,
    SRC_NAME = 1 << 4,
    SRC_NETWORK = 1 << 5,
};

static unsigned int
poolSourceFlags(int type)
{
    switch (type) {
    case VIR_STORAGE_POOL_FS:
    case VIR_STORAGE_POOL_DISK:
        return SRC_DEVICE;
    case VIR_STORAGE_POOL_NETFS:
        return SRC_HOST | SRC_DIR;
    case VIR_STORAGE_POOL_LOGICAL:
        return SRC_NAME | SRC_DEVICE;
    case VIR_STORAGE_POOL_ISCSI:
        return SRC_HOST | SRC_DEVICE;
    case VIR_STORAGE_POOL_ISCSI_DIRECT:
        return SRC_HOST | SRC_DEVICE | SRC_NETWORK;
    case VIR_STORAGE_POOL_SCSI:
        return SRC_ADAPTER;
    case VIR_STORAGE_POOL_RBD:
    case VIR_STORAGE_POOL_SHEEPDOG:
        return SRC_HOST | SRC_NAME | SRC_NETWORK;
    case VIR_STORAGE_POOL_GLUSTER:
        return SRC_HOST | SRC_DIR | SRC_NAME | SRC_NETWORK;
    case VIR_STORAGE_POOL_ZFS:
        return SRC_NAME | SRC_DEVICE;
    case VIR_STORAGE_POOL_VSTORAGE:
        return SRC_NAME;
    default:
        return 0;
    }
}

static int
parsePoolSource(virStoragePoolDef *def, xmlNodePtr source)
{
    g_autoptr(GPtrArray) devs = g_ptr_array_new_with_free_func(g_free);
    xmlNodePtr fmt;

    if (def->type == VIR_STORAGE_POOL_FS || def->type == VIR_STORAGE_POOL_NETFS) {
        def->source.hasFormat = true;
        def->source.format = VIR_STORAGE_POOL_FS_AUTO;
    } else if (def->type == VIR_STORAGE_POOL_DISK) {
        def->source.hasFormat = true;
        def->source.format = VIR_STORAGE_POOL_DISK_UNKNOWN;
    } else if (def->type == VIR_STORAGE_POOL_LOGICAL) {
        def->source.hasFormat = true;
        def->source.format = VIR_STORAGE_POOL_LOGICAL_LVM2;
    }
    if (!source)
        return 0;

    for (xmlNodePtr cur = source->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainXMLNodeIs(cur, "device")) {
            char *path = virDomainXMLProp(cur, "path");

            if (!path || !*path) {
                g_free(path);
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "missing storage pool source device path");
                return -1;
            }
            g_ptr_array_add(devs, path);
        } else if (virDomainXMLNodeIs(cur, "dir") && !def->source.dir) {
            g_autofree char *path = virDomainXMLProp(cur, "path");

            if (path && *path)
                def->source.dir = virStorageSanitizePath(path);
        } else if (virDomainXMLNodeIs(cur, "host") && !def->source.host) {
            def->source.host = virDomainXMLProp(cur, "name");
        } else if (virDomainXMLNodeIs(cur, "name") && !def->source.name) {
            def->source.name = virDomainXMLNodeTextNonEmpty(cur);
        }
    }
    if (devs->len) {
        g_ptr_array_add(devs, NULL);
        def->source.devices = (char **)g_ptr_array_steal(devs, NULL);
    }

    if ((fmt = virDomainXMLChild(source, "format"))) {
        g_autofree char *type = virDomainXMLProp(fmt, "type");

        if (def->source.hasFormat && type) {
            int n;
            const char *const *names = poolFormatNames(def->type, &n);
            int f = virDomainEnumFromString(names, n, type);

            if (f < 0) {
                virReportError(VIR_ERR_XML_ERROR, "unknown pool format type %s", type);
                return -1;
            }
            def->source.format = f;
        }
    }
    return 0;
}

static virStoragePoolDef *
poolDefParseNode(xmlNodePtr root)
{
    g_autoptr(virStoragePoolDef) def = g_new0(virStoragePoolDef, 1);
    g_autofree char *type = NULL;
    g_autofree char *uuid = NULL;
    g_autofree char *path = NULL;
    unsigned int srcFlags;
    xmlNodePtr target;

    if (!virDomainXMLNodeIs(root, "pool")) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "expecting root element of 'pool', not '%s'",
                           (const char *)root->name);
        return NULL;
    }
    if (!(type = virDomainXMLProp(root, "type"))) {
        virDomainXMLReportMissingAttr("type", root);
        return NULL;
    }
    if ((int)(def->type = virStoragePoolTypeFromString(type)) < 0) {
        virDomainXMLReportInvalidAttr("type", root, type);
        return NULL;
    }
    srcFlags = poolSourceFlags(def->type);

    if (parsePoolSource(def, virDomainXMLChild(root, "source")) < 0)
        return NULL;

    def->name = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(root, "name"));
    if (!def->name && (srcFlags & SRC_NAME) && def->source.name)
        def->name = g_strdup(def->source.name);
    if (!def->name) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing pool source name element");
        return NULL;
    }
    if (strchr(def->name, '/')) {
        virReportError(VIR_ERR_XML_ERROR, "name %s cannot contain '/'", def->name);
        return NULL;
    }

    uuid = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(root, "uuid"));
    if (!uuid) {
        virUUIDGenerate(def->uuid);
    } else if (virUUIDParse(uuid, def->uuid) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "malformed uuid element");
        return NULL;
    }

    if ((srcFlags & SRC_HOST) && !def->source.host) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing storage pool source host name");
        return NULL;
    }
    if ((srcFlags & SRC_DIR) && !def->source.dir) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing storage pool source path");
        return NULL;
    }
    if ((srcFlags & SRC_NAME) && !def->source.name) {
        if (def->type == VIR_STORAGE_POOL_LOGICAL) {
            def->source.name = g_strdup(def->name);
        } else {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "missing storage pool source name element");
            return NULL;
        }
    }
    if (srcFlags == SRC_DEVICE && !def->source.devices) {
        virReportError(VIR_ERR_XML_ERROR, "%s",
                       "missing storage pool source device name");
        return NULL;
    }

    if (!(srcFlags & SRC_NETWORK)) {
        target = virDomainXMLChild(root, "target");
        if (def->type == VIR_STORAGE_POOL_LOGICAL)
            path = g_strdup_printf("/dev/%s", def->source.name);
        else if (def->type == VIR_STORAGE_POOL_ZFS)
            path = g_strdup_printf("/dev/zvol/%s", def->source.name);
        else
            path = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(target, "path"));
        if (!path) {
            virReportError(VIR_ERR_XML_ERROR, "%s", "missing storage pool target path");
            return NULL;
        }
        def->target.path = virStorageSanitizePath(path);
        if (parsePerms(target, &def->target.perms) < 0)
            return NULL;
    } else {
        def->target.perms.mode = (mode_t)-1;
        def->target.perms.uid = (uid_t)-1;
        def->target.perms.gid = (gid_t)-1;
    }

    /* Figures a saved live definition carries (libvirt keeps them). */
    for (int i = 0; i < 3; i++) {
        static const char *const names[] = { "capacity", "allocation", "available" };
        unsigned long long *dst[] = { &def->capacity, &def->allocation, &def->available };
        xmlNodePtr n = virDomainXMLChild(root, names[i]);
        g_autofree char *val = virDomainXMLNodeTextNonEmpty(n);
        g_autofree char *unit = virDomainXMLProp(n, "unit");

        if (val && virStorageParseSize(unit, val, dst[i]) < 0)
            return NULL;
    }
    return g_steal_pointer(&def);
}

virStoragePoolDef *
virStoragePoolDefParseString(const char *xml)
{
    xmlDocPtr doc = readDoc(xml, "(storage_pool_definition)");
    virStoragePoolDef *def;

    if (!doc)
        return NULL;
    def = poolDefParseNode(xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    return def;
}

static void
indent(GString *buf, int n)
{
    for (int i = 0; i < n; i++)
        g_string_append_c(buf, ' ');
}

static void
elem(GString *buf, int ind, const char *tag, const char *text)
{
    if (!text)
        return;
    indent(buf, ind);
    g_string_append_printf(buf, "<%s>", tag);
    virDomainXMLEscape(buf, text);
    g_string_append_printf(buf, "</%s>\n", tag);
}

static void
formatPerms(GString *buf, int ind, const virStoragePerms *p)
{
    if (p->mode == (mode_t)-1 && p->uid == (uid_t)-1 && p->gid == (gid_t)-1 && !p->label)
        return;
    indent(buf, ind);
    g_string_append(buf, "<permissions>\n");
    if (p->mode != (mode_t)-1) {
        indent(buf, ind + 2);
        g_string_append_printf(buf, "<mode>0%o</mode>\n", (unsigned int)p->mode);
    }
    if (p->uid != (uid_t)-1) {
        indent(buf, ind + 2);
        g_string_append_printf(buf, "<owner>%d</owner>\n", (int)p->uid);
    }
    if (p->gid != (gid_t)-1) {
        indent(buf, ind + 2);
        g_string_append_printf(buf, "<group>%d</group>\n", (int)p->gid);
    }
    elem(buf, ind + 2, "label", p->label);
    indent(buf, ind);
    g_string_append(buf, "</permissions>\n");
}

char *
virStoragePoolDefFormat(const virStoragePoolDef *def, unsigned int flags)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    char uuid[VIR_UUID_STRING_BUFLEN];

    g_string_append_printf(buf, "<pool type='%s'>\n",
                           virStoragePoolTypeToString(def->type));
    elem(buf, 2, "name", def->name);
    elem(buf, 2, "uuid", virUUIDFormat(def->uuid, uuid));
    if (!(flags & VIR_STORAGE_POOL_DEF_FORMAT_INACTIVE)) {
        g_string_append_printf(buf, "  <capacity unit='bytes'>%llu</capacity>\n",
                               def->capacity);
        g_string_append_printf(buf, "  <allocation unit='bytes'>%llu</allocation>\n",
                               def->allocation);
        g_string_append_printf(buf, "  <available unit='bytes'>%llu</available>\n",
                               def->available);
    }
    g_string_append(buf, "  <source>\n");
    if (def->source.host) {
        g_string_append(buf, "    <host name='");
        virDomainXMLEscape(buf, def->source.host);
        g_string_append(buf, "'/>\n");
    }
    for (char **d = def->source.devices; d && *d; d++) {
        bool extents = d == def->source.devices && def->source.nfreeExtents &&
                       !(flags & VIR_STORAGE_POOL_DEF_FORMAT_INACTIVE);

        g_string_append(buf, "    <device path='");
        virDomainXMLEscape(buf, *d);
        if (!extents) {
            g_string_append(buf, "'/>\n");
            continue;
        }
        g_string_append(buf, "'>\n");
        for (size_t i = 0; i < def->source.nfreeExtents; i++)
            g_string_append_printf(buf, "      <freeExtent start='%llu' end='%llu'/>\n",
                                   def->source.freeExtents[i].start,
                                   def->source.freeExtents[i].end);
        g_string_append(buf, "    </device>\n");
    }
    if (def->source.dir) {
        g_string_append(buf, "    <dir path='");
        virDomainXMLEscape(buf, def->source.dir);
        g_string_append(buf, "'/>\n");
    }
    elem(buf, 4, "name", def->source.name);
    if (def->source.hasFormat) {
        int n;
        const char *const *names = poolFormatNames(def->type, &n);

        g_string_append_printf(buf, "    <format type='%s'/>\n",
                               virDomainEnumToString(names, n, def->source.format));
    }
    g_string_append(buf, "  </source>\n");
    if (def->target.path) {
        g_string_append(buf, "  <target>\n");
        elem(buf, 4, "path", def->target.path);
        formatPerms(buf, 4, &def->target.perms);
        g_string_append(buf, "  </target>\n");
    }
    g_string_append(buf, "</pool>\n");
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

/* ---- volume ------------------------------------------------------------ */

static int
parseFormat(const virStoragePoolDef *pool, xmlNodePtr target, int *format)
{
    g_autofree char *type = NULL;

    if (!virStoragePoolTypeHasVolFormat(pool->type)) {
        *format = VIR_STORAGE_FILE_NONE;
        return 0;
    }
    type = virDomainXMLProp(virDomainXMLChild(target, "format"), "type");
    if (pool->type == VIR_STORAGE_POOL_DISK) {
        *format = VIR_STORAGE_VOL_DISK_NONE;
        if (type && (*format = virStorageVolFormatDiskFromString(type)) < 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown volume format type %s",
                           type);
            return -1;
        }
        return 0;
    }
    if (!type) {
        *format = VIR_STORAGE_FILE_RAW;
        return 0;
    }
    if ((*format = virStorageFileFormatFromString(type)) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown volume format type %s", type);
        return -1;
    }
    return 0;
}

static virStorageVolDef *
volDefParseNode(const virStoragePoolDef *pool, xmlNodePtr root, unsigned int flags)
{
    g_autoptr(virStorageVolDef) def = g_new0(virStorageVolDef, 1);
    g_autofree char *type = NULL;
    g_autofree char *capacity = NULL;
    g_autofree char *unit = NULL;
    g_autofree char *allocation = NULL;
    g_autofree char *allocUnit = NULL;
    xmlNodePtr backing, target, features;

    if (!virDomainXMLNodeIs(root, "volume")) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "expecting root element of 'volume', not '%s'",
                           (const char *)root->name);
        return NULL;
    }

    if (!(def->name = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(root, "name")))) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing volume name element");
        return NULL;
    }
    def->key = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(root, "key"));

    if ((type = virDomainXMLProp(root, "type"))) {
        if ((int)(def->type = virStorageVolTypeFromString(type)) < 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown volume type '%s'", type);
            return NULL;
        }
    }

    if ((backing = virDomainXMLChild(root, "backingStore"))) {
        def->backing.path =
            virDomainXMLNodeTextNonEmpty(virDomainXMLChild(backing, "path"));
        if (def->backing.path) {
            def->hasBacking = true;
            if (parseFormat(pool, backing, &def->backing.format) < 0 ||
                parsePerms(backing, &def->backing.perms) < 0)
                return NULL;
        }
    }

    capacity = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(root, "capacity"));
    unit = virDomainXMLProp(virDomainXMLChild(root, "capacity"), "unit");
    if (capacity) {
        if (virStorageParseSize(unit, capacity, &def->capacity) < 0)
            return NULL;
        def->hasCapacity = true;
    } else if (!(flags & VIR_VOL_XML_PARSE_NO_CAPACITY) &&
               !((flags & VIR_VOL_XML_PARSE_OPT_CAPACITY) && def->hasBacking)) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing capacity element");
        return NULL;
    }

    allocation = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(root, "allocation"));
    if (allocation) {
        allocUnit = virDomainXMLProp(virDomainXMLChild(root, "allocation"), "unit");
        if (virStorageParseSize(allocUnit, allocation, &def->allocation) < 0)
            return NULL;
        def->hasAllocation = true;
    } else {
        def->allocation = def->capacity;
    }

    target = virDomainXMLChild(root, "target");
    def->target.path = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(target, "path"));
    if (parseFormat(pool, target, &def->target.format) < 0 ||
        parsePerms(target, &def->target.perms) < 0)
        return NULL;

    def->target.compat =
        virDomainXMLNodeTextNonEmpty(virDomainXMLChild(target, "compat"));
    if (def->target.compat) {
        for (const char *p = def->target.compat; *p; p++) {
            if (!g_ascii_isdigit(*p) && *p != '.') {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "forbidden characters in 'compat' attribute");
                return NULL;
            }
        }
    }
    if (virDomainXMLChild(target, "nocow"))
        def->target.nocow = true;
    {
        xmlNodePtr enc = virDomainXMLChild(target, "encryption");

        if (enc && !(def->target.encryption = virStorageEncryptionParse(enc)))
            return NULL;
    }

    if ((features = virDomainXMLChild(target, "features"))) {
        def->target.hasFeatures = true;
        if (!def->target.compat)
            def->target.compat = g_strdup("1.1");
        for (xmlNodePtr cur = features->children; cur; cur = cur->next) {
            int f;

            if (cur->type != XML_ELEMENT_NODE)
                continue;
            f = virDomainEnumFromString(featureNames, VIR_STORAGE_FILE_FEATURE_LAST,
                                        (const char *)cur->name);
            if (f < 0) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported feature %s",
                               (const char *)cur->name);
                return NULL;
            }
            def->target.features[f] = true;
        }
    }
    return g_steal_pointer(&def);
}

virStorageVolDef *
virStorageVolDefParseString(const virStoragePoolDef *pool, const char *xml,
                            unsigned int flags)
{
    xmlDocPtr doc = readDoc(xml, "(storage_volume_definition)");
    virStorageVolDef *def;

    if (!doc)
        return NULL;
    def = volDefParseNode(pool, xmlDocGetRootElement(doc), flags);
    xmlFreeDoc(doc);
    return def;
}

static void
formatTimestamp(GString *buf, const char *name, const virStorageTimestamp *ts)
{
    if (ts->sec < 0)
        return;
    g_string_append_printf(buf, "      <%s>%lld", name, ts->sec);
    if (ts->nsec)
        g_string_append_printf(buf, ".%09ld", ts->nsec);
    g_string_append_printf(buf, "</%s>\n", name);
}

static void
formatVolTarget(GString *buf, const virStoragePoolDef *pool, const virStorageVolTarget *t,
                const char *tag)
{
    g_string_append_printf(buf, "  <%s>\n", tag);
    elem(buf, 4, "path", t->path);
    if (pool->type == VIR_STORAGE_POOL_DISK)
        g_string_append_printf(buf, "    <format type='%s'/>\n",
                               virStorageVolFormatDiskToString(t->format));
    else if (virStoragePoolTypeHasVolFormat(pool->type))
        g_string_append_printf(buf, "    <format type='%s'/>\n",
                               virStorageFileFormatToString(t->format));
    formatPerms(buf, 4, &t->perms);
    if (t->hasTimestamps) {
        g_string_append(buf, "    <timestamps>\n");
        formatTimestamp(buf, "atime", &t->atime);
        formatTimestamp(buf, "mtime", &t->mtime);
        formatTimestamp(buf, "ctime", &t->ctime);
        /* libvirt 9.0 prints a btime it never fills (statx is not used) */
        g_string_append(buf, "      <btime>0</btime>\n");
        g_string_append(buf, "    </timestamps>\n");
    }
    if (t->encryption)
        virStorageEncryptionFormat(buf, 4, t->encryption);
    elem(buf, 4, "compat", t->compat);
    if (t->clusterSize)
        g_string_append_printf(buf, "    <clusterSize unit='B'>%llu</clusterSize>\n",
                               t->clusterSize);
    if (t->hasFeatures) {
        bool any = false;

        for (int i = 0; i < VIR_STORAGE_FILE_FEATURE_LAST; i++)
            any |= t->features[i];
        if (!any) {
            g_string_append(buf, "    <features/>\n");
        } else {
            g_string_append(buf, "    <features>\n");
            for (int i = 0; i < VIR_STORAGE_FILE_FEATURE_LAST; i++) {
                if (t->features[i])
                    g_string_append_printf(buf, "      <%s/>\n", featureNames[i]);
            }
            g_string_append(buf, "    </features>\n");
        }
    }
    g_string_append_printf(buf, "  </%s>\n", tag);
}

char *
virStorageVolDefFormat(const virStoragePoolDef *pool, const virStorageVolDef *def)
{
    g_autoptr(GString) buf = g_string_new(NULL);

    g_string_append_printf(buf, "<volume type='%s'>\n",
                           virStorageVolTypeToString(def->type));
    elem(buf, 2, "name", def->name);
    elem(buf, 2, "key", def->key);
    if (def->extentDevice) {
        g_string_append(buf, "  <source>\n    <device path='");
        virDomainXMLEscape(buf, def->extentDevice);
        g_string_append_printf(buf,
                               "'>\n      <extent start='%llu' end='%llu'/>\n"
                               "    </device>\n  </source>\n",
                               def->extent.start, def->extent.end);
    }
    g_string_append_printf(buf, "  <capacity unit='bytes'>%llu</capacity>\n",
                           def->capacity);
    g_string_append_printf(buf, "  <allocation unit='bytes'>%llu</allocation>\n",
                           def->allocation);
    if (def->physical)
        g_string_append_printf(buf, "  <physical unit='bytes'>%llu</physical>\n",
                               def->physical);
    formatVolTarget(buf, pool, &def->target, "target");
    if (def->hasBacking)
        formatVolTarget(buf, pool, &def->backing, "backingStore");
    g_string_append(buf, "</volume>\n");
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

/* ---- the unfinished-upload mark ----------------------------------------- */

static const char *
uploadBootId(void)
{
    static char *bootId;

    if (g_once_init_enter(&bootId)) {
        char *id = NULL;

        if (!g_file_get_contents("/proc/sys/kernel/random/boot_id", &id, NULL, NULL))
            id = g_strdup("unknown");
        g_strstrip(id);
        g_once_init_leave(&bootId, id);
    }
    return bootId;
}

char *
virStorageUploadSyncingMark(void)
{
    static gint counter;

    return g_strdup_printf("syncing %s %d", uploadBootId(),
                           g_atomic_int_add(&counter, 1));
}

virStorageUploadMarkState
virStorageUploadMarkParse(const char *value)
{
    const char *boot = uploadBootId();
    size_t len = strlen(boot);

    if (g_strcmp0(value, "in-progress") == 0)
        return VIR_STORAGE_UPLOAD_MARK_IN_PROGRESS;
    if (value && g_str_has_prefix(value, "syncing ") && strcmp(boot, "unknown") != 0 &&
        strncmp(value + 8, boot, len) == 0 && value[8 + len] == ' ')
        return VIR_STORAGE_UPLOAD_MARK_SYNCING;
    return VIR_STORAGE_UPLOAD_MARK_INTERRUPTED;
}
