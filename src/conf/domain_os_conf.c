/* domain_os_conf.c: the <os>, <clock>, <features> and <pm> sections of the domain XML */

#define G_LOG_DOMAIN "virtkit.conf.domainos"

#include <errno.h>
#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

static const char *const osFirmwareNames[VIR_DOMAIN_OS_FIRMWARE_LAST] = {
    "none",
    "bios",
    "efi",
};
static const char *const loaderTypeNames[VIR_DOMAIN_LOADER_TYPE_LAST] = {
    "none",
    "rom",
    "pflash",
};
static const char *const tristateBoolNames[VIR_DOMAIN_TRISTATE_LAST] = {
    "absent",
    "yes",
    "no",
};
static const char *const tristateSwitchNames[VIR_DOMAIN_TRISTATE_LAST] = {
    "absent",
    "on",
    "off",
};
static const char *const timerNames[VIR_DOMAIN_TIMER_NAME_LAST] = {
    "platform", "pit", "rtc", "hpet", "tsc", "kvmclock", "hypervclock", "armvtimer",
};
static const char *const timerTickpolicyNames[VIR_DOMAIN_TIMER_TICKPOLICY_LAST] = {
    "none", "delay", "catchup", "merge", "discard",
};
static const char *const timerTrackNames[VIR_DOMAIN_TIMER_TRACK_LAST] = {
    "none", "boot", "guest", "wall", "realtime",
};

static const char *const libvirtClockOffsets[] = {
    "variable",
    "timezone",
    "absolute",
    NULL,
};


const char *
virDomainTristateSwitchToString(int state)
{
    return state > 0 ? virDomainEnumToString(tristateSwitchNames,
                                             VIR_DOMAIN_TRISTATE_LAST, state)
                     : NULL;
}

const char *
virDomainTimerNameToString(int name)
{
    return virDomainEnumToString(timerNames, VIR_DOMAIN_TIMER_NAME_LAST, name);
}

const char *
virDomainTimerTickpolicyToString(int policy)
{
    return virDomainEnumToString(timerTickpolicyNames, VIR_DOMAIN_TIMER_TICKPOLICY_LAST,
                                 policy);
}

/* libvirt's virXMLPropEnum / virXMLPropTristate*: absent is 0; a present
 * value must be known and not the 0 one (VIR_XML_PROP_NONZERO). */
static int
parseEnumAttr(xmlNodePtr node, const char *name, const char *const *names, int last,
              bool required, int *out)
{
    g_autofree char *val = virDomainXMLProp(node, name);

    *out = 0;
    if (!val) {
        if (required) {
            virDomainXMLReportMissingAttr(name, node);
            return -1;
        }
        return 0;
    }
    if ((*out = virDomainEnumFromString(names, last, val)) <= 0) {
        *out = 0;
        virDomainXMLReportInvalidAttr(name, node, val);
        return -1;
    }
    return 0;
}

/* ---- <os> ------------------------------------------------------------- */

static const char *const libvirtOSTypes[] = {
    "xen", "linux", "exe", "uml", "xenpvh", NULL,
};
static const char *const libvirtArches[] = {
    "none",       "alpha",        "armv6l",   "armv7l",  "armv7b",      "aarch64",
    "cris",       "i686",         "ia64",     "lm32",    "loongarch64", "m68k",
    "microblaze", "microblazeel", "mips",     "mipsel",  "mips64",      "mips64el",
    "openrisc",   "parisc",       "parisc64", "ppc",     "ppcle",       "ppc64",
    "ppc64le",    "ppcemb",       "riscv32",  "riscv64", "s390",        "s390x",
    "sh4",        "sh4eb",        "sparc",    "sparc64", "unicore32",   "x86_64",
    "xtensa",     "xtensaeb",     NULL,
};

/* <os><type arch machine>: checked early, as libvirt does. */
int
virDomainOSTypeParse(virDomainDef *def, xmlNodePtr os)
{
    xmlNodePtr type = virDomainXMLChild(os, "type");

    if (!type || !(def->os.type = virDomainXMLNodeTextNonEmpty(type))) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "an os <type> must be specified");
        return -1;
    }
    if (strcmp(def->os.type, "hvm") != 0) {
        if (virDomainStrInList(libvirtOSTypes, def->os.type))
            virDomainReportUnsupportedValue("os type", def->os.type);
        else
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown OS type '%s'",
                           def->os.type);
        return -1;
    }
    def->os.arch = virDomainXMLProp(type, "arch");
    def->os.machine = virDomainXMLProp(type, "machine");
    if (def->os.arch && !*def->os.arch)
        g_clear_pointer(&def->os.arch, g_free);
    if (def->os.machine && !*def->os.machine)
        g_clear_pointer(&def->os.machine, g_free);
    if (def->os.arch && !virDomainStrInList(libvirtArches, def->os.arch)) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "Unknown architecture %s",
                       def->os.arch);
        return -1;
    }
    return 0;
}

/* <bootmenu enable='yes|no' timeout='MS'/>: the timeout is read only with
 * enable='yes' (libvirt ignores it otherwise) and must fit [0,65535] */
static int
parseBootMenu(virDomainDef *def, xmlNodePtr node)
{
    g_autofree char *timeout = NULL;
    unsigned long long val;

    if (parseEnumAttr(node, "enable", tristateBoolNames, VIR_DOMAIN_TRISTATE_LAST, false,
                      &def->os.bootMenu) < 0)
        return -1;
    if (def->os.bootMenu != VIR_DOMAIN_TRISTATE_ON)
        return 0;
    if (!(timeout = virDomainXMLProp(node, "timeout")))
        return 0;
    if (*timeout == '-' || virDomainParseULL(timeout, &val) < 0 || val > G_MAXUINT) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected non-negative integer value",
                           "timeout", (const char *)node->name, timeout);
        return -1;
    }
    if (val > 65535) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "invalid value for boot menu timeout, must be in range [0,65535]");
        return -1;
    }
    def->os.bootMenuTimeout = val;
    def->os.bootMenuTimeoutSet = true;
    return 0;
}

/* <nvram type=...><source .../></nvram> (libvirt's new style): a file
 * source is carried (its path is the NVRAM's, as the old style's text);
 * block and network sources are not (refused by name). */
static int
parseNvramType(virDomainDef *def, xmlNodePtr nvram)
{
    static const char *const storageTypes[] = { "block", "dir",       "network", "volume",
                                                "nvme",  "vhostuser", NULL };
    g_autofree char *type = virDomainXMLProp(nvram, "type");
    xmlNodePtr source;

    if (!type)
        return 0;
    if (!g_str_equal(type, "file")) {
        if (virDomainStrInList(storageTypes, type))
            virDomainReportUnsupportedValue("nvram type", type);
        else
            virDomainXMLReportInvalidAttr("type", nvram, type);
        return -1;
    }
    /* libvirt fails there without saying why */
    if (!(source = virDomainXMLChild(nvram, "source"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "nvram type 'file' without a <source>");
        return -1;
    }
    def->os.nvramTypeFile = true;
    def->os.nvram = virDomainXMLProp(source, "file");
    if (def->os.nvram && !*def->os.nvram)
        g_clear_pointer(&def->os.nvram, g_free);
    return 0;
}

int
virDomainOSParse(virDomainDef *def, xmlNodePtr os, GPtrArray *unknown, unsigned int flags,
                 bool *failed)
{
    g_autofree char *fw = virDomainXMLProp(os, "firmware");
    xmlNodePtr loader = virDomainXMLChild(os, "loader");
    xmlNodePtr nvram = virDomainXMLChild(os, "nvram");
    bool bootMenuSeen = false;

    if (fw) {
        xmlNodePtr fwNode = virDomainXMLChild(os, "firmware");

        def->os.firmware =
            virDomainEnumFromString(osFirmwareNames, VIR_DOMAIN_OS_FIRMWARE_LAST, fw);
        if (def->os.firmware <= 0) {
            def->os.firmware = 0;
            virReportError(VIR_ERR_XML_ERROR, "unknown firmware value %s", fw);
            return -1;
        }
        for (xmlNodePtr f = fwNode ? fwNode->children : NULL; f; f = f->next) {
            static const char *const featNames[] = { "none", "enrolled-keys",
                                                     "secure-boot" };
            int name, enabled;

            if (!virDomainXMLNodeIs(f, "feature"))
                continue;
            if (parseEnumAttr(f, "name", featNames, G_N_ELEMENTS(featNames), true,
                              &name) < 0 ||
                parseEnumAttr(f, "enabled", tristateBoolNames, VIR_DOMAIN_TRISTATE_LAST,
                              true, &enabled) < 0)
                return -1;
            if (name == 1)
                def->os.fwEnrolledKeys = enabled;
            else
                def->os.fwSecureBoot = enabled;
        }
    }
    if (loader) {
        if (parseEnumAttr(loader, "readonly", tristateBoolNames, VIR_DOMAIN_TRISTATE_LAST,
                          false, &def->os.loaderReadonly) < 0 ||
            parseEnumAttr(loader, "secure", tristateBoolNames, VIR_DOMAIN_TRISTATE_LAST,
                          false, &def->os.loaderSecure) < 0 ||
            parseEnumAttr(loader, "type", loaderTypeNames, VIR_DOMAIN_LOADER_TYPE_LAST,
                          false, &def->os.loaderType) < 0 ||
            parseEnumAttr(loader, "stateless", tristateBoolNames,
                          VIR_DOMAIN_TRISTATE_LAST, false, &def->os.loaderStateless) < 0)
            return -1;
        def->os.loader = virDomainXMLNodeTextNonEmpty(loader);
    }
    if (nvram && parseNvramType(def, nvram) < 0)
        return -1;
    if (nvram) {
        if (!def->os.nvramTypeFile)
            def->os.nvram = virDomainXMLNodeTextNonEmpty(nvram);
        def->os.nvramTemplate = virDomainXMLProp(nvram, "template");
        if (def->os.nvramTemplate && !*def->os.nvramTemplate)
            g_clear_pointer(&def->os.nvramTemplate, g_free);
    }

    for (xmlNodePtr cur = os->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainXMLNodeIs(cur, "type") || virDomainXMLNodeIs(cur, "loader") ||
            virDomainXMLNodeIs(cur, "nvram") ||
            (def->os.firmware && virDomainXMLNodeIs(cur, "firmware"))) {
            continue;
        } else if (virDomainXMLNodeIs(cur, "kernel")) {
            if (!def->os.kernel)
                def->os.kernel = virDomainXMLNodeTextNonEmpty(cur);
        } else if (virDomainXMLNodeIs(cur, "initrd")) {
            if (!def->os.initrd)
                def->os.initrd = virDomainXMLNodeTextNonEmpty(cur);
        } else if (virDomainXMLNodeIs(cur, "cmdline")) {
            if (!def->os.cmdline)
                def->os.cmdline = virDomainXMLNodeTextNonEmpty(cur);
        } else if (virDomainXMLNodeIs(cur, "boot")) {
            g_autofree char *dev = virDomainXMLProp(cur, "dev");
            int val;

            if (!dev) {
                virDomainXMLReportMissingAttr("dev", cur);
                return -1;
            }
            val = virDomainEnumFromString(virDomainBootNames, VIR_DOMAIN_BOOT_LAST, dev);
            if (val < 0) {
                virDomainXMLReportInvalidAttr("dev", cur, dev);
                return -1;
            }
            /* libvirt keeps at most one entry per boot device kind */
            if (def->os.nBootDevs < VIR_DOMAIN_BOOT_LAST)
                def->os.bootDevs[def->os.nBootDevs++] = val;
        } else if (virDomainXMLNodeIs(cur, "bootmenu")) {
            /* the first one counts, as in libvirt */
            if (!bootMenuSeen && parseBootMenu(def, cur) < 0)
                return -1;
            bootMenuSeen = true;
        } else {
            virDomainXMLRecordUnknown(unknown, "os", cur, flags, failed);
        }
    }
    return 0;
}

/* <clock><timer/>...: libvirt's virDomainTimerDefParseXML for the
 * attributes carried (name, present, tickpolicy, track). */
static int
parseClockTimers(virDomainDef *def, xmlNodePtr clock, GPtrArray *unknown,
                 unsigned int flags, bool *failed)
{
    g_autoptr(GArray) timers = g_array_new(FALSE, TRUE, sizeof(virDomainTimerDef));

    for (xmlNodePtr cur = clock->children; cur; cur = cur->next) {
        virDomainTimerDef t = { 0 };
        g_autofree char *name = NULL;

        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (!virDomainXMLNodeIs(cur, "timer")) {
            virDomainXMLRecordUnknown(unknown, "clock", cur, flags, failed);
            if (*failed)
                return -1;
            continue;
        }
        if (!(name = virDomainXMLProp(cur, "name"))) {
            virDomainXMLReportMissingAttr("name", cur);
            return -1;
        }
        if ((t.name = virDomainEnumFromString(timerNames, VIR_DOMAIN_TIMER_NAME_LAST,
                                              name)) < 0) {
            virDomainXMLReportInvalidAttr("name", cur, name);
            return -1;
        }
        if (parseEnumAttr(cur, "present", tristateBoolNames, VIR_DOMAIN_TRISTATE_LAST,
                          false, &t.present) < 0 ||
            parseEnumAttr(cur, "tickpolicy", timerTickpolicyNames,
                          VIR_DOMAIN_TIMER_TICKPOLICY_LAST, false, &t.tickpolicy) < 0 ||
            parseEnumAttr(cur, "track", timerTrackNames, VIR_DOMAIN_TIMER_TRACK_LAST,
                          false, &t.track) < 0)
            return -1;
        for (xmlNodePtr c = cur->children; c; c = c->next) {
            if (c->type == XML_ELEMENT_NODE) {
                virDomainXMLRecordUnknown(unknown, "clock/timer", c, flags, failed);
                if (*failed)
                    return -1;
            }
        }
        g_array_append_val(timers, t);
    }
    def->ntimers = timers->len;
    def->timers =
        def->ntimers
            ? (virDomainTimerDef *)virDomainArrayStealExact(g_steal_pointer(&timers))
            : NULL;
    return 0;
}

/* <features><NAME state='on|off'/>: @dflt when the state is absent
 * (ABSENT: the attribute is required). */
static int
parseFeatureState(xmlNodePtr node, int dflt, int *out)
{
    if (parseEnumAttr(node, "state", tristateSwitchNames, VIR_DOMAIN_TRISTATE_LAST,
                      dflt == VIR_DOMAIN_TRISTATE_ABSENT, out) < 0)
        return -1;
    if (*out == VIR_DOMAIN_TRISTATE_ABSENT)
        *out = dflt;
    return 0;
}

int
virDomainPMParse(virDomainDef *def, xmlNodePtr pm, GPtrArray *unknown, unsigned int flags,
                 bool *failed)
{
    for (xmlNodePtr cur = pm->children; cur; cur = cur->next) {
        int *out = NULL;

        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainXMLNodeIs(cur, "suspend-to-mem"))
            out = &def->pmS3;
        else if (virDomainXMLNodeIs(cur, "suspend-to-disk"))
            out = &def->pmS4;
        if (!out) {
            virDomainXMLRecordUnknown(unknown, "pm", cur, flags, failed);
            if (*failed)
                return -1;
            continue;
        }
        if (parseEnumAttr(cur, "enabled", tristateBoolNames, VIR_DOMAIN_TRISTATE_LAST,
                          false, out) < 0)
            return -1;
    }
    return 0;
}

int
virDomainPerfParse(virDomainDef *def, xmlNodePtr root, GPtrArray *unknown,
                   unsigned int flags, bool *failed)
{
    for (xmlNodePtr perf = root->children; perf; perf = perf->next) {
        if (!virDomainXMLNodeIs(perf, "perf"))
            continue;
        for (xmlNodePtr cur = perf->children; cur; cur = cur->next) {
            g_autofree char *name = NULL;
            int type;
            int enabled;

            if (cur->type != XML_ELEMENT_NODE)
                continue;
            if (!virDomainXMLNodeIs(cur, "event")) {
                virDomainXMLRecordUnknown(unknown, "perf", cur, flags, failed);
                if (*failed)
                    return -1;
                continue;
            }
            /* the name table starts at a real event (cmt): 0 is valid */
            if (!(name = virDomainXMLProp(cur, "name"))) {
                virDomainXMLReportMissingAttr("name", cur);
                return -1;
            }
            if ((type = virPerfEventTypeFromString(name)) < 0) {
                virDomainXMLReportInvalidAttr("name", cur, name);
                return -1;
            }
            if (parseEnumAttr(cur, "enabled", tristateBoolNames, VIR_DOMAIN_TRISTATE_LAST,
                              true, &enabled) < 0)
                return -1;
            if (def->perfEvents[type] != VIR_DOMAIN_TRISTATE_ABSENT) {
                virReportError(VIR_ERR_XML_ERROR, "perf event '%s' was already specified",
                               name);
                return -1;
            }
            def->perfEvents[type] = enabled;
        }
    }
    return 0;
}

static bool
osHasLoader(xmlNodePtr root)
{
    xmlNodePtr os = virDomainXMLChild(root, "os");

    return virDomainXMLChild(os, "loader") || virDomainXMLChild(os, "nvram");
}

/* <loader stateless=...>: a stateless loader has no NVRAM; an explicit
 * stateless='no' asks for one, which only a pflash (manual) or EFI
 * (automatic) firmware has */
static int
virDomainLoaderValidateStateless(const virDomainDef *def)
{
    if (def->os.loaderStateless == VIR_DOMAIN_TRISTATE_ON) {
        if (def->os.nvramTemplate) {
            virReportError(VIR_ERR_XML_DETAIL, "%s",
                           "NVRAM template is not permitted when loader is stateless");
            return -1;
        }
        if (def->os.nvram) {
            virReportError(VIR_ERR_XML_DETAIL, "%s",
                           "NVRAM is not permitted when loader is stateless");
            return -1;
        }
    } else if (def->os.loaderStateless == VIR_DOMAIN_TRISTATE_OFF) {
        if (def->os.firmware == VIR_DOMAIN_OS_FIRMWARE_NONE &&
            def->os.loaderType != VIR_DOMAIN_LOADER_TYPE_PFLASH) {
            virReportError(VIR_ERR_XML_DETAIL, "%s",
                           "Only pflash loader type permits NVRAM");
            return -1;
        }
        if (def->os.firmware != VIR_DOMAIN_OS_FIRMWARE_NONE &&
            def->os.firmware != VIR_DOMAIN_OS_FIRMWARE_EFI) {
            virReportError(VIR_ERR_XML_DETAIL, "%s", "Only EFI firmware permits NVRAM");
            return -1;
        }
    }
    return 0;
}

/* libvirt's virDomainDefOSValidate for the loader and NVRAM. */
int
virDomainLoaderValidate(const virDomainDef *def, xmlNodePtr root)
{
    if (!osHasLoader(root))
        return 0;
    if (def->os.firmware == VIR_DOMAIN_OS_FIRMWARE_NONE) {
        if (!def->os.loader) {
            virReportError(VIR_ERR_XML_DETAIL, "%s",
                           "no loader path specified and firmware auto selection "
                           "disabled");
            return -1;
        }
        return virDomainLoaderValidateStateless(def);
    }
    if (def->os.loaderReadonly) {
        virReportError(VIR_ERR_XML_DETAIL, "%s",
                       "loader attribute 'readonly' cannot be specified when firmware "
                       "autoselection is enabled");
        return -1;
    }
    if (def->os.loaderType || def->os.loader) {
        virReportError(VIR_ERR_XML_DETAIL, "%s",
                       "loader attribute 'type' cannot be specified when firmware "
                       "autoselection is enabled");
        return -1;
    }
    if (def->os.nvramTemplate) {
        virReportError(VIR_ERR_XML_DETAIL, "%s",
                       "nvram attribute 'template' cannot be specified when firmware "
                       "autoselection is enabled");
        return -1;
    }
    /* 'yes' is let through: firmware autoselection once took it as a
     * request for Secure Boot */
    if (def->os.loaderSecure == VIR_DOMAIN_TRISTATE_OFF) {
        virReportError(VIR_ERR_XML_DETAIL, "%s",
                       "loader attribute 'secure' cannot be specified when firmware "
                       "autoselection is enabled");
        return -1;
    }
    if (def->os.nvram && def->os.firmware != VIR_DOMAIN_OS_FIRMWARE_EFI) {
        virReportError(VIR_ERR_XML_DETAIL, "firmware type '%s' does not support nvram",
                       osFirmwareNames[def->os.firmware]);
        return -1;
    }
    return virDomainLoaderValidateStateless(def);
}

/* <clock offset=...>: the offsets carried and the timers. */
int
virDomainClockParse(virDomainDef *def, xmlNodePtr clock, GPtrArray *unknown,
                    unsigned int flags, bool *failed)
{
    g_autofree char *offset = virDomainXMLProp(clock, "offset");

    if (offset) {
        def->clockOffset = virDomainEnumFromString(virDomainClockOffsetNames,
                                                   VIR_DOMAIN_CLOCK_OFFSET_LAST, offset);
        if (def->clockOffset < 0) {
            if (virDomainStrInList(libvirtClockOffsets, offset))
                virDomainReportUnsupportedValue("clock offset", offset);
            else
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown clock offset '%s'",
                               offset);
            return -1;
        }
    }
    return parseClockTimers(def, clock, unknown, flags, failed);
}

/* <smm state='on'><tseg unit='U'>N</tseg></smm>: libvirt's scaled value
 * (MiB without a unit), read only when SMM is on (libvirt ignores it
 * otherwise); any other child is unknown. */
static int
parseTseg(virDomainDef *def, xmlNodePtr smm, GPtrArray *unknown, unsigned int flags,
          bool *failed)
{
    xmlNodePtr tseg = NULL;
    g_autofree char *text = NULL;
    g_autofree char *unit = NULL;
    unsigned long long bytes;

    for (xmlNodePtr c = smm->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainXMLNodeIs(c, "tseg")) {
            tseg = tseg ? tseg : c;
            continue;
        }
        virDomainXMLRecordUnknown(unknown, "features/smm", c, flags, failed);
        if (*failed)
            return -1;
    }
    if (def->smm != VIR_DOMAIN_TRISTATE_ON || !tseg ||
        !(text = virDomainXMLNodeTextNonEmpty(tseg)))
        return 0;
    if (virDomainParseULL(text, &bytes) < 0) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value '%s' for element or attribute '%s'", text,
                           "string(./features/smm/tseg)");
        return -1;
    }
    unit = virDomainXMLProp(tseg, "unit");
    if (unit && *unit) {
        if (virDomainScaleInteger(&bytes, unit, G_MAXUINT64) < 0)
            return -1;
    } else if (virDomainScaleInteger(&bytes, "MiB", G_MAXUINT64) < 0) {
        return -1;
    }
    def->tsegSize = bytes;
    def->tsegSpecified = true;
    return 0;
}

const char *const virDomainHypervNames[VIR_DOMAIN_HYPERV_LAST] = {
    "relaxed",         "vapic",    "spinlocks", "vpindex",   "runtime",
    "synic",           "stimer",   "reset",     "vendor_id", "frequencies",
    "reenlightenment", "tlbflush", "ipi",       "evmcs",     "avic",
};

/* <hyperv mode=...> and its enlightenments, as libvirt 9.0's
 * virDomainFeaturesHyperVDefParse reads them (a child it does not know is
 * an error there, not an unknown element) */
static int
parseHyperv(virDomainDef *def, xmlNodePtr node)
{
    static const char *const modeNames[] = { "none", "custom", "passthrough" };
    int mode = VIR_DOMAIN_HYPERV_MODE_CUSTOM;

    {
        g_autofree char *m = virDomainXMLProp(node, "mode");

        if (m && (mode = virDomainEnumFromString(modeNames, G_N_ELEMENTS(modeNames),
                                                 m)) <= 0) {
            virDomainXMLReportInvalidAttr("mode", node, m);
            return -1;
        }
    }
    def->hyperv = mode;
    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        int feature;
        int state;

        if (cur->type != XML_ELEMENT_NODE)
            continue;
        feature = virDomainEnumFromString(virDomainHypervNames, VIR_DOMAIN_HYPERV_LAST,
                                          (const char *)cur->name);
        if (feature < 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "unsupported HyperV Enlightenment feature: %s",
                           (const char *)cur->name);
            return -1;
        }
        if (parseEnumAttr(cur, "state", tristateSwitchNames, VIR_DOMAIN_TRISTATE_LAST,
                          true, &state) < 0)
            return -1;
        def->hypervFeatures[feature] = state;
        if (state != VIR_DOMAIN_TRISTATE_ON)
            continue;
        if (feature == VIR_DOMAIN_HYPERV_STIMER) {
            for (xmlNodePtr c = cur->children; c; c = c->next) {
                if (c->type != XML_ELEMENT_NODE)
                    continue;
                if (!virDomainXMLNodeIs(c, "direct")) {
                    virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                                   "unsupported Hyper-V stimer feature: %s",
                                   (const char *)c->name);
                    return -1;
                }
                if (parseEnumAttr(c, "state", tristateSwitchNames,
                                  VIR_DOMAIN_TRISTATE_LAST, true,
                                  &def->hypervStimerDirect) < 0)
                    return -1;
            }
        } else if (feature == VIR_DOMAIN_HYPERV_SPINLOCKS) {
            g_autofree char *r = virDomainXMLProp(cur, "retries");
            char *end = NULL;
            unsigned long long v;

            if (!r) {
                virDomainXMLReportMissingAttr("retries", cur);
                return -1;
            }
            /* virXMLPropUInt with base 0: decimal, 0x hex or 0 octal */
            errno = 0;
            v = g_ascii_strtoull(r, &end, 0);
            if (!*r || *end || errno || r[0] == '-' || v > G_MAXUINT) {
                virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                                   "Invalid value for attribute '%s' in element '%s': "
                                   "'%s'. Expected non-negative integer value",
                                   "retries", "spinlocks", r);
                return -1;
            }
            if (v < 0xFFF) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "HyperV spinlock retry count must be at least 4095");
                return -1;
            }
            def->hypervSpinlocks = (unsigned int)v;
        } else if (feature == VIR_DOMAIN_HYPERV_VENDOR_ID) {
            g_free(def->hypervVendorId);
            if (!(def->hypervVendorId = virDomainXMLProp(cur, "value"))) {
                virReportError(
                    VIR_ERR_XML_ERROR, "%s",
                    "missing 'value' attribute for HyperV feature 'vendor_id'");
                return -1;
            }
            if (strlen(def->hypervVendorId) > 12) {
                virReportError(
                    VIR_ERR_XML_ERROR,
                    "HyperV vendor_id value must not be more than %d characters.", 12);
                return -1;
            }
            /* it goes on QEMU's command line as is */
            if (strchr(def->hypervVendorId, ',')) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "HyperV vendor_id value is invalid");
                return -1;
            }
        }
    }
    return 0;
}

const char *const virDomainKVMFeatureNames[VIR_DOMAIN_KVM_LAST] = {
    "hidden", "hint-dedicated", "poll-control", "pv-ipi", "dirty-ring",
};

/* <kvm> and its children, as libvirt 9.0's virDomainFeaturesKVMDefParse
 * reads them: an unknown child is an error there, each needs a state, and
 * a dirty ring that is on needs a power-of-2 size in [1024, 65536]. */
static int
parseKVM(virDomainDef *def, xmlNodePtr node)
{
    int features[VIR_DOMAIN_KVM_LAST] = { 0 };
    unsigned int ringSize = 0;

    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        int feature;

        if (cur->type != XML_ELEMENT_NODE)
            continue;
        feature = virDomainEnumFromString(virDomainKVMFeatureNames, VIR_DOMAIN_KVM_LAST,
                                          (const char *)cur->name);
        if (feature < 0) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported KVM feature: %s",
                           (const char *)cur->name);
            return -1;
        }
        if (parseEnumAttr(cur, "state", tristateSwitchNames, VIR_DOMAIN_TRISTATE_LAST,
                          true, &features[feature]) < 0)
            return -1;
        if (feature == VIR_DOMAIN_KVM_DIRTY_RING &&
            features[feature] == VIR_DOMAIN_TRISTATE_ON) {
            g_autofree char *v = virDomainXMLProp(cur, "size");
            char *end = NULL;
            unsigned long long n;

            if (!v) {
                virDomainXMLReportMissingAttr("size", cur);
                return -1;
            }
            /* virXMLPropUInt, base 0 */
            errno = 0;
            n = g_ascii_strtoull(v, &end, 0);
            if (!*v || *end || errno || v[0] == '-' || n > G_MAXUINT) {
                virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                                   "Invalid value for attribute '%s' in element '%s': "
                                   "'%s'. Expected non-negative integer value",
                                   "size", (const char *)cur->name, v);
                return -1;
            }
            if ((n & (n - 1)) != 0 || n < 1024 || n > 65536) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "dirty ring must be power of 2 and ranges [1024, 65536]");
                return -1;
            }
            ringSize = (unsigned int)n;
        }
    }
    def->kvm = true;
    memcpy(def->kvmFeatures, features, sizeof(features));
    def->kvmDirtyRingSize = ringSize;
    return 0;
}

void
virDomainKVMFormat(GString *buf, int indent, const virDomainDef *def)
{
    if (!def->kvm)
        return;
    g_string_append_printf(buf, "%*s<kvm>\n", indent, "");
    for (int i = 0; i < VIR_DOMAIN_KVM_LAST; i++) {
        int st = def->kvmFeatures[i];

        if (!st)
            continue;
        g_string_append_printf(buf, "%*s<%s state='%s'", indent + 2, "",
                               virDomainKVMFeatureNames[i], tristateSwitchNames[st]);
        if (i == VIR_DOMAIN_KVM_DIRTY_RING && def->kvmDirtyRingSize > 0)
            g_string_append_printf(buf, " size='%u'", def->kvmDirtyRingSize);
        g_string_append(buf, "/>\n");
    }
    g_string_append_printf(buf, "%*s</kvm>\n", indent, "");
}

void
virDomainHypervFormat(GString *buf, int indent, const virDomainDef *def)
{
    static const char *const modeNames[] = { "none", "custom", "passthrough" };

    if (!def->hyperv)
        return;
    g_string_append_printf(buf, "%*s<hyperv mode='%s'>\n", indent, "",
                           modeNames[def->hyperv]);
    for (int i = 0; i < VIR_DOMAIN_HYPERV_LAST; i++) {
        int st = def->hypervFeatures[i];

        if (!st)
            continue;
        g_string_append_printf(buf, "%*s<%s state='%s'", indent + 2, "",
                               virDomainHypervNames[i], tristateSwitchNames[st]);
        if (st == VIR_DOMAIN_TRISTATE_ON && i == VIR_DOMAIN_HYPERV_SPINLOCKS) {
            g_string_append_printf(buf, " retries='%u'", def->hypervSpinlocks);
        } else if (st == VIR_DOMAIN_TRISTATE_ON && i == VIR_DOMAIN_HYPERV_VENDOR_ID) {
            g_string_append(buf, " value='");
            virDomainXMLEscape(buf, def->hypervVendorId);
            g_string_append_c(buf, '\'');
        } else if (st == VIR_DOMAIN_TRISTATE_ON && i == VIR_DOMAIN_HYPERV_STIMER &&
                   def->hypervStimerDirect == VIR_DOMAIN_TRISTATE_ON) {
            g_string_append_printf(buf, ">\n%*s<direct state='on'/>\n%*s</stimer>\n",
                                   indent + 4, "", indent + 2, "");
            continue;
        }
        g_string_append(buf, "/>\n");
    }
    g_string_append_printf(buf, "%*s</hyperv>\n", indent, "");
}

int
virDomainFeaturesParse(virDomainDef *def, xmlNodePtr features, GPtrArray *unknown,
                       unsigned int flags, bool *failed)
{
    for (xmlNodePtr cur = features->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainXMLNodeIs(cur, "acpi")) {
            def->acpi = true;
        } else if (virDomainXMLNodeIs(cur, "apic")) {
            def->apic = true;
            /* libvirt's virXMLPropTristateSwitch: on or off */
            if (parseEnumAttr(cur, "eoi", tristateSwitchNames, VIR_DOMAIN_TRISTATE_LAST,
                              false, &def->apicEoi) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "pvspinlock")) {
            if (parseFeatureState(cur, VIR_DOMAIN_TRISTATE_ON, &def->pvspinlock) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "vmport")) {
            if (parseFeatureState(cur, VIR_DOMAIN_TRISTATE_ON, &def->vmport) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "pae")) {
            def->pae = true;
        } else if (virDomainXMLNodeIs(cur, "hyperv")) {
            if (parseHyperv(def, cur) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "kvm")) {
            if (parseKVM(def, cur) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "smm")) {
            if (parseFeatureState(cur, VIR_DOMAIN_TRISTATE_ON, &def->smm) < 0 ||
                parseTseg(def, cur, unknown, flags, failed) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "ioapic")) {
            /* virXMLPropEnumDefault: none is not a value one may give */
            static const char *const ioapicNames[] = { "none", "qemu", "kvm" };

            if (parseEnumAttr(cur, "driver", ioapicNames, VIR_DOMAIN_IOAPIC_LAST, false,
                              &def->ioapic) < 0)
                return -1;
        } else if (virDomainXMLNodeIs(cur, "vmcoreinfo")) {
            if (parseFeatureState(cur, VIR_DOMAIN_TRISTATE_ON, &def->vmcoreinfo) < 0)
                return -1;
        } else {
            virDomainXMLRecordUnknown(unknown, "features", cur, flags, failed);
            if (*failed)
                return -1;
        }
    }
    return 0;
}
