/* qemu_command_input.c: the input devices on the QEMU command line, as libvirt 9.0 gives them */

#define G_LOG_DOMAIN "virtkit.qemu.command"

#include "qemu_command_priv.h"

const char *
qemuInputVirtioDevice(const virDomainInputDef *in)
{
    static const char *const virtioDev[VIR_DOMAIN_INPUT_TYPE_LAST] = {
        "virtio-mouse-pci",
        "virtio-tablet-pci",
        "virtio-keyboard-pci",
        "virtio-input-host-pci",
        NULL,
    };

    return virtioDev[in->type];
}

/* Inputs QEMU gets a device for (PS/2 mouse and keyboard are the
 * machine's own): libvirt's inputN ids, USB ports from 1. */
void
qemuBuildInputs(GPtrArray *a, const virDomainDef *def)
{
    static const char *const usbDev[] = { "usb-mouse", "usb-tablet", "usb-kbd" };
    int usbPort = 0;

    for (size_t i = 0; i < def->ninputs; i++) {
        const virDomainInputDef *in = &def->inputs[i];
        g_autofree char *alias =
            in->alias[0] ? g_strdup(in->alias) : g_strdup_printf("input%zu", i);
        g_autofree char *evdev = in->evdev ? qemuEscapeComma(in->evdev) : NULL;

        if (in->type == VIR_DOMAIN_INPUT_TYPE_EVDEV) {
            /* libvirt's qemuBuildInputEvdevProps: an object, no device */
            g_autoptr(GString) obj = g_string_new(NULL);

            g_string_printf(obj, "input-linux,id=%s,evdev=%s", alias, evdev ? evdev : "");
            if (in->repeat)
                g_string_append_printf(obj, ",repeat=%s",
                                       virDomainTristateSwitchToString(in->repeat));
            if (in->grab == VIR_DOMAIN_INPUT_GRAB_ALL)
                g_string_append(obj, ",grab_all=on");
            if (in->grabToggle)
                g_string_append_printf(obj, ",grab-toggle=%s",
                                       virDomainInputGrabToggleToString(in->grabToggle));
            add(a, "-object");
            add(a, obj->str);
        } else if (in->bus == VIR_DOMAIN_INPUT_BUS_USB) {
            g_autofree char *port = NULL;

            add(a, "-device");
            ++usbPort;
            if (in->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB &&
                in->addr.usbPort[0])
                usbPort = (int)in->addr.usbPort[0];
            port = qemuUSBPortString(&in->addr, (unsigned int)usbPort);
            addf(a, "%s,id=%s,bus=usb.0,port=%s", usbDev[in->type], alias, port);
        } else if (in->bus == VIR_DOMAIN_INPUT_BUS_VIRTIO) {
            g_autofree char *pci = qemuPCIAddrProps(def, &in->addr);
            g_autoptr(GString) dev = g_string_new(qemuInputVirtioDevice(in));

            qemuVirtioOptionsKeyval(dev, &in->virtio);
            g_string_append_printf(dev, ",id=%s", alias);
            if (in->type == VIR_DOMAIN_INPUT_TYPE_PASSTHROUGH)
                g_string_append_printf(dev, ",evdev=%s", evdev ? evdev : "");
            add(a, "-device");
            addf(a, "%s%s", dev->str, pci);
        }
    }
}
