/* nwfilter_conf.c: <filter> XML parse and format: the filter, its chain, rules and filter references (the protocol elements of rules: nwfilter_rule_conf.c) */
#define G_LOG_DOMAIN "virtkit.conf.nwfilter"

#include <string.h>

#include <libxml/tree.h>

#include "domain_conf_priv.h"
#include "nwfilter_conf_priv.h"
#include "virerror.h"
#include "virfile.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_NWFILTER

#define NWFILTER_XML_MAX_SIZE (10 * 1024 * 1024)
#define NWF_MAX_CHAIN 12
#define NWF_RULE_PRIO_MIN -1000
#define NWF_RULE_PRIO_MAX 1000
#define NWF_CHAIN_CHARS \
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-"

static const char *const actionNames[] = { "drop", "accept", "reject", "return",
                                           "continue" };
static const char *const directionNames[] = { "in", "out", "inout" };

/* The chain name prefixes, and the default priority of each (stp has none
 * in libvirt's table: 0). */
static const struct {
    const char *prefix;
    int priority;
} chainPrefixes[] = {
    { "root", 0 },   { "mac", -800 },  { "vlan", -750 }, { "stp", 0 },
    { "arp", -500 }, { "rarp", -400 }, { "ipv4", -700 }, { "ipv6", -600 },
};

/* ---- freeing ------------------------------------------------------------ */

static void
ruleFree(virNWFilterRuleDef *rule)
{
    if (!rule)
        return;
    for (size_t i = 0; i < NWF_FIELD_LAST; i++) {
        g_free(rule->items[i].var.name);
        g_free(rule->items[i].string);
    }
    g_free(rule);
}

static void
entryFree(gpointer p)
{
    virNWFilterEntry *entry = p;

    if (!entry)
        return;
    ruleFree(entry->rule);
    g_free(entry->filterref);
    virNWFilterParamsFree(entry->params);
    g_free(entry);
}

void
virNWFilterDefFree(virNWFilterDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->chain);
    if (def->entries)
        g_ptr_array_unref(def->entries);
    g_free(def);
}

/* ---- parsing --------------------------------------------------------------- */
#define HAS(rule, f) ((rule)->items[f].flags & NWF_ITEM_EXISTS)

static int
ruleValidate(const virNWFilterRuleDef *rule)
{
    const virNWFilterItem *proto = &rule->items[NWF_IPPROTOCOL];

    if (rule->protocol != VIR_NWFILTER_RULE_PROTOCOL_IP &&
        rule->protocol != VIR_NWFILTER_RULE_PROTOCOL_IPV6)
        return 0;
    if (!HAS(rule, NWF_SRCPORTSTART) && !HAS(rule, NWF_DSTPORTSTART) &&
        !HAS(rule, NWF_SRCPORTEND) && !HAS(rule, NWF_DSTPORTEND))
        return 0;
    if ((proto->flags & NWF_ITEM_EXISTS) && (proto->u.u8 == 6 || proto->u.u8 == 17 ||
                                             proto->u.u8 == 33 || proto->u.u8 == 132))
        return 0;
    virReportError(VIR_ERR_INTERNAL_ERROR,
                   "%s rule with port specification requires protocol specification "
                   "with protocol to be either one of tcp(6), udp(17), dccp(33), or "
                   "sctp(132)",
                   rule->protocol == VIR_NWFILTER_RULE_PROTOCOL_IP ? "IP" : "IPv6");
    return -1;
}

static void
copyNeg(virNWFilterRuleDef *rule, int dst, int src)
{
    rule->items[dst].flags = (rule->items[dst].flags & ~NWF_ITEM_NEG) |
                             (rule->items[src].flags & NWF_ITEM_NEG);
}

/* libvirt keeps an ipset only when given without ipsetflags (then "src"). */
static void
fixupIPSet(virNWFilterRuleDef *rule)
{
    if (HAS(rule, NWF_IPSET) && !HAS(rule, NWF_IPSETFLAGS)) {
        rule->items[NWF_IPSETFLAGS].flags = NWF_ITEM_EXISTS;
        rule->items[NWF_IPSETFLAGS].u.ipset.numFlags = 1;
        rule->items[NWF_IPSETFLAGS].u.ipset.flags = 1;
    } else {
        rule->items[NWF_IPSET].flags = 0;
        rule->items[NWF_IPSETFLAGS].flags = 0;
    }
}

/* How a match='no' spreads (libvirt's virNWFilterRuleDefFixup). */
static void
ruleFixup(virNWFilterRuleDef *rule)
{
    static const int stpPairs[][2] = {
        { NWF_SRCMACMASK, NWF_SRCMACADDR }, { NWF_ROOTPRIHI, NWF_ROOTPRI },
        { NWF_ROOTADDRMASK, NWF_ROOTADDR }, { NWF_ROOTCOSTHI, NWF_ROOTCOST },
        { NWF_SNDRPRIOHI, NWF_SNDRPRIO },   { NWF_SNDRADDRMASK, NWF_SNDRADDR },
        { NWF_PORTHI, NWF_PORT },           { NWF_AGEHI, NWF_AGE },
        { NWF_MAXAGEHI, NWF_MAXAGE },       { NWF_HELLOTIMEHI, NWF_HELLOTIME },
        { NWF_FWDDELAYHI, NWF_FWDDELAY },
    };

    switch ((virNWFilterRuleProtocol)rule->protocol) {
    case VIR_NWFILTER_RULE_PROTOCOL_MAC:
    case VIR_NWFILTER_RULE_PROTOCOL_VLAN:
        copyNeg(rule, NWF_SRCMACMASK, NWF_SRCMACADDR);
        copyNeg(rule, NWF_DSTMACMASK, NWF_DSTMACADDR);
        break;
    case VIR_NWFILTER_RULE_PROTOCOL_STP:
        for (size_t i = 0; i < G_N_ELEMENTS(stpPairs); i++)
            copyNeg(rule, stpPairs[i][0], stpPairs[i][1]);
        break;
    case VIR_NWFILTER_RULE_PROTOCOL_IP:
        copyNeg(rule, NWF_SRCIPMASK, NWF_SRCIPADDR);
        copyNeg(rule, NWF_DSTIPMASK, NWF_DSTIPADDR);
        fixupIPSet(rule);
        break;
    case VIR_NWFILTER_RULE_PROTOCOL_IPV6:
        copyNeg(rule, NWF_SRCIPMASK, NWF_SRCIPADDR);
        copyNeg(rule, NWF_DSTIPMASK, NWF_DSTIPADDR);
        copyNeg(rule, NWF_TYPEEND, NWF_TYPE);
        copyNeg(rule, NWF_CODE, NWF_TYPE);
        copyNeg(rule, NWF_CODEEND, NWF_TYPE);
        fixupIPSet(rule);
        break;
    case VIR_NWFILTER_RULE_PROTOCOL_TCP:
    case VIR_NWFILTER_RULE_PROTOCOL_TCPoIPV6:
    case VIR_NWFILTER_RULE_PROTOCOL_UDP:
    case VIR_NWFILTER_RULE_PROTOCOL_UDPoIPV6:
    case VIR_NWFILTER_RULE_PROTOCOL_SCTP:
    case VIR_NWFILTER_RULE_PROTOCOL_SCTPoIPV6:
        copyNeg(rule, NWF_SRCPORTEND, NWF_SRCPORTSTART);
        copyNeg(rule, NWF_DSTPORTSTART, NWF_SRCPORTSTART);
        copyNeg(rule, NWF_DSTPORTEND, NWF_SRCPORTSTART);
        G_GNUC_FALLTHROUGH;
    case VIR_NWFILTER_RULE_PROTOCOL_UDPLITE:
    case VIR_NWFILTER_RULE_PROTOCOL_UDPLITEoIPV6:
    case VIR_NWFILTER_RULE_PROTOCOL_ESP:
    case VIR_NWFILTER_RULE_PROTOCOL_ESPoIPV6:
    case VIR_NWFILTER_RULE_PROTOCOL_AH:
    case VIR_NWFILTER_RULE_PROTOCOL_AHoIPV6:
    case VIR_NWFILTER_RULE_PROTOCOL_IGMP:
    case VIR_NWFILTER_RULE_PROTOCOL_ICMP:
    case VIR_NWFILTER_RULE_PROTOCOL_ICMPV6:
    case VIR_NWFILTER_RULE_PROTOCOL_ALL:
    case VIR_NWFILTER_RULE_PROTOCOL_ALLoIPV6:
        copyNeg(rule, NWF_SRCIPMASK, NWF_SRCIPADDR);
        copyNeg(rule, NWF_DSTIPMASK, NWF_DSTIPADDR);
        copyNeg(rule, NWF_SRCIPTO, NWF_SRCIPFROM);
        copyNeg(rule, NWF_DSTIPTO, NWF_DSTIPFROM);
        if (rule->protocol == VIR_NWFILTER_RULE_PROTOCOL_ICMP ||
            rule->protocol == VIR_NWFILTER_RULE_PROTOCOL_ICMPV6)
            copyNeg(rule, NWF_CODE, NWF_TYPE);
        /* libvirt leaves the ipset of 'all' rules as given */
        if (rule->protocol != VIR_NWFILTER_RULE_PROTOCOL_ALL &&
            rule->protocol != VIR_NWFILTER_RULE_PROTOCOL_ALLoIPV6)
            fixupIPSet(rule);
        break;
    case VIR_NWFILTER_RULE_PROTOCOL_NONE:
    case VIR_NWFILTER_RULE_PROTOCOL_ARP:
    case VIR_NWFILTER_RULE_PROTOCOL_RARP:
    case VIR_NWFILTER_RULE_PROTOCOL_LAST:
        break;
    }
}

static int
enumFromString(const char *const *names, size_t n, const char *str)
{
    for (size_t i = 0; i < n; i++) {
        if (g_str_equal(names[i], str))
            return i;
    }
    return -1;
}

static virNWFilterRuleDef *
ruleParse(xmlNodePtr node, unsigned int flags)
{
    g_autofree char *action = virDomainXMLProp(node, "action");
    g_autofree char *direction = virDomainXMLProp(node, "direction");
    g_autofree char *prio = virDomainXMLProp(node, "priority");
    g_autofree char *statematch = virDomainXMLProp(node, "statematch");
    virNWFilterRuleDef *rule = g_new0(virNWFilterRuleDef, 1);
    int found = -1;
    int p;

    if (!action) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "rule node requires action attribute");
        goto error;
    }
    if ((rule->action = enumFromString(actionNames, G_N_ELEMENTS(actionNames), action)) <
        0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "unknown rule action attribute value");
        goto error;
    }
    if (!direction) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "rule node requires direction attribute");
        goto error;
    }
    if ((rule->direction = enumFromString(directionNames, G_N_ELEMENTS(directionNames),
                                          direction)) < 0) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "unknown rule direction attribute value");
        goto error;
    }
    /* an unreadable or out of range priority is ignored, as libvirt does */
    rule->priority = NWF_RULE_PRIO_MAX / 2;
    if (prio && virNWFilterParseInt(prio, &p) == 0 && p >= NWF_RULE_PRIO_MIN &&
        p <= NWF_RULE_PRIO_MAX)
        rule->priority = p;
    if (statematch &&
        (g_str_equal(statematch, "0") || g_ascii_strcasecmp(statematch, "false") == 0))
        rule->noStateMatch = true;

    /* the first protocol element decides; later ones of the same protocol
     * add to it, others are ignored */
    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        int i;

        if (cur->type != XML_ELEMENT_NODE)
            continue;
        i = virNWFilterProtocolFromElement((const char *)cur->name);
        if (found >= 0 && i != found)
            i = -1;
        if (i < 0) {
            if (flags & VIR_NWFILTER_PARSE_VALIDATE) {
                virNWFilterReportSchema("rule", (const char *)cur->name, false);
                goto error;
            }
            continue;
        }
        found = i;
        rule->protocol = i;
        if (virNWFilterRuleDetailsParse(cur, rule, flags) < 0 || ruleValidate(rule) < 0)
            goto error;
    }
    ruleFixup(rule);
    return rule;

error:
    ruleFree(rule);
    return NULL;
}

/* The prefix @chain starts with, or NULL after reporting (as libvirt: a
 * name starting "root" but longer fails with no message). */
static const char *
chainPrefix(const char *chain, int *priority)
{
    g_autoptr(GString) msg = NULL;

    if (strlen(chain) > NWF_MAX_CHAIN) {
        virReportError(VIR_ERR_INVALID_ARG, "Name of chain is longer than %u characters",
                       NWF_MAX_CHAIN);
        return NULL;
    }
    if (chain[strspn(chain, NWF_CHAIN_CHARS)] != '\0') {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "Chain name contains invalid characters");
        return NULL;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(chainPrefixes); i++) {
        if (i == 0) {
            if (g_str_equal(chain, "root")) {
                *priority = 0;
                return "root";
            }
            if (g_str_has_prefix(chain, "root")) {
                /* libvirt reports nothing here; its client then says this */
                virSetErrorRaw(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, VIR_ERR_ERROR,
                               "An error occurred, but the cause is unknown", NULL, NULL,
                               NULL, 0, 0);
                return NULL;
            }
            continue;
        }
        if (g_str_has_prefix(chain, chainPrefixes[i].prefix)) {
            *priority = chainPrefixes[i].priority;
            return chainPrefixes[i].prefix;
        }
    }
    msg = g_string_new(NULL);
    g_string_append_printf(
        msg,
        "Invalid chain name '%s'. Please use a chain name called 'root' "
        "or any of the following prefixes: ",
        chain);
    for (size_t i = 1; i < G_N_ELEMENTS(chainPrefixes); i++)
        g_string_append_printf(msg, "%s%s", i > 1 ? ", " : "", chainPrefixes[i].prefix);
    virReportError(VIR_ERR_INVALID_ARG, "%s", msg->str);
    return NULL;
}

/* An attribute's value, NULL when absent or empty (XPath's string()). */
static char *
propNonEmpty(xmlNodePtr node, const char *name)
{
    char *v = virDomainXMLProp(node, name);

    if (v && !*v)
        g_clear_pointer(&v, g_free);
    return v;
}

static virNWFilterDef *
parseRoot(xmlNodePtr root, unsigned int flags)
{
    g_autoptr(virNWFilterDef) def = g_new0(virNWFilterDef, 1);
    g_autofree char *prio = NULL;
    g_autofree char *chain = NULL;
    int priority = 0;
    int defaultPriority = 0;
    xmlNodePtr uuidNode;

    if (!root || !virDomainXMLNodeIs(root, "filter")) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "expecting root element of 'filter', not '%s'",
                           root ? (const char *)root->name : "");
        return NULL;
    }
    def->entries = g_ptr_array_new_with_free_func(entryFree);
    if (!(def->name = propNonEmpty(root, "name"))) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "filter has no name");
        return NULL;
    }
    if ((prio = propNonEmpty(root, "priority"))) {
        if (virNWFilterParseInt(prio, &priority) < 0) {
            virReportError(VIR_ERR_INVALID_ARG, "Could not parse chain priority '%s'",
                           prio);
            return NULL;
        }
        if (priority < NWF_RULE_PRIO_MIN || priority > NWF_RULE_PRIO_MAX) {
            virReportError(VIR_ERR_INVALID_ARG,
                           "Priority '%d' is outside valid range of [%d,%d]", priority,
                           NWF_RULE_PRIO_MIN, NWF_RULE_PRIO_MAX);
            return NULL;
        }
    }
    if ((chain = propNonEmpty(root, "chain"))) {
        if (!chainPrefix(chain, &defaultPriority))
            return NULL;
        def->chain = g_steal_pointer(&chain);
        def->chainPriority = prio ? priority : defaultPriority;
    } else {
        /* as libvirt: without a chain, a priority is checked and dropped */
        def->chain = g_strdup("root");
    }

    uuidNode = virDomainXMLChild(root, "uuid");
    {
        g_autofree char *uuid = uuidNode ? virDomainXMLNodeText(uuidNode) : NULL;

        if (!uuid || !*uuid) {
            virUUIDGenerate(def->uuid);
        } else {
            if (virUUIDParse(uuid, def->uuid) < 0) {
                virReportError(VIR_ERR_XML_ERROR, "%s", "malformed uuid element");
                return NULL;
            }
            def->uuidSpecified = true;
        }
    }

    for (xmlNodePtr cur = root->children; cur; cur = cur->next) {
        virNWFilterEntry *entry;

        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (virDomainXMLNodeIs(cur, "rule")) {
            virNWFilterRuleDef *rule = ruleParse(cur, flags);

            if (!rule)
                return NULL;
            entry = g_new0(virNWFilterEntry, 1);
            entry->rule = rule;
            g_ptr_array_add(def->entries, entry);
        } else if (virDomainXMLNodeIs(cur, "filterref")) {
            g_autofree char *filter = virDomainXMLProp(cur, "filter");

            if (!filter) {
                /* sic: libvirt's message for a <filterref> without filter= */
                virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                               "rule node requires action attribute");
                return NULL;
            }
            if (flags & VIR_NWFILTER_PARSE_VALIDATE) {
                for (xmlNodePtr p = cur->children; p; p = p->next) {
                    if (p->type == XML_ELEMENT_NODE &&
                        !virDomainXMLNodeIs(p, "parameter")) {
                        virNWFilterReportSchema("filterref", (const char *)p->name,
                                                false);
                        return NULL;
                    }
                }
            }
            entry = g_new0(virNWFilterEntry, 1);
            entry->filterref = g_steal_pointer(&filter);
            entry->params = virNWFilterParamsParse(cur);
            g_ptr_array_add(def->entries, entry);
        } else if ((flags & VIR_NWFILTER_PARSE_VALIDATE) &&
                   !virDomainXMLNodeIs(cur, "uuid")) {
            virNWFilterReportSchema("filter", (const char *)cur->name, false);
            return NULL;
        }
    }
    return g_steal_pointer(&def);
}

/* virDomainXMLReadDoc reports syntax errors in the DOMAIN error domain;
 * libvirt reports a filter document's in NWFILTER. */
static void
rewrapError(void)
{
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    if (saved) {
        virSetErrorRaw(saved->domain == VIR_FROM_DOMAIN ? VIR_FROM_NWFILTER
                                                        : saved->domain,
                       saved->code, saved->level, saved->message, saved->str1,
                       saved->str2, saved->str3, saved->int1, saved->int2);
        virFreeError(saved);
    }
}

static virNWFilterDef *
parseBuffer(const char *xml, size_t len, const char *url, unsigned int flags)
{
    xmlDocPtr doc;
    virNWFilterDef *def;

    if (len > NWFILTER_XML_MAX_SIZE) {
        virReportError(VIR_ERR_XML_ERROR,
                       "document of %zu bytes exceeds the limit of %d bytes", len,
                       NWFILTER_XML_MAX_SIZE);
        return NULL;
    }
    if (!(doc = virDomainXMLReadDoc(xml, len, url))) {
        rewrapError();
        return NULL;
    }
    def = parseRoot(xmlDocGetRootElement(doc), flags);
    xmlFreeDoc(doc);
    return def;
}

virNWFilterDef *
virNWFilterDefParseString(const char *xml, unsigned int flags)
{
    return parseBuffer(xml, strlen(xml), "(nwfilter_definition)", flags);
}

virNWFilterDef *
virNWFilterDefParseFile(const char *path)
{
    g_autofree char *buf = NULL;
    ssize_t len;

    if ((len = virFileReadAll(path, NWFILTER_XML_MAX_SIZE, &buf)) < 0)
        return NULL;
    return parseBuffer(buf, len, path, 0);
}

/* ---- formatting ---------------------------------------------------------- */
static void
formatRule(GString *buf, const virNWFilterRuleDef *rule)
{
    gsize len;

    g_string_append_printf(buf, "  <rule action='%s' direction='%s' priority='%d'",
                           actionNames[rule->action], directionNames[rule->direction],
                           rule->priority);
    if (rule->noStateMatch)
        g_string_append(buf, " statematch='false'");
    len = buf->len;
    g_string_append(buf, ">\n");
    if (virNWFilterRuleDetailsFormat(buf, rule)) {
        g_string_append(buf, "  </rule>\n");
        return;
    }
    g_string_truncate(buf, len);
    g_string_append(buf, "/>\n");
}

char *
virNWFilterDefFormat(const virNWFilterDef *def)
{
    GString *buf = g_string_new("<filter name='");
    char uuid[VIR_UUID_STRING_BUFLEN];

    virDomainXMLEscape(buf, def->name);
    g_string_append_printf(buf, "' chain='%s'", def->chain);
    if (def->chainPriority != 0)
        g_string_append_printf(buf, " priority='%d'", def->chainPriority);
    g_string_append(buf, ">\n");
    virUUIDFormat(def->uuid, uuid);
    g_string_append_printf(buf, "  <uuid>%s</uuid>\n", uuid);
    for (guint i = 0; i < def->entries->len; i++) {
        const virNWFilterEntry *entry = def->entries->pdata[i];

        if (entry->rule)
            formatRule(buf, entry->rule);
        else
            virNWFilterParamsFormat(buf, 2, entry->filterref, entry->params);
    }
    g_string_append(buf, "</filter>\n");
    return g_string_free(buf, FALSE);
}
