/* qemu_firmware.c: firmware autoselection from QEMU's firmware descriptors, and NVRAM */

/*
 * QEMU's firmware descriptors (docs/interop/firmware.json in QEMU; Debian's
 * ovmf installs /usr/share/qemu/firmware/{40,50,60}-edk2-x86_64*.json) say
 * which executable implements which interface for which machines, its
 * NVRAM template and its features. libvirt 9.0 picks the first one, by file
 * name, that fits a definition's <os firmware=...>; so does this file.
 * Only what an x86_64 or i686 guest here can use is read: flash mappings (pflash
 * executable + NVRAM template) for the "uefi" or "bios" interface.
 * Pure apart from reading the descriptors and creating NVRAM files.
 */

#define G_LOG_DOMAIN "virtkit.qemu.firmware"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json-c/json.h>

#include "qemu_firmware.h"
#include "virerror.h"
#include "virfile.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

#define QEMU_FIRMWARE_DESC_MAX (64 * 1024)
#define QEMU_FIRMWARE_NVRAM_MAX (128 * 1024 * 1024)

const char *const qemuFirmwareDefaultDirs[] = {
    "/etc/qemu/firmware",
    "/usr/share/qemu/firmware",
    NULL,
};

typedef struct {
    char *name; /* file name, the sort key */
    bool uefi;
    bool bios;
    char *executable;
    char *nvramTemplate;
    GPtrArray *machines; /* "ARCH:PATTERN" (QEMU arch x86_64 or i386) */
    bool secureBoot;
    bool enrolledKeys;
    bool requiresSmm;
    /* mapping.mode: "split" (the default: executable and NVRAM template),
     * "combined" or "stateless" (an executable and no NVRAM) */
    bool split;
    bool stateless;
} qemuFirmwareDesc;

static void
qemuFirmwareDescFree(gpointer data)
{
    qemuFirmwareDesc *d = data;

    g_free(d->name);
    g_free(d->executable);
    g_free(d->nvramTemplate);
    if (d->machines)
        g_ptr_array_unref(d->machines);
    g_free(d);
}

static const char *
jsonString(json_object *obj, const char *key)
{
    json_object *v;

    if (!obj || !json_object_object_get_ex(obj, key, &v) ||
        !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static bool
jsonArrayHas(json_object *obj, const char *key, const char *value)
{
    json_object *arr;

    if (!json_object_object_get_ex(obj, key, &arr) ||
        !json_object_is_type(arr, json_type_array))
        return false;
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *e = json_object_array_get_idx(arr, i);

        if (json_object_is_type(e, json_type_string) &&
            g_str_equal(json_object_get_string(e), value))
            return true;
    }
    return false;
}

/* One descriptor; NULL (debug message only) when it is not one an x86_64 or i686
 * flash guest can use, or not readable as JSON: libvirt skips those too. */
static qemuFirmwareDesc *
qemuFirmwareDescParse(const char *path, const char *name)
{
    g_autofree char *text = NULL;
    json_object *root;
    json_object *mapping, *targets, *exec, *tmpl;
    qemuFirmwareDesc *d = NULL;

    if (virFileReadAll(path, QEMU_FIRMWARE_DESC_MAX, &text) < 0) {
        virResetLastError();
        return NULL;
    }
    if (!(root = json_tokener_parse(text))) {
        g_debug("firmware descriptor '%s' is not JSON: skipped", path);
        return NULL;
    }
    if (!json_object_object_get_ex(root, "mapping", &mapping) ||
        g_strcmp0(jsonString(mapping, "device"), "flash") != 0 ||
        !json_object_object_get_ex(mapping, "executable", &exec) ||
        !jsonString(exec, "filename") ||
        !json_object_object_get_ex(root, "targets", &targets) ||
        !json_object_is_type(targets, json_type_array))
        goto out;

    d = g_new0(qemuFirmwareDesc, 1);
    d->name = g_strdup(name);
    d->uefi = jsonArrayHas(root, "interface-types", "uefi");
    d->bios = jsonArrayHas(root, "interface-types", "bios");
    d->executable = g_strdup(jsonString(exec, "filename"));
    {
        const char *mode = jsonString(mapping, "mode");

        d->split = !mode || g_str_equal(mode, "split");
        d->stateless = g_strcmp0(mode, "stateless") == 0;
    }
    if (json_object_object_get_ex(mapping, "nvram-template", &tmpl))
        d->nvramTemplate = g_strdup(jsonString(tmpl, "filename"));
    d->secureBoot = jsonArrayHas(root, "features", "secure-boot");
    d->enrolledKeys = jsonArrayHas(root, "features", "enrolled-keys");
    d->requiresSmm = jsonArrayHas(root, "features", "requires-smm");
    d->machines = g_ptr_array_new_with_free_func(g_free);
    for (size_t i = 0; i < json_object_array_length(targets); i++) {
        json_object *t = json_object_array_get_idx(targets, i);
        json_object *machines;

        const char *arch = jsonString(t, "architecture");

        if ((g_strcmp0(arch, "x86_64") != 0 && g_strcmp0(arch, "i386") != 0) ||
            !json_object_object_get_ex(t, "machines", &machines) ||
            !json_object_is_type(machines, json_type_array))
            continue;
        for (size_t j = 0; j < json_object_array_length(machines); j++) {
            json_object *m = json_object_array_get_idx(machines, j);

            if (json_object_is_type(m, json_type_string))
                g_ptr_array_add(d->machines, g_strdup_printf("%s:%s", arch,
                                                             json_object_get_string(m)));
        }
    }
out:
    json_object_put(root);
    return d;
}

static gint
qemuFirmwareDescCmp(gconstpointer a, gconstpointer b)
{
    const qemuFirmwareDesc *da = *(qemuFirmwareDesc *const *)a;
    const qemuFirmwareDesc *db = *(qemuFirmwareDesc *const *)b;

    return strcmp(da->name, db->name);
}

/* Every usable descriptor under @dirs, by file name; an earlier directory's
 * file overrides (or, when empty, masks) a later one of the same name. */
static GPtrArray *
qemuFirmwareLoad(const char *const *dirs)
{
    GPtrArray *descs = g_ptr_array_new_with_free_func(qemuFirmwareDescFree);
    g_autoptr(GHashTable) seen =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    for (size_t i = 0; dirs && dirs[i]; i++) {
        g_autoptr(GDir) dir = g_dir_open(dirs[i], 0, NULL);
        const char *name;

        if (!dir)
            continue;
        while ((name = g_dir_read_name(dir))) {
            g_autofree char *path = NULL;
            qemuFirmwareDesc *d;
            struct stat sb;

            if (!g_str_has_suffix(name, ".json") || g_hash_table_contains(seen, name))
                continue;
            g_hash_table_add(seen, g_strdup(name));
            path = g_build_filename(dirs[i], name, NULL);
            if (stat(path, &sb) < 0 || sb.st_size == 0)
                continue;
            if ((d = qemuFirmwareDescParse(path, name)))
                g_ptr_array_add(descs, d);
        }
    }
    g_ptr_array_sort(descs, qemuFirmwareDescCmp);
    return descs;
}

/* libvirt's qemuFirmwareMatchDomain for what is carried here. */
/* Does @d target @machine of guest architecture @arch (libvirt's name:
 * "i686" is QEMU's "i386"; NULL: x86_64)? */
static bool
qemuFirmwareTargets(const qemuFirmwareDesc *d, const char *arch, const char *machine)
{
    const char *qarch = g_strcmp0(arch, "i686") == 0 ? "i386" : "x86_64";
    size_t len = strlen(qarch);

    for (guint i = 0; i < d->machines->len && machine; i++) {
        const char *m = g_ptr_array_index(d->machines, i);

        if (strncmp(m, qarch, len) == 0 && m[len] == ':' &&
            g_pattern_match_simple(m + len + 1, machine))
            return true;
    }
    return false;
}

static bool
qemuFirmwareMatches(const qemuFirmwareDesc *d, const virDomainDef *def)
{
    if (def->os.firmware == VIR_DOMAIN_OS_FIRMWARE_EFI ? !d->uefi : !d->bios)
        return false;
    if (!qemuFirmwareTargets(d, def->os.arch, def->os.machine))
        return false;
    if ((def->os.fwSecureBoot == VIR_DOMAIN_TRISTATE_ON && !d->secureBoot) ||
        (def->os.fwSecureBoot == VIR_DOMAIN_TRISTATE_OFF && d->secureBoot) ||
        (def->os.fwEnrolledKeys == VIR_DOMAIN_TRISTATE_ON && !d->enrolledKeys) ||
        (def->os.fwEnrolledKeys == VIR_DOMAIN_TRISTATE_OFF && d->enrolledKeys))
        return false;
    if (d->requiresSmm && def->smm == VIR_DOMAIN_TRISTATE_OFF)
        return false;
    if (def->os.loaderSecure == VIR_DOMAIN_TRISTATE_ON && !d->requiresSmm)
        return false;
    if (def->os.loaderSecure == VIR_DOMAIN_TRISTATE_OFF && d->secureBoot)
        return false;
    /* a stateless loader wants a stateless flash, any other one the split
     * executable + NVRAM pair (a combined flash is never picked) */
    if (def->os.loaderStateless == VIR_DOMAIN_TRISTATE_ON ? !d->stateless : !d->split)
        return false;
    return true;
}

void
qemuFirmwareListForMachine(const char *const *dirs, const char *arch, const char *machine,
                           GPtrArray *loaders, bool *efi, bool *bios, bool *secure)
{
    g_autoptr(GPtrArray) descs = qemuFirmwareLoad(dirs);

    *efi = *bios = *secure = false;
    for (guint i = 0; i < descs->len; i++) {
        const qemuFirmwareDesc *d = g_ptr_array_index(descs, i);

        if (!qemuFirmwareTargets(d, arch, machine))
            continue;
        *efi |= d->uefi;
        *bios |= d->bios;
        *secure |= d->requiresSmm;
        if (!g_ptr_array_find_with_equal_func(loaders, d->executable, g_str_equal, NULL))
            g_ptr_array_add(loaders, g_strdup(d->executable));
    }
}

char *
qemuFirmwareNVRAMPath(const char *nvramDir, const char *name)
{
    return g_strdup_printf("%s/%s_VARS.fd", nvramDir, name);
}

int
qemuFirmwareFillDomain(virDomainDef *def, const char *const *dirs, const char *nvramDir)
{
    g_autoptr(GPtrArray) descs = NULL;
    bool pflash;

    if (def->os.firmware != VIR_DOMAIN_OS_FIRMWARE_NONE) {
        const qemuFirmwareDesc *found = NULL;

        descs = qemuFirmwareLoad(dirs);
        for (guint i = 0; i < descs->len && !found; i++) {
            if (qemuFirmwareMatches(g_ptr_array_index(descs, i), def))
                found = g_ptr_array_index(descs, i);
        }
        if (!found) {
            virReportError(
                VIR_ERR_OPERATION_FAILED, "Unable to find any firmware to satisfy '%s'",
                def->os.firmware == VIR_DOMAIN_OS_FIRMWARE_EFI ? "efi" : "bios");
            return -1;
        }
        g_debug("firmware for '%s': %s (%s)", def->name, found->name, found->executable);
        g_free(def->os.loader);
        def->os.loader = g_strdup(found->executable);
        def->os.loaderType = VIR_DOMAIN_LOADER_TYPE_PFLASH;
        def->os.loaderReadonly = VIR_DOMAIN_TRISTATE_ON;
        if (found->secureBoot)
            def->os.loaderSecure = VIR_DOMAIN_TRISTATE_ON;
        if (found->requiresSmm)
            def->smm = VIR_DOMAIN_TRISTATE_ON;
        if (found->nvramTemplate && found->split) {
            g_free(def->os.nvramTemplate);
            def->os.nvramTemplate = g_strdup(found->nvramTemplate);
        }
        def->os.firmware = VIR_DOMAIN_OS_FIRMWARE_NONE;
        def->os.fwSecureBoot = VIR_DOMAIN_TRISTATE_ABSENT;
        def->os.fwEnrolledKeys = VIR_DOMAIN_TRISTATE_ABSENT;
    }
    pflash = def->os.loader && def->os.loaderType == VIR_DOMAIN_LOADER_TYPE_PFLASH;
    /* a loader given by path: its template is the one its descriptor names */
    if (pflash && !def->os.nvramTemplate &&
        def->os.loaderStateless != VIR_DOMAIN_TRISTATE_ON) {
        if (!descs)
            descs = qemuFirmwareLoad(dirs);
        for (guint i = 0; i < descs->len; i++) {
            const qemuFirmwareDesc *d = g_ptr_array_index(descs, i);

            if (d->nvramTemplate && g_strcmp0(d->executable, def->os.loader) == 0) {
                def->os.nvramTemplate = g_strdup(d->nvramTemplate);
                break;
            }
        }
    }
    qemuFirmwareDefaultNVRAM(def, nvramDir);
    return 0;
}

void
qemuFirmwareDefaultNVRAM(virDomainDef *def, const char *nvramDir)
{
    if (def->os.loader && def->os.loaderType == VIR_DOMAIN_LOADER_TYPE_PFLASH &&
        def->os.loaderReadonly == VIR_DOMAIN_TRISTATE_ON && !def->os.nvram &&
        def->os.loaderStateless != VIR_DOMAIN_TRISTATE_ON)
        def->os.nvram = qemuFirmwareNVRAMPath(nvramDir, def->name);
}

int
qemuFirmwarePrepareNVRAM(const virDomainDef *def)
{
    g_autofree char *data = NULL;
    g_autofree char *dir = NULL;
    ssize_t len;
    int fd;

    if (!def->os.nvram || access(def->os.nvram, F_OK) == 0)
        return 0;
    if (!def->os.nvramTemplate) {
        virReportError(VIR_ERR_OPERATION_FAILED,
                       "unable to find any master var store for loader: %s",
                       def->os.loader ? def->os.loader : "");
        return -1;
    }
    if ((len = virFileReadAll(def->os.nvramTemplate, QEMU_FIRMWARE_NVRAM_MAX, &data)) < 0)
        return -1;
    dir = g_path_get_dirname(def->os.nvram);
    if (virFileMakePath(dir, 0755) < 0)
        return -1;
    if ((fd = open(def->os.nvram, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
        virReportSystemError(errno, "Failed to create file '%s'", def->os.nvram);
        return -1;
    }
    if (write(fd, data, len) != len || fsync(fd) < 0) {
        int err = errno ? errno : EIO;

        close(fd);
        unlink(def->os.nvram);
        virReportSystemError(err, "Unable to write to file '%s'", def->os.nvram);
        return -1;
    }
    if (close(fd) < 0) {
        virReportSystemError(errno, "Unable to close file '%s'", def->os.nvram);
        unlink(def->os.nvram);
        return -1;
    }
    return 0;
}
