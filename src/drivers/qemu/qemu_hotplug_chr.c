/* qemu_hotplug_chr.c: virtio-serial channels (unix and pty, the guest agent's among them) plugged into and out of a running guest */

/*
 * Threads: called from the entry points of qemu_hotplug.c with the domain
 * locked and its MODIFY job held; QMP is waited for with the object
 * unlocked (qemuHotplugMonitor, qemuMonitorSendFileHandle). The
 * device-removal wait is qemuHotplugDeviceDel's; qemuHotplugRemoveChannelLive
 * also runs on the removal worker (qemu_hotplug_removal.c), job held.
 */

#define G_LOG_DOMAIN "virtkit.qemu.hotplugchr"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "domain_event.h"
#include "qemu_command.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_monitor.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

const char *
qemuHotplugChannelAlias(const virDomainDef *def, size_t idx, char *buf, size_t size)
{
    if (def->channels[idx]->alias)
        return def->channels[idx]->alias;
    g_snprintf(buf, size, "channel%zu", idx);
    return buf;
}

void
qemuHotplugAssignChannelAliases(virDomainDef *def)
{
    for (size_t i = 0; i < def->nchannels; i++) {
        g_free(def->channels[i]->alias);
        def->channels[i]->alias = g_strdup_printf("channel%zu", i);
    }
}

ssize_t
qemuHotplugFindChannelAlias(const virDomainDef *def, const char *alias)
{
    for (size_t i = 0; i < def->nchannels; i++) {
        char buf[32];

        if (strcmp(qemuHotplugChannelAlias(def, i, buf, sizeof(buf)), alias) == 0)
            return (ssize_t)i;
    }
    return -1;
}

/* libvirt's virDomainChrEquals for two virtio channels: the source type,
 * its path and mode, the target name. */
static bool
qemuHotplugChannelEquals(const virDomainChannelDef *a, const virDomainChannelDef *b)
{
    if (a->unixSocket != b->unixSocket || a->spicevmc != b->spicevmc ||
        g_strcmp0(a->targetName, b->targetName) != 0 || g_strcmp0(a->path, b->path) != 0)
        return false;
    return !a->unixSocket || a->connect == b->connect;
}

ssize_t
qemuHotplugFindChannel(const virDomainDef *def, const virDomainChannelDef *match)
{
    for (size_t i = 0; i < def->nchannels; i++) {
        if (qemuHotplugChannelEquals(def->channels[i], match))
            return (ssize_t)i;
    }
    virReportError(VIR_ERR_DEVICE_MISSING, "%s",
                   "chr type 'channel' device not present in domain configuration");
    return -1;
}

void
qemuHotplugRemoveChannel(virDomainDef *def, size_t idx)
{
    virDomainChannelDefFree(def->channels[idx]);
    memmove(def->channels + idx, def->channels + idx + 1,
            (def->nchannels - idx) * sizeof(*def->channels));
    def->nchannels--;
}

void
qemuHotplugAppendChannel(virDomainDef *def, virDomainChannelDef *chan)
{
    def->channels = g_renew(virDomainChannelDef *, def->channels, def->nchannels + 2);
    def->channels[def->nchannels++] = chan;
    def->channels[def->nchannels] = NULL;
}

bool
qemuHotplugHasVirtioSerial(const virDomainDef *def, int idx)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        if (def->controllers[i]->type == VIR_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL &&
            (idx < 0 || def->controllers[i]->idx == idx))
            return true;
    }
    return false;
}

/* A listening socket bound at @path (a stale file there removed first), or
 * -1 with a SYSTEM_ERROR reported. */
static int
qemuHotplugChannelListen(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "UNIX socket path '%s' too long",
                       path);
        return -1;
    }
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno, "%s", "Failed to create UNIX socket");
        return -1;
    }
    unlink(path);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0) {
        virReportSystemError(errno, "Failed to bind socket to '%s'", path);
        close(fd);
        return -1;
    }
    return fd;
}

static void
qemuHotplugChardevRemove(virDomainObj *obj, const char *id)
{
    g_autoptr(json_object) args = json_object_new_object();
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    json_object_object_add(args, "id", json_object_new_string(id));
    if (qemuHotplugMonitor(obj, "chardev-remove", args, NULL) < 0)
        g_debug("chardev-remove %s: %s", id, virGetLastErrorMessage());
    virErrorRestore(&saved);
}

int
qemuHotplugAttachChannelLive(qemuDriver *driver, virDomainObj *obj,
                             virDomainChannelDef **chanp)
{
    virDomainChannelDef *chan = *chanp;
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    g_autoptr(json_object) chardev = NULL;
    g_autoptr(json_object) backend = NULL;
    g_autoptr(json_object) data = NULL;
    g_autoptr(json_object) dev = NULL;
    g_autoptr(json_object) reply = NULL;
    g_autofree char *alias = NULL;
    g_autofree char *charId = NULL;
    g_autofree char *fdname = NULL;
    g_autofree char *bus = NULL;
    g_autofree char *ptyPath = NULL;
    bool generated = false;
    int controller = MAX(chan->vsController, 0);
    int next = 0;
    int port = chan->vsPort;
    int fd = -1;
    int ret = -1;

    if (chan->spicevmc) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "hotplug of a spicevmc channel is not supported by virtkit");
        return -1;
    }
    /* libvirt's order: a controller to plug into, then the duplicate */
    if (!qemuHotplugHasVirtioSerial(obj->def, controller)) {
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_INTERNAL_ERROR, __func__, "%s",
                           "no virtio-serial controllers are available");
        return -1;
    }
    if (chan->unixSocket && !chan->connect && !chan->path && priv->libDir) {
        /* as at start (qemuDomainPrepareChannelPaths): in the run's dir */
        chan->path =
            chan->targetName
                ? g_strdup_printf("%s/%s", priv->libDir, chan->targetName)
                : g_strdup_printf("%s/channel%zu", priv->libDir, obj->def->nchannels);
        generated = true;
    }
    for (size_t i = 0; i < obj->def->nchannels; i++) {
        const virDomainChannelDef *o = obj->def->channels[i];
        char buf[32];
        int n;

        if (qemuHotplugChannelEquals(o, chan)) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s", "chardev already exists");
            goto cleanup;
        }
        if (sscanf(qemuHotplugChannelAlias(obj->def, i, buf, sizeof(buf)), "channel%d",
                   &n) == 1 &&
            n >= next)
            next = n + 1;
    }
    if (port <= 0) {
        /* libvirt's: the lowest free port of the controller's bus 0, from 1 */
        bool used = true;

        for (port = 1; used; port += used) {
            used = false;
            for (size_t i = 0; i < obj->def->nchannels && !used; i++) {
                const virDomainChannelDef *o = obj->def->channels[i];

                used = MAX(o->vsController, 0) == controller && MAX(o->vsBus, 0) == 0 &&
                       o->vsPort == port;
            }
        }
    } else {
        for (size_t i = 0; i < obj->def->nchannels; i++) {
            const virDomainChannelDef *o = obj->def->channels[i];

            if (MAX(o->vsController, 0) == controller &&
                MAX(o->vsBus, 0) == MAX(chan->vsBus, 0) && o->vsPort == port) {
                virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, __func__,
                                   "virtio serial port %d on controller %d is already "
                                   "occupied",
                                   port, controller);
                goto cleanup;
            }
        }
    }
    alias = g_strdup_printf("channel%d", next);
    charId = g_strdup_printf("char%s", alias);

    /* the host side: as libvirt, a bind socket is ours, handed over by
     * descriptor (QEMU's user needs no access to the run's dir) */
    data = json_object_new_object();
    backend = json_object_new_object();
    if (!chan->unixSocket) {
        json_object_object_add(backend, "type", json_object_new_string("pty"));
    } else {
        json_object *addr = json_object_new_object();
        json_object *adata = json_object_new_object();

        if (!chan->connect) {
            if (!chan->path) {
                virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                               "no path for the channel's socket");
                json_object_put(addr);
                json_object_put(adata);
                goto cleanup;
            }
            if ((fd = qemuHotplugChannelListen(chan->path)) < 0) {
                json_object_put(addr);
                json_object_put(adata);
                goto cleanup;
            }
            fdname = g_strdup_printf("%s-source", alias);
            if (qemuMonitorSendFileHandle(priv->mon, fdname, fd,
                                          QEMU_MONITOR_TIMEOUT_MS) < 0) {
                json_object_put(addr);
                json_object_put(adata);
                goto cleanup;
            }
            json_object_object_add(addr, "type", json_object_new_string("fd"));
            json_object_object_add(adata, "str", json_object_new_string(fdname));
        } else {
            json_object_object_add(addr, "type", json_object_new_string("unix"));
            json_object_object_add(adata, "path", json_object_new_string(chan->path));
        }
        json_object_object_add(addr, "data", adata);
        json_object_object_add(data, "addr", addr);
        json_object_object_add(data, "wait", json_object_new_boolean(0));
        json_object_object_add(data, "server", json_object_new_boolean(!chan->connect));
        json_object_object_add(backend, "type", json_object_new_string("socket"));
    }
    json_object_object_add(backend, "data", json_object_get(data));
    chardev = json_object_new_object();
    json_object_object_add(chardev, "id", json_object_new_string(charId));
    json_object_object_add(chardev, "backend", json_object_get(backend));
    if (qemuHotplugMonitor(obj, "chardev-add", chardev, &reply) < 0)
        goto cleanup;
    if (!chan->unixSocket) {
        json_object *pty = NULL;

        if (json_object_object_get_ex(reply, "pty", &pty))
            ptyPath = g_strdup(json_object_get_string(pty));
    }

    bus = g_strdup_printf("virtio-serial%d.0", controller);
    dev = json_object_new_object();
    json_object_object_add(dev, "driver", json_object_new_string("virtserialport"));
    json_object_object_add(dev, "bus", json_object_new_string(bus));
    json_object_object_add(dev, "nr", json_object_new_int(port));
    json_object_object_add(dev, "chardev", json_object_new_string(charId));
    json_object_object_add(dev, "id", json_object_new_string(alias));
    if (chan->targetName)
        json_object_object_add(dev, "name", json_object_new_string(chan->targetName));
    if (qemuHotplugMonitor(obj, "device_add", dev, NULL) < 0) {
        if (virDomainObjIsActive(obj))
            qemuHotplugChardevRemove(obj, charId);
        goto cleanup;
    }

    chan->vsController = controller;
    chan->vsBus = MAX(chan->vsBus, 0);
    chan->vsPort = port;
    chan->pathGenerated = chan->pathGenerated || generated;
    if (ptyPath) {
        g_free(chan->path);
        chan->path = g_steal_pointer(&ptyPath);
    }
    g_free(chan->alias);
    chan->alias = g_steal_pointer(&alias);
    qemuHotplugAppendChannel(obj->def, chan);
    *chanp = NULL;
    generated = false;
    virObjectEventStateQueue(
        driver->events, virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                                VIR_DOMAIN_EVENT_OBJ(obj), chan->alias));
    qemuDomainSaveStatus(driver, obj);
    ret = 0;

cleanup:
    if (fd >= 0)
        close(fd);
    if (ret < 0 && chan->unixSocket && !chan->connect && chan->path && fd >= 0)
        unlink(chan->path);
    if (generated)
        g_clear_pointer(&chan->path, g_free);
    return ret;
}

int
qemuHotplugDetachChannelLive(qemuDriver *driver, virDomainObj *obj, size_t idx)
{
    char buf[32];
    g_autofree char *alias =
        g_strdup(qemuHotplugChannelAlias(obj->def, idx, buf, sizeof(buf)));
    int rc;

    if ((rc = qemuHotplugDeviceDel(obj, alias)) < 0)
        return -1;
    if (rc == 1) {
        ssize_t now = qemuHotplugFindChannelAlias(obj->def, alias);

        if (now >= 0)
            qemuHotplugRemoveChannelLive(driver, obj, (size_t)now);
    }
    return 0;
}

void
qemuHotplugRemoveChannelLive(qemuDriver *driver, virDomainObj *obj, size_t idx)
{
    virDomainChannelDef *chan = obj->def->channels[idx];
    qemuDomainObjPrivate *priv = qemuDomainPriv(obj);
    char buf[32];
    g_autofree char *alias =
        g_strdup(qemuHotplugChannelAlias(obj->def, idx, buf, sizeof(buf)));
    g_autofree char *charId = g_strdup_printf("char%s", alias);

    if (virDomainObjIsActive(obj))
        qemuHotplugChardevRemove(obj, charId);
    /* a socket file the driver named (in the run's directory) goes with
     * it; one at the user's path stays, as libvirt */
    if (chan->unixSocket && !chan->connect && chan->path && priv->libDir &&
        g_str_has_prefix(chan->path, priv->libDir) &&
        chan->path[strlen(priv->libDir)] == '/' && unlink(chan->path) < 0 &&
        errno != ENOENT)
        g_debug("cannot remove '%s': %s", chan->path, g_strerror(errno));
    for (size_t i = 0; i < obj->def->nchannels; i++) {
        if (obj->def->channels[i] == chan) {
            qemuHotplugRemoveChannel(obj->def, i);
            break;
        }
    }
    /* told before the status reaches the disk, as libvirt */
    virObjectEventStateQueue(driver->events,
                             virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                                                     VIR_DOMAIN_EVENT_OBJ(obj), alias));
    if (virDomainObjIsActive(obj))
        qemuDomainSaveStatus(driver, obj);
}
