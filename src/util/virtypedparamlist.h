/* virtypedparamlist.h: a growable list of virTypedParameters for drivers that build statistics */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <libvirt/libvirt.h>

/*
 * libvirt's virTypedParamList, for code below the public layer (the
 * drivers cannot call virTypedParamsAdd*, whose error handling belongs to
 * the public layer). Adding never fails (GLib aborts on OOM); a name
 * longer than VIR_TYPED_PARAM_FIELD_LENGTH - 1 is a programming error
 * (g_assert). Names are printf formats ("vcpu.%zu.time").
 */
typedef struct {
    virTypedParameterPtr par;
    size_t npar;
    size_t maxpar;
} virTypedParamList;

virTypedParamList *virTypedParamListNew(void);
/* Frees the list and the parameters it still holds; accepts NULL. */
void virTypedParamListFree(virTypedParamList *list);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virTypedParamList, virTypedParamListFree);

void virTypedParamListAddInt(virTypedParamList *list, int value, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
void virTypedParamListAddUInt(virTypedParamList *list, unsigned int value,
                              const char *fmt, ...) G_GNUC_PRINTF(3, 4);
void virTypedParamListAddLLong(virTypedParamList *list, long long value, const char *fmt,
                               ...) G_GNUC_PRINTF(3, 4);
void virTypedParamListAddULLong(virTypedParamList *list, unsigned long long value,
                                const char *fmt, ...) G_GNUC_PRINTF(3, 4);
void virTypedParamListAddString(virTypedParamList *list, const char *value,
                                const char *fmt, ...) G_GNUC_PRINTF(3, 4);
void virTypedParamListAddBoolean(virTypedParamList *list, bool value, const char *fmt,
                                 ...) G_GNUC_PRINTF(3, 4);

/* Hands the parameters over (*@par a g_new array, free with
 * virTypedParamsFree or remoteTypedParamsFree; NULL when empty) and
 * empties the list. */
void virTypedParamListSteal(virTypedParamList *list, virTypedParameterPtr *par,
                            int *npar);

/* Fill the caller's slot @p (its old content is not freed): @name,
 * @type and the value, @ul for the number types (cast to the type's
 * width), a copy of @s ("" for NULL) for VIR_TYPED_PARAM_STRING. For the
 * Get*Parameters calls that fill an array the caller sized. */
void virTypedParameterSet(virTypedParameterPtr p, const char *name, int type,
                          unsigned long long ul, const char *s);

/* Frees @params[0..@nparams) (strings included) and @params; accepts NULL.
 * The same as the public virTypedParamsFree. */
void virTypedParamArrayFree(virTypedParameterPtr params, int nparams);

/* libvirt's virTypedParamsValidate: every field of @params is one of
 * @names (NULL-terminated; ARGUMENT_UNSUPPORTED "parameter '%s' not
 * supported"), of the matching type in @types (INVALID_ARG "invalid type
 * '%s' for parameter '%s', expected '%s'"), at most once (INVALID_ARG
 * "parameter '%s' occurs multiple times"), all in VIR_FROM_NONE. */
int virTypedParamsCheck(virTypedParameterPtr params, int nparams,
                        const char *const *names, const int *types);
