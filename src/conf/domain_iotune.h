/* domain_iotune.h: a disk's <iotune> as virDomainSet/GetBlockIoTune's typed parameters, and the rules every driver shares (domain_iotune.c) */
#pragma once

#include <libvirt/libvirt.h>

#include "domain_conf.h"

/* libvirt's ceiling on every limit (QEMU_BLOCK_IOTUNE_MAX, and the test
 * driver's TEST_BLOCK_IOTUNE_MAX: the same 10^15) */
#define VIR_DOMAIN_BLOCK_IOTUNE_MAX 1000000000000000ULL

/* The parameters in libvirt's order (the Get answer's): the six limits,
 * their six _max, size_iops_sec (ULLONG), group_name (STRING), the six
 * _max_length (ULLONG). NULL-terminated names, their types. */
#define VIR_DOMAIN_BLOCK_IOTUNE_NPARAMS 20
extern const char
    *const virDomainBlockIoTuneParamNames[VIR_DOMAIN_BLOCK_IOTUNE_NPARAMS + 1];
extern const int virDomainBlockIoTuneParamTypes[VIR_DOMAIN_BLOCK_IOTUNE_NPARAMS];

/* The families a Set names (libvirt's qemuBlockIoTuneSetFlags): a family
 * named is replaced as a whole, one not named keeps its values. */
typedef enum {
    VIR_DOMAIN_IOTUNE_SET_BYTES = 1 << 0,
    VIR_DOMAIN_IOTUNE_SET_IOPS = 1 << 1,
    VIR_DOMAIN_IOTUNE_SET_BYTES_MAX = 1 << 2,
    VIR_DOMAIN_IOTUNE_SET_IOPS_MAX = 1 << 3,
    VIR_DOMAIN_IOTUNE_SET_SIZE_IOPS = 1 << 4,
    VIR_DOMAIN_IOTUNE_SET_GROUP_NAME = 1 << 5,
    VIR_DOMAIN_IOTUNE_SET_BYTES_MAX_LENGTH = 1 << 6,
    VIR_DOMAIN_IOTUNE_SET_IOPS_MAX_LENGTH = 1 << 7,
} virDomainIoTuneSetFlags;

/* libvirt's virDomainBlockIoTuneInfoHasAny: a limit, burst, size or
 * length is set (the group name does not count). */
bool virDomainBlockIoTuneHasAny(const virDomainBlockIoTuneInfo *t);
/* libvirt's virDomainBlockIoTuneInfoEqual: every number equal (the group
 * name is not compared). */
bool virDomainBlockIoTuneEqual(const virDomainBlockIoTuneInfo *a,
                               const virDomainBlockIoTuneInfo *b);
/* *@dst becomes a copy of *@src (its old group name freed). */
void virDomainBlockIoTuneCopy(const virDomainBlockIoTuneInfo *src,
                              virDomainBlockIoTuneInfo *dst);
/* Frees @t's group name and zeroes it. */
void virDomainBlockIoTuneClear(virDomainBlockIoTuneInfo *t);

/* @params (already checked against virDomainBlockIoTuneParamNames/Types)
 * written into @t, field by field, in their order; *@set gets the
 * families named (virDomainIoTuneSetFlags). A number over
 * VIR_DOMAIN_BLOCK_IOTUNE_MAX is libvirt's ARGUMENT_UNSUPPORTED "block I/O
 * throttle limit value must be no more than 1000000000000000" (domain
 * @errdomain: the driver's) and -1; @t is then partly written. */
int virDomainBlockIoTuneFromParams(const virTypedParameter *params, int nparams,
                                   int errdomain, virDomainBlockIoTuneInfo *t,
                                   unsigned int *set);

/* libvirt's Set check: a total with a read or write limit (bytes_sec,
 * iops_sec, bytes_sec_max, iops_sec_max in this order) is INVALID_ARG
 * "total and read/write of bytes_sec cannot be set at the same time"
 * (domain @errdomain). 0 or -1. */
int virDomainBlockIoTuneCheckTotals(const virDomainBlockIoTuneInfo *t, int errdomain);

/* @t as the Get answer into @params (the caller's, @n slots): the first
 * min(@n, 20) parameters in libvirt's order, group_name "" when there is
 * none (as libvirt's virTypedParameterAssign). Returns how many. */
int virDomainBlockIoTuneToParams(const virDomainBlockIoTuneInfo *t,
                                 virTypedParameterPtr params, int n);
