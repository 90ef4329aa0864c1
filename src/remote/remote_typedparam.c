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

/* One remote_typed_param of @xdr into @p (@p zeroed; on failure @p holds
 * no allocation and its type stays 0). */
static bool
typedParamDecodeOne(virXdr *xdr, virTypedParameterPtr p, char **tooBig)
{
    uint32_t n;
    int32_t type;

    /* the field: remote_nonnull_string, checked as virXdrString checks it,
     * copied straight into p->field when it fits */
    if (!virXdrUInt(xdr, &n))
        return false;
    if (n > REMOTE_STRING_MAX)
        return virXdrSetError(xdr, "string too long");
    if ((size_t)n + (4 - n % 4) % 4 > virXdrRemaining(xdr))
        return virXdrSetError(xdr, "truncated payload");
    if (memchr(xdr->buf + xdr->pos, '\0', n))
        return virXdrSetError(xdr, "string contains NUL");
    if (n < VIR_TYPED_PARAM_FIELD_LENGTH) {
        if (!virXdrOpaqueFixed(xdr, (guint8 *)p->field, n))
            return false;
        p->field[n] = '\0';
    } else {
        /* not a wire error: reported once the reply is decoded */
        if (!*tooBig)
            *tooBig = g_strndup((const char *)xdr->buf + xdr->pos, n);
        xdr->pos += (size_t)n + (4 - n % 4) % 4;
    }

    if (!virXdrInt(xdr, &type))
        return false;
    switch (type) {
    case VIR_TYPED_PARAM_INT:
        if (!virXdrInt(xdr, &p->value.i))
            return false;
        break;
    case VIR_TYPED_PARAM_UINT:
        if (!virXdrUInt(xdr, &p->value.ui))
            return false;
        break;
    case VIR_TYPED_PARAM_LLONG: {
        int64_t v;

        if (!virXdrHyper(xdr, &v))
            return false;
        p->value.l = v;
        break;
    }
    case VIR_TYPED_PARAM_ULLONG: {
        uint64_t v;

        if (!virXdrUHyper(xdr, &v))
            return false;
        p->value.ul = v;
        break;
    }
    case VIR_TYPED_PARAM_DOUBLE:
        if (!virXdrDouble(xdr, &p->value.d))
            return false;
        break;
    case VIR_TYPED_PARAM_BOOLEAN: {
        int32_t v;

        if (!virXdrInt(xdr, &v))
            return false;
        p->value.b = v;
        break;
    }
    case VIR_TYPED_PARAM_STRING:
        /* (virXdrString sets p->value.s only once it succeeded) */
        if (!virXdrString(xdr, &p->value.s, REMOTE_STRING_MAX))
            return false;
        break;
    default:
        return virXdrSetError(xdr, "unknown union discriminant");
    }
    p->type = type;
    return true;
}

bool
remoteTypedParamsDecode(virXdr *xdr, uint32_t max, virTypedParameterPtr *params,
                        int *nparams, char **tooBig)
{
    uint32_t n;

    *params = NULL;
    *nparams = 0;
    if (!virXdrUInt(xdr, &n))
        return false;
    if (n > max)
        return virXdrSetError(xdr, "array too long");
    /* each entry takes 12 bytes at least (empty field, type, int) */
    if ((size_t)n * 12 > virXdrRemaining(xdr))
        return virXdrSetError(xdr, "truncated payload");
    if (n == 0)
        return true;
    *params = g_new0(virTypedParameter, n);
    for (uint32_t i = 0; i < n; i++) {
        if (!typedParamDecodeOne(xdr, *params + i, tooBig)) {
            /* entry i holds nothing (its type is set last) */
            *nparams = (int)i;
            return false;
        }
    }
    *nparams = (int)n;
    return true;
}
