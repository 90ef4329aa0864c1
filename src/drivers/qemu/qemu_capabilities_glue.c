/* qemu_capabilities_glue.c: the QEMU driver's narrow view of the command line and capabilities */

/*
 * The lifecycle reaches qemu_capabilities.h and qemu_command.h only through
 * these functions. The command line is still built here (INTERIM, a
 * minimal builder) until qemu_command.c lands. driver->caps holds the driver's qemuCapsCache (probes
 * are cached per binary identity under cacheDir).
 * Threads: none of its own; the cache has its own lock, driver->capsLock
 * guards its lazy creation.
 */

#include "qemu_capabilities_glue.h"
#include "qemu_capabilities.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

static qemuCapsCache *
qemuGlueCache(qemuDriver *driver)
{
    qemuCapsCache *cache;

    g_mutex_lock(&driver->capsLock);
    if (!driver->caps) {
        g_autofree char *dir = g_build_filename(driver->cacheDir, NULL);

        driver->caps = qemuCapsCacheNew(dir);
    }
    cache = driver->caps;
    g_mutex_unlock(&driver->capsLock);
    return cache;
}

void
qemuGlueCapsFree(void *caps)
{
    qemuCapsCacheFree(caps);
}

int
qemuGlueGetQemuVersion(qemuDriver *driver, unsigned long *version)
{
    g_autoptr(qemuCaps) caps = qemuCapsCacheLookup(qemuGlueCache(driver), NULL);

    if (!caps)
        return -1;
    *version = qemuCapsGetVersion(caps);
    return 0;
}

char *
qemuGlueGetCapabilitiesXML(qemuDriver *driver)
{
    qemuCapsCache *cache = qemuGlueCache(driver);
    g_autoptr(qemuCaps) caps = qemuCapsCacheLookup(cache, NULL);

    if (!caps)
        return NULL;
    return qemuCapsFormatCapabilitiesXML(cache, caps);
}

int
qemuGluePostParse(qemuDriver *driver, virDomainDef *def)
{
    g_autoptr(qemuCaps) caps = qemuCapsCacheLookup(qemuGlueCache(driver), def->emulator);

    if (!caps)
        return -1;
    /* + qemuValidateDomainDef(def, caps) once qemu_command.c is built */
    return qemuCapsDomainDefPostParse(caps, def);
}

int
qemuGluePrepareForStart(qemuDriver *driver, virDomainDef *def, char **version)
{
    qemuCapsCache *cache = qemuGlueCache(driver);
    g_autoptr(qemuCaps) caps = qemuCapsCacheLookup(cache, def->emulator);

    if (!caps)
        return -1;
    if (qemuCapsCheckVirtType(cache, caps, def->virtType) < 0 ||
        qemuCapsDomainDefPostParse(caps, def) < 0)
        return -1;
    *version = g_strdup(qemuCapsGetVersionString(caps));
    return 0;
}

/* ---- command line (INTERIM until qemu_command.c lands) ------------------ */

static char **
qemuGlueBuildArgvInterim(virDomainDef *def, int monfd)
{
    g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func(g_free);
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (def->unknownElements) {
        for (size_t i = 0; def->unknownElements[i]; i++) {
            if (g_str_equal(def->unknownElements[i], "metadata"))
                continue;
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "element '%s' is not supported by the QEMU driver",
                           def->unknownElements[i]);
            return NULL;
        }
    }
    if (def->nnets > 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "network interfaces are not supported yet");
        return NULL;
    }

    g_ptr_array_add(a, g_strdup(def->emulator));
    g_ptr_array_add(a, g_strdup("-name"));
    g_ptr_array_add(a, g_strdup_printf("guest=%s,debug-threads=on", def->name));
    g_ptr_array_add(a, g_strdup("-S"));
    g_ptr_array_add(a, g_strdup("-no-user-config"));
    g_ptr_array_add(a, g_strdup("-nodefaults"));
    g_ptr_array_add(a, g_strdup("-no-shutdown"));
    g_ptr_array_add(a, g_strdup("-chardev"));
    g_ptr_array_add(a, g_strdup_printf("socket,id=charmonitor,fd=%d,server=on,wait=off", monfd));
    g_ptr_array_add(a, g_strdup("-mon"));
    g_ptr_array_add(a, g_strdup("chardev=charmonitor,id=monitor,mode=control"));
    g_ptr_array_add(a, g_strdup("-machine"));
    g_ptr_array_add(a, g_strdup_printf("%s,usb=off,acpi=%s",
                                       def->os.machine ? def->os.machine : "q35",
                                       def->acpi ? "on" : "off"));
    g_ptr_array_add(a, g_strdup("-accel"));
    g_ptr_array_add(a, g_strdup("tcg"));
    g_ptr_array_add(a, g_strdup("-m"));
    g_ptr_array_add(a, g_strdup_printf("%llu", def->memory / 1024));
    g_ptr_array_add(a, g_strdup("-smp"));
    g_ptr_array_add(a, g_strdup_printf("%u", def->vcpus));
    virUUIDFormat(def->uuid, uuid);
    g_ptr_array_add(a, g_strdup("-uuid"));
    g_ptr_array_add(a, g_strdup(uuid));
    g_ptr_array_add(a, g_strdup("-display"));
    g_ptr_array_add(a, g_strdup("none"));
    g_ptr_array_add(a, g_strdup("-sandbox"));
    g_ptr_array_add(a, g_strdup("on,obsolete=deny,elevateprivileges=deny,spawn=deny,"
                                "resourcecontrol=deny"));
    if (def->os.kernel) {
        g_ptr_array_add(a, g_strdup("-kernel"));
        g_ptr_array_add(a, g_strdup(def->os.kernel));
    }
    if (def->os.initrd) {
        g_ptr_array_add(a, g_strdup("-initrd"));
        g_ptr_array_add(a, g_strdup(def->os.initrd));
    }
    if (def->os.cmdline) {
        g_ptr_array_add(a, g_strdup("-append"));
        g_ptr_array_add(a, g_strdup(def->os.cmdline));
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        virDomainDiskDef *d = def->disks[i];
        const char *fmt = d->format == VIR_STORAGE_FORMAT_QCOW2 ? "qcow2" : "raw";

        if (d->device != VIR_DOMAIN_DISK_DEVICE_DISK || !d->src ||
            (d->bus != VIR_DOMAIN_DISK_BUS_VIRTIO && d->bus != VIR_DOMAIN_DISK_BUS_NONE)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "disk '%s': only file-backed virtio disks are supported yet",
                           d->dst ? d->dst : "?");
            return NULL;
        }
        g_ptr_array_add(a, g_strdup("-blockdev"));
        g_ptr_array_add(a, g_strdup_printf("{\"driver\":\"file\",\"filename\":\"%s\","
                                           "\"node-name\":\"libvirt-%zu-storage\"}",
                                           d->src, i + 1));
        g_ptr_array_add(a, g_strdup("-blockdev"));
        g_ptr_array_add(a, g_strdup_printf("{\"node-name\":\"libvirt-%zu-format\","
                                           "\"read-only\":%s,\"driver\":\"%s\","
                                           "\"file\":\"libvirt-%zu-storage\"}",
                                           i + 1, d->readonly ? "true" : "false", fmt, i + 1));
        g_ptr_array_add(a, g_strdup("-device"));
        g_ptr_array_add(a, g_strdup_printf("virtio-blk-pci,drive=libvirt-%zu-format,"
                                           "id=virtio-disk%zu", i + 1, i));
    }
    for (size_t i = 0; i < def->nserials; i++) {
        virDomainChrDef *c = def->serials[i];

        g_ptr_array_add(a, g_strdup("-chardev"));
        if (c->type == VIR_DOMAIN_CHR_TYPE_FILE && c->path)
            g_ptr_array_add(a, g_strdup_printf("file,id=charserial%zu,path=%s", i, c->path));
        else if (c->type == VIR_DOMAIN_CHR_TYPE_PTY)
            g_ptr_array_add(a, g_strdup_printf("pty,id=charserial%zu", i));
        else
            g_ptr_array_add(a, g_strdup_printf("null,id=charserial%zu", i));
        g_ptr_array_add(a, g_strdup("-device"));
        g_ptr_array_add(a, g_strdup_printf("isa-serial,chardev=charserial%zu,id=serial%zu", i, i));
    }
    g_ptr_array_add(a, g_strdup("-msg"));
    g_ptr_array_add(a, g_strdup("timestamp=on"));
    g_ptr_array_add(a, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&a), FALSE);
}

char **
qemuGlueBuildArgv(qemuDriver *driver, virDomainDef *def, int monfd)
{
    /* qemuBuildCommandLine(def, caps, &opts) once qemu_command.c is built */
    return qemuGlueBuildArgvInterim(def, monfd);
}
