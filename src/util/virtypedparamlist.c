/* virtypedparamlist.c: a growable list of virTypedParameters for drivers that build statistics */
#define G_LOG_DOMAIN "virtkit.util.typedparam"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "virtypedparamlist.h"
#include "virerror.h"

virTypedParamList *
virTypedParamListNew(void)
{
    return g_new0(virTypedParamList, 1);
}

void
virTypedParameterSet(virTypedParameterPtr p, const char *name, int type,
                     unsigned long long ul, const char *s)
{
    memset(p, 0, sizeof(*p));
    g_strlcpy(p->field, name, sizeof(p->field));
    p->type = type;
    if (type == VIR_TYPED_PARAM_STRING)
        p->value.s = g_strdup(s ? s : "");
    else if (type == VIR_TYPED_PARAM_UINT)
        p->value.ui = (unsigned int)ul;
    else if (type == VIR_TYPED_PARAM_INT)
        p->value.i = (int)ul;
    else
        p->value.ul = ul;
}

void
virTypedParamArrayFree(virTypedParameterPtr params, int nparams)
{
    if (!params)
        return;
    for (int i = 0; i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_STRING)
            g_free(params[i].value.s);
    }
    g_free(params);
}

void
virTypedParamListFree(virTypedParamList *list)
{
    if (!list)
        return;
    virTypedParamArrayFree(list->par, (int)list->npar);
    g_free(list);
}

/* The next free entry, named by @fmt/@ap, its type set. */
static virTypedParameterPtr
listNext(virTypedParamList *list, int type, const char *fmt, va_list ap)
{
    virTypedParameterPtr p;
    int len;

    if (list->npar == list->maxpar) {
        list->maxpar = list->maxpar ? list->maxpar * 2 : 16;
        list->par = g_renew(virTypedParameter, list->par, list->maxpar);
    }
    p = &list->par[list->npar++];
    memset(p, 0, sizeof(*p));
    if (!strchr(fmt, '%')) {
        /* a fixed name ("cpu.time"): no printf, whose cost showed in a
         * 20-guest getAllDomainStats (~300 names) */
        len = (int)strlen(fmt);
        g_assert((size_t)len < sizeof(p->field));
        memcpy(p->field, fmt, (size_t)len + 1);
    } else {
        len = g_vsnprintf(p->field, sizeof(p->field), fmt, ap);
        g_assert(len >= 0 && (size_t)len < sizeof(p->field));
    }
    p->type = type;
    return p;
}

#define LIST_ADD(list, type, member, val, fmt) \
    do {                                       \
        va_list ap;                            \
        virTypedParameterPtr p;                \
                                               \
        va_start(ap, fmt);                     \
        p = listNext(list, type, fmt, ap);     \
        va_end(ap);                            \
        p->value.member = (val);               \
    } while (0)

void
virTypedParamListAddInt(virTypedParamList *list, int value, const char *fmt, ...)
{
    LIST_ADD(list, VIR_TYPED_PARAM_INT, i, value, fmt);
}

void
virTypedParamListAddUInt(virTypedParamList *list, unsigned int value, const char *fmt,
                         ...)
{
    LIST_ADD(list, VIR_TYPED_PARAM_UINT, ui, value, fmt);
}

void
virTypedParamListAddLLong(virTypedParamList *list, long long value, const char *fmt, ...)
{
    LIST_ADD(list, VIR_TYPED_PARAM_LLONG, l, value, fmt);
}

void
virTypedParamListAddULLong(virTypedParamList *list, unsigned long long value,
                           const char *fmt, ...)
{
    LIST_ADD(list, VIR_TYPED_PARAM_ULLONG, ul, value, fmt);
}

void
virTypedParamListAddString(virTypedParamList *list, const char *value, const char *fmt,
                           ...)
{
    LIST_ADD(list, VIR_TYPED_PARAM_STRING, s, g_strdup(value ? value : ""), fmt);
}

void
virTypedParamListAddBoolean(virTypedParamList *list, bool value, const char *fmt, ...)
{
    LIST_ADD(list, VIR_TYPED_PARAM_BOOLEAN, b, value ? 1 : 0, fmt);
}

void
virTypedParamListSteal(virTypedParamList *list, virTypedParameterPtr *par, int *npar)
{
    if (list->npar == 0) {
        g_free(list->par);
        *par = NULL;
    } else {
        *par = list->par;
    }
    *npar = (int)list->npar;
    list->par = NULL;
    list->npar = list->maxpar = 0;
}

int
virTypedParamsCheck(virTypedParameterPtr params, int nparams, const char *const *names,
                    const int *types)
{
    static const char *const typeNames[] = {
        "unknown", "int", "uint", "llong", "ullong", "double", "boolean", "string",
    };

    for (int i = 0; i < nparams; i++) {
        size_t k;

        for (k = 0; names[k]; k++) {
            if (strcmp(params[i].field, names[k]) == 0)
                break;
        }
        if (!names[k]) {
            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_ARGUMENT_UNSUPPORTED, __func__,
                               "parameter '%s' not supported", params[i].field);
            return -1;
        }
        for (int j = 0; j < i; j++) {
            if (strcmp(params[j].field, params[i].field) == 0) {
                virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                                   "parameter '%s' occurs multiple times",
                                   params[i].field);
                return -1;
            }
        }
        if (params[i].type != types[k]) {
            int t = params[i].type;

            virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __func__,
                               "invalid type '%s' for parameter '%s', expected '%s'",
                               t > 0 && t < (int)G_N_ELEMENTS(typeNames) ? typeNames[t]
                                                                         : typeNames[0],
                               params[i].field, typeNames[types[k]]);
            return -1;
        }
    }
    return 0;
}
