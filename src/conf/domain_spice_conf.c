/* domain_spice_conf.c: <sound>, <redirdev>, <smartcard> and <hub> of <devices> (what a SPICE display brings along, and USB hubs) */

#define G_LOG_DOMAIN "virtkit.conf.spice"

#include <string.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "domain_conf_priv.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* libvirt 9.0's sound models (virDomainSoundModel) */
static const char *const soundModels[] = { "sb16", "es1370", "pcspk", "ac97", "ich6",
                                           "ich9", "usb",    "ich7",  NULL };
static const char *const codecNames[VIR_DOMAIN_SOUND_CODEC_LAST] = { "duplex", "micro",
                                                                     "output" };

const char *
virDomainSoundCodecTypeToString(int type)
{
    return virDomainEnumToString(codecNames, VIR_DOMAIN_SOUND_CODEC_LAST, type);
}

void
virDomainSoundDefFree(virDomainSoundDef *sound)
{
    if (!sound)
        return;
    g_free(sound->model);
    g_free(sound->codecs);
    g_free(sound);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainSoundDef, virDomainSoundDefFree);

static virDomainSoundDef *
parseSound(xmlNodePtr node)
{
    g_autoptr(virDomainSoundDef) s = g_new0(virDomainSoundDef, 1);
    g_autoptr(GArray) codecs = g_array_new(FALSE, FALSE, sizeof(int));

    if (!(s->model = virDomainXMLProp(node, "model"))) {
        virDomainXMLReportMissingAttr("model", node);
        return NULL;
    }
    if (!virDomainStrInList(soundModels, s->model)) {
        virDomainXMLReportInvalidAttr("model", node, s->model);
        return NULL;
    }
    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        if (virDomainXMLNodeIs(cur, "codec")) {
            g_autofree char *type = virDomainXMLProp(cur, "type");
            int t = -1;

            for (int i = 0; type && i < VIR_DOMAIN_SOUND_CODEC_LAST; i++) {
                if (g_str_equal(type, codecNames[i]))
                    t = i;
            }
            if (t < 0) {
                virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown codec type '%s'",
                               type ? type : "");
                return NULL;
            }
            g_array_append_val(codecs, t);
        } else if (virDomainXMLNodeIs(cur, "audio")) {
            g_autofree char *id = virDomainXMLProp(cur, "id");
            unsigned long long v = 0;

            if (!id || virDomainParseULL(id, &v) < 0 || v == 0 || v > G_MAXINT) {
                virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                                   "Invalid value for attribute 'id' in element 'audio': "
                                   "'%s'",
                                   id ? id : "");
                return NULL;
            }
            s->audioId = (int)v;
        }
    }
    /* only the HDA models have codecs: libvirt keeps none for the others */
    if (g_str_has_prefix(s->model, "ich") && codecs->len) {
        s->ncodecs = codecs->len;
        s->codecs = (int *)g_array_free(g_steal_pointer(&codecs), FALSE);
    }
    if (virDomainDeviceAddressParse(node, &s->addr) < 0)
        return NULL;
    return g_steal_pointer(&s);
}

void
virDomainRedirdevDefFree(virDomainRedirdevDef *r)
{
    if (!r)
        return;
    virDomainDeviceBootClear(&r->boot);
    g_free(r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainRedirdevDef, virDomainRedirdevDefFree);

static virDomainRedirdevDef *
parseRedirdev(xmlNodePtr node)
{
    g_autoptr(virDomainRedirdevDef) r = g_new0(virDomainRedirdevDef, 1);
    g_autofree char *bus = virDomainXMLProp(node, "bus");
    g_autofree char *type = virDomainXMLProp(node, "type");

    if (bus && !g_str_equal(bus, "usb")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown redirdev bus '%s'", bus);
        return NULL;
    }
    if (!type) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing type in redirdev");
        return NULL;
    }
    if (!g_str_equal(type, "spicevmc")) {
        virDomainReportUnsupportedValue("redirdev type", type);
        return NULL;
    }
    if (virDomainDeviceAddressParse(node, &r->addr) < 0)
        return NULL;
    if (r->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE &&
        r->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "Invalid address for a USB device");
        return NULL;
    }
    if (virDomainDeviceBootParse(node, &r->boot) < 0)
        return NULL;
    return g_steal_pointer(&r);
}

/* libvirt 9.0's virDomainHubDefParseXML: type usb; an address of another
 * type is dropped (libvirt gives the hub a USB port all the same). */
static virDomainHubDef *
parseHub(xmlNodePtr node)
{
    g_autofree virDomainHubDef *h = g_new0(virDomainHubDef, 1);
    g_autofree char *type = virDomainXMLProp(node, "type");

    if (!type) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "missing hub device type");
        return NULL;
    }
    if (!g_str_equal(type, "usb")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown hub device type '%s'", type);
        return NULL;
    }
    if (virDomainDeviceAddressParse(node, &h->addr) < 0)
        return NULL;
    if (h->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_USB)
        memset(&h->addr, 0, sizeof(h->addr));
    return g_steal_pointer(&h);
}

static virDomainSmartcardDef *
parseSmartcard(xmlNodePtr node)
{
    g_autofree virDomainSmartcardDef *sc = g_new0(virDomainSmartcardDef, 1);
    g_autofree char *mode = virDomainXMLProp(node, "mode");
    g_autofree char *type = virDomainXMLProp(node, "type");

    if (!mode) {
        virDomainXMLReportMissingAttr("mode", node);
        return NULL;
    }
    if (!g_str_equal(mode, "passthrough")) {
        if (g_str_equal(mode, "host") || g_str_equal(mode, "host-certificates"))
            virDomainReportUnsupportedValue("smartcard mode", mode);
        else
            virDomainXMLReportInvalidAttr("mode", node, mode);
        return NULL;
    }
    if (!type) {
        virDomainXMLReportMissingAttr("type", node);
        return NULL;
    }
    if (!g_str_equal(type, "spicevmc")) {
        virDomainReportUnsupportedValue("smartcard passthrough type", type);
        return NULL;
    }
    if (virDomainDeviceAddressParse(node, &sc->addr) < 0)
        return NULL;
    if (sc->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE &&
        sc->addr.type != VIR_DOMAIN_DEVICE_ADDRESS_TYPE_CCID) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "Controllers must use the 'ccid' address type");
        return NULL;
    }
    return g_steal_pointer(&sc);
}

static const virDomainXMLAttrRule soundAttrs[] = {
    { "", (const char *const[]){ "model", NULL } },
    { "codec", (const char *const[]){ "type", NULL } },
    { "audio", (const char *const[]){ "id", NULL } },
    { NULL, NULL },
};
static const char *const soundChildren[] = { "codec", "audio", "address", NULL };
static const virDomainXMLAttrRule redirdevAttrs[] = {
    { "", (const char *const[]){ "bus", "type", NULL } },
    { "boot", (const char *const[]){ "order", "loadparm", NULL } },
    { NULL, NULL },
};
static const char *const redirdevChildren[] = { "boot", "address", NULL };
static const virDomainXMLAttrRule smartcardAttrs[] = {
    { "", (const char *const[]){ "mode", "type", NULL } },
    { NULL, NULL },
};
static const virDomainXMLAttrRule hubAttrs[] = {
    { "", (const char *const[]){ "type", NULL } },
    { NULL, NULL },
};
static const char *const addressOnly[] = { "address", NULL };

int
virDomainSpiceDeviceParseXML(virDomainSpiceDevices *acc, xmlNodePtr node,
                             GPtrArray *unknown, unsigned int flags, bool *failed)
{
    const virDomainXMLAttrRule *rules;
    const char *const *children = addressOnly;

    if (virDomainXMLNodeIs(node, "sound")) {
        virDomainSoundDef *s = parseSound(node);

        if (!s)
            return -1;
        if (!acc->sounds)
            acc->sounds =
                g_ptr_array_new_with_free_func((GDestroyNotify)virDomainSoundDefFree);
        g_ptr_array_add(acc->sounds, s);
        rules = soundAttrs;
        children = soundChildren;
    } else if (virDomainXMLNodeIs(node, "redirdev")) {
        virDomainRedirdevDef *r = parseRedirdev(node);

        if (!r)
            return -1;
        if (!acc->redirdevs)
            acc->redirdevs =
                g_ptr_array_new_with_free_func((GDestroyNotify)virDomainRedirdevDefFree);
        g_ptr_array_add(acc->redirdevs, r);
        rules = redirdevAttrs;
        children = redirdevChildren;
    } else if (virDomainXMLNodeIs(node, "hub")) {
        virDomainHubDef *h = parseHub(node);

        if (!h)
            return -1;
        if (!acc->hubs)
            acc->hubs = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(acc->hubs, h);
        rules = hubAttrs;
    } else if (virDomainXMLNodeIs(node, "smartcard")) {
        virDomainSmartcardDef *sc = parseSmartcard(node);

        if (!sc)
            return -1;
        if (!acc->smartcards)
            acc->smartcards = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(acc->smartcards, sc);
        rules = smartcardAttrs;
    } else {
        return 0;
    }
    if (virDomainDeviceCheckChildren(node, children, unknown, flags, failed) < 0 ||
        virDomainDeviceCheckAttrs(node, rules, unknown, flags, failed) < 0)
        return -1;
    return 1;
}

static gpointer *
stealArray(GPtrArray **arr, size_t *n)
{
    if (!*arr)
        return NULL;
    *n = (*arr)->len;
    g_ptr_array_add(*arr, NULL);
    return virDomainPtrArrayStealExact(g_steal_pointer(arr));
}

int
virDomainSpiceDevicesSteal(virDomainDef *def, virDomainSpiceDevices *acc)
{
    def->sounds = (virDomainSoundDef **)stealArray(&acc->sounds, &def->nsounds);
    def->redirdevs =
        (virDomainRedirdevDef **)stealArray(&acc->redirdevs, &def->nredirdevs);
    def->smartcards =
        (virDomainSmartcardDef **)stealArray(&acc->smartcards, &def->nsmartcards);
    def->hubs = (virDomainHubDef **)stealArray(&acc->hubs, &def->nhubs);
    /* libvirt's post-parse: a smartcard takes slot N of CCID controller 0 */
    for (size_t i = 0; i < def->nsmartcards; i++) {
        virDomainDeviceAddress *a = &def->smartcards[i]->addr;

        if (a->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
            a->type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_CCID;
            a->slot = (unsigned int)i;
        }
    }
    /* libvirt's virDomainDefPostParseCheck: a sound's <audio id> names an
     * <audio> of the domain */
    for (size_t i = 0; i < def->nsounds; i++) {
        bool found = def->sounds[i]->audioId == 0;

        for (size_t j = 0; j < def->naudios && !found; j++)
            found = def->audios[j].id == def->sounds[i]->audioId;
        if (!found) {
            virReportError(VIR_ERR_XML_ERROR, "no audio device with ID %d",
                           def->sounds[i]->audioId);
            return -1;
        }
    }
    /* ... so does a VNC display's */
    for (size_t i = 0; i < def->ngraphics; i++) {
        bool found = def->graphics[i]->audioId == 0;

        for (size_t j = 0; j < def->naudios && !found; j++)
            found = def->audios[j].id == def->graphics[i]->audioId;
        if (!found) {
            virReportError(VIR_ERR_XML_ERROR, "no audio device with ID %d",
                           def->graphics[i]->audioId);
            return -1;
        }
    }
    /* ... and libvirt's virDomainAudioDefValidate: ids are unique */
    for (size_t i = 0; i < def->naudios; i++) {
        for (size_t j = 0; j < i; j++) {
            if (def->audios[j].id == def->audios[i].id) {
                virReportError(VIR_ERR_XML_ERROR, "audio ID %d is used multiple times",
                               def->audios[i].id);
                return -1;
            }
        }
    }
    return 0;
}

void
virDomainSpiceDevicesClear(virDomainSpiceDevices *acc)
{
    g_clear_pointer(&acc->sounds, g_ptr_array_unref);
    g_clear_pointer(&acc->redirdevs, g_ptr_array_unref);
    g_clear_pointer(&acc->smartcards, g_ptr_array_unref);
    g_clear_pointer(&acc->hubs, g_ptr_array_unref);
}

void
virDomainSpiceDevicesFree(virDomainDef *def)
{
    for (size_t i = 0; i < def->nsounds; i++)
        virDomainSoundDefFree(def->sounds[i]);
    g_free(def->sounds);
    for (size_t i = 0; i < def->nredirdevs; i++)
        virDomainRedirdevDefFree(def->redirdevs[i]);
    g_free(def->redirdevs);
    for (size_t i = 0; i < def->nsmartcards; i++)
        g_free(def->smartcards[i]);
    g_free(def->smartcards);
    for (size_t i = 0; i < def->nhubs; i++)
        g_free(def->hubs[i]);
    g_free(def->hubs);
}

void
virDomainSpiceDevicesCopy(virDomainDef *dst, const virDomainDef *src)
{
    dst->sounds = g_new0(virDomainSoundDef *, src->nsounds + 1);
    for (size_t i = 0; i < src->nsounds; i++) {
        virDomainSoundDef *s = g_memdup2(src->sounds[i], sizeof(*s));

        s->model = g_strdup(s->model);
        s->codecs = s->ncodecs ? g_memdup2(s->codecs, s->ncodecs * sizeof(int)) : NULL;
        dst->sounds[i] = s;
    }
    dst->nsounds = src->nsounds;
    dst->redirdevs = g_new0(virDomainRedirdevDef *, src->nredirdevs + 1);
    for (size_t i = 0; i < src->nredirdevs; i++) {
        dst->redirdevs[i] = g_memdup2(src->redirdevs[i], sizeof(virDomainRedirdevDef));
        virDomainDeviceBootCopy(&dst->redirdevs[i]->boot, &src->redirdevs[i]->boot);
    }
    dst->nredirdevs = src->nredirdevs;
    dst->smartcards = g_new0(virDomainSmartcardDef *, src->nsmartcards + 1);
    for (size_t i = 0; i < src->nsmartcards; i++)
        dst->smartcards[i] = g_memdup2(src->smartcards[i], sizeof(virDomainSmartcardDef));
    dst->nsmartcards = src->nsmartcards;
    dst->hubs = g_new0(virDomainHubDef *, src->nhubs + 1);
    for (size_t i = 0; i < src->nhubs; i++)
        dst->hubs[i] = g_memdup2(src->hubs[i], sizeof(virDomainHubDef));
    dst->nhubs = src->nhubs;
}

/* Format helpers: libvirt's layout (domain_format.c calls them in its order). */
void
virDomainSoundFormat(GString *buf, int indent, const virDomainSoundDef *s)
{
    if (!s->ncodecs && !s->audioId &&
        s->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
        g_string_append_printf(buf, "%*s<sound model='%s'/>\n", indent, "", s->model);
        return;
    }
    g_string_append_printf(buf, "%*s<sound model='%s'>\n", indent, "", s->model);
    for (size_t i = 0; i < s->ncodecs; i++)
        g_string_append_printf(buf, "%*s<codec type='%s'/>\n", indent + 2, "",
                               codecNames[s->codecs[i]]);
    if (s->audioId)
        g_string_append_printf(buf, "%*s<audio id='%d'/>\n", indent + 2, "", s->audioId);
    virDomainDeviceAddressFormat(buf, indent + 2, &s->addr);
    g_string_append_printf(buf, "%*s</sound>\n", indent, "");
}

void
virDomainRedirdevFormat(GString *buf, int indent, const virDomainRedirdevDef *r)
{
    /* always with an end tag, as libvirt writes it */
    g_string_append_printf(buf, "%*s<redirdev bus='usb' type='spicevmc'>\n", indent, "");
    virDomainDeviceBootFormat(buf, indent + 2, &r->boot);
    virDomainDeviceAddressFormat(buf, indent + 2, &r->addr);
    g_string_append_printf(buf, "%*s</redirdev>\n", indent, "");
}

void
virDomainAddressedDeviceFormat(GString *buf, int indent, const char *open,
                               const char *name, const virDomainDeviceAddress *addr)
{
    if (addr->type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE) {
        g_string_append_printf(buf, "%*s<%s %s/>\n", indent, "", name, open);
        return;
    }
    g_string_append_printf(buf, "%*s<%s %s>\n", indent, "", name, open);
    virDomainDeviceAddressFormat(buf, indent + 2, addr);
    g_string_append_printf(buf, "%*s</%s>\n", indent, "", name);
}
