/* qemu_capabilities_glue.c: the QEMU driver's narrow view of the monitor, command line and capabilities */

/*
 * INTERIM IMPLEMENTATION. The project's QMP client (qemu_monitor.c),
 * command-line builder (qemu_command.c) and capabilities probe
 * (qemu_capabilities.c) are written in parallel by another engineer; until
 * they land, this file provides the few operations the lifecycle needs,
 * behind the interface of qemu_capabilities_glue.h, so that the lifecycle
 * can be exercised against the real QEMU. Once they land, each function
 * below becomes a call into them and this code goes away.
 *
 * Threads: each monitor owns one I/O thread ("qemu-mon") that reads QMP
 * lines, hands replies to the waiting caller (matched by "id") and calls
 * the event callback for events; it holds no lock while calling back.
 * Callers send one command at a time per monitor (cmdLock) and wait for
 * the reply with a deadline on @cond. qemuGlueMonitorClose wakes the
 * thread through a pipe and joins it: no callback runs after it returns.
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

#define QEMU_MONITOR_MAX_LINE (10 * 1024 * 1024)

struct _qemuMonitor {
    int fd;
    int wakefd[2];
    GThread *thread;

    GMutex lock;                /* protects the fields below */
    GCond cond;
    bool greeted;
    bool eof;
    guint64 waitId;             /* id of the command being waited for, 0 none */
    json_object *reply;         /* its reply, once read */

    GMutex cmdLock;             /* one command in flight */
    guint64 nextId;

    qemuGlueEventFunc event;
    qemuGlueEOFFunc eofcb;
    void *opaque;
};

static void
qemuGlueMonitorDispatch(qemuMonitor *mon, json_object *msg)
{
    json_object *val = NULL;

    if (json_object_object_get_ex(msg, "QMP", NULL)) {
        g_mutex_lock(&mon->lock);
        mon->greeted = true;
        g_cond_broadcast(&mon->cond);
        g_mutex_unlock(&mon->lock);
        json_object_put(msg);
        return;
    }
    if (json_object_object_get_ex(msg, "event", &val)) {
        json_object *data = NULL;
        g_autofree char *name = g_strdup(json_object_get_string(val));

        json_object_object_get_ex(msg, "data", &data);
        g_debug("QMP event %s", name);
        if (mon->event)
            mon->event(mon, name, data, mon->opaque);
        json_object_put(msg);
        return;
    }
    if (json_object_object_get_ex(msg, "id", &val)) {
        guint64 id = (guint64)json_object_get_int64(val);

        g_mutex_lock(&mon->lock);
        if (id == mon->waitId && !mon->reply) {
            mon->reply = msg;
            msg = NULL;
            g_cond_broadcast(&mon->cond);
        }
        g_mutex_unlock(&mon->lock);
    }
    if (msg)
        json_object_put(msg);   /* a late reply to a timed-out command */
}

static gpointer
qemuGlueMonitorThread(gpointer data)
{
    qemuMonitor *mon = data;
    g_autoptr(GString) buf = g_string_new(NULL);

    for (;;) {
        struct pollfd pfd[2] = {
            { .fd = mon->fd, .events = POLLIN },
            { .fd = mon->wakefd[0], .events = POLLIN },
        };
        char chunk[65536];
        ssize_t got;
        char *nl;

        if (poll(pfd, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (pfd[1].revents)
            return NULL;        /* closing: no EOF callback */
        got = read(mon->fd, chunk, sizeof(chunk));
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got <= 0)
            break;
        g_string_append_len(buf, chunk, got);
        while ((nl = memchr(buf->str, '\n', buf->len))) {
            size_t len = nl - buf->str;
            json_object *msg;

            buf->str[len] = '\0';
            g_debug("QMP <- %s", buf->str);
            if ((msg = json_tokener_parse(buf->str)) &&
                json_object_is_type(msg, json_type_object))
                qemuGlueMonitorDispatch(mon, msg);
            else if (msg)
                json_object_put(msg);
            g_string_erase(buf, 0, len + 1);
        }
        if (buf->len > QEMU_MONITOR_MAX_LINE)
            break;              /* refuse a runaway reply: treat as EOF */
    }

    g_mutex_lock(&mon->lock);
    mon->eof = true;
    g_cond_broadcast(&mon->cond);
    g_mutex_unlock(&mon->lock);
    if (mon->eofcb)
        mon->eofcb(mon, mon->opaque);
    return NULL;
}

static void
qemuGlueMonitorFree(qemuMonitor *mon)
{
    if (mon->thread) {
        char c = 'q';

        if (write(mon->wakefd[1], &c, 1) < 0)
            g_debug("cannot wake monitor thread: %s", g_strerror(errno));
        g_thread_join(mon->thread);
    }
    if (mon->reply)
        json_object_put(mon->reply);
    close(mon->fd);
    close(mon->wakefd[0]);
    close(mon->wakefd[1]);
    g_mutex_clear(&mon->lock);
    g_mutex_clear(&mon->cmdLock);
    g_cond_clear(&mon->cond);
    g_free(mon);
}

void
qemuGlueMonitorClose(qemuMonitor *mon)
{
    if (mon)
        qemuGlueMonitorFree(mon);
}

/* Send @cmd and wait for its reply until @deadline. Returns the reply
 * (caller puts it) or NULL with an error reported. */
static json_object *
qemuGlueMonitorSend(qemuMonitor *mon, const char *cmd, gint64 deadline)
{
    g_autofree char *line = NULL;
    json_object *reply = NULL;
    json_object *err = NULL;
    guint64 id;
    size_t off = 0;

    g_mutex_lock(&mon->cmdLock);
    id = ++mon->nextId;
    line = g_strdup_printf("{\"execute\":\"%s\",\"id\":%" G_GUINT64_FORMAT "}\n", cmd, id);
    g_mutex_lock(&mon->lock);
    mon->waitId = id;
    g_mutex_unlock(&mon->lock);

    g_debug("QMP -> %s", line);
    while (off < strlen(line)) {
        ssize_t n = write(mon->fd, line + off, strlen(line) - off);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            virReportSystemError(errno, "%s", "cannot write to QEMU monitor");
            goto done;
        }
        off += n;
    }

    g_mutex_lock(&mon->lock);
    while (!mon->reply && !mon->eof) {
        if (!g_cond_wait_until(&mon->cond, &mon->lock, deadline))
            break;
    }
    reply = g_steal_pointer(&mon->reply);
    mon->waitId = 0;
    if (!reply) {
        if (mon->eof)
            virReportError(VIR_ERR_OPERATION_FAILED, "%s", "domain is no longer running");
        else
            virReportError(VIR_ERR_OPERATION_TIMEOUT,
                           "QEMU did not answer '%s' in time (monitor hung?)", cmd);
    }
    g_mutex_unlock(&mon->lock);
    if (reply && json_object_object_get_ex(reply, "error", &err)) {
        json_object *desc = NULL;

        json_object_object_get_ex(err, "desc", &desc);
        virReportError(VIR_ERR_INTERNAL_ERROR, "unable to execute QEMU command '%s': %s",
                       cmd, desc ? json_object_get_string(desc) : "unknown error");
        json_object_put(reply);
        reply = NULL;
    }

 done:
    g_mutex_unlock(&mon->cmdLock);
    return reply;
}

qemuMonitor *
qemuGlueMonitorOpen(int fd, unsigned int timeout_ms, qemuGlueEventFunc event,
                    qemuGlueEOFFunc eof, void *opaque)
{
    qemuMonitor *mon = g_new0(qemuMonitor, 1);
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    json_object *reply;

    mon->fd = fd;
    g_mutex_init(&mon->lock);
    g_mutex_init(&mon->cmdLock);
    g_cond_init(&mon->cond);
    mon->event = event;
    mon->eofcb = eof;
    mon->opaque = opaque;
    if (pipe2(mon->wakefd, O_CLOEXEC) < 0) {
        virReportSystemError(errno, "%s", "cannot create pipe");
        mon->wakefd[0] = mon->wakefd[1] = -1;
        qemuGlueMonitorFree(mon);
        return NULL;
    }
    mon->thread = g_thread_new("qemu-mon", qemuGlueMonitorThread, mon);

    g_mutex_lock(&mon->lock);
    while (!mon->greeted && !mon->eof) {
        if (!g_cond_wait_until(&mon->cond, &mon->lock, deadline))
            break;
    }
    if (!mon->greeted) {
        if (mon->eof)
            virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                           "QEMU exited before its monitor greeted us (see the domain log)");
        else
            virReportError(VIR_ERR_OPERATION_TIMEOUT, "%s",
                           "QEMU monitor did not greet us in time");
        g_mutex_unlock(&mon->lock);
        qemuGlueMonitorFree(mon);
        return NULL;
    }
    g_mutex_unlock(&mon->lock);

    if (!(reply = qemuGlueMonitorSend(mon, "qmp_capabilities", deadline))) {
        qemuGlueMonitorFree(mon);
        return NULL;
    }
    json_object_put(reply);
    return mon;
}

int
qemuGlueMonitorCommand(qemuMonitor *mon, const char *cmd, unsigned int timeout_ms)
{
    json_object *reply = qemuGlueMonitorSend(mon, cmd,
                                             g_get_monotonic_time() + (gint64)timeout_ms * 1000);

    if (!reply)
        return -1;
    json_object_put(reply);
    return 0;
}

int
qemuGlueMonitorQueryStatus(qemuMonitor *mon, unsigned int timeout_ms, char **status)
{
    json_object *reply = qemuGlueMonitorSend(mon, "query-status",
                                             g_get_monotonic_time() + (gint64)timeout_ms * 1000);
    json_object *ret = NULL;
    json_object *st = NULL;

    if (!reply)
        return -1;
    if (!json_object_object_get_ex(reply, "return", &ret) ||
        !json_object_object_get_ex(ret, "status", &st)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "query-status reply has no status");
        json_object_put(reply);
        return -1;
    }
    *status = g_strdup(json_object_get_string(st));
    json_object_put(reply);
    return 0;
}

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
