/* domain_audio_conf.c: the <audio> backends of <devices> with their <input>/<output> */

#define G_LOG_DOMAIN "virtkit.conf.audio"

#include <errno.h>
#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* libvirt 9.0's virDomainAudioType names (pipewire came later: 9.0 calls
 * it an invalid value), its <settings format> and SDL driver names */
static const char *const audioTypeNames[] = {
    "none",       "alsa", "coreaudio", "jack", "oss",
    "pulseaudio", "sdl",  "spice",     "file", "dbus",
};
enum {
    AUDIO_NONE = 0,
    AUDIO_ALSA,
    AUDIO_COREAUDIO,
    AUDIO_JACK,
    AUDIO_OSS,
    AUDIO_PULSEAUDIO,
    AUDIO_SDL,
    AUDIO_SPICE,
    AUDIO_FILE,
    AUDIO_DBUS,
    AUDIO_LAST
};
G_STATIC_ASSERT(G_N_ELEMENTS(audioTypeNames) == AUDIO_LAST);

static const char *const formatNames[] = { "",    "u8",  "s8",  "u16",
                                           "s16", "u32", "s32", "f32" };
static const char *const sdlDriverNames[] = { "", "esd", "alsa", "arts", "pulseaudio" };
static const char *const yesNo[] = { "absent", "yes", "no" };

const char *
virDomainAudioFormatToString(int format)
{
    return format > 0
               ? virDomainEnumToString(formatNames, G_N_ELEMENTS(formatNames), format)
               : NULL;
}

const char *
virDomainAudioSDLDriverToString(int driver)
{
    return driver > 0 ? virDomainEnumToString(sdlDriverNames,
                                              G_N_ELEMENTS(sdlDriverNames), driver)
                      : NULL;
}

static void
ioClear(virDomainAudioIODef *io)
{
    g_free(io->dev);
    g_free(io->serverName);
    g_free(io->clientName);
    g_free(io->connectPorts);
    g_free(io->name);
    g_free(io->streamName);
}

static void
ioCopy(virDomainAudioIODef *dst, const virDomainAudioIODef *src)
{
    *dst = *src;
    dst->dev = g_strdup(src->dev);
    dst->serverName = g_strdup(src->serverName);
    dst->clientName = g_strdup(src->clientName);
    dst->connectPorts = g_strdup(src->connectPorts);
    dst->name = g_strdup(src->name);
    dst->streamName = g_strdup(src->streamName);
}

void
virDomainAudioDefClear(virDomainAudioDef *a)
{
    if (!a)
        return;
    g_free(a->type);
    g_free(a->serverName);
    g_free(a->path);
    ioClear(&a->input);
    ioClear(&a->output);
    memset(a, 0, sizeof(*a));
}

void
virDomainAudioDefCopyTo(virDomainAudioDef *dst, const virDomainAudioDef *src)
{
    *dst = *src;
    dst->type = g_strdup(src->type);
    dst->serverName = g_strdup(src->serverName);
    dst->path = g_strdup(src->path);
    ioCopy(&dst->input, &src->input);
    ioCopy(&dst->output, &src->output);
}

/* libvirt's virXMLPropUInt (base 10): absent leaves *@out 0 */
static int
propUInt(xmlNodePtr node, const char *name, bool nonzero, unsigned int *out)
{
    g_autofree char *str = virDomainXMLProp(node, name);
    unsigned long long val;

    if (!str)
        return 0;
    if (strchr(str, '-') || virDomainParseULL(str, &val) < 0 || val > G_MAXUINT) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected non-negative integer value",
                           name, (const char *)node->name, str);
        return -1;
    }
    if (nonzero && val == 0) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': "
                           "Zero is not permitted",
                           name, (const char *)node->name);
        return -1;
    }
    *out = (unsigned int)val;
    return 0;
}

/* libvirt's virXMLPropEnum / virXMLPropTristateBool with a non-zero value */
static int
propEnum(xmlNodePtr node, const char *name, const char *const *names, int last, int *out)
{
    g_autofree char *str = virDomainXMLProp(node, name);

    if (!str)
        return 0;
    if ((*out = virDomainEnumFromString(names, last, str)) <= 0) {
        *out = 0;
        virDomainXMLReportInvalidAttr(name, node, str);
        return -1;
    }
    return 0;
}

static int
propYesNo(xmlNodePtr node, const char *name, int *out)
{
    return propEnum(node, name, yesNo, G_N_ELEMENTS(yesNo), out);
}

/* libvirt's virDomainAudioCommonParse then the backend's own attributes */
static int
parseIO(virDomainAudioIODef *io, xmlNodePtr node, int type)
{
    xmlNodePtr settings = virDomainXMLChild(node, "settings");

    if (propYesNo(node, "mixingEngine", &io->mixingEngine) < 0 ||
        propYesNo(node, "fixedSettings", &io->fixedSettings) < 0)
        return -1;
    if (io->fixedSettings == VIR_DOMAIN_TRISTATE_ON &&
        io->mixingEngine != VIR_DOMAIN_TRISTATE_ON) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "fixed audio settings requires mixing engine");
        return -1;
    }
    if (propUInt(node, "voices", true, &io->voices) < 0 ||
        propUInt(node, "bufferLength", true, &io->bufferLength) < 0)
        return -1;
    if (settings) {
        if (io->fixedSettings != VIR_DOMAIN_TRISTATE_ON) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                           "audio settings specified without fixed settings flag");
            return -1;
        }
        if (propUInt(settings, "frequency", true, &io->frequency) < 0 ||
            propUInt(settings, "channels", true, &io->channels) < 0 ||
            propEnum(settings, "format", formatNames, G_N_ELEMENTS(formatNames),
                     &io->format) < 0)
            return -1;
    }
    switch (type) {
    case AUDIO_ALSA:
        io->dev = virDomainXMLProp(node, "dev");
        break;
    case AUDIO_COREAUDIO:
    case AUDIO_SDL:
        return propUInt(node, "bufferCount", false, &io->bufferCount);
    case AUDIO_JACK:
        io->serverName = virDomainXMLProp(node, "serverName");
        io->clientName = virDomainXMLProp(node, "clientName");
        io->connectPorts = virDomainXMLProp(node, "connectPorts");
        return propYesNo(node, "exactName", &io->exactName);
    case AUDIO_OSS:
        io->dev = virDomainXMLProp(node, "dev");
        if (propYesNo(node, "tryPoll", &io->tryPoll) < 0)
            return -1;
        return propUInt(node, "bufferCount", false, &io->bufferCount);
    case AUDIO_PULSEAUDIO:
        io->name = virDomainXMLProp(node, "name");
        io->streamName = virDomainXMLProp(node, "streamName");
        return propUInt(node, "latency", false, &io->latency);
    }
    return 0;
}

/* libvirt's virXMLPropInt for dspPolicy, then its own check */
static int
parseDspPolicy(virDomainAudioDef *a, xmlNodePtr node)
{
    g_autofree char *str = virDomainXMLProp(node, "dspPolicy");
    char *end = NULL;
    long long val;

    if (!str)
        return 0;
    errno = 0;
    val = g_ascii_strtoll(str, &end, 10);
    if (!*str || errno || *end || val > G_MAXINT || val < G_MININT) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute '%s' in element '%s': '%s'. "
                           "Expected integer value",
                           "dspPolicy", (const char *)node->name, str);
        return -1;
    }
    if (val < 0) {
        virReportError(VIR_ERR_XML_ERROR, "cannot parse 'dspPolicy' value '%i'",
                       (int)val);
        return -1;
    }
    a->ossDspPolicy = (int)val;
    a->ossDspPolicySet = true;
    return 0;
}

static int
parseAudio(virDomainAudioDef *a, xmlNodePtr node)
{
    g_autofree char *type = virDomainXMLProp(node, "type");
    g_autofree char *id = NULL;
    xmlNodePtr input = virDomainXMLChild(node, "input");
    xmlNodePtr output = virDomainXMLChild(node, "output");
    unsigned long long val;
    int t;

    if (!type) {
        virDomainXMLReportMissingAttr("type", node);
        return -1;
    }
    if ((t = virDomainEnumFromString(audioTypeNames, AUDIO_LAST, type)) < 0) {
        virDomainXMLReportInvalidAttr("type", node, type);
        return -1;
    }
    if (!(id = virDomainXMLProp(node, "id"))) {
        virDomainXMLReportMissingAttr("id", node);
        return -1;
    }
    if (strchr(id, '-') || virDomainParseULL(id, &val) < 0 || val > G_MAXUINT) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "Invalid value for attribute 'id' in element 'audio': '%s'. "
                           "Expected non-negative integer value",
                           id);
        return -1;
    }
    if (val == 0 || val > G_MAXINT) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__, "%s",
                           val == 0 ? "Invalid value for attribute 'id' in element "
                                      "'audio': Zero is not permitted"
                                    : "audio id is too large");
        return -1;
    }
    a->id = (int)val;
    a->type = g_steal_pointer(&type);
    if (propUInt(node, "timerPeriod", true, &a->timerPeriod) < 0)
        return -1;
    if ((input && parseIO(&a->input, input, t) < 0) ||
        (output && parseIO(&a->output, output, t) < 0))
        return -1;
    switch (t) {
    case AUDIO_OSS:
        if (propYesNo(node, "tryMMap", &a->ossTryMMap) < 0 ||
            propYesNo(node, "exclusive", &a->ossExclusive) < 0 ||
            parseDspPolicy(a, node) < 0)
            return -1;
        break;
    case AUDIO_PULSEAUDIO:
        a->serverName = virDomainXMLProp(node, "serverName");
        break;
    case AUDIO_SDL:
        if (propEnum(node, "driver", sdlDriverNames, G_N_ELEMENTS(sdlDriverNames),
                     &a->sdlDriver) < 0)
            return -1;
        break;
    case AUDIO_FILE:
        a->path = virDomainXMLProp(node, "path");
        break;
    }
    return 0;
}

/* The attributes each backend carries: the common ones, then its own on
 * <audio> and on its <input>/<output> (what libvirt reads for that type;
 * anything else is recorded as unknown, refused by the QEMU driver) */
static const char *const settingsAttrs[] = { "frequency", "channels", "format", NULL };
static const char *const topPlain[] = { "id", "type", "timerPeriod", NULL };
static const char *const topOSS[] = { "id",        "type",      "timerPeriod", "tryMMap",
                                      "exclusive", "dspPolicy", NULL };
static const char *const topPulse[] = { "id", "type", "timerPeriod", "serverName", NULL };
static const char *const topSDL[] = { "id", "type", "timerPeriod", "driver", NULL };
static const char *const topFile[] = { "id", "type", "timerPeriod", "path", NULL };
static const char *const ioPlain[] = { "mixingEngine", "fixedSettings", "voices",
                                       "bufferLength", NULL };
static const char *const ioALSA[] = { "mixingEngine", "fixedSettings", "voices",
                                      "bufferLength", "dev",           NULL };
static const char *const ioCount[] = { "mixingEngine", "fixedSettings", "voices",
                                       "bufferLength", "bufferCount",   NULL };
static const char *const ioJack[] = { "mixingEngine", "fixedSettings", "voices",
                                      "bufferLength", "serverName",    "clientName",
                                      "connectPorts", "exactName",     NULL };
static const char *const ioOSS[] = { "mixingEngine", "fixedSettings",
                                     "voices",       "bufferLength",
                                     "dev",          "bufferCount",
                                     "tryPoll",      NULL };
static const char *const ioPulse[] = { "mixingEngine", "fixedSettings",
                                       "voices",       "bufferLength",
                                       "name",         "streamName",
                                       "latency",      NULL };

static void
audioRules(int type, virDomainXMLAttrRule rules[6])
{
    const char *const *top = topPlain;
    const char *const *io = ioPlain;

    switch (type) {
    case AUDIO_ALSA:
        io = ioALSA;
        break;
    case AUDIO_COREAUDIO:
        io = ioCount;
        break;
    case AUDIO_JACK:
        io = ioJack;
        break;
    case AUDIO_OSS:
        top = topOSS;
        io = ioOSS;
        break;
    case AUDIO_PULSEAUDIO:
        top = topPulse;
        io = ioPulse;
        break;
    case AUDIO_SDL:
        top = topSDL;
        io = ioCount;
        break;
    case AUDIO_FILE:
        top = topFile;
        break;
    }
    rules[0] = (virDomainXMLAttrRule){ "", top };
    rules[1] = (virDomainXMLAttrRule){ "input", io };
    rules[2] = (virDomainXMLAttrRule){ "output", io };
    rules[3] = (virDomainXMLAttrRule){ "input/settings", settingsAttrs };
    rules[4] = (virDomainXMLAttrRule){ "output/settings", settingsAttrs };
    rules[5] = (virDomainXMLAttrRule){ NULL, NULL };
}

static const char *const audioChildren[] = { "input",  "input/",  "input/settings",
                                             "output", "output/", "output/settings",
                                             NULL };

int
virDomainAudioParseXML(GArray **audios, xmlNodePtr node, GPtrArray *unknown,
                       unsigned int flags, bool *failed)
{
    virDomainAudioDef a = { 0 };
    virDomainXMLAttrRule rules[6];

    if (parseAudio(&a, node) < 0) {
        virDomainAudioDefClear(&a);
        return -1;
    }
    audioRules(virDomainEnumFromString(audioTypeNames, AUDIO_LAST, a.type), rules);
    if (!*audios) {
        *audios = g_array_new(FALSE, TRUE, sizeof(virDomainAudioDef));
        g_array_set_clear_func(*audios, (GDestroyNotify)virDomainAudioDefClear);
    }
    g_array_append_val(*audios, a);
    if (virDomainDeviceCheckChildren(node, audioChildren, unknown, flags, failed) < 0 ||
        virDomainDeviceCheckAttrs(node, rules, unknown, flags, failed) < 0)
        return -1;
    return 0;
}

static void
attrStr(GString *buf, const char *name, const char *value)
{
    if (!value)
        return;
    g_string_append_printf(buf, " %s='", name);
    virDomainXMLEscape(buf, value);
    g_string_append_c(buf, '\'');
}

static void
attrUInt(GString *buf, const char *name, unsigned int value)
{
    if (value)
        g_string_append_printf(buf, " %s='%u'", name, value);
}

static void
attrYesNo(GString *buf, const char *name, int value)
{
    if (value > 0 && value < VIR_DOMAIN_TRISTATE_LAST)
        g_string_append_printf(buf, " %s='%s'", name, yesNo[value]);
}

/* the backend's own attributes of one direction, in libvirt's order */
static void
formatIOBackend(GString *buf, const virDomainAudioIODef *io, int type)
{
    switch (type) {
    case AUDIO_ALSA:
        attrStr(buf, "dev", io->dev);
        break;
    case AUDIO_COREAUDIO:
    case AUDIO_SDL:
        attrUInt(buf, "bufferCount", io->bufferCount);
        break;
    case AUDIO_JACK:
        attrStr(buf, "serverName", io->serverName);
        attrStr(buf, "clientName", io->clientName);
        attrStr(buf, "connectPorts", io->connectPorts);
        attrYesNo(buf, "exactName", io->exactName);
        break;
    case AUDIO_OSS:
        attrStr(buf, "dev", io->dev);
        attrUInt(buf, "bufferCount", io->bufferCount);
        attrYesNo(buf, "tryPoll", io->tryPoll);
        break;
    case AUDIO_PULSEAUDIO:
        attrStr(buf, "name", io->name);
        attrStr(buf, "streamName", io->streamName);
        attrUInt(buf, "latency", io->latency);
        break;
    }
}

/* libvirt's virDomainAudioCommonFormat: the element only when it says
 * something; <settings> only with fixedSettings='yes' */
static void
formatIO(GString *buf, int indent, const char *dir, const virDomainAudioIODef *io,
         int type)
{
    g_autoptr(GString) backend = g_string_new(NULL);

    formatIOBackend(backend, io, type);
    if (!io->mixingEngine && !io->fixedSettings && !io->voices && !io->bufferLength &&
        !backend->len)
        return;
    g_string_append_printf(buf, "%*s<%s", indent, "", dir);
    attrYesNo(buf, "mixingEngine", io->mixingEngine);
    attrYesNo(buf, "fixedSettings", io->fixedSettings);
    attrUInt(buf, "voices", io->voices);
    attrUInt(buf, "bufferLength", io->bufferLength);
    g_string_append_len(buf, backend->str, backend->len);
    if (io->fixedSettings != VIR_DOMAIN_TRISTATE_ON) {
        g_string_append(buf, "/>\n");
        return;
    }
    g_string_append_printf(buf, ">\n%*s<settings", indent + 2, "");
    attrUInt(buf, "frequency", io->frequency);
    attrUInt(buf, "channels", io->channels);
    if (io->format > 0)
        g_string_append_printf(buf, " format='%s'", formatNames[io->format]);
    g_string_append_printf(buf, "/>\n%*s</%s>\n", indent, "", dir);
}

void
virDomainAudioFormat(GString *buf, int indent, const virDomainAudioDef *a)
{
    int type = virDomainEnumFromString(audioTypeNames, AUDIO_LAST, a->type);
    size_t open;

    g_string_append_printf(buf, "%*s<audio id='%d'", indent, "", a->id);
    attrStr(buf, "type", a->type);
    attrUInt(buf, "timerPeriod", a->timerPeriod);
    switch (type) {
    case AUDIO_OSS:
        attrYesNo(buf, "tryMMap", a->ossTryMMap);
        attrYesNo(buf, "exclusive", a->ossExclusive);
        if (a->ossDspPolicySet)
            g_string_append_printf(buf, " dspPolicy='%d'", a->ossDspPolicy);
        break;
    case AUDIO_PULSEAUDIO:
        attrStr(buf, "serverName", a->serverName);
        break;
    case AUDIO_SDL:
        if (a->sdlDriver > 0)
            g_string_append_printf(buf, " driver='%s'", sdlDriverNames[a->sdlDriver]);
        break;
    case AUDIO_FILE:
        attrStr(buf, "path", a->path);
        break;
    }
    g_string_append(buf, ">\n");
    open = buf->len;
    formatIO(buf, indent + 2, "input", &a->input, type);
    formatIO(buf, indent + 2, "output", &a->output, type);
    if (buf->len == open) {
        g_string_truncate(buf, open - 2);
        g_string_append(buf, "/>\n");
        return;
    }
    g_string_append_printf(buf, "%*s</audio>\n", indent, "");
}
