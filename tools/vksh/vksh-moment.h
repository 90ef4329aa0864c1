/* vksh-moment.h: what the snapshot-* and checkpoint-* commands share (lists, trees, XML fields) */
#pragma once

#include <libxml/tree.h>

#include "vksh.h"

/*
 * A kind of moment as the list commands handle it: the handle's name,
 * reference and release calls, and virsh's parent lookup of the kind
 * (the parent's name into *@parent, NULL for a root; false after an
 * error other than "no parent", reported as the kind's command does).
 */
typedef struct {
    const char *(*name)(void *obj);
    void (*ref)(void *obj);
    void (*free)(void *obj);
    bool (*parent)(vkshControl *ctl, void *obj, char **parent);
} vkshMomentKind;

/* One listed moment: its handle (owned) and, for --tree, its parent. */
typedef struct {
    const vkshMomentKind *kind;
    void *obj;
    char *parent;
} vkshMoment;

/*
 * virsh's virsh{Snapshot,Checkpoint}ListCollect after its ListAll call:
 * the @count handles of @objs (taken over, the array freed with free())
 * as an array of vkshMoment; with @tree each gets its parent and @from
 * (when given, referenced again) joins the list as the tree's root;
 * sorted by name unless @topological. NULL after a failed parent lookup.
 */
GPtrArray *vkshMomentListNew(vkshControl *ctl, const vkshMomentKind *kind, void **objs,
                             int count, void *from, bool tree, bool topological);

/* virsh's --tree output of a list from vkshMomentListNew(tree=true). */
void vkshMomentTreePrint(vkshControl *ctl, GPtrArray *list);

/* The creation time column of the lists: the seconds of @ctime (the
 * <creationTime> text) in local time as "%Y-%m-%d %H:%M:%S %z" into @buf
 * ("" when the time cannot be converted). false when @ctime is not a
 * number (virsh skips that row). */
bool vkshMomentCreationTime(const char *ctime, char *buf, size_t len);

/* The text of the first element named @name under the root of @doc (of
 * its first child named @child when @child is not NULL), or NULL. */
char *vkshMomentXMLText(xmlDocPtr doc, const char *name, const char *child);
