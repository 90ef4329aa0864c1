/* backup_conf.h: domain backup definitions (<domainbackup> XML) */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "domain_conf.h"

typedef enum {
    VIR_DOMAIN_BACKUP_TYPE_DEFAULT = 0,
    VIR_DOMAIN_BACKUP_TYPE_PUSH,
    VIR_DOMAIN_BACKUP_TYPE_PULL,
    VIR_DOMAIN_BACKUP_TYPE_LAST
} virDomainBackupType;

/* A disk's progress (libvirt's names; what the driver keeps, never in the
 * public XML) */
typedef enum {
    VIR_DOMAIN_BACKUP_DISK_STATE_NONE = 0,
    VIR_DOMAIN_BACKUP_DISK_STATE_RUNNING,
    VIR_DOMAIN_BACKUP_DISK_STATE_COMPLETE,
    VIR_DOMAIN_BACKUP_DISK_STATE_FAILED,
    VIR_DOMAIN_BACKUP_DISK_STATE_CANCELLING,
    VIR_DOMAIN_BACKUP_DISK_STATE_CANCELLED,
    VIR_DOMAIN_BACKUP_DISK_STATE_LAST
} virDomainBackupDiskState;

typedef enum {
    VIR_DOMAIN_BACKUP_DISK_BACKUP_MODE_DEFAULT = 0,
    VIR_DOMAIN_BACKUP_DISK_BACKUP_MODE_FULL,
    VIR_DOMAIN_BACKUP_DISK_BACKUP_MODE_INCREMENTAL,
    VIR_DOMAIN_BACKUP_DISK_BACKUP_MODE_LAST
} virDomainBackupDiskBackupMode;

typedef enum {
    VIR_DOMAIN_BACKUP_TRANSPORT_TCP = 0,
    VIR_DOMAIN_BACKUP_TRANSPORT_UNIX,
} virDomainBackupTransport;

typedef struct {
    char *name;         /* the disk's target */
    bool backup;        /* false: backup='no' */
    int backupmode;     /* virDomainBackupDiskBackupMode */
    char *incremental;  /* checkpoint name, or NULL */
    char *exportname;   /* pull only */
    char *exportbitmap; /* pull only */
    /* the target (push) or scratch (pull) image: hasStore false when the
     * disk has none (backup='no', or not yet chosen) */
    bool hasStore;
    int storeType;           /* virDomainDiskType: FILE or BLOCK */
    int storeFormat;         /* virStorageFormat, NONE when not given */
    char *storePath;         /* NULL when not given */
    unsigned int storeIndex; /* the store's node index in QEMU (index=), 0: none */
    int state;               /* virDomainBackupDiskState (driver only) */
} virDomainBackupDiskDef;

typedef struct {
    int type;          /* virDomainBackupType: PUSH or PULL after parsing */
    char *incremental; /* checkpoint name, or NULL */
    bool hasServer;    /* pull: <server> */
    int transport;     /* virDomainBackupTransport */
    char *serverName;  /* tcp */
    unsigned int port; /* tcp; 0: none */
    char *socket;      /* unix */
    int tls;           /* virTristateBool-like: 0 absent, 1 yes, 2 no */
    size_t ndisks;
    virDomainBackupDiskDef *disks;
} virDomainBackupDef;

void virDomainBackupDefFree(virDomainBackupDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainBackupDef, virDomainBackupDefFree);

const char *virDomainBackupTypeToString(int type);

/*
 * Parse a <domainbackup> document as libvirt 9.0 does (domainbackup.rng
 * then backup_conf.c): syntax errors XML_DETAIL "(domain_backup):LINE: ..."
 * (DOMAIN); a wrong root XML_ERROR "expecting root element of
 * 'domainbackup', not 'X'" (XML); what the schema refuses (an unknown
 * element or attribute, a bad mode, backupmode, backup or type value, a
 * relative target path, a <server> in push mode, a push disk without
 * type=) XML_INVALID_SCHEMA (XML) "Unable to validate doc against
 * .../domainbackup.rng" and a detail line. A disk with backup='no' keeps
 * only its name. Returns a new def or NULL with the error reported.
 */
virDomainBackupDef *virDomainBackupDefParseString(const char *xml);

/* libvirt's layout (two-space indents): mode, incremental, server, every
 * disk with backup='yes|no', type, backupmode, incremental, exportname,
 * exportbitmap, index, then <driver> and <target>/<scratch>. A new
 * string; never fails. */
char *virDomainBackupDefFormat(const virDomainBackupDef *def);

/*
 * libvirt's virDomainBackupAlignDisks: one entry per disk of @dom (the
 * requested ones first, in request order, then the others), the named
 * disks checked, a target file "<disk source>.<suffix>" chosen for a file
 * disk that has none; without <disks>, every writable disk with a source
 * is backed up; a disk's mode is incremental when it or the backup names
 * a checkpoint, otherwise full. 0, or -1 with libvirt's CONFIG_UNSUPPORTED
 * error ("domain must have at least one disk to perform backup", "no disk
 * named 'X'", "disk 'X' specified twice", "'incremental' backup mode of
 * disk 'X' requires setting 'incremental' field for disk or backup",
 * "disk 'X' has no media", "refusing to generate file name for disk
 * 'X'") and @def unchanged.
 */
int virDomainBackupAlignDisks(virDomainBackupDef *def, const virDomainDef *dom,
                              const char *suffix);
