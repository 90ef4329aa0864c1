/* vksh-volume.c: storage volume commands (vol-*), virsh 9.0's output */

#define G_LOG_DOMAIN "vksh.volume"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vksh.h"
#include "vksh-xml.h"
#include "vksh-storage.h"

/* virsh's virshCommandOptVolBy: by name in --@poolopt's pool, then by key,
 * then by path; a volume outside the pool asked for is refused. */
static virStorageVolPtr
vkshCommandOptVol(vkshControl *ctl, const vkshCmd *cmd, const char *optname,
                  const char *poolopt, const char **name)
{
    g_autoptr(virStoragePool) pool = NULL;
    virStorageVolPtr vol = NULL;
    const char *n = NULL, *p = NULL;

    if (vkshOptString(ctl, cmd, optname, &n) <= 0)
        return NULL;
    if (poolopt && vkshOptString(ctl, cmd, poolopt, &p) < 0)
        return NULL;
    if (p) {
        if (!(pool = vkshCommandOptPoolBy(ctl, cmd, poolopt, NULL)))
            return NULL;
        if (virStoragePoolIsActive(pool) != 1) {
            vkshError(ctl, "pool '%s' is not active", p);
            return NULL;
        }
    }
    if (name)
        *name = n;
    if (pool)
        vol = virStorageVolLookupByName(pool, n);
    if (!vol)
        vol = virStorageVolLookupByKey(ctl->conn, n);
    if (!vol)
        vol = virStorageVolLookupByPath(ctl->conn, n);
    if (!vol) {
        if (pool || !poolopt)
            vkshError(ctl, "failed to get vol '%s'", n);
        else
            vkshError(ctl, "failed to get vol '%s', specifying --%s might help", n,
                      poolopt);
        return NULL;
    }
    vkshResetError();
    if (pool) {
        g_autoptr(virStoragePool) volpool = virStoragePoolLookupByVolume(vol);

        if (volpool &&
            strcmp(virStoragePoolGetName(volpool), virStoragePoolGetName(pool)) != 0) {
            vkshResetError();
            vkshError(ctl, "Requested volume '%s' is not in pool '%s'", n,
                      virStoragePoolGetName(pool));
            virStorageVolFree(vol);
            return NULL;
        }
    }
    return vol;
}

/* virsh's vshVolSize: a decimal with an optional unit suffix (bytes by
 * default). Reports "Malformed size X" (and the scaling error). */
static int
vkshVolSize(vkshControl *ctl, const char *data, unsigned long long *val)
{
    char *end = NULL;
    unsigned long long v;
    unsigned long long scale = 1;
    const char *p = data;

    while (*p == ' ')
        p++;
    if (*p == '-' || !g_ascii_isdigit(*p))
        goto malformed;
    errno = 0;
    v = strtoull(p, &end, 10);
    if (errno)
        goto malformed;
    if (*end) {
        if (!vkshScaleSuffix(end, 1, &scale))
            goto badsuffix;
        if (v && v > G_MAXUINT64 / scale) {
            vkshError(ctl, "Malformed size %s", data);
            vkshError(ctl, "numerical overflow: value too large: %s", data);
            return -1;
        }
        v *= scale;
    }
    *val = v;
    return 0;

badsuffix:
    vkshError(ctl, "Malformed size %s", data);
    vkshError(ctl, "invalid argument: unknown suffix '%s'", end);
    return -1;
malformed:
    vkshError(ctl, "Malformed size %s", data);
    return -1;
}

static const char *
volTypeToString(int type)
{
    switch (type) {
    case VIR_STORAGE_VOL_FILE:
        return "file";
    case VIR_STORAGE_VOL_BLOCK:
        return "block";
    case VIR_STORAGE_VOL_DIR:
        return "dir";
    case VIR_STORAGE_VOL_NETWORK:
        return "network";
    case VIR_STORAGE_VOL_NETDIR:
        return "netdir";
    case VIR_STORAGE_VOL_PLOOP:
        return "ploop";
    }
    return "unknown";
}

/* ---- create ------------------------------------------------------------- */

static const vkshOptDef optsVolCreateAs[] = {
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQ, "pool name" },
    { "name", VKSH_OT_STRING, VKSH_OFLAG_REQ, "name of the volume" },
    { "capacity", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "size of the vol, as scaled integer (default bytes)" },
    { "allocation", VKSH_OT_STRING, 0,
      "initial allocation size, as scaled integer (default bytes)" },
    { "format", VKSH_OT_STRING, 0, "file format type raw,bochs,qcow,qcow2,qed,vmdk" },
    { "backing-vol", VKSH_OT_STRING, 0, "the backing volume if taking a snapshot" },
    { "backing-vol-format", VKSH_OT_STRING, 0,
      "format of backing volume if taking a snapshot" },
    { "prealloc-metadata", VKSH_OT_BOOL, 0,
      "preallocate metadata (for qcow2 instead of full allocation)" },
    { "print-xml", VKSH_OT_BOOL, 0, "print XML document, but don't define/create" },
    { NULL, 0, 0, NULL },
};

static bool
cmdVolCreateAs(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    g_autoptr(virStorageVol) vol = NULL;
    g_autoptr(GString) buf = NULL;
    g_autofree char *xml = NULL;
    const char *name = NULL, *capStr = NULL, *allocStr = NULL, *format = NULL,
               *backing = NULL, *backingFmt = NULL;
    unsigned long long capacity, allocation = 0;
    unsigned int flags = 0;

    if (vkshOptBool(cmd, "prealloc-metadata"))
        flags |= VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
    if (!(pool = vkshCommandOptPoolBy(ctl, cmd, "pool", NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "name", &name) <= 0 ||
        vkshOptString(ctl, cmd, "capacity", &capStr) <= 0)
        return false;
    if (vkshVolSize(ctl, capStr, &capacity) < 0)
        return false;
    if (vkshOptString(ctl, cmd, "allocation", &allocStr) < 0)
        return false;
    if (allocStr && vkshVolSize(ctl, allocStr, &allocation) < 0)
        return false;
    if (vkshOptString(ctl, cmd, "format", &format) < 0 ||
        vkshOptString(ctl, cmd, "backing-vol", &backing) < 0 ||
        vkshOptString(ctl, cmd, "backing-vol-format", &backingFmt) < 0)
        return false;

    buf = g_string_new("<volume>\n");
    g_string_append_printf(buf, "  <name>%s</name>\n", name);
    g_string_append_printf(buf, "  <capacity>%llu</capacity>\n", capacity);
    if (allocStr)
        g_string_append_printf(buf, "  <allocation>%llu</allocation>\n", allocation);
    if (format)
        g_string_append_printf(buf, "  <target>\n    <format type='%s'/>\n  </target>\n",
                               format);
    if (backing) {
        g_autoptr(virStorageVol) snap = NULL;
        g_autofree char *path = NULL;

        if (!(snap = virStorageVolLookupByName(pool, backing)) &&
            !(snap = virStorageVolLookupByKey(ctl->conn, backing)) &&
            !(snap = virStorageVolLookupByPath(ctl->conn, backing))) {
            vkshError(ctl, "failed to get vol '%s'", backing);
            return false;
        }
        if (!(path = virStorageVolGetPath(snap))) {
            vkshError(ctl, "failed to get vol '%s'", backing);
            return false;
        }
        vkshResetError();
        g_string_append_printf(buf, "  <backingStore>\n    <path>%s</path>\n", path);
        if (backingFmt)
            g_string_append_printf(buf, "    <format type='%s'/>\n", backingFmt);
        g_string_append(buf, "  </backingStore>\n");
    }
    g_string_append(buf, "</volume>\n");

    if (vkshOptBool(cmd, "print-xml")) {
        vkshPrint(ctl, "%s", buf->str);
        return true;
    }
    if (!(vol = virStorageVolCreateXML(pool, buf->str, flags))) {
        vkshError(ctl, "Failed to create vol %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Vol %s created\n", name);
    return true;
}

static const vkshOptDef optsVolCreate[] = {
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQ, "pool name" },
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "file containing an XML vol description" },
    { "prealloc-metadata", VKSH_OT_BOOL, 0,
      "preallocate metadata (for qcow2 instead of full allocation)" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL, 0, 0, NULL },
};

static bool
cmdVolCreate(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    g_autoptr(virStorageVol) vol = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vkshOptBool(cmd, "prealloc-metadata"))
        flags |= VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
    if (vkshOptBool(cmd, "validate"))
        flags |= VIR_STORAGE_VOL_CREATE_VALIDATE;
    if (!(pool = vkshCommandOptPoolBy(ctl, cmd, "pool", NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "file", &file) <= 0 || !(xml = vkshReadFile(ctl, file)))
        return false;
    if (!(vol = virStorageVolCreateXML(pool, xml, flags))) {
        vkshError(ctl, "Failed to create vol from %s", file);
        return false;
    }
    vkshPrintExtra(ctl, "Vol %s created from %s\n", virStorageVolGetName(vol), file);
    return true;
}

static const vkshOptDef optsVolCreateFrom[] = {
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQ, "pool name or uuid" },
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "file containing an XML vol description" },
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQ, "input vol name or key" },
    { "inputpool", VKSH_OT_STRING, 0, "pool name or uuid of the input volume's pool" },
    { "prealloc-metadata", VKSH_OT_BOOL, 0,
      "preallocate metadata (for qcow2 instead of full allocation)" },
    { "reflink", VKSH_OT_BOOL, 0, "use btrfs COW lightweight copy" },
    { "validate", VKSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL, 0, 0, NULL },
};

static bool
cmdVolCreateFrom(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    g_autoptr(virStorageVol) input = NULL;
    g_autoptr(virStorageVol) vol = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vkshOptBool(cmd, "prealloc-metadata"))
        flags |= VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
    if (vkshOptBool(cmd, "reflink"))
        flags |= VIR_STORAGE_VOL_CREATE_REFLINK;
    if (vkshOptBool(cmd, "validate"))
        flags |= VIR_STORAGE_VOL_CREATE_VALIDATE;
    if (!(pool = vkshCommandOptPoolBy(ctl, cmd, "pool", NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "file", &file) <= 0)
        return false;
    if (!(input = vkshCommandOptVol(ctl, cmd, "vol", "inputpool", NULL)))
        return false;
    if (!(xml = vkshReadFile(ctl, file)))
        return false;
    if (!(vol = virStorageVolCreateXMLFrom(pool, xml, input, flags))) {
        vkshError(ctl, "Failed to create vol from %s", file);
        return false;
    }
    vkshPrintExtra(ctl, "Vol %s created from input vol %s\n", virStorageVolGetName(vol),
                   virStorageVolGetName(input));
    return true;
}

static const vkshOptDef optsVolClone[] = {
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQ, "orig vol name or key" },
    { "newname", VKSH_OT_STRING, VKSH_OFLAG_REQ, "clone name" },
    { "pool", VKSH_OT_STRING, 0, "pool name or uuid" },
    { "prealloc-metadata", VKSH_OT_BOOL, 0,
      "preallocate metadata (for qcow2 instead of full allocation)" },
    { "reflink", VKSH_OT_BOOL, 0, "use btrfs COW lightweight copy" },
    { "print-xml", VKSH_OT_BOOL, 0, "print XML document instead of cloning the volume" },
    { NULL, 0, 0, NULL },
};

static bool
cmdVolClone(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStorageVol) orig = NULL;
    g_autoptr(virStorageVol) vol = NULL;
    g_autoptr(virStoragePool) pool = NULL;
    g_autofree char *xml = NULL;
    const char *newname = NULL;
    unsigned int flags = 0;
    char *name, *end;

    if (vkshOptBool(cmd, "prealloc-metadata"))
        flags |= VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
    if (vkshOptBool(cmd, "reflink"))
        flags |= VIR_STORAGE_VOL_CREATE_REFLINK;
    if (!(orig = vkshCommandOptVol(ctl, cmd, "vol", "pool", NULL)))
        return false;
    if (!(pool = virStoragePoolLookupByVolume(orig))) {
        vkshError(ctl, "%s", "failed to get parent pool");
        return false;
    }
    if (vkshOptString(ctl, cmd, "newname", &newname) <= 0)
        return false;
    if (!(xml = virStorageVolGetXMLDesc(orig, 0)))
        return false;
    /* the original's document with the new name */
    if (!(name = strstr(xml, "<name>")) || !(end = strstr(name, "</name>")))
        return false;
    {
        g_autofree char *esc = g_markup_escape_text(newname, -1);
        g_autofree char *nxml =
            g_strdup_printf("%.*s<name>%s%s", (int)(name - xml), xml, esc, end);

        g_free(xml);
        xml = g_steal_pointer(&nxml);
    }
    if (vkshOptBool(cmd, "print-xml")) {
        vkshPrint(ctl, "%s", xml);
        return true;
    }
    if (!(vol = virStorageVolCreateXMLFrom(pool, xml, orig, flags))) {
        vkshError(ctl, "Failed to clone vol from %s", virStorageVolGetName(orig));
        return false;
    }
    vkshPrintExtra(ctl, "Vol %s cloned from %s\n", newname, virStorageVolGetName(orig));
    return true;
}

/* ---- delete, wipe, resize -------------------------------------------------- */

static const vkshOptDef optsVolDelete[] = {
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQ, "vol name, key or path" },
    { "pool", VKSH_OT_STRING, 0, "pool name or uuid" },
    { "delete-snapshots", VKSH_OT_BOOL, 0,
      "delete snapshots associated with volume (must be supported by storage driver)" },
    { NULL, 0, 0, NULL },
};

static bool
cmdVolDelete(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStorageVol) vol = NULL;
    const char *name = NULL;
    unsigned int flags = 0;

    if (vkshOptBool(cmd, "delete-snapshots"))
        flags |= VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS;
    if (!(vol = vkshCommandOptVol(ctl, cmd, "vol", "pool", &name)))
        return false;
    if (virStorageVolDelete(vol, flags) < 0) {
        vkshError(ctl, "Failed to delete vol %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Vol %s deleted\n", name);
    return true;
}

static const vkshOptDef optsVolWipe[] = {
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQ, "vol name, key or path" },
    { "pool", VKSH_OT_STRING, 0, "pool name or uuid" },
    { "algorithm", VKSH_OT_STRING, 0, "perform selected wiping algorithm" },
    { NULL, 0, 0, NULL },
};

static const char *const wipeAlgs[] = {
    "zero",     "nnsa",      "dod",        "bsi",    "gutmann",
    "schneier", "pfitzner7", "pfitzner33", "random", "trim",
};

static bool
cmdVolWipe(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStorageVol) vol = NULL;
    const char *name = NULL, *alg = NULL;
    int algorithm = VIR_STORAGE_VOL_WIPE_ALG_ZERO;
    int rc;

    if (!(vol = vkshCommandOptVol(ctl, cmd, "vol", "pool", &name)))
        return false;
    if (vkshOptString(ctl, cmd, "algorithm", &alg) < 0)
        return false;
    if (alg) {
        for (algorithm = 0; algorithm < (int)G_N_ELEMENTS(wipeAlgs); algorithm++) {
            if (strcmp(alg, wipeAlgs[algorithm]) == 0)
                break;
        }
        if (algorithm == (int)G_N_ELEMENTS(wipeAlgs)) {
            vkshError(ctl, "Unsupported algorithm '%s'", alg);
            return false;
        }
    }
    if (algorithm == 0)
        rc = virStorageVolWipe(vol, 0);
    else
        rc = virStorageVolWipePattern(vol, algorithm, 0);
    if (rc < 0) {
        vkshError(ctl, "Failed to wipe vol %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Vol %s wiped\n", name);
    return true;
}

static const vkshOptDef optsVolResize[] = {
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQ, "vol name, key or path" },
    { "capacity", VKSH_OT_STRING, VKSH_OFLAG_REQ,
      "new capacity for the vol, as scaled integer (default bytes)" },
    { "pool", VKSH_OT_STRING, 0, "pool name or uuid" },
    { "allocate", VKSH_OT_BOOL, 0,
      "allocate the new capacity, rather than leaving it sparse" },
    { "delta", VKSH_OT_BOOL, 0,
      "use capacity as a delta to current size, rather than the new size" },
    { "shrink", VKSH_OT_BOOL, 0, "allow the resize to shrink the volume" },
    { NULL, 0, 0, NULL },
};

static bool
cmdVolResize(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStorageVol) vol = NULL;
    const char *capStr = NULL, *name = NULL;
    unsigned long long capacity = 0;
    unsigned int flags = 0;
    bool delta = vkshOptBool(cmd, "delta");

    if (vkshOptBool(cmd, "allocate"))
        flags |= VIR_STORAGE_VOL_RESIZE_ALLOCATE;
    if (vkshOptBool(cmd, "shrink"))
        flags |= VIR_STORAGE_VOL_RESIZE_SHRINK;
    if (!(vol = vkshCommandOptVol(ctl, cmd, "vol", "pool", &name)))
        return false;
    if (vkshOptString(ctl, cmd, "capacity", &capStr) <= 0)
        return false;
    if (*capStr == '-') {
        if (!(flags & VIR_STORAGE_VOL_RESIZE_SHRINK)) {
            vkshError(ctl, "%s", "negative size requires --shrink");
            return false;
        }
        delta = true;
        capStr++;
    }
    if (delta)
        flags |= VIR_STORAGE_VOL_RESIZE_DELTA;
    if (vkshVolSize(ctl, capStr, &capacity) < 0) {
        return false;
    }
    if (virStorageVolResize(vol, capacity, flags) < 0) {
        vkshError(ctl,
                  delta ? "Failed to change size of volume '%s' by %s"
                        : "Failed to change size of volume '%s' to %s",
                  name, capStr);
        return false;
    }
    vkshPrintExtra(ctl,
                   delta ? "Size of volume '%s' successfully changed by %s\n"
                         : "Size of volume '%s' successfully changed to %s\n",
                   name, capStr);
    return true;
}

/* ---- information ---------------------------------------------------------- */

static const vkshOptDef optsVolInfo[] = {
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQ, "vol name, key or path" },
    { "pool", VKSH_OT_STRING, 0, "pool name or uuid" },
    { "bytes", VKSH_OT_BOOL, 0,
      "sizes are represented in bytes rather than pretty units" },
    { "physical", VKSH_OT_BOOL, 0,
      "return the physical size of the volume in allocation field" },
    { NULL, 0, 0, NULL },
};

static bool
cmdVolInfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStorageVol) vol = NULL;
    virStorageVolInfo info;
    bool bytes = vkshOptBool(cmd, "bytes");
    bool physical = vkshOptBool(cmd, "physical");
    int rc;

    if (!(vol = vkshCommandOptVol(ctl, cmd, "vol", "pool", NULL)))
        return false;
    vkshPrint(ctl, "%-15s %s\n", "Name:", virStorageVolGetName(vol));
    if (physical)
        rc = virStorageVolGetInfoFlags(vol, &info, VIR_STORAGE_VOL_GET_PHYSICAL);
    else
        rc = virStorageVolGetInfo(vol, &info);
    if (rc < 0)
        return false;
    vkshPrint(ctl, "%-15s %s\n", "Type:", volTypeToString(info.type));
    if (bytes) {
        vkshPrint(ctl, "%-15s %llu %s\n", "Capacity:", info.capacity, "bytes");
        vkshPrint(ctl, "%-15s %llu %s\n",
                  physical ? "Physical:" : "Allocation:", info.allocation, "bytes");
    } else {
        g_autofree char *c = vkshPrettyString(info.capacity);
        g_autofree char *a = vkshPrettyString(info.allocation);

        vkshPrint(ctl, "%-15s %s\n", "Capacity:", c);
        vkshPrint(ctl, "%-15s %s\n", physical ? "Physical:" : "Allocation:", a);
    }
    return true;
}

static const vkshOptDef optsVolDumpxml[] = {
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQ, "vol name, key or path" },
    { "pool", VKSH_OT_STRING, 0, "pool name or uuid" },
    { "xpath", VKSH_OT_STRING, 0, "xpath expression to filter the XML document" },
    { "wrap", VKSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL, 0, 0, NULL },
};

static bool
cmdVolDumpxml(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStorageVol) vol = NULL;
    g_autofree char *xml = NULL;

    if (!(vol = vkshCommandOptVol(ctl, cmd, "vol", "pool", NULL)))
        return false;
    if (!(xml = virStorageVolGetXMLDesc(vol, 0)))
        return false;
    return vkshDumpXML(ctl, cmd, xml);
}

static bool
cmdVolPath(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStorageVol) vol = NULL;
    g_autofree char *path = NULL;

    if (!(vol = vkshCommandOptVol(ctl, cmd, "vol", "pool", NULL)))
        return false;
    if (!(path = virStorageVolGetPath(vol)))
        return false;
    vkshPrint(ctl, "%s\n", path);
    return true;
}

static bool
cmdVolKey(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStorageVol) vol = NULL;

    if (!(vol = vkshCommandOptVol(ctl, cmd, "vol", "pool", NULL)))
        return false;
    vkshPrint(ctl, "%s\n", virStorageVolGetKey(vol));
    return true;
}

static const vkshOptDef optsVolName[] = {
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQ, "volume key or path" },
    { NULL, 0, 0, NULL },
};

static bool
cmdVolName(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStorageVol) vol = NULL;

    if (!(vol = vkshCommandOptVol(ctl, cmd, "vol", NULL, NULL)))
        return false;
    vkshPrint(ctl, "%s\n", virStorageVolGetName(vol));
    return true;
}

static const vkshOptDef optsVolPool[] = {
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQ, "volume key or path" },
    { "uuid", VKSH_OT_BOOL, 0, "return the pool uuid rather than pool name" },
    { NULL, 0, 0, NULL },
};

static bool
cmdVolPool(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStorageVol) vol = NULL;
    g_autoptr(virStoragePool) pool = NULL;

    if (!(vol = vkshCommandOptVol(ctl, cmd, "vol", NULL, NULL)))
        return false;
    if (!(pool = virStoragePoolLookupByVolume(vol))) {
        vkshError(ctl, "%s", "failed to get parent pool");
        return false;
    }
    if (vkshOptBool(cmd, "uuid")) {
        char uuid[VIR_UUID_STRING_BUFLEN];

        if (virStoragePoolGetUUIDString(pool, uuid) == 0)
            vkshPrint(ctl, "%s\n", uuid);
    } else {
        vkshPrint(ctl, "%s\n", virStoragePoolGetName(pool));
    }
    return true;
}

/* ---- vol-list ---------------------------------------------------------------- */

static const vkshOptDef optsVolList[] = {
    { "pool", VKSH_OT_STRING, VKSH_OFLAG_REQ, "pool name or uuid" },
    { "details", VKSH_OT_BOOL, 0, "display extended details for volumes" },
    { NULL, 0, 0, NULL },
};

static void
rowFree(gpointer p)
{
    g_strfreev(p);
}

static gint
volNameCmp(gconstpointer a, gconstpointer b)
{
    return strcmp(virStorageVolGetName(*(virStorageVolPtr *)a),
                  virStorageVolGetName(*(virStorageVolPtr *)b));
}

static bool
cmdVolList(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStoragePool) pool = NULL;
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(rowFree);
    virStorageVolPtr *vols = NULL;
    bool details = vkshOptBool(cmd, "details");
    int n;

    if (!(pool = vkshCommandOptPoolBy(ctl, cmd, "pool", NULL)))
        return false;
    if ((n = virStoragePoolListAllVolumes(pool, &vols, 0)) < 0) {
        vkshError(ctl, "%s", "Failed to list active vols");
        return false;
    }
    if (n > 1)
        qsort(vols, n, sizeof(*vols), (int (*)(const void *, const void *))volNameCmp);
    if (details)
        g_ptr_array_add(rows, g_strdupv((char *[]){ "Name", "Path", "Type", "Capacity",
                                                    "Allocation", NULL }));
    else
        g_ptr_array_add(rows, g_strdupv((char *[]){ "Name", "Path", NULL }));
    for (int i = 0; i < n; i++) {
        char **row = g_new0(char *, 6);
        g_autofree char *path = virStorageVolGetPath(vols[i]);

        row[0] = g_strdup(virStorageVolGetName(vols[i]));
        row[1] = g_strdup(path ? path : "unknown");
        if (details) {
            virStorageVolInfo info;

            if (virStorageVolGetInfo(vols[i], &info) < 0) {
                row[2] = g_strdup("unknown");
                row[3] = g_strdup("unknown");
                row[4] = g_strdup("unknown");
            } else {
                row[2] = g_strdup(volTypeToString(info.type));
                row[3] = vkshPrettyString(info.capacity);
                row[4] = vkshPrettyString(info.allocation);
            }
        }
        g_ptr_array_add(rows, row);
    }
    vkshStorageTablePrint(ctl, rows, details ? 5 : 2);
    for (int i = 0; i < n; i++)
        virStorageVolFree(vols[i]);
    g_free(vols);
    return true;
}

/* ---- upload / download --------------------------------------------------------- */

static const vkshOptDef optsVolUpload[] = {
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQ, "vol name, key or path" },
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "file" },
    { "pool", VKSH_OT_STRING, 0, "pool name or uuid" },
    { "offset", VKSH_OT_STRING, 0, "volume offset to upload to" },
    { "length", VKSH_OT_STRING, 0, "amount of data to upload" },
    { "sparse", VKSH_OT_BOOL, 0, "preserve sparseness of volume" },
    { NULL, 0, 0, NULL },
};

static int
streamSource(virStreamPtr st, char *bytes, size_t nbytes, void *opaque)
{
    int *fd = opaque;

    return read(*fd, bytes, nbytes);
}

static int
streamSink(virStreamPtr st, const char *bytes, size_t nbytes, void *opaque)
{
    int *fd = opaque;
    size_t done = 0;

    while (done < nbytes) {
        ssize_t n = write(*fd, bytes + done, nbytes - done);

        if (n < 0)
            return -1;
        done += n;
    }
    return nbytes;
}

/* Sparse transfers (virsh's virshStreamInData / virshStreamSkip): the
 * file's holes are found with SEEK_DATA/SEEK_HOLE and recreated by seeking. */
static int
streamInData(virStreamPtr st, int *inData, long long *length, void *opaque)
{
    int *fd = opaque;
    off_t cur = lseek(*fd, 0, SEEK_CUR);
    off_t data, hole, end;

    if (cur < 0)
        return -1;
    data = lseek(*fd, cur, SEEK_DATA);
    if (data < 0 && errno == ENXIO) {
        /* a hole up to the end of the file */
        if ((end = lseek(*fd, 0, SEEK_END)) < 0 || lseek(*fd, cur, SEEK_SET) < 0)
            return -1;
        *inData = 0;
        *length = end - cur;
        return 0;
    }
    if (data < 0)
        return -1;
    if (data > cur) {
        *inData = 0;
        *length = data - cur;
    } else {
        if ((hole = lseek(*fd, cur, SEEK_HOLE)) < 0)
            return -1;
        *inData = 1;
        *length = hole - cur;
    }
    return lseek(*fd, cur, SEEK_SET) < 0 ? -1 : 0;
}

static int
streamSkip(virStreamPtr st, long long length, void *opaque)
{
    int *fd = opaque;
    off_t cur = lseek(*fd, 0, SEEK_CUR);

    if (cur < 0 || lseek(*fd, cur + length, SEEK_SET) < 0)
        return -1;
    return 0;
}

/* A download's trailing hole: the file gets its full size. */
static int
streamSkipSink(virStreamPtr st, long long length, void *opaque)
{
    int *fd = opaque;
    off_t cur = lseek(*fd, 0, SEEK_CUR);

    if (cur < 0 || ftruncate(*fd, cur + length) < 0 ||
        lseek(*fd, cur + length, SEEK_SET) < 0)
        return -1;
    return 0;
}

static bool
parseOffsetLength(vkshControl *ctl, const vkshCmd *cmd, unsigned long long *offset,
                  unsigned long long *length)
{
    const char *s = NULL;
    char *end;

    *offset = *length = 0;
    if (vkshOptString(ctl, cmd, "offset", &s) < 0)
        return false;
    if (s) {
        *offset = g_ascii_strtoull(s, &end, 10);
        if (*end || *s == '-') {
            vkshError(ctl, "%s", "Unable to parse offset value");
            return false;
        }
    }
    s = NULL;
    if (vkshOptString(ctl, cmd, "length", &s) < 0)
        return false;
    if (s) {
        *length = g_ascii_strtoull(s, &end, 10);
        if (*end || *s == '-') {
            vkshError(ctl, "%s", "Unable to parse length value");
            return false;
        }
    }
    return true;
}

static bool
cmdVolUpload(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStorageVol) vol = NULL;
    virStreamPtr st = NULL;
    const char *file = NULL, *name = NULL;
    unsigned long long offset, length;
    bool ret = false;
    bool sparse = vkshOptBool(cmd, "sparse");
    int fd = -1;

    if (!parseOffsetLength(ctl, cmd, &offset, &length))
        return false;
    if (!(vol = vkshCommandOptVol(ctl, cmd, "vol", "pool", &name)))
        return false;
    if (vkshOptString(ctl, cmd, "file", &file) <= 0)
        return false;
    if ((fd = open(file, O_RDONLY)) < 0) {
        vkshError(ctl, "cannot read %s", file);
        return false;
    }
    if (!(st = virStreamNew(ctl->conn, 0)))
        goto out;
    if (virStorageVolUpload(vol, st, offset, length,
                            sparse ? VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM : 0) < 0) {
        vkshError(ctl, "cannot upload to volume %s", name);
        goto out;
    }
    if (sparse
            ? virStreamSparseSendAll(st, streamSource, streamInData, streamSkip, &fd) < 0
            : virStreamSendAll(st, streamSource, &fd) < 0) {
        vkshError(ctl, "cannot send data to volume %s", name);
        goto out;
    }
    if (virStreamFinish(st) < 0) {
        vkshError(ctl, "cannot close volume %s", name);
        goto out;
    }
    ret = true;
out:
    if (st) {
        if (!ret)
            virStreamAbort(st);
        virStreamFree(st);
    }
    close(fd);
    return ret;
}

static const vkshOptDef optsVolDownload[] = {
    { "vol", VKSH_OT_STRING, VKSH_OFLAG_REQ, "vol name, key or path" },
    { "file", VKSH_OT_STRING, VKSH_OFLAG_REQ, "file" },
    { "pool", VKSH_OT_STRING, 0, "pool name or uuid" },
    { "offset", VKSH_OT_STRING, 0, "volume offset to download from" },
    { "length", VKSH_OT_STRING, 0, "amount of data to download" },
    { "sparse", VKSH_OT_BOOL, 0, "preserve sparseness of volume" },
    { NULL, 0, 0, NULL },
};

static bool
cmdVolDownload(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virStorageVol) vol = NULL;
    virStreamPtr st = NULL;
    const char *file = NULL, *name = NULL;
    unsigned long long offset, length;
    bool ret = false, created = false;
    bool sparse = vkshOptBool(cmd, "sparse");
    int fd = -1;

    if (!parseOffsetLength(ctl, cmd, &offset, &length))
        return false;
    if (!(vol = vkshCommandOptVol(ctl, cmd, "vol", "pool", &name)))
        return false;
    if (vkshOptString(ctl, cmd, "file", &file) <= 0)
        return false;
    if ((fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0666)) < 0) {
        if (errno != EEXIST || (fd = open(file, O_WRONLY | O_TRUNC, 0666)) < 0) {
            vkshError(ctl, "cannot create %s", file);
            return false;
        }
    } else {
        created = true;
    }
    if (!(st = virStreamNew(ctl->conn, 0)))
        goto out;
    if (virStorageVolDownload(vol, st, offset, length,
                              sparse ? VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM : 0) < 0) {
        vkshError(ctl, "cannot download from volume %s", name);
        goto out;
    }
    if (sparse ? virStreamSparseRecvAll(st, streamSink, streamSkipSink, &fd) < 0
               : virStreamRecvAll(st, streamSink, &fd) < 0) {
        vkshError(ctl, "cannot receive data from volume %s", name);
        goto out;
    }
    if (close(fd) < 0) {
        fd = -1;
        vkshError(ctl, "Unable to close %s", file);
        goto out;
    }
    fd = -1;
    if (virStreamFinish(st) < 0) {
        vkshError(ctl, "cannot close volume %s", name);
        goto out;
    }
    ret = true;
out:
    if (st) {
        if (!ret)
            virStreamAbort(st);
        virStreamFree(st);
    }
    if (fd >= 0)
        close(fd);
    if (!ret && created)
        unlink(file);
    return ret;
}

const vkshCmdDef vkshVolumeCmds[] = {
    { "vol-clone", cmdVolClone, optsVolClone, "clone a volume.",
      "Clone an existing volume within the parent pool.", 0 },
    { "vol-create-as", cmdVolCreateAs, optsVolCreateAs,
      "create a volume from a set of args", "Create a vol.", 0 },
    { "vol-create", cmdVolCreate, optsVolCreate, "create a vol from an XML file",
      "Create a vol.", 0 },
    { "vol-create-from", cmdVolCreateFrom, optsVolCreateFrom,
      "create a vol, using another volume as input",
      "Create a vol from an existing volume.", 0 },
    { "vol-delete", cmdVolDelete, optsVolDelete, "delete a vol", "Delete a given vol.",
      0 },
    { "vol-download", cmdVolDownload, optsVolDownload,
      "download volume contents to a file",
      "Download the contents of a volume to a file.", 0 },
    { "vol-dumpxml", cmdVolDumpxml, optsVolDumpxml, "vol information in XML",
      "Output the vol information as an XML dump to stdout.", 0 },
    { "vol-info", cmdVolInfo, optsVolInfo, "storage vol information",
      "Returns basic information about the storage vol.", 0 },
    { "vol-key", cmdVolKey, optsVolDumpxml,
      "returns the volume key for a given volume name or path", "", 0 },
    { "vol-list", cmdVolList, optsVolList, "list vols", "Returns list of vols by pool.",
      0 },
    { "vol-name", cmdVolName, optsVolName,
      "returns the volume name for a given volume key or path", "", 0 },
    { "vol-path", cmdVolPath, optsVolDumpxml,
      "returns the volume path for a given volume name or key", "", 0 },
    { "vol-pool", cmdVolPool, optsVolPool,
      "returns the storage pool for a given volume key or path", "", 0 },
    { "vol-resize", cmdVolResize, optsVolResize, "resize a vol",
      "Resizes a storage volume. This is optimized for sparse files. It is also possible to use a negative capacity to shrink the vol.",
      0 },
    { "vol-upload", cmdVolUpload, optsVolUpload, "upload file contents to a volume",
      "Upload file contents to a volume", 0 },
    { "vol-wipe", cmdVolWipe, optsVolWipe, "wipe a vol",
      "Ensure data previously on a volume is not accessible to future reads.", 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
