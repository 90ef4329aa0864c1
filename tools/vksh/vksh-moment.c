/* vksh-moment.c: what the snapshot-* and checkpoint-* commands share (lists, trees, XML fields) */
#define G_LOG_DOMAIN "vksh.moment"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vksh-moment.h"

static void
vkshMomentFree(vkshMoment *m)
{
    if (m->obj)
        m->kind->free(m->obj);
    g_free(m->parent);
    g_free(m);
}

static gint
vkshMomentSorter(gconstpointer a, gconstpointer b)
{
    const vkshMoment *ma = *(vkshMoment *const *)a;
    const vkshMoment *mb = *(vkshMoment *const *)b;

    return g_ascii_strcasecmp(ma->kind->name(ma->obj), mb->kind->name(mb->obj));
}

static void
vkshMomentAdd(GPtrArray *list, const vkshMomentKind *kind, void *obj)
{
    vkshMoment *m = g_new0(vkshMoment, 1);

    m->kind = kind;
    m->obj = obj;
    g_ptr_array_add(list, m);
}

GPtrArray *
vkshMomentListNew(vkshControl *ctl, const vkshMomentKind *kind, void **objs, int count,
                  void *from, bool tree, bool topological)
{
    g_autoptr(GPtrArray) list =
        g_ptr_array_new_with_free_func((GDestroyNotify)vkshMomentFree);

    for (int i = 0; i < count; i++)
        vkshMomentAdd(list, kind, objs[i]);
    free(objs);
    if (tree) {
        for (guint i = 0; i < list->len; i++) {
            vkshMoment *m = list->pdata[i];

            if (!kind->parent(ctl, m->obj, &m->parent))
                return NULL;
        }
        if (from) {
            kind->ref(from);
            vkshMomentAdd(list, kind, from);
        }
    }
    if (!topological)
        g_ptr_array_sort(list, vkshMomentSorter);
    return g_steal_pointer(&list);
}

void
vkshMomentTreePrint(vkshControl *ctl, GPtrArray *list)
{
    g_autofree const char **names = g_new0(const char *, list->len);
    g_autofree const char **parents = g_new0(const char *, list->len);

    for (guint i = 0; i < list->len; i++) {
        const vkshMoment *m = list->pdata[i];

        names[i] = m->kind->name(m->obj);
        parents[i] = m->parent;
    }
    for (guint i = 0; i < list->len; i++) {
        g_autoptr(GString) indent = g_string_new(NULL);

        if (!parents[i])
            vkshTreePrint(ctl, names, parents, list->len, i, i, true, indent);
    }
}

bool
vkshMomentCreationTime(const char *ctime, char *buf, size_t len)
{
    char *end = NULL;
    long long created = g_ascii_strtoll(ctime, &end, 10);
    time_t t;
    struct tm tm;

    if (end == ctime || *end)
        return false;
    t = (time_t)created;
    buf[0] = '\0';
    if (localtime_r(&t, &tm))
        strftime(buf, len, "%Y-%m-%d %H:%M:%S %z", &tm);
    return true;
}

char *
vkshMomentXMLText(xmlDocPtr doc, const char *name, const char *child)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);

    for (xmlNodePtr n = root ? root->children : NULL; n; n = n->next) {
        xmlChar *t;
        char *r;

        if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
            continue;
        if (child) {
            for (n = n->children; n; n = n->next) {
                if (n->type == XML_ELEMENT_NODE &&
                    strcmp((const char *)n->name, child) == 0)
                    break;
            }
            if (!n)
                return NULL;
        }
        t = xmlNodeGetContent(n);
        r = g_strdup((const char *)t);
        xmlFree(t);
        return r;
    }
    return NULL;
}
