/* domain_conf.c: domain definition enums, lifetime, copy and XML parsing */

#define G_LOG_DOMAIN "virtkit.conf.domain"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "netdev_bandwidth_conf.h"
#include "domain_conf_priv.h"
#include "domain_vcpu_conf.h"
#include "virerror.h"
#include "virfile.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* ---- enum string tables ------------------------------------------------ */

static const char *const virtTypeNames[VIR_DOMAIN_VIRT_LAST] = {
    "none", "qemu",   "kqemu",  "kvm",  "xen",  "lxc",       "uml",   "openvz",
    "test", "vmware", "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz",
};
static const char *const lifecycleActionNames[VIR_DOMAIN_LIFECYCLE_ACTION_LAST] = {
    "destroy",  "restart",          "rename-restart",
    "preserve", "coredump-destroy", "coredump-restart",
};
const char *const virDomainBootNames[VIR_DOMAIN_BOOT_LAST] = {
    "fd",
    "cdrom",
    "hd",
    "network",
};
const char *const virDomainClockOffsetNames[VIR_DOMAIN_CLOCK_OFFSET_LAST] = {
    "utc",
    "localtime",
};
const char *const virDomainDiskTypeNames[VIR_DOMAIN_DISK_TYPE_LAST] = {
    "file",
    "volume",
    "block",
    "network",
};
const char *const virDomainDiskDeviceNames[VIR_DOMAIN_DISK_DEVICE_LAST] = {
    "disk",
    "cdrom",
    "floppy",
};
const char *const virDomainDiskBusNames[VIR_DOMAIN_DISK_BUS_LAST] = {
    "none", "ide", "scsi", "virtio", "usb", "sata", "fdc",
};
const char *const virStorageFormatNames[VIR_STORAGE_FORMAT_LAST] = {
    "none",
    "raw",
    "qcow2",
};
const char *const virDomainDiskCacheNames[VIR_DOMAIN_DISK_CACHE_LAST] = {
    "default", "none", "writethrough", "writeback", "directsync", "unsafe",
};
const char *const virDomainDiskIoNames[VIR_DOMAIN_DISK_IO_LAST] = {
    "default",
    "native",
    "threads",
    "io_uring",
};
const char *const virDomainDiskDiscardNames[VIR_DOMAIN_DISK_DISCARD_LAST] = {
    "default",
    "unmap",
    "ignore",
};
const char *const virDomainDiskDetectZeroesNames[VIR_DOMAIN_DISK_DETECT_ZEROES_LAST] = {
    "default",
    "off",
    "on",
    "unmap",
};
const char *const virDomainDiskErrorPolicyNames[VIR_DOMAIN_DISK_ERROR_POLICY_LAST] = {
    "default", "stop", "report", "ignore", "enospace",
};
const char *const virDomainDiskGeometryTransNames[VIR_DOMAIN_DISK_TRANS_LAST] = {
    "default",
    "none",
    "auto",
    "lba",
};
const char *const virDomainNetTypeNames[VIR_DOMAIN_NET_TYPE_LAST] = {
    "user", "network", "bridge", "ethernet", "vdpa",
};
const char *const virDomainChrTypeNames[VIR_DOMAIN_CHR_TYPE_LAST] = {
    "null", "pty", "file", "dev", "tcp", "udp", "unix",
};
const char *const virDomainChrTcpProtocolNames[VIR_DOMAIN_CHR_TCP_PROTOCOL_LAST] = {
    "raw",
    "telnet",
    "telnets",
    "tls",
};
const char *const virDomainChrTargetNames[VIR_DOMAIN_CHR_TARGET_LAST] = {
    "none",
    "isa-serial",
    "serial",
    "virtio",
};
const char *const virDomainMemballoonModelNames[VIR_DOMAIN_MEMBALLOON_MODEL_LAST] = {
    "virtio",
    "none",
};

const char *
virDomainVirtTypeToString(int type)
{
    return virDomainEnumToString(virtTypeNames, VIR_DOMAIN_VIRT_LAST, type);
}

int
virDomainVirtTypeFromString(const char *str)
{
    return virDomainEnumFromString(virtTypeNames, VIR_DOMAIN_VIRT_LAST, str);
}

const char *
virDomainLifecycleActionToString(int action)
{
    return virDomainEnumToString(lifecycleActionNames, VIR_DOMAIN_LIFECYCLE_ACTION_LAST,
                                 action);
}

int
virDomainLifecycleActionFromString(const char *str)
{
    return virDomainEnumFromString(lifecycleActionNames, VIR_DOMAIN_LIFECYCLE_ACTION_LAST,
                                   str);
}

bool
virDomainDefLifecycleActionAllowed(unsigned int type, unsigned int action)
{
    static const char *const typeNames[VIR_DOMAIN_LIFECYCLE_LAST] = { "poweroff",
                                                                      "reboot", "crash" };

    if (type != VIR_DOMAIN_LIFECYCLE_CRASH &&
        (action == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY ||
         action == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Lifecycle event '%s' doesn't support '%s' action",
                       typeNames[type], virDomainLifecycleActionToString(action));
        return false;
    }
    return true;
}

void
virDomainDefSetLifecycleAction(virDomainDef *def, unsigned int type, unsigned int action)
{
    switch (type) {
    case VIR_DOMAIN_LIFECYCLE_POWEROFF:
        def->onPoweroff = action;
        break;
    case VIR_DOMAIN_LIFECYCLE_REBOOT:
        def->onReboot = action;
        break;
    case VIR_DOMAIN_LIFECYCLE_CRASH:
        def->onCrash = action;
        break;
    default:
        break;
    }
}

const char *
virDomainDiskIoToString(int io)
{
    return virDomainEnumToString(virDomainDiskIoNames, VIR_DOMAIN_DISK_IO_LAST, io);
}

const char *
virDomainDiskDiscardToString(int discard)
{
    return virDomainEnumToString(virDomainDiskDiscardNames, VIR_DOMAIN_DISK_DISCARD_LAST,
                                 discard);
}

const char *
virDomainDiskDetectZeroesToString(int mode)
{
    return virDomainEnumToString(virDomainDiskDetectZeroesNames,
                                 VIR_DOMAIN_DISK_DETECT_ZEROES_LAST, mode);
}

const char *const virDomainIoTuneNames[VIR_DOMAIN_IOTUNE_BASE_LAST] = {
    "total_bytes_sec", "read_bytes_sec", "write_bytes_sec",
    "total_iops_sec",  "read_iops_sec",  "write_iops_sec",
};

bool
virDomainBlockIoTuneIsSet(const virDomainBlockIoTuneInfo *t)
{
    for (size_t i = 0; i < VIR_DOMAIN_IOTUNE_BASE_LAST; i++) {
        if (t->base[i] || t->max[i] || t->maxLen[i])
            return true;
    }
    return t->sizeIops || t->groupName;
}

/* ---- lifetime ---------------------------------------------------------- */

void
virDomainDiskDefFree(virDomainDiskDef *disk)
{
    if (!disk)
        return;
    g_free(disk->driverName);
    g_free(disk->src);
    g_free(disk->srcPool);
    g_free(disk->srcVolume);
    g_free(disk->dst);
    g_free(disk->mirrorSrc);
    g_free(disk->iotune.groupName);
    g_free(disk->serial);
    g_free(disk->wwn);
    g_free(disk->vendor);
    g_free(disk->product);
    virDomainDiskNetSourceFree(disk->net);
    virStorageAuthDefFree(disk->auth);
    virStorageEncryptionFree(disk->encryption);
    virDomainDiskBackingDefFree(disk->backing);
    virDomainDeviceBootClear(&disk->boot);
    g_free(disk);
}

void
virDomainNetDefFree(virDomainNetDef *net)
{
    if (!net)
        return;
    g_free(net->network);
    g_free(net->bridge);
    g_free(net->model);
    g_free(net->ifname);
    g_free(net->alias);
    g_free(net->filterref);
    g_free(net->script);
    g_free(net->downscript);
    g_free(net->tapfds); /* closed by their owner, the QEMU driver */
    virNWFilterParamsFree(net->filterparams);
    virNetDevBandwidthFree(net->bandwidth);
    virDomainNetUserClear(net);
    virDomainDeviceBootClear(&net->boot);
    g_free(net);
}

void
virDomainChrDefFree(virDomainChrDef *chr)
{
    if (!chr)
        return;
    g_free(chr->path);
    g_free(chr->host);
    g_free(chr->service);
    g_free(chr->bindHost);
    g_free(chr->bindService);
    g_free(chr->logFile);
    g_free(chr->targetModel);
    g_free(chr->alias);
    g_free(chr);
}

void
virDomainDefFree(virDomainDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->title);
    g_free(def->description);
    if (def->metadata)
        xmlFreeDoc(def->metadata);
    g_free(def->uidmap);
    g_free(def->gidmap);
    g_free(def->os.type);
    g_free(def->os.arch);
    g_free(def->os.machine);
    g_free(def->os.kernel);
    g_free(def->os.initrd);
    g_free(def->os.cmdline);
    g_free(def->os.loader);
    g_free(def->os.nvram);
    g_free(def->os.nvramTemplate);
    g_free(def->hypervVendorId);
    g_free(def->timers);
    g_free(def->vcpuStates);
    g_free(def->emulator);
    virDomainCpuDefFree(def->cpu);
    for (size_t i = 0; i < def->ndisks; i++)
        virDomainDiskDefFree(def->disks[i]);
    g_free(def->disks);
    for (size_t i = 0; i < def->nnets; i++)
        virDomainNetDefFree(def->nets[i]);
    g_free(def->nets);
    for (size_t i = 0; i < def->nserials; i++)
        virDomainChrDefFree(def->serials[i]);
    g_free(def->serials);
    for (size_t i = 0; i < def->nconsoles; i++)
        virDomainChrDefFree(def->consoles[i]);
    g_free(def->consoles);
    for (size_t i = 0; i < def->nparallels; i++)
        virDomainChrDefFree(def->parallels[i]);
    g_free(def->parallels);
    for (size_t i = 0; i < def->nfss; i++)
        virDomainFSDefFree(def->fss[i]);
    g_free(def->fss);
    g_free(def->memballoon);
    virDomainWatchdogDefFree(def->watchdog);
    virDomainIOMMUDefFree(def->iommu);
    for (size_t i = 0; i < def->npanics; i++)
        virDomainPanicDefFree(def->panics[i]);
    for (size_t i = 0; i < def->ntpms; i++)
        virDomainTPMDefFree(def->tpms[i]);
    g_free(def->tpms);
    g_free(def->panics);
    for (size_t i = 0; i < def->nhostdevs; i++)
        virDomainHostdevDefFree(def->hostdevs[i]);
    g_free(def->hostdevs);
    for (size_t i = 0; i < def->ncontrollers; i++)
        virDomainControllerDefFree(def->controllers[i]);
    g_free(def->controllers);
    for (size_t i = 0; i < def->nchannels; i++)
        virDomainChannelDefFree(def->channels[i]);
    g_free(def->channels);
    for (size_t i = 0; i < def->nrngs; i++)
        virDomainRNGDefFree(def->rngs[i]);
    g_free(def->rngs);
    for (size_t i = 0; i < def->nmems; i++)
        virDomainMemoryDefFree(def->mems[i]);
    g_free(def->mems);
    for (size_t i = 0; i < def->ninputs; i++)
        virDomainInputDefClear(&def->inputs[i]);
    g_free(def->inputs);
    for (size_t i = 0; i < def->ngraphics; i++)
        virDomainGraphicsDefFree(def->graphics[i]);
    g_free(def->graphics);
    for (size_t i = 0; i < def->naudios; i++)
        virDomainAudioDefClear(&def->audios[i]);
    g_free(def->audios);
    for (size_t i = 0; i < def->nvideos; i++) {
        g_free(def->videos[i]->type);
        g_free(def->videos[i]->rendernode);
        g_free(def->videos[i]);
    }
    g_free(def->videos);
    virDomainSpiceDevicesFree(def);
    g_strfreev(def->unknownElements);
    virDomainTuneClear(def);
    virDomainNumaClear(def);
    virDomainIOThreadsClear(def);
    g_free(def);
}

virDomainDef *
virDomainDefNew(void)
{
    virDomainDef *def = g_new0(virDomainDef, 1);

    def->id = -1;
    def->vcpus = 1;
    def->onPoweroff = VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY;
    def->onReboot = VIR_DOMAIN_LIFECYCLE_ACTION_RESTART;
    def->onCrash = VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY;
    def->clockOffset = VIR_DOMAIN_CLOCK_OFFSET_UTC;
    def->mem.hardLimit = VIR_DOMAIN_TUNE_UNLIMITED;
    def->mem.softLimit = VIR_DOMAIN_TUNE_UNLIMITED;
    def->mem.swapHardLimit = VIR_DOMAIN_TUNE_UNLIMITED;
    def->defaultPoolMin = -1;
    def->defaultPoolMax = -1;
    return def;
}

void
virDomainControllerDefFree(virDomainControllerDef *ctrl)
{
    if (!ctrl)
        return;
    g_free(ctrl->model);
    g_free(ctrl->modelName);
    g_free(ctrl);
}

void
virDomainChannelDefFree(virDomainChannelDef *chan)
{
    if (!chan)
        return;
    g_free(chan->path);
    g_free(chan->targetName);
    g_free(chan->alias);
    g_free(chan);
}

void
virDomainRNGDefFree(virDomainRNGDef *rng)
{
    if (!rng)
        return;
    g_free(rng->model);
    g_free(rng->backend);
    g_free(rng->alias);
    g_free(rng);
}

/* ---- copy -------------------------------------------------------------- */

static virDomainDiskDef *
diskCopy(const virDomainDiskDef *src)
{
    virDomainDiskDef *dst = g_new0(virDomainDiskDef, 1);

    *dst = *src;
    dst->driverName = g_strdup(src->driverName);
    dst->src = g_strdup(src->src);
    dst->srcPool = g_strdup(src->srcPool);
    dst->srcVolume = g_strdup(src->srcVolume);
    dst->dst = g_strdup(src->dst);
    dst->mirrorSrc = g_strdup(src->mirrorSrc);
    dst->iotune.groupName = g_strdup(src->iotune.groupName);
    dst->serial = g_strdup(src->serial);
    dst->wwn = g_strdup(src->wwn);
    dst->vendor = g_strdup(src->vendor);
    dst->product = g_strdup(src->product);
    dst->net = virDomainDiskNetSourceCopy(src->net);
    dst->auth = virStorageAuthDefCopy(src->auth);
    dst->encryption = virStorageEncryptionCopy(src->encryption);
    dst->backing = virDomainDiskBackingDefCopy(src->backing);
    virDomainDeviceBootCopy(&dst->boot, &src->boot);
    return dst;
}

static virDomainNetDef *
netCopy(const virDomainNetDef *src)
{
    virDomainNetDef *dst = g_new0(virDomainNetDef, 1);

    *dst = *src;
    dst->network = g_strdup(src->network);
    dst->bridge = g_strdup(src->bridge);
    /* descriptors belong to one definition */
    dst->tapfds = NULL;
    dst->ntapfds = 0;
    dst->model = g_strdup(src->model);
    dst->ifname = g_strdup(src->ifname);
    dst->alias = g_strdup(src->alias);
    dst->filterref = g_strdup(src->filterref);
    dst->script = g_strdup(src->script);
    dst->downscriptDue = false;
    dst->downscript = g_strdup(src->downscript);
    dst->filterparams =
        src->filterparams ? virNWFilterParamsCopy(src->filterparams) : NULL;
    dst->bandwidth = virNetDevBandwidthCopy(src->bandwidth);
    virDomainNetUserCopy(dst, src);
    virDomainDeviceBootCopy(&dst->boot, &src->boot);
    return dst;
}

virDomainChrDef *
virDomainChrDefCopy(const virDomainChrDef *src)
{
    virDomainChrDef *dst = g_new0(virDomainChrDef, 1);

    *dst = *src;
    dst->path = g_strdup(src->path);
    dst->host = g_strdup(src->host);
    dst->service = g_strdup(src->service);
    dst->bindHost = g_strdup(src->bindHost);
    dst->bindService = g_strdup(src->bindService);
    dst->logFile = g_strdup(src->logFile);
    dst->targetModel = g_strdup(src->targetModel);
    dst->alias = g_strdup(src->alias);
    return dst;
}

virDomainDef *
virDomainDefCopy(const virDomainDef *src)
{
    virDomainDef *def = g_new0(virDomainDef, 1);

    *def = *src;
    def->name = g_strdup(src->name);
    def->title = g_strdup(src->title);
    def->description = g_strdup(src->description);
    virDomainTuneCopy(def, src);
    virDomainIOThreadsCopy(def, src);
    def->vcpuStates = src->vcpuStates
                          ? g_memdup2(src->vcpuStates, sizeof(*src->vcpuStates) *
                                                           (src->vcpus ? src->vcpus : 1))
                          : NULL;
    def->metadata = src->metadata ? xmlCopyDoc(src->metadata, 1) : NULL;
    def->uidmap =
        src->nuidmap ? g_memdup2(src->uidmap, src->nuidmap * sizeof(*src->uidmap)) : NULL;
    def->gidmap =
        src->ngidmap ? g_memdup2(src->gidmap, src->ngidmap * sizeof(*src->gidmap)) : NULL;
    def->os.type = g_strdup(src->os.type);
    def->os.arch = g_strdup(src->os.arch);
    def->os.machine = g_strdup(src->os.machine);
    def->os.kernel = g_strdup(src->os.kernel);
    def->os.initrd = g_strdup(src->os.initrd);
    def->os.cmdline = g_strdup(src->os.cmdline);
    def->os.loader = g_strdup(src->os.loader);
    def->os.nvram = g_strdup(src->os.nvram);
    def->os.nvramTemplate = g_strdup(src->os.nvramTemplate);
    def->hypervVendorId = g_strdup(src->hypervVendorId);
    def->timers =
        src->ntimers ? g_memdup2(src->timers, src->ntimers * sizeof(*src->timers)) : NULL;
    def->emulator = g_strdup(src->emulator);
    def->cpu = virDomainCpuDefCopy(src->cpu);

    def->disks = g_new0(virDomainDiskDef *, src->ndisks + 1);
    for (size_t i = 0; i < src->ndisks; i++)
        def->disks[i] = diskCopy(src->disks[i]);
    def->nets = g_new0(virDomainNetDef *, src->nnets + 1);
    for (size_t i = 0; i < src->nnets; i++)
        def->nets[i] = netCopy(src->nets[i]);
    def->serials = g_new0(virDomainChrDef *, src->nserials + 1);
    for (size_t i = 0; i < src->nserials; i++)
        def->serials[i] = virDomainChrDefCopy(src->serials[i]);
    def->consoles = g_new0(virDomainChrDef *, src->nconsoles + 1);
    for (size_t i = 0; i < src->nconsoles; i++)
        def->consoles[i] = virDomainChrDefCopy(src->consoles[i]);
    def->parallels =
        src->nparallels ? g_new0(virDomainChrDef *, src->nparallels + 1) : NULL;
    for (size_t i = 0; i < src->nparallels; i++)
        def->parallels[i] = virDomainChrDefCopy(src->parallels[i]);
    if (src->memballoon)
        def->memballoon = g_memdup2(src->memballoon, sizeof(*src->memballoon));
    def->watchdog = virDomainWatchdogDefCopy(src->watchdog);
    def->iommu = virDomainIOMMUDefCopy(src->iommu);
    def->fss = src->nfss ? g_new0(virDomainFSDef *, src->nfss + 1) : NULL;
    for (size_t i = 0; i < src->nfss; i++)
        def->fss[i] = virDomainFSDefCopy(src->fss[i]);
    def->hostdevs = src->nhostdevs ? g_new0(virDomainHostdevDef *, src->nhostdevs) : NULL;
    for (size_t i = 0; i < src->nhostdevs; i++)
        def->hostdevs[i] = virDomainHostdevDefCopy(src->hostdevs[i]);
    def->tpms = src->ntpms ? g_new0(virDomainTPMDef *, src->ntpms) : NULL;
    for (size_t i = 0; i < src->ntpms; i++)
        def->tpms[i] = virDomainTPMDefCopy(src->tpms[i]);
    def->panics = src->npanics ? g_new0(virDomainPanicDef *, src->npanics) : NULL;
    for (size_t i = 0; i < src->npanics; i++)
        def->panics[i] = g_memdup2(src->panics[i], sizeof(*src->panics[i]));
    def->controllers = g_new0(virDomainControllerDef *, src->ncontrollers + 1);
    for (size_t i = 0; i < src->ncontrollers; i++) {
        virDomainControllerDef *c = g_memdup2(src->controllers[i], sizeof(*c));

        c->model = g_strdup(c->model);
        c->modelName = g_strdup(c->modelName);
        def->controllers[i] = c;
    }
    def->channels = g_new0(virDomainChannelDef *, src->nchannels + 1);
    for (size_t i = 0; i < src->nchannels; i++) {
        virDomainChannelDef *c = g_memdup2(src->channels[i], sizeof(*c));

        c->path = g_strdup(c->path);
        c->targetName = g_strdup(c->targetName);
        c->alias = g_strdup(c->alias);
        def->channels[i] = c;
    }
    def->rngs = g_new0(virDomainRNGDef *, src->nrngs + 1);
    for (size_t i = 0; i < src->nrngs; i++) {
        virDomainRNGDef *r = g_memdup2(src->rngs[i], sizeof(*r));

        r->model = g_strdup(r->model);
        r->backend = g_strdup(r->backend);
        r->alias = g_strdup(r->alias);
        def->rngs[i] = r;
    }
    def->mems = src->nmems ? g_new0(virDomainMemoryDef *, src->nmems + 1) : NULL;
    for (size_t i = 0; i < src->nmems; i++)
        def->mems[i] = virDomainMemoryDefCopy(src->mems[i]);
    def->inputs = src->ninputs ? g_new(virDomainInputDef, src->ninputs) : NULL;
    for (size_t i = 0; i < src->ninputs; i++)
        virDomainInputDefCopyInto(&def->inputs[i], &src->inputs[i]);
    def->graphics = g_new0(virDomainGraphicsDef *, src->ngraphics + 1);
    for (size_t i = 0; i < src->ngraphics; i++)
        def->graphics[i] = virDomainGraphicsDefCopy(src->graphics[i]);
    def->audios =
        src->naudios ? g_memdup2(src->audios, src->naudios * sizeof(*src->audios)) : NULL;
    for (size_t i = 0; i < src->naudios; i++)
        virDomainAudioDefCopyTo(&def->audios[i], &src->audios[i]);
    def->videos = g_new0(virDomainVideoDef *, src->nvideos + 1);
    for (size_t i = 0; i < src->nvideos; i++) {
        virDomainVideoDef *v = g_memdup2(src->videos[i], sizeof(*v));

        v->type = g_strdup(v->type);
        v->rendernode = g_strdup(v->rendernode);
        def->videos[i] = v;
    }
    virDomainSpiceDevicesCopy(def, src);
    def->unknownElements = g_strdupv(src->unknownElements);
    virDomainNumaCopy(def, src);
    return def;
}

/* <memory unit='U'>N</memory> -> KiB, rounded up. Absent: 0. */
static int
parseMemory(xmlNodePtr node, const char *xpath, unsigned long long *kib)
{
    g_autofree char *text = NULL;
    g_autofree char *unit = NULL;
    unsigned long long bytes;

    *kib = 0;
    if (!node)
        return 0;
    text = virDomainXMLNodeText(node);
    if (virDomainParseULL(text, &bytes) < 0) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value '%s' for element or attribute '%s'", text,
                           xpath);
        return -1;
    }
    unit = virDomainXMLProp(node, "unit");
    if (virDomainScaleInteger(&bytes, unit, (unsigned long long)G_MAXINT64) < 0)
        return -1;
    *kib = bytes / 1024 + (bytes % 1024 ? 1 : 0);
    return 0;
}

static int
parseLifecycle(xmlNodePtr root, const char *name, int *action)
{
    xmlNodePtr node = virDomainXMLChild(root, name);
    g_autofree char *text = node ? virDomainXMLNodeTextNonEmpty(node) : NULL;

    if (!text)
        return 0;
    if ((*action = virDomainLifecycleActionFromString(text)) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown %s action: %s", name, text);
        return -1;
    }
    return 0;
}

/* ---- post-parse (generic, as libvirt's conf layer) --------------------- */

static void
chrInsert(virDomainChrDef ***list, size_t *n, size_t pos, virDomainChrDef *chr)
{
    *list = g_renew(virDomainChrDef *, *list, *n + 2);
    memmove(*list + pos + 1, *list + pos, (*n - pos) * sizeof(**list));
    (*list)[pos] = chr;
    (*n)++;
    (*list)[*n] = NULL;
}

/* A serial without a port gets one above every port in use (libvirt
 * looks at all serials, including later ones). */
static void
assignSerialPorts(virDomainChrDef **chrs, size_t n)
{
    int maxport = -1;

    for (size_t i = 0; i < n; i++) {
        if (chrs[i]->targetPort > maxport)
            maxport = chrs[i]->targetPort;
    }
    for (size_t i = 0; i < n; i++) {
        if (chrs[i]->targetPort == -1)
            chrs[i]->targetPort = ++maxport;
    }
}

/*
 * libvirt's console compatibility: the first console, when it is a serial
 * console, is the same device as the first serial port. A serial console
 * without any serial creates that serial; a serial without console gets a
 * console; and the first serial console always mirrors serial 0.
 */
static void
postParseConsoles(virDomainDef *def)
{
    if (def->nconsoles > 0 && def->nserials == 0 &&
        (def->consoles[0]->targetType == VIR_DOMAIN_CHR_TARGET_NONE ||
         def->consoles[0]->targetType == VIR_DOMAIN_CHR_TARGET_SERIAL)) {
        virDomainChrDef *serial = virDomainChrDefCopy(def->consoles[0]);

        serial->deviceType = VIR_DOMAIN_CHR_DEVICE_SERIAL;
        serial->targetType = VIR_DOMAIN_CHR_TARGET_NONE;
        g_clear_pointer(&serial->targetModel, g_free);
        chrInsert(&def->serials, &def->nserials, 0, serial);
    }

    assignSerialPorts(def->serials, def->nserials);

    if (def->nserials == 0)
        goto ports;

    if (def->nconsoles > 0 &&
        (def->consoles[0]->targetType == VIR_DOMAIN_CHR_TARGET_NONE ||
         def->consoles[0]->targetType == VIR_DOMAIN_CHR_TARGET_SERIAL)) {
        virDomainChrDefFree(def->consoles[0]);
        def->consoles[0] = NULL;
    } else {
        chrInsert(&def->consoles, &def->nconsoles, 0, NULL);
    }
    def->consoles[0] = virDomainChrDefCopy(def->serials[0]);
    def->consoles[0]->deviceType = VIR_DOMAIN_CHR_DEVICE_CONSOLE;
    def->consoles[0]->targetType = VIR_DOMAIN_CHR_TARGET_SERIAL;
    g_clear_pointer(&def->consoles[0]->targetModel, g_free);

ports:
    for (size_t i = 0; i < def->nconsoles; i++) {
        if (def->consoles[i]->targetType == VIR_DOMAIN_CHR_TARGET_NONE)
            def->consoles[i]->targetType = VIR_DOMAIN_CHR_TARGET_SERIAL;
    }
}

/* libvirt's rules for the serial ports' numbers (after they are
 * assigned): each port once, and an isa-serial port below 4. A gap is
 * fine (ports 0 and 2, as a --config detach of port 1 leaves them). */
static int
checkSerialPorts(const virDomainDef *def)
{
    for (size_t i = 0; i < def->nserials; i++) {
        const virDomainChrDef *chr = def->serials[i];

        for (size_t j = 0; j < i; j++) {
            if (def->serials[j]->targetPort == chr->targetPort) {
                virReportError(VIR_ERR_INTERNAL_ERROR,
                               "target port '%d' already allocated", chr->targetPort);
                return -1;
            }
        }
        if (chr->targetType == VIR_DOMAIN_CHR_TARGET_ISA_SERIAL && chr->targetPort > 3) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "Maximum supported number of ISA serial ports is '4'");
            return -1;
        }
    }
    return 0;
}

static int
postParse(virDomainDef *def, unsigned int flags)
{
    /* libvirt numbers the consoles it parsed by their position, whatever
     * port they gave, before the serial compatibility console is added */
    for (size_t i = 0; i < def->nconsoles; i++)
        def->consoles[i]->targetPort = (int)i;

    if (virDomainNumaPostParse(def, flags) < 0)
        return -1;
    if (def->currentMemory == 0 || def->currentMemory > def->memory)
        def->currentMemory = def->memory;

    if (def->vcpus == 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "CPU IDs in <numa> exceed the <vcpu> count");
        return -1;
    }

    if (g_strcmp0(def->os.type, "hvm") == 0 && virDomainDefBootOrderPostParse(def) < 0)
        return -1;

    postParseConsoles(def);
    return checkSerialPorts(def);
}

static int
validateLifecycle(const char *event, int action)
{
    if (action == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY ||
        action == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Lifecycle event '%s' doesn't support '%s' action", event,
                       virDomainLifecycleActionToString(action));
        return -1;
    }
    return 0;
}

/* ---- the document ------------------------------------------------------ */

static const char *const noAttrs[] = { NULL };
static const char *const unitAttrs[] = { "unit", NULL };

/* Attributes of the generic (non-device) elements that are carried. */
static const virDomainXMLAttrRule domainAttrRules[] = {
    { "", (const char *const[]){ "type", "id", NULL } },
    { "name", noAttrs },
    { "uuid", noAttrs },
    { "genid", noAttrs },
    { "title", noAttrs },
    { "description", noAttrs },
    { "memory", unitAttrs },
    { "currentMemory", unitAttrs },
    { "maxMemory", (const char *const[]){ "slots", "unit", NULL } },
    { "vcpu", (const char *const[]){ "placement", "cpuset", "current", NULL } },
    { "vcpus", noAttrs },
    { "vcpus/vcpu",
      (const char *const[]){ "id", "enabled", "hotpluggable", "order", NULL } },
    { "os", (const char *const[]){ "firmware", NULL } },
    { "os/loader",
      (const char *const[]){ "readonly", "secure", "type", "stateless", NULL } },
    { "os/nvram", (const char *const[]){ "template", "type", NULL } },
    { "os/nvram/source", (const char *const[]){ "file", NULL } },
    { "os/firmware", noAttrs },
    { "os/type", (const char *const[]){ "arch", "machine", NULL } },
    { "os/boot", (const char *const[]){ "dev", NULL } },
    { "os/bootmenu", (const char *const[]){ "enable", "timeout", NULL } },
    { "os/kernel", noAttrs },
    { "os/initrd", noAttrs },
    { "os/cmdline", noAttrs },
    { "idmap", noAttrs },
    { "idmap/uid", (const char *const[]){ "start", "target", "count", NULL } },
    { "idmap/gid", (const char *const[]){ "start", "target", "count", NULL } },
    { "features", noAttrs },
    { "features/acpi", noAttrs },
    { "features/apic", (const char *const[]){ "eoi", NULL } },
    { "features/pvspinlock", (const char *const[]){ "state", NULL } },
    { "features/pae", noAttrs },
    { "features/vmport", (const char *const[]){ "state", NULL } },
    { "features/smm", (const char *const[]){ "state", NULL } },
    { "features/vmcoreinfo", (const char *const[]){ "state", NULL } },
    { "features/ioapic", (const char *const[]){ "driver", NULL } },
    { "clock", (const char *const[]){ "offset", NULL } },
    { "clock/timer",
      (const char *const[]){ "name", "present", "tickpolicy", "track", NULL } },
    { "pm", noAttrs },
    { "pm/suspend-to-mem", (const char *const[]){ "enabled", NULL } },
    { "pm/suspend-to-disk", (const char *const[]){ "enabled", NULL } },
    { "perf", noAttrs },
    { "perf/event", (const char *const[]){ "name", "enabled", NULL } },
    { "on_poweroff", noAttrs },
    { "on_reboot", noAttrs },
    { "on_crash", noAttrs },
    { "devices", noAttrs },
    { "devices/emulator", noAttrs },
    { "cpu", (const char *const[]){ "mode", "match", "check", "migratable", NULL } },
    { "cpu/model", (const char *const[]){ "fallback", "vendor_id", NULL } },
    { "cpu/vendor", noAttrs },
    { "cpu/topology",
      (const char *const[]){ "sockets", "dies", "cores", "threads", NULL } },
    { "cpu/feature", (const char *const[]){ "policy", "name", NULL } },
    { "cpu/cache", (const char *const[]){ "level", "mode", NULL } },
    { "memtune", noAttrs },
    { "memtune/hard_limit", unitAttrs },
    { "memtune/soft_limit", unitAttrs },
    { "memtune/swap_hard_limit", unitAttrs },
    { "memtune/min_guarantee", unitAttrs },
    { "cputune", noAttrs },
    { "cputune/shares", noAttrs },
    { "cputune/period", noAttrs },
    { "cputune/quota", noAttrs },
    { "cputune/global_period", noAttrs },
    { "cputune/global_quota", noAttrs },
    { "cputune/emulator_period", noAttrs },
    { "cputune/emulator_quota", noAttrs },
    { "cputune/iothread_period", noAttrs },
    { "cputune/iothread_quota", noAttrs },
    { "cputune/vcpupin", (const char *const[]){ "vcpu", "cpuset", NULL } },
    { "cputune/emulatorpin", (const char *const[]){ "cpuset", NULL } },
    { "cputune/iothreadpin", (const char *const[]){ "iothread", "cpuset", NULL } },
    { "iothreads", noAttrs },
    { "iothreadids", noAttrs },
    { "iothreadids/iothread",
      (const char *const[]){ "id", "thread_pool_min", "thread_pool_max", NULL } },
    { "defaultiothread",
      (const char *const[]){ "thread_pool_min", "thread_pool_max", NULL } },
    { "blkiotune", noAttrs },
    { "blkiotune/weight", noAttrs },
    { "blkiotune/device", noAttrs },
    { "blkiotune/device/path", noAttrs },
    { "blkiotune/device/weight", noAttrs },
    { "blkiotune/device/read_iops_sec", noAttrs },
    { "blkiotune/device/write_iops_sec", noAttrs },
    { "blkiotune/device/read_bytes_sec", noAttrs },
    { "blkiotune/device/write_bytes_sec", noAttrs },
    { "numatune", noAttrs },
    { "numatune/memory", (const char *const[]){ "mode", "placement", "nodeset", NULL } },
    { "numatune/memnode", (const char *const[]){ "cellid", "mode", "nodeset", NULL } },
    { "resource", noAttrs },
    { "resource/partition", noAttrs },
    { NULL, NULL },
};

static int
idmapEntryCompare(const void *a, const void *b)
{
    const virDomainIdMapEntry *x = a;
    const virDomainIdMapEntry *y = b;

    return x->start < y->start ? -1 : x->start > y->start;
}

/* <idmap>'s <uid> or <gid> entries (libvirt's virDomainIdmapDefParseXML:
 * every attribute needed, sorted by start); other children unknown */
static int
parseIdmap(virDomainDef *def, xmlNodePtr idmap, GPtrArray *unknown, unsigned int flags,
           bool *failed)
{
    g_autoptr(GArray) uids = g_array_new(FALSE, FALSE, sizeof(virDomainIdMapEntry));
    g_autoptr(GArray) gids = g_array_new(FALSE, FALSE, sizeof(virDomainIdMapEntry));

    for (xmlNodePtr c = idmap->children; c; c = c->next) {
        virDomainIdMapEntry e = { 0, 0, 0 };
        unsigned int *fields[] = { &e.start, &e.target, &e.count };
        const char *names[] = { "start", "target", "count" };
        bool uid;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        uid = virDomainXMLNodeIs(c, "uid");
        if (!uid && !virDomainXMLNodeIs(c, "gid")) {
            virDomainXMLRecordUnknown(unknown, "idmap", c, flags, failed);
            if (*failed)
                return -1;
            continue;
        }
        for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
            g_autofree char *v = virDomainXMLProp(c, names[i]);
            unsigned long long n;

            if (!v || virDomainParseULL(v, &n) < 0 || n > G_MAXUINT) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "invalid idmap start/target/count settings");
                return -1;
            }
            *fields[i] = (unsigned int)n;
        }
        g_array_append_val(uid ? uids : gids, e);
    }
    g_array_sort(uids, idmapEntryCompare);
    g_array_sort(gids, idmapEntryCompare);
    def->nuidmap = uids->len;
    def->ngidmap = gids->len;
    def->uidmap = virDomainArrayStealExact(g_steal_pointer(&uids));
    def->gidmap = virDomainArrayStealExact(g_steal_pointer(&gids));
    /* libvirt's virDomainDefIdMapValidate */
    if (!def->uidmap != !def->gidmap) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "uid and gid should be mapped both");
        return -1;
    }
    if ((def->uidmap && def->uidmap[0].start != 0) ||
        (def->gidmap && def->gidmap[0].start != 0)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "You must map the root user of container");
        return -1;
    }
    return 0;
}

/* any <vcpupin> or <iothreadpin> */
static bool
hasPins(const virDomainDef *def)
{
    for (size_t i = 0; i < def->cputune.nvcpupin; i++) {
        if (def->cputune.vcpupin[i])
            return true;
    }
    for (size_t i = 0; i < def->niothreads; i++) {
        if (def->iothreads[i]->cpuset)
            return true;
    }
    return false;
}

static const char *const knownTopLevel[] = {
    "name",      "uuid",          "title",       "description",
    "memory",    "currentMemory", "vcpu",        "os",
    "features",  "clock",         "on_poweroff", "on_reboot",
    "on_crash",  "devices",       "metadata",    "pm",
    "cpu",       "cputune",       "memtune",     "resource",
    "blkiotune", "numatune",      "maxMemory",   "memoryBacking",
    "genid",     "iothreads",     "iothreadids", "defaultiothread",
    "vcpus",     "perf",          "idmap",       NULL,
};

/* <genid> as libvirt's virDomainDefParseIDs: at most one, empty means
 * "generate one", else a UUID */
static int
parseGenid(virDomainDef *def, xmlNodePtr root)
{
    xmlNodePtr node = NULL;
    g_autofree char *text = NULL;

    for (xmlNodePtr cur = root->children; cur; cur = cur->next) {
        if (!virDomainXMLNodeIs(cur, "genid"))
            continue;
        if (node) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "element 'genid' can only appear once");
            return -1;
        }
        node = cur;
    }
    if (!node)
        return 0;
    def->genidRequested = true;
    text = virDomainXMLNodeText(node);
    if (!text || !*text) {
        virUUIDGenerate(def->genid);
    } else if (virUUIDParse(text, def->genid) < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "malformed genid element");
        return -1;
    }
    return 0;
}

virDomainDef *
virDomainDefParseNode(xmlNodePtr root, unsigned int flags)
{
    g_autoptr(virDomainDef) def = virDomainDefNew();
    g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *type = NULL;
    g_autofree char *uuid = NULL;
    g_autofree char *vcpu = NULL;
    xmlNodePtr node;
    bool failed = false;

    if (!root || root->type != XML_ELEMENT_NODE ||
        strcmp((const char *)root->name, "domain") != 0) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "expecting root element of 'domain', not '%s'",
                           root && root->name ? (const char *)root->name : "");
        return NULL;
    }

    /* the order of checks follows libvirt's, so that a document with
     * several faults reports the same first one */
    if (!(type = virDomainXMLProp(root, "type"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing domain type attribute");
        return NULL;
    }
    if ((def->virtType = virDomainVirtTypeFromString(type)) <= VIR_DOMAIN_VIRT_NONE) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "invalid domain type %s", type);
        return NULL;
    }

    if (!(flags & VIR_DOMAIN_DEF_PARSE_INACTIVE)) {
        g_autofree char *id = virDomainXMLProp(root, "id");
        unsigned long long val;

        if (id) {
            if (virDomainParseULL(id, &val) < 0 || val > G_MAXINT) {
                virReportError(VIR_ERR_XML_ERROR, "invalid domain id '%s'", id);
                return NULL;
            }
            def->id = (int)val;
        }
    }

    if (!(def->name = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(root, "name")))) {
        virReportError(VIR_ERR_NO_NAME, NULL);
        return NULL;
    }
    if (strchr(def->name, '\n')) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_DETAIL, __func__,
                           "invalid char in name: \n");
        return NULL;
    }
    if (strchr(def->name, '/')) {
        virReportError(VIR_ERR_XML_ERROR, "name %s cannot contain '/'", def->name);
        return NULL;
    }
    /* Not in libvirt 9.0: a definition is stored as NAME.xml, so "." and
     * ".." would make hidden files clashing with the atomic writes'
     * temporary files (.NAME.xml.XXXXXX), and "..xml" is no better. */
    if (def->name[0] == '.') {
        virReportError(VIR_ERR_XML_ERROR, "name %s cannot start with '.'", def->name);
        return NULL;
    }

    if ((uuid = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(root, "uuid")))) {
        if (virUUIDParse(uuid, def->uuid) < 0) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "malformed uuid element");
            return NULL;
        }
    } else {
        virUUIDGenerate(def->uuid);
    }
    if (parseGenid(def, root) < 0)
        return NULL;

    if (virDomainOSTypeParse(def, virDomainXMLChild(root, "os")) < 0)
        return NULL;

    def->title = virDomainXMLNodeTextNonEmpty(virDomainXMLChild(root, "title"));
    if (def->title && strchr(def->title, '\n')) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "Domain title can't contain newlines");
        return NULL;
    }
    def->description =
        virDomainXMLNodeTextNonEmpty(virDomainXMLChild(root, "description"));

    if ((node = virDomainXMLChild(root, "metadata")) &&
        !(def->metadata = virDomainMetadataCopy(node))) {
        virReportError(VIR_ERR_NO_MEMORY, NULL);
        return NULL;
    }

    if (parseMemory(virDomainXMLChild(root, "memory"), "./memory[1]", &def->memory) < 0)
        return NULL;
    if (parseMemory(virDomainXMLChild(root, "currentMemory"), "./currentMemory[1]",
                    &def->currentMemory) < 0)
        return NULL;
    if (virDomainMemoryBackingParse(def, root, unknown, flags, &failed) < 0)
        return NULL;

    if ((node = virDomainXMLChild(root, "vcpu"))) {
        unsigned long long val;

        g_autofree char *placement = virDomainXMLProp(node, "placement");
        g_autofree char *current = virDomainXMLProp(node, "current");
        g_autofree char *cpuset = virDomainXMLProp(node, "cpuset");
        bool hasCpuset = cpuset != NULL;

        vcpu = virDomainXMLNodeText(node);
        if (virDomainParseULL(vcpu, &val) < 0 || val > G_MAXUINT) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "maximum vcpus count must be an integer");
            return NULL;
        }
        def->vcpus = (unsigned int)val;
        if (placement && g_str_equal(placement, "auto")) {
            def->vcpuPlacementAuto = true;
        } else if (placement && !g_str_equal(placement, "static")) {
            virDomainXMLReportInvalidAttr("placement", node, placement);
            return NULL;
        }
        /* libvirt reads no cpuset with automatic placement */
        if (hasCpuset && !def->vcpuPlacementAuto &&
            !(def->cputune.vcpuCpuset = virDomainParsePinCpuset(node)))
            return NULL;
        if (current) {
            unsigned long long cur;

            if (virDomainParseULL(current, &cur) < 0 || cur > G_MAXUINT) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "current vcpus count must be an integer");
                return NULL;
            }
            if (cur > val) {
                virReportError(
                    VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                    "maximum vCPU count must not be less than current vCPU count");
                return NULL;
            }
            /* libvirt: current='0' means all of them */
            def->vcpusCurrent = cur == val ? 0 : (unsigned int)cur;
        }
    }
    /* <vcpus> states, when given, decide which vCPUs are online */
    if (virDomainVcpusParse(def, root) < 0)
        return NULL;

    if (parseLifecycle(root, "on_reboot", &def->onReboot) < 0 ||
        parseLifecycle(root, "on_poweroff", &def->onPoweroff) < 0 ||
        parseLifecycle(root, "on_crash", &def->onCrash) < 0)
        return NULL;

    /* libvirt parses <perf> between the lifecycle actions and <clock> */
    if (virDomainPerfParse(def, root, unknown, flags, &failed) < 0 || failed)
        return NULL;

    if ((node = virDomainXMLChild(root, "clock")) &&
        (virDomainClockParse(def, node, unknown, flags, &failed) < 0 || failed))
        return NULL;

    if (virDomainOSParse(def, virDomainXMLChild(root, "os"), unknown, flags, &failed) <
            0 ||
        failed)
        return NULL;

    if ((node = virDomainXMLChild(root, "features")) &&
        (virDomainFeaturesParse(def, node, unknown, flags, &failed) < 0 || failed))
        return NULL;

    if ((node = virDomainXMLChild(root, "cpu")) &&
        (virDomainCpuDefParse(node, unknown, flags, &failed, &def->cpu) < 0 || failed))
        return NULL;
    if (node && virDomainNumaParse(def, node, unknown, flags, &failed) < 0)
        return NULL;

    if (virDomainIOThreadsParse(def, root, unknown, flags, &failed) < 0 || failed)
        return NULL;

    if (virDomainTuneParse(def, root, unknown, flags, &failed) < 0 || failed)
        return NULL;
    /* libvirt: memory placed by numad and no vCPU pinned anywhere places
     * the vCPUs automatically too */
    if (def->numatune.autoPlace && !def->cputune.vcpuCpuset &&
        !def->cputune.emulatorpin && !hasPins(def))
        def->vcpuPlacementAuto = true;

    if ((node = virDomainXMLChild(root, "pm")) &&
        (virDomainPMParse(def, node, unknown, flags, &failed) < 0 || failed))
        return NULL;

    if ((node = virDomainXMLChild(root, "devices")) &&
        virDomainDevicesParse(def, node, unknown, flags, &failed) < 0)
        return NULL;
    if ((node = virDomainXMLChild(root, "idmap")) &&
        parseIdmap(def, node, unknown, flags, &failed) < 0)
        return NULL;

    virDomainXMLCheckAttrs(unknown, NULL, root, domainAttrRules, flags, &failed);
    if (failed)
        return NULL;

    for (xmlNodePtr cur = root->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (!virDomainStrInList(knownTopLevel, (const char *)cur->name)) {
            virDomainXMLRecordUnknown(unknown, NULL, cur, flags, &failed);
            if (failed)
                return NULL;
        }
    }

    if (postParse(def, flags) < 0 || virDomainVcpusPostParse(def) < 0 ||
        virDomainTPMsValidate(def, false) < 0 || virDomainNumaValidate(def) < 0 ||
        virDomainIOThreadsValidate(def) < 0 ||
        (!(flags & VIR_DOMAIN_DEF_PARSE_SKIP_MEMDEV_VALIDATE) &&
         virDomainMemoryDevicesValidate(def) < 0))
        return NULL;

    if (virDomainLoaderValidate(def, root) < 0 || virDomainIOMMUValidate(def) < 0)
        return NULL;

    if (validateLifecycle("poweroff", def->onPoweroff) < 0 ||
        validateLifecycle("reboot", def->onReboot) < 0)
        return NULL;

    if (unknown->len > 0) {
        g_ptr_array_add(unknown, NULL);
        def->unknownElements =
            (char **)virDomainPtrArrayStealExact(g_steal_pointer(&unknown));
    }
    return g_steal_pointer(&def);
}

virDomainDef *
virDomainDefParseString(const char *xml, unsigned int flags)
{
    xmlDocPtr doc;
    virDomainDef *def;

    if (!xml) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "xml must not be NULL");
        return NULL;
    }
    if (!(doc = virDomainXMLReadDoc(xml, strlen(xml), "(domain_definition)")))
        return NULL;
    def = virDomainDefParseNode(xmlDocGetRootElement(doc), flags);
    xmlFreeDoc(doc);
    return def;
}

virDomainDef *
virDomainDefParseFile(const char *path, unsigned int flags)
{
    g_autofree char *buf = NULL;
    ssize_t len;
    xmlDocPtr doc;
    virDomainDef *def;

    if ((len = virFileReadAll(path, VIR_DOMAIN_XML_MAX_SIZE, &buf)) < 0)
        return NULL;
    if (!(doc = virDomainXMLReadDoc(buf, len, path)))
        return NULL;
    def = virDomainDefParseNode(xmlDocGetRootElement(doc), flags);
    xmlFreeDoc(doc);
    return def;
}
