/* qemu_validate.c: every "QEMU cannot do this" rule of a domain definition, in one place */

/*
 * One rule, one message: when QEMU (or this driver) cannot honour part of
 * a definition, the rule lives here or in one of this file's parts
 * (qemu_validate_dev.c, _net.c, _scsi.c, _vcpu.c) and nowhere else, and reports
 * CONFIG_UNSUPPORTED (domain QEMU) naming what is refused, with libvirt's
 * message where libvirt has one. The parser (src/conf) checks only what
 * the XML itself allows; the command line builder (qemu_command.c)
 * assumes a definition that passed here. Pure: no probe, no I/O.
 */
#define G_LOG_DOMAIN "virtkit.qemu.validate"

#include <string.h>
#include <unistd.h>

#include "qemu_command.h"
#include "qemu_cpu.h"
#include "qemu_iotune.h"
#include "qemu_validate.h"
#include "qemu_virtiofs.h"
#include "qemu_tpm.h"
#include "qemu_domain_address.h"
#include "qemu_pci_controller.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* Elements the parser keeps as unknown that have no effect on QEMU in
 * libvirt either (application data). Everything else unknown is refused. */
static const char *const qemuIgnorableElements[] = { "metadata", NULL };

/* libvirt's qemuValidateLifecycleAction, also what virDomainSetLifecycleAction
 * checks its result against (its texts, typos included, checked against
 * libvirtd 9.0). */
int
qemuValidateLifecycleAction(int onPoweroff, int onReboot, int onCrash)
{
    if (onPoweroff == VIR_DOMAIN_LIFECYCLE_ACTION_PRESERVE ||
        onReboot == VIR_DOMAIN_LIFECYCLE_ACTION_PRESERVE) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "qemu driver doesn't support the 'preserve' action for "
                       "'on_reboot'/'on_poweroff'");
        return -1;
    }
    if (onPoweroff == VIR_DOMAIN_LIFECYCLE_ACTION_RESTART_RENAME ||
        onReboot == VIR_DOMAIN_LIFECYCLE_ACTION_RESTART_RENAME ||
        onCrash == VIR_DOMAIN_LIFECYCLE_ACTION_RESTART_RENAME) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "qemu driver doesn't support the 'rename-restart' action for "
                       "'on_reboot'/'on_poweroff'/'on_crash'");
        return -1;
    }
    if (onPoweroff == VIR_DOMAIN_LIFECYCLE_ACTION_RESTART &&
        onReboot == VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "qemu driver doesn't support 'onReboot' set to 'destroy and "
                       "'onPoweroff' set to 'reboot'");
        return -1;
    }
    return 0;
}

static int
qemuValidateLifecycle(const virDomainDef *def)
{
    const struct {
        const char *name;
        int action;
        bool poweroffOrReboot;
    } ev[] = {
        { "poweroff", def->onPoweroff, true },
        { "reboot", def->onReboot, true },
        { "crash", def->onCrash, false },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(ev); i++) {
        const char *str = virDomainLifecycleActionToString(ev[i].action);

        if (!str) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown on_%s action",
                           ev[i].name);
            return -1;
        }
        if (ev[i].poweroffOrReboot &&
            (ev[i].action == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY ||
             ev[i].action == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "Lifecycle event '%s' doesn't support '%s' action", ev[i].name,
                           str);
            return -1;
        }
    }
    if (qemuValidateLifecycleAction(def->onPoweroff, def->onReboot, def->onCrash) < 0)
        return -1;
    if (def->onCrash == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY ||
        def->onCrash == VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "on_crash coredump actions are not supported yet");
        return -1;
    }
    return 0;
}

/* <smm><tseg>: q35's extended TSEG (mch.extended-tseg-mbytes), whole MiB
 * (libvirt's qemuDomainDefTsegPostParse) */
static int
qemuValidateTseg(const virDomainDef *def, const char *machine)
{
    if (def->smm != VIR_DOMAIN_TRISTATE_ON || !def->tsegSpecified)
        return 0;
    if (!qemuMachineIsQ35(machine)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "SMM TSEG is only supported with q35 machine type");
        return -1;
    }
    if (def->tsegSize & ((1ULL << 20) - 1)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "SMM TSEG size must be divisible by 1 MiB");
        return -1;
    }
    return 0;
}

/* Firmware, loader, SMM (libvirt's qemuValidateDomainDefBoot/Features). */
static int
qemuValidateFirmware(const virDomainDef *def, const char *machine)
{
    if (qemuValidateTseg(def, machine) < 0)
        return -1;
    bool uefi = def->os.firmware == VIR_DOMAIN_OS_FIRMWARE_EFI ||
                def->os.loaderType == VIR_DOMAIN_LOADER_TYPE_PFLASH;

    if (uefi && !def->acpi) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "UEFI requires ACPI on this architecture");
        return -1;
    }
    if (def->os.loaderSecure == VIR_DOMAIN_TRISTATE_ON) {
        if (!qemuMachineIsQ35(machine)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "Secure boot is supported with q35 machine types only");
            return -1;
        }
        /* with autoselection the firmware's requires-smm turns it on */
        if (def->os.firmware == VIR_DOMAIN_OS_FIRMWARE_NONE &&
            def->smm != VIR_DOMAIN_TRISTATE_ON) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "Secure boot requires SMM feature enabled");
            return -1;
        }
    }
    if (def->os.nvram && def->os.loaderType != VIR_DOMAIN_LOADER_TYPE_PFLASH &&
        def->os.firmware == VIR_DOMAIN_OS_FIRMWARE_NONE) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "NVRAM is only supported with a pflash loader");
        return -1;
    }
    return 0;
}

/* <clock> timers as libvirt's qemuBuildClockArgStr / qemuValidate take them. */
static int
qemuValidateTimers(const virDomainDef *def)
{
    static const char *const tracks[] = { NULL, "boot", "guest", "wall", "realtime" };

    for (size_t i = 0; i < def->ntimers; i++) {
        const virDomainTimerDef *t = &def->timers[i];
        const char *policy = virDomainTimerTickpolicyToString(t->tickpolicy);

        switch (t->name) {
        case VIR_DOMAIN_TIMER_NAME_RTC:
            if (t->track == VIR_DOMAIN_TIMER_TRACK_BOOT) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "unsupported rtc timer track '%s'", tracks[t->track]);
                return -1;
            }
            if (t->tickpolicy == VIR_DOMAIN_TIMER_TICKPOLICY_MERGE ||
                t->tickpolicy == VIR_DOMAIN_TIMER_TICKPOLICY_DISCARD) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "unsupported rtc timer tickpolicy '%s'", policy);
                return -1;
            }
            if (t->present == VIR_DOMAIN_TRISTATE_OFF) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                               "timer 'rtc' cannot be removed by the QEMU driver");
                return -1;
            }
            break;
        case VIR_DOMAIN_TIMER_NAME_PIT:
            if (t->tickpolicy == VIR_DOMAIN_TIMER_TICKPOLICY_CATCHUP ||
                t->tickpolicy == VIR_DOMAIN_TIMER_TICKPOLICY_MERGE) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "unsupported pit tickpolicy '%s'", policy);
                return -1;
            }
            if (t->track || t->present == VIR_DOMAIN_TRISTATE_OFF) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                               "timer 'pit' takes only a tickpolicy in the QEMU driver");
                return -1;
            }
            break;
        case VIR_DOMAIN_TIMER_NAME_HPET:
            if (t->tickpolicy || t->track) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                               "timer 'hpet' takes only 'present' in the QEMU driver");
                return -1;
            }
            break;
        case VIR_DOMAIN_TIMER_NAME_KVMCLOCK:
            /* a CPU property (kvmclock=on|off); libvirt ignores the
             * tickpolicy and track it may carry, and refuses present='yes'
             * only off x86 (every guest here is x86) */
            break;
        default:
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "timer '%s' is not supported by virtkit's QEMU driver",
                           virDomainTimerNameToString(t->name));
            return -1;
        }
    }
    return 0;
}

/* USB controller models QEMU runs here and their most ports (0: no
 * ports attribute). */
static const struct {
    const char *model;
    int maxPorts;
} qemuUSBModels[] = {
    { "qemu-xhci", 15 }, { "nec-xhci", 15 },  { "piix3-uhci", 0 }, { "piix4-uhci", 0 },
    { "ehci", 0 },       { "ich9-ehci1", 0 }, { "ich9-uhci1", 0 }, { "ich9-uhci2", 0 },
    { "ich9-uhci3", 0 }, { "pci-ohci", 0 },   { "none", 0 },
};

/* A USB controller: a model QEMU has here, ports within its range
 * (libvirt's message); companions and masters are src/conf's rule. */
static int
qemuValidateUSBController(const virDomainControllerDef *c)
{
    const char *model = c->model ? c->model : "";
    int maxPorts = -1;

    for (size_t i = 0; i < G_N_ELEMENTS(qemuUSBModels); i++) {
        if (g_str_equal(qemuUSBModels[i].model, model))
            maxPorts = qemuUSBModels[i].maxPorts;
    }
    if (maxPorts < 0)
        return 1; /* not run here: the caller's generic message */
    if (maxPorts > 0 && c->ports > maxPorts) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "'%s' controller only supports up to '%d' ports", model, maxPorts);
        return -1;
    }
    return 0;
}

/* "1.2" of a USB port (levels, 0-terminated); new. */
static char *
qemuValidateUSBPortString(const unsigned int *port)
{
    g_autoptr(GString) s = g_string_new(NULL);

    for (int i = 0; i < VIR_DOMAIN_USB_PORT_LEVELS && port[i]; i++)
        g_string_append_printf(s, "%s%u", i ? "." : "", port[i]);
    return g_string_free(g_steal_pointer(&s), FALSE);
}

/* USB addresses on controller 0 (the QEMU driver gave every device one,
 * adding hubs where the ports ran out, as libvirt does): each port within
 * its hub (the controller's ports at the root, 8 behind a usb-hub), behind
 * a hub of the definition, and taken once. */
static int
qemuValidateUSBPorts(const virDomainDef *def)
{
    /* read only: the array lends pointers into @def */
    g_autoptr(GPtrArray) addrs = qemuDomainUSBDeviceAddrs((virDomainDef *)def);
    unsigned int ports = qemuDomainUSBRootPorts(def);

    if (ports == 0)
        return 0;
    for (size_t i = 0; i < def->nhubs; i++)
        g_ptr_array_add(addrs, &def->hubs[i]->addr);
    for (guint i = 0; i < addrs->len; i++) {
        const virDomainDeviceAddress *a = g_ptr_array_index(addrs, i);
        g_autofree char *where = NULL;
        int depth = 0;

        if (a->type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB)
            continue;
        while (depth < VIR_DOMAIN_USB_PORT_LEVELS && a->usbPort[depth])
            depth++;
        where = qemuValidateUSBPortString(a->usbPort);
        if (a->bus != 0) {
            virReportError(VIR_ERR_XML_ERROR, "Missing USB bus %u", a->bus);
            return -1;
        }
        /* libvirt's virDomainUSBAddressFindPort: level by level, the port
         * within its hub, and a hub there when the path goes on */
        for (int d = 0; d < depth; d++) {
            bool hub = false;

            if (a->usbPort[d] > (d == 0 ? ports : VIR_DOMAIN_USB_HUB_PORTS)) {
                virReportError(VIR_ERR_XML_ERROR,
                               "requested USB port %s not present on USB bus %u", where,
                               a->bus);
                return -1;
            }
            if (d == depth - 1)
                break;
            for (size_t h = 0; !hub && h < def->nhubs; h++) {
                const virDomainDeviceAddress *ha = &def->hubs[h]->addr;

                hub = ha->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB &&
                      ha->bus == a->bus &&
                      memcmp(ha->usbPort, a->usbPort, (d + 1) * sizeof(unsigned int)) ==
                          0 &&
                      (d + 1 == VIR_DOMAIN_USB_PORT_LEVELS || ha->usbPort[d + 1] == 0);
            }
            if (!hub) {
                virReportError(
                    VIR_ERR_XML_ERROR,
                    "there is no hub at port %u in USB address bus: %u port: %s",
                    a->usbPort[d], a->bus, where);
                return -1;
            }
        }
        for (guint j = 0; j < i; j++) {
            const virDomainDeviceAddress *b = g_ptr_array_index(addrs, j);

            if (b->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB && b->bus == a->bus &&
                memcmp(a->usbPort, b->usbPort, sizeof(a->usbPort)) == 0) {
                virReportError(VIR_ERR_XML_ERROR, "Duplicate USB address bus %u port %s",
                               a->bus, where);
                return -1;
            }
        }
    }
    return 0;
}

/* The graphics and the audio backends they take. virtkit has no TLS
 * configuration (libvirt's spice_tls is off): what needs TLS gets
 * libvirt's error for that case. */
static int
qemuValidateGraphics(const virDomainDef *def)
{
    bool spice = false;

    for (size_t i = 0; i < def->ngraphics; i++) {
        const virDomainGraphicsDef *g = def->graphics[i];

        if (g->type == VIR_DOMAIN_GRAPHICS_TYPE_SPICE) {
            spice = true;
            if (g->tlsPort > 0) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                               "spice TLS port set in XML configuration, but TLS is "
                               "disabled in qemu.conf");
                return -1;
            }
            if (g->defaultMode && g_str_equal(g->defaultMode, "secure")) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                               "spice defaultMode secure requested in XML configuration, "
                               "but TLS connection is not available");
                return -1;
            }
            continue;
        }
        if ((g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_ADDRESS ||
             g->listenType == VIR_DOMAIN_GRAPHICS_LISTEN_NETWORK) &&
            !g->autoport && (g->port < 5900 || g->port > 65535)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "vnc port must be in range [5900,65535], not %d", g->port);
            return -1;
        }
    }
    for (size_t i = 0; i < def->naudios; i++) {
        if (g_str_equal(def->audios[i].type, "spice") && !spice) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "Spice audio is not supported without spice graphics");
            return -1;
        }
        /* libvirt passes it as SDL_AUDIODRIVER in QEMU's environment,
         * which virtkit's command line does not carry */
        if (def->audios[i].sdlDriver) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "audio attribute 'driver' of SDL audio is not supported by "
                           "virtkit");
            return -1;
        }
    }
    return 0;
}

/*
 * What a SPICE display brings along (libvirt 9.0's rules and messages):
 * spicevmc channels, USB redirection and a passthrough smartcard need SPICE
 * graphics; USB redirection, USB sound and the smartcard's CCID reader
 * need a USB bus; one smartcard at most; sound models QEMU 7.2 still has
 * (pcspk and ich7 are not run by virtkit).
 */
static int
qemuValidateSpiceDevices(const virDomainDef *def)
{
    bool spice = false;
    bool usbDevices = def->nredirdevs > 0 || def->nsmartcards > 0;
    bool usbBus = false;
    bool spicevmc = def->nredirdevs > 0 || def->nsmartcards > 0;

    for (size_t i = 0; i < def->ngraphics; i++)
        spice |= def->graphics[i]->type == VIR_DOMAIN_GRAPHICS_TYPE_SPICE;
    for (size_t i = 0; i < def->nchannels; i++)
        spicevmc |= def->channels[i]->spicevmc;
    for (size_t i = 0; i < def->nsounds; i++)
        usbDevices |= g_str_equal(def->sounds[i]->model, "usb");
    for (size_t i = 0; i < def->ndisks; i++)
        usbDevices |= def->disks[i]->bus == VIR_DOMAIN_DISK_BUS_USB;
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];

        if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_USB && c->idx == 0 &&
            g_strcmp0(c->model, "none") != 0)
            usbBus = true;
    }
    if (usbDevices && !usbBus) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "USB is disabled for this domain, but USB devices are present "
                       "in the domain XML");
        return -1;
    }
    if (spicevmc && !spice) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "chardev 'spicevmc' not supported without spice graphics");
        return -1;
    }
    if (def->nsmartcards > 1) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "this QEMU binary lacks multiple smartcard support");
        return -1;
    }
    for (size_t i = 0; i < def->nsounds; i++) {
        const virDomainSoundDef *s = def->sounds[i];
        bool usb = g_str_equal(s->model, "usb");

        if (g_str_equal(s->model, "pcspk") || g_str_equal(s->model, "ich7")) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "sound model '%s' is not supported by the QEMU driver",
                           s->model);
            return -1;
        }
        if (qemuValidateAddressType(&s->addr, "sound",
                                    usb                             ? USB_ONLY
                                    : g_str_equal(s->model, "sb16") ? NO_ADDRESS
                                                                    : PCI_ONLY) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nsmartcards; i++) {
        const virDomainDeviceAddress *a = &def->smartcards[i]->addr;

        if (a->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_CCID &&
            (a->controller != 0 || a->slot != 0)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "this QEMU binary lacks multiple smartcard support");
            return -1;
        }
    }
    return 0;
}

/* Controllers the QEMU driver runs: the machine's own (pcie-root or
 * pci-root, q35's AHCI, i440fx's IDE), the PCI controller models of
 * qemu_pci_controller.c, USB (qemu-xhci, nec-xhci, the UHCI/EHCI/OHCI
 * models, none) and virtio-serial, at PCI addresses (qemu_domain_address.c
 * assigns the missing ones). */
static int
qemuValidateControllers(const virDomainDef *def, const char *machine)
{
    bool q35 = qemuMachineIsQ35(machine);
    size_t nchannels = 0;

    if (qemuValidatePCIControllers(def, machine) < 0)
        return -1;
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];
        const char *type = virDomainControllerTypeToString(c->type);
        const char *model = c->model ? c->model : "";
        bool ok = false;

        switch (c->type) {
        case VIR_DOMAIN_CONTROLLER_TYPE_PCI:
            /* qemuValidatePCIControllers has the rules */
            ok = qemuPCIControllerModelLookup(c->model) != NULL;
            break;
        case VIR_DOMAIN_CONTROLLER_TYPE_USB: {
            int rc = qemuValidateUSBController(c);

            if (rc < 0)
                return -1;
            ok = rc == 0;
            break;
        }
        case VIR_DOMAIN_CONTROLLER_TYPE_SATA:
            ok = q35 && c->idx == 0 && !c->model;
            break;
        case VIR_DOMAIN_CONTROLLER_TYPE_IDE:
            if (q35) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                               "IDE controllers are unsupported for this QEMU binary "
                               "or machine type");
                return -1;
            }
            ok = c->idx == 0 && (!c->model || g_str_equal(model, "piix3"));
            break;
        case VIR_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL:
            ok = !c->model || g_str_equal(model, "virtio");
            break;
        case VIR_DOMAIN_CONTROLLER_TYPE_SCSI: {
            int rc = qemuValidateSCSIController(def, c);

            if (rc < 0)
                return -1;
            ok = rc == 0;
            break;
        }
        case VIR_DOMAIN_CONTROLLER_TYPE_CCID:
            ok = c->idx == 0 && !c->model; /* usb-ccid, for a smartcard */
            break;
        case VIR_DOMAIN_CONTROLLER_TYPE_FDC:
            /* pc's built-in one, or the isa-fdc put on q35 for its floppies */
            ok = c->idx == 0 && !c->model;
            break;
        default:
            break;
        }
        if (!ok) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "controller type '%s' index %d%s%s is not supported by the "
                           "QEMU driver on machine '%s'",
                           type ? type : "?", c->idx, c->model ? " model " : "", model,
                           machine);
            return -1;
        }
        if (qemuValidateAddressType(
                &c->addr, "controller",
                c->type == VIR_DOMAIN_CONTROLLER_TYPE_CCID ? USB_ONLY : PCI_ONLY) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nchannels; i++) {
        const virDomainChannelDef *c = def->channels[i];
        bool found = false;

        for (size_t j = 0; j < def->ncontrollers && !found; j++)
            found =
                def->controllers[j]->type == VIR_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL &&
                def->controllers[j]->idx == MAX(c->vsController, 0);
        if (!found || c->vsBus > 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "channel %zu: no virtio-serial controller %d bus %d", i,
                           MAX(c->vsController, 0), MAX(c->vsBus, 0));
            return -1;
        }
        if (c->unixSocket && c->connect && !c->path) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "Missing source path attribute for char device");
            return -1;
        }
        if (++nchannels > QEMU_MAX_CHANNELS) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "at most %d channels are supported", QEMU_MAX_CHANNELS);
            return -1;
        }
    }
    for (size_t i = 0; i < def->ninputs; i++) {
        const virDomainInputDef *in = &def->inputs[i];
        bool usb = false;

        /* qemuValidateDomainDeviceDefInput: QEMU has no transitional inputs */
        if (in->bus == VIR_DOMAIN_INPUT_BUS_VIRTIO &&
            (in->model == VIR_DOMAIN_INPUT_MODEL_VIRTIO_TRANSITIONAL ||
             in->model == VIR_DOMAIN_INPUT_MODEL_VIRTIO_NON_TRANSITIONAL)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "virtio (non-)transitional models are not supported for input "
                           "type=%s",
                           virDomainInputTypeToString(in->type));
            return -1;
        }
        if (in->bus != VIR_DOMAIN_INPUT_BUS_USB)
            continue;
        for (size_t j = 0; j < def->ncontrollers; j++) {
            const virDomainControllerDef *c = def->controllers[j];

            if (c->type == VIR_DOMAIN_CONTROLLER_TYPE_USB && c->idx == 0 &&
                g_strcmp0(c->model, "none") != 0)
                usb = true;
        }
        if (!usb) {
            virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, __func__,
                               "%s", "Can't add USB input device. USB bus is disabled");
            return -1;
        }
    }
    if (qemuValidateGraphics(def) < 0 || qemuValidateSpiceDevices(def) < 0 ||
        qemuValidateUSBPorts(def) < 0)
        return -1;
    for (size_t i = 0; i < def->nvideos; i++) {
        const virDomainVideoDef *v = def->videos[i];

        if (i > 0 && !g_str_equal(v->type, "virtio") && !g_str_equal(v->type, "qxl")) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "video type '%s' is only valid as primary video device",
                           v->type);
            return -1;
        }
        /* qemuValidateDomainDeviceDefVideo's acceleration rules */
        if (v->accel2d == VIR_DOMAIN_TRISTATE_ON) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "qemu does not support the accel2d setting");
            return -1;
        }
        if (v->backend != VIR_DOMAIN_VIDEO_BACKEND_VHOSTUSER &&
            v->accel3d == VIR_DOMAIN_TRISTATE_ON && !g_str_equal(v->type, "virtio")) {
            virReportError(
                VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                "3d acceleration is supported only with 'virtio' video device");
            return -1;
        }
    }
    for (size_t i = 0; i < def->nrngs; i++) {
        if (qemuValidateAddressType(&def->rngs[i]->addr, "rng", PCI_ONLY) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nvideos; i++) {
        if (qemuValidateAddressType(&def->videos[i]->addr, "video", PCI_ONLY) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->ninputs; i++) {
        const virDomainInputDef *in = &def->inputs[i];

        if (qemuValidateAddressType(&in->addr, "input",
                                    in->bus == VIR_DOMAIN_INPUT_BUS_VIRTIO ? PCI_ONLY
                                    : in->bus == VIR_DOMAIN_INPUT_BUS_USB
                                        ? USB_ONLY
                                        : NO_ADDRESS) < 0)
            return -1;
    }
    return 0;
}

int
qemuValidateUSBCompanionsForStart(const virDomainDef *def)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const virDomainControllerDef *c = def->controllers[i];
        bool found = false;

        if (c->type != VIR_DOMAIN_CONTROLLER_TYPE_USB || c->masterStartport < 0)
            continue;
        for (size_t j = 0; j < def->ncontrollers && !found; j++) {
            const virDomainControllerDef *m = def->controllers[j];

            found = m->type == VIR_DOMAIN_CONTROLLER_TYPE_USB && m->idx == c->idx &&
                    m->masterStartport < 0;
        }
        if (!found) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "masterbus not found");
            return -1;
        }
    }
    return 0;
}

int
qemuValidateDomainVideoForStart(const virDomainDef *def)
{
    for (size_t i = 0; i < def->nvideos; i++) {
        g_autofree char *binary = NULL;

        if (def->videos[i]->backend != VIR_DOMAIN_VIDEO_BACKEND_VHOSTUSER)
            continue;
        if (!(binary = qemuVhostUserFindBinary("gpu", geteuid() == 0))) {
            virReportError(VIR_ERR_OPERATION_FAILED, "%s",
                           "Unable to find a satisfying vhost-user-gpu");
            return -1;
        }
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "vhost-user-gpu '%s' is not supported by virtkit", binary);
        return -1;
    }
    return 0;
}

/* The names of @blockers (QEMU's) that @cpu does not disable, joined by
 * commas; NULL when none. */
static char *
qemuValidateCpuMissing(const virDomainCpuDef *cpu, char **blockers)
{
    g_autoptr(GString) s = g_string_new(NULL);

    for (size_t i = 0; blockers[i]; i++) {
        bool off = false;

        for (size_t j = 0; j < cpu->nfeatures && !off; j++) {
            off = g_str_equal(qemuCPUFeatureToQEMU(cpu->features[j].name),
                              qemuCPUFeatureToQEMU(blockers[i])) &&
                  (cpu->features[j].policy == VIR_DOMAIN_CPU_FEATURE_DISABLE ||
                   cpu->features[j].policy == VIR_DOMAIN_CPU_FEATURE_FORBID);
        }
        if (!off)
            g_string_append_printf(s, "%s%s", s->len ? "," : "", blockers[i]);
    }
    return s->len ? g_string_free(g_steal_pointer(&s), FALSE) : NULL;
}

int
qemuValidateDomainCpuForStart(const virDomainDef *def, const qemuCaps *caps)
{
    const virDomainCpuDef *cpu = def->cpu;
    const qemuCapsCPUModel *model;
    bool kvm = def->virtType == VIR_DOMAIN_VIRT_KVM;

    if (!cpu)
        return 0;
    /* libvirt's virQEMUCapsIsCPUModeSupported: host-passthrough needs a
     * host CPU, which TCG does not give */
    if (cpu->mode == VIR_DOMAIN_CPU_MODE_HOST_PASSTHROUGH && !kvm) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "CPU mode '%s' for %s %s domain on %s host is not supported by "
                       "hypervisor",
                       virDomainCpuModeToString(cpu->mode),
                       def->os.arch ? def->os.arch : "x86_64",
                       virDomainVirtTypeToString(def->virtType), "x86_64");
        return -1;
    }
    /* a feature becomes ",NAME=on" on QEMU's command line: only QEMU's
     * property characters (so that a name cannot add options), and one of
     * the features this QEMU knows, as libvirt checks it against its map.
     * QEMU's KVM paravirt bits (kvmclock, kvm-pv-eoi, ...) are not in
     * libvirt 9.0's x86 map: a guest gets them through <clock><timer
     * name='kvmclock'> and <features> instead. */
    for (size_t i = 0; i < cpu->nfeatures; i++) {
        const char *n = cpu->features[i].name;
        const char *qn = qemuCPUFeatureToQEMU(n);

        if (strspn(n,
                   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
                strlen(n) ||
            g_str_has_prefix(n, "kvm") || g_str_has_prefix(qn, "kvm") ||
            !qemuCapsCPUFeatureIsKnown(caps, qn)) {
            virReportErrorFull(VIR_FROM_CPU, VIR_ERR_CONFIG_UNSUPPORTED, __func__,
                               "unknown CPU feature: %s", n);
            return -1;
        }
    }
    if (cpu->mode != VIR_DOMAIN_CPU_MODE_CUSTOM || !cpu->model)
        return 0;
    if (!(model = qemuCapsGetCPUModel(caps, cpu->model)) ||
        g_str_equal(cpu->model, "host") || g_str_equal(cpu->model, "max")) {
        virReportErrorFull(VIR_FROM_CPU, VIR_ERR_INTERNAL_ERROR, __func__,
                           "Unknown CPU model %s", cpu->model);
        return -1;
    }
    /* check='partial'/'full': QEMU names what the model needs that this
     * accelerator lacks (libvirt compares CPUID feature sets instead); a
     * feature the definition disables is not missing */
    if ((cpu->check == VIR_DOMAIN_CPU_CHECK_PARTIAL ||
         cpu->check == VIR_DOMAIN_CPU_CHECK_FULL) &&
        !kvm && model->blockers) {
        g_autofree char *missing = qemuValidateCpuMissing(cpu, model->blockers);

        if (!missing)
            return 0;
        virReportErrorFull(VIR_FROM_CPU, VIR_ERR_OPERATION_FAILED, __func__,
                           "guest CPU doesn't match specification: missing features: %s",
                           missing);
        return -1;
    }
    return 0;
}

/* libvirt 9.0's qemuValidateDomainDeviceDefIOMMU for the x86 machines
 * here: intel on q35; smmuv3 is ARM's. virtio-iommu (a PCI device libvirt
 * runs on q35) is not done by virtkit: refused rather than dropped. */
static int
qemuValidateIOMMU(const virDomainDef *def)
{
    const char *model;

    if (!def->iommu)
        return 0;
    model = virDomainIOMMUModelToString(def->iommu->model);
    switch ((virDomainIOMMUModel)def->iommu->model) {
    case VIR_DOMAIN_IOMMU_MODEL_INTEL:
        if (!qemuMachineIsQ35(def->os.machine)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "IOMMU device: '%s' is only supported with Q35 machines",
                           model);
            return -1;
        }
        break;
    case VIR_DOMAIN_IOMMU_MODEL_SMMUV3:
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "IOMMU device: '%s' is only supported with ARM Virt machines",
                       model);
        return -1;
    case VIR_DOMAIN_IOMMU_MODEL_VIRTIO:
    case VIR_DOMAIN_IOMMU_MODEL_LAST:
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "IOMMU model '%s' is not supported by virtkit's QEMU driver",
                       model);
        return -1;
    }
    return 0;
}

/* libvirt 9.0's qemuValidateDomainDefCpu for <cpu><cache> (at define):
 * emulate is an L3, passthrough and disable take no level, and passthrough
 * needs a CPU that has the host's caches to pass */
static int
qemuValidateCpuCache(const virDomainDef *def)
{
    const virDomainCpuDef *cpu = def->cpu;
    const char *mode;

    if (!cpu || !cpu->cache)
        return 0;
    mode = virDomainCpuCacheModeToString(cpu->cacheMode);
    switch ((virDomainCpuCacheMode)cpu->cacheMode) {
    case VIR_DOMAIN_CPU_CACHE_MODE_EMULATE:
        if (cpu->cacheLevel != 3) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "CPU cache mode '%s' can only be used with level='3'", mode);
            return -1;
        }
        break;
    case VIR_DOMAIN_CPU_CACHE_MODE_PASSTHROUGH:
        if (cpu->mode != VIR_DOMAIN_CPU_MODE_HOST_PASSTHROUGH &&
            cpu->mode != VIR_DOMAIN_CPU_MODE_MAXIMUM) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "CPU cache mode '%s' can only be used with '%s' / '%s' CPUs",
                           mode, "host-passthrough", "maximum");
            return -1;
        }
        G_GNUC_FALLTHROUGH;
    case VIR_DOMAIN_CPU_CACHE_MODE_DISABLE:
        if (cpu->cacheLevel != -1) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "unsupported CPU cache level for mode '%s'", mode);
            return -1;
        }
        break;
    case VIR_DOMAIN_CPU_CACHE_MODE_LAST:
        break;
    }
    return 0;
}

/* libvirt 9.0's qemuValidateDomainWatchdogDef: where each model may sit */
static int
qemuValidateWatchdog(const virDomainWatchdogDef *wd)
{
    const char *model = virDomainWatchdogModelToString(wd->model);
    int atype = wd->addr.type;

    switch ((virDomainWatchdogModel)wd->model) {
    case VIR_DOMAIN_WATCHDOG_MODEL_I6300ESB:
        if (atype != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE &&
            atype != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "%s model of watchdog can go only on PCI bus", model);
            return -1;
        }
        break;
    case VIR_DOMAIN_WATCHDOG_MODEL_IB700:
        if (atype != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
            virReportError(
                VIR_ERR_CONFIG_UNSUPPORTED,
                "%s model of watchdog does not support configuring the address", model);
            return -1;
        }
        break;
    case VIR_DOMAIN_WATCHDOG_MODEL_DIAG288:
        if (atype != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "%s model of watchdog is virtual and cannot go on any bus.",
                           model);
            return -1;
        }
        /* the driver runs x86 guests only */
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "%s model of watchdog is allowed for s390 and s390x only", model);
        return -1;
    case VIR_DOMAIN_WATCHDOG_MODEL_LAST:
        break;
    }
    return 0;
}

/* libvirt's qemuDomainDefValidateMemoryHotplugDevice (x86) for @mem of @def */
int
qemuValidateMemoryDevice(const virDomainDef *def, const virDomainMemoryDef *mem)
{
    const char *model = virDomainMemoryModelToString(mem->model);

    switch (mem->model) {
    case VIR_DOMAIN_MEMORY_MODEL_DIMM:
    case VIR_DOMAIN_MEMORY_MODEL_NVDIMM:
        if (mem->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "only 'dimm' addresses are supported for the pc-dimm device");
            return -1;
        }
        if (def->nnumaCells && mem->targetNode == -1) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "target NUMA node needs to be specified for memory device");
            return -1;
        }
        if (!mem->dimmAddr)
            return 0;
        if (mem->dimmSlot >= def->memorySlots) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "memory device slot '%u' exceeds slots count '%u'",
                           mem->dimmSlot, def->memorySlots);
            return -1;
        }
        for (size_t i = 0; i < def->nmems; i++) {
            const virDomainMemoryDef *o = def->mems[i];

            if (o == mem || !o->dimmAddr)
                continue;
            if (o->dimmSlot == mem->dimmSlot) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "memory device slot '%u' is already being used by "
                               "another memory device",
                               mem->dimmSlot);
                return -1;
            }
            if (mem->dimmBase && mem->dimmBase == o->dimmBase) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "memory device base '0x%llx' is already being used by "
                               "another memory device",
                               mem->dimmBase);
                return -1;
            }
        }
        return 0;
    case VIR_DOMAIN_MEMORY_MODEL_VIRTIO_PMEM:
        if (mem->dimmAddr || (mem->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
                              mem->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE)) {
            virReportError(
                VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                "only 'pci' addresses are supported for the virtio-pmem device");
            return -1;
        }
        return 0;
    case VIR_DOMAIN_MEMORY_MODEL_VIRTIO_MEM:
        if (mem->dimmAddr || (mem->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
                              mem->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "only 'pci' addresses are supported for the %s device", model);
            return -1;
        }
        if (def->nnumaCells && mem->targetNode == -1) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "target NUMA node needs to be specified for memory device");
            return -1;
        }
        return 0;
    default:
        return -1;
    }
}

/* libvirt's qemuValidateDomainDefMemory and qemuDomainDefValidateMemoryHotplug
 * (NUMA cells, <memoryBacking>, <maxMemory>, the memory devices) */
static int
qemuValidateDomainDefMemory(const virDomainDef *def)
{
    const virDomainMemoryBackingDef *mb = &def->memBacking;
    unsigned long long hotplugMemory = 0;

    if (!def->maxMemory && !def->memorySlots && def->nmems) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "cannot use/hotplug a memory device when domain 'maxMemory' is "
                       "not defined");
        return -1;
    }
    if (def->maxMemory && def->memorySlots && !def->nnumaCells) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "At least one numa node has to be configured when enabling memory "
                       "hotplug");
        return -1;
    }
    if (def->maxMemory || def->memorySlots) {
        if (def->nmems > def->memorySlots) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "memory device count '%zu' exceeds slots count '%u'",
                           def->nmems, def->memorySlots);
            return -1;
        }
        for (size_t i = 0; i < def->nmems; i++) {
            hotplugMemory += def->mems[i]->size;
            if (qemuValidateMemoryDevice(def, def->mems[i]) < 0)
                return -1;
        }
        if (hotplugMemory > def->maxMemory - (def->memory - hotplugMemory)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "memory device total size exceeds hotplug space");
            return -1;
        }
    }
    if (!mb->nhugepages)
        return 0;
    if (mb->allocation == VIR_DOMAIN_MEMORY_ALLOCATION_ONDEMAND) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "hugepages are not allowed with memory allocation ondemand");
        return -1;
    }
    if (mb->source == VIR_DOMAIN_MEMORY_SOURCE_ANONYMOUS) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "hugepages are not allowed with anonymous memory source");
        return -1;
    }
    return 0;
}

/* libvirt 9.0's qemuValidateDomainDefPanic for an x86 guest */
static int
qemuValidatePanics(const virDomainDef *def)
{
    /* the post-parse made 'default' models 'isa' */
    if (virDomainPanicsCheckDuplicates(def) < 0)
        return -1;
    for (size_t i = 0; i < def->npanics; i++) {
        const virDomainPanicDef *panic = def->panics[i];
        const char *model = virDomainPanicModelToString(panic->model);
        bool addressed = panic->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE;

        switch ((virDomainPanicModel)panic->model) {
        case VIR_DOMAIN_PANIC_MODEL_S390:
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "only S390 guests support panic device of model 's390'");
            return -1;
        case VIR_DOMAIN_PANIC_MODEL_PSERIES:
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "only pSeries guests support panic device of model 'pseries'");
            return -1;
        case VIR_DOMAIN_PANIC_MODEL_HYPERV:
            if (addressed) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                               "setting the panic device address is not supported for "
                               "model '%s'",
                               model);
                return -1;
            }
            break;
        case VIR_DOMAIN_PANIC_MODEL_ISA:
            if (addressed && panic->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_ISA) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                               "panic is supported only with ISA address type");
                return -1;
            }
            break;
        case VIR_DOMAIN_PANIC_MODEL_DEFAULT:
        case VIR_DOMAIN_PANIC_MODEL_LAST:
            break;
        }
    }
    return 0;
}

int
qemuValidateDomainDef(const virDomainDef *def, const qemuCaps *caps)
{
    const char *machine;

    if (def->virtType != VIR_DOMAIN_VIRT_QEMU && def->virtType != VIR_DOMAIN_VIRT_KVM) {
        const char *t = virDomainVirtTypeToString(def->virtType);

        virReportError(
            VIR_ERR_CONFIG_UNSUPPORTED, "Emulator '%s' does not support virt type '%s'",
            def->emulator ? def->emulator : qemuCapsGetBinary(caps), t ? t : "none");
        return -1;
    }
    for (size_t i = 0; def->unknownElements && def->unknownElements[i]; i++) {
        const char *at = strchr(def->unknownElements[i], '@');

        if (g_strv_contains(qemuIgnorableElements, def->unknownElements[i]))
            continue;
        if (at) {
            g_autofree char *elem =
                g_strndup(def->unknownElements[i], at - def->unknownElements[i]);

            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "attribute '%s' of element '%s' is not supported by the "
                           "QEMU driver",
                           at + 1, elem);
            return -1;
        }
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "element '%s' is not supported by the QEMU driver",
                       def->unknownElements[i]);
        return -1;
    }
    if (qemuValidateDomainDefMemory(def) < 0)
        return -1;
    if (def->os.type && !g_str_equal(def->os.type, "hvm")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "os type '%s' is not supported",
                       def->os.type);
        return -1;
    }
    if (def->os.arch && !g_str_equal(def->os.arch, "x86_64") &&
        !g_str_equal(def->os.arch, "i686")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "No guest options available for arch '%s'", def->os.arch);
        return -1;
    }
    /* qemu-system-x86_64 also runs i686 guests; qemu-system-i386 only them */
    if (def->os.arch && !g_str_equal(def->os.arch, qemuCapsGetArch(caps)) &&
        !g_str_equal(def->os.arch, "i686")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Emulator '%s' does not support arch '%s'",
                       qemuCapsGetBinary(caps), def->os.arch);
        return -1;
    }
    if (!(machine = qemuCapsGetCanonicalMachine(caps, def->os.machine))) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "Emulator '%s' does not support machine type '%s'",
                       qemuCapsGetBinary(caps),
                       def->os.machine ? def->os.machine : "(default)");
        return -1;
    }
    if (def->memory < 1024) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "memory must be at least 1 MiB");
        return -1;
    }
    if (def->vcpus < 1 || def->vcpus > 255) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported vcpu count %u",
                       def->vcpus);
        return -1;
    }
    if (def->cpu && def->cpu->sockets &&
        virDomainCpuDefTopologyVcpus(def->cpu) != def->vcpus) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "CPU topology doesn't match maximum vcpu count");
        return -1;
    }
    if (qemuValidateDomainVcpus(def) < 0)
        return -1;
    if ((def->os.initrd || def->os.cmdline) && !def->os.kernel) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "an initrd or kernel command line needs a kernel");
        return -1;
    }
    /* No <acpi/>: "-machine ...,acpi=off", as libvirt does. QEMU 7.2 starts
     * q35 that way too; the guest then has no power button (ACPI shutdown
     * and reboot cannot work), which is what the definition asked for. */
    if (qemuValidateLifecycle(def) < 0 || qemuValidateFirmware(def, machine) < 0 ||
        qemuValidateTimers(def) < 0)
        return -1;
    for (size_t i = 0; i < def->ndisks; i++) {
        if (qemuValidateDisk(def, def->disks[i], machine) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nnets; i++) {
        const virDomainNetDef *net = def->nets[i];

        if (net->type != VIR_DOMAIN_NET_TYPE_USER &&
            net->type != VIR_DOMAIN_NET_TYPE_NETWORK &&
            net->type != VIR_DOMAIN_NET_TYPE_BRIDGE &&
            net->type != VIR_DOMAIN_NET_TYPE_ETHERNET &&
            net->type != VIR_DOMAIN_NET_TYPE_VDPA) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "only interface types 'user', 'network', 'bridge', "
                           "'ethernet' and 'vdpa' are supported");
            return -1;
        }
        if (!qemuNetModel(net)) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported interface model '%s'",
                           net->model);
            return -1;
        }
        /* libvirt's device-info rule comes first */
        if (virDomainDeviceRomIsSet(&net->rom) &&
            net->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI &&
            net->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "ROM tuning is only supported for PCI devices");
            return -1;
        }
        if (qemuValidateAddressType(&net->addr, "interface", PCI_ONLY) < 0 ||
            qemuValidateNet(net) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nserials; i++) {
        if (qemuValidateChr(def->serials[i], i) < 0)
            return -1;
    }
    /* an isa-parallel each (libvirt: no rule of its own on x86) */
    for (size_t i = 0; i < def->nparallels; i++) {
        if (qemuValidateChrSource(def->parallels[i]) < 0)
            return -1;
    }
    if (qemuValidateControllers(def, machine) < 0)
        return -1;
    for (size_t i = 0; i < def->nconsoles; i++) {
        const virDomainChrDef *con = def->consoles[i];

        /* A virtio console is a virtconsole on the virtio-serial bus (the
         * parser added the controller); a serial console is an alias of
         * serial N: nothing of its own. */
        if (con->targetType == VIR_DOMAIN_CHR_TARGET_VIRTIO) {
            if (qemuValidateChrSource(con) < 0)
                return -1;
            continue;
        }
        bool found = false;

        for (size_t j = 0; j < def->nserials; j++)
            found |= def->serials[j]->targetPort == MAX(con->targetPort, 0);
        if ((con->targetType != VIR_DOMAIN_CHR_TARGET_SERIAL &&
             con->targetType != VIR_DOMAIN_CHR_TARGET_NONE) ||
            !found) {
            virReportError(
                VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                "only a console that is an alias of a serial port is supported");
            return -1;
        }
    }
    if (def->memballoon && def->memballoon->model != VIR_DOMAIN_MEMBALLOON_MODEL_VIRTIO &&
        def->memballoon->model != VIR_DOMAIN_MEMBALLOON_MODEL_NONE) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "unsupported memballoon model");
        return -1;
    }
    if (def->memballoon &&
        qemuValidateAddressType(&def->memballoon->addr, "memballoon", PCI_ONLY) < 0)
        return -1;
    if (def->watchdog && qemuValidateWatchdog(def->watchdog) < 0)
        return -1;
    for (size_t i = 0; i < def->nfss; i++) {
        if (qemuValidateFS(def, def->fss[i]) < 0)
            return -1;
    }
    /* libvirt's domain-wide rule, after the devices' */
    if (virDomainFSCheckTargets(def) < 0)
        return -1;
    if (qemuTPMValidate(def, def->emulator ? def->emulator : qemuCapsGetBinary(caps)) < 0)
        return -1;
    if (qemuValidatePanics(def) < 0 || qemuValidateIOMMU(def) < 0 ||
        qemuValidateCpuCache(def) < 0)
        return -1;
    for (size_t i = 0; i < def->nhostdevs; i++) {
        if (qemuValidateHostdev(def, def->hostdevs[i]) < 0)
            return -1;
    }
    return 0;
}
