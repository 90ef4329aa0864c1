/* nwfilter_params.h: <filterref> parameters and $VARIABLE references of network filters (libvirt 9.0's rules) */
#pragma once

#include <stdbool.h>

#include <glib.h>
#include <libxml/tree.h>

/*
 * The parameters of a <filterref> (in a <filter> or a domain's
 * <interface>): name -> list of values, in document order per name. A
 * <parameter> whose name is not [A-Za-z0-9_]+ or whose value is empty or
 * not [A-Za-z0-9_.:]+ is skipped, as libvirt does; they are formatted
 * sorted by name, one <parameter> per value.
 */
typedef struct {
    GTree *table; /* char *name -> GPtrArray of char * values */
} virNWFilterParams;

virNWFilterParams *virNWFilterParamsNew(void);
void virNWFilterParamsFree(virNWFilterParams *params);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNWFilterParams, virNWFilterParamsFree)

/* The <parameter> children of @node (never fails). */
virNWFilterParams *virNWFilterParamsParse(xmlNodePtr node);
/* Append @value to the values of @name (no check: the caller's values are
 * valid names and values). */
void virNWFilterParamsAdd(virNWFilterParams *params, const char *name, const char *value);
/* A deep copy. */
virNWFilterParams *virNWFilterParamsCopy(const virNWFilterParams *params);
/* Appends "<filterref filter='F'/>" or, with parameters, the element with
 * its <parameter> lines, each line indented by @indent spaces. */
void virNWFilterParamsFormat(GString *buf, int indent, const char *filter,
                             const virNWFilterParams *params);

typedef enum {
    VIR_NWFILTER_VAR_ACCESS_ELEMENT = 0,  /* $NAME[N] */
    VIR_NWFILTER_VAR_ACCESS_ITERATOR = 1, /* $NAME or $NAME[@N] */
} virNWFilterVarAccessType;

/* A $VARIABLE reference in a rule attribute (without the '$'). */
typedef struct {
    char *name;
    int type;            /* virNWFilterVarAccessType */
    unsigned int number; /* the index, or the iterator id (<= 1000) */
} virNWFilterVarAccess;

/* Parse "NAME", "NAME[N]" or "NAME[@N]" (what follows the '$'); false if
 * malformed (nothing reported: the caller reports the attribute). */
bool virNWFilterVarAccessParse(const char *str, virNWFilterVarAccess *out);
/* Appends the reference as libvirt prints it ("NAME", "NAME[N]", "NAME[@N]";
 * iterator 0 is implicit). */
void virNWFilterVarAccessFormat(GString *buf, const virNWFilterVarAccess *va);

/* libvirt's virStrToLong_ui: strtoul in @base, "-N" wrapping to UINT_MAX-N+1,
 * a value over UINT_MAX refused; with @end NULL the whole string must be
 * used. 0, or -1 (nothing reported). */
int virNWFilterStrToUI(const char *s, char **end, int base, unsigned int *out);
