/* qemu_tpm.h: <tpm> devices: their rules, command line, and the swtpm behind an emulator one */
#pragma once

#include "domain_obj.h"
#include "qemu_conf.h"

/*
 * libvirt 9.0's TPM for the QEMU driver on x86:
 * - models tpm-tis (the default) and tpm-crb; backends passthrough,
 *   emulator and external (the last two only where Debian's swtpm is
 *   installed, as libvirt's virTPMHasSwtpm); an emulator's version 1.2 or
 *   2.0 as swtpm_setup --print-capabilities says (default 2.0 for tpm-crb,
 *   1.2 otherwise).
 * - An emulator TPM is a swtpm the daemon runs for the guest, as libvirt's
 *   qemu_tpm.c does, with our paths:
 *   state   <daemon state dir>/swtpm/<uuid>/tpm2 (or tpm1.2), made (0700,
 *           owned by the QEMU user) and manufactured by swtpm_setup on the
 *           first start (EK, certificates from a local CA whose
 *           configuration swtpm_setup --create-config-files writes under
 *           <daemon state dir>/swtpm-localca, NVRAM locked), kept across
 *           stops and daemon restarts; removed at undefine unless
 *           persistent_state='yes' or VIR_DOMAIN_UNDEFINE_KEEP_TPM (and
 *           with persistent_state only on VIR_DOMAIN_UNDEFINE_TPM), and
 *           when a transient domain stops (libvirt's rule);
 *   socket  <the domain's run directory>/<alias>-swtpm.sock, the control
 *           channel QEMU's -chardev connects to;
 *   log     <log dir>/<name>-swtpm.log (swtpm_setup's and swtpm's output,
 *           handed over as a descriptor);
 *   pid     <run state dir>/<id>-<name>-swtpm.pid.
 *   swtpm and swtpm_setup run as the QEMU user (who owns the state) when
 *   QEMU runs as its own, with no capability, in their own session;
 *   <active_pcr_banks> is applied with swtpm_setup --reconfigure before
 *   each start, <encryption secret> hands the secret's value over pipes
 *   (--pwdfile-fd, --key/--migration-key pwdfd=N, aes-256-cbc).
 *   swtpm is our child, watched through a pidfd: it ends by itself when
 *   QEMU goes (--terminate), is ended (SIGTERM, then SIGKILL) and reaped
 *   when the guest stops, and is adopted from its pid file by a restarted
 *   daemon once its command line proves it is ours.
 * - A passthrough TPM opens the host device at command-line time as
 *   libvirt does: without it, "Could not open TPM device ..." (SYSTEM_ERROR).
 *
 * Threads: start, stop and cleanup run in API threads with the domain
 * object locked and a job held; their waits on swtpm_setup and swtpm are
 * bounded. The exit watch runs on the driver's ioContext and touches only
 * its own reference-counted record.
 */

/* libvirt's qemuDomainTPMDefPostParse: the default model and version. */
void qemuTPMDefPostParse(virDomainDef *def);

/* libvirt's TPM rules of the QEMU driver (qemuValidateDomainDefTPMs and
 * qemuValidateDomainDeviceDefTPM) and the generic ones after them, for
 * @emulator (the binary's path, for the messages). 0, or -1 with
 * libvirt's error. */
int qemuTPMValidate(const virDomainDef *def, const char *emulator);

/* Whether swtpm, swtpm_setup and swtpm_ioctl are on PATH, and which TPM
 * versions swtpm_setup can manufacture (probed once). */
bool qemuTPMHasSwtpm(void);
bool qemuTPMSwtpmHasVersion(int version);

/* -chardev/-tpmdev/-device of each TPM of @def appended to @argv, as
 * libvirt 9.0 (after the consoles); @libDir the domain's run directory
 * (the emulator's socket). -1 with libvirt's error (a passthrough device
 * that cannot be opened). */
int qemuBuildTPMs(GPtrArray *argv, const virDomainDef *def, const char *libDir);

/* The emulator socket of @tpm in @libDir. Caller frees. */
char *qemuTPMSocketPath(const char *libDir, const virDomainTPMDef *tpm);

/* Start the swtpm of every emulator TPM of running-to-be @obj (aliases
 * set, priv->libDir made): manufacture its state when new, reconfigure
 * its PCR banks, start it and wait for its socket. 0, or -1 with libvirt's
 * error and nothing left running (state made by this call removed). */
int qemuTPMStartAll(qemuDriver *driver, virDomainObj *obj);

/* End the swtpm of @obj if one runs (it normally ends with QEMU), reap
 * it, remove its socket and pid file; a stopping transient domain's state
 * goes too (libvirt's). Quiet: the last error is kept. */
void qemuTPMStopAll(qemuDriver *driver, virDomainObj *obj);

/* A restarted daemon adopts the swtpm of running @obj from its pid file. */
void qemuTPMReconnect(qemuDriver *driver, virDomainObj *obj);

/* The pid of the swtpm serving @obj, or 0. */
pid_t qemuTPMGetPid(virDomainObj *obj);

/* Undefine of @def (inactive, or a running domain when it stops):
 * remove the emulator state as libvirt's qemuTPMEmulatorCleanupHost
 * decides from persistent_state and VIR_DOMAIN_UNDEFINE_TPM/KEEP_TPM in
 * @flags. */
void qemuTPMCleanupStorage(qemuDriver *driver, const virDomainDef *def,
                           unsigned int flags);

/* The directory holding @def's emulator state (<base>/swtpm/<uuid>).
 * Caller frees. */
char *qemuTPMStorageDir(qemuDriver *driver, const unsigned char *uuid);
