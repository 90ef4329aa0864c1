/* qemu_domcaps.c: the domain capabilities XML, each value tried against virtkit's own validator */

#define G_LOG_DOMAIN "virtkit.qemu.domcaps"

#include <string.h>

#include "qemu_hostdev.h"
#include "qemu_cpu.h"
#include "qemu_domcaps.h"
#include "qemu_firmware.h"
#include "qemu_validate.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

typedef struct {
    const qemuCaps *caps;
    const char *arch;
    const char *machine;
    const char *virt; /* "qemu" / "kvm" */
} qemuDomCapsCtx;

/*
 * Does virtkit take a definition for this machine with @top (children of
 * <domain> after <os>), @features (children of <features>, <acpi/> always)
 * and @devices (children of <devices>)? Parse, QEMU post-parse and
 * validation, exactly as a define; whatever error they report is the
 * answer "no" and is not left behind (virerror.h rule 4: the caller's
 * error is preserved and restored).
 */
static bool
qemuDomCapsAcceptsOS(const qemuDomCapsCtx *ctx, const char *osAttrs, const char *osKids,
                     const char *top, const char *features, const char *devices)
{
    g_autofree char *xml = g_strdup_printf(
        "<domain type='%s'><name>domcaps</name><memory unit='MiB'>64</memory>"
        "<os%s><type arch='%s' machine='%s'>hvm</type>%s</os>%s"
        "<features><acpi/>%s</features><devices>%s</devices></domain>",
        ctx->virt, osAttrs ? osAttrs : "", ctx->arch, ctx->machine, osKids ? osKids : "",
        top ? top : "", features ? features : "", devices ? devices : "");
    virErrorPtr saved = NULL;
    g_autoptr(virDomainDef) def = NULL;
    bool ok = false;

    virErrorPreserveLast(&saved);
    if ((def = virDomainDefParseString(xml, VIR_DOMAIN_DEF_PARSE_INACTIVE)) &&
        qemuCapsDomainDefPostParse(ctx->caps, def) == 0 &&
        qemuValidateDomainDef(def, ctx->caps) == 0)
        ok = true;
    virErrorRestore(&saved);
    return ok;
}

static bool
qemuDomCapsAccepts(const qemuDomCapsCtx *ctx, const char *osAttrs, const char *top,
                   const char *features, const char *devices)
{
    return qemuDomCapsAcceptsOS(ctx, osAttrs, NULL, top, features, devices);
}

static bool
qemuDomCapsDevice(const qemuDomCapsCtx *ctx, const char *fmt, const char *value)
{
    g_autofree char *dev = g_strdup_printf(fmt, value);

    return qemuDomCapsAccepts(ctx, NULL, NULL, NULL, dev);
}

/* <enum name=NAME> with the values of @candidates that @accepts; appended
 * to @buf at @indent; returns how many. A value may be tried with several
 * snippets (a NULL-separated list per value is overkill here: a format
 * per value is given by @fmts, or one @fmt for all). */
typedef struct {
    const char *value;
    const char *fmt; /* printf format taking the value once (or none) */
} qemuDomCapsTry;

static size_t
qemuDomCapsEnum(GString *buf, const qemuDomCapsCtx *ctx, int indent, const char *name,
                const qemuDomCapsTry *tries, size_t ntries)
{
    g_autoptr(GPtrArray) ok = g_ptr_array_new();

    for (size_t i = 0; i < ntries; i++) {
        if (ok->len && g_str_equal(g_ptr_array_index(ok, ok->len - 1), tries[i].value))
            continue; /* an earlier snippet of the same value was taken */
        if (qemuDomCapsDevice(ctx, tries[i].fmt, tries[i].value))
            g_ptr_array_add(ok, (gpointer)tries[i].value);
    }
    g_string_append_printf(buf, "%*s<enum name='%s'", indent, "", name);
    if (!ok->len) {
        g_string_append(buf, "/>\n");
        return 0;
    }
    g_string_append(buf, ">\n");
    for (guint i = 0; i < ok->len; i++)
        g_string_append_printf(buf, "%*s  <value>%s</value>\n", indent, "",
                               (const char *)g_ptr_array_index(ok, i));
    g_string_append_printf(buf, "%*s</enum>\n", indent, "");
    return ok->len;
}

/* A device section: <NAME supported='yes'> with its enums, or
 * supported='no' when no enum took any value. */
typedef struct {
    const char *name;
    const qemuDomCapsTry *tries;
    size_t ntries;
} qemuDomCapsEnumDef;

static void
qemuDomCapsSection(GString *buf, const qemuDomCapsCtx *ctx, int indent, const char *elem,
                   const qemuDomCapsEnumDef *enums, size_t nenums)
{
    g_autoptr(GString) body = g_string_new(NULL);
    size_t total = 0;

    for (size_t i = 0; i < nenums; i++)
        total += qemuDomCapsEnum(body, ctx, indent + 2, enums[i].name, enums[i].tries,
                                 enums[i].ntries);
    if (!total) {
        g_string_append_printf(buf, "%*s<%s supported='no'/>\n", indent, "", elem);
        return;
    }
    g_string_append_printf(buf, "%*s<%s supported='yes'>\n%s%*s</%s>\n", indent, "", elem,
                           body->str, indent, "", elem);
}

#define TRIES(arr) arr, G_N_ELEMENTS(arr)

/* ---- the device enums: libvirt 9.0's candidate values, each with a
 * definition that uses it ---- */

static const qemuDomCapsTry diskDevice[] = {
    { "disk", "<disk type='file' device='%s'><source file='/domcaps.img'/>"
              "<target dev='vda' bus='virtio'/></disk>" },
    { "cdrom", "<disk type='file' device='%s'><target dev='sda' bus='sata'/>"
               "<readonly/></disk>" },
    { "cdrom", "<disk type='file' device='%s'><target dev='hdc' bus='ide'/>"
               "<readonly/></disk>" },
    { "floppy", "<disk type='file' device='%s'><source file='/domcaps.img'/>"
                "<target dev='fda' bus='fdc'/></disk>" },
    { "lun", "<disk type='block' device='%s'><source dev='/dev/domcaps'/>"
             "<target dev='sda' bus='scsi'/></disk>" },
};
static const qemuDomCapsTry diskBus[] = {
    { "ide", "<disk type='file' device='disk'><source file='/domcaps.img'/>"
             "<target dev='hda' bus='%s'/></disk>" },
    { "fdc", "<disk type='file' device='floppy'><source file='/domcaps.img'/>"
             "<target dev='fda' bus='%s'/></disk>" },
    { "scsi", "<disk type='file' device='disk'><source file='/domcaps.img'/>"
              "<target dev='sda' bus='%s'/></disk>" },
    { "virtio", "<disk type='file' device='disk'><source file='/domcaps.img'/>"
                "<target dev='vda' bus='%s'/></disk>" },
    { "usb", "<disk type='file' device='disk'><source file='/domcaps.img'/>"
             "<target dev='sda' bus='%s'/></disk>" },
    { "sata", "<disk type='file' device='disk'><source file='/domcaps.img'/>"
              "<target dev='sda' bus='%s'/></disk>" },
};
static const qemuDomCapsTry diskModel[] = {
    { "virtio", "<disk type='file' device='disk' model='%s'><source file='/domcaps.img'/>"
                "<target dev='vda' bus='virtio'/></disk>" },
    { "virtio-transitional",
      "<disk type='file' device='disk' model='%s'><source file='/domcaps.img'/>"
      "<target dev='vda' bus='virtio'/></disk>" },
    { "virtio-non-transitional",
      "<disk type='file' device='disk' model='%s'><source file='/domcaps.img'/>"
      "<target dev='vda' bus='virtio'/></disk>" },
};
static const qemuDomCapsEnumDef diskEnums[] = {
    { "diskDevice", TRIES(diskDevice) },
    { "bus", TRIES(diskBus) },
    { "model", TRIES(diskModel) },
};

#define GRAPHICS "<graphics type='%s'/>"
static const qemuDomCapsTry graphicsType[] = {
    { "sdl", GRAPHICS },          { "vnc", GRAPHICS },  { "spice", GRAPHICS },
    { "egl-headless", GRAPHICS }, { "dbus", GRAPHICS },
};
static const qemuDomCapsEnumDef graphicsEnums[] = { { "type", TRIES(graphicsType) } };

#define VIDEO "<video><model type='%s'/></video>"
static const qemuDomCapsTry videoModel[] = {
    { "vga", VIDEO },    { "cirrus", VIDEO }, { "vmvga", VIDEO }, { "qxl", VIDEO },
    { "virtio", VIDEO }, { "none", VIDEO },   { "bochs", VIDEO }, { "ramfb", VIDEO },
};
static const qemuDomCapsEnumDef videoEnums[] = { { "modelType", TRIES(videoModel) } };

static const qemuDomCapsTry hostdevMode[] = {
    { "subsystem", "<hostdev mode='%s' type='usb'><source><vendor id='0x1234'/>"
                   "<product id='0xbeef'/></source></hostdev>" },
};
static const qemuDomCapsTry hostdevSubsys[] = {
    { "usb", "<hostdev mode='subsystem' type='%s'><source><vendor id='0x1234'/>"
             "<product id='0xbeef'/></source></hostdev>" },
    { "pci", "<hostdev mode='subsystem' type='%s' managed='yes'><source>"
             "<address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/>"
             "</source></hostdev>" },
    { "scsi", "<hostdev mode='subsystem' type='%s'><source><adapter name='scsi_host0'/>"
              "<address bus='0' target='0' unit='0'/></source></hostdev>" },
};
#define USB_HOSTDEV(src)                                                        \
    "<hostdev mode='subsystem' type='usb'><source" src "><vendor id='0x1234'/>" \
    "<product id='0xbeef'/></source></hostdev>"
static const qemuDomCapsTry hostdevStartup[] = {
    { "default", USB_HOSTDEV("") },
    { "mandatory", USB_HOSTDEV(" startupPolicy='%s'") },
    { "requisite", USB_HOSTDEV(" startupPolicy='%s'") },
    { "optional", USB_HOSTDEV(" startupPolicy='%s'") },
};
#define CAPS_HOSTDEV(child)                                                   \
    "<hostdev mode='capabilities' type='%s'><source><" child ">x</" child ">" \
    "</source></hostdev>"
static const qemuDomCapsTry hostdevCaps[] = {
    { "storage", CAPS_HOSTDEV("block") },
    { "misc", CAPS_HOSTDEV("char") },
    { "net", CAPS_HOSTDEV("interface") },
};
/* what the host can assign PCI devices with: VFIO or nothing (libvirt's
 * qemuHostdevHostSupportsPassthroughVFIO) */
#define PCI_HOSTDEV(driver)                                                            \
    "<hostdev mode='subsystem' type='pci'>" driver "<source><address domain='0x0000' " \
    "bus='0x06' slot='0x12' function='0x5'/></source></hostdev>"
static const qemuDomCapsTry hostdevPCIBackend[] = {
    { "default", PCI_HOSTDEV("") },
    { "vfio", PCI_HOSTDEV("<driver name='%s'/>") },
};

static const qemuDomCapsTry rngModel[] = {
    { "virtio", "<rng model='%s'><backend model='random'>/dev/urandom</backend></rng>" },
    { "virtio-transitional",
      "<rng model='%s'><backend model='random'>/dev/urandom</backend></rng>" },
    { "virtio-non-transitional",
      "<rng model='%s'><backend model='random'>/dev/urandom</backend></rng>" },
};
static const qemuDomCapsTry rngBackend[] = {
    { "random", "<rng model='virtio'><backend model='%s'>/dev/urandom</backend></rng>" },
    { "egd", "<rng model='virtio'><backend model='%s' type='pty'/></rng>" },
    { "builtin", "<rng model='virtio'><backend model='%s'/></rng>" },
};
static const qemuDomCapsEnumDef rngEnums[] = {
    { "model", TRIES(rngModel) },
    { "backendModel", TRIES(rngBackend) },
};

#define FS                                                             \
    "<filesystem type='mount'><driver type='%s'/><source dir='/tmp'/>" \
    "<target dir='domcaps'/></filesystem>"
static const qemuDomCapsTry fsDriver[] = {
    { "path", FS },
    { "handle", FS },
    { "virtiofs", FS },
};
static const qemuDomCapsEnumDef fsEnums[] = { { "driverType", TRIES(fsDriver) } };

static const qemuDomCapsTry tpmModel[] = {
    { "tpm-tis", "<tpm model='%s'><backend type='emulator' version='2.0'/></tpm>" },
    { "tpm-crb", "<tpm model='%s'><backend type='emulator' version='2.0'/></tpm>" },
};
static const qemuDomCapsTry tpmBackend[] = {
    { "passthrough", "<tpm model='tpm-tis'><backend type='%s'>"
                     "<device path='/dev/tpm0'/></backend></tpm>" },
    { "emulator", "<tpm model='tpm-tis'><backend type='%s' version='2.0'/></tpm>" },
    { "external",
      "<tpm model='tpm-tis'><backend type='%s'>"
      "<source type='unix' mode='connect' path='/domcaps.sock'/></backend></tpm>" },
};
static const qemuDomCapsTry tpmVersion[] = {
    { "1.2", "<tpm model='tpm-tis'><backend type='emulator' version='%s'/></tpm>" },
    { "2.0", "<tpm model='tpm-crb'><backend type='emulator' version='%s'/></tpm>" },
};
static const qemuDomCapsEnumDef tpmEnums[] = {
    { "model", TRIES(tpmModel) },
    { "backendModel", TRIES(tpmBackend) },
    { "backendVersion", TRIES(tpmVersion) },
};

static const qemuDomCapsTry redirdevBus[] = {
    { "usb",
      "<controller type='usb' model='qemu-xhci'/><redirdev bus='%s' type='spicevmc'/>"
      "<graphics type='spice'/>" },
};
static const qemuDomCapsEnumDef redirdevEnums[] = { { "bus", TRIES(redirdevBus) } };

static const qemuDomCapsTry channelType[] = {
    { "pty", "<channel type='%s'><target type='virtio' name='org.qemu.guest_agent.0'/>"
             "</channel>" },
    { "unix", "<channel type='%s'><target type='virtio' name='org.qemu.guest_agent.0'/>"
              "</channel>" },
    { "spicevmc", "<channel type='%s'><target type='virtio' name='com.redhat.spice.0'/>"
                  "</channel><graphics type='spice'/>" },
};
static const qemuDomCapsEnumDef channelEnums[] = { { "type", TRIES(channelType) } };

/* ---- sections ---------------------------------------------------------- */

static void
qemuDomCapsFormatOS(GString *buf, const qemuDomCapsCtx *ctx, const char *const *fwDirs)
{
    g_autoptr(GPtrArray) loaders = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) fw = g_ptr_array_new();
    g_autoptr(GString) loader = g_string_new(NULL);
    bool efi, bios, secure;
    const char *types[] = { "rom", "pflash" };
    bool typeOk[2];
    bool roYes, roNo, secYes;
    g_autofree char *any = NULL;

    qemuFirmwareListForMachine(fwDirs, ctx->arch, ctx->machine, loaders, &efi, &bios,
                               &secure);
    if (efi && qemuDomCapsAccepts(ctx, " firmware='efi'", NULL, NULL, NULL))
        g_ptr_array_add(fw, "efi");
    if (bios && qemuDomCapsAccepts(ctx, " firmware='bios'", NULL, NULL, NULL))
        g_ptr_array_add(fw, "bios");

    /* a loader of each type, read-only or not, secure or not, given by path */
    any = g_strdup(loaders->len ? (const char *)g_ptr_array_index(loaders, 0)
                                : "/domcaps.fd");
    for (size_t i = 0; i < G_N_ELEMENTS(types); i++) {
        g_autofree char *kid =
            g_strdup_printf("<loader type='%s'>%s</loader>", types[i], any);

        typeOk[i] = qemuDomCapsAcceptsOS(ctx, NULL, kid, NULL, NULL, NULL);
    }
    {
        g_autofree char *ro =
            g_strdup_printf("<loader readonly='yes' type='pflash'>%s</loader>", any);
        g_autofree char *rw =
            g_strdup_printf("<loader readonly='no' type='pflash'>%s</loader>", any);
        g_autofree char *sec = g_strdup_printf(
            "<loader readonly='yes' secure='yes' type='pflash'>%s</loader>", any);

        roYes = qemuDomCapsAcceptsOS(ctx, NULL, ro, NULL, NULL, NULL);
        roNo = qemuDomCapsAcceptsOS(ctx, NULL, rw, NULL, NULL, NULL);
        secYes = secure &&
                 qemuDomCapsAcceptsOS(ctx, NULL, sec, NULL, "<smm state='on'/>", NULL);
    }

    if (!fw->len && !typeOk[0] && !typeOk[1]) {
        g_string_append(buf, "  <os supported='no'/>\n");
        return;
    }
    g_string_append(buf, "  <os supported='yes'>\n");
    if (fw->len) {
        g_string_append(buf, "    <enum name='firmware'>\n");
        for (guint i = 0; i < fw->len; i++)
            g_string_append_printf(buf, "      <value>%s</value>\n",
                                   (const char *)g_ptr_array_index(fw, i));
        g_string_append(buf, "    </enum>\n");
    } else {
        g_string_append(buf, "    <enum name='firmware'/>\n");
    }
    if (!typeOk[0] && !typeOk[1]) {
        g_string_append(buf, "    <loader supported='no'/>\n  </os>\n");
        return;
    }
    g_string_append(buf, "    <loader supported='yes'>\n");
    for (guint i = 0; i < loaders->len; i++) {
        g_autofree char *esc = g_markup_escape_text(g_ptr_array_index(loaders, i), -1);

        g_string_append_printf(buf, "      <value>%s</value>\n", esc);
    }
    g_string_append(buf, "      <enum name='type'>\n");
    for (size_t i = 0; i < G_N_ELEMENTS(types); i++) {
        if (typeOk[i])
            g_string_append_printf(buf, "        <value>%s</value>\n", types[i]);
    }
    g_string_append(buf, "      </enum>\n");
    if (roYes || roNo) {
        g_string_append(buf, "      <enum name='readonly'>\n");
        if (roYes)
            g_string_append(buf, "        <value>yes</value>\n");
        if (roNo)
            g_string_append(buf, "        <value>no</value>\n");
        g_string_append(buf, "      </enum>\n");
    } else {
        g_string_append(buf, "      <enum name='readonly'/>\n");
    }
    g_string_append(buf, "      <enum name='secure'>\n");
    if (secYes)
        g_string_append(buf, "        <value>yes</value>\n");
    g_string_append(buf, "        <value>no</value>\n      </enum>\n");
    g_string_append(buf, "    </loader>\n  </os>\n");
}

static void
qemuDomCapsFormatCPU(GString *buf, const qemuDomCapsCtx *ctx, bool kvm)
{
    size_t n;
    const qemuCapsCPUModel *const *models = qemuCapsGetCPUModels(ctx->caps, &n);
    bool passthrough =
        kvm &&
        qemuDomCapsAccepts(ctx, NULL, "<cpu mode='host-passthrough'/>", NULL, NULL);
    bool maximum = qemuDomCapsAccepts(ctx, NULL, "<cpu mode='maximum'/>", NULL, NULL);
    bool hostModel =
        qemuDomCapsAccepts(ctx, NULL, "<cpu mode='host-model'/>", NULL, NULL);
    g_autoptr(virDomainCpuDef) host = NULL;

    g_string_append(buf, "  <cpu>\n");
    if (passthrough)
        g_string_append(buf, "    <mode name='host-passthrough' supported='yes'>\n"
                             "      <enum name='hostPassthroughMigratable'>\n"
                             "        <value>on</value>\n        <value>off</value>\n"
                             "      </enum>\n    </mode>\n");
    else
        g_string_append(buf, "    <mode name='host-passthrough' supported='no'/>\n");
    if (maximum)
        g_string_append(buf, "    <mode name='maximum' supported='yes'>\n"
                             "      <enum name='maximumMigratable'>\n"
                             "        <value>on</value>\n        <value>off</value>\n"
                             "      </enum>\n    </mode>\n");
    else
        g_string_append(buf, "    <mode name='maximum' supported='no'/>\n");
    /* host-model: its expansion (qemu_cpu.c) as the elements of a guest
     * <cpu>, as libvirt shows it */
    if (hostModel && (host = qemuCPUHostModel(ctx->caps))) {
        g_autoptr(GString) inner = g_string_new(NULL);
        const char *body;
        const char *end;

        virDomainCpuDefFormat(inner, host, 4);
        body = strchr(inner->str, '\n') + 1;
        end = g_strrstr(inner->str, "    </cpu>");
        g_string_append(buf, "    <mode name='host-model' supported='yes'>\n");
        g_string_append_len(buf, body, end - body);
        g_string_append(buf, "    </mode>\n");
    } else {
        g_string_append_printf(buf, "    <mode name='host-model' supported='%s'/>\n",
                               hostModel ? "yes" : "no");
    }
    if (!n) {
        g_string_append(buf, "    <mode name='custom' supported='no'/>\n  </cpu>\n");
        return;
    }
    g_string_append(buf, "    <mode name='custom' supported='yes'>\n");
    for (size_t i = 0; i < n; i++) {
        if (!qemuCapsCPUModelIsNamed(models[i]->name))
            continue;
        g_string_append_printf(buf, "      <model usable='%s' vendor='%s'>%s</model>\n",
                               models[i]->usable || kvm ? "yes" : "no",
                               models[i]->vendor ? models[i]->vendor : "unknown",
                               models[i]->name);
    }
    g_string_append(buf, "    </mode>\n  </cpu>\n");
}

static void
qemuDomCapsFeature(GString *buf, const qemuDomCapsCtx *ctx, const char *name,
                   const char *top, const char *feature)
{
    bool ok = (top || feature) && qemuDomCapsAccepts(ctx, NULL, top, feature, NULL);

    g_string_append_printf(buf, "    <%s supported='%s'/>\n", name, ok ? "yes" : "no");
}

char *
qemuDomainCapsFormat(const qemuCaps *caps, const char *const *fwDirs, const char *arch,
                     const char *machine, int virtType, bool kvmUsable)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    qemuDomCapsCtx ctx = { caps, arch, machine, virDomainVirtTypeToString(virtType) };
    bool kvm = virtType == VIR_DOMAIN_VIRT_KVM && kvmUsable;
    g_autofree char *emu = g_markup_escape_text(qemuCapsGetBinary(caps), -1);
    int maxCpus = qemuCapsGetMachineMaxCpus(caps, machine);
    int vcpuMax = 0;

    /* the largest <vcpu> virtkit's validator takes, at most QEMU's limit */
    for (int lo = 1, hi = maxCpus; lo <= hi;) {
        int mid = lo + (hi - lo) / 2;
        g_autofree char *top = g_strdup_printf("<vcpu>%d</vcpu>", mid);

        if (qemuDomCapsAccepts(&ctx, NULL, top, NULL, NULL)) {
            vcpuMax = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }

    g_string_append(buf, "<domainCapabilities>\n");
    g_string_append_printf(buf, "  <path>%s</path>\n", emu);
    g_string_append_printf(buf, "  <domain>%s</domain>\n", ctx.virt);
    g_string_append_printf(buf, "  <machine>%s</machine>\n", machine);
    g_string_append_printf(buf, "  <arch>%s</arch>\n", arch);
    g_string_append_printf(buf, "  <vcpu max='%d'/>\n", vcpuMax);
    g_string_append_printf(
        buf, "  <iothreads supported='%s'/>\n",
        qemuDomCapsAccepts(&ctx, NULL, "<iothreads>1</iothreads>", NULL, NULL) ? "yes"
                                                                               : "no");
    qemuDomCapsFormatOS(buf, &ctx, fwDirs);
    qemuDomCapsFormatCPU(buf, &ctx, kvm);
    {
        static const qemuDomCapsTry mbSource[] = {
            { "file", "<memoryBacking><source type='%s'/></memoryBacking>" },
            { "anonymous", "<memoryBacking><source type='%s'/></memoryBacking>" },
            { "memfd", "<memoryBacking><source type='%s'/></memoryBacking>" },
        };
        g_autoptr(GString) body = g_string_new(NULL);
        g_autoptr(GPtrArray) ok = g_ptr_array_new();

        for (size_t i = 0; i < G_N_ELEMENTS(mbSource); i++) {
            g_autofree char *top = g_strdup_printf(mbSource[i].fmt, mbSource[i].value);

            if (qemuDomCapsAccepts(&ctx, NULL, top, NULL, NULL))
                g_ptr_array_add(ok, (gpointer)mbSource[i].value);
        }
        if (!ok->len) {
            g_string_append(buf, "  <memoryBacking supported='no'/>\n");
        } else {
            g_string_append(buf, "  <memoryBacking supported='yes'>\n"
                                 "    <enum name='sourceType'>\n");
            for (guint i = 0; i < ok->len; i++)
                g_string_append_printf(buf, "      <value>%s</value>\n",
                                       (const char *)g_ptr_array_index(ok, i));
            g_string_append(buf, "    </enum>\n  </memoryBacking>\n");
        }
    }

    g_string_append(buf, "  <devices>\n");
    qemuDomCapsSection(buf, &ctx, 4, "disk", TRIES(diskEnums));
    qemuDomCapsSection(buf, &ctx, 4, "graphics", TRIES(graphicsEnums));
    qemuDomCapsSection(buf, &ctx, 4, "video", TRIES(videoEnums));
    {
        const qemuDomCapsEnumDef hostdevEnums[] = {
            { "mode", TRIES(hostdevMode) },
            { "startupPolicy", TRIES(hostdevStartup) },
            { "subsysType", TRIES(hostdevSubsys) },
            { "capsType", TRIES(hostdevCaps) },
            { "pciBackend", hostdevPCIBackend,
              qemuHostdevHostSupportsVFIO() ? G_N_ELEMENTS(hostdevPCIBackend) : 0 },
        };

        qemuDomCapsSection(buf, &ctx, 4, "hostdev", TRIES(hostdevEnums));
    }
    qemuDomCapsSection(buf, &ctx, 4, "rng", TRIES(rngEnums));
    qemuDomCapsSection(buf, &ctx, 4, "filesystem", TRIES(fsEnums));
    qemuDomCapsSection(buf, &ctx, 4, "tpm", TRIES(tpmEnums));
    qemuDomCapsSection(buf, &ctx, 4, "redirdev", TRIES(redirdevEnums));
    qemuDomCapsSection(buf, &ctx, 4, "channel", TRIES(channelEnums));
    g_string_append(buf, "  </devices>\n");

    g_string_append(buf, "  <features>\n");
    qemuDomCapsFeature(buf, &ctx, "gic", NULL, NULL); /* ARM only */
    qemuDomCapsFeature(buf, &ctx, "vmcoreinfo", NULL, "<vmcoreinfo state='on'/>");
    qemuDomCapsFeature(buf, &ctx, "genid", "<genid/>", NULL);
    g_string_append(buf, "    <backingStoreInput supported='no'/>\n"
                         "    <backup supported='no'/>\n");
    qemuDomCapsFeature(buf, &ctx, "sev",
                       "<launchSecurity type='sev'><policy>0x0003"
                       "</policy></launchSecurity>",
                       NULL);
    qemuDomCapsFeature(buf, &ctx, "sgx", NULL, NULL); /* needs SGX hardware and KVM */
    qemuDomCapsFeature(buf, &ctx, "hyperv", NULL,
                       "<hyperv mode='custom'><spinlocks state='on' retries='4096'/>"
                       "</hyperv>");
    g_string_append(buf, "  </features>\n</domainCapabilities>\n");
    return g_string_free(g_steal_pointer(&buf), FALSE);
}
