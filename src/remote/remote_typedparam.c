/* remote_typedparam.c: virTypedParameter arrays to and from the wire form (remote_typed_param) */
#define G_LOG_DOMAIN "virtkit.remote.typedparam"

#include <string.h>

#include "remote_typedparam.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NONE


void
remoteTypedParamsFreeRemote(remote_typed_param *val, uint32_t len)
{
    uint32_t i;

    if (!val)
        return;
    for (i = 0; i < len; i++) {
        g_free(val[i].field);
        if (val[i].value.type == VIR_TYPED_PARAM_STRING)
            g_free(val[i].value.remote_typed_param_value_u.s);
    }
    g_free(val);
}


/* Frees the strings of @params[0..@n) only. */
static void
typedParamsClear(virTypedParameterPtr params, size_t n)
{
    size_t i;

    if (!params)
        return;
    for (i = 0; i < n; i++) {
        if (params[i].type == VIR_TYPED_PARAM_STRING)
            g_clear_pointer(&params[i].value.s, g_free);
    }
}


void
remoteTypedParamsFree(virTypedParameterPtr params, int nparams)
{
    typedParamsClear(params, nparams > 0 ? nparams : 0);
    g_free(params);
}


int
remoteTypedParamsSerialize(virTypedParameterPtr params, int nparams, int limit,
                           remote_typed_param **val, uint32_t *len, unsigned int flags)
{
    remote_typed_param *out = NULL;
    uint32_t j = 0;
    int i;

    if (nparams > limit) {
        virReportError(VIR_ERR_RPC, "too many parameters '%d' for limit '%d'", nparams,
                       limit);
        return -1;
    }
    if (nparams > 0)
        out = g_new0(remote_typed_param, nparams);

    for (i = 0; i < nparams; i++) {
        virTypedParameterPtr p = params + i;
        remote_typed_param *r = out + j;

        if (!p->type ||
            (!(flags & VIR_TYPED_PARAM_STRING_OKAY) && p->type == VIR_TYPED_PARAM_STRING))
            continue;

        switch (p->type) {
        case VIR_TYPED_PARAM_INT:
            r->value.remote_typed_param_value_u.i = p->value.i;
            break;
        case VIR_TYPED_PARAM_UINT:
            r->value.remote_typed_param_value_u.ui = p->value.ui;
            break;
        case VIR_TYPED_PARAM_LLONG:
            r->value.remote_typed_param_value_u.l = p->value.l;
            break;
        case VIR_TYPED_PARAM_ULLONG:
            r->value.remote_typed_param_value_u.ul = p->value.ul;
            break;
        case VIR_TYPED_PARAM_DOUBLE:
            r->value.remote_typed_param_value_u.d = p->value.d;
            break;
        case VIR_TYPED_PARAM_BOOLEAN:
            r->value.remote_typed_param_value_u.b = p->value.b;
            break;
        case VIR_TYPED_PARAM_STRING:
            r->value.remote_typed_param_value_u.s =
                g_strdup(p->value.s ? p->value.s : "");
            break;
        default:
            virReportError(VIR_ERR_RPC, "unknown parameter type: %d", p->type);
            remoteTypedParamsFreeRemote(out, j);
            return -1;
        }
        r->value.type = p->type;
        /* the field is NUL-terminated within its 80 bytes, as the public
         * helpers write it; a caller's unterminated field is cut there */
        r->field = g_strndup(p->field, VIR_TYPED_PARAM_FIELD_LENGTH);
        j++;
    }

    *val = out;
    *len = j;
    return 0;
}


int
remoteTypedParamsDeserialize(const remote_typed_param *val, uint32_t len, int limit,
                             virTypedParameterPtr *params, int *nparams)
{
    bool userAllocated = *params != NULL;
    virTypedParameterPtr out;
    uint32_t i;

    if (limit && len > (uint32_t)limit) {
        virReportError(VIR_ERR_RPC, "too many parameters '%u' for limit '%d'", len,
                       limit);
        return -1;
    }
    if (userAllocated) {
        if (*nparams < 0 || len > (uint32_t)*nparams) {
            virReportError(VIR_ERR_RPC, "too many parameters '%u' for nparams '%d'", len,
                           *nparams);
            return -1;
        }
        out = *params;
    } else {
        if (len > G_MAXINT) {
            virReportError(VIR_ERR_RPC, "too many parameters '%u' for limit '%d'", len,
                           G_MAXINT);
            return -1;
        }
        /* none: NULL, as libvirt's g_new0(.., 0); a set of 0 parameters then
         * fails in the public layer ("params ... must not be NULL"), as
         * it does through libvirtd */
        out = len ? g_new0(virTypedParameter, len) : NULL;
    }

    for (i = 0; i < len; i++) {
        virTypedParameterPtr p = out + i;
        const remote_typed_param *r = val + i;

        if (!r->field || strlen(r->field) >= VIR_TYPED_PARAM_FIELD_LENGTH) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "parameter %s too big for destination",
                           r->field ? r->field : "(null)");
            goto error;
        }
        switch (r->value.type) {
        case VIR_TYPED_PARAM_INT:
            p->value.i = r->value.remote_typed_param_value_u.i;
            break;
        case VIR_TYPED_PARAM_UINT:
            p->value.ui = r->value.remote_typed_param_value_u.ui;
            break;
        case VIR_TYPED_PARAM_LLONG:
            p->value.l = r->value.remote_typed_param_value_u.l;
            break;
        case VIR_TYPED_PARAM_ULLONG:
            p->value.ul = r->value.remote_typed_param_value_u.ul;
            break;
        case VIR_TYPED_PARAM_DOUBLE:
            p->value.d = r->value.remote_typed_param_value_u.d;
            break;
        case VIR_TYPED_PARAM_BOOLEAN:
            p->value.b = r->value.remote_typed_param_value_u.b;
            break;
        case VIR_TYPED_PARAM_STRING:
            p->value.s = g_strdup(r->value.remote_typed_param_value_u.s
                                      ? r->value.remote_typed_param_value_u.s
                                      : "");
            break;
        default:
            virReportError(VIR_ERR_RPC, "unknown parameter type: %d", r->value.type);
            goto error;
        }
        g_strlcpy(p->field, r->field, sizeof(p->field));
        p->type = r->value.type;
    }

    *params = out;
    *nparams = len;
    return 0;

error:
    /* entry i was not filled: its type is still what it was (0 in a new
     * array); only the strings of 0..i-1 were copied here */
    typedParamsClear(out, i);
    if (!userAllocated) {
        g_free(out);
        *params = NULL;
        *nparams = 0;
    }
    return -1;
}
