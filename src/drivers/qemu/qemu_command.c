/* qemu_command.c: build a (validated) domain definition's QEMU command line */

#define G_LOG_DOMAIN "virtkit.qemu.command"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "qemu_command.h"
#include "domain_vcpu_conf.h"
#include "qemu_command_priv.h"
#include "qemu_monitor.h"
#include "qemu_block_net.h"
#include "qemu_command_memory.h"
#include "qemu_iothread.h"
#include "qemu_cpu.h"
#include "qemu_domain_address.h"
#include "qemu_security.h"
#include "qemu_tpm.h"
#include "qemu_validate.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

bool
qemuMachineIsQ35(const char *machine)
{
    return machine &&
           (g_str_has_prefix(machine, "pc-q35-") || g_str_equal(machine, "q35"));
}

bool
qemuMachineIsI440FX(const char *machine)
{
    return machine &&
           (g_str_has_prefix(machine, "pc-i440fx-") || g_str_equal(machine, "pc"));
}

/* The bus a disk really uses: given, or derived from its target name as
 * libvirt does (vd -> virtio, hd -> ide, sd -> scsi). */
int
qemuDiskBus(const virDomainDiskDef *disk)
{
    if (disk->bus != VIR_DOMAIN_DISK_BUS_NONE)
        return disk->bus;
    if (disk->dst && g_str_has_prefix(disk->dst, "vd"))
        return VIR_DOMAIN_DISK_BUS_VIRTIO;
    if (disk->dst && g_str_has_prefix(disk->dst, "hd"))
        return VIR_DOMAIN_DISK_BUS_IDE;
    if (disk->dst && g_str_has_prefix(disk->dst, "sd"))
        return VIR_DOMAIN_DISK_BUS_SCSI;
    return VIR_DOMAIN_DISK_BUS_NONE;
}

/* "sdc" -> 2, "vdaa" -> 26; -1 if not a disk name. */
int
qemuDiskIndex(const char *dst)
{
    const char *p;
    int idx = 0;

    if (!dst || strlen(dst) < 3)
        return -1;
    p = dst + 2;
    for (; *p; p++) {
        if (*p < 'a' || *p > 'z')
            return -1;
        idx = idx * 26 + (*p - 'a' + 1);
        if (idx > 100000)
            return -1;
    }
    return idx - 1;
}

const char *
qemuNetModel(const virDomainNetDef *net)
{
    if (!net->model || g_str_equal(net->model, "virtio"))
        return "virtio-net-pci";
    if (g_str_equal(net->model, "e1000"))
        return "e1000";
    if (g_str_equal(net->model, "e1000e"))
        return "e1000e";
    if (g_str_equal(net->model, "rtl8139"))
        return "rtl8139";
    return NULL;
}

char *
qemuNetAlias(const virDomainNetDef *net, size_t idx)
{
    return net->alias ? g_strdup(net->alias) : g_strdup_printf("net%zu", idx);
}

const char *
qemuDiskStorageDriver(int type)
{
    return type == VIR_DOMAIN_DISK_TYPE_BLOCK ? "host_device" : "file";
}

const char *
qemuSoundDevice(const char *model)
{
    static const char *const map[][2] = {
        { "ich6", "intel-hda" }, { "ich9", "ich9-intel-hda" }, { "ac97", "AC97" },
        { "es1370", "ES1370" },  { "sb16", "sb16" },           { "usb", "usb-audio" },
    };

    for (size_t i = 0; model && i < G_N_ELEMENTS(map); i++) {
        if (g_str_equal(map[i][0], model))
            return map[i][1];
    }
    return NULL;
}

const char *
qemuRNGModel(const virDomainRNGDef *rng)
{
    if (g_str_equal(rng->model, "virtio-transitional"))
        return "virtio-rng-pci-transitional";
    if (g_str_equal(rng->model, "virtio-non-transitional"))
        return "virtio-rng-pci-non-transitional";
    return "virtio-rng-pci";
}

bool
qemuDomainHasEGLHeadless(const virDomainDef *def)
{
    for (size_t i = 0; i < def->ngraphics; i++) {
        if (def->graphics[i]->type == VIR_DOMAIN_GRAPHICS_TYPE_EGL_HEADLESS)
            return true;
    }
    return false;
}

char *
qemuEscapeComma(const char *s)
{
    g_auto(GStrv) parts = g_strsplit(s, ",", -1);

    return g_strjoinv(",,", parts);
}

/* Cache mode -> (write-cache, direct, no-flush), libvirt's table. */
char *
qemuPCIAddrProps(const virDomainDef *def, const virDomainDeviceAddress *addr)
{
    g_autofree char *bus = NULL;

    if (addr->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI ||
        virDomainDeviceAddressIsEmptyPCI(addr))
        return g_strdup("");
    bus = qemuDomainPCIBusName(def, addr->bus);
    if (addr->function)
        return g_strdup_printf(",bus=%s%s,addr=0x%x.0x%x", bus,
                               addr->multifunction == 1 ? ",multifunction=on" : "",
                               addr->slot, addr->function);
    return g_strdup_printf(",bus=%s%s,addr=0x%x", bus,
                           addr->multifunction == 1 ? ",multifunction=on" : "",
                           addr->slot);
}

static const char *const virtioOptionProps[] = { "iommu_platform", "ats", "packed",
                                                 "page-per-vq" };

void
qemuVirtioOptionsKeyval(GString *dev, const virDomainVirtioOptions *v)
{
    const int vals[] = { v->iommu, v->ats, v->packed, v->pagePerVq };

    for (size_t i = 0; i < G_N_ELEMENTS(vals); i++) {
        if (vals[i])
            g_string_append_printf(dev, ",%s=%s", virtioOptionProps[i],
                                   vals[i] == VIR_DOMAIN_TRISTATE_ON ? "on" : "off");
    }
}

void
qemuVirtioOptionsProps(json_object *props, const virDomainVirtioOptions *v)
{
    const int vals[] = { v->iommu, v->ats, v->packed, v->pagePerVq };

    for (size_t i = 0; i < G_N_ELEMENTS(vals); i++) {
        if (vals[i])
            json_object_object_add(
                props, virtioOptionProps[i],
                json_object_new_boolean(vals[i] == VIR_DOMAIN_TRISTATE_ON));
    }
}

/* libvirt's -blockdev pair for pflash unit @unit (0: code, 1: NVRAM). */
static void
qemuBuildPflash(GPtrArray *a, int unit, const char *path, bool readonly)
{
    g_autofree char *esc = g_strescape(path, NULL);

    add(a, "-blockdev");
    addf(a,
         "{\"driver\":\"file\",\"filename\":\"%s\",\"node-name\":\"libvirt-pflash%d-"
         "storage\",\"auto-read-only\":true,\"discard\":\"unmap\"}",
         esc, unit);
    add(a, "-blockdev");
    addf(a,
         "{\"node-name\":\"libvirt-pflash%d-format\",\"read-only\":%s,\"driver\":\"raw\","
         "\"file\":\"libvirt-pflash%d-storage\"}",
         unit, readonly ? "true" : "false", unit);
}

/* -rtc with the rtc timer's track and catch-up, then the PIT's lost tick
 * policy and the HPET (libvirt's qemuBuildClockCommandLine; the validator
 * refused the rest). */
static void
qemuBuildClock(GPtrArray *a, const virDomainDef *def)
{
    static const char *const rtcClock[] = { NULL, NULL, "vm", "host", "rt" };
    g_autoptr(GString) rtc = g_string_new(
        def->clockOffset == VIR_DOMAIN_CLOCK_OFFSET_LOCALTIME ? "base=localtime"
                                                              : "base=utc");

    for (size_t i = 0; i < def->ntimers; i++) {
        const virDomainTimerDef *t = &def->timers[i];

        if (t->name != VIR_DOMAIN_TIMER_NAME_RTC)
            continue;
        if (t->track > 0 && t->track < (int)G_N_ELEMENTS(rtcClock) && rtcClock[t->track])
            g_string_append_printf(rtc, ",clock=%s", rtcClock[t->track]);
        if (t->tickpolicy == VIR_DOMAIN_TIMER_TICKPOLICY_CATCHUP)
            g_string_append(rtc, ",driftfix=slew");
    }
    add(a, "-rtc");
    add(a, rtc->str);
    for (size_t i = 0; i < def->ntimers; i++) {
        const virDomainTimerDef *t = &def->timers[i];

        if (t->name == VIR_DOMAIN_TIMER_NAME_PIT &&
            (t->tickpolicy == VIR_DOMAIN_TIMER_TICKPOLICY_NONE ||
             t->tickpolicy == VIR_DOMAIN_TIMER_TICKPOLICY_DELAY)) {
            add(a, "-global");
            add(a, "kvm-pit.lost_tick_policy=delay");
        } else if (t->name == VIR_DOMAIN_TIMER_NAME_PIT &&
                   t->tickpolicy == VIR_DOMAIN_TIMER_TICKPOLICY_DISCARD) {
            add(a, "-global");
            add(a, "kvm-pit.lost_tick_policy=discard");
        } else if (t->name == VIR_DOMAIN_TIMER_NAME_HPET &&
                   t->present == VIR_DOMAIN_TRISTATE_OFF) {
            add(a, "-no-hpet");
        }
    }
}

/* <pm>: the ACPI S3/S4 switches of the machine's power management device. */
static void
qemuBuildPM(GPtrArray *a, const virDomainDef *def, const char *machine)
{
    const char *dev = qemuMachineIsQ35(machine) ? "ICH9-LPC" : "PIIX4_PM";

    if (def->pmS3) {
        add(a, "-global");
        addf(a, "%s.disable_s3=%d", dev, def->pmS3 == VIR_DOMAIN_TRISTATE_OFF);
    }
    if (def->pmS4) {
        add(a, "-global");
        addf(a, "%s.disable_s4=%d", dev, def->pmS4 == VIR_DOMAIN_TRISTATE_OFF);
    }
}

void
qemuArgvFormat(GString *buf, const char *const *argv, const char *sep)
{
    for (size_t i = 0; argv[i]; i++) {
        g_autofree char *q = NULL;
        const char *arg = argv[i];

        if (strpbrk(arg, " \t\n'\"\\$`;&|<>()*?[]#~!{}") || !*arg) {
            q = g_shell_quote(arg);
            arg = q;
        }
        if (i)
            g_string_append(buf, sep);
        g_string_append(buf, arg);
    }
}

void
qemuDomainPrepareChannelPaths(virDomainDef *def, const char *dir)
{
    for (size_t i = 0; i < def->nchannels; i++) {
        virDomainChannelDef *c = def->channels[i];

        if (!c->unixSocket || c->path)
            continue;
        if (c->targetName)
            c->path = g_strdup_printf("%s/%s", dir, c->targetName);
        else
            c->path = g_strdup_printf("%s/channel%zu", dir, i);
        c->pathGenerated = true;
    }
}

static gint
qemuControllerIndexCmp(gconstpointer pa, gconstpointer pb)
{
    const virDomainControllerDef *ca = *(const virDomainControllerDef *const *)pa;
    const virDomainControllerDef *cb = *(const virDomainControllerDef *const *)pb;

    return ca->idx - cb->idx;
}

/* libvirt's id of USB controller @idx: "usb", "usb1", ... */
static char *
qemuUSBControllerId(int idx)
{
    return idx ? g_strdup_printf("usb%d", idx) : g_strdup("usb");
}

/* Controllers QEMU gets a device for (the machine's built-in ones, pcie.0,
 * pci.0, its AHCI and IDE, need none), in libvirt's order: the PCI ones by
 * index (they are the buses the others plug into), then USB and
 * virtio-serial. */
/* The port= of a USB device: "2", or "1.3" behind the hub at port 1 (a
 * device without an address, which the validator allows only where
 * libvirt has no port list, gets @fallback). New string. */
char *
qemuUSBPortString(const virDomainDeviceAddress *addr, unsigned int fallback)
{
    g_autoptr(GString) s = g_string_new(NULL);

    if (addr->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB || !addr->usbPort[0])
        return g_strdup_printf("%u", fallback);
    for (int i = 0; i < VIR_DOMAIN_USB_PORT_LEVELS && addr->usbPort[i]; i++)
        g_string_append_printf(s, "%s%u", i ? "." : "", addr->usbPort[i]);
    return g_string_free(g_steal_pointer(&s), FALSE);
}

static int
qemuUSBPortDepth(const virDomainDeviceAddress *addr)
{
    int d = 0;

    while (d < VIR_DOMAIN_USB_PORT_LEVELS && addr->usbPort[d])
        d++;
    return d;
}

static void
qemuBuildControllers(GPtrArray *a, const virDomainDef *def)
{
    g_autoptr(GPtrArray) pci = g_ptr_array_new();

    for (size_t i = 0; i < def->ncontrollers; i++) {
        virDomainControllerDef *c = def->controllers[i];

        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_PCI && c->idx > 0)
            g_ptr_array_add(pci, c);
        /* pci-root's <target hotplug>: ACPI hotplug on pci.0 (libvirt
         * writes it before the PCI controllers) */
        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_PCI && c->idx == 0 &&
            g_strcmp0(c->model, "pci-root") == 0 && c->targetHotplug) {
            add(a, "-global");
            addf(a, "PIIX4_PM.acpi-root-pci-hotplug=%s",
                 virDomainTristateSwitchToString(c->targetHotplug));
        }
    }
    g_ptr_array_sort(pci, qemuControllerIndexCmp);
    for (guint i = 0; i < pci->len; i++) {
        const virDomainControllerDef *c = g_ptr_array_index(pci, i);
        g_autofree char *addr = qemuPCIAddrProps(def, &c->addr);

        g_autoptr(GString) dev = g_string_new(c->modelName);

        /* libvirt's qemuBuildControllerPCIDevProps (the validator made
         * sure that every option a model needs is there) */
        if (g_strcmp0(c->model, "pcie-root-port") == 0 ||
            g_strcmp0(c->model, "pcie-switch-downstream-port") == 0)
            g_string_append_printf(dev, ",port=0x%x,chassis=%d", c->targetPort,
                                   c->targetChassis);
        else if (g_strcmp0(c->model, "pci-bridge") == 0)
            g_string_append_printf(dev, ",chassis_nr=%d", c->targetChassisNr);
        else if (c->model && g_str_has_suffix(c->model, "-expander-bus"))
            g_string_append_printf(dev, ",bus_nr=%d", c->targetBusNr);
        g_string_append_printf(dev, ",id=pci.%d", c->idx);
        if (c->targetHotplug)
            g_string_append_printf(dev, ",hotplug=%s",
                                   virDomainTristateSwitchToString(c->targetHotplug));
        if (c->targetNode >= 0)
            g_string_append_printf(dev, ",numa_node=%d", c->targetNode);
        g_string_append(dev, *addr ? addr : ",bus=pcie.0");
        add(a, "-device");
        add(a, dev->str);
    }
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];
        g_autofree char *addr = qemuPCIAddrProps(def, &c->addr);

        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_USB) {
            static const char *const devs[][2] = {
                { "qemu-xhci", "qemu-xhci" },
                { "nec-xhci", "nec-usb-xhci" },
                { "piix3-uhci", "piix3-usb-uhci" },
                { "piix4-uhci", "piix4-usb-uhci" },
                { "ehci", "usb-ehci" },
                { "ich9-ehci1", "ich9-usb-ehci1" },
                { "ich9-uhci1", "ich9-usb-uhci1" },
                { "ich9-uhci2", "ich9-usb-uhci2" },
                { "ich9-uhci3", "ich9-usb-uhci3" },
                { "pci-ohci", "pci-ohci" },
            };
            const char *dev = NULL;
            g_autofree char *id = qemuUSBControllerId(c->idx);

            for (size_t j = 0; j < G_N_ELEMENTS(devs) && c->model; j++) {
                if (g_str_equal(devs[j][0], c->model))
                    dev = devs[j][1];
            }
            if (!dev)
                continue;
            add(a, "-device");
            if (c->masterStartport >= 0)
                /* a companion: no id of its own, it serves its master's bus */
                addf(a, "%s,masterbus=%s.0,firstport=%d%s", dev, id, c->masterStartport,
                     addr);
            else if (c->ports >= 0 && g_str_has_suffix(dev, "xhci"))
                addf(a, "%s,p2=%d,p3=%d,id=%s%s", dev, c->ports, c->ports, id, addr);
            else
                addf(a, "%s,id=%s%s", dev, id, addr);
        }
    }
    /* libvirt's order of the controller types: PCI, USB, SCSI, (IDE, SATA:
     * built in here), virtio-serial */
    qemuBuildSCSIControllers(a, def);
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];
        g_autofree char *addr = qemuPCIAddrProps(def, &c->addr);

        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL) {
            g_autoptr(GString) dev = g_string_new("virtio-serial-pci");

            qemuVirtioOptionsKeyval(dev, &c->virtio);
            g_string_append_printf(dev, ",id=virtio-serial%d", c->idx);
            if (c->ports >= 0)
                g_string_append_printf(dev, ",max_ports=%d", c->ports);
            g_string_append(dev, addr);
            add(a, "-device");
            add(a, dev->str);
        }
    }
    /* USB hubs (libvirt's hubN ids) before what plugs into them, a hub
     * behind another after it */
    for (int depth = 1; depth <= VIR_DOMAIN_USB_PORT_LEVELS; depth++) {
        for (size_t i = 0; i < def->nhubs; i++) {
            g_autofree char *port = NULL;

            if (qemuUSBPortDepth(&def->hubs[i]->addr) != depth)
                continue;
            port = qemuUSBPortString(&def->hubs[i]->addr, 0);
            add(a, "-device");
            addf(a, "usb-hub,id=hub%zu,bus=usb.0,port=%s", i, port);
        }
    }
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];

        /* the smartcard's reader: usb-ccid on a USB port */
        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_CCID) {
            g_autofree char *port = qemuUSBPortString(&c->addr, 0);

            add(a, "-device");
            addf(a, "usb-ccid,id=ccid%d,bus=usb.0,port=%s", c->idx, port);
        }
    }
}

/* <smartcard mode='passthrough' type='spicevmc'>: the SPICE client's card
 * reader on the CCID bus (libvirt's charsmartcardN / smartcardN ids). */
static void
qemuBuildSmartcards(GPtrArray *a, const virDomainDef *def)
{
    for (size_t i = 0; i < def->nsmartcards; i++) {
        add(a, "-chardev");
        addf(a, "spicevmc,id=charsmartcard%zu,name=smartcard", i);
        add(a, "-device");
        addf(a,
             "ccid-card-passthru,chardev=charsmartcard%zu,id=smartcard%zu,bus=ccid%u.0",
             i, i, def->smartcards[i]->addr.controller);
    }
}

/* Sound cards as libvirt 9.0 runs them: the HDA controllers with one
 * codec device each (hda-duplex when none is given), the others with the
 * audio backend given directly; the backend is the sound's <audio id> or
 * the domain's first one. */
static void
qemuBuildSounds(GPtrArray *a, const virDomainDef *def)
{
    for (size_t i = 0; i < def->nsounds; i++) {
        const virDomainSoundDef *s = def->sounds[i];
        const char *dev = qemuSoundDevice(s->model);
        int audio = s->audioId ? s->audioId : def->naudios ? def->audios[0].id : 1;
        g_autofree char *pci = qemuPCIAddrProps(def, &s->addr);

        add(a, "-device");
        if (g_str_equal(s->model, "ich6") || g_str_equal(s->model, "ich9")) {
            addf(a, "%s,id=sound%zu%s", dev, i, pci);
            for (size_t j = 0; j < MAX(s->ncodecs, 1); j++) {
                int codec = s->ncodecs ? s->codecs[j] : VIR_DOMAIN_SOUND_CODEC_DUPLEX;

                add(a, "-device");
                addf(
                    a,
                    "hda-%s,id=sound%zu-codec%zu,bus=sound%zu.0,cad=%zu,audiodev=audio%d",
                    virDomainSoundCodecTypeToString(codec), i, j, i, j, audio);
            }
        } else if (g_str_equal(s->model, "usb")) {
            g_autofree char *port = qemuUSBPortString(&s->addr, 0);

            addf(a, "%s,id=sound%zu,audiodev=audio%d,bus=usb.0,port=%s", dev, i, audio,
                 port);
        } else {
            addf(a, "%s,id=sound%zu,audiodev=audio%d%s", dev, i, audio, pci);
        }
    }
}

/* <redirdev bus='usb' type='spicevmc'>: usb-redir fed by SPICE's usbredir
 * channel (libvirt's charredirN / redirN ids). */
static void
qemuBuildRedirdevs(GPtrArray *a, const virDomainDef *def)
{
    for (size_t i = 0; i < def->nredirdevs; i++) {
        g_autofree char *port = qemuUSBPortString(&def->redirdevs[i]->addr, 0);
        g_autofree char *boot =
            def->redirdevs[i]->boot.order
                ? g_strdup_printf(",bootindex=%u", def->redirdevs[i]->boot.order)
                : g_strdup("");

        add(a, "-chardev");
        addf(a, "spicevmc,id=charredir%zu,name=usbredir", i);
        add(a, "-device");
        /* libvirt's order: the bootindex before the address */
        addf(a, "usb-redir,chardev=charredir%zu,id=redir%zu%s,bus=usb.0,port=%s", i, i,
             boot, port);
    }
}

/* Channels: the host side chardev and the virtio-serial port
 * (libvirt's charchannelI / channelI names; port I+1 unless given). */
static void
qemuBuildChannels(GPtrArray *a, const virDomainDef *def, const qemuCommandOptions *opts)
{
    for (size_t i = 0; i < def->nchannels; i++) {
        const virDomainChannelDef *c = def->channels[i];
        int fd = i < opts->fds.nchannelFds ? opts->fds.channelFds[i] : -1;
        g_autoptr(GString) dev = g_string_new(NULL);
        /* the device id the start gave it (qemuHotplugAssignChannelAliases) */
        g_autofree char *alias =
            c->alias ? g_strdup(c->alias) : g_strdup_printf("channel%zu", i);

        add(a, "-chardev");
        if (c->spicevmc) {
            addf(a, "spicevmc,id=char%s,name=vdagent", alias);
        } else if (c->vdagent) {
            /* libvirt's: the clipboard and the mouse mode only when given */
            static const char *const mouse[] = { "", ",mouse=off", ",mouse=on" };

            addf(a, "qemu-vdagent,id=char%s,name=vdagent%s%s", alias,
                 c->vdagentClipboard == 1   ? ",clipboard=on"
                 : c->vdagentClipboard == 2 ? ",clipboard=off"
                                            : "",
                 mouse[c->vdagentMouse]);
        } else if (!c->unixSocket) {
            addf(a, "pty,id=char%s", alias);
        } else if (c->connect) {
            g_autofree char *path = qemuEscapeComma(c->path);

            addf(a, "socket,id=char%s,path=%s", alias, path);
        } else if (fd >= 0) {
            addf(a, "socket,id=char%s,fd=%d,server=on,wait=off", alias, fd);
        } else {
            g_autofree char *path = qemuEscapeComma(c->path);

            addf(a, "socket,id=char%s,path=%s,server=on,wait=off", alias, path);
        }
        g_string_append_printf(dev, "virtserialport,bus=virtio-serial%d.%d,nr=%d",
                               MAX(c->vsController, 0), MAX(c->vsBus, 0),
                               c->vsPort > 0 ? c->vsPort : (int)i + 1);
        g_string_append_printf(dev, ",chardev=char%s,id=%s", alias, alias);
        if (c->targetName) {
            g_autofree char *name = qemuEscapeComma(c->targetName);

            g_string_append_printf(dev, ",name=%s", name);
        }
        add(a, "-device");
        add(a, dev->str);
    }
}

/* Virtio consoles: a virtconsole on the virtio-serial bus, after the
 * channels as libvirt 9.0 orders them (charconsoleI / consoleI, I the
 * console's position: console0 is serial 0's alias). QEMU numbers the
 * port: the first virtconsole takes port 0, which channels never use. */
/* "-add-fd" of entry @i of @opts' logFds when it has one; the path QEMU
 * opens it at, or NULL */
static char *
qemuBuildLogFdset(GPtrArray *a, const qemuCommandOptions *opts, size_t i)
{
    if (i >= opts->fds.nlogFds || opts->fds.logFds[i] < 0)
        return NULL;
    add(a, "-add-fd");
    addf(a, "set=%zu,fd=%d", QEMU_LOG_FDSET(i), opts->fds.logFds[i]);
    return g_strdup_printf("/dev/fdset/%zu", QEMU_LOG_FDSET(i));
}

static void
qemuBuildVirtioConsoles(GPtrArray *a, const virDomainDef *def,
                        const qemuCommandOptions *opts)
{
    for (size_t i = 0; i < def->nconsoles; i++) {
        const virDomainChrDef *con = def->consoles[i];
        g_autofree char *alias = NULL;

        if (con->targetType != VIR_DOMAIN_CHR_TARGET_VIRTIO)
            continue;
        /* the id a hotplug gave it, kept across a restore (status) */
        alias = con->alias ? g_strdup(con->alias) : g_strdup_printf("console%zu", i);
        g_autofree char *logPath =
            i < QEMU_MAX_CONSOLE_LOG_FDS
                ? qemuBuildLogFdset(a, opts, QEMU_MAX_SERIAL_FDS + i)
                : NULL;

        add(a, "-chardev");
        g_ptr_array_add(a, qemuBuildChrChardevStr(con, alias, -1, NULL, logPath));
        add(a, "-device");
        addf(a, "virtconsole,chardev=char%s,id=%s", alias, alias);
    }
}

const char *
qemuWatchdogAction(int action)
{
    /* QEMU cannot dump: libvirt pauses and dumps on the WATCHDOG event */
    if (action == VIR_DOMAIN_WATCHDOG_ACTION_DUMP)
        action = VIR_DOMAIN_WATCHDOG_ACTION_PAUSE;
    return virDomainWatchdogActionToString(action);
}

char *
qemuWatchdogDeviceProps(const virDomainDef *def, const virDomainWatchdogDef *wd)
{
    g_autofree char *pci = qemuPCIAddrProps(def, &wd->addr);

    return g_strdup_printf("%s,id=%s%s", virDomainWatchdogModelToString(wd->model),
                           wd->alias ? wd->alias : "watchdog0", pci);
}

/* libvirt 9.0 with QEMU 7.2: the device, then -watchdog-action */
static void
qemuBuildWatchdog(GPtrArray *a, const virDomainDef *def)
{
    if (!def->watchdog)
        return;
    add(a, "-device");
    g_ptr_array_add(a, qemuWatchdogDeviceProps(def, def->watchdog));
    add(a, "-watchdog-action");
    add(a, qemuWatchdogAction(def->watchdog->action));
}

const char *
qemuFSDeviceModel(const virDomainFSDef *fs)
{
    if (fs->fsdriver == VIR_DOMAIN_FS_DRIVER_VIRTIOFS)
        return "vhost-user-fs-pci";
    switch (fs->model) {
    case VIR_DOMAIN_FS_MODEL_VIRTIO_TRANSITIONAL:
        return "virtio-9p-pci-transitional";
    case VIR_DOMAIN_FS_MODEL_VIRTIO_NON_TRANSITIONAL:
        return "virtio-9p-pci-non-transitional";
    default:
        return "virtio-9p-pci";
    }
}

/* 9p shares as libvirt 9.0 writes them (qemuBuildFSStr, qemuBuildFSDevCmd):
 * -fsdev local with the security model of the access mode (squash is
 * QEMU's 'none'), then the virtio-9p device, its mount tag the target
 * Ids fsN by position (the alias the start gives them).
 * virtiofs as libvirt's qemuBuildVHostUserFsCommandLine: a chardev
 * chr-vu-ALIAS connecting to the virtiofsd socket (qemu_virtiofs.h: the
 * per-run directory's ALIAS-fs.sock, or <source socket>), then
 * vhost-user-fs-pci with its virtio options, queue size and the target as
 * its tag. */
static void
qemuBuildFilesystems(GPtrArray *a, const virDomainDef *def, const char *libDir)
{
    static const char *const security[VIR_DOMAIN_FS_ACCESS_LAST] = { NULL, "passthrough",
                                                                     "mapped", "none" };
    static const char *const multidevs[VIR_DOMAIN_FS_MULTIDEVS_LAST] = { NULL, "remap",
                                                                         "forbid",
                                                                         "warn" };

    for (size_t i = 0; i < def->nfss; i++) {
        const virDomainFSDef *fs = def->fss[i];
        g_autoptr(GString) opt = g_string_new(NULL);
        g_autofree char *alias =
            fs->alias ? g_strdup(fs->alias) : g_strdup_printf("fs%zu", i);
        g_autofree char *path = qemuEscapeComma(fs->src ? fs->src : "");
        g_autofree char *tag = qemuEscapeComma(fs->dst);
        g_autofree char *pci = qemuPCIAddrProps(def, &fs->addr);

        if (fs->fsdriver == VIR_DOMAIN_FS_DRIVER_VIRTIOFS) {
            g_autofree char *sock = qemuEscapeComma(fs->sock ? fs->sock : "");
            g_autofree char *own = NULL;

            if (!fs->sock) {
                own = g_strdup_printf("%s/%s-fs.sock", libDir, alias);
                g_free(sock);
                sock = qemuEscapeComma(own);
            }
            add(a, "-chardev");
            addf(a, "socket,id=chr-vu-%s,path=%s", alias, sock);
            /* the virtio options right after the driver, as libvirt's
             * qemuBuildVirtioDevProps puts them */
            g_string_append(opt, "vhost-user-fs-pci");
            qemuVirtioOptionsKeyval(opt, &fs->virtio);
            g_string_append_printf(opt, ",id=%s,chardev=chr-vu-%s", alias, alias);
            if (fs->queueSize)
                g_string_append_printf(opt, ",queue-size=%llu", fs->queueSize);
            g_string_append_printf(opt, ",tag=%s", tag);
            if (fs->boot.order)
                g_string_append_printf(opt, ",bootindex=%u", fs->boot.order);
            add(a, "-device");
            addf(a, "%s%s", opt->str, pci);
            continue;
        }
        if (fs->fsdriver != VIR_DOMAIN_FS_DRIVER_DEFAULT &&
            fs->fsdriver != VIR_DOMAIN_FS_DRIVER_PATH &&
            fs->fsdriver != VIR_DOMAIN_FS_DRIVER_HANDLE)
            continue;
        if (fs->fsdriver == VIR_DOMAIN_FS_DRIVER_HANDLE) {
            g_string_append(opt, "handle");
        } else {
            g_string_append(opt, "local");
            if (security[fs->accessmode])
                g_string_append_printf(opt, ",security_model=%s",
                                       security[fs->accessmode]);
            if (multidevs[fs->multidevs])
                g_string_append_printf(opt, ",multidevs=%s", multidevs[fs->multidevs]);
            if (fs->fmode)
                g_string_append_printf(opt, ",fmode=%04o", fs->fmode);
            if (fs->dmode)
                g_string_append_printf(opt, ",dmode=%04o", fs->dmode);
        }
        if (fs->wrpolicy == VIR_DOMAIN_FS_WRPOLICY_IMMEDIATE)
            g_string_append(opt, ",writeout=immediate");
        g_string_append_printf(opt, ",id=fsdev-%s,path=%s", alias, path);
        if (fs->readonly)
            g_string_append(opt, ",readonly=on");
        add(a, "-fsdev");
        add(a, opt->str);
        g_autoptr(GString) dev = g_string_new(qemuFSDeviceModel(fs));

        qemuVirtioOptionsKeyval(dev, &fs->virtio);
        add(a, "-device");
        addf(a, "%s,id=%s,fsdev=fsdev-%s,mount_tag=%s%s", dev->str, alias, alias, tag,
             pci);
    }
}

static void
qemuBuildRNGs(GPtrArray *a, const virDomainDef *def)
{
    for (size_t i = 0; i < def->nrngs; i++) {
        const virDomainRNGDef *r = def->rngs[i];
        g_autofree char *pci = qemuPCIAddrProps(def, &r->addr);
        g_autofree char *alias =
            r->alias ? g_strdup(r->alias) : g_strdup_printf("rng%zu", i);

        add(a, "-object");
        if (r->builtin) {
            addf(a, "rng-builtin,id=obj%s", alias);
        } else {
            g_autofree char *path = qemuEscapeComma(r->backend);

            addf(a, "rng-random,id=obj%s,filename=%s", alias, path);
        }
        g_autoptr(GString) dev = g_string_new(qemuRNGModel(r));

        qemuVirtioOptionsKeyval(dev, &r->virtio);
        g_string_append_printf(dev, ",rng=obj%s,id=%s", alias, alias);
        /* libvirt's qemuBuildRNGDevProps: a rate without a period is per
         * second (1000 ms) */
        if (r->rate)
            g_string_append_printf(dev, ",max-bytes=%u,period=%u", r->rate,
                                   r->period ? r->period : 1000);
        add(a, "-device");
        addf(a, "%s%s", dev->str, pci);
    }
}

/* libvirt's qemuBuildFloppyCommandLineControllerOptions, before the disks:
 * q35 has no floppy controller of its own, libvirt adds an isa-fdc (the
 * floppies' bootindexA/B its properties); pc's built-in one gets them as
 * -global. Unit 0 is drive A, unit 1 drive B. */
static void
qemuBuildFloppyController(GPtrArray *a, const virDomainDef *def, const char *machine)
{
    unsigned int bootA = 0;
    unsigned int bootB = 0;
    bool floppy = false;

    for (size_t i = 0; i < def->ndisks; i++) {
        const virDomainDiskDef *disk = def->disks[i];
        unsigned int unit = (unsigned int)qemuDiskIndex(disk->dst);

        if (disk->bus != VIR_DOMAIN_DISK_BUS_FDC)
            continue;
        floppy = true;
        if (disk->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_DRIVE)
            unit = disk->addr.unit;
        if (unit)
            bootB = disk->effectiveBootIndex;
        else
            bootA = disk->effectiveBootIndex;
    }
    if (!floppy)
        return;
    if (qemuMachineIsQ35(machine)) {
        g_autoptr(GString) dev = g_string_new("isa-fdc");

        if (bootA)
            g_string_append_printf(dev, ",bootindexA=%u", bootA);
        if (bootB)
            g_string_append_printf(dev, ",bootindexB=%u", bootB);
        add(a, "-device");
        g_ptr_array_add(a, g_string_free(g_steal_pointer(&dev), FALSE));
        return;
    }
    if (bootA) {
        add(a, "-global");
        addf(a, "isa-fdc.bootindexA=%u", bootA);
    }
    if (bootB) {
        add(a, "-global");
        addf(a, "isa-fdc.bootindexB=%u", bootB);
    }
}

char **
qemuBuildCommandLine(const virDomainDef *def, const qemuCaps *caps,
                     const qemuCommandOptions *opts)
{
    g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func(g_free);
    char uuid[VIR_UUID_STRING_BUFLEN];
    g_autofree char *name = NULL;
    const char *machine;
    size_t diskNode = 0;
    size_t nextNode = 1;
    bool pflash;

    if (qemuValidateDomainDef(def, caps) < 0 ||
        qemuValidateDomainCpuForStart(def, caps) < 0 ||
        qemuValidateDomainVideoForStart(def) < 0 ||
        qemuValidateUSBCompanionsForStart(def) < 0)
        return NULL;
    /* Automatic placement (<vcpu placement='auto'>, <numatune><memory
     * placement='auto'>): libvirt asks numad (/usr/bin/numad -w
     * VCPUS:MiB) for a nodeset before it builds the command line; without
     * numad (as on this machine: Debian's libvirtd fails so) there is no
     * answer and no start. virtkit runs no numad. */
    if (def->vcpuPlacementAuto || (def->numatune.set && def->numatune.autoPlace)) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_OPERATION_FAILED, __func__, "%s",
                           "Failed to query numad for the advisory nodeset");
        return NULL;
    }
    /* libvirt checks the SPICE agent channel's name only here, at start */
    for (size_t i = 0; i < def->nchannels; i++) {
        const char *n = def->channels[i]->targetName;

        if (def->channels[i]->spicevmc && g_strcmp0(n, "com.redhat.spice.0") != 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "Unsupported spicevmc target name '%s'", n ? n : "");
            return NULL;
        }
    }
    machine = qemuCapsGetCanonicalMachine(caps, def->os.machine);
    name = qemuEscapeComma(def->name);

    add(a, def->emulator ? def->emulator : qemuCapsGetBinary(caps));
    add(a, "-name");
    addf(a, "guest=%s,debug-threads=on", name);
    add(a, "-S");
    if (opts->secrets && opts->secrets->masterKeyPath) {
        g_autofree char *esc = g_strescape(opts->secrets->masterKeyPath, NULL);

        /* libvirt's place for it: before -machine */
        add(a, "-object");
        addf(a,
             "{\"qom-type\":\"secret\",\"id\":\"masterKey0\",\"format\":\"raw\","
             "\"file\":\"%s\"}",
             esc);
    }
    pflash = def->os.loader && def->os.loaderType == VIR_DOMAIN_LOADER_TYPE_PFLASH;
    if (pflash) {
        qemuBuildPflash(a, 0, def->os.loader,
                        def->os.loaderReadonly == VIR_DOMAIN_TRISTATE_ON);
        if (def->os.nvram)
            qemuBuildPflash(a, 1, def->os.nvram, false);
    }
    add(a, "-machine");
    {
        g_autoptr(GString) m = g_string_new(machine);

        g_string_append(m, ",usb=off");
        if (def->vmport)
            g_string_append_printf(m, ",vmport=%s",
                                   virDomainTristateSwitchToString(def->vmport));
        if (def->smm)
            g_string_append_printf(m, ",smm=%s",
                                   virDomainTristateSwitchToString(def->smm));
        /* QEMU's legacy spelling, as libvirt writes it */
        if (def->ioapic)
            g_string_append(m, def->ioapic == VIR_DOMAIN_IOAPIC_QEMU
                                   ? ",kernel_irqchip=split"
                                   : ",kernel_irqchip=on");
        g_string_append(m, ",dump-guest-core=off");
        qemuAppendMemoryMachineProps(m, def);
        if (!def->acpi)
            g_string_append(m, ",acpi=off");
        if (pflash) {
            g_string_append(m, ",pflash0=libvirt-pflash0-format");
            if (def->os.nvram)
                g_string_append(m, ",pflash1=libvirt-pflash1-format");
        }
        add(a, m->str);
    }
    add(a, "-accel");
    /* the dirty ring only on KVM, as libvirt (TCG has none) */
    if (opts->kvm && def->kvm &&
        def->kvmFeatures[VIR_DOMAIN_KVM_DIRTY_RING] == VIR_DOMAIN_TRISTATE_ON)
        addf(a, "kvm,dirty-ring-size=%u", def->kvmDirtyRingSize);
    else
        add(a, opts->kvm ? "kvm" : "tcg");
    if (def->smm == VIR_DOMAIN_TRISTATE_ON && def->tsegSpecified) {
        add(a, "-global");
        addf(a, "mch.extended-tseg-mbytes=%llu", def->tsegSize >> 20);
    }
    add(a, "-cpu");
    {
        char *cpuArg = qemuBuildCpuCommandArg(def, caps);

        if (!cpuArg)
            return NULL;
        g_ptr_array_add(a, cpuArg);
    }
    if (pflash && def->os.loaderSecure == VIR_DOMAIN_TRISTATE_ON) {
        add(a, "-global");
        add(a, "driver=cfi.pflash01,property=secure,value=on");
    }
    if (def->os.loader && !pflash) {
        add(a, "-bios");
        add(a, def->os.loader);
    }
    if (qemuBuildMemoryArgs(a, def, opts) < 0)
        return NULL;
    add(a, "-smp");
    {
        /* libvirt: the vCPUs beyond the current ones can be hotplugged
         * later (device_add of query-hotpluggable-cpus' entries); with
         * <vcpus> only the online ones that are not hotpluggable are
         * QEMU's own, the online hotpluggable ones are plugged at start
         * (qemuHotplugVcpusAtStart) */
        unsigned int cur = virDomainDefGetVcpus(def);

        if (def->vcpuStates) {
            cur = 0;
            for (unsigned int i = 0; i < def->vcpus; i++)
                cur += virDomainDefVcpuOnline(def, i) &&
                       !virDomainDefVcpuHotpluggable(def, i);
        }
        g_autofree char *maxcpus =
            cur != def->vcpus ? g_strdup_printf(",maxcpus=%u", def->vcpus) : g_strdup("");

        if (def->cpu && def->cpu->sockets)
            addf(a, "%u%s,sockets=%u,dies=%u,cores=%u,threads=%u", cur, maxcpus,
                 def->cpu->sockets, def->cpu->dies, def->cpu->cores, def->cpu->threads);
        else
            addf(a, "%u%s,sockets=%u,cores=1,threads=1", cur, maxcpus, def->vcpus);
    }
    qemuBuildIOThreadArgs(a, def);
    if (qemuBuildNumaArgs(a, def, opts) < 0)
        return NULL;
    virUUIDFormat(def->uuid, uuid);
    add(a, "-uuid");
    add(a, uuid);
    if (def->genidRequested) {
        add(a, "-device");
        addf(a, "vmgenid,guid=%s,id=vmgenid0", virUUIDFormat(def->genid, uuid));
    }
    /* an egl-headless display is the -display (given with the graphics) */
    if (!qemuDomainHasEGLHeadless(def)) {
        add(a, "-display");
        add(a, "none");
    }
    add(a, "-no-user-config");
    add(a, "-nodefaults");
    add(a, "-chardev");
    if (opts->monitorPath)
        addf(a, "socket,id=charmonitor,path=%s,server=on,wait=off", opts->monitorPath);
    else
        addf(a, "socket,id=charmonitor,fd=%d,server=on,wait=off", opts->monitorFd);
    add(a, "-mon");
    add(a, "chardev=charmonitor,id=monitor,mode=control");
    qemuBuildClock(a, def);
    add(a, "-no-shutdown");
    qemuBuildPM(a, def, machine);
    add(a, "-boot");
    {
        /* libvirt's order: menu, splash-time, strict */
        g_autoptr(GString) b = g_string_new(NULL);

        if (def->os.bootMenu == VIR_DOMAIN_TRISTATE_ON)
            g_string_append(b, "menu=on,");
        else if (def->os.bootMenu == VIR_DOMAIN_TRISTATE_OFF)
            g_string_append(b, "menu=off,");
        if (def->os.bootMenuTimeoutSet)
            g_string_append_printf(b, "splash-time=%u,", def->os.bootMenuTimeout);
        g_string_append(b, "strict=on");
        add(a, b->str);
    }
    if (def->os.kernel) {
        add(a, "-kernel");
        add(a, def->os.kernel);
    }
    if (def->os.initrd) {
        add(a, "-initrd");
        add(a, def->os.initrd);
    }
    if (def->os.cmdline) {
        add(a, "-append");
        add(a, def->os.cmdline);
    }
    /* libvirt's qemuBuildIOMMUCommandLine, between the boot options and
     * the controllers: the validator lets only intel through */
    if (def->iommu) {
        const virDomainIOMMUDef *im = def->iommu;
        g_autoptr(GString) d = g_string_new("intel-iommu,id=");

        g_string_append(d, im->alias ? im->alias : "iommu0");
        if (im->intremap)
            g_string_append_printf(d, ",intremap=%s",
                                   virDomainTristateSwitchToString(im->intremap));
        if (im->cachingMode)
            g_string_append_printf(d, ",caching-mode=%s",
                                   virDomainTristateSwitchToString(im->cachingMode));
        if (im->eim)
            g_string_append_printf(d, ",eim=%s",
                                   virDomainTristateSwitchToString(im->eim));
        if (im->iotlb)
            g_string_append_printf(d, ",device-iotlb=%s",
                                   virDomainTristateSwitchToString(im->iotlb));
        if (im->awBits)
            g_string_append_printf(d, ",aw-bits=%u", im->awBits);
        add(a, "-device");
        add(a, d->str);
    }
    /* libvirt's qemuBuildGlobalControllerCommandLine: the roots' 64-bit
     * PCI hole (the validator keeps each on its own machine) */
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];

        if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_PCI || !c->pcihole64 || !c->model)
            continue;
        add(a, "-global");
        addf(a, "%s.pci-hole64-size=%lluK",
             g_str_equal(c->model, "pcie-root") ? "q35-pcihost" : "i440FX-pcihost",
             c->pcihole64Size);
    }
    qemuBuildControllers(a, def);
    if (qemuBuildMemoryDeviceArgs(a, def, opts) < 0)
        return NULL;
    /* libvirt's numbering (qemuDiskNodeIndex): a disk's own image, then
     * the images of its backing chain, disk after disk */
    qemuBuildFloppyController(a, def, machine);
    for (size_t i = 0; i < def->ndisks; i++) {
        const qemuDiskSecret *ds =
            opts->secrets && i < opts->secrets->ndisks ? &opts->secrets->disks[i] : NULL;

        if (def->disks[i]->src || def->disks[i]->net) {
            diskNode = nextNode++;
            if (qemuBuildDisk(a, def, def->disks[i], diskNode, &nextNode, ds) < 0)
                return NULL;
        } else if (qemuBuildDisk(a, def, def->disks[i], 0, &nextNode, ds) < 0) {
            return NULL;
        }
    }
    {
        g_autofree char *libDir =
            opts->libDir ? NULL
                         : g_strdup_printf("/var/lib/virtkit/qemu/domain-%d-%s", def->id,
                                           def->name);

        qemuBuildFilesystems(a, def, opts->libDir ? opts->libDir : libDir);
    }
    if (qemuBuildNets(a, def) < 0)
        return NULL;
    qemuBuildSmartcards(a, def);
    for (size_t i = 0; i < def->nserials; i++) {
        const virDomainChrDef *chr = def->serials[i];
        g_autofree char *alias =
            chr->alias ? g_strdup(chr->alias) : g_strdup_printf("serial%zu", i);

        int fd = i < opts->fds.nserialFds ? opts->fds.serialFds[i] : -1;
        g_autofree char *fdPath = NULL;
        g_autofree char *logPath = qemuBuildLogFdset(a, opts, i);

        if (chr->type == VIR_DOMAIN_CHR_TYPE_FILE && fd >= 0) {
            add(a, "-add-fd");
            addf(a, "set=%zu,fd=%d", i + 1, fd);
            fdPath = g_strdup_printf("/dev/fdset/%zu", i + 1);
        }
        add(a, "-chardev");
        g_ptr_array_add(
            a, qemuBuildChrChardevStr(
                   chr, alias,
                   chr->type == VIR_DOMAIN_CHR_TYPE_UNIX && chr->listen ? fd : -1, fdPath,
                   logPath));
        add(a, "-device");
        /* ids by position unless kept in the definition, the index is the
         * port (libvirt's) */
        addf(a, "isa-serial,chardev=char%s,id=%s,index=%d", alias, alias,
             chr->targetPort >= 0 ? chr->targetPort : (int)i);
    }
    /* libvirt's qemuBuildParallelsCommandLine: the chardev and an
     * isa-parallel (QEMU numbers them in order: no index) */
    for (size_t i = 0; i < def->nparallels; i++) {
        const virDomainChrDef *chr = def->parallels[i];
        g_autofree char *alias =
            chr->alias ? g_strdup(chr->alias) : g_strdup_printf("parallel%zu", i);
        size_t slot = QEMU_PARALLEL_FD_BASE + i;
        int fd = slot < opts->fds.nserialFds ? opts->fds.serialFds[slot] : -1;
        g_autofree char *fdPath = NULL;

        if (chr->type == VIR_DOMAIN_CHR_TYPE_FILE && fd >= 0) {
            add(a, "-add-fd");
            addf(a, "set=%zu,fd=%d", slot + 1, fd);
            fdPath = g_strdup_printf("/dev/fdset/%zu", slot + 1);
        }
        add(a, "-chardev");
        g_ptr_array_add(
            a, qemuBuildChrChardevStr(
                   chr, alias,
                   chr->type == VIR_DOMAIN_CHR_TYPE_UNIX && chr->listen ? fd : -1, fdPath,
                   NULL));
        add(a, "-device");
        addf(a, "isa-parallel,chardev=char%s,id=%s", alias, alias);
    }
    qemuBuildChannels(a, def, opts);
    qemuBuildVirtioConsoles(a, def, opts);
    {
        g_autofree char *libDir =
            opts->libDir ? NULL
                         : g_strdup_printf("/var/lib/virtkit/qemu/domain-%d-%s", def->id,
                                           def->name);

        if (qemuBuildTPMs(a, def, opts->libDir ? opts->libDir : libDir) < 0)
            return NULL;
    }
    qemuBuildInputs(a, def);
    qemuBuildGraphics(a, def);
    qemuBuildVideos(a, def);
    qemuBuildSounds(a, def);
    qemuBuildWatchdog(a, def);
    qemuBuildRedirdevs(a, def);
    if (qemuBuildHostdevs(a, def, opts, &nextNode) < 0)
        return NULL;
    if (!def->memballoon ||
        def->memballoon->model == VIR_DOMAIN_MEMBALLOON_MODEL_VIRTIO) {
        g_autofree char *pci = def->memballoon
                                   ? qemuPCIAddrProps(def, &def->memballoon->addr)
                                   : g_strdup("");

        g_autoptr(GString) dev = g_string_new("virtio-balloon-pci");

        if (def->memballoon)
            qemuVirtioOptionsKeyval(dev, &def->memballoon->virtio);
        g_string_append(dev, ",id=balloon0");
        /* libvirt's order: after the id, before the address */
        if (def->memballoon && def->memballoon->autodeflate)
            g_string_append_printf(
                dev, ",deflate-on-oom=%s",
                virDomainTristateSwitchToString(def->memballoon->autodeflate));
        if (def->memballoon && def->memballoon->freePageReporting)
            g_string_append_printf(
                dev, ",free-page-reporting=%s",
                virDomainTristateSwitchToString(def->memballoon->freePageReporting));
        add(a, "-device");
        addf(a, "%s%s", dev->str, pci);
    }
    qemuBuildRNGs(a, def);
    if (def->vmcoreinfo == VIR_DOMAIN_TRISTATE_ON) {
        add(a, "-device");
        add(a, "vmcoreinfo");
    }
    if (opts->sandbox) {
        add(a, "-sandbox");
        add(a, "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
    }
    qemuBuildPanics(a, def);
    add(a, "-msg");
    add(a, "timestamp=on");
    g_ptr_array_add(a, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&a), FALSE);
}
