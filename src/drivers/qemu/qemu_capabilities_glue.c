/* qemu_capabilities_glue.c: the QEMU driver's narrow view of the command line and capabilities */

/*
 * INTERIM IMPLEMENTATION. The command-line builder (qemu_command.c) and
 * capabilities probe (qemu_capabilities.c) are written in parallel by
 * another engineer; until they land, this file provides the few
 * operations the lifecycle needs behind qemu_capabilities_glue.h, so that
 * the lifecycle can be exercised against the real QEMU. Once they land,
 * each function below becomes a call into them.
 * Threads: none of its own; caps are probed once under driver->capsLock.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "qemu_capabilities_glue.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* ---- capabilities (interim) ------------------------------------------- */

typedef struct {
    char *emulator;
    char *version;              /* "7.2.22" */
    unsigned long versionNum;   /* 7002022 */
} qemuGlueCaps;

void
qemuGlueCapsFree(void *data)
{
    qemuGlueCaps *caps = data;

    if (!caps)
        return;
    g_free(caps->emulator);
    g_free(caps->version);
    g_free(caps);
}

/* The default emulator's caps, probed once (driver->capsLock). */
static qemuGlueCaps *
qemuGlueGetCaps(qemuDriver *driver)
{
    qemuGlueCaps *caps;

    g_mutex_lock(&driver->capsLock);
    if (!driver->caps) {
        g_autofree char *path = g_find_program_in_path("qemu-system-x86_64");
        g_autofree char *out = NULL;
        int status = -1;
        unsigned int maj = 0, min = 0, mic = 0;
        const char *p;

        if (!path) {
            g_mutex_unlock(&driver->capsLock);
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "Cannot find QEMU binary qemu-system-x86_64: "
                           "No such file or directory");
            return NULL;
        }
        if (!g_spawn_sync(NULL, (char *[]){ path, (char *)"--version", NULL }, NULL,
                          G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, NULL) ||
            !g_spawn_check_wait_status(status, NULL) ||
            !(p = strstr(out, "version ")) ||
            sscanf(p + 8, "%u.%u.%u", &maj, &min, &mic) < 2) {
            g_mutex_unlock(&driver->capsLock);
            virReportError(VIR_ERR_INTERNAL_ERROR, "cannot probe the version of '%s'", path);
            return NULL;
        }
        caps = g_new0(qemuGlueCaps, 1);
        caps->emulator = g_steal_pointer(&path);
        caps->version = g_strdup_printf("%u.%u.%u", maj, min, mic);
        caps->versionNum = maj * 1000000UL + min * 1000UL + mic;
        driver->caps = caps;
    }
    caps = driver->caps;
    g_mutex_unlock(&driver->capsLock);
    return caps;
}

int
qemuGlueGetQemuVersion(qemuDriver *driver, unsigned long *version)
{
    qemuGlueCaps *caps = qemuGlueGetCaps(driver);

    if (!caps)
        return -1;
    *version = caps->versionNum;
    return 0;
}

char *
qemuGlueGetCapabilitiesXML(qemuDriver *driver)
{
    qemuGlueCaps *caps = qemuGlueGetCaps(driver);

    if (!caps)
        return NULL;
    return g_strdup_printf("<capabilities>\n\n"
                           "  <host>\n    <cpu>\n      <arch>x86_64</arch>\n    </cpu>\n"
                           "  </host>\n\n"
                           "  <guest>\n    <os_type>hvm</os_type>\n"
                           "    <arch name='x86_64'>\n      <wordsize>64</wordsize>\n"
                           "      <emulator>%s</emulator>\n"
                           "      <machine>q35</machine>\n      <machine>pc</machine>\n"
                           "      <domain type='qemu'/>\n    </arch>\n  </guest>\n\n"
                           "</capabilities>\n", caps->emulator);
}

int
qemuGluePostParse(qemuDriver *driver, virDomainDef *def)
{
    qemuGlueCaps *caps = qemuGlueGetCaps(driver);

    if (!caps)
        return -1;
    if (!def->emulator)
        def->emulator = g_strdup(caps->emulator);
    return 0;
}

int
qemuGluePrepareForStart(qemuDriver *driver, virDomainDef *def, char **version)
{
    qemuGlueCaps *caps = qemuGlueGetCaps(driver);

    if (!caps)
        return -1;
    if (def->virtType != VIR_DOMAIN_VIRT_QEMU) {
        /* KVM is only usable once a boot probe proves guests run under it
         * (on these hosts /dev/kvm exists but guests hang); that probe is
         * part of the capabilities module. */
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Emulator '%s' does not support virt type '%s' "
                       "(no KVM boot probe has succeeded on this host)",
                       def->emulator ? def->emulator : caps->emulator,
                       virDomainVirtTypeToString(def->virtType));
        return -1;
    }
    if (!def->emulator)
        def->emulator = g_strdup(caps->emulator);
    *version = g_strdup(caps->version);
    return 0;
}

/* ---- command line (interim) -------------------------------------------- */

char **
qemuGlueBuildArgv(qemuDriver *driver, virDomainDef *def, int monfd)
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
