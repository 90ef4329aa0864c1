/* nwfilter_conf_priv.h: between the <filter> parser (nwfilter_conf.c) and
 * the protocol elements of its rules (nwfilter_rule_conf.c); not for other
 * files */
#pragma once

#include <stdbool.h>

#include <glib.h>
#include <libxml/tree.h>

#include "nwfilter_conf.h"

/* libvirt's virStrToLong_i over the whole of @s: 0 and *@out, or -1. */
int virNWFilterParseInt(const char *s, int *out);

/* Reports libvirt's schema failure for @element: an attribute @extra it
 * does not take (@attr) or a child element @extra. */
void virNWFilterReportSchema(const char *element, const char *extra, bool attr);

/* The protocol (virNWFilterRuleProtocol) of the rule child element
 * @element, or -1 when no protocol has that element. */
int virNWFilterProtocolFromElement(const char *element);

/* The attributes of @node, the element of @rule->protocol, into @rule's
 * items (under VIR_NWFILTER_PARSE_VALIDATE an unknown attribute is a schema
 * error). 0, or -1 after reporting an illegal value. */
int virNWFilterRuleDetailsParse(xmlNodePtr node, virNWFilterRuleDef *rule,
                                unsigned int flags);

/* Appends @rule's protocol element(s) to @buf; false when the rule has no
 * protocol element (nothing appended). */
bool virNWFilterRuleDetailsFormat(GString *buf, const virNWFilterRuleDef *rule);
