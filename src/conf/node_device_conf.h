/* node_device_conf.h: node devices as drivers hold them (name, parent, capabilities, XML) and their list */
#pragma once

#include <stdbool.h>

#include "datatypes.h"

/*
 * A node device is immutable once made: its name, its parent's name, its
 * capabilities (libvirt's names, in libvirt's order: the first is the
 * device's own; nested ones such as fc_host and vports follow when the
 * device has them) and its XML, formatted by whoever discovered it. A
 * list is replaced or changed under its lock; lookups copy what they give
 * out, so no device is used after the lock is dropped.
 */
typedef struct {
    char *name;
    char *parent;         /* NULL: none (computer) */
    GPtrArray *caps;      /* char *: capability names for ListCaps */
    GPtrArray *matchCaps; /* char *: every name a cap filter matches (caps + nested) */
    char *xml;
    bool active;
    bool persistent;
    bool autostart;
} virNodeDeviceObj;

virNodeDeviceObj *virNodeDeviceObjNew(const char *name, const char *parent,
                                      const char *xml);
/* Add @cap to what ListCaps shows (and to what filters match). */
void virNodeDeviceObjAddCap(virNodeDeviceObj *obj, const char *cap);
/* Add @cap to what filters match only (libvirt's nested fc_host, vports). */
void virNodeDeviceObjAddMatchCap(virNodeDeviceObj *obj, const char *cap);
void virNodeDeviceObjFree(virNodeDeviceObj *obj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNodeDeviceObj, virNodeDeviceObjFree);

typedef struct _virNodeDeviceObjList virNodeDeviceObjList;

/* @errDomain: the VIR_FROM_* of the errors below (the driver's). */
virNodeDeviceObjList *virNodeDeviceObjListNew(int errDomain);
void virNodeDeviceObjListFree(virNodeDeviceObjList *list);
/* Replace the whole content with @objs (taken; virNodeDeviceObj *). */
void virNodeDeviceObjListReplace(virNodeDeviceObjList *list, GPtrArray *objs);
/* Add @obj (taken), replacing a device of the same name. */
void virNodeDeviceObjListAdd(virNodeDeviceObjList *list, virNodeDeviceObj *obj);

/* The number / names (newly allocated, at most @maxnames) of the devices
 * having capability @cap (NULL: all). */
int virNodeDeviceObjListNumOfDevices(virNodeDeviceObjList *list, const char *cap);
int virNodeDeviceObjListGetNames(virNodeDeviceObjList *list, const char *cap,
                                 char **const names, int maxnames);
/* Handles on @conn of the devices matching @flags
 * (virConnectListAllNodeDeviceFlags: CAP_* bits are alternatives; ACTIVE /
 * INACTIVE filter on the state). The caller checked the flags it takes. */
int virNodeDeviceObjListExport(virConnectPtr conn, virNodeDeviceObjList *list,
                               virNodeDevicePtr **devices, unsigned int flags);

/* Copies of one device's parts; false (NO_NODE_DEVICE "no node device with
 * matching name 'X'" reported in the list's error domain) if there is none. */
bool virNodeDeviceObjListHas(virNodeDeviceObjList *list, const char *name);
char *virNodeDeviceObjListGetXML(virNodeDeviceObjList *list, const char *name);
/* The parent, or NULL with INTERNAL_ERROR "no parent for this device" (or
 * NO_NODE_DEVICE). */
char *virNodeDeviceObjListGetParent(virNodeDeviceObjList *list, const char *name);
int virNodeDeviceObjListNumOfCaps(virNodeDeviceObjList *list, const char *name);
int virNodeDeviceObjListListCaps(virNodeDeviceObjList *list, const char *name,
                                 char **const names, int maxnames);
/* 1/0 for the device's state, -1 if there is none. */
int virNodeDeviceObjListIsActive(virNodeDeviceObjList *list, const char *name);
int virNodeDeviceObjListIsPersistent(virNodeDeviceObjList *list, const char *name);
int virNodeDeviceObjListGetAutostart(virNodeDeviceObjList *list, const char *name);

/* Remove @name; false if there was none (nothing reported). */
bool virNodeDeviceObjListRemove(virNodeDeviceObjList *list, const char *name);
/* A copy of the device @name (caller frees), or NULL: NO_NODE_DEVICE
 * reported unless @quiet. */
virNodeDeviceObj *virNodeDeviceObjListCopy(virNodeDeviceObjList *list, const char *name,
                                           bool quiet);
/* Copies of every device, by name (caller frees the array). */
GPtrArray *virNodeDeviceObjListCopyAll(virNodeDeviceObjList *list);
/* Whether a cap filter @cap matches @obj (its caps and nested ones). */
bool virNodeDeviceObjHasCap(const virNodeDeviceObj *obj, const char *cap);
