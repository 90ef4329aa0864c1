/* node_device_def.h: the <device> documents of virNodeDeviceCreateXML / DefineXML */
#pragma once

#include <stdbool.h>
#include <glib.h>

#include "node_device_conf.h"

/*
 * What libvirt 9.0's parser keeps of a device a user asks to create or
 * define (its CREATE_DEVICE mode): the name (libvirt's "new device" when
 * absent), how the parent is named, the first capability's type and the
 * fields of the two kinds libvirt can create (an NPIV vHBA: scsi_host with
 * a nested fc_host; a mediated device: mdev). Other capability types are
 * kept by type only.
 */
typedef struct {
    char *name;
    char *parent;
    char *parentWWNN;
    char *parentWWPN;
    char *parentFabricWWN;
    char *capType;
    bool fcHost;   /* scsi_host with <capability type='fc_host'> */
    bool vportOps; /* scsi_host with <capability type='vport_ops'> */
    char *wwnn;
    char *wwpn;
    char *fabricWWN;
    char *host; /* scsi_host <host>, <unique_id> as written (not checked) */
    char *uniqueId;
    char *mdevType;
    char *mdevUUID;
} virNodeDeviceDef;

void virNodeDeviceDefFree(virNodeDeviceDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNodeDeviceDef, virNodeDeviceDefFree);

/* Parse @xml as libvirt 9.0 parses a device to create or define. Returns
 * the definition (caller frees) or NULL with libvirt's error reported:
 * XML syntax (XML_DETAIL, domain NODEDEV), a wrong root or capability type
 * (XML_ERROR, domain XML), a parent wwnn without wwpn (XML_ERROR), no
 * capability, an unknown nested scsi_host capability, a system device
 * without UUID (INTERNAL_ERROR), an mdev without type id
 * (CONFIG_UNSUPPORTED), all in domain NODEDEV unless said. */
virNodeDeviceDef *virNodeDeviceDefParseString(const char *xml);

/* The XML of a vHBA (scsi_host + fc_host) as libvirt's test driver shows
 * one: name, parent, host, unique_id, wwnn, wwpn, fabric_wwn. */
char *virNodeDeviceDefFormatSCSIHost(const virNodeDeviceDef *def);

/* 1 if the stored XML of a device (as drivers format it) names a
 * scsi_host with an fc_host; its wwnn/wwpn/fabric_wwn in *@out (caller
 * frees); 0 if it does not; -1 (not reported) if it does not parse. */
int virNodeDeviceXMLGetFC(const char *xml, virNodeDeviceDef **out);

/* libvirt's virNodeDeviceGetWWNs: the wwnn/wwpn of a vHBA to create (caller
 * frees), generated as libvirt does for QEMU ("5001a4a" + 9 random hex
 * digits) when missing and @generate, else INTERNAL_ERROR "no WWNN
 * supplied for 'N', and auto-generation failed"; INTERNAL_ERROR "Device is
 * not a fibre channel HBA" for another device. 0 or -1 reported. */
int virNodeDeviceDefGetWWNs(const virNodeDeviceDef *def, bool generate, char **wwnn,
                            char **wwpn);

/* libvirt's virNodeDeviceObjListGetParentHost: the vport-capable HBA of
 * @list that @def names as its parent (by name, by wwnn/wwpn, by
 * fabric_wwn, else the first vport-capable one). Returns 0 with its name
 * in *@parent (caller frees), or -1 with libvirt's INTERNAL_ERROR ("Could
 * not find parent device for 'N'", "Parent device P is not capable of
 * vport operations", "Could not find any vport capable device"). */
int virNodeDeviceDefFindParentHost(virNodeDeviceObjList *list,
                                   const virNodeDeviceDef *def, char **parent);
