/* remote_typedparam.h: virTypedParameter arrays to and from the wire form (remote_typed_param) */
#pragma once

#include <libvirt/libvirt.h>

#include "remote_protocol.h"

/*
 * libvirt 9.0's virTypedParamsSerialize / Deserialize (src/util/
 * virtypedparam.c), with its texts; errors are VIR_FROM_NONE as libvirt's.
 * The XDR filters bound the count to the procedure's maximum while
 * decoding; these check it again (a caller's array may be larger than the
 * procedure allows, and the encoder must refuse before encoding).
 */

/* Copies @params[0..@nparams) into a new remote array (*@val, *@len; both
 * written only on success, free with remoteTypedParamsFreeRemote). Entries
 * of type 0 (sparse arrays, virDomainGetCPUStats) are dropped, and so are
 * strings unless @flags has VIR_TYPED_PARAM_STRING_OKAY (a daemon must not
 * send strings to a client that did not say it can take them). Fields and
 * strings are duplicated.
 * Returns 0, or -1 with VIR_ERR_RPC: "too many parameters '%d' for limit
 * '%d'" (@nparams > @limit), "unknown parameter type: %d"; nothing is
 * left allocated on failure. */
int remoteTypedParamsSerialize(virTypedParameterPtr params, int nparams, int limit,
                               remote_typed_param **val, uint32_t *len,
                               unsigned int flags);

/* Copies a decoded remote array into virTypedParameters, libvirt's two
 * models: if *@params is NULL a new array of @len entries is allocated
 * (free with remoteTypedParamsFree); otherwise *@params is the caller's
 * array of *@nparams entries, which must be enough. *@nparams becomes
 * @len. @limit 0 means no limit.
 * Returns 0, or -1 with VIR_ERR_RPC "too many parameters '%u' for limit
 * '%d'", "too many parameters '%u' for nparams '%d'", "unknown parameter
 * type: %d", or VIR_ERR_INTERNAL_ERROR "parameter %s too big for
 * destination" (a field of VIR_TYPED_PARAM_FIELD_LENGTH characters or
 * more). On failure nothing stays allocated: an array allocated here is
 * freed (*@params NULL, *@nparams 0), the caller's array has the strings
 * copied so far freed. */
int remoteTypedParamsDeserialize(const remote_typed_param *val, uint32_t len, int limit,
                                 virTypedParameterPtr *params, int *nparams);

/* Decodes a remote_typed_param<@max> array from @xdr straight into a new
 * virTypedParameter array (*@params, *@nparams; NULL and 0 for none), what
 * the generated filter followed by remoteTypedParamsDeserialize (new-array
 * model, no limit beyond @max) give, without the remote array and the copy
 * of every field: one allocation per array, plus one per string value
 * (freed by remoteTypedParamsFree / libvirt's virTypedParamsFree). The
 * wire is checked as the generated filter checks it, failures set on @xdr
 * with its texts ("array too long", "truncated payload", "string too
 * long", "string contains NUL", "unknown union discriminant"). A field of
 * VIR_TYPED_PARAM_FIELD_LENGTH characters or more is not a wire error: the
 * first one is copied into *@tooBig (if still NULL) for the caller to
 * report once the whole reply decoded, as Deserialize would ("parameter
 * %s too big for destination"); its entry is left with an empty field.
 * Returns false on a wire error; *@params then holds the *@nparams
 * entries fully decoded (free with remoteTypedParamsFree). */
bool remoteTypedParamsDecode(virXdr *xdr, uint32_t max, virTypedParameterPtr *params,
                             int *nparams, char **tooBig);

/* Frees the fields and strings of @val[0..@len) and @val; accepts NULL. */
void remoteTypedParamsFreeRemote(remote_typed_param *val, uint32_t len);

/* virTypedParamsFree for code below the public layer; accepts NULL. */
void remoteTypedParamsFree(virTypedParameterPtr params, int nparams);
