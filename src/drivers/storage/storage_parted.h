/* storage_parted.h: the partition table of a disk as parted(8) prints it, parsed */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef enum {
    VIR_STORAGE_PART_PRIMARY = 0, /* a gpt partition is primary */
    VIR_STORAGE_PART_LOGICAL,
    VIR_STORAGE_PART_EXTENDED,
    VIR_STORAGE_PART_FREE,
} virStoragePartKind;

typedef struct {
    int num;                  /* partition number; 0 for free space */
    unsigned long long start; /* first byte */
    unsigned long long end;   /* one past the last byte */
    virStoragePartKind kind;
} virStoragePart;

typedef struct {
    unsigned long long size; /* the device's size in bytes */
    char *label;             /* parted's table type (msdos, gpt, loop ...) */
    GArray *parts;           /* virStoragePart, in parted's order */
    /* BIOS geometry (from "unit chs print"; 0 when not read) */
    unsigned int cylinders, heads, sectors;
} virStoragePartTable;

void virStoragePartTableFree(virStoragePartTable *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virStoragePartTable, virStoragePartTableFree);

/*
 * Parse the output of `LC_ALL=C parted -s DEV unit B print free` (a
 * table: "Disk DEV: NB", "Partition Table: X", then the rows after the
 * "Number" header; msdos rows carry a Type column). Untrusted text: any
 * line it cannot read makes it fail. Returns the table, or NULL (nothing
 * reported: the caller says what failed).
 */
virStoragePartTable *virStoragePartTableParse(const char *text);

/* Read "BIOS cylinder,head,sector geometry: C,H,S." from the output of
 * `parted -s DEV unit chs print` into @t. false when absent or bad. */
bool virStoragePartTableParseGeometry(virStoragePartTable *t, const char *text);
