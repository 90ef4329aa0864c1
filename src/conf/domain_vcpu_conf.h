/* domain_vcpu_conf.h: <vcpus>, the state of each vCPU of a domain definition */
#pragma once

#include "domain_conf.h"

/*
 * libvirt's individual vCPU states (its def->individualvcpus): present in
 * a definition (def->vcpuStates, def->vcpus entries) only when it has a
 * <vcpus> element or a vCPU was changed one by one (virDomainSetVcpu).
 * Without it vCPUs 0..current-1 are online and not hotpluggable, the rest
 * offline and hotpluggable. With it def->vcpusCurrent is kept equal to the
 * number of online entries, so that virDomainDefGetVcpus counts right.
 */
typedef struct _virDomainVcpuState {
    bool online;
    int hotpluggable;   /* virDomainTristate: absent, yes (ON), no (OFF) */
    unsigned int order; /* 0: none */
} virDomainVcpuState;

/* <vcpus> under @root into @def (whose maximum is already parsed), as
 * libvirt's virDomainVcpuParse: id (below the maximum) and enabled
 * required, hotpluggable and order optional; vCPUs not listed are
 * offline. XML_ERROR with libvirt's texts; 0 when there is no <vcpus>. */
int virDomainVcpusParse(virDomainDef *def, xmlNodePtr root);
/* libvirt's generic post-parse (virDomainVcpuDefPostParse): an absent
 * hotpluggable is "no" for online vCPUs, "yes" for offline ones; offline
 * and not hotpluggable is CONFIG_UNSUPPORTED. */
int virDomainVcpusPostParse(virDomainDef *def);
/* The <vcpus> element at @indent (nothing without states). */
void virDomainVcpusFormat(GString *buf, int indent, const virDomainDef *def);
/* Gives @def states from its count when it has none (as libvirt's
 * defaults), so that one vCPU can be changed. */
void virDomainVcpuStatesEnsure(virDomainDef *def);
/* Whether vCPU @i is online / hotpluggable, with or without states. */
bool virDomainDefVcpuOnline(const virDomainDef *def, unsigned int i);
bool virDomainDefVcpuHotpluggable(const virDomainDef *def, unsigned int i);
/* Sets vCPU @i online or offline (states made first), the count follows. */
void virDomainDefSetVcpuOnline(virDomainDef *def, unsigned int i, bool online);
/* libvirt's qemuDomainVcpuPersistOrder for x86: each online vCPU's order
 * is its rank among the online ones, offline ones have none. */
void virDomainVcpuStatesOrderFromOnline(virDomainDef *def);
