/* qemu_domcaps.h: the domain capabilities XML (virConnectGetDomainCapabilities) of a QEMU binary */
#pragma once

#include "qemu_capabilities.h"

/*
 * libvirt 9.0's <domainCapabilities> layout for @caps, @machine (a
 * canonical name QEMU has) and @virtType (qemu, or kvm when usable). What
 * it lists is what virtkit accepts, not what libvirt would: every enum
 * value of a device, feature or OS section is tried as a small definition
 * through the domain parser, the QEMU post-parse and qemuValidateDomainDef,
 * and listed only when they take it (a section none of whose values is
 * accepted is supported='no'); firmware and loader values come from the
 * descriptors under @fwDirs (qemu_firmware.h) for @machine; CPU models from
 * query-cpu-definitions (usable = nothing TCG lacks), host-passthrough
 * only under KVM, host-model with its expansion (qemu_cpu.h). @arch is the
 * guest architecture shown and tried ("x86_64", "i686"). Pure apart from
 * reading the firmware descriptors; leaves no error set. A new string.
 */
char *qemuDomainCapsFormat(const qemuCaps *caps, const char *const *fwDirs,
                           const char *arch, const char *machine, int virtType,
                           bool kvmUsable);
