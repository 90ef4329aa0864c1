/* nwfilter_params.c: <filterref> parameters and $VARIABLE references of network filters */
#define G_LOG_DOMAIN "virtkit.conf.nwfilter"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "domain_conf_priv.h"
#include "nwfilter_params.h"

#define NWFILTER_VARNAME_CHARS \
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
#define NWFILTER_VARVALUE_CHARS \
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:"
#define NWFILTER_MAX_ITERID 1000

int
virNWFilterStrToUI(const char *s, char **end, int base, unsigned int *out)
{
    unsigned long val;
    char *p;
    bool err = false;

    errno = 0;
    val = strtoul(s, &p, base);
    if (memchr(s, '-', p - s)) {
        if (-val > UINT_MAX)
            err = true;
        else
            val &= UINT_MAX;
    }
    err |= errno != 0 || (!end && *p) || p == s || (unsigned int)val != val;
    if (end)
        *end = p;
    if (err)
        return -1;
    *out = val;
    return 0;
}

static void
valuesFree(gpointer p)
{
    g_ptr_array_unref(p);
}

static gint
nameCompare(gconstpointer a, gconstpointer b, gpointer unused)
{
    return strcmp(a, b);
}

virNWFilterParams *
virNWFilterParamsNew(void)
{
    virNWFilterParams *params = g_new0(virNWFilterParams, 1);

    params->table = g_tree_new_full(nameCompare, NULL, g_free, valuesFree);
    return params;
}

void
virNWFilterParamsFree(virNWFilterParams *params)
{
    if (!params)
        return;
    g_tree_unref(params->table);
    g_free(params);
}

static bool
validName(const char *s)
{
    return s[strspn(s, NWFILTER_VARNAME_CHARS)] == '\0';
}

static bool
validValue(const char *s)
{
    return *s && s[strspn(s, NWFILTER_VARVALUE_CHARS)] == '\0';
}

void
virNWFilterParamsAdd(virNWFilterParams *params, const char *name, const char *value)
{
    GPtrArray *values = g_tree_lookup(params->table, name);

    if (!values) {
        values = g_ptr_array_new_with_free_func(g_free);
        g_tree_insert(params->table, g_strdup(name), values);
    }
    g_ptr_array_add(values, g_strdup(value));
}

virNWFilterParams *
virNWFilterParamsParse(xmlNodePtr node)
{
    virNWFilterParams *params = virNWFilterParamsNew();

    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        g_autofree char *name = NULL;
        g_autofree char *value = NULL;

        if (cur->type != XML_ELEMENT_NODE || !virDomainXMLNodeIs(cur, "parameter"))
            continue;
        name = virDomainXMLProp(cur, "name");
        value = virDomainXMLProp(cur, "value");
        if (!name || !validName(name) || !value || !validValue(value))
            continue;
        virNWFilterParamsAdd(params, name, value);
    }
    return params;
}

static gboolean
copyOne(gpointer key, gpointer value, gpointer data)
{
    GPtrArray *values = value;

    for (guint i = 0; i < values->len; i++)
        virNWFilterParamsAdd(data, key, values->pdata[i]);
    return FALSE;
}

virNWFilterParams *
virNWFilterParamsCopy(const virNWFilterParams *params)
{
    virNWFilterParams *copy = virNWFilterParamsNew();

    g_tree_foreach(params->table, copyOne, copy);
    return copy;
}

typedef struct {
    GString *buf;
    int indent;
} formatCtx;

static gboolean
formatOne(gpointer key, gpointer value, gpointer data)
{
    formatCtx *ctx = data;
    GPtrArray *values = value;

    /* names and values are restricted to characters XML carries as is */
    for (guint i = 0; i < values->len; i++)
        g_string_append_printf(ctx->buf, "%*s<parameter name='%s' value='%s'/>\n",
                               ctx->indent + 2, "", (const char *)key,
                               (const char *)values->pdata[i]);
    return FALSE;
}

void
virNWFilterParamsFormat(GString *buf, int indent, const char *filter,
                        const virNWFilterParams *params)
{
    formatCtx ctx = { buf, indent };

    g_string_append_printf(buf, "%*s<filterref filter='", indent, "");
    virDomainXMLEscape(buf, filter);
    if (!params || g_tree_nnodes(params->table) == 0) {
        g_string_append(buf, "'/>\n");
        return;
    }
    g_string_append(buf, "'>\n");
    g_tree_foreach(params->table, formatOne, &ctx);
    g_string_append_printf(buf, "%*s</filterref>\n", indent, "");
}

bool
virNWFilterVarAccessParse(const char *str, virNWFilterVarAccess *out)
{
    size_t len = strspn(str, NWFILTER_VARNAME_CHARS);
    const char *p;
    char *end;
    unsigned int num;
    int type;

    if (str[len] == '\0') {
        out->name = g_strdup(str);
        out->type = VIR_NWFILTER_VAR_ACCESS_ITERATOR;
        out->number = 0;
        return true;
    }
    if (str[len] != '[')
        return false;
    p = str + len + 1;
    while (g_ascii_isspace(*p))
        p++;
    if (*p == '@') {
        type = VIR_NWFILTER_VAR_ACCESS_ITERATOR;
        p++;
    } else {
        type = VIR_NWFILTER_VAR_ACCESS_ELEMENT;
    }
    if (virNWFilterStrToUI(p, &end, 10, &num) < 0)
        return false;
    p = end;
    while (g_ascii_isspace(*p))
        p++;
    /* as libvirt, what follows the ']' is not looked at */
    if (*p != ']')
        return false;
    if (type == VIR_NWFILTER_VAR_ACCESS_ITERATOR && num > NWFILTER_MAX_ITERID)
        return false;
    out->name = g_strndup(str, len);
    out->type = type;
    out->number = num;
    return true;
}

void
virNWFilterVarAccessFormat(GString *buf, const virNWFilterVarAccess *va)
{
    g_string_append(buf, va->name);
    if (va->type == VIR_NWFILTER_VAR_ACCESS_ELEMENT)
        g_string_append_printf(buf, "[%u]", va->number);
    else if (va->number != 0)
        g_string_append_printf(buf, "[@%u]", va->number);
}
