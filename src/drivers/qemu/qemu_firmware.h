/* qemu_firmware.h: firmware autoselection from QEMU's firmware descriptors, and NVRAM */
#pragma once

#include "domain_conf.h"

/* Where QEMU's firmware descriptors are looked for, highest priority first
 * (a file of the same name in an earlier directory overrides, an empty one
 * masks): NULL-terminated. */
extern const char *const qemuFirmwareDefaultDirs[];

/*
 * Resolve the firmware of @def (the live copy of a domain being started),
 * as libvirt 9.0's qemuFirmwareFillDomain: <os firmware='efi|bios'> picks
 * the first descriptor (by file name across @dirs) whose interface, target
 * (x86_64 and a machine pattern matching def->os.machine) and features
 * agree with the definition (<firmware> secure-boot/enrolled-keys, smm
 * off, loader secure=); the loader, its type and read-only flag, the NVRAM
 * template and the features it requires (smm, secure) are filled in and
 * the firmware attribute is cleared, as libvirt's live XML shows. A pflash
 * loader given by path gets the template its descriptor names, and a
 * read-only one without <nvram> @nvramDir/NAME_VARS.fd.
 * Nothing to do for a definition without firmware or loader.
 * 0, or -1 with libvirt's error (OPERATION_FAILED "Unable to find any
 * firmware to satisfy '%s'").
 */
int qemuFirmwareFillDomain(virDomainDef *def, const char *const *dirs,
                           const char *nvramDir);

/* The descriptors under @dirs that target @machine (a canonical name) of
 * guest architecture @arch ("x86_64", "i686"):
 * their executables appended to @loaders (new strings, each once, in
 * descriptor order), whether one implements UEFI / BIOS, whether one
 * requires SMM (a secure-boot build). For domain capabilities. */
void qemuFirmwareListForMachine(const char *const *dirs, const char *arch,
                                const char *machine, GPtrArray *loaders, bool *efi,
                                bool *bios, bool *secure);

/* @nvramDir/NAME_VARS.fd: the NVRAM libvirt gives a domain by default. */
char *qemuFirmwareNVRAMPath(const char *nvramDir, const char *name);

/* libvirt's define-time default: a read-only pflash loader without
 * <nvram> gets @nvramDir/NAME_VARS.fd. */
void qemuFirmwareDefaultNVRAM(virDomainDef *def, const char *nvramDir);

/*
 * Create @def's NVRAM file (filled by qemuFirmwareFillDomain) from its
 * template when it does not exist yet (mode 0600). 0, or -1 with libvirt's
 * error ("unable to find any master var store for loader: %s" when no
 * template is known).
 */
int qemuFirmwarePrepareNVRAM(const virDomainDef *def);
