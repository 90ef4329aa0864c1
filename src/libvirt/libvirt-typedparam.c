/* libvirt-typedparam.c: the public virTypedParams* helpers (libvirt 9.0's libvirt-common.h) */
#define G_LOG_DOMAIN "virtkit.api.typedparam"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "libvirt_internal.h"

#define VIR_FROM_THIS VIR_FROM_NONE


/*
 * Contracts below, checked against Debian's libvirt 9.0 by the compat test
 * (tests/compat/compat.c, testTypedParams):
 * - Errors are VIR_FROM_NONE; Get/Add* reset the thread's last error first
 *   and dispatch a failure to the error handlers (virDispatchError(NULL)).
 * - Add* never refuses a name already present: libvirt 9.0 appends a second
 *   entry (virTypedParamsAddStringList relies on it); Get* find the first.
 * - Add* grow the array as libvirt's VIR_RESIZE_N does (to at least half
 *   as much again), zero the new slots, and update *maxparams even when the
 *   new parameter is then refused; *nparams grows only on success.
 * - A name of VIR_TYPED_PARAM_FIELD_LENGTH characters or more is
 *   VIR_ERR_INTERNAL_ERROR "Field name '%s' too long" (libvirt's text).
 */

/* libvirt's virTypedParameter enum strings (index = type; 0 is "unknown"). */
static const char *const typedParamTypeNames[] = {
    "unknown", "int", "uint", "llong", "ullong", "double", "boolean", "string",
};


static const char *
typedParamTypeName(int type)
{
    if (type < 0 || type >= (int)G_N_ELEMENTS(typedParamTypeNames))
        return NULL;
    return typedParamTypeNames[type];
}


/* 0 if @param has @type, else -1 with libvirt's VIR_ERR_INVALID_ARG. */
static int
typedParamValidateType(virTypedParameterPtr param, int type)
{
    if (param->type != type) {
        const char *actual = typedParamTypeName(param->type);

        virReportError(VIR_ERR_INVALID_ARG,
                       "Invalid type '%s' requested for parameter '%s', "
                       "actual type is '%s'",
                       typedParamTypeName(type), param->field,
                       actual ? actual : "(null)");
        return -1;
    }
    return 0;
}


/* Makes room for one more parameter after @n as libvirt's VIR_RESIZE_N:
 * grows by what is missing, but by at least half the current size; the
 * new slots are zeroed. */
static void
typedParamsReserve(virTypedParameterPtr *params, int *maxparams, int n)
{
    size_t max = *maxparams > 0 ? (size_t)*maxparams : 0;
    size_t count = n > 0 ? (size_t)n : 0;
    size_t delta;

    if (count + 1 <= max)
        return;
    delta = count + 1 - max;
    if (delta < max / 2)
        delta = max / 2;
    if (max + delta > INT_MAX)
        g_error("typed parameter array of %zu entries", max + delta);
    *params = g_renew(virTypedParameter, *params, max + delta);
    memset(*params + max, 0, delta * sizeof(virTypedParameter));
    *maxparams = max + delta;
}


/* Writes @name into @param->field; -1 with libvirt's error if too long. */
static int
typedParamSetField(virTypedParameterPtr param, const char *name)
{
    if (!name)
        name = ""; /* libvirt 9.0 stores an empty name (after a GLib critical) */
    if (strlen(name) >= VIR_TYPED_PARAM_FIELD_LENGTH) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "Field name '%s' too long", name);
        return -1;
    }
    g_strlcpy(param->field, name, sizeof(param->field));
    return 0;
}


/* The common body of the Add* functions: one more slot, then @fill; the
 * error (if any) is dispatched. */
static int
typedParamsAdd(virTypedParameterPtr *params, int *nparams, int *maxparams,
               const char *name, int type, const virTypedParameter *value)
{
    virTypedParameterPtr param;

    typedParamsReserve(params, maxparams, *nparams);
    param = *params + *nparams;
    if (typedParamSetField(param, name) < 0) {
        virDispatchError(NULL);
        return -1;
    }
    param->type = type;
    param->value = value->value;
    if (type == VIR_TYPED_PARAM_STRING)
        param->value.s = g_strdup(value->value.s ? value->value.s : "");
    *nparams += 1;
    return 0;
}


/* libvirt's virStrToLong_* rules: base 10, leading blanks allowed, nothing
 * may follow the number, out of range is an error. */
static bool
parseLLong(const char *s, long long *out)
{
    char *end = NULL;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        return false;
    *out = v;
    return true;
}


static bool
parseULLong(const char *s, unsigned long long *out)
{
    char *end = NULL;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10); /* "-1" is ULLONG_MAX, as libvirt */
    if (errno || end == s || *end)
        return false;
    *out = v;
    return true;
}


/* unsigned int: "-N" wraps as libvirt's virStrToLong_ui (-1 is UINT_MAX),
 * for N up to UINT_MAX. */
static bool
parseUInt(const char *s, unsigned int *out)
{
    char *end = NULL;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || end == s || *end)
        return false;
    if (memchr(s, '-', end - s)) {
        if (-v > UINT_MAX)
            return false;
        v &= 0xffffffff;
    }
    if ((unsigned int)v != v)
        return false;
    *out = v;
    return true;
}


static bool
parseDouble(const char *s, double *out)
{
    char *end = NULL;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || *end)
        return false;
    *out = v;
    return true;
}


/* Fills @param's type and value from @str; -1 with libvirt's error. */
static int
typedParamFromString(virTypedParameterPtr param, const char *name, int type,
                     const char *str)
{
    long long ll;
    const char *expected = NULL;

    memset(param, 0, sizeof(*param));
    param->type = type;
    switch (type) {
    case VIR_TYPED_PARAM_INT:
        if (!parseLLong(str, &ll) || ll < INT_MIN || ll > INT_MAX)
            expected = "int";
        else
            param->value.i = ll;
        break;
    case VIR_TYPED_PARAM_UINT:
        if (!parseUInt(str, &param->value.ui))
            expected = "unsigned int";
        break;
    case VIR_TYPED_PARAM_LLONG:
        if (!parseLLong(str, &param->value.l))
            expected = "long long";
        break;
    case VIR_TYPED_PARAM_ULLONG:
        if (!parseULLong(str, &param->value.ul))
            expected = "unsigned long long";
        break;
    case VIR_TYPED_PARAM_DOUBLE:
        if (!parseDouble(str, &param->value.d))
            expected = "double";
        break;
    case VIR_TYPED_PARAM_BOOLEAN:
        if (g_ascii_strcasecmp(str, "true") == 0 || strcmp(str, "1") == 0) {
            param->value.b = 1;
        } else if (g_ascii_strcasecmp(str, "false") == 0 || strcmp(str, "0") == 0) {
            param->value.b = 0;
        } else {
            virReportError(VIR_ERR_INVALID_ARG, "Invalid boolean value for field '%s'",
                           name);
            return -1;
        }
        break;
    case VIR_TYPED_PARAM_STRING:
        param->value.s = (char *)str; /* copied by typedParamsAdd */
        break;
    default:
        virReportError(VIR_ERR_INTERNAL_ERROR, "unexpected type %d for field %s", type,
                       name);
        return -1;
    }
    if (expected) {
        virReportError(VIR_ERR_INVALID_ARG, "Invalid value for field '%s': expected %s",
                       name, expected);
        return -1;
    }
    return 0;
}


/**
 * virTypedParamsGet:
 * @params: array of typed parameters
 * @nparams: number of parameters in @params
 * @name: name of the parameter to find
 *
 * Finds the first parameter called @name. Reports no error and leaves the
 * thread's last error alone, even when returning NULL.
 *
 * Returns a pointer into @params, or NULL if @params or @name is NULL or
 * no parameter is called @name.
 */
virTypedParameterPtr
virTypedParamsGet(virTypedParameterPtr params, int nparams, const char *name)
{
    int i;

    if (!params || !name)
        return NULL;
    for (i = 0; i < nparams; i++) {
        if (strcmp(params[i].field, name) == 0)
            return params + i;
    }
    return NULL;
}


/* The body of the typed Get* functions: the parameter, or NULL (returns 0),
 * or a type error (returns -1, dispatched). */
#define TYPED_PARAMS_GET(params, nparams, name, type, member, value) \
    do {                                                             \
        virTypedParameterPtr param_;                                 \
        virResetLastError();                                         \
        if (!(param_ = virTypedParamsGet(params, nparams, name)))    \
            return 0;                                                \
        if (typedParamValidateType(param_, type) < 0) {              \
            virDispatchError(NULL);                                  \
            return -1;                                               \
        }                                                            \
        if (value)                                                   \
            *(value) = param_->value.member;                         \
        return 1;                                                    \
    } while (0)


/**
 * virTypedParamsGetInt:
 * @params: array of typed parameters
 * @nparams: number of parameters in @params
 * @name: name of the parameter to find
 * @value: where to store its value, or NULL to check presence and type only
 *
 * Finds the first parameter called @name; it must be a VIR_TYPED_PARAM_INT.
 *
 * Returns 1 when found (and *@value set), 0 when there is no such
 * parameter, -1 with VIR_ERR_INVALID_ARG if it has another type.
 */
int
virTypedParamsGetInt(virTypedParameterPtr params, int nparams, const char *name,
                     int *value)
{
    TYPED_PARAMS_GET(params, nparams, name, VIR_TYPED_PARAM_INT, i, value);
}


/**
 * virTypedParamsGetUInt:
 * @params: array of typed parameters
 * @nparams: number of parameters in @params
 * @name: name of the parameter to find
 * @value: where to store its value, or NULL to check presence and type only
 *
 * Finds the first parameter called @name; it must be a VIR_TYPED_PARAM_UINT.
 *
 * Returns 1 when found (and *@value set), 0 when there is no such
 * parameter, -1 with VIR_ERR_INVALID_ARG if it has another type.
 */
int
virTypedParamsGetUInt(virTypedParameterPtr params, int nparams, const char *name,
                      unsigned int *value)
{
    TYPED_PARAMS_GET(params, nparams, name, VIR_TYPED_PARAM_UINT, ui, value);
}


/**
 * virTypedParamsGetLLong:
 * @params: array of typed parameters
 * @nparams: number of parameters in @params
 * @name: name of the parameter to find
 * @value: where to store its value, or NULL to check presence and type only
 *
 * Finds the first parameter called @name; it must be a VIR_TYPED_PARAM_LLONG.
 *
 * Returns 1 when found (and *@value set), 0 when there is no such
 * parameter, -1 with VIR_ERR_INVALID_ARG if it has another type.
 */
int
virTypedParamsGetLLong(virTypedParameterPtr params, int nparams, const char *name,
                       long long *value)
{
    TYPED_PARAMS_GET(params, nparams, name, VIR_TYPED_PARAM_LLONG, l, value);
}


/**
 * virTypedParamsGetULLong:
 * @params: array of typed parameters
 * @nparams: number of parameters in @params
 * @name: name of the parameter to find
 * @value: where to store its value, or NULL to check presence and type only
 *
 * Finds the first parameter called @name; it must be a
 * VIR_TYPED_PARAM_ULLONG.
 *
 * Returns 1 when found (and *@value set), 0 when there is no such
 * parameter, -1 with VIR_ERR_INVALID_ARG if it has another type.
 */
int
virTypedParamsGetULLong(virTypedParameterPtr params, int nparams, const char *name,
                        unsigned long long *value)
{
    TYPED_PARAMS_GET(params, nparams, name, VIR_TYPED_PARAM_ULLONG, ul, value);
}


/**
 * virTypedParamsGetDouble:
 * @params: array of typed parameters
 * @nparams: number of parameters in @params
 * @name: name of the parameter to find
 * @value: where to store its value, or NULL to check presence and type only
 *
 * Finds the first parameter called @name; it must be a
 * VIR_TYPED_PARAM_DOUBLE.
 *
 * Returns 1 when found (and *@value set), 0 when there is no such
 * parameter, -1 with VIR_ERR_INVALID_ARG if it has another type.
 */
int
virTypedParamsGetDouble(virTypedParameterPtr params, int nparams, const char *name,
                        double *value)
{
    TYPED_PARAMS_GET(params, nparams, name, VIR_TYPED_PARAM_DOUBLE, d, value);
}


/**
 * virTypedParamsGetBoolean:
 * @params: array of typed parameters
 * @nparams: number of parameters in @params
 * @name: name of the parameter to find
 * @value: where to store its value (0 or 1), or NULL to check presence and
 *         type only
 *
 * Finds the first parameter called @name; it must be a
 * VIR_TYPED_PARAM_BOOLEAN.
 *
 * Returns 1 when found (and *@value set), 0 when there is no such
 * parameter, -1 with VIR_ERR_INVALID_ARG if it has another type.
 */
int
virTypedParamsGetBoolean(virTypedParameterPtr params, int nparams, const char *name,
                         int *value)
{
    virTypedParameterPtr param;

    virResetLastError();
    if (!(param = virTypedParamsGet(params, nparams, name)))
        return 0;
    if (typedParamValidateType(param, VIR_TYPED_PARAM_BOOLEAN) < 0) {
        virDispatchError(NULL);
        return -1;
    }
    if (value)
        *value = !!param->value.b;
    return 1;
}


/**
 * virTypedParamsGetString:
 * @params: array of typed parameters
 * @nparams: number of parameters in @params
 * @name: name of the parameter to find
 * @value: where to store the string (owned by @params: do not free it), or
 *         NULL to check presence and type only
 *
 * Finds the first parameter called @name; it must be a
 * VIR_TYPED_PARAM_STRING.
 *
 * Returns 1 when found (and *@value set), 0 when there is no such
 * parameter, -1 with VIR_ERR_INVALID_ARG if it has another type.
 */
int
virTypedParamsGetString(virTypedParameterPtr params, int nparams, const char *name,
                        const char **value)
{
    TYPED_PARAMS_GET(params, nparams, name, VIR_TYPED_PARAM_STRING, s, value);
}


/**
 * virTypedParamsAddInt:
 * @params: pointer to the array of typed parameters (may point to NULL)
 * @nparams: number of parameters in *@params; incremented on success
 * @maxparams: number of slots allocated in *@params; updated when the array
 *             grows
 * @name: name of the new parameter (shorter than VIR_TYPED_PARAM_FIELD_LENGTH)
 * @value: its value
 *
 * Appends an int parameter, reallocating *@params when it is full. A
 * parameter of the same name already present is not replaced.
 *
 * Returns 0 on success, -1 with VIR_ERR_INTERNAL_ERROR if @name is too long.
 */
int
virTypedParamsAddInt(virTypedParameterPtr *params, int *nparams, int *maxparams,
                     const char *name, int value)
{
    virTypedParameter p = { .value.i = value };

    virResetLastError();
    return typedParamsAdd(params, nparams, maxparams, name, VIR_TYPED_PARAM_INT, &p);
}


/**
 * virTypedParamsAddUInt:
 * @params: pointer to the array of typed parameters (may point to NULL)
 * @nparams: number of parameters in *@params; incremented on success
 * @maxparams: number of slots allocated in *@params; updated when it grows
 * @name: name of the new parameter (shorter than VIR_TYPED_PARAM_FIELD_LENGTH)
 * @value: its value
 *
 * Appends an unsigned int parameter, as virTypedParamsAddInt.
 *
 * Returns 0 on success, -1 with VIR_ERR_INTERNAL_ERROR if @name is too long.
 */
int
virTypedParamsAddUInt(virTypedParameterPtr *params, int *nparams, int *maxparams,
                      const char *name, unsigned int value)
{
    virTypedParameter p = { .value.ui = value };

    virResetLastError();
    return typedParamsAdd(params, nparams, maxparams, name, VIR_TYPED_PARAM_UINT, &p);
}


/**
 * virTypedParamsAddLLong:
 * @params: pointer to the array of typed parameters (may point to NULL)
 * @nparams: number of parameters in *@params; incremented on success
 * @maxparams: number of slots allocated in *@params; updated when it grows
 * @name: name of the new parameter (shorter than VIR_TYPED_PARAM_FIELD_LENGTH)
 * @value: its value
 *
 * Appends a long long parameter, as virTypedParamsAddInt.
 *
 * Returns 0 on success, -1 with VIR_ERR_INTERNAL_ERROR if @name is too long.
 */
int
virTypedParamsAddLLong(virTypedParameterPtr *params, int *nparams, int *maxparams,
                       const char *name, long long value)
{
    virTypedParameter p = { .value.l = value };

    virResetLastError();
    return typedParamsAdd(params, nparams, maxparams, name, VIR_TYPED_PARAM_LLONG, &p);
}


/**
 * virTypedParamsAddULLong:
 * @params: pointer to the array of typed parameters (may point to NULL)
 * @nparams: number of parameters in *@params; incremented on success
 * @maxparams: number of slots allocated in *@params; updated when it grows
 * @name: name of the new parameter (shorter than VIR_TYPED_PARAM_FIELD_LENGTH)
 * @value: its value
 *
 * Appends an unsigned long long parameter, as virTypedParamsAddInt.
 *
 * Returns 0 on success, -1 with VIR_ERR_INTERNAL_ERROR if @name is too long.
 */
int
virTypedParamsAddULLong(virTypedParameterPtr *params, int *nparams, int *maxparams,
                        const char *name, unsigned long long value)
{
    virTypedParameter p = { .value.ul = value };

    virResetLastError();
    return typedParamsAdd(params, nparams, maxparams, name, VIR_TYPED_PARAM_ULLONG, &p);
}


/**
 * virTypedParamsAddDouble:
 * @params: pointer to the array of typed parameters (may point to NULL)
 * @nparams: number of parameters in *@params; incremented on success
 * @maxparams: number of slots allocated in *@params; updated when it grows
 * @name: name of the new parameter (shorter than VIR_TYPED_PARAM_FIELD_LENGTH)
 * @value: its value
 *
 * Appends a double parameter, as virTypedParamsAddInt.
 *
 * Returns 0 on success, -1 with VIR_ERR_INTERNAL_ERROR if @name is too long.
 */
int
virTypedParamsAddDouble(virTypedParameterPtr *params, int *nparams, int *maxparams,
                        const char *name, double value)
{
    virTypedParameter p = { .value.d = value };

    virResetLastError();
    return typedParamsAdd(params, nparams, maxparams, name, VIR_TYPED_PARAM_DOUBLE, &p);
}


/**
 * virTypedParamsAddBoolean:
 * @params: pointer to the array of typed parameters (may point to NULL)
 * @nparams: number of parameters in *@params; incremented on success
 * @maxparams: number of slots allocated in *@params; updated when it grows
 * @name: name of the new parameter (shorter than VIR_TYPED_PARAM_FIELD_LENGTH)
 * @value: its value; any non-zero value is stored as 1
 *
 * Appends a boolean parameter, as virTypedParamsAddInt.
 *
 * Returns 0 on success, -1 with VIR_ERR_INTERNAL_ERROR if @name is too long.
 */
int
virTypedParamsAddBoolean(virTypedParameterPtr *params, int *nparams, int *maxparams,
                         const char *name, int value)
{
    virTypedParameter p = { .value.b = !!value };

    virResetLastError();
    return typedParamsAdd(params, nparams, maxparams, name, VIR_TYPED_PARAM_BOOLEAN, &p);
}


/**
 * virTypedParamsAddString:
 * @params: pointer to the array of typed parameters (may point to NULL)
 * @nparams: number of parameters in *@params; incremented on success
 * @maxparams: number of slots allocated in *@params; updated when it grows
 * @name: name of the new parameter (shorter than VIR_TYPED_PARAM_FIELD_LENGTH)
 * @value: its value, copied (NULL is stored as "", as libvirt 9.0 does)
 *
 * Appends a string parameter, as virTypedParamsAddInt; the copy is freed by
 * virTypedParamsClear or virTypedParamsFree.
 *
 * Returns 0 on success, -1 with VIR_ERR_INTERNAL_ERROR if @name is too long.
 */
int
virTypedParamsAddString(virTypedParameterPtr *params, int *nparams, int *maxparams,
                        const char *name, const char *value)
{
    virTypedParameter p = { .value.s = (char *)value };

    virResetLastError();
    return typedParamsAdd(params, nparams, maxparams, name, VIR_TYPED_PARAM_STRING, &p);
}


/**
 * virTypedParamsAddStringList:
 * @params: pointer to the array of typed parameters (may point to NULL)
 * @nparams: number of parameters in *@params; incremented per string added
 * @maxparams: number of slots allocated in *@params; updated when it grows
 * @name: name shared by the new parameters
 * @values: NULL-terminated list of strings, or NULL (nothing added)
 *
 * Appends one string parameter called @name per entry of @values, in order
 * (virTypedParamsAddString each); stops at the first failure, keeping the
 * ones already added.
 *
 * Returns 0 on success or when @values is NULL; -1 on error, and also (as
 * libvirt 9.0, with no error set) when @values is an empty list.
 */
int
virTypedParamsAddStringList(virTypedParameterPtr *params, int *nparams, int *maxparams,
                            const char *name, const char **values)
{
    size_t i;
    int rv = -1;

    if (!values)
        return 0;
    for (i = 0; values[i]; i++) {
        if ((rv = virTypedParamsAddString(params, nparams, maxparams, name, values[i])) <
            0)
            break;
    }
    /* an empty list (values[0] == NULL) returns -1 with no error set:
     * libvirt 9.0's result, kept for callers that test it */
    return rv;
}


/**
 * virTypedParamsAddFromString:
 * @params: pointer to the array of typed parameters (may point to NULL)
 * @nparams: number of parameters in *@params; incremented on success
 * @maxparams: number of slots allocated in *@params; updated when it grows
 * @name: name of the new parameter (shorter than VIR_TYPED_PARAM_FIELD_LENGTH)
 * @type: its virTypedParameterType
 * @value: its value as text: a base 10 number (leading blanks allowed,
 *         nothing after it; "-N" wraps for the unsigned types as libvirt's
 *         parsers do), a C double, "true"/"false"/"1"/"0" (case ignored), or
 *         the string itself (copied)
 *
 * Appends a parameter of @type parsed from @value, as virTypedParamsAddInt.
 *
 * Returns 0 on success, -1 with VIR_ERR_INVALID_ARG ("NULL value for field
 * '%s'", "Invalid value for field '%s': expected TYPE", "Invalid boolean
 * value for field '%s'") or VIR_ERR_INTERNAL_ERROR (unknown @type, @name
 * too long).
 */
int
virTypedParamsAddFromString(virTypedParameterPtr *params, int *nparams, int *maxparams,
                            const char *name, int type, const char *value)
{
    virTypedParameter p;

    virResetLastError();
    typedParamsReserve(params, maxparams, *nparams);
    if (!value) {
        virReportError(VIR_ERR_INVALID_ARG, "NULL value for field '%s'",
                       name ? name : "(null)");
        goto error;
    }
    if (typedParamSetField(&p, name) < 0)
        goto error;
    if (typedParamFromString(&p, name ? name : "", type, value) < 0)
        goto error;
    return typedParamsAdd(params, nparams, maxparams, name, type, &p);

error:
    virDispatchError(NULL);
    return -1;
}


/**
 * virTypedParamsClear:
 * @params: the array of typed parameters, or NULL
 * @nparams: number of parameters in @params
 *
 * Frees the strings of the VIR_TYPED_PARAM_STRING parameters (and sets
 * them to NULL); the array itself stays allocated.
 *
 * Returns nothing.
 */
void
virTypedParamsClear(virTypedParameterPtr params, int nparams)
{
    int i;

    if (!params)
        return;
    for (i = 0; i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_STRING)
            g_clear_pointer(&params[i].value.s, g_free);
    }
}


/**
 * virTypedParamsFree:
 * @params: the array of typed parameters, or NULL
 * @nparams: number of parameters in @params
 *
 * virTypedParamsClear, then frees the array itself.
 *
 * Returns nothing.
 */
void
virTypedParamsFree(virTypedParameterPtr params, int nparams)
{
    virTypedParamsClear(params, nparams);
    g_free(params);
}
