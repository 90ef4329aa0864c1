/* domain_stop_policy.h: virtkit's per-domain lifecycle policy in <metadata> (stop ladder, kill grace, host shutdown) */
#pragma once

#include "domain_conf.h"

/*
 * virtkit's lifecycle policy lives in the definition's <metadata>, in
 * virtkit's namespace, one element (libvirt keeps one element per
 * namespace in <metadata>, verbatim, so dumpxml round-trips it):
 *
 *   <metadata>
 *     <virtkit:lifecycle xmlns:virtkit='http://virtkit.invalid/xmlns/lifecycle/1'
 *                        destroy-grace-period='10'>
 *       <virtkit:stop deadline='60' acpi-share='60' acpi-interval='2' kill='yes'/>
 *       <virtkit:host-shutdown action='shutdown' priority='10' parallel='2'/>
 *     </virtkit:lifecycle>
 *   </metadata>
 *
 * Every attribute is optional. destroy-grace-period: seconds between
 * SIGTERM and SIGKILL in destroy (0..3600). stop: vkDomainStop's ladder
 * with VK_STOP_USE_DEFINITION: deadline in seconds (1..86400), acpi-share
 * in percent of it (0..100), acpi-interval between presses in seconds
 * (1..3600), kill yes|no (SIGKILL at the deadline). host-shutdown: what
 * the host's shutdown does to the guest (shutdown|save|destroy|none), its
 * priority (-1000..1000, higher first) and how many guests of its priority
 * may be handled at once (1..64; a level takes the smallest its guests ask
 * for, else the daemon's --host-shutdown-parallel).
 */

#define VIR_DOMAIN_VIRTKIT_LIFECYCLE_NS "http://virtkit.invalid/xmlns/lifecycle/1"

typedef enum {
    VIR_DOMAIN_HOST_SHUTDOWN_UNSET = 0,
    VIR_DOMAIN_HOST_SHUTDOWN_SHUTDOWN,
    VIR_DOMAIN_HOST_SHUTDOWN_SAVE,
    VIR_DOMAIN_HOST_SHUTDOWN_DESTROY,
    VIR_DOMAIN_HOST_SHUTDOWN_NONE,
} virDomainHostShutdownAction;

/* Each member -1 (or UNSET) when the definition does not set it. */
typedef struct {
    int killGraceSec;    /* destroy-grace-period */
    int deadlineSec;     /* stop deadline */
    int acpiShare;       /* percent */
    int acpiIntervalSec; /* between presses */
    int allowKill;       /* 1 yes, 0 no */
    int hostShutdown;    /* virDomainHostShutdownAction */
    bool hasPriority;
    int priority;
    int hostShutdownParallel; /* guests of this priority at once */
} virDomainStopPolicy;

/* Read @def's policy into @pol (all unset when there is none). 0, or -1
 * with VIR_ERR_XML_ERROR (domain VIR_FROM_DOMAIN) naming the attribute and
 * its value when one is not valid. */
int virDomainStopPolicyFromDef(const virDomainDef *def, virDomainStopPolicy *pol);

const char *virDomainHostShutdownActionToString(int action);
