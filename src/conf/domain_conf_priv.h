/* domain_conf_priv.h: helpers shared by the domain XML parser, formatter and status files */
#pragma once

#include <libxml/tree.h>
#include "domain_conf.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainDiskDef, virDomainDiskDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainNetDef, virDomainNetDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainChrDef, virDomainChrDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainChannelDef, virDomainChannelDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainRNGDef, virDomainRNGDefFree);

/* String tables indexed by the enums of domain_conf.h. */
extern const char *const virDomainBootNames[];
extern const char *const virDomainClockOffsetNames[];
extern const char *const virDomainDiskTypeNames[];
extern const char *const virDomainDiskDeviceNames[];
extern const char *const virDomainDiskBusNames[];
extern const char *const virStorageFormatNames[];
extern const char *const virDomainDiskCacheNames[];
extern const char *const virDomainDiskIoNames[];
extern const char *const virDomainDiskDiscardNames[];
extern const char *const virDomainDiskDetectZeroesNames[];
extern const char *const virDomainDiskErrorPolicyNames[];
extern const char *const virDomainDiskGeometryTransNames[];
extern const char *const virDomainNetTypeNames[];
extern const char *const virDomainChrTypeNames[];
extern const char *const virDomainChrTcpProtocolNames[];
extern const char *const virDomainChrTargetNames[];
extern const char *const virDomainMemballoonModelNames[];

int virDomainEnumFromString(const char *const *names, int last, const char *str);
const char *virDomainEnumToString(const char *const *names, int last, int value);

virDomainChrDef *virDomainChrDefCopy(const virDomainChrDef *src);

/* Parse a document (at most VIR_DOMAIN_XML_MAX_SIZE bytes) without
 * expanding entities or touching the network. Returns the doc (caller
 * frees with xmlFreeDoc) or NULL with XML_DETAIL / XML_ERROR reported,
 * domain DOMAIN, @url naming the document in messages. */
xmlDocPtr virDomainXMLReadDoc(const char *xml, size_t len, const char *url);

/* Attribute value (text only, entity references skipped), NULL if absent. */
char *virDomainXMLProp(xmlNodePtr node, const char *name);
/* First element child named @name, or NULL. */
xmlNodePtr virDomainXMLChild(xmlNodePtr parent, const char *name);
/* The text of @parent's first child element @name (as
 * virDomainXMLNodeText), newly allocated; NULL when there is none. */
char *virDomainXMLChildText(xmlNodePtr parent, const char *name);

/* Free @arr and return its elements in a block of exactly their size (NULL
 * when empty): definitions live as long as the daemon, and an array keeps
 * room to grow (a power of two, 16 pointers at least) that they never use. */
gpointer virDomainArrayStealExact(GArray *arr);
gpointer virDomainPtrArrayStealExact(GPtrArray *arr);

/* A disk target's index ("vdc" -> 2; "sdaa" -> 26), -1 if not a disk name
 * (libvirt's virDiskNameToIndex). domain_address_conf.c. */
int virDomainDiskNameIndex(const char *dst);

/* "52:54:00:aa:bb:cc" -> 6 bytes; 0 or -1 (nothing reported). */
int virDomainMACParse(const char *str, unsigned char *mac);
/* One <interface> (@node) parsed and checked, appended to @nets; -1 with
 * libvirt's error (domain_net_conf.c). */
int virDomainNetParse(GPtrArray *nets, xmlNodePtr node, unsigned int flags);

/* libvirt's unit scaling: @value in @suffix units -> bytes, at most @limit.
 * 0, or -1 with INVALID_ARG / OVERFLOW (domain NONE) reported. */
int virDomainScaleInteger(unsigned long long *value, const char *suffix,
                          unsigned long long limit);

/* Append @def's XML to @buf, each line indented by @indent spaces. */
void virDomainDefFormatBuf(GString *buf, const virDomainDef *def, unsigned int flags,
                           int indent);

/* Build a def from a parsed <domain> element (libvirt's checks and
 * generic post-parse defaults applied). NULL with the error reported. */
virDomainDef *virDomainDefParseNode(xmlNodePtr root, unsigned int flags);

/* Append @str to @buf escaped for XML text or a single-quoted attribute. */
void virDomainXMLEscape(GString *buf, const char *str);
/* @before, @value escaped as virDomainXMLEscape does, then @after. */
void virDomainXMLEscapeBetween(GString *buf, const char *before, const char *value,
                               const char *after);

/* ---- shared by the parser files (domain_xml.c) ---- */

/* Text content of an element (text and CDATA only; entity references are
 * skipped, never expanded). NonEmpty: NULL when empty or @node is NULL. */
char *virDomainXMLNodeText(xmlNodePtr node);
char *virDomainXMLNodeTextNonEmpty(xmlNodePtr node);
bool virDomainXMLNodeIs(xmlNodePtr node, const char *name);
/* At most this many distinct names are kept in def->unknownElements. */
#define VIR_DOMAIN_UNKNOWN_ELEMENTS_MAX 64

/* Record @node (under @parent, NULL for <domain>) in @unknown; with
 * PARSE_VALIDATE, report XML_INVALID_SCHEMA once and set *failed. */
void virDomainXMLRecordUnknown(GPtrArray *unknown, const char *parent, xmlNodePtr node,
                               unsigned int flags, bool *failed);
/*
 * Attributes a parser carries, element by element: @path is "" for the
 * element itself, "CHILD" or "CHILD/GRANDCHILD" for (every) such element
 * below it; @attrs is NULL-terminated. Anything else present is recorded
 * as "PARENT[/PATH]@NAME" in @unknown (a driver refuses it); with
 * PARSE_VALIDATE it is a schema error (*failed set). A table ends with a
 * NULL path.
 */
typedef struct {
    const char *path;
    const char *const *attrs;
} virDomainXMLAttrRule;

void virDomainXMLCheckAttrs(GPtrArray *unknown, const char *parent, xmlNodePtr node,
                            const virDomainXMLAttrRule *rules, unsigned int flags,
                            bool *failed);
/* The same for a <devices> child: recorded as "devices/NAME[/PATH]@ATTR". */
void virDomainXMLCheckDeviceAttrs(GPtrArray *unknown, xmlNodePtr node,
                                  const virDomainXMLAttrRule *rules, unsigned int flags,
                                  bool *failed);

/* libvirt's messages for a bad / missing enum attribute (XML_ERROR, domain XML). */
void virDomainXMLReportInvalidAttr(const char *attr, xmlNodePtr node, const char *value);
void virDomainXMLReportMissingAttr(const char *attr, xmlNodePtr node);
/* CONFIG_UNSUPPORTED "<what> '<value>' is not supported by virtkit": a value
 * libvirt accepts that virtkit does not carry. */
void virDomainReportUnsupportedValue(const char *what, const char *value);
/* libvirt's virFileSanitizePath on @path, in place (domain_xml.c) */
void virDomainSanitizePath(char *path);
/* on/off attributes and int attributes as libvirt reads them (domain_xml.c):
 * 1 read, 0 absent, -1 reported */
int virDomainXMLPropSwitch(xmlNodePtr node, const char *name, int *out);
/* "on" for VIR_DOMAIN_TRISTATE_ON, else "off" (callers skip ABSENT) */
const char *virDomainTristateSwitchName(int v);
int virDomainXMLPropInt(xmlNodePtr node, const char *name, int *out);
/* Unsigned decimal as libvirt's virStrToLong_ullp; 0 or -1 (nothing reported). */
int virDomainParseULL(const char *str, unsigned long long *val);
bool virDomainStrInList(const char *const *list, const char *str);

/* domain_disk_net_conf.c. Parse: @source of a type='network' disk into
 * disk->net (and disk->auth when <source> holds <auth>); -1 with libvirt's
 * XML_ERROR / CONFIG_UNSUPPORTED / INVALID_ARG reported. Validate: the
 * generic rules libvirt checks at define (auth per protocol, secret type).
 * Format: <source> (and its <auth> when it was written there) at @indent;
 * cookies only with VIR_DOMAIN_DEF_FORMAT_SECURE. */
int virDomainDiskNetSourceParse(xmlNodePtr source, virDomainDiskDef *disk);
int virDomainDiskNetSourceValidate(const virDomainDiskDef *disk);
int virDomainDiskAuthParse(xmlNodePtr node, virStorageAuthDef **out);
void virDomainDiskNetSourceFormat(GString *buf, int indent, const virDomainDiskDef *disk,
                                  unsigned int flags);
void virDomainDiskAuthFormat(GString *buf, int indent, const virStorageAuthDef *auth);

/* Virtio options (domain_xml.c). Parse: <driver iommu ats packed
 * page_per_vq> of @driver (may be NULL) into @v as libvirt's
 * virDomainVirtioOptionsParseXML, its XML_ERROR for a bad value; -1 then.
 * Format: those set, as " NAME='on|off'" in libvirt's order. CheckAbsent:
 * libvirt's CONFIG_UNSUPPORTED for an option on a device that is not a
 * virtio one; -1 then. */
int virDomainVirtioOptionsParse(xmlNodePtr driver, virDomainVirtioOptions *v);
void virDomainVirtioOptionsFormat(GString *buf, const virDomainVirtioOptions *v);
int virDomainVirtioOptionsCheckAbsent(const virDomainVirtioOptions *v);
/* The attribute names a <driver> with only virtio options carries */
extern const char *const virDomainVirtioOptionsAttrs[];

/* <devices> children into @def (domain_device_conf.c). */
int virDomainDevicesParse(virDomainDef *def, xmlNodePtr devices, GPtrArray *unknown,
                          unsigned int flags, bool *failed);

/* The checks every <devices> child gets: children and attributes its parser
 * does not carry are recorded in @unknown (see virDomainXMLRecordUnknown,
 * virDomainXMLCheckDeviceAttrs); -1 when that failed the parse. With
 * "CHILD/" in @known, CHILD's own children are checked too: only those
 * listed as "CHILD/NAME" are carried. */
int virDomainDeviceCheckChildren(xmlNodePtr node, const char *const *known,
                                 GPtrArray *unknown, unsigned int flags, bool *failed);
int virDomainDeviceCheckAttrs(xmlNodePtr node, const virDomainXMLAttrRule *rules,
                              GPtrArray *unknown, unsigned int flags, bool *failed);

/* ---- domain_controller_conf.c: <controller> ---- */
/* A non-negative int attribute as libvirt's virXMLPropInt: *@out -1 when
 * absent; -1 with libvirt's XML error when not an int or negative. */
int virDomainXMLPropNonNegInt(xmlNodePtr node, const char *name, int base, int *out);
/* An unsigned int attribute as libvirt's virXMLPropUInt (base 10, zero
 * allowed): 0 with *@out set (left alone when absent), -1 with libvirt's
 * XML error. */
int virDomainXMLPropUInt(xmlNodePtr node, const char *name, unsigned int *out);
/* One <controller> (NULL with libvirt's error). */
virDomainControllerDef *virDomainControllerParseXML(xmlNodePtr node);
/* @ctrl into @ctrls at libvirt's place (virDomainControllerInsertPreAlloced);
 * @ctrls takes it. */
void virDomainControllerInsert(GPtrArray *ctrls, virDomainControllerDef *ctrl);
/* Indexes for controllers given none: the lowest free of their type. */
void virDomainControllersAssignIndexes(GPtrArray *ctrls);
/* libvirt's USB companion-controller rules; -1 with its error. */
int virDomainControllersCheckUSB(GPtrArray *ctrls);
/* libvirt's checks of every controller list: one controller per type and
 * index (USB excepted), no address on a PCI root; -1 with its error. */
int virDomainControllersCheck(GPtrArray *ctrls);
/* The controllers libvirt adds for @def's disks, channels, consoles and
 * smartcards, into @ctrls. */
void virDomainControllersAddImplicit(virDomainDef *def, GPtrArray *ctrls);

/* ---- domain_graphics_conf.c: the display devices ---- */
/* One <input>, <graphics>, <audio> or <video> element appended to *@arr
 * (made on first use); -1 with libvirt's error. */
int virDomainInputParseXML(GArray **inputs, xmlNodePtr node, GPtrArray *unknown,
                           unsigned int flags, bool *failed);
int virDomainGraphicsParseXML(GPtrArray **graphics, xmlNodePtr node, GPtrArray *unknown,
                              unsigned int flags, bool *failed);
int virDomainVideoParseXML(GPtrArray **videos, xmlNodePtr node, GPtrArray *unknown,
                           unsigned int flags, bool *failed);
/* Move the parsed arrays into @def (exact size), adding libvirt's implicit
 * video device when there are graphics and no video. */
void virDomainDisplayDevicesSteal(virDomainDef *def, GArray **inputs,
                                  GPtrArray **graphics, GArray **audios,
                                  GPtrArray **videos);

/* ---- domain_spice_conf.c: <sound>, <redirdev>, <smartcard>, <hub> ---- */
typedef struct {
    GPtrArray *sounds; /* made on first use */
    GPtrArray *redirdevs;
    GPtrArray *smartcards;
    GPtrArray *hubs;
} virDomainSpiceDevices;
/* @node if it is one of them, appended to @acc: 1; not one of them: 0;
 * -1 with libvirt's error. */
int virDomainSpiceDeviceParseXML(virDomainSpiceDevices *acc, xmlNodePtr node,
                                 GPtrArray *unknown, unsigned int flags, bool *failed);
/* Move them into @def (after the audios), then libvirt's check that each
 * sound's <audio id> exists; -1 with its error. */
int virDomainSpiceDevicesSteal(virDomainDef *def, virDomainSpiceDevices *acc);
void virDomainSpiceDevicesClear(virDomainSpiceDevices *acc);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(virDomainSpiceDevices, virDomainSpiceDevicesClear);
/* Free / deep-copy the three arrays of a def. */
void virDomainSpiceDevicesFree(virDomainDef *def);
void virDomainSpiceDevicesCopy(virDomainDef *dst, const virDomainDef *src);
/* <sound ...> at @indent; <NAME OPEN/> or with its <address> child. */
void virDomainSoundFormat(GString *buf, int indent, const virDomainSoundDef *s);
/* A <redirdev> (always with an end tag, as libvirt writes it) */
void virDomainRedirdevFormat(GString *buf, int indent, const virDomainRedirdevDef *r);
void virDomainAddressedDeviceFormat(GString *buf, int indent, const char *open,
                                    const char *name, const virDomainDeviceAddress *addr);

/* ---- domain_audio_conf.c: <audio> ---- */
/* One <audio> appended to *@audios (made on first use, its elements
 * cleared by virDomainAudioDefClear); -1 with libvirt's error. */
int virDomainAudioParseXML(GArray **audios, xmlNodePtr node, GPtrArray *unknown,
                           unsigned int flags, bool *failed);
/* <audio .../> at @indent, as libvirt 9.0 writes it. */
void virDomainAudioFormat(GString *buf, int indent, const virDomainAudioDef *a);

/* ---- domain_hostdev_conf.c: <hostdev> ---- */
/* One <hostdev> appended to *@hostdevs (made on first use); -1 with
 * libvirt's error. */
int virDomainHostdevParseXML(GPtrArray **hostdevs, xmlNodePtr node, GPtrArray *unknown,
                             unsigned int flags, bool *failed);
/* <hostdev> at @indent, as libvirt 9.0 writes it. */
void virDomainHostdevFormat(GString *buf, int indent, const virDomainHostdevDef *h,
                            unsigned int flags);

/* ---- domain_panic_conf.c: <panic> ---- */
/* One <panic> appended to *@panics (made on first use, g_free); -1 with
 * libvirt's error. */
int virDomainPanicParseXML(GPtrArray **panics, xmlNodePtr node, GPtrArray *unknown,
                           unsigned int flags, bool *failed);
/* <panic .../> at @indent. */
void virDomainPanicFormat(GString *buf, int indent, const virDomainPanicDef *panic);

/* ---- domain_memory_conf.c: <memory> devices ---- */
/* One <memory> appended to *@mems (made on first use); -1 with libvirt's
 * parse error. Validate: libvirt's virDomainMemoryDefValidate of each
 * (after post-parse). Format: <memory ...> at @indent. */
int virDomainMemoryParseXML(GPtrArray **mems, xmlNodePtr node, GPtrArray *unknown,
                            unsigned int flags, bool *failed);
int virDomainMemoryDevicesValidate(const virDomainDef *def);
void virDomainMemoryFormat(GString *buf, int indent, const virDomainMemoryDef *mem,
                           unsigned int flags);

/* ---- domain_tpm_conf.c: <tpm> ---- */
/* One <tpm> appended to *@tpms (made on first use); -1 with libvirt's error. */
int virDomainTPMParseXML(GPtrArray **tpms, xmlNodePtr node, GPtrArray *unknown,
                         unsigned int flags, bool *failed);
/* <tpm> at @indent, as libvirt 9.0 writes it (the alias unless INACTIVE). */
void virDomainTPMFormat(GString *buf, int indent, const virDomainTPMDef *tpm,
                        unsigned int flags);

/* ---- domain_iommu_conf.c: <iommu> ---- */
/* One <iommu> into @def->iommu; -1 with libvirt's error (a second one,
 * a bad model or driver option, libvirt's virDomainIOMMUDefValidate). */
int virDomainIOMMUParseXML(virDomainDef *def, xmlNodePtr node, GPtrArray *unknown,
                           unsigned int flags, bool *failed);
/* libvirt's virDomainDefIOMMUValidate (after the whole definition is
 * read: it needs <features><ioapic>); -1 with its error. */
int virDomainIOMMUValidate(const virDomainDef *def);
/* <iommu .../> at @indent (its <alias> unless FORMAT_INACTIVE). */
void virDomainIOMMUFormat(GString *buf, int indent, const virDomainIOMMUDef *iommu,
                          unsigned int flags);

/* ---- domain_watchdog_conf.c: <watchdog> ---- */
/* One <watchdog> into @def->watchdog; -1 with libvirt's error (a second
 * one: INTERNAL_ERROR "only a single watchdog device is supported"). */
int virDomainWatchdogParseXML(virDomainDef *def, xmlNodePtr node, GPtrArray *unknown,
                              unsigned int flags, bool *failed);
/* <watchdog .../> at @indent (its <alias> unless FORMAT_INACTIVE). */
void virDomainWatchdogFormat(GString *buf, int indent, const virDomainWatchdogDef *wd,
                             unsigned int flags);

/* The <address> child of @device into @addr (zeroed, type NONE, when
 * absent); libvirt's errors for a missing/unknown type or a bad field
 * (domain_address_conf.c). */
int virDomainDeviceAddressParse(xmlNodePtr device, virDomainDeviceAddress *addr);
/* Append @addr as one <address .../> line indented by @indent; nothing for
 * type NONE. */
void virDomainDeviceAddressFormat(GString *buf, int indent,
                                  const virDomainDeviceAddress *addr);

/* The <rom> child of @device into @rom (left zeroed when absent), with
 * libvirt's errors for a bad value and CONFIG_UNSUPPORTED "ROM tuning is
 * not supported when ROM is disabled"; -1 then. (domain_address_conf.c) */
int virDomainDeviceRomParse(xmlNodePtr device, virDomainDeviceRom *rom);
/* One <rom .../> line at @indent, nothing when @rom holds nothing. */
void virDomainDeviceRomFormat(GString *buf, int indent, const virDomainDeviceRom *rom);
void virDomainDeviceRomCopy(virDomainDeviceRom *dst, const virDomainDeviceRom *src);
void virDomainDeviceRomClear(virDomainDeviceRom *rom);

/* ---- domain_boot_conf.c ---- */
/* The <boot> child of @device into @boot (left zeroed when absent), as
 * libvirt 9.0 reads it: order required and non-zero (XML errors), loadparm
 * upper-cased, 1 to 8 of [A-Za-z0-9. ] (INTERNAL_ERROR otherwise); -1 then. */
int virDomainDeviceBootParse(xmlNodePtr device, virDomainDeviceBoot *boot);
/* One <boot .../> line at @indent, nothing without an order. */
void virDomainDeviceBootFormat(GString *buf, int indent, const virDomainDeviceBoot *boot);
void virDomainDeviceBootCopy(virDomainDeviceBoot *dst, const virDomainDeviceBoot *src);
void virDomainDeviceBootClear(virDomainDeviceBoot *boot);
/* libvirt's virDomainDefBootOrderPostParse for an hvm @def: the boot orders
 * of its devices unique ("boot order 'N' used for more than one device")
 * and not mixed with <os><boot> ("per-device boot elements cannot be used
 * together with os/boot elements"), both CONFIG_UNSUPPORTED; without either,
 * the implicit <boot dev='hd'/>. -1 with the error. */
int virDomainDefBootOrderPostParse(virDomainDef *def);

/* ---- domain_tune.c ---- */
/* <cputune>, <memtune>, <resource> into @def; -1 with libvirt's error. */
int virDomainTuneParse(virDomainDef *def, xmlNodePtr root, GPtrArray *unknown,
                       unsigned int flags, bool *failed);
/* Append <memtune> (@what 'm'), <cputune> ('c') or <resource> ('r') at @indent. */
void virDomainTuneFormat(GString *buf, int indent, const virDomainDef *def, char what);
/* @node's cpuset attribute as a normalized cpu list ("0-2,4"); NULL when
 * absent (nothing reported) or invalid (libvirt's error reported). */
char *virDomainParsePinCpuset(xmlNodePtr node);

/* ---- domain_os_conf.c: <os>, <clock>, <features>, <pm> ---- */
/* <os><type arch machine> (checked early, as libvirt); -1 with its error. */
int virDomainOSTypeParse(virDomainDef *def, xmlNodePtr os);
/* The rest of <os>: firmware, loader, nvram, kernel, boot order. */
int virDomainOSParse(virDomainDef *def, xmlNodePtr os, GPtrArray *unknown,
                     unsigned int flags, bool *failed);
int virDomainClockParse(virDomainDef *def, xmlNodePtr clock, GPtrArray *unknown,
                        unsigned int flags, bool *failed);
/* <features><hyperv> as libvirt 9.0 writes it (nothing without one) */
void virDomainHypervFormat(GString *buf, int indent, const virDomainDef *def);
/* <features><kvm> as libvirt 9.0 writes it (nothing without one) */
void virDomainKVMFormat(GString *buf, int indent, const virDomainDef *def);
int virDomainFeaturesParse(virDomainDef *def, xmlNodePtr features, GPtrArray *unknown,
                           unsigned int flags, bool *failed);
int virDomainPMParse(virDomainDef *def, xmlNodePtr pm, GPtrArray *unknown,
                     unsigned int flags, bool *failed);
/* Every <perf> child of <domain> @root, as libvirt 9.0's
 * virDomainPerfDefParseXML: each <event> needs a known name and
 * enabled='yes|no' (XML_ERROR, libvirt's texts), at most once per event. */
int virDomainPerfParse(virDomainDef *def, xmlNodePtr root, GPtrArray *unknown,
                       unsigned int flags, bool *failed);
/* libvirt's virDomainDefOSValidate for <loader>/<nvram> of the <domain>
 * element @root, after post-parse; -1 with XML_DETAIL reported. */
int virDomainLoaderValidate(const virDomainDef *def, xmlNodePtr root);

/* ---- domain_metadata.c ---- */
/* A copy of <metadata> @node in a document of its own, blanks and
 * namespace-less children dropped as libvirt does; NULL on OOM. */
xmlDocPtr virDomainMetadataCopy(xmlNodePtr node);

/* domain_net_conf.c: the user interface's passt backend, <source dev>,
 * <ip>s and <portForward>s of @node into @net (libvirt 9.0's parse errors);
 * 0 or -1. Format them at their places in <interface> (@where: 's' the
 * source, 'i' the ips and port forwards, 'b' the backend). Free and copy
 * the members. */
int virDomainNetUserParse(virDomainNetDef *net, xmlNodePtr node);
/* domain_chr_conf.c: a serial or console's <source>s and <protocol>
 * (chr->type set), libvirt's parse errors; its validation (paths, host,
 * service, reconnect only in connect mode), libvirt's errors; and their
 * formatting at @indent (the pty's path only @live). 0 or -1. */
int virDomainChrSourceParse(virDomainChrDef *chr, xmlNodePtr node, unsigned int flags);
/* domain_disk_conf.c: the <disk> at @node parsed and checked as libvirt
 * 9.0 does, appended to @disks (virDomainDiskDef). 0 or -1 (error
 * reported). */
int virDomainDiskParse(GPtrArray *disks, xmlNodePtr node, unsigned int flags);
int virDomainChrSourceValidate(const virDomainChrDef *chr);
void virDomainChrSourceFormat(GString *buf, int indent, const virDomainChrDef *chr,
                              bool live);

void virDomainNetUserFormat(GString *buf, int indent, const virDomainNetDef *net,
                            char where);
void virDomainNetUserClear(virDomainNetDef *net);
void virDomainNetUserCopy(virDomainNetDef *dst, const virDomainNetDef *src);

/* domain_net_conf.c: <driver> of the interface element @node into
 * net->driver, read only for a virtio model as libvirt 9.0 reads it (its
 * parse errors); 0 or -1. Format it after <model> (nothing when empty). */
int virDomainNetDriverParse(virDomainNetDef *net, xmlNodePtr node);
void virDomainNetDriverFormat(GString *buf, int indent, const virDomainNetDef *net);

/* ---- domain_numa_conf.c: <cpu><numa>, <memoryBacking>, <maxMemory>,
 * <numatune><memnode> (libvirt's messages; -1 with the error reported) ---- */
/* The <numa> of <cpu> element @cpu (after <vcpu> is parsed), with
 * libvirt's checks of its vCPUs against <vcpu>. */
int virDomainNumaParse(virDomainDef *def, xmlNodePtr cpu, GPtrArray *unknown,
                       unsigned int flags, bool *failed);
/* The <memnode>s of <numatune> element @tune (after the cells and the
 * <memory> of <numatune>). */
int virDomainNumaMemnodeParse(virDomainDef *def, xmlNodePtr tune);
/* <maxMemory> and <memoryBacking> under <domain> element @root. */
int virDomainMemoryBackingParse(virDomainDef *def, xmlNodePtr root, GPtrArray *unknown,
                                unsigned int flags, bool *failed);
/* libvirt's virDomainDefPostParseMemory (NUMA sum, maxMemory rules) and
 * virDomainDefMemtuneValidate (hugepage nodesets). */
int virDomainNumaPostParse(virDomainDef *def, unsigned int flags);
int virDomainNumaValidate(const virDomainDef *def);
void virDomainNumaClear(virDomainDef *def);
void virDomainNumaCopy(virDomainDef *dst, const virDomainDef *src);
/* <numa> (inside <cpu>), the <memnode>s (inside <numatune>), <memoryBacking>,
 * each line at @indent. */
void virDomainNumaFormat(GString *buf, const virDomainDef *def, int indent);
void virDomainNumatuneMemnodesFormat(GString *buf, const virDomainDef *def, int indent);
bool virDomainNumaHasMemnodes(const virDomainDef *def);
void virDomainMemoryBackingFormat(GString *buf, const virDomainDef *def, int indent);

/* ---- domain_fs_conf.c: <filesystem> ---- */
/* One <filesystem> appended to *@fss (made on first use); -1 with
 * libvirt's error (parse, device validation and post-parse). */
int virDomainFSParseXML(GPtrArray **fss, xmlNodePtr node, GPtrArray *unknown,
                        unsigned int flags, bool *failed);
/* <filesystem ...> at @indent (its <alias> unless FORMAT_INACTIVE). */
void virDomainFSFormat(GString *buf, int indent, const virDomainFSDef *fs,
                       unsigned int flags);
/* ---- domain_iothread_conf.c ---- */
/* <iothreads>, <iothreadids>, <defaultiothread> of @root into @def (ids
 * filled in up to the count as libvirt does); -1 with libvirt's error.
 * Run before <cputune>, whose <iothreadpin> (PinParse) needs the ids. */
int virDomainIOThreadsParse(virDomainDef *def, xmlNodePtr root, GPtrArray *unknown,
                            unsigned int flags, bool *failed);
int virDomainIOThreadPinParse(virDomainDef *def, xmlNodePtr node);
/* libvirt's define-time checks of the thread pool sizes; -1 with its error. */
int virDomainIOThreadsValidate(const virDomainDef *def);
/* <iothreads>, <iothreadids>, <defaultiothread> at @indent (after <vcpu>);
 * PinsFormat: the <iothreadpin> lines of <cputune>. */
void virDomainIOThreadsFormat(GString *buf, int indent, const virDomainDef *def);
void virDomainIOThreadPinsFormat(GString *buf, int indent, const virDomainDef *def);
/* An unsigned int attribute as libvirt's virXMLPropUInt with NONZERO (and
 * REQUIRED when @required): 1 and *@out set, 0 when absent, -1 with
 * libvirt's XML error. */
int virDomainXMLPropUIntNonZero(xmlNodePtr node, const char *name, bool required,
                                unsigned int *out);

/* domain_disk_backing_conf.c: the disk element @disk's <backingStore>
 * chain into @def->backing (and a live <source index>), what it holds and
 * virtkit does not carry recorded in @unknown. 0, or -1 with libvirt's
 * error. */
int virDomainDiskBackingParse(xmlNodePtr disk, virDomainDiskDef *def, GPtrArray *unknown,
                              unsigned int flags, bool *failed);
/* <backingStore> of @b and below at @indent (nothing for NULL, nor for
 * detected layers in an inactive definition) */
void virDomainDiskBackingFormat(GString *buf, int indent,
                                const virDomainDiskBackingDef *b, unsigned int flags);
/* index='@index' (0: nothing) into the opening tag at @start of @buf */
void virDomainDiskSourceAddIndex(GString *buf, size_t start, unsigned int index);
