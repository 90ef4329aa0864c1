/* domain_tune.h: the typed parameters of <blkiotune> the drivers' blkiotune calls share (domain_tune.c) */
#pragma once

#include <libvirt/libvirt.h>

#include "domain_conf.h"

/* The blkiotune parameters in libvirt's order: the weight (UINT), then
 * the five device lists (STRING); NULL-terminated names, their types. */
#define VIR_DOMAIN_BLKIO_NPARAMS 6
extern const char *const virDomainBlkioParamNames[VIR_DOMAIN_BLKIO_NPARAMS + 1];
extern const int virDomainBlkioParamTypes[VIR_DOMAIN_BLKIO_NPARAMS];

/* A device list parameter @p (type-checked) parsed into @parsed[k],
 * @nparsed[k] (k its index in virDomainBlkioParamNames; arrays of
 * VIR_DOMAIN_BLKIO_NPARAMS); nothing for any other field. 0, or -1 with
 * virDomainBlkioDevicesParseStr's error. */
int virDomainBlkioParamParse(const virTypedParameter *p, virDomainBlkioDeviceDef **parsed,
                             size_t *nparsed);

/* libvirt's blkiotune answer into @params (sized by the caller): @weight,
 * then @b's five device lists, at most @maxparams in all. Returns how many
 * were written. */
int virDomainBlkioParamsFormat(const virDomainBlkiotuneDef *b, unsigned int weight,
                               virTypedParameterPtr params, int maxparams);
