/* qemu_driver_display.c: the QEMU driver's screens: screenshot, graphics clients by descriptor
 *
 * Threads: runs on the caller's thread (a daemon worker) under a QUERY job
 * (screenshot) or a MODIFY job (OpenGraphics, OpenGraphicsFD);
 * the object lock is dropped while QEMU is asked. The picture goes
 * through a private temporary file that only this process can reach: QEMU
 * writes it through a descriptor handed over with add-fd (it may run as
 * another user and never sees the directory), and the stream reads it
 * through its own descriptor after the name is gone.
 */
#define G_LOG_DOMAIN "virtkit.qemu.display"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <glib/gstdio.h>
#include <json-c/json.h>

#include "qemu_driver_priv.h"
#include "qemu_monitor.h"
#include "virerror.h"
#include "virfdstream.h"
#include "virfile.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* libvirt's screen numbering: the heads of the video devices in order.
 * Sets *@alias to the QEMU id of the device showing @screen ("video<i>")
 * and *@head to the head within it. -1 with libvirt's errors. */
static int
qemuDisplayFindScreen(const virDomainDef *def, unsigned int screen, char **alias,
                      unsigned int *head)
{
    if (def->nvideos == 0) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "no screens to take screenshot from");
        return -1;
    }
    for (size_t i = 0; i < def->nvideos; i++) {
        const virDomainVideoDef *v = def->videos[i];
        unsigned int heads = v->heads > 0 ? (unsigned int)v->heads : 1;

        if (g_str_equal(v->type, "none"))
            continue;
        if (screen < heads) {
            *alias = g_strdup_printf("video%zu", i);
            *head = screen;
            return 0;
        }
        screen -= heads;
    }
    virReportError(VIR_ERR_OPERATION_INVALID, "%s", "no such screen ID");
    return -1;
}

/* QMP screendump of @screen (PNG) into the file open as @fd. Object
 * unlocked, QUERY job held. */
static int
qemuDisplayScreendump(qemuMonitor *mon, const char *alias, unsigned int head, bool first,
                      int fd)
{
    g_autoptr(json_object) args = json_object_new_object();
    g_autofree char *path = NULL;
    int fdset = -1;
    int ret;

    if (qemuMonitorAddFd(mon, fd, QEMU_MONITOR_TIMEOUT_MS, &fdset) < 0)
        return -1;
    path = g_strdup_printf("/dev/fdset/%d", fdset);
    json_object_object_add(args, "filename", json_object_new_string(path));
    /* screen 0 is QEMU's first console, as libvirt leaves it */
    if (!first) {
        json_object_object_add(args, "device", json_object_new_string(alias));
        json_object_object_add(args, "head", json_object_new_int((int)head));
    }
    json_object_object_add(args, "format", json_object_new_string("png"));
    ret = qemuMonitorCommand(mon, "screendump", args, QEMU_MONITOR_TIMEOUT_MS, NULL);
    qemuMonitorRemoveFdset(mon, fdset, QEMU_MONITOR_TIMEOUT_MS);
    return ret;
}

char *
qemuDomainScreenshot(virDomainPtr dom, virStreamPtr st, unsigned int screen,
                     unsigned int flags)
{
    g_autofree char *alias = NULL;
    g_autofree char *prefix = NULL;
    g_autofree char *tmp = NULL;
    virDomainObj *obj;
    qemuDomainObjPrivate *priv;
    qemuMonitor *mon;
    unsigned int head = 0;
    char *ret = NULL;
    int fd = -1;
    int rc;

    virCheckFlags(0, NULL);
    if (!(obj = qemuDomainObjFromDomain(dom)))
        return NULL;
    if (virDomainObjBeginJob(obj, VIR_JOB_QUERY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0 ||
        qemuDisplayFindScreen(obj->def, screen, &alias, &head) < 0)
        goto endjob;
    priv = qemuDomainPriv(obj);
    if (!(mon = priv->mon)) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "QEMU monitor is not connected");
        goto endjob;
    }
    prefix = g_strdup_printf("%s/qemu.screendump.", priv->libDir);
    if ((fd = virFileMakeTempPrivate(prefix, O_WRONLY, (uid_t)-1, (gid_t)-1, &tmp)) < 0) {
        virReportSystemError(errno, "g_mkstemp(\"%sXXXXXX\") failed", prefix);
        goto endjob;
    }
    virDomainObjUnlock(obj);
    rc = qemuDisplayScreendump(mon, alias, head, screen == 0, fd);
    virDomainObjLock(obj);
    if (rc < 0)
        goto endjob;
    if (close(fd) < 0) {
        fd = -1;
        virReportSystemError(errno, "unable to close %s", tmp);
        goto endjob;
    }
    fd = -1;
    if (virFDStreamOpenFile(st, tmp, 0, 0, O_RDONLY, false) < 0) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "unable to open stream");
        goto endjob;
    }
    ret = g_strdup("image/png");
endjob:
    if (fd >= 0)
        close(fd);
    if (tmp && g_unlink(tmp) < 0 && errno != ENOENT)
        g_debug("cannot remove '%s': %s", tmp, g_strerror(errno));
    virDomainObjEndJob(obj, VIR_JOB_QUERY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

/* ---- graphics clients (virDomainOpenGraphics, virDomainOpenGraphicsFD) ---- */

/* Make @fd (the caller keeps it) a client of graphics backend @idx: getfd
 * then add_client, as libvirt's qemuMonitorOpenGraphics. */
static int
qemuDisplayOpenGraphics(virDomainPtr dom, unsigned int idx, int fd, unsigned int flags)
{
    g_autoptr(json_object) args = NULL;
    virDomainObj *obj;
    qemuMonitor *mon;
    int ret = -1;

    if (!(obj = qemuDomainObjFromDomain(dom)))
        return -1;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto cleanup;
    if (idx >= obj->def->ngraphics) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "No graphics backend with index %u", idx);
        goto cleanup;
    }
    if (obj->def->graphics[idx]->type == VIR_DOMAIN_GRAPHICS_TYPE_EGL_HEADLESS) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Can only open VNC or SPICE graphics backends, not %s",
                       virDomainGraphicsTypeToString(obj->def->graphics[idx]->type));
        goto cleanup;
    }
    if (virDomainObjBeginJob(obj, VIR_JOB_MODIFY, QEMU_JOB_WAIT_MS) < 0)
        goto cleanup;
    if (qemuDomainObjCheckActive(obj) < 0)
        goto endjob;
    if (!(mon = qemuDomainPriv(obj)->mon)) {
        virReportError(VIR_ERR_OPERATION_FAILED, "%s", "QEMU monitor is not connected");
        goto endjob;
    }
    args = json_object_new_object();
    json_object_object_add(args, "protocol",
                           json_object_new_string(virDomainGraphicsTypeToString(
                               obj->def->graphics[idx]->type)));
    json_object_object_add(args, "fdname", json_object_new_string("graphicsfd"));
    json_object_object_add(
        args, "skipauth",
        json_object_new_boolean((flags & VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH) != 0));
    json_object_object_add(args, "tls", json_object_new_boolean(false));
    virDomainObjUnlock(obj);
    if (qemuMonitorSendFileHandle(mon, "graphicsfd", fd, QEMU_MONITOR_TIMEOUT_MS) == 0) {
        ret = qemuMonitorCommand(mon, "add_client", args, QEMU_MONITOR_TIMEOUT_MS, NULL);
        if (ret < 0) {
            /* QEMU keeps a named descriptor until used or closed */
            g_autoptr(json_object) cargs = json_object_new_object();
            virErrorPtr saved = NULL;

            virErrorPreserveLast(&saved);
            json_object_object_add(cargs, "fdname", json_object_new_string("graphicsfd"));
            qemuMonitorCommand(mon, "closefd", cargs, QEMU_MONITOR_TIMEOUT_MS, NULL);
            virErrorRestore(&saved);
        }
    }
    virDomainObjLock(obj);
endjob:
    virDomainObjEndJob(obj, VIR_JOB_MODIFY);
cleanup:
    virDomainObjEndAPI(&obj);
    return ret;
}

int
qemuDomainOpenGraphics(virDomainPtr dom, unsigned int idx, int fd, unsigned int flags)
{
    virCheckFlags(VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH, -1);
    return qemuDisplayOpenGraphics(dom, idx, fd, flags);
}

int
qemuDomainOpenGraphicsFD(virDomainPtr dom, unsigned int idx, unsigned int flags)
{
    int pair[2];

    virCheckFlags(VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH, -1);
    if (socketpair(PF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
        virReportSystemError(errno, "%s", "Failed to create socket pair");
        return -1;
    }
    if (qemuDisplayOpenGraphics(dom, idx, pair[1], flags) < 0) {
        close(pair[0]);
        close(pair[1]);
        return -1;
    }
    close(pair[1]);
    return pair[0];
}
