/* qemu_agent_info.c: reading what the guest agent says about the guest (filesystems, disks, users, OS, interfaces) */

/*
 * Threads: none; pure functions of a reply and a definition the caller
 * holds (the domain object locked, or a copy).
 */

#define G_LOG_DOMAIN "virtkit.qemu.agent"

#include <limits.h>
#include <string.h>

#include "datatypes.h"
#include "qemu_agent_info.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* @obj's string member @name, or NULL */
static const char *
agentString(json_object *obj, const char *name)
{
    json_object *v = NULL;

    if (!json_object_is_type(obj, json_type_object) ||
        !json_object_object_get_ex(obj, name, &v) ||
        !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* @obj's integer member @name within [@min, @max]: 0, or -1 (absent or not
 * such a number; nothing reported) */
static int
agentInteger(json_object *obj, const char *name, long long min, long long max,
             long long *out)
{
    json_object *v = NULL;
    long long n;

    if (!json_object_is_type(obj, json_type_object) ||
        !json_object_object_get_ex(obj, name, &v) ||
        !json_object_is_type(v, json_type_int))
        return -1;
    n = json_object_get_int64(v);
    /* json-c clamps what does not fit an int64 to its bounds */
    if (n < min || n > max || (n == INT64_MAX && max == LLONG_MAX))
        return -1;
    *out = n;
    return 0;
}

static int
agentUint(json_object *obj, const char *name, unsigned int *out)
{
    long long n;

    if (agentInteger(obj, name, 0, UINT_MAX, &n) < 0)
        return -1;
    *out = (unsigned int)n;
    return 0;
}

static void
qemuAgentDiskAddrClear(qemuAgentDiskAddr *addr)
{
    g_free(addr->serial);
    g_free(addr->busType);
    g_free(addr->devnode);
}

/* One disk address of guest-get-fsinfo ("disk" entries) or guest-get-disks
 * ("address"), as libvirt's qemuAgentGetDiskAddress: bus, target, unit
 * required, the PCI controller's address when given. @cmd names the
 * command in the error. */
static int
qemuAgentDiskAddrParse(json_object *obj, const char *cmd, qemuAgentDiskAddr *addr)
{
    json_object *pci = NULL;
    const char *s;

    if (!json_object_is_type(obj, json_type_object)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Malformed %s 'disk' data", cmd);
        return -1;
    }
    if ((s = agentString(obj, "bus-type")))
        addr->busType = g_strdup(s);
    if ((s = agentString(obj, "serial")))
        addr->serial = g_strdup(s);
    if ((s = agentString(obj, "dev")))
        addr->devnode = g_strdup(s);
#define GET_DISK_ADDR(o, name, var)                                                  \
    do {                                                                             \
        if (agentUint(o, name, var) < 0) {                                           \
            virReportError(VIR_ERR_INTERNAL_ERROR, "'%s' missing in %s 'disk' data", \
                           name, cmd);                                               \
            return -1;                                                               \
        }                                                                            \
    } while (0)
    GET_DISK_ADDR(obj, "bus", &addr->bus);
    GET_DISK_ADDR(obj, "target", &addr->target);
    GET_DISK_ADDR(obj, "unit", &addr->unit);
    if (json_object_object_get_ex(obj, "pci-controller", &pci)) {
        GET_DISK_ADDR(pci, "domain", &addr->pciDomain);
        GET_DISK_ADDR(pci, "bus", &addr->pciBus);
        GET_DISK_ADDR(pci, "slot", &addr->pciSlot);
        GET_DISK_ADDR(pci, "function", &addr->pciFunction);
        addr->hasPci = true;
    }
#undef GET_DISK_ADDR
    return 0;
}

void
qemuAgentFSInfoFree(qemuAgentFSInfo *info)
{
    if (!info)
        return;
    g_free(info->mountpoint);
    g_free(info->name);
    g_free(info->fstype);
    for (size_t i = 0; i < info->ndisks; i++)
        qemuAgentDiskAddrClear(&info->disks[i]);
    g_free(info->disks);
    g_free(info);
}

void
qemuAgentFSInfoListFree(qemuAgentFSInfo **info, int n)
{
    for (int i = 0; info && i < n; i++)
        qemuAgentFSInfoFree(info[i]);
    g_free(info);
}

/* the byte count @name of a filesystem entry: 0 (*@out -1 when absent) or
 * -1 reported */
static int
qemuAgentFSInfoBytes(json_object *entry, const char *name, long long *out)
{
    long long n;

    *out = -1;
    if (!json_object_object_get_ex(entry, name, NULL))
        return 0;
    if (agentInteger(entry, name, 0, LLONG_MAX, &n) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Error getting '%s' in reply of guest-get-fsinfo", name);
        return -1;
    }
    *out = n;
    return 0;
}

static qemuAgentFSInfo *
qemuAgentFSInfoParseOne(json_object *entry)
{
    g_autoptr(qemuAgentFSInfo) fs = g_new0(qemuAgentFSInfo, 1);
    json_object *disks = NULL;
    const char *s;

    if (!(s = agentString(entry, "mountpoint"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "'mountpoint' missing in reply of guest-get-fsinfo");
        return NULL;
    }
    fs->mountpoint = g_strdup(s);
    if (!(s = agentString(entry, "name"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "'name' missing in reply of guest-get-fsinfo");
        return NULL;
    }
    fs->name = g_strdup(s);
    if (!(s = agentString(entry, "type"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "'type' missing in reply of guest-get-fsinfo");
        return NULL;
    }
    fs->fstype = g_strdup(s);
    /* 'used-bytes' and 'total-bytes' came with qemu-ga 3.0 */
    if (qemuAgentFSInfoBytes(entry, "used-bytes", &fs->usedBytes) < 0 ||
        qemuAgentFSInfoBytes(entry, "total-bytes", &fs->totalBytes) < 0)
        return NULL;
    if (!json_object_object_get_ex(entry, "disk", &disks)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "'disk' missing in reply of guest-get-fsinfo");
        return NULL;
    }
    if (!json_object_is_type(disks, json_type_array)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "Malformed guest-get-fsinfo 'disk' data array");
        return NULL;
    }
    fs->disks = g_new0(qemuAgentDiskAddr, json_object_array_length(disks) + 1);
    for (size_t i = 0; i < json_object_array_length(disks); i++) {
        /* counted first: a failure halfway frees what was read */
        fs->ndisks++;
        if (qemuAgentDiskAddrParse(json_object_array_get_idx(disks, i),
                                   "guest-get-fsinfo", &fs->disks[i]) < 0)
            return NULL;
    }
    return g_steal_pointer(&fs);
}

int
qemuAgentFSInfoParse(json_object *reply, qemuAgentFSInfo ***info)
{
    qemuAgentFSInfo **list;
    size_t n;

    if (!reply) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "guest-get-fsinfo reply was missing return data");
        return -1;
    }
    if (!json_object_is_type(reply, json_type_array)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "Malformed guest-get-fsinfo data array");
        return -1;
    }
    n = json_object_array_length(reply);
    *info = NULL;
    if (n == 0)
        return 0;
    if (n > INT_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "Malformed guest-get-fsinfo data array");
        return -1;
    }
    list = g_new0(qemuAgentFSInfo *, n);
    for (size_t i = 0; i < n; i++) {
        /* the agent lists the last mounted first: reversed, mount order */
        if (!(list[i] =
                  qemuAgentFSInfoParseOne(json_object_array_get_idx(reply, n - 1 - i)))) {
            qemuAgentFSInfoListFree(list, (int)n);
            return -1;
        }
    }
    *info = list;
    return (int)n;
}

static bool
qemuAgentPCIEqual(const virDomainDeviceAddress *a, const qemuAgentDiskAddr *addr)
{
    return a->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI && addr->hasPci &&
           a->domain == addr->pciDomain && a->bus == addr->pciBus &&
           a->slot == addr->pciSlot && a->function == addr->pciFunction;
}

const virDomainDiskDef *
qemuAgentDiskFind(const virDomainDef *def, const qemuAgentDiskAddr *addr)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *disk = def->disks[i];

        if (qemuAgentPCIEqual(&disk->addr, addr))
            return disk;
        if (disk->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE)
            continue;
        for (size_t j = 0; j < def->ncontrollers; j++) {
            const virDomainControllerDef *c = def->controllers[j];

            if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_SCSI &&
                c->idx == (int)disk->addr.controller &&
                qemuAgentPCIEqual(&c->addr, addr) && disk->addr.bus == addr->bus &&
                disk->addr.target == addr->target && disk->addr.unit == addr->unit)
                return disk;
        }
    }
    return NULL;
}

virDomainFSInfoPtr
qemuAgentFSInfoToPublic(const qemuAgentFSInfo *fs, const virDomainDef *def)
{
    virDomainFSInfoPtr ret = g_new0(virDomainFSInfo, 1);

    ret->mountpoint = g_strdup(fs->mountpoint);
    ret->name = g_strdup(fs->name);
    ret->fstype = g_strdup(fs->fstype);
    if (fs->ndisks > 0)
        ret->devAlias = g_new0(char *, fs->ndisks);
    for (size_t i = 0; i < fs->ndisks; i++) {
        const virDomainDiskDef *disk = qemuAgentDiskFind(def, &fs->disks[i]);

        if (disk)
            ret->devAlias[ret->ndevAlias++] = g_strdup(disk->dst);
    }
    return ret;
}

void
qemuAgentFSInfoParams(qemuAgentFSInfo **info, int n, const virDomainDef *def,
                      virTypedParamList *list)
{
    virTypedParamListAddUInt(list, n, "fs.count");
    for (int i = 0; i < n; i++) {
        const qemuAgentFSInfo *fs = info[i];

        virTypedParamListAddString(list, fs->mountpoint, "fs.%d.mountpoint", i);
        virTypedParamListAddString(list, fs->name, "fs.%d.name", i);
        virTypedParamListAddString(list, fs->fstype, "fs.%d.fstype", i);
        /* older agents do not give the sizes */
        if (fs->totalBytes != -1)
            virTypedParamListAddULLong(list, fs->totalBytes, "fs.%d.total-bytes", i);
        if (fs->usedBytes != -1)
            virTypedParamListAddULLong(list, fs->usedBytes, "fs.%d.used-bytes", i);
        virTypedParamListAddUInt(list, fs->ndisks, "fs.%d.disk.count", i);
        for (size_t j = 0; j < fs->ndisks; j++) {
            const qemuAgentDiskAddr *d = &fs->disks[j];
            const virDomainDiskDef *disk = qemuAgentDiskFind(def, d);

            if (disk)
                virTypedParamListAddString(list, disk->dst, "fs.%d.disk.%zu.alias", i, j);
            if (d->serial)
                virTypedParamListAddString(list, d->serial, "fs.%d.disk.%zu.serial", i,
                                           j);
            if (d->devnode)
                virTypedParamListAddString(list, d->devnode, "fs.%d.disk.%zu.device", i,
                                           j);
        }
    }
}

int
qemuAgentUsersParams(json_object *reply, virTypedParamList *list)
{
    size_t n;

    if (!json_object_is_type(reply, json_type_array)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "guest-get-users reply was missing return data");
        return -1;
    }
    n = json_object_array_length(reply);
    /* checked whole before anything is added */
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(reply, i);
        json_object *t = NULL;

        if (!json_object_is_type(e, json_type_object)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "array element missing in guest-get-users return value");
            return -1;
        }
        if (!agentString(e, "user")) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "'user' missing in reply of guest-get-users");
            return -1;
        }
        if (!json_object_object_get_ex(e, "login-time", &t) ||
            !(json_object_is_type(t, json_type_double) ||
              json_object_is_type(t, json_type_int))) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "'login-time' missing in reply of guest-get-users");
            return -1;
        }
    }
    virTypedParamListAddUInt(list, n, "user.count");
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(reply, i);
        json_object *t = NULL;
        const char *domain = agentString(e, "domain");
        double secs;

        virTypedParamListAddString(list, agentString(e, "user"), "user.%zu.name", i);
        if (domain)
            virTypedParamListAddString(list, domain, "user.%zu.domain", i);
        json_object_object_get_ex(e, "login-time", &t);
        secs = json_object_get_double(t);
        /* seconds (a float) to milliseconds, as libvirt */
        virTypedParamListAddULLong(
            list, secs > 0 && secs < 1.8e16 ? (unsigned long long)(secs * 1000) : 0,
            "user.%zu.login-time", i);
    }
    return 0;
}

int
qemuAgentOSInfoParams(json_object *reply, virTypedParamList *list)
{
    /* libvirt's order: agent member, parameter */
    static const char *const names[][2] = {
        { "id", "os.id" },
        { "name", "os.name" },
        { "pretty-name", "os.pretty-name" },
        { "version", "os.version" },
        { "version-id", "os.version-id" },
        { "machine", "os.machine" },
        { "variant", "os.variant" },
        { "variant-id", "os.variant-id" },
        { "kernel-release", "os.kernel-release" },
        { "kernel-version", "os.kernel-version" },
    };

    if (!json_object_is_type(reply, json_type_object)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "guest-get-osinfo reply was missing return data");
        return -1;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        const char *v = agentString(reply, names[i][0]);

        if (v)
            virTypedParamListAddString(list, v, "%s", names[i][1]);
    }
    return 0;
}

int
qemuAgentTimezoneParams(json_object *reply, virTypedParamList *list)
{
    const char *zone;
    long long offset;

    if (!json_object_is_type(reply, json_type_object)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "guest-get-timezone reply was missing return data");
        return -1;
    }
    if (agentInteger(reply, "offset", INT_MIN, INT_MAX, &offset) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "'offset' missing in reply of guest-get-timezone");
        return -1;
    }
    if ((zone = agentString(reply, "zone")))
        virTypedParamListAddString(list, zone, "timezone.name");
    virTypedParamListAddInt(list, (int)offset, "timezone.offset");
    return 0;
}

int
qemuAgentDisksParams(json_object *reply, const virDomainDef *def, virTypedParamList *list)
{
    g_autoptr(virTypedParamList) out = virTypedParamListNew();
    virTypedParameterPtr par = NULL;
    int npar = 0;
    size_t n;

    if (!json_object_is_type(reply, json_type_array)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "Malformed guest-get-disks data array");
        return -1;
    }
    /* as libvirt: no "disk.count" when the agent lists no disk */
    if ((n = json_object_array_length(reply)) == 0)
        return 0;
    virTypedParamListAddUInt(out, n, "disk.count");
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(reply, i);
        json_object *v = NULL;
        const char *name = agentString(e, "name");
        const char *alias;

        if (!name) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "'name' missing in reply of guest-get-disks");
            return -1;
        }
        if (!json_object_object_get_ex(e, "partition", &v) ||
            !json_object_is_type(v, json_type_boolean)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "'partition' missing in reply of guest-get-disks");
            return -1;
        }
        virTypedParamListAddString(out, name, "disk.%zu.name", i);
        virTypedParamListAddBoolean(out, json_object_get_boolean(v), "disk.%zu.partition",
                                    i);
        if (json_object_object_get_ex(e, "dependencies", &v)) {
            size_t ndeps;

            if (!json_object_is_type(v, json_type_array)) {
                virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                               "Malformed guest-get-disks 'dependencies' data array");
                return -1;
            }
            ndeps = json_object_array_length(v);
            virTypedParamListAddUInt(out, ndeps, "disk.%zu.dependency.count", i);
            for (size_t j = 0; j < ndeps; j++) {
                json_object *d = json_object_array_get_idx(v, j);

                if (!json_object_is_type(d, json_type_string)) {
                    virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                                   "Malformed guest-get-disks 'dependencies' data array");
                    return -1;
                }
                virTypedParamListAddString(out, json_object_get_string(d),
                                           "disk.%zu.dependency.%zu.name", i, j);
            }
        }
        if (json_object_object_get_ex(e, "address", &v)) {
            qemuAgentDiskAddr addr = { 0 };
            const virDomainDiskDef *disk;

            if (qemuAgentDiskAddrParse(v, "guest-get-disks", &addr) < 0) {
                qemuAgentDiskAddrClear(&addr);
                return -1;
            }
            if (addr.serial)
                virTypedParamListAddString(out, addr.serial, "disk.%zu.serial", i);
            if ((disk = qemuAgentDiskFind(def, &addr)))
                virTypedParamListAddString(out, disk->dst, "disk.%zu.alias", i);
            qemuAgentDiskAddrClear(&addr);
        }
        if ((alias = agentString(e, "alias")))
            virTypedParamListAddString(out, alias, "disk.%zu.guest_alias", i);
    }
    /* all or nothing: moved over only once the whole reply was read */
    virTypedParamListSteal(out, &par, &npar);
    for (int i = 0; i < npar; i++) {
        virTypedParameterPtr p = &par[i];

        switch (p->type) {
        case VIR_TYPED_PARAM_UINT:
            virTypedParamListAddUInt(list, p->value.ui, "%s", p->field);
            break;
        case VIR_TYPED_PARAM_BOOLEAN:
            virTypedParamListAddBoolean(list, p->value.b, "%s", p->field);
            break;
        default:
            virTypedParamListAddString(list, p->value.s, "%s", p->field);
            break;
        }
    }
    virTypedParamArrayFree(par, npar);
    return 0;
}

void
qemuAgentInterfacesParams(virDomainInterfacePtr *ifaces, int n, virTypedParamList *list)
{
    virTypedParamListAddUInt(list, n, "if.count");
    for (int i = 0; i < n; i++) {
        const virDomainInterface *iface = ifaces[i];

        virTypedParamListAddString(list, iface->name, "if.%d.name", i);
        if (iface->hwaddr)
            virTypedParamListAddString(list, iface->hwaddr, "if.%d.hwaddr", i);
        virTypedParamListAddUInt(list, iface->naddrs, "if.%d.addr.count", i);
        for (unsigned int j = 0; j < iface->naddrs; j++) {
            const virDomainIPAddress *a = &iface->addrs[j];

            virTypedParamListAddString(list,
                                       a->type == VIR_IP_ADDR_TYPE_IPV6 ? "ipv6" : "ipv4",
                                       "if.%d.addr.%u.type", i, j);
            virTypedParamListAddString(list, a->addr, "if.%d.addr.%u.addr", i, j);
            virTypedParamListAddUInt(list, a->prefix, "if.%d.addr.%u.prefix", i, j);
        }
    }
}

int
qemuAgentInterfacesParse(json_object *reply, virDomainInterfacePtr **ifaces)
{
    g_autoptr(GPtrArray) out = NULL;

    if (!json_object_is_type(reply, json_type_array)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "qemu agent didn't return an array of interfaces");
        return -1;
    }
    out = g_ptr_array_new_with_free_func((GDestroyNotify)virDomainInterfaceFreeInternal);
    for (size_t i = 0; i < json_object_array_length(reply); i++) {
        json_object *e = json_object_array_get_idx(reply, i);
        json_object *addrs = NULL;
        virDomainInterfacePtr iface = NULL;
        g_autofree char *name = NULL;
        const char *s;
        char *colon;

        if (!(s = agentString(e, "name"))) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "qemu agent didn't provide 'name' field");
            return -1;
        }
        name = g_strdup(s);
        if ((colon = strchr(name, ':')))
            *colon = '\0';
        for (guint j = 0; j < out->len; j++) {
            virDomainInterfacePtr o = out->pdata[j];

            if (g_str_equal(o->name, name))
                iface = o;
        }
        if (!iface) {
            iface = g_new0(virDomainInterface, 1);
            iface->name = g_strdup(name);
            if ((s = agentString(e, "hardware-address")))
                iface->hwaddr = g_strdup(s);
            g_ptr_array_add(out, iface);
        }
        if (!json_object_object_get_ex(e, "ip-addresses", &addrs))
            continue;
        if (!json_object_is_type(addrs, json_type_array)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "Malformed ip-addresses array");
            return -1;
        }
        for (size_t k = 0; k < json_object_array_length(addrs); k++) {
            json_object *a = json_object_array_get_idx(addrs, k);
            const char *t = agentString(a, "ip-address-type");
            const char *ip = agentString(a, "ip-address");
            virDomainIPAddress *dst;
            unsigned int prefix = 0;
            int type;

            if (!t) {
                virReportError(VIR_ERR_INTERNAL_ERROR,
                               "qemu agent didn't provide 'ip-address-type' field for "
                               "interface '%s'",
                               name);
                return -1;
            }
            if (g_str_equal(t, "ipv4")) {
                type = VIR_IP_ADDR_TYPE_IPV4;
            } else if (g_str_equal(t, "ipv6")) {
                type = VIR_IP_ADDR_TYPE_IPV6;
            } else {
                virReportError(VIR_ERR_INTERNAL_ERROR, "unknown ip address type '%s'", t);
                return -1;
            }
            if (!ip) {
                virReportError(VIR_ERR_INTERNAL_ERROR,
                               "qemu agent didn't provide 'ip-address' field for "
                               "interface '%s'",
                               name);
                return -1;
            }
            if (agentUint(a, "prefix", &prefix) < 0) {
                virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "malformed 'prefix' field");
                return -1;
            }
            iface->addrs = g_renew(virDomainIPAddress, iface->addrs, iface->naddrs + 1);
            dst = &iface->addrs[iface->naddrs++];
            memset(dst, 0, sizeof(*dst));
            dst->type = type;
            dst->addr = g_strdup(ip);
            dst->prefix = prefix;
        }
    }
    {
        int n = (int)out->len;

        g_ptr_array_set_free_func(out, NULL);
        *ifaces = (virDomainInterfacePtr *)g_ptr_array_free(g_steal_pointer(&out), FALSE);
        return n;
    }
}

/* ---- vCPUs and SSH keys ------------------------------------------------- */

int
qemuAgentVcpusParse(json_object *reply, qemuAgentCPUInfo **info)
{
    g_autofree qemuAgentCPUInfo *out = NULL;
    size_t n;

    if (!json_object_is_type(reply, json_type_array)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "guest-get-vcpus reply was missing return data");
        return -1;
    }
    n = json_object_array_length(reply);
    if (n > INT_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "guest-get-vcpus reply was missing return data");
        return -1;
    }
    out = g_new0(qemuAgentCPUInfo, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(reply, i);
        json_object *v = NULL;

        if (agentUint(e, "logical-id", &out[i].id) < 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "'logical-id' missing in reply of guest-get-vcpus");
            return -1;
        }
        if (!json_object_object_get_ex(e, "online", &v) ||
            !json_object_is_type(v, json_type_boolean)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "'online' missing in reply of guest-get-vcpus");
            return -1;
        }
        out[i].online = json_object_get_boolean(v);
        if (!json_object_object_get_ex(e, "can-offline", &v) ||
            !json_object_is_type(v, json_type_boolean)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "'can-offline' missing in reply of guest-get-vcpus");
            return -1;
        }
        out[i].offlinable = json_object_get_boolean(v);
    }
    *info = n ? g_steal_pointer(&out) : NULL;
    return (int)n;
}

int
qemuAgentVcpusParams(const qemuAgentCPUInfo *info, int n, virTypedParamList *list)
{
    const size_t len = QEMU_GUEST_VCPU_MAX_ID / 8;
    g_autofree unsigned char *vcpus = g_new0(unsigned char, len);
    g_autofree unsigned char *online = g_new0(unsigned char, len);
    g_autofree unsigned char *offlinable = g_new0(unsigned char, len);
    g_autofree char *s1 = NULL;
    g_autofree char *s2 = NULL;
    g_autofree char *s3 = NULL;

    for (int i = 0; i < n; i++) {
        unsigned int id = info[i].id;
        unsigned char bit = (unsigned char)(1u << (id % 8));

        if (id >= QEMU_GUEST_VCPU_MAX_ID) {
            virReportError(VIR_ERR_INTERNAL_ERROR,
                           "vcpu id '%u' reported by guest agent is out of range", id);
            return -1;
        }
        vcpus[id / 8] |= bit;
        if (info[i].online)
            online[id / 8] |= bit;
        if (info[i].offlinable)
            offlinable[id / 8] |= bit;
    }
    s1 = virDomainCpulistFormat(vcpus, len);
    s2 = virDomainCpulistFormat(online, len);
    s3 = virDomainCpulistFormat(offlinable, len);
    virTypedParamListAddString(list, s1, "vcpus");
    virTypedParamListAddString(list, s2, "online");
    virTypedParamListAddString(list, s3, "offlinable");
    return 0;
}

int
qemuAgentSSHKeysParse(json_object *reply, char ***keys)
{
    json_object *arr = NULL;
    g_autoptr(GPtrArray) out = NULL;
    size_t n;

    if (!json_object_is_type(reply, json_type_object) ||
        !json_object_object_get_ex(reply, "keys", &arr) ||
        !json_object_is_type(arr, json_type_array)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "qemu agent didn't return an array of keys");
        return -1;
    }
    n = json_object_array_length(arr);
    out = g_ptr_array_new_full(n + 1, g_free);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(arr, i);

        /* as libvirt's virJSONValueArrayToStringList */
        if (!json_object_is_type(e, json_type_string)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "JSON string array contains non-string element");
            return -1;
        }
        g_ptr_array_add(out, g_strdup(json_object_get_string(e)));
    }
    if (out->len > INT_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "qemu agent didn't return an array of keys");
        return -1;
    }
    g_ptr_array_add(out, NULL);
    n = out->len - 1;
    g_ptr_array_set_free_func(out, NULL);
    *keys = (char **)g_ptr_array_free(g_steal_pointer(&out), FALSE);
    return (int)n;
}
