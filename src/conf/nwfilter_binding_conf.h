/* nwfilter_binding_conf.h: the <filterbinding> XML of network filter bindings (libvirt 9.0's checks, messages and layout) */
#pragma once

#include <stdbool.h>

#include <libvirt/libvirt.h>

#include "nwfilter_params.h"

/*
 * A binding ties one filter (and its parameters) to one guest interface:
 * its owner (the guest's name and UUID), the host side of the interface
 * (portdev: the tap), an optional link device, and the guest's MAC.
 */
typedef struct {
    char *ownername;
    unsigned char owneruuid[VIR_UUID_BUFLEN];
    char *portdevname;
    char *linkdevname; /* or NULL */
    unsigned char mac[6];
    char *filter;
    virNWFilterParams *filterparams; /* never NULL */
} virNWFilterBindingDef;

void virNWFilterBindingDefFree(virNWFilterBindingDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNWFilterBindingDef, virNWFilterBindingDefFree)

/* Parse a <filterbinding> document as libvirtd does. NULL with libvirt's
 * error: XML_DETAIL (domain NWFILTER) for a document that does not parse,
 * XML_ERROR "unknown root element for nwfilter binding", INTERNAL_ERROR
 * "filter binding has no port dev name" (link dev name, owner name, owner
 * UUID, MAC address, filter reference), "Unable to parse UUID '%s'",
 * "Unable to parse MAC '%s'". @validate: also refuse unknown elements and
 * attributes (XML_INVALID_SCHEMA), as libvirt's schema does. */
virNWFilterBindingDef *virNWFilterBindingDefParseString(const char *xml, bool validate);
/* The same from a file (its path is the XML "URL" in errors). */
virNWFilterBindingDef *virNWFilterBindingDefParseFile(const char *path);

/* The document as libvirtd formats it (never fails). */
char *virNWFilterBindingDefFormat(const virNWFilterBindingDef *def);

/* libvirt's virMacAddrParse: six hex bytes of one or two digits separated
 * by ':' (or '-'); false if malformed. */
bool virNWFilterMACParse(const char *str, unsigned char *mac);
