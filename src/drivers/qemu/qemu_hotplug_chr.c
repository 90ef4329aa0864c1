/* qemu_hotplug_chr.c: character devices plugged into and out of a running guest and its definition: virtio-serial channels (unix and pty, the guest agent's among them), virtio consoles, serials */

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
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "domain_event.h"
#include "qemu_command.h"
#include "qemu_driver_priv.h"
#include "qemu_hotplug.h"
#include "qemu_monitor.h"
#include "qemu_process.h"
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
        a->vdagent != b->vdagent || g_strcmp0(a->targetName, b->targetName) != 0 ||
        g_strcmp0(a->path, b->path) != 0)
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

    if (chan->spicevmc || chan->vdagent) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "hotplug of a %s channel is not supported by virtkit",
                       chan->spicevmc ? "spicevmc" : "qemu-vdagent");
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
            if ((fd = qemuProcessListenUnix(chan->path)) < 0) {
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
            qemuHotplugMonitorQuiet(obj, "chardev-remove", charId);
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
        qemuHotplugMonitorQuiet(obj, "chardev-remove", charId);
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

/* ---- serials and consoles ------------------------------------------------ */

const char *
qemuHotplugChrAlias(const virDomainDef *def, const virDomainChrDef *chr, char *buf,
                    size_t size)
{
    virDomainChrDef *const *list =
        chr->deviceType == VIR_DOMAIN_CHR_DEVICE_SERIAL ? def->serials : def->consoles;
    size_t n =
        chr->deviceType == VIR_DOMAIN_CHR_DEVICE_SERIAL ? def->nserials : def->nconsoles;

    if (chr->alias)
        return chr->alias;
    for (size_t i = 0; i < n; i++) {
        if (list[i] == chr) {
            g_snprintf(buf, size, "%s%zu",
                       chr->deviceType == VIR_DOMAIN_CHR_DEVICE_SERIAL ? "serial"
                                                                       : "console",
                       i);
            return buf;
        }
    }
    g_snprintf(buf, size, "%s", "");
    return buf;
}

/* The serial console mirroring serial 0 (libvirt's compatibility
 * console): never a device of its own. */
static bool
qemuHotplugIsCompatConsole(const virDomainDef *def, size_t idx)
{
    return idx == 0 && def->nconsoles > 0 &&
           def->consoles[0]->targetType == VIR_DOMAIN_CHR_TARGET_SERIAL;
}

ssize_t
qemuHotplugFindChrAlias(const virDomainDef *def, const char *alias, bool *console)
{
    char buf[32];

    for (size_t i = 0; i < def->nserials; i++) {
        if (strcmp(qemuHotplugChrAlias(def, def->serials[i], buf, sizeof(buf)), alias) ==
            0) {
            *console = false;
            return (ssize_t)i;
        }
    }
    for (size_t i = 0; i < def->nconsoles; i++) {
        if (qemuHotplugIsCompatConsole(def, i))
            continue;
        if (strcmp(qemuHotplugChrAlias(def, def->consoles[i], buf, sizeof(buf)), alias) ==
            0) {
            *console = true;
            return (ssize_t)i;
        }
    }
    return -1;
}

/* The target type a definition holds for @chr once post-parsed: a serial
 * without one is an isa-serial, a console without one a serial console. */
static int
qemuHotplugChrTargetType(const virDomainChrDef *chr)
{
    if (chr->targetType != VIR_DOMAIN_CHR_TARGET_NONE)
        return chr->targetType;
    return chr->deviceType == VIR_DOMAIN_CHR_DEVICE_SERIAL
               ? VIR_DOMAIN_CHR_TARGET_ISA_SERIAL
               : VIR_DOMAIN_CHR_TARGET_SERIAL;
}

/* libvirt's virDomainChrEquals for serials and consoles: the kind, the
 * target type and port, the source type and its path, mode, hosts and
 * services. */
static bool
qemuHotplugChrEquals(const virDomainChrDef *a, const virDomainChrDef *b)
{
    return a->deviceType == b->deviceType &&
           qemuHotplugChrTargetType(a) == qemuHotplugChrTargetType(b) &&
           a->targetPort == b->targetPort && a->type == b->type &&
           g_strcmp0(a->path, b->path) == 0 && a->listen == b->listen &&
           g_strcmp0(a->host, b->host) == 0 && g_strcmp0(a->service, b->service) == 0 &&
           g_strcmp0(a->bindHost, b->bindHost) == 0 &&
           g_strcmp0(a->bindService, b->bindService) == 0;
}

ssize_t
qemuHotplugFindChr(const virDomainDef *def, const virDomainChrDef *match, bool live)
{
    virDomainChrDef *const *list =
        match->deviceType == VIR_DOMAIN_CHR_DEVICE_SERIAL ? def->serials : def->consoles;
    size_t n = match->deviceType == VIR_DOMAIN_CHR_DEVICE_SERIAL ? def->nserials
                                                                 : def->nconsoles;

    for (size_t i = 0; i < n; i++) {
        if ((!live || match->deviceType == VIR_DOMAIN_CHR_DEVICE_SERIAL ||
             !qemuHotplugIsCompatConsole(def, i)) &&
            qemuHotplugChrEquals(list[i], match))
            return (ssize_t)i;
    }
    if (live)
        virReportError(VIR_ERR_DEVICE_MISSING,
                       "chr type '%s' device not present in domain configuration",
                       match->deviceType == VIR_DOMAIN_CHR_DEVICE_SERIAL ? "serial"
                                                                         : "console");
    else
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "device not present in domain configuration");
    return -1;
}

int
qemuHotplugChrFromXML(const char *xml, virDomainChrDef *chr)
{
    xmlDocPtr doc =
        xmlReadMemory(xml, (int)strlen(xml), NULL, NULL,
                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;

    chr->targetPort = -1;
    for (xmlNodePtr cur = root ? root->children : NULL; cur; cur = cur->next) {
        xmlChar *val;

        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(cur->name, BAD_CAST "target") &&
            (val = xmlGetProp(cur, BAD_CAST "port"))) {
            /* (the parser checked it) */
            chr->targetPort = (int)g_ascii_strtoll((const char *)val, NULL, 10);
            xmlFree(val);
        } else if (xmlStrEqual(cur->name, BAD_CAST "source") &&
                   chr->type == VIR_DOMAIN_CHR_TYPE_PTY && !chr->path &&
                   (val = xmlGetProp(cur, BAD_CAST "path"))) {
            if (*val)
                chr->path = g_strdup((const char *)val);
            xmlFree(val);
        }
    }
    if (doc)
        xmlFreeDoc(doc);
    return chr->targetPort;
}

void
qemuHotplugChrAssignPort(const virDomainDef *def, virDomainChrDef *chr, bool live)
{
    virDomainChrDef *const *list =
        chr->deviceType == VIR_DOMAIN_CHR_DEVICE_SERIAL ? def->serials : def->consoles;
    size_t n =
        chr->deviceType == VIR_DOMAIN_CHR_DEVICE_SERIAL ? def->nserials : def->nconsoles;
    int maxport = -1;

    if (chr->targetPort >= 0)
        return;
    /* libvirt: one above every port of the kind; the running guest's
     * serial console does not count for a console plugged in live */
    for (size_t i = 0; i < n; i++) {
        if (live && chr->deviceType == VIR_DOMAIN_CHR_DEVICE_CONSOLE &&
            qemuHotplugIsCompatConsole(def, i))
            continue;
        maxport = MAX(maxport, list[i]->targetPort);
    }
    chr->targetPort = maxport + 1;
}

static void
qemuHotplugChrInsert(virDomainChrDef ***list, size_t *n, size_t pos, virDomainChrDef *chr)
{
    *list = g_renew(virDomainChrDef *, *list, *n + 2);
    memmove(*list + pos + 1, *list + pos, (*n - pos) * sizeof(**list));
    (*list)[pos] = chr;
    (*n)++;
    (*list)[*n] = NULL;
}

static virDomainChrDef *
qemuHotplugChrSteal(virDomainChrDef **list, size_t *n, size_t idx)
{
    virDomainChrDef *chr = list[idx];

    memmove(list + idx, list + idx + 1, (*n - idx) * sizeof(*list));
    (*n)--;
    return chr;
}

int
qemuHotplugAttachChrConfig(virDomainDef *def, virDomainChrDef **chrp)
{
    virDomainChrDef *chr = *chrp;
    bool console = chr->deviceType == VIR_DOMAIN_CHR_DEVICE_CONSOLE;

    if (console && qemuHotplugChrTargetType(chr) == VIR_DOMAIN_CHR_TARGET_SERIAL) {
        virReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                       "attaching serial console is not supported");
        return -1;
    }
    qemuHotplugChrAssignPort(def, chr, false);
    for (size_t i = 0; i < (console ? def->nconsoles : def->nserials); i++) {
        if (qemuHotplugChrEquals(console ? def->consoles[i] : def->serials[i], chr)) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s", "chardev already exists");
            return -1;
        }
    }
    if (console) {
        qemuHotplugChrInsert(&def->consoles, &def->nconsoles, def->nconsoles, chr);
    } else {
        /* libvirt's compatibility console comes with the first serial */
        if (def->nserials == 0 && def->nconsoles == 0) {
            virDomainChrDef *compat = g_new0(virDomainChrDef, 1);

            compat->deviceType = VIR_DOMAIN_CHR_DEVICE_CONSOLE;
            compat->type = chr->type;
            compat->path = g_strdup(chr->path);
            compat->targetType = VIR_DOMAIN_CHR_TARGET_SERIAL;
            compat->targetPort = chr->targetPort;
            qemuHotplugChrInsert(&def->consoles, &def->nconsoles, 0, compat);
        }
        qemuHotplugChrInsert(&def->serials, &def->nserials, def->nserials, chr);
    }
    *chrp = NULL;
    return 0;
}

int
qemuHotplugDetachChrConfig(virDomainDef *def, const virDomainChrDef *match)
{
    ssize_t idx;

    if (match->deviceType == VIR_DOMAIN_CHR_DEVICE_CONSOLE &&
        qemuHotplugChrTargetType(match) == VIR_DOMAIN_CHR_TARGET_SERIAL) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "detaching serial console is not supported");
        return -1;
    }
    if ((idx = qemuHotplugFindChr(def, match, false)) < 0)
        return -1;
    if (match->deviceType == VIR_DOMAIN_CHR_DEVICE_CONSOLE) {
        virDomainChrDefFree(qemuHotplugChrSteal(def->consoles, &def->nconsoles, idx));
        return 0;
    }
    /* serial 0 takes its compatibility console along */
    if (idx == 0 && qemuHotplugIsCompatConsole(def, 0))
        virDomainChrDefFree(qemuHotplugChrSteal(def->consoles, &def->nconsoles, 0));
    virDomainChrDefFree(qemuHotplugChrSteal(def->serials, &def->nserials, idx));
    return 0;
}

/* The next free "serialN" / "consoleN" of @def (the compatibility console
 * is console0). */
static char *
qemuHotplugChrNextAlias(const virDomainDef *def, bool console)
{
    const char *prefix = console ? "console" : "serial";
    size_t n = console ? def->nconsoles : def->nserials;
    int next = console && def->nconsoles > 0 ? 1 : 0;

    for (size_t i = 0; i < n; i++) {
        virDomainChrDef *c = console ? def->consoles[i] : def->serials[i];
        char buf[32];
        const char *a = qemuHotplugChrAlias(def, c, buf, sizeof(buf));
        int k;

        if (g_str_has_prefix(a, prefix) && sscanf(a + strlen(prefix), "%d", &k) == 1 &&
            k >= next)
            next = k + 1;
    }
    return g_strdup_printf("%s%d", prefix, next);
}

/* Each serial and virtio console keeps the id it has now, so that one
 * taken out of the lists moves nobody's (ids by position otherwise). */
static void
qemuHotplugChrKeepAliases(virDomainDef *def)
{
    char buf[32];

    for (size_t i = 0; i < def->nserials; i++) {
        if (!def->serials[i]->alias)
            def->serials[i]->alias =
                g_strdup(qemuHotplugChrAlias(def, def->serials[i], buf, sizeof(buf)));
    }
    for (size_t i = 0; i < def->nconsoles; i++) {
        if (def->consoles[i]->alias)
            continue;
        /* the serial console shows its serial's (libvirt's live XML) */
        if (qemuHotplugIsCompatConsole(def, i))
            def->consoles[i]->alias =
                def->nserials ? g_strdup(def->serials[0]->alias) : NULL;
        else
            def->consoles[i]->alias =
                g_strdup(qemuHotplugChrAlias(def, def->consoles[i], buf, sizeof(buf)));
    }
}

int
qemuHotplugAttachChrLive(qemuDriver *driver, virDomainObj *obj, virDomainChrDef **chrp)
{
    virDomainChrDef *chr = *chrp;
    virDomainDef *def = obj->def;
    bool console = chr->deviceType == VIR_DOMAIN_CHR_DEVICE_CONSOLE;
    g_autoptr(json_object) chardev = NULL;
    g_autoptr(json_object) backend = NULL;
    g_autoptr(json_object) data = NULL;
    g_autoptr(json_object) dev = NULL;
    g_autoptr(json_object) reply = NULL;
    g_autofree char *alias = NULL;
    g_autofree char *charId = NULL;
    int controller = -1;

    if (console && qemuHotplugChrTargetType(chr) != VIR_DOMAIN_CHR_TARGET_VIRTIO) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "unsupported console target type serial");
        return -1;
    }
    /* chardev-add is built here for these three only: a dev, tcp, udp
     * or unix host side is honoured at start, refused on a live guest */
    if (chr->type != VIR_DOMAIN_CHR_TYPE_PTY && chr->type != VIR_DOMAIN_CHR_TYPE_FILE &&
        chr->type != VIR_DOMAIN_CHR_TYPE_NULL) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "hotplug of a character device of type '%s' is not supported by "
                       "virtkit",
                       virDomainChrTypeToString(chr->type));
        return -1;
    }
    qemuHotplugChrAssignPort(def, chr, true);
    for (size_t i = 0; i < (console ? def->nconsoles : def->nserials); i++) {
        if (qemuHotplugChrEquals(console ? def->consoles[i] : def->serials[i], chr)) {
            virReportError(VIR_ERR_OPERATION_INVALID, "%s", "chardev already exists");
            return -1;
        }
    }
    if (console) {
        for (size_t i = 0; i < def->ncontrollers && controller < 0; i++) {
            if (def->controllers[i]->type == VIR_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL)
                controller = def->controllers[i]->idx;
        }
        if (controller < 0) {
            virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_INTERNAL_ERROR, __func__, "%s",
                               "no virtio-serial controllers are available");
            return -1;
        }
    } else {
        if (chr->targetPort > 3) {
            virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_INTERNAL_ERROR, __func__, "%s",
                               "Maximum supported number of ISA serial ports is '4'");
            return -1;
        }
        chr->targetType = VIR_DOMAIN_CHR_TARGET_ISA_SERIAL;
        if (!chr->targetModel)
            chr->targetModel = g_strdup("isa-serial");
    }
    alias = qemuHotplugChrNextAlias(def, console);
    charId = g_strdup_printf("char%s", alias);

    /* the host side */
    data = json_object_new_object();
    backend = json_object_new_object();
    if (chr->type == VIR_DOMAIN_CHR_TYPE_PTY) {
        json_object_object_add(backend, "type", json_object_new_string("pty"));
    } else if (chr->type == VIR_DOMAIN_CHR_TYPE_FILE) {
        json_object_object_add(backend, "type", json_object_new_string("file"));
        json_object_object_add(data, "out", json_object_new_string(chr->path));
        if (chr->append)
            json_object_object_add(
                data, "append",
                json_object_new_boolean(chr->append == VIR_DOMAIN_TRISTATE_ON));
    } else {
        json_object_object_add(backend, "type", json_object_new_string("null"));
    }
    /* QEMU opens the files of a device plugged in live (as a 'file' one's) */
    if (chr->logFile) {
        json_object_object_add(data, "logfile", json_object_new_string(chr->logFile));
        if (chr->logAppend)
            json_object_object_add(
                data, "logappend",
                json_object_new_boolean(chr->logAppend == VIR_DOMAIN_TRISTATE_ON));
    }
    json_object_object_add(backend, "data", json_object_get(data));
    chardev = json_object_new_object();
    json_object_object_add(chardev, "id", json_object_new_string(charId));
    json_object_object_add(chardev, "backend", json_object_get(backend));
    if (qemuHotplugMonitor(obj, "chardev-add", chardev, &reply) < 0)
        return -1;

    /* the guest side: QEMU numbers a virtconsole's port as libvirt does
     * (0 when free, else the lowest free one) */
    dev = json_object_new_object();
    if (console) {
        g_autofree char *bus = g_strdup_printf("virtio-serial%d.0", controller);

        json_object_object_add(dev, "driver", json_object_new_string("virtconsole"));
        json_object_object_add(dev, "bus", json_object_new_string(bus));
    } else {
        json_object_object_add(dev, "driver", json_object_new_string("isa-serial"));
        json_object_object_add(dev, "index", json_object_new_int(chr->targetPort));
    }
    json_object_object_add(dev, "chardev", json_object_new_string(charId));
    json_object_object_add(dev, "id", json_object_new_string(alias));
    if (qemuHotplugMonitor(obj, "device_add", dev, NULL) < 0) {
        if (virDomainObjIsActive(obj))
            qemuHotplugMonitorQuiet(obj, "chardev-remove", charId);
        return -1;
    }

    if (chr->type == VIR_DOMAIN_CHR_TYPE_PTY) {
        json_object *pty = NULL;

        g_clear_pointer(&chr->path, g_free);
        if (json_object_object_get_ex(reply, "pty", &pty))
            chr->path = g_strdup(json_object_get_string(pty));
    }
    g_free(chr->alias);
    chr->alias = g_steal_pointer(&alias);
    if (console)
        qemuHotplugChrInsert(&def->consoles, &def->nconsoles, def->nconsoles, chr);
    else
        qemuHotplugChrInsert(&def->serials, &def->nserials, def->nserials, chr);
    *chrp = NULL;
    virObjectEventStateQueue(
        driver->events, virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                                VIR_DOMAIN_EVENT_OBJ(obj), chr->alias));
    qemuDomainSaveStatus(driver, obj);
    return 0;
}

int
qemuHotplugDetachChrLive(qemuDriver *driver, virDomainObj *obj, bool console, size_t idx)
{
    virDomainChrDef *chr = console ? obj->def->consoles[idx] : obj->def->serials[idx];
    char buf[32];
    g_autofree char *alias =
        g_strdup(qemuHotplugChrAlias(obj->def, chr, buf, sizeof(buf)));
    int rc;

    if ((rc = qemuHotplugDeviceDel(obj, alias)) < 0)
        return -1;
    if (rc == 1) {
        bool isConsole = false;
        ssize_t now = qemuHotplugFindChrAlias(obj->def, alias, &isConsole);

        if (now >= 0)
            qemuHotplugRemoveChrLive(driver, obj, isConsole, (size_t)now);
    }
    return 0;
}

void
qemuHotplugRemoveChrLive(qemuDriver *driver, virDomainObj *obj, bool console, size_t idx)
{
    virDomainDef *def = obj->def;
    virDomainChrDef *chr;
    char buf[32];
    g_autofree char *alias = NULL;
    g_autofree char *charId = NULL;

    /* the others keep their ids once this one is out of the lists */
    qemuHotplugChrKeepAliases(def);
    chr = console ? def->consoles[idx] : def->serials[idx];
    alias = g_strdup(qemuHotplugChrAlias(def, chr, buf, sizeof(buf)));
    charId = g_strdup_printf("char%s", alias);
    if (virDomainObjIsActive(obj))
        qemuHotplugMonitorQuiet(obj, "chardev-remove", charId);
    if (console) {
        virDomainChrDefFree(qemuHotplugChrSteal(def->consoles, &def->nconsoles, idx));
    } else {
        if (idx == 0 && qemuHotplugIsCompatConsole(def, 0))
            virDomainChrDefFree(qemuHotplugChrSteal(def->consoles, &def->nconsoles, 0));
        virDomainChrDefFree(qemuHotplugChrSteal(def->serials, &def->nserials, idx));
    }
    virObjectEventStateQueue(driver->events,
                             virDomainEventDeviceNew(VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                                                     VIR_DOMAIN_EVENT_OBJ(obj), alias));
    if (virDomainObjIsActive(obj))
        qemuDomainSaveStatus(driver, obj);
}
