/* storage_parted.c: parsing parted(8)'s printout of a partition table (the disk backend) */

#define G_LOG_DOMAIN "virtkit.storage.parted"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage_parted.h"

void
virStoragePartTableFree(virStoragePartTable *t)
{
    if (!t)
        return;
    g_free(t->label);
    if (t->parts)
        g_array_unref(t->parts);
    g_free(t);
}

/* "123B" -> 123; false unless the whole token is digits and a 'B' */
static bool
parseBytes(const char *tok, unsigned long long *val)
{
    size_t len = strlen(tok);
    char *end = NULL;

    if (len < 2 || len > 21 || tok[len - 1] != 'B' || !g_ascii_isdigit(tok[0]))
        return false;
    errno = 0;
    *val = g_ascii_strtoull(tok, &end, 10);
    return errno == 0 && end == tok + len - 1;
}

static bool
parseRow(virStoragePartTable *t, char **tok, guint ntok)
{
    virStoragePart p = { 0 };
    bool msdos = g_strcmp0(t->label, "msdos") == 0;
    guint i = 0;

    /* a free row has no number (a gpt partition may be named "Free Space") */
    if (ntok == 5 && strcmp(tok[3], "Free") == 0 && strcmp(tok[4], "Space") == 0 &&
        g_ascii_isdigit(tok[0][0]) && tok[0][strlen(tok[0]) - 1] == 'B') {
        p.kind = VIR_STORAGE_PART_FREE;
    } else {
        char *end = NULL;
        long n;

        if (ntok < 4)
            return false;
        errno = 0;
        n = strtol(tok[0], &end, 10);
        if (errno || *end || n <= 0 || n > 4096)
            return false;
        p.num = (int)n;
        i = 1;
    }
    if (ntok < i + 3 || !parseBytes(tok[i], &p.start) || !parseBytes(tok[i + 1], &p.end))
        return false;
    if (p.end < p.start || p.end == G_MAXUINT64)
        return false;
    p.end++;
    if (p.kind != VIR_STORAGE_PART_FREE && msdos) {
        if (ntok < 5)
            return false;
        if (strcmp(tok[4], "primary") == 0)
            p.kind = VIR_STORAGE_PART_PRIMARY;
        else if (strcmp(tok[4], "logical") == 0)
            p.kind = VIR_STORAGE_PART_LOGICAL;
        else if (strcmp(tok[4], "extended") == 0)
            p.kind = VIR_STORAGE_PART_EXTENDED;
        else
            return false;
    }
    g_array_append_val(t->parts, p);
    return true;
}

virStoragePartTable *
virStoragePartTableParse(const char *text)
{
    g_autoptr(virStoragePartTable) t = g_new0(virStoragePartTable, 1);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    bool rows = false;
    bool haveSize = false;

    t->parts = g_array_new(FALSE, TRUE, sizeof(virStoragePart));
    for (char **l = lines; *l; l++) {
        g_auto(GStrv) tok = NULL;
        guint ntok;

        if (!rows) {
            const char *v;

            if (g_str_has_prefix(*l, "Disk /") && (v = strrchr(*l, ':'))) {
                g_autofree char *s = g_strstrip(g_strdup(v + 1));

                if (!parseBytes(s, &t->size))
                    return NULL;
                haveSize = true;
            } else if (g_str_has_prefix(*l, "Partition Table: ")) {
                g_free(t->label);
                t->label = g_strstrip(g_strdup(*l + strlen("Partition Table: ")));
            } else if (g_str_has_prefix(*l, "Number ")) {
                rows = true;
            }
            continue;
        }
        tok = g_strsplit_set(*l, " \t", -1);
        /* drop the empty fields of the column padding */
        ntok = 0;
        for (guint i = 0; tok[i]; i++) {
            if (*tok[i])
                tok[ntok++] = tok[i];
            else
                g_free(tok[i]);
        }
        tok[ntok] = NULL;
        if (ntok == 0)
            continue;
        if (!parseRow(t, tok, ntok))
            return NULL;
    }
    if (!haveSize || !t->label || !rows)
        return NULL;
    for (guint i = 0; i < t->parts->len; i++) {
        if (g_array_index(t->parts, virStoragePart, i).end > t->size)
            return NULL;
    }
    return g_steal_pointer(&t);
}

bool
virStoragePartTableParseGeometry(virStoragePartTable *t, const char *text)
{
    const char *p = strstr(text, "BIOS cylinder,head,sector geometry: ");
    unsigned int c, h, s;

    if (!p || sscanf(p + strlen("BIOS cylinder,head,sector geometry: "), "%u,%u,%u", &c,
                     &h, &s) != 3)
        return false;
    if (c == 0 || h == 0 || s == 0 || h > 256 || s > 256)
        return false;
    t->cylinders = c;
    t->heads = h;
    t->sectors = s;
    return true;
}
