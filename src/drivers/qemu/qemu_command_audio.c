/* qemu_command_audio.c: the -audiodev option of an <audio> backend, as libvirt 9.0 builds it */

#define G_LOG_DOMAIN "virtkit.qemu.command"

#include <string.h>

#include "qemu_command.h"

/* QEMU's driver name for a libvirt audio type (libvirt's
 * qemuAudioDriverTypeToString): pulseaudio is 'pa', file is 'wav' */
static const char *
audioDriver(const char *type)
{
    if (g_str_equal(type, "pulseaudio"))
        return "pa";
    if (g_str_equal(type, "file"))
        return "wav";
    return type;
}

static void
propStr(GString *opt, const char *prefix, const char *name, const char *value)
{
    g_auto(GStrv) parts = NULL;
    g_autofree char *escaped = NULL;

    if (!value)
        return;
    parts = g_strsplit(value, ",", -1);
    escaped = g_strjoinv(",,", parts);
    g_string_append_printf(opt, ",%s%s=%s", prefix, name, escaped);
}

static void
propUInt(GString *opt, const char *prefix, const char *name, unsigned int value)
{
    if (value)
        g_string_append_printf(opt, ",%s%s=%u", prefix, name, value);
}

static void
propBool(GString *opt, const char *prefix, const char *name, int tristate)
{
    if (tristate == VIR_DOMAIN_TRISTATE_ON || tristate == VIR_DOMAIN_TRISTATE_OFF)
        g_string_append_printf(opt, ",%s%s=%s", prefix, name,
                               tristate == VIR_DOMAIN_TRISTATE_ON ? "on" : "off");
}

/* One direction: libvirt's qemuBuildAudioCommonProps then the backend's
 * own (qemuBuildAudio<Type>Props), each under "in." or "out." */
static void
audioIO(GString *opt, const char *prefix, const char *type, const virDomainAudioIODef *io)
{
    bool fixed = io->fixedSettings == VIR_DOMAIN_TRISTATE_ON;

    propBool(opt, prefix, "mixing-engine", io->mixingEngine);
    propBool(opt, prefix, "fixed-settings", io->fixedSettings);
    propUInt(opt, prefix, "voices", io->voices);
    propUInt(opt, prefix, "buffer-length", io->bufferLength);
    if (fixed) {
        propUInt(opt, prefix, "frequency", io->frequency);
        propUInt(opt, prefix, "channels", io->channels);
        propStr(opt, prefix, "format", virDomainAudioFormatToString(io->format));
    }
    if (g_str_equal(type, "alsa")) {
        propStr(opt, prefix, "dev", io->dev);
    } else if (g_str_equal(type, "coreaudio") || g_str_equal(type, "sdl")) {
        propUInt(opt, prefix, "buffer-count", io->bufferCount);
    } else if (g_str_equal(type, "jack")) {
        propStr(opt, prefix, "server-name", io->serverName);
        propStr(opt, prefix, "client-name", io->clientName);
        propStr(opt, prefix, "connect-ports", io->connectPorts);
        propBool(opt, prefix, "exact-name", io->exactName);
    } else if (g_str_equal(type, "oss")) {
        propStr(opt, prefix, "dev", io->dev);
        propUInt(opt, prefix, "buffer-count", io->bufferCount);
        propBool(opt, prefix, "try-poll", io->tryPoll);
    } else if (g_str_equal(type, "pulseaudio")) {
        propStr(opt, prefix, "name", io->name);
        propStr(opt, prefix, "stream-name", io->streamName);
        propUInt(opt, prefix, "latency", io->latency);
    }
}

char *
qemuAudiodevProps(const virDomainAudioDef *audio)
{
    GString *opt = g_string_new(audioDriver(audio->type));

    g_string_append_printf(opt, ",id=audio%d", audio->id);
    propUInt(opt, "", "timer-period", audio->timerPeriod);
    if (g_str_equal(audio->type, "oss")) {
        propBool(opt, "", "try-mmap", audio->ossTryMMap);
        propBool(opt, "", "exclusive", audio->ossExclusive);
        if (audio->ossDspPolicySet)
            g_string_append_printf(opt, ",dsp-policy=%d", audio->ossDspPolicy);
    } else if (g_str_equal(audio->type, "pulseaudio")) {
        propStr(opt, "", "server", audio->serverName);
    } else if (g_str_equal(audio->type, "file")) {
        propStr(opt, "", "path", audio->path);
    }
    audioIO(opt, "in.", audio->type, &audio->input);
    audioIO(opt, "out.", audio->type, &audio->output);
    return g_string_free(opt, FALSE);
}
