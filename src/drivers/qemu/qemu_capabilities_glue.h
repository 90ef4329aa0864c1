/* qemu_capabilities_glue.h: the QEMU driver's narrow view of the monitor, command line and capabilities modules */
#pragma once

/*
 * The lifecycle code (qemu_process.c, qemu_driver_*.c) reaches the QMP
 * client, the command-line builder and the capabilities probe only
 * through these functions, implemented in qemu_capabilities_glue.c on top
 * of qemu_monitor.h, qemu_command.h and qemu_capabilities.h.
 */

#include <json-c/json.h>

#include "qemu_conf.h"
#include "qemu_domain.h"

/* Called on the monitor's I/O thread for each QMP event (@data may be
 * NULL) and once at EOF. They must not block. */
typedef void (*qemuGlueEventFunc)(qemuMonitor *mon, const char *name,
                                  json_object *data, void *opaque);
typedef void (*qemuGlueEOFFunc)(qemuMonitor *mon, void *opaque);

/* Greeting + qmp_capabilities on connected @fd (taken over, also on
 * failure) within @timeout_ms. NULL with an error reported. */
qemuMonitor *qemuGlueMonitorOpen(int fd, unsigned int timeout_ms, qemuGlueEventFunc event,
                                 qemuGlueEOFFunc eof, void *opaque);
/* Close; no callback runs after it returns. Blocks only briefly. */
void qemuGlueMonitorClose(qemuMonitor *mon);
/* A command without arguments. 0 or -1 (error reported: QMP error,
 * OPERATION_TIMEOUT, or EOF). */
int qemuGlueMonitorCommand(qemuMonitor *mon, const char *cmd, unsigned int timeout_ms);
/* query-status: *status is QEMU's "status" string. */
int qemuGlueMonitorQueryStatus(qemuMonitor *mon, unsigned int timeout_ms, char **status);

/* Fill in the driver defaults of @def (emulator, machine alias) and check
 * it can run here (virt type against the KVM boot probe). *version gets
 * QEMU's version string ("7.2.0"). 0 or -1 with an error reported. */
int qemuGluePrepareForStart(qemuDriver *driver, virDomainDef *def, char **version);

/* The argv for @def with the monitor listening on @monfd. NULL on error. */
char **qemuGlueBuildArgv(qemuDriver *driver, virDomainDef *def, int monfd);

int qemuGlueGetQemuVersion(qemuDriver *driver, unsigned long *version);
char *qemuGlueGetCapabilitiesXML(qemuDriver *driver);
void qemuGlueCapsFree(void *caps);
