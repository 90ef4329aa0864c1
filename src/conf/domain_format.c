/* domain_format.c: virDomainDef -> libvirt's canonical domain XML */

#define G_LOG_DOMAIN "virtkit.conf.format"

#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "netdev_bandwidth_conf.h"
#include "domain_conf_priv.h"
#include "domain_vcpu_conf.h"
#include "viruuid.h"


void
virDomainXMLEscape(GString *buf, const char *str)
{
    for (const char *p = str; *p; p++) {
        unsigned char c = *p;

        switch (c) {
        case '<':
            g_string_append(buf, "&lt;");
            break;
        case '>':
            g_string_append(buf, "&gt;");
            break;
        case '&':
            g_string_append(buf, "&amp;");
            break;
        case '"':
            g_string_append(buf, "&quot;");
            break;
        case '\'':
            g_string_append(buf, "&apos;");
            break;
        default:
            /* libvirt drops control characters XML 1.0 cannot carry */
            if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r')
                g_string_append_c(buf, c);
        }
    }
}

void
virDomainXMLEscapeBetween(GString *buf, const char *before, const char *value,
                          const char *after)
{
    g_string_append(buf, before);
    virDomainXMLEscape(buf, value);
    g_string_append(buf, after);
}

typedef struct {
    GString *buf;
    int indent;
} fmtCtx;

static void G_GNUC_PRINTF(2, 3) line(fmtCtx *ctx, const char *fmt, ...)
{
    va_list ap;

    for (int i = 0; i < ctx->indent; i++)
        g_string_append_c(ctx->buf, ' ');
    va_start(ap, fmt);
    g_string_append_vprintf(ctx->buf, fmt, ap);
    va_end(ap);
    g_string_append_c(ctx->buf, '\n');
}

static void
lineStart(fmtCtx *ctx, const char *text)
{
    for (int i = 0; i < ctx->indent; i++)
        g_string_append_c(ctx->buf, ' ');
    g_string_append(ctx->buf, text);
}

/* "  <tag>escaped text</tag>" */
static void
textElement(fmtCtx *ctx, const char *tag, const char *text)
{
    if (!text)
        return;
    for (int i = 0; i < ctx->indent; i++)
        g_string_append_c(ctx->buf, ' ');
    g_string_append_printf(ctx->buf, "<%s>", tag);
    virDomainXMLEscape(ctx->buf, text);
    g_string_append_printf(ctx->buf, "</%s>\n", tag);
}

/* " name='escaped'" */
static void
attr(GString *buf, const char *name, const char *value)
{
    if (!value)
        return;
    g_string_append_printf(buf, " %s='", name);
    virDomainXMLEscape(buf, value);
    g_string_append_c(buf, '\'');
}

static void
formatAddress(fmtCtx *ctx, const virDomainDeviceAddress *addr)
{
    virDomainDeviceAddressFormat(ctx->buf, ctx->indent, addr);
}

/* libvirt's <mirror> of a disk in a block copy or active commit (live) */
static void
formatDiskMirror(fmtCtx *ctx, const virDomainDiskDef *disk)
{
    static const char *const readyNames[] = { NULL, "yes", "abort", "pivot" };
    const char *fmt = disk->mirrorFormat != VIR_STORAGE_FORMAT_NONE
                          ? virStorageFormatNames[disk->mirrorFormat]
                          : NULL;
    bool copy = disk->mirrorJob == VIR_DOMAIN_BLOCK_JOB_TYPE_COPY;

    bool block = disk->mirrorType == VIR_DOMAIN_DISK_TYPE_BLOCK;

    lineStart(ctx, block ? "<mirror type='block'" : "<mirror type='file'");
    if (copy && !block) {
        attr(ctx->buf, "file", disk->mirrorSrc);
        attr(ctx->buf, "format", fmt);
    }
    attr(ctx->buf, "job", copy ? "copy" : "active-commit");
    if (disk->mirrorReady > 0 && disk->mirrorReady < VIR_DOMAIN_DISK_MIRROR_STATE_LAST)
        attr(ctx->buf, "ready", readyNames[disk->mirrorReady]);
    g_string_append(ctx->buf, ">\n");
    ctx->indent += 2;
    if (fmt)
        line(ctx, "<format type='%s'/>", fmt);
    lineStart(ctx, "<source");
    attr(ctx->buf, block ? "dev" : "file", disk->mirrorSrc);
    g_string_append(ctx->buf, "/>\n");
    ctx->indent -= 2;
    line(ctx, "</mirror>");
}

/* <iotune> in libvirt's order: the limits, their bursts, size_iops_sec,
 * group_name, the burst lengths; zero is unset */
static void
formatDiskIoTune(fmtCtx *ctx, const virDomainBlockIoTuneInfo *t)
{
    if (!virDomainBlockIoTuneIsSet(t))
        return;
    line(ctx, "<iotune>");
    ctx->indent += 2;
    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST; i++) {
        if (t->base[i])
            line(ctx, "<%s>%llu</%s>", virDomainIoTuneNames[i], t->base[i],
                 virDomainIoTuneNames[i]);
    }
    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST; i++) {
        if (t->max[i])
            line(ctx, "<%s_max>%llu</%s_max>", virDomainIoTuneNames[i], t->max[i],
                 virDomainIoTuneNames[i]);
    }
    if (t->sizeIops)
        line(ctx, "<size_iops_sec>%llu</size_iops_sec>", t->sizeIops);
    textElement(ctx, "group_name", t->groupName);
    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST; i++) {
        if (t->maxLen[i])
            line(ctx, "<%s_max_length>%llu</%s_max_length>", virDomainIoTuneNames[i],
                 t->maxLen[i], virDomainIoTuneNames[i]);
    }
    ctx->indent -= 2;
    line(ctx, "</iotune>");
}

static void
formatDisk(fmtCtx *ctx, const virDomainDiskDef *disk, unsigned int flags)
{
    size_t srcStart;

    line(ctx, "<disk type='%s' device='%s'>", virDomainDiskTypeNames[disk->type],
         virDomainDiskDeviceNames[disk->device]);
    ctx->indent += 2;
    if (disk->driverName || disk->format != VIR_STORAGE_FORMAT_NONE ||
        disk->cache != VIR_DOMAIN_DISK_CACHE_DEFAULT || disk->io || disk->discard ||
        disk->detectZeroes || disk->ioeventfd || disk->eventIdx || disk->iothread ||
        disk->errorPolicy || disk->rerrorPolicy || disk->queues || disk->queueSize ||
        disk->metadataCacheMaxSize || virDomainVirtioOptionsIsSet(&disk->virtio)) {
        lineStart(ctx, "<driver");
        attr(ctx->buf, "name", disk->driverName);
        if (disk->format != VIR_STORAGE_FORMAT_NONE)
            attr(ctx->buf, "type", virStorageFormatNames[disk->format]);
        if (disk->cache != VIR_DOMAIN_DISK_CACHE_DEFAULT)
            attr(ctx->buf, "cache", virDomainDiskCacheNames[disk->cache]);
        if (disk->errorPolicy)
            attr(ctx->buf, "error_policy",
                 virDomainDiskErrorPolicyNames[disk->errorPolicy]);
        if (disk->rerrorPolicy)
            attr(ctx->buf, "rerror_policy",
                 virDomainDiskErrorPolicyNames[disk->rerrorPolicy]);
        if (disk->io)
            attr(ctx->buf, "io", virDomainDiskIoNames[disk->io]);
        if (disk->ioeventfd)
            attr(ctx->buf, "ioeventfd", virDomainTristateSwitchToString(disk->ioeventfd));
        if (disk->eventIdx)
            attr(ctx->buf, "event_idx", virDomainTristateSwitchToString(disk->eventIdx));
        if (disk->discard)
            attr(ctx->buf, "discard", virDomainDiskDiscardNames[disk->discard]);
        if (disk->iothread)
            g_string_append_printf(ctx->buf, " iothread='%u'", disk->iothread);
        if (disk->detectZeroes)
            attr(ctx->buf, "detect_zeroes",
                 virDomainDiskDetectZeroesNames[disk->detectZeroes]);
        if (disk->queues)
            g_string_append_printf(ctx->buf, " queues='%u'", disk->queues);
        if (disk->queueSize)
            g_string_append_printf(ctx->buf, " queue_size='%u'", disk->queueSize);
        virDomainVirtioOptionsFormat(ctx->buf, &disk->virtio);
        if (disk->metadataCacheMaxSize) {
            g_string_append(ctx->buf, ">\n");
            ctx->indent += 2;
            line(ctx, "<metadata_cache>");
            ctx->indent += 2;
            line(ctx, "<max_size unit='bytes'>%llu</max_size>",
                 disk->metadataCacheMaxSize);
            ctx->indent -= 2;
            line(ctx, "</metadata_cache>");
            ctx->indent -= 2;
            line(ctx, "</driver>");
        } else {
            g_string_append(ctx->buf, "/>\n");
        }
    }
    if (disk->auth && !disk->authInSource)
        virDomainDiskAuthFormat(ctx->buf, ctx->indent, disk->auth);
    srcStart = ctx->buf->len + (size_t)ctx->indent;
    if (disk->net) {
        virDomainDiskNetSourceFormat(ctx->buf, ctx->indent, disk, flags);
    } else if ((disk->type == VIR_DOMAIN_DISK_TYPE_VOLUME && disk->srcPool) ||
               (disk->type != VIR_DOMAIN_DISK_TYPE_VOLUME && disk->src) ||
               (disk->encryption && !disk->encryptionInDisk)) {
        lineStart(ctx, "<source");
        if (disk->type == VIR_DOMAIN_DISK_TYPE_VOLUME) {
            attr(ctx->buf, "pool", disk->srcPool);
            attr(ctx->buf, "volume", disk->srcVolume);
        } else {
            attr(ctx->buf, disk->type == VIR_DOMAIN_DISK_TYPE_BLOCK ? "dev" : "file",
                 disk->src);
        }
        if (disk->encryption && !disk->encryptionInDisk) {
            g_string_append(ctx->buf, ">\n");
            virStorageEncryptionFormat(ctx->buf, ctx->indent + 2, disk->encryption);
            line(ctx, "</source>");
        } else {
            g_string_append(ctx->buf, "/>\n");
        }
    } else {
        srcStart = 0;
    }
    /* live: the node index QEMU opened the image as (libvirt's <source index>) */
    if (srcStart && !(flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE))
        virDomainDiskSourceAddIndex(ctx->buf, srcStart, disk->srcIndex);
    virDomainDiskBackingFormat(ctx->buf, ctx->indent, disk->backing, flags);
    /* libvirt: only a whole geometry is written */
    if (disk->geomCyls && disk->geomHeads && disk->geomSecs) {
        lineStart(ctx, "<geometry");
        g_string_append_printf(ctx->buf, " cyls='%u' heads='%u' secs='%u'",
                               disk->geomCyls, disk->geomHeads, disk->geomSecs);
        if (disk->geomTrans)
            attr(ctx->buf, "trans", virDomainDiskGeometryTransNames[disk->geomTrans]);
        g_string_append(ctx->buf, "/>\n");
    }
    if (disk->logicalBlockSize || disk->physicalBlockSize) {
        lineStart(ctx, "<blockio");
        if (disk->logicalBlockSize)
            g_string_append_printf(ctx->buf, " logical_block_size='%u'",
                                   disk->logicalBlockSize);
        if (disk->physicalBlockSize)
            g_string_append_printf(ctx->buf, " physical_block_size='%u'",
                                   disk->physicalBlockSize);
        g_string_append(ctx->buf, "/>\n");
    }
    if ((disk->mirrorJob == VIR_DOMAIN_BLOCK_JOB_TYPE_COPY ||
         disk->mirrorJob == VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT) &&
        disk->mirrorSrc && !(flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE))
        formatDiskMirror(ctx, disk);
    lineStart(ctx, "<target");
    attr(ctx->buf, "dev", disk->dst);
    if (disk->bus != VIR_DOMAIN_DISK_BUS_NONE)
        attr(ctx->buf, "bus", virDomainDiskBusNames[disk->bus]);
    if (disk->bus == VIR_DOMAIN_DISK_BUS_USB && disk->removable)
        attr(ctx->buf, "removable", virDomainTristateSwitchToString(disk->removable));
    if (disk->rotationRate)
        g_string_append_printf(ctx->buf, " rotation_rate='%u'", disk->rotationRate);
    g_string_append(ctx->buf, "/>\n");
    formatDiskIoTune(ctx, &disk->iotune);
    if (disk->readonly)
        line(ctx, "<readonly/>");
    if (disk->shareable)
        line(ctx, "<shareable/>");
    if (disk->serial)
        textElement(ctx, "serial", disk->serial);
    if (disk->wwn)
        textElement(ctx, "wwn", disk->wwn);
    if (disk->vendor)
        textElement(ctx, "vendor", disk->vendor);
    if (disk->product)
        textElement(ctx, "product", disk->product);
    if (disk->encryption && disk->encryptionInDisk)
        virStorageEncryptionFormat(ctx->buf, ctx->indent, disk->encryption);
    virDomainDeviceBootFormat(ctx->buf, ctx->indent, &disk->boot);
    formatAddress(ctx, &disk->addr);
    ctx->indent -= 2;
    line(ctx, "</disk>");
}

/* @bytes in the largest unit that divides it exactly (libvirt's
 * virFormatIntPretty: B, KiB, MiB, GiB, TiB, PiB) */
static unsigned long long
prettySize(unsigned long long bytes, const char **unit)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
    size_t i = 0;

    while (bytes && i + 1 < G_N_ELEMENTS(units) && bytes % 1024 == 0) {
        bytes /= 1024;
        i++;
    }
    *unit = units[i];
    return bytes;
}

static const char *
tristateBool(int v)
{
    return v == VIR_DOMAIN_TRISTATE_ON    ? "yes"
           : v == VIR_DOMAIN_TRISTATE_OFF ? "no"
                                          : NULL;
}

/* <firmware>, <loader>, <nvram> inside <os>, in libvirt's order */
static void
formatFirmware(fmtCtx *ctx, const virDomainDef *def)
{
    static const char *const loaderTypes[] = { NULL, "rom", "pflash" };

    if (def->os.firmware && (def->os.fwEnrolledKeys || def->os.fwSecureBoot)) {
        line(ctx, "<firmware>");
        ctx->indent += 2;
        if (def->os.fwEnrolledKeys)
            line(ctx, "<feature enabled='%s' name='enrolled-keys'/>",
                 tristateBool(def->os.fwEnrolledKeys));
        if (def->os.fwSecureBoot)
            line(ctx, "<feature enabled='%s' name='secure-boot'/>",
                 tristateBool(def->os.fwSecureBoot));
        ctx->indent -= 2;
        line(ctx, "</firmware>");
    }
    if (def->os.loader || def->os.loaderReadonly || def->os.loaderSecure ||
        def->os.loaderType || def->os.loaderStateless) {
        lineStart(ctx, "<loader");
        attr(ctx->buf, "readonly", tristateBool(def->os.loaderReadonly));
        attr(ctx->buf, "secure", tristateBool(def->os.loaderSecure));
        if (def->os.loaderType > 0 && def->os.loaderType < VIR_DOMAIN_LOADER_TYPE_LAST)
            attr(ctx->buf, "type", loaderTypes[def->os.loaderType]);
        attr(ctx->buf, "stateless", tristateBool(def->os.loaderStateless));
        if (def->os.loader) {
            g_string_append_c(ctx->buf, '>');
            virDomainXMLEscape(ctx->buf, def->os.loader);
            g_string_append(ctx->buf, "</loader>\n");
        } else {
            g_string_append(ctx->buf, "/>\n");
        }
    }
    if (def->os.nvram || def->os.nvramTemplate) {
        lineStart(ctx, "<nvram");
        attr(ctx->buf, "template", def->os.nvramTemplate);
        if (def->os.nvram && def->os.nvramTypeFile) {
            g_string_append(ctx->buf, " type='file'>\n");
            ctx->indent += 2;
            lineStart(ctx, "<source");
            attr(ctx->buf, "file", def->os.nvram);
            g_string_append(ctx->buf, "/>\n");
            ctx->indent -= 2;
            line(ctx, "</nvram>");
        } else if (def->os.nvram) {
            g_string_append_c(ctx->buf, '>');
            virDomainXMLEscape(ctx->buf, def->os.nvram);
            g_string_append(ctx->buf, "</nvram>\n");
        } else {
            g_string_append(ctx->buf, "/>\n");
        }
    }
}

/* libvirt's: libxml2's indenting dump of the kept copy, at this depth. */
static void
formatMetadata(fmtCtx *ctx, xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlBufferPtr xbuf;

    if (!root || !(xbuf = xmlBufferCreate()))
        return;
    if (xmlNodeDump(xbuf, doc, root, ctx->indent / 2, 1) >= 0) {
        lineStart(ctx, (const char *)xmlBufferContent(xbuf));
        g_string_append_c(ctx->buf, '\n');
    }
    xmlBufferFree(xbuf);
}

static void
formatController(fmtCtx *ctx, const virDomainControllerDef *c)
{
    /* (only PCI controllers carry a <target>) */
    bool target = c->type == VIR_DOMAIN_CONTROLLER_TYPE_PCI &&
                  (c->targetChassisNr >= 0 || c->targetChassis >= 0 ||
                   c->targetPort >= 0 || c->targetBusNr >= 0 || c->targetIndex >= 0 ||
                   c->targetHotplug || c->targetNode >= 0);
    bool children = c->modelName || target || c->masterStartport >= 0 ||
                    c->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE || c->iothread ||
                    c->queues || c->cmdPerLun || c->maxSectors || c->ioeventfd ||
                    virDomainVirtioOptionsIsSet(&c->virtio) || c->pcihole64;

    lineStart(ctx, "<controller");
    attr(ctx->buf, "type", virDomainControllerTypeToString(c->type));
    g_string_append_printf(ctx->buf, " index='%d'", c->idx);
    attr(ctx->buf, "model", c->model);
    if (c->ports >= 0)
        g_string_append_printf(ctx->buf, " ports='%d'", c->ports);
    if (!children) {
        g_string_append(ctx->buf, "/>\n");
        return;
    }
    g_string_append(ctx->buf, ">\n");
    ctx->indent += 2;
    if (c->modelName) {
        lineStart(ctx, "<model");
        attr(ctx->buf, "name", c->modelName);
        g_string_append(ctx->buf, "/>\n");
    }
    if (target) {
        lineStart(ctx, "<target");
        if (c->targetChassisNr >= 0)
            g_string_append_printf(ctx->buf, " chassisNr='%d'", c->targetChassisNr);
        if (c->targetChassis >= 0)
            g_string_append_printf(ctx->buf, " chassis='%d'", c->targetChassis);
        if (c->targetPort >= 0)
            g_string_append_printf(ctx->buf, " port='0x%x'", c->targetPort);
        if (c->targetBusNr >= 0)
            g_string_append_printf(ctx->buf, " busNr='%d'", c->targetBusNr);
        if (c->targetIndex >= 0)
            g_string_append_printf(ctx->buf, " index='%d'", c->targetIndex);
        if (c->targetHotplug)
            attr(ctx->buf, "hotplug", virDomainTristateSwitchToString(c->targetHotplug));
        if (c->targetNode >= 0) {
            g_string_append(ctx->buf, ">\n");
            ctx->indent += 2;
            line(ctx, "<node>%d</node>", c->targetNode);
            ctx->indent -= 2;
            line(ctx, "</target>");
        } else {
            g_string_append(ctx->buf, "/>\n");
        }
    }
    if (c->masterStartport >= 0)
        line(ctx, "<master startport='%d'/>", c->masterStartport);
    if (c->queues || c->cmdPerLun || c->maxSectors || c->ioeventfd || c->iothread ||
        virDomainVirtioOptionsIsSet(&c->virtio)) {
        lineStart(ctx, "<driver");
        if (c->queues)
            g_string_append_printf(ctx->buf, " queues='%u'", c->queues);
        if (c->cmdPerLun)
            g_string_append_printf(ctx->buf, " cmd_per_lun='%u'", c->cmdPerLun);
        if (c->maxSectors)
            g_string_append_printf(ctx->buf, " max_sectors='%u'", c->maxSectors);
        if (c->ioeventfd)
            attr(ctx->buf, "ioeventfd", virDomainTristateSwitchToString(c->ioeventfd));
        if (c->iothread)
            g_string_append_printf(ctx->buf, " iothread='%u'", c->iothread);
        virDomainVirtioOptionsFormat(ctx->buf, &c->virtio);
        g_string_append(ctx->buf, "/>\n");
    }
    formatAddress(ctx, &c->addr);
    /* libvirt writes it after the address */
    if (c->pcihole64)
        line(ctx, "<pcihole64 unit='KiB'>%llu</pcihole64>", c->pcihole64Size);
    ctx->indent -= 2;
    line(ctx, "</controller>");
}

static void
formatChannel(fmtCtx *ctx, const virDomainChannelDef *c, unsigned int flags)
{
    bool inactive = flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE;

    line(ctx, "<channel type='%s'>",
         c->spicevmc     ? "spicevmc"
         : c->vdagent    ? "qemu-vdagent"
         : c->unixSocket ? "unix"
                         : "pty");
    ctx->indent += 2;
    if (c->vdagent && (c->vdagentClipboard || c->vdagentMouse)) {
        static const char *const copypaste[] = { NULL, "yes", "no" };
        static const char *const modes[] = { NULL, "server", "client" };

        line(ctx, "<source>");
        ctx->indent += 2;
        if (c->vdagentClipboard)
            line(ctx, "<clipboard copypaste='%s'/>", copypaste[c->vdagentClipboard]);
        if (c->vdagentMouse)
            line(ctx, "<mouse mode='%s'/>", modes[c->vdagentMouse]);
        ctx->indent -= 2;
        line(ctx, "</source>");
    } else if (c->path && !(inactive && (c->pathGenerated || !c->unixSocket))) {
        lineStart(ctx, "<source");
        if (c->unixSocket)
            attr(ctx->buf, "mode", c->connect ? "connect" : "bind");
        attr(ctx->buf, "path", c->path);
        g_string_append(ctx->buf, "/>\n");
    } else if (c->unixSocket && c->connect) {
        line(ctx, "<source mode='connect'/>");
    }
    lineStart(ctx, "<target type='virtio'");
    attr(ctx->buf, "name", c->targetName);
    g_string_append(ctx->buf, "/>\n");
    if (c->alias && !inactive) {
        lineStart(ctx, "<alias");
        attr(ctx->buf, "name", c->alias);
        g_string_append(ctx->buf, "/>\n");
    }
    if (c->vsController >= 0 || c->vsBus >= 0 || c->vsPort >= 0)
        line(ctx, "<address type='virtio-serial' controller='%d' bus='%d' port='%d'/>",
             MAX(c->vsController, 0), MAX(c->vsBus, 0), MAX(c->vsPort, 0));
    ctx->indent -= 2;
    line(ctx, "</channel>");
}

/* The first <listen> as libvirt formats it: type, address (a network's
 * only when live), network, socket; in a status file, autoGenerated='yes'
 * for a socket the driver made (so that it is removed after a restart) */
static void
formatGraphicsListen(fmtCtx *ctx, const virDomainGraphicsDef *g, unsigned int flags)
{
    bool inactive = flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE;
    static const char *const types[] = { "address", "none", "socket", "network" };

    lineStart(ctx, "<listen");
    attr(ctx->buf, "type", types[g->listenType]);
    if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_ADDRESS ||
        (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_NETWORK && !inactive))
        attr(ctx->buf, "address", g->listen);
    if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_NETWORK)
        attr(ctx->buf, "network", g->network);
    if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_SOCKET)
        attr(ctx->buf, "socket", g->socket);
    if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_SOCKET && g->socketGenerated &&
        !inactive && (flags & VIR_DOMAIN_DEF_FORMAT_STATUS))
        g_string_append(ctx->buf, " autoGenerated='yes'");
    g_string_append(ctx->buf, "/>\n");
}

static void
formatGraphics(fmtCtx *ctx, const virDomainGraphicsDef *g, unsigned int flags)
{
    bool inactive = flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE;
    bool addressed = g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_ADDRESS ||
                     g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_NETWORK;

    lineStart(ctx, "<graphics");
    attr(ctx->buf, "type", virDomainGraphicsTypeToString(g->type));
    if (g->type == VIR_DOMAIN_GRAPHICS_TYPE_EGL_HEADLESS) {
        if (!g->rendernode) {
            g_string_append(ctx->buf, "/>\n");
            return;
        }
        g_string_append(ctx->buf, ">\n");
        ctx->indent += 2;
        lineStart(ctx, "<gl");
        attr(ctx->buf, "rendernode", g->rendernode);
        g_string_append(ctx->buf, "/>\n");
        ctx->indent -= 2;
        line(ctx, "</graphics>");
        return;
    }
    if (g->type == VIR_DOMAIN_GRAPHICS_TYPE_VNC) {
        if (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_SOCKET)
            attr(ctx->buf, "socket", g->socket);
        if (addressed) {
            g_string_append_printf(ctx->buf, " port='%d'",
                                   g->autoport && inactive ? -1 : g->port);
            attr(ctx->buf, "autoport", g->autoport ? "yes" : "no");
            if (g->websocket)
                g_string_append_printf(ctx->buf, " websocket='%d'",
                                       g->websocketGenerated && inactive ? -1
                                                                         : g->websocket);
        }
    } else if (addressed) {
        if (g->port && !(g->autoport && inactive))
            g_string_append_printf(ctx->buf, " port='%d'", g->port);
        if (g->tlsPort && !(g->autoport && inactive))
            g_string_append_printf(ctx->buf, " tlsPort='%d'", g->tlsPort);
        attr(ctx->buf, "autoport", g->autoport ? "yes" : "no");
    }
    if (addressed && (g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_ADDRESS || !inactive))
        attr(ctx->buf, "listen", g->listen);
    attr(ctx->buf, "keymap", g->keymap);
    if (g->type == VIR_DOMAIN_GRAPHICS_TYPE_VNC)
        attr(ctx->buf, "sharePolicy", g->sharePolicy);
    else
        attr(ctx->buf, "defaultMode", g->defaultMode);
    if (g->passwd) {
        if (flags & VIR_DOMAIN_DEF_FORMAT_SECURE)
            attr(ctx->buf, "passwd", g->passwd);
        attr(ctx->buf, "passwdValidTo", g->passwdValidTo);
        attr(ctx->buf, "connected", g->connected);
    }
    g_string_append(ctx->buf, ">\n");
    ctx->indent += 2;
    formatGraphicsListen(ctx, g, flags);
    for (int opt = 0;
         g->type == VIR_DOMAIN_GRAPHICS_TYPE_SPICE && opt < VIR_DOMAIN_SPICE_OPTION_LAST;
         opt++) {
        const char *element = NULL;
        const char *name = NULL;
        const char *const *values =
            virDomainGraphicsSpiceOptionValues(opt, &element, &name);

        if (g->spice[opt])
            line(ctx, "<%s %s='%s'/>", element, name, values[g->spice[opt]]);
    }
    if (g->type == VIR_DOMAIN_GRAPHICS_TYPE_VNC && g->audioId > 0)
        line(ctx, "<audio id='%d'/>", g->audioId);
    ctx->indent -= 2;
    line(ctx, "</graphics>");
}

/* <driver/> holding only virtio options, when any is set */
static void
formatVirtioDriver(fmtCtx *ctx, const virDomainVirtioOptions *v)
{
    if (!virDomainVirtioOptionsIsSet(v))
        return;
    lineStart(ctx, "<driver");
    virDomainVirtioOptionsFormat(ctx->buf, v);
    g_string_append(ctx->buf, "/>\n");
}

static void
formatVideo(fmtCtx *ctx, const virDomainVideoDef *v)
{
    line(ctx, "<video>");
    ctx->indent += 2;
    if (v->backend) {
        /* libvirt's order: the virtio options, then the name */
        g_autoptr(GString) opts = g_string_new(NULL);

        virDomainVirtioOptionsFormat(opts, &v->virtio);
        line(ctx, "<driver%s name='%s'/>", opts->str,
             virDomainVideoBackendToString(v->backend));
    } else {
        formatVirtioDriver(ctx, &v->virtio);
    }
    lineStart(ctx, "<model");
    attr(ctx->buf, "type", v->type);
    if (v->ram)
        g_string_append_printf(ctx->buf, " ram='%d'", v->ram);
    if (v->vram)
        g_string_append_printf(ctx->buf, " vram='%d'", v->vram);
    if (v->vram64)
        g_string_append_printf(ctx->buf, " vram64='%d'", v->vram64);
    if (v->vgamem)
        g_string_append_printf(ctx->buf, " vgamem='%d'", v->vgamem);
    if (v->heads)
        g_string_append_printf(ctx->buf, " heads='%d'", v->heads);
    if (v->primary && !g_str_equal(v->type, "none"))
        g_string_append(ctx->buf, " primary='yes'");
    if (v->accel3d || v->accel2d || v->rendernode) {
        g_string_append(ctx->buf, ">\n");
        ctx->indent += 2;
        lineStart(ctx, "<acceleration");
        if (v->accel3d)
            attr(ctx->buf, "accel3d",
                 v->accel3d == VIR_DOMAIN_TRISTATE_ON ? "yes" : "no");
        if (v->accel2d)
            attr(ctx->buf, "accel2d",
                 v->accel2d == VIR_DOMAIN_TRISTATE_ON ? "yes" : "no");
        if (v->rendernode)
            attr(ctx->buf, "rendernode", v->rendernode);
        g_string_append(ctx->buf, "/>\n");
        ctx->indent -= 2;
        line(ctx, "</model>");
    } else {
        g_string_append(ctx->buf, "/>\n");
    }
    formatAddress(ctx, &v->addr);
    ctx->indent -= 2;
    line(ctx, "</video>");
}

/* libvirt's order: driver, source, alias, address; no bus for evdev's */
static void
formatInput(fmtCtx *ctx, const virDomainInputDef *in, unsigned int flags)
{
    bool alias = in->alias[0] && !(flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE);

    lineStart(ctx, "<input");
    attr(ctx->buf, "type", virDomainInputTypeToString(in->type));
    if (in->bus != VIR_DOMAIN_INPUT_BUS_NONE)
        attr(ctx->buf, "bus", virDomainInputBusToString(in->bus));
    if (in->model)
        attr(ctx->buf, "model", virDomainInputModelToString(in->model));
    if (in->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE && !alias && !in->evdev &&
        !virDomainVirtioOptionsIsSet(&in->virtio)) {
        g_string_append(ctx->buf, "/>\n");
        return;
    }
    g_string_append(ctx->buf, ">\n");
    ctx->indent += 2;
    formatVirtioDriver(ctx, &in->virtio);
    if (in->evdev) {
        lineStart(ctx, "<source");
        attr(ctx->buf, in->type == VIR_DOMAIN_INPUT_TYPE_EVDEV ? "dev" : "evdev",
             in->evdev);
        if (in->grab)
            attr(ctx->buf, "grab", virDomainInputGrabToString(in->grab));
        if (in->grabToggle)
            attr(ctx->buf, "grabToggle",
                 virDomainInputGrabToggleToString(in->grabToggle));
        if (in->repeat)
            attr(ctx->buf, "repeat", virDomainTristateSwitchToString(in->repeat));
        g_string_append(ctx->buf, "/>\n");
    }
    if (alias) {
        lineStart(ctx, "<alias");
        attr(ctx->buf, "name", in->alias);
        g_string_append(ctx->buf, "/>\n");
    }
    formatAddress(ctx, &in->addr);
    ctx->indent -= 2;
    line(ctx, "</input>");
}

static void
formatRNG(fmtCtx *ctx, const virDomainRNGDef *r, unsigned int flags)
{
    lineStart(ctx, "<rng");
    attr(ctx->buf, "model", r->model);
    g_string_append(ctx->buf, ">\n");
    ctx->indent += 2;
    if (r->rate) {
        lineStart(ctx, "<rate");
        g_string_append_printf(ctx->buf, " bytes='%u'", r->rate);
        if (r->period)
            g_string_append_printf(ctx->buf, " period='%u'", r->period);
        g_string_append(ctx->buf, "/>\n");
    }
    if (r->builtin) {
        line(ctx, "<backend model='builtin'/>");
    } else if (r->backend) {
        lineStart(ctx, "<backend model='random'>");
        virDomainXMLEscape(ctx->buf, r->backend);
        g_string_append(ctx->buf, "</backend>\n");
    } else {
        line(ctx, "<backend model='random'/>");
    }
    formatVirtioDriver(ctx, &r->virtio);
    if (r->alias && !(flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE)) {
        lineStart(ctx, "<alias");
        attr(ctx->buf, "name", r->alias);
        g_string_append(ctx->buf, "/>\n");
    }
    formatAddress(ctx, &r->addr);
    ctx->indent -= 2;
    line(ctx, "</rng>");
}

static void
formatNet(fmtCtx *ctx, const virDomainNetDef *net, unsigned int flags)
{
    line(ctx, "<interface type='%s'>", virDomainNetTypeNames[net->type]);
    ctx->indent += 2;
    if (net->macSet)
        line(ctx, "<mac address='%02x:%02x:%02x:%02x:%02x:%02x'/>", net->mac[0],
             net->mac[1], net->mac[2], net->mac[3], net->mac[4], net->mac[5]);
    if (net->type == VIR_DOMAIN_NET_TYPE_NETWORK && net->network) {
        lineStart(ctx, "<source");
        attr(ctx->buf, "network", net->network);
        if (net->hasPortid && !(flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE)) {
            char portid[VIR_UUID_STRING_BUFLEN];

            virUUIDFormat(net->portid, portid);
            attr(ctx->buf, "portid", portid);
            attr(ctx->buf, "bridge", net->bridge);
        }
        g_string_append(ctx->buf, "/>\n");
    }
    if (net->type == VIR_DOMAIN_NET_TYPE_BRIDGE && net->bridge) {
        lineStart(ctx, "<source");
        attr(ctx->buf, "bridge", net->bridge);
        g_string_append(ctx->buf, "/>\n");
    }
    virDomainNetUserFormat(ctx->buf, ctx->indent, net, 's');
    virNetDevBandwidthFormat(net->bandwidth, ctx->buf, ctx->indent);
    if (net->isolatedPort)
        line(ctx, "<port isolated='%s'/>", net->isolatedPort == 1 ? "yes" : "no");
    virDomainNetUserFormat(ctx->buf, ctx->indent, net, 'i');
    if (net->script) {
        lineStart(ctx, "<script");
        attr(ctx->buf, "path", net->script);
        g_string_append(ctx->buf, "/>\n");
    }
    if (net->downscript) {
        lineStart(ctx, "<downscript");
        attr(ctx->buf, "path", net->downscript);
        g_string_append(ctx->buf, "/>\n");
    }
    if (net->ifname) {
        lineStart(ctx, "<target");
        attr(ctx->buf, "dev", net->ifname);
        if (net->managedTap)
            attr(ctx->buf, "managed", net->managedTap == 1 ? "yes" : "no");
        g_string_append(ctx->buf, "/>\n");
    }
    if (net->model) {
        lineStart(ctx, "<model");
        attr(ctx->buf, "type", net->model);
        g_string_append(ctx->buf, "/>\n");
    }
    virDomainNetDriverFormat(ctx->buf, ctx->indent, net);
    virDomainNetUserFormat(ctx->buf, ctx->indent, net, 'b');
    if (net->filterref)
        virNWFilterParamsFormat(ctx->buf, ctx->indent, net->filterref, net->filterparams);
    if (net->linkState)
        line(ctx, "<link state='%s'/>", net->linkState == 1 ? "up" : "down");
    if (net->mtu)
        line(ctx, "<mtu size='%u'/>", net->mtu);
    if (net->hasCoalesce && net->coalesceRxFrames) {
        line(ctx, "<coalesce>");
        line(ctx, "  <rx>");
        line(ctx, "    <frames max='%u'/>", net->coalesceRxFrames);
        line(ctx, "  </rx>");
        line(ctx, "</coalesce>");
    }
    virDomainDeviceBootFormat(ctx->buf, ctx->indent, &net->boot);
    if (net->alias && !(flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE)) {
        lineStart(ctx, "<alias");
        attr(ctx->buf, "name", net->alias);
        g_string_append(ctx->buf, "/>\n");
    }
    virDomainDeviceRomFormat(ctx->buf, ctx->indent, &net->rom);
    formatAddress(ctx, &net->addr);
    ctx->indent -= 2;
    line(ctx, "</interface>");
}

static void
formatChr(fmtCtx *ctx, const virDomainChrDef *chr, const char *alias, unsigned int flags)
{
    const char *elem = chr->deviceType == VIR_DOMAIN_CHR_DEVICE_SERIAL     ? "serial"
                       : chr->deviceType == VIR_DOMAIN_CHR_DEVICE_PARALLEL ? "parallel"
                                                                           : "console";
    bool live = !(flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE);

    lineStart(ctx, "<");
    g_string_append_printf(ctx->buf, "%s type='%s'", elem,
                           virDomainChrTypeNames[chr->type]);
    /* libvirt's compat attribute: the pty of console port 0, live */
    if (chr->deviceType == VIR_DOMAIN_CHR_DEVICE_CONSOLE && chr->targetPort == 0 &&
        chr->type == VIR_DOMAIN_CHR_TYPE_PTY && live && chr->path)
        attr(ctx->buf, "tty", chr->path);
    g_string_append(ctx->buf, ">\n");
    ctx->indent += 2;
    virDomainChrSourceFormat(ctx->buf, ctx->indent, chr, live);
    lineStart(ctx, "<target");
    if (chr->targetType != VIR_DOMAIN_CHR_TARGET_NONE)
        attr(ctx->buf, "type", virDomainChrTargetNames[chr->targetType]);
    if (chr->targetPort >= 0)
        g_string_append_printf(ctx->buf, " port='%d'", chr->targetPort);
    if (chr->targetModel) {
        g_string_append(ctx->buf, ">\n");
        ctx->indent += 2;
        lineStart(ctx, "<model");
        attr(ctx->buf, "name", chr->targetModel);
        g_string_append(ctx->buf, "/>\n");
        ctx->indent -= 2;
        line(ctx, "</target>");
    } else {
        g_string_append(ctx->buf, "/>\n");
    }
    if (alias && live) {
        lineStart(ctx, "<alias");
        attr(ctx->buf, "name", alias);
        g_string_append(ctx->buf, "/>\n");
    }
    ctx->indent -= 2;
    line(ctx, "</%s>", elem);
}

void
virDomainDefFormatBuf(GString *buf, const virDomainDef *def, unsigned int flags,
                      int indent)
{
    fmtCtx ctx = { buf, indent };
    char uuid[VIR_UUID_STRING_BUFLEN];
    const char *virt = virDomainVirtTypeToString(def->virtType);
    bool perfOpen = false;

    lineStart(&ctx, "<domain");
    attr(buf, "type", virt ? virt : "none");
    if (def->id >= 0 && !(flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE))
        g_string_append_printf(buf, " id='%d'", def->id);
    g_string_append(buf, ">\n");
    ctx.indent += 2;

    textElement(&ctx, "name", def->name);
    line(&ctx, "<uuid>%s</uuid>", virUUIDFormat(def->uuid, uuid));
    if (def->genidRequested)
        line(&ctx, "<genid>%s</genid>", virUUIDFormat(def->genid, uuid));
    textElement(&ctx, "title", def->title);
    textElement(&ctx, "description", def->description);
    if (def->metadata)
        formatMetadata(&ctx, def->metadata);
    if (def->maxMemory && def->memorySlots)
        line(&ctx, "<maxMemory slots='%u' unit='KiB'>%llu</maxMemory>", def->memorySlots,
             def->maxMemory);
    line(&ctx, "<memory unit='KiB'>%llu</memory>", def->memory);
    line(&ctx, "<currentMemory unit='KiB'>%llu</currentMemory>",
         def->currentMemory ? def->currentMemory : def->memory);
    virDomainTuneFormat(buf, ctx.indent, def, 'b');
    virDomainTuneFormat(buf, ctx.indent, def, 'm');
    virDomainMemoryBackingFormat(buf, def, ctx.indent);
    lineStart(&ctx, def->vcpuPlacementAuto ? "<vcpu placement='auto'"
                                           : "<vcpu placement='static'");
    attr(buf, "cpuset", def->cputune.vcpuCpuset);
    if (def->vcpusCurrent && def->vcpusCurrent < def->vcpus)
        g_string_append_printf(buf, " current='%u'", def->vcpusCurrent);
    g_string_append_printf(buf, ">%u</vcpu>\n", def->vcpus);
    virDomainVcpusFormat(buf, ctx.indent, def);
    virDomainIOThreadsFormat(buf, ctx.indent, def);
    virDomainTuneFormat(buf, ctx.indent, def, 'c');
    virDomainTuneFormat(buf, ctx.indent, def, 'n');
    virDomainTuneFormat(buf, ctx.indent, def, 'r');

    if (def->os.firmware == VIR_DOMAIN_OS_FIRMWARE_BIOS)
        line(&ctx, "<os firmware='bios'>");
    else if (def->os.firmware == VIR_DOMAIN_OS_FIRMWARE_EFI)
        line(&ctx, "<os firmware='efi'>");
    else
        line(&ctx, "<os>");
    ctx.indent += 2;
    lineStart(&ctx, "<type");
    attr(buf, "arch", def->os.arch);
    attr(buf, "machine", def->os.machine);
    g_string_append_c(buf, '>');
    virDomainXMLEscape(buf, def->os.type ? def->os.type : "hvm");
    g_string_append(buf, "</type>\n");
    formatFirmware(&ctx, def);
    textElement(&ctx, "kernel", def->os.kernel);
    textElement(&ctx, "initrd", def->os.initrd);
    textElement(&ctx, "cmdline", def->os.cmdline);
    for (size_t i = 0; i < def->os.nBootDevs && i < VIR_DOMAIN_BOOT_LAST; i++) {
        const char *dev = virDomainEnumToString(virDomainBootNames, VIR_DOMAIN_BOOT_LAST,
                                                def->os.bootDevs[i]);
        if (dev)
            line(&ctx, "<boot dev='%s'/>", dev);
    }
    if (def->os.bootMenu && def->os.bootMenuTimeoutSet)
        line(&ctx, "<bootmenu enable='%s' timeout='%u'/>", tristateBool(def->os.bootMenu),
             def->os.bootMenuTimeout);
    else if (def->os.bootMenu)
        line(&ctx, "<bootmenu enable='%s'/>", tristateBool(def->os.bootMenu));
    ctx.indent -= 2;
    line(&ctx, "</os>");
    if (def->uidmap) {
        /* libvirt writes the gid entries only with uid ones */
        line(&ctx, "<idmap>");
        for (size_t i = 0; i < def->nuidmap; i++)
            line(&ctx, "  <uid start='%u' target='%u' count='%u'/>", def->uidmap[i].start,
                 def->uidmap[i].target, def->uidmap[i].count);
        for (size_t i = 0; i < def->ngidmap; i++)
            line(&ctx, "  <gid start='%u' target='%u' count='%u'/>", def->gidmap[i].start,
                 def->gidmap[i].target, def->gidmap[i].count);
        line(&ctx, "</idmap>");
    }

    if (def->acpi || def->apic || def->pae || def->hyperv || def->kvm || def->vmport ||
        def->smm || def->ioapic || def->vmcoreinfo || def->pvspinlock) {
        line(&ctx, "<features>");
        ctx.indent += 2;
        if (def->acpi)
            line(&ctx, "<acpi/>");
        if (def->apic && def->apicEoi)
            line(&ctx, "<apic eoi='%s'/>", virDomainTristateSwitchToString(def->apicEoi));
        else if (def->apic)
            line(&ctx, "<apic/>");
        if (def->pae)
            line(&ctx, "<pae/>");
        virDomainHypervFormat(ctx.buf, ctx.indent, def);
        virDomainKVMFormat(ctx.buf, ctx.indent, def);
        /* libvirt's feature order: hyperv, kvm, pvspinlock, ... vmport */
        if (def->pvspinlock)
            line(&ctx, "<pvspinlock state='%s'/>",
                 virDomainTristateSwitchToString(def->pvspinlock));
        if (def->vmport)
            line(&ctx, "<vmport state='%s'/>",
                 virDomainTristateSwitchToString(def->vmport));
        if (def->smm == VIR_DOMAIN_TRISTATE_ON && def->tsegSpecified) {
            const char *unit;
            unsigned long long size = prettySize(def->tsegSize, &unit);

            line(&ctx, "<smm state='on'>");
            line(&ctx, "  <tseg unit='%s'>%llu</tseg>", unit, size);
            line(&ctx, "</smm>");
        } else if (def->smm) {
            line(&ctx, "<smm state='%s'/>", virDomainTristateSwitchToString(def->smm));
        }
        if (def->ioapic)
            line(&ctx, "<ioapic driver='%s'/>",
                 def->ioapic == VIR_DOMAIN_IOAPIC_QEMU ? "qemu" : "kvm");
        if (def->vmcoreinfo)
            line(&ctx, "<vmcoreinfo state='%s'/>",
                 virDomainTristateSwitchToString(def->vmcoreinfo));
        ctx.indent -= 2;
        line(&ctx, "</features>");
    }

    {
        g_autoptr(GString) numa = g_string_new(NULL);

        virDomainNumaFormat(numa, def, ctx.indent + 2);
        virDomainCpuDefFormatWith(buf, def->cpu, numa->len ? numa->str : NULL,
                                  ctx.indent);
    }

    lineStart(&ctx, "<clock");
    attr(buf, "offset",
         virDomainEnumToString(virDomainClockOffsetNames, VIR_DOMAIN_CLOCK_OFFSET_LAST,
                               def->clockOffset)
             ?: "utc");
    if (def->ntimers == 0) {
        g_string_append(buf, "/>\n");
    } else {
        static const char *const tracks[] = { NULL, "boot", "guest", "wall", "realtime" };

        g_string_append(buf, ">\n");
        ctx.indent += 2;
        for (size_t i = 0; i < def->ntimers; i++) {
            const virDomainTimerDef *t = &def->timers[i];

            lineStart(&ctx, "<timer");
            attr(buf, "name", virDomainTimerNameToString(t->name));
            attr(buf, "present", tristateBool(t->present));
            if (t->tickpolicy)
                attr(buf, "tickpolicy", virDomainTimerTickpolicyToString(t->tickpolicy));
            if (t->track > 0 && t->track < VIR_DOMAIN_TIMER_TRACK_LAST)
                attr(buf, "track", tracks[t->track]);
            g_string_append(buf, "/>\n");
        }
        ctx.indent -= 2;
        line(&ctx, "</clock>");
    }
    line(&ctx, "<on_poweroff>%s</on_poweroff>",
         virDomainLifecycleActionToString(def->onPoweroff) ?: "destroy");
    line(&ctx, "<on_reboot>%s</on_reboot>",
         virDomainLifecycleActionToString(def->onReboot) ?: "restart");
    line(&ctx, "<on_crash>%s</on_crash>",
         virDomainLifecycleActionToString(def->onCrash) ?: "destroy");
    if (def->pmS3 || def->pmS4) {
        line(&ctx, "<pm>");
        ctx.indent += 2;
        if (def->pmS3)
            line(&ctx, "<suspend-to-mem enabled='%s'/>", tristateBool(def->pmS3));
        if (def->pmS4)
            line(&ctx, "<suspend-to-disk enabled='%s'/>", tristateBool(def->pmS4));
        ctx.indent -= 2;
        line(&ctx, "</pm>");
    }
    /* libvirt's virDomainPerfDefFormat: the events set, in its order */
    for (int i = 0; i < VIR_PERF_EVENT_LAST; i++) {
        if (!def->perfEvents[i])
            continue;
        if (!perfOpen) {
            line(&ctx, "<perf>");
            ctx.indent += 2;
            perfOpen = true;
        }
        line(&ctx, "<event name='%s' enabled='%s'/>", virPerfEventTypeToString(i),
             tristateBool(def->perfEvents[i]));
    }
    if (perfOpen) {
        ctx.indent -= 2;
        line(&ctx, "</perf>");
    }

    line(&ctx, "<devices>");
    ctx.indent += 2;
    textElement(&ctx, "emulator", def->emulator);
    for (size_t i = 0; i < def->ndisks; i++)
        formatDisk(&ctx, def->disks[i], flags);
    for (size_t i = 0; i < def->ncontrollers; i++)
        formatController(&ctx, def->controllers[i]);
    for (size_t i = 0; i < def->nfss; i++)
        virDomainFSFormat(buf, ctx.indent, def->fss[i], flags);
    for (size_t i = 0; i < def->nnets; i++)
        formatNet(&ctx, def->nets[i], flags);
    for (size_t i = 0; i < def->nsmartcards; i++)
        virDomainAddressedDeviceFormat(buf, ctx.indent,
                                       "mode='passthrough' type='spicevmc'", "smartcard",
                                       &def->smartcards[i]->addr);
    for (size_t i = 0; i < def->nserials; i++)
        formatChr(&ctx, def->serials[i], def->serials[i]->alias, flags);
    for (size_t i = 0; i < def->nparallels; i++)
        formatChr(&ctx, def->parallels[i], def->parallels[i]->alias, flags);
    for (size_t i = 0; i < def->nconsoles; i++)
        formatChr(&ctx, def->consoles[i], def->consoles[i]->alias, flags);
    for (size_t i = 0; i < def->nchannels; i++)
        formatChannel(&ctx, def->channels[i], flags);
    for (size_t i = 0; i < def->ninputs; i++)
        formatInput(&ctx, &def->inputs[i], flags);
    for (size_t i = 0; i < def->ntpms; i++)
        virDomainTPMFormat(buf, ctx.indent, def->tpms[i], flags);
    for (size_t i = 0; i < def->ngraphics; i++)
        formatGraphics(&ctx, def->graphics[i], flags);
    for (size_t i = 0; i < def->nsounds; i++)
        virDomainSoundFormat(buf, ctx.indent, def->sounds[i]);
    for (size_t i = 0; i < def->naudios; i++)
        virDomainAudioFormat(buf, ctx.indent, &def->audios[i]);
    for (size_t i = 0; i < def->nvideos; i++)
        formatVideo(&ctx, def->videos[i]);
    for (size_t i = 0; i < def->nhostdevs; i++)
        virDomainHostdevFormat(buf, ctx.indent, def->hostdevs[i], flags);
    for (size_t i = 0; i < def->nredirdevs; i++)
        virDomainRedirdevFormat(buf, ctx.indent, def->redirdevs[i]);
    for (size_t i = 0; i < def->nhubs; i++)
        virDomainAddressedDeviceFormat(buf, ctx.indent, "type='usb'", "hub",
                                       &def->hubs[i]->addr);
    if (def->watchdog)
        virDomainWatchdogFormat(buf, ctx.indent, def->watchdog, flags);
    if (def->memballoon) {
        const virDomainMemballoonDef *mb = def->memballoon;
        g_autoptr(GString) attrs = g_string_new(NULL);

        g_string_printf(attrs, "model='%s'", virDomainMemballoonModelNames[mb->model]);
        if (mb->autodeflate)
            g_string_append_printf(attrs, " autodeflate='%s'",
                                   virDomainTristateSwitchToString(mb->autodeflate));
        if (mb->freePageReporting)
            g_string_append_printf(
                attrs, " freePageReporting='%s'",
                virDomainTristateSwitchToString(mb->freePageReporting));

        if (mb->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE &&
            !virDomainVirtioOptionsIsSet(&mb->virtio) && !mb->period) {
            line(&ctx, "<memballoon %s/>", attrs->str);
        } else {
            line(&ctx, "<memballoon %s>", attrs->str);
            ctx.indent += 2;
            /* libvirt's order: stats, address, driver */
            if (mb->period)
                line(&ctx, "<stats period='%d'/>", mb->period);
            formatAddress(&ctx, &mb->addr);
            formatVirtioDriver(&ctx, &mb->virtio);
            ctx.indent -= 2;
            line(&ctx, "</memballoon>");
        }
    }
    for (size_t i = 0; i < def->nrngs; i++)
        formatRNG(&ctx, def->rngs[i], flags);
    for (size_t i = 0; i < def->npanics; i++)
        virDomainPanicFormat(buf, ctx.indent, def->panics[i]);
    /* libvirt formats a domain that is not running as inactive (no
     * virtio-mem <current>: the test driver's shut-off guests) */
    for (size_t i = 0; i < def->nmems; i++)
        virDomainMemoryFormat(buf, ctx.indent, def->mems[i],
                              flags | (def->id < 0 ? VIR_DOMAIN_DEF_FORMAT_INACTIVE : 0));
    if (def->iommu)
        virDomainIOMMUFormat(buf, ctx.indent, def->iommu, flags);
    ctx.indent -= 2;
    line(&ctx, "</devices>");

    ctx.indent -= 2;
    line(&ctx, "</domain>");
}

char *
virDomainDefFormat(const virDomainDef *def, unsigned int flags)
{
    GString *buf = g_string_sized_new(1024);

    virDomainDefFormatBuf(buf, def, flags, 0);
    return g_string_free(buf, FALSE);
}
