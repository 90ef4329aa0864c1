/* moment_obj.h: the tree of a domain's moments (snapshots or checkpoints: libvirt's virDomainMomentObjList) and the queries both kinds answer with it */
#pragma once

#include <libvirt/libvirt.h>

#include "datatypes.h"
#include "domain_obj.h"
#include "moment_conf.h"

/* ---- the tree ------------------------------------------------------------
 * Protected by the domain object's lock. Moments are kept by name, in
 * creation order (a handful per domain: linear scans); the tree is the
 * parent_name links; @current names the current one. Every function takes
 * a NULL list as an empty one, except Add, Replace and SetCurrent. */
typedef struct _virDomainMomentObjList virDomainMomentObjList;

/* A new empty tree whose moments are freed with @freeDef. */
virDomainMomentObjList *virDomainMomentObjListNew(GDestroyNotify freeDef);
void virDomainMomentObjListFree(virDomainMomentObjList *list);

int virDomainMomentObjListCount(const virDomainMomentObjList *list);
/* The moment @name (lent), or NULL (nothing reported). */
virDomainMomentDef *virDomainMomentObjListFind(virDomainMomentObjList *list,
                                               const char *name);
/* Add *@def (taken on success). -1 with OPERATION_FAILED "domain moment
 * NAME already exists" (DOMAIN) when the name is taken. */
int virDomainMomentObjListAdd(virDomainMomentObjList *list, virDomainMomentDef **def);
/* Replace the moment of the same name (freed), or add it; *@def is taken. */
void virDomainMomentObjListReplace(virDomainMomentObjList *list,
                                   virDomainMomentDef **def);
/* Remove @name; its children take its parent. If it was current, current
 * becomes its parent (@currentToParent) or none. */
void virDomainMomentObjListRemove(virDomainMomentObjList *list, const char *name,
                                  bool currentToParent);
void virDomainMomentObjListRemoveAll(virDomainMomentObjList *list);

const char *virDomainMomentObjListGetCurrent(const virDomainMomentObjList *list);
void virDomainMomentObjListSetCurrent(virDomainMomentObjList *list, const char *name);

/* Number of direct children of @name (NULL: the roots). */
int virDomainMomentObjListNumChildren(virDomainMomentObjList *list, const char *name);
/* Every descendant of @name (NULL: the whole tree) as lent defs, parents
 * first; as libvirt, the newest child first. The array is new. */
GPtrArray *virDomainMomentObjListDescendants(virDomainMomentObjList *list,
                                             const char *name);

/*
 * The tree under a kind's own names and types, for virDomain<Kind>Def
 * (snapshot_obj.h, checkpoint_obj.h): virDomain<Kind>ObjList and its
 * New, Count, Find, Add, Replace, Remove (current to the parent when
 * @currentToParent), RemoveAll, GetCurrent, SetCurrent, NumChildren, each
 * the moment call above.
 */
#define VIR_DOMAIN_MOMENT_TYPED_TREE(Kind, currentToParent)                            \
    typedef virDomainMomentObjList virDomain##Kind##ObjList;                           \
    static inline virDomain##Kind##ObjList *virDomain##Kind##ObjListNew(void)          \
    {                                                                                  \
        return virDomainMomentObjListNew((GDestroyNotify)virDomain##Kind##DefFree);    \
    }                                                                                  \
    static inline int virDomain##Kind##ObjListCount(const virDomain##Kind##ObjList *l) \
    {                                                                                  \
        return virDomainMomentObjListCount(l);                                         \
    }                                                                                  \
    static inline virDomain##Kind##Def *virDomain##Kind##ObjListFind(                  \
        virDomain##Kind##ObjList *l, const char *name)                                 \
    {                                                                                  \
        return (virDomain##Kind##Def *)virDomainMomentObjListFind(l, name);            \
    }                                                                                  \
    static inline int virDomain##Kind##ObjListAdd(virDomain##Kind##ObjList *l,         \
                                                  virDomain##Kind##Def **def)          \
    {                                                                                  \
        return virDomainMomentObjListAdd(l, (virDomainMomentDef **)def);               \
    }                                                                                  \
    static inline void virDomain##Kind##ObjListReplace(virDomain##Kind##ObjList *l,    \
                                                       virDomain##Kind##Def **def)     \
    {                                                                                  \
        virDomainMomentObjListReplace(l, (virDomainMomentDef **)def);                  \
    }                                                                                  \
    static inline void virDomain##Kind##ObjListRemove(virDomain##Kind##ObjList *l,     \
                                                      const char *name)                \
    {                                                                                  \
        virDomainMomentObjListRemove(l, name, currentToParent);                        \
    }                                                                                  \
    static inline void virDomain##Kind##ObjListRemoveAll(virDomain##Kind##ObjList *l)  \
    {                                                                                  \
        virDomainMomentObjListRemoveAll(l);                                            \
    }                                                                                  \
    static inline const char *virDomain##Kind##ObjListGetCurrent(                      \
        const virDomain##Kind##ObjList *l)                                             \
    {                                                                                  \
        return virDomainMomentObjListGetCurrent(l);                                    \
    }                                                                                  \
    static inline void virDomain##Kind##ObjListSetCurrent(virDomain##Kind##ObjList *l, \
                                                          const char *name)            \
    {                                                                                  \
        virDomainMomentObjListSetCurrent(l, name);                                     \
    }                                                                                  \
    static inline int virDomain##Kind##ObjListNumChildren(virDomain##Kind##ObjList *l, \
                                                          const char *name)            \
    {                                                                                  \
        return virDomainMomentObjListNumChildren(l, name);                             \
    }

/* The listing flags both kinds share (their LIST_ bits have these values). */
#define VIR_DOMAIN_MOMENT_LIST_ROOTS (1 << 0)       /* listing a domain */
#define VIR_DOMAIN_MOMENT_LIST_DESCENDANTS (1 << 0) /* listing a moment's children */
#define VIR_DOMAIN_MOMENT_LIST_LEAVES (1 << 2)
#define VIR_DOMAIN_MOMENT_LIST_NO_LEAVES (1 << 3)

/* A kind's own listing filter: whether @def passes @flags. */
typedef bool (*virDomainMomentFilter)(virDomainMomentObjList *list,
                                      const virDomainMomentDef *def, unsigned int flags);

/*
 * Names (lent, parents first) of the moments of the whole domain (@from
 * NULL; ROOTS: roots only) or of the children of @from (DESCENDANTS: all
 * descendants), filtered by LEAVES / NO_LEAVES (both: none passes, as in
 * libvirt) and by @filter when given.
 * The array is new.
 */
GPtrArray *virDomainMomentObjListNames(virDomainMomentObjList *list, const char *from,
                                       unsigned int flags, virDomainMomentFilter filter);

/* libvirt's redefine check of @def's parent against @list: one that
 * exists (INVALID_ARG "parent P for moment N not found"), is not @def
 * itself and makes no cycle (all INVALID_ARG in DOMAIN). 0 or -1. */
int virDomainMomentRedefineParentCheck(virDomainMomentObjList *list,
                                       const virDomainMomentDef *def);

/* ---- the queries ----------------------------------------------------------
 * What a driver lends them: how it finds the domain object of a handle and
 * the error domain its messages carry (libvirt reports the same text from
 * VIR_FROM_QEMU in its QEMU driver and VIR_FROM_TEST in the test driver).
 * The queries take the domain object's lock only; the tree is protected by
 * it. Flags are checked by the driver's own entry point before calling
 * them (virCheckFlags names the entry point in its message). */
typedef struct {
    /* @dom's object, locked and referenced, or NULL with NO_DOMAIN reported */
    virDomainObj *(*objFromDomain)(virDomainPtr dom);
    int errdom; /* virErrorDomain of the driver's messages */
} virDomainMomentQueryOps;

/* A kind of moment, for the queries (snapshot_obj.c, checkpoint_obj.c). */
typedef struct {
    const char *noun;  /* "snapshot", "checkpoint": in libvirt's messages */
    int noSuchError;   /* VIR_ERR_NO_DOMAIN_SNAPSHOT, ..._CHECKPOINT */
    size_t listOffset; /* of the tree's pointer in virDomainObj */
    /* a new handle of the moment @name of @dom (virGetDomainSnapshot...) */
    void *(*handle)(virDomainPtr dom, const char *name);
    virDomainMomentFilter filter; /* the kind's own listing filter, or NULL */
} virDomainMomentKind;

/* @obj's tree of @kind (NULL until its first moment). */
virDomainMomentObjList *virDomainMomentKindList(const virDomainMomentKind *kind,
                                                virDomainObj *obj);

/* The moment @name of @obj (locked; lent), or NULL with libvirt's
 * NO_DOMAIN_<KIND> "no domain <noun> with matching name 'N'" in @errdom. */
virDomainMomentDef *virDomainMomentQueryFind(const virDomainMomentKind *kind,
                                             virDomainObj *obj, const char *name,
                                             int errdom);
/* @dom's object (locked, referenced: release with virDomainObjEndAPI) with
 * *@def set to its moment @name, or NULL with the error reported. */
virDomainObj *virDomainMomentQueryObj(const virDomainMomentKind *kind,
                                      const virDomainMomentQueryOps *ops,
                                      virDomainPtr dom, const char *name,
                                      virDomainMomentDef **def);
/*
 * The moments of @dom (@from NULL) or the children of its moment @from,
 * filtered by @flags. Returns their number and, when asked: up to
 * @maxnames new names in @names, or a new NULL-terminated array of new
 * handles in *@handles. -1 with the error reported; nothing written then.
 */
int virDomainMomentQueryList(const virDomainMomentKind *kind,
                             const virDomainMomentQueryOps *ops, virDomainPtr dom,
                             const char *from, unsigned int flags, char **const names,
                             int maxnames, void ***handles);
/* A new handle of @dom's moment @name (lookup), or of its parent; NULL
 * with libvirt's error ("<noun> 'N' does not have a parent"). */
void *virDomainMomentQueryLookup(const virDomainMomentKind *kind,
                                 const virDomainMomentQueryOps *ops, virDomainPtr dom,
                                 const char *name);
void *virDomainMomentQueryParent(const virDomainMomentKind *kind,
                                 const virDomainMomentQueryOps *ops, virDomainPtr dom,
                                 const char *name);
