/* remote_protocol.h: REMOTE_PROGRAM (0x20008086 v1) structures and their XDR codecs */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "virnetmessage.h"
#include "virxdr.h"
#include "remote_procedures.h"

/*
 * Layouts follow libvirt's remote_protocol.x (facts: remote-protocol.md
 * §3-§4). Every struct has a filter `remote_<name>_filter(virXdr *, void *)`
 * that encodes, decodes or frees it (see virxdr.h); decoded structs own
 * their strings/arrays, free them with virXdrFree(filter, &obj).
 *
 * Array fields come as a pair: `<f>_len` (count) and `<f>_val` (elements),
 * as rpcgen names them.
 */

#define REMOTE_PROGRAM VIR_NET_REMOTE_PROGRAM
#define REMOTE_PROTOCOL_VERSION 1

#define REMOTE_STRING_MAX 4194304
#define REMOTE_DOMAIN_LIST_MAX 16384
#define REMOTE_AUTH_TYPE_LIST_MAX 20
#define REMOTE_SECURITY_MODEL_MAX 257     /* VIR_SECURITY_MODEL_BUFLEN */
#define REMOTE_SECURITY_DOI_MAX 257       /* VIR_SECURITY_DOI_BUFLEN */
#define REMOTE_SECURITY_LABEL_MAX 4097    /* VIR_SECURITY_LABEL_BUFLEN */
#define REMOTE_DOMAIN_MESSAGES_MAX 2048
#define REMOTE_NODE_MODEL_LEN 32
#define REMOTE_UUID_BUFLEN 16

/* remote_auth_type */
#define REMOTE_AUTH_NONE 0
#define REMOTE_AUTH_SASL 1
#define REMOTE_AUTH_POLKIT 2

/* CONNECT_SUPPORTS_FEATURE numbers (VIR_DRV_FEATURE_*). */
#define REMOTE_FEATURE_MIGRATION_V1 1
#define REMOTE_FEATURE_REMOTE 2
#define REMOTE_FEATURE_FD_PASSING 8
#define REMOTE_FEATURE_TYPED_PARAM_STRING 9
#define REMOTE_FEATURE_PROGRAM_KEEPALIVE 10
#define REMOTE_FEATURE_REMOTE_EVENT_CALLBACK 14
#define REMOTE_FEATURE_REMOTE_CLOSE_CALLBACK 15

/* ---- common types ---------------------------------------------------- */

typedef struct remote_nonnull_domain remote_nonnull_domain;
struct remote_nonnull_domain {
    char *name;
    guint8 uuid[REMOTE_UUID_BUFLEN];
    int32_t id;         /* -1 when inactive */
};
bool remote_nonnull_domain_filter(virXdr *xdr, void *obj);

/* remote_domain: optional; NULL = absent. */
typedef remote_nonnull_domain *remote_domain;
bool remote_domain_filter(virXdr *xdr, void *obj);  /* obj: remote_domain * */

typedef virNetMessageError remote_error;
#define remote_error_filter virNetMessageErrorFilter

/* ---- shared argument shapes ------------------------------------------ */

/* { dom } */
typedef struct remote_domain_args remote_domain_args;
struct remote_domain_args {
    remote_nonnull_domain dom;
};
bool remote_domain_args_filter(virXdr *xdr, void *obj);

/* { dom; unsigned int flags } */
typedef struct remote_domain_flags_args remote_domain_flags_args;
struct remote_domain_flags_args {
    remote_nonnull_domain dom;
    uint32_t flags;
};
bool remote_domain_flags_args_filter(virXdr *xdr, void *obj);

/* { dom } replies (lookups, define, create_xml, create_with_flags). */
typedef struct remote_domain_ret remote_domain_ret;
struct remote_domain_ret {
    remote_nonnull_domain dom;
};
bool remote_domain_ret_filter(virXdr *xdr, void *obj);

/* A single int in or out (field names vary in the .x; one layout). */
typedef struct remote_int_msg remote_int_msg;
struct remote_int_msg {
    int32_t value;
};
bool remote_int_msg_filter(virXdr *xdr, void *obj);

/* A single unsigned hyper reply. */
typedef struct remote_uhyper_ret remote_uhyper_ret;
struct remote_uhyper_ret {
    uint64_t value;
};
bool remote_uhyper_ret_filter(virXdr *xdr, void *obj);

/* A single nonnull string in or out. */
typedef struct remote_string_msg remote_string_msg;
struct remote_string_msg {
    char *value;
};
bool remote_string_msg_filter(virXdr *xdr, void *obj);

/* ---- connection ------------------------------------------------------ */

/* 1 CONNECT_OPEN */
typedef struct remote_connect_open_args remote_connect_open_args;
struct remote_connect_open_args {
    char *name;         /* optional */
    uint32_t flags;
};
bool remote_connect_open_args_filter(virXdr *xdr, void *obj);

/* 5 CONNECT_GET_MAX_VCPUS args: { remote_string type } -> ret int */
typedef struct remote_connect_get_max_vcpus_args remote_connect_get_max_vcpus_args;
struct remote_connect_get_max_vcpus_args {
    char *type;         /* optional */
};
bool remote_connect_get_max_vcpus_args_filter(virXdr *xdr, void *obj);

/* 66 AUTH_LIST ret */
typedef struct remote_auth_list_ret remote_auth_list_ret;
struct remote_auth_list_ret {
    uint32_t types_len;
    int32_t *types_val;
};
bool remote_auth_list_ret_filter(virXdr *xdr, void *obj);

/* 6 NODE_GET_INFO ret (model: 32 chars, 4 bytes each on the wire) */
typedef struct remote_node_get_info_ret remote_node_get_info_ret;
struct remote_node_get_info_ret {
    char model[REMOTE_NODE_MODEL_LEN];
    uint64_t memory;
    int32_t cpus;
    int32_t mhz;
    int32_t nodes;
    int32_t sockets;
    int32_t cores;
    int32_t threads;
};
bool remote_node_get_info_ret_filter(virXdr *xdr, void *obj);

/* 122 NODE_GET_SECURITY_MODEL ret (counts include the NUL, as libvirtd) */
typedef struct remote_node_get_security_model_ret remote_node_get_security_model_ret;
struct remote_node_get_security_model_ret {
    uint32_t model_len;
    char *model_val;
    uint32_t doi_len;
    char *doi_val;
};
bool remote_node_get_security_model_ret_filter(virXdr *xdr, void *obj);

/* ---- listing ---------------------------------------------------------- */

/* 273 CONNECT_LIST_ALL_DOMAINS */
typedef struct remote_connect_list_all_domains_args remote_connect_list_all_domains_args;
struct remote_connect_list_all_domains_args {
    int32_t need_results;
    uint32_t flags;
};
bool remote_connect_list_all_domains_args_filter(virXdr *xdr, void *obj);

typedef struct remote_connect_list_all_domains_ret remote_connect_list_all_domains_ret;
struct remote_connect_list_all_domains_ret {
    uint32_t domains_len;
    remote_nonnull_domain *domains_val;
    uint32_t ret;
};
bool remote_connect_list_all_domains_ret_filter(virXdr *xdr, void *obj);

/* 37 CONNECT_LIST_DOMAINS: args int maxids (remote_int_msg) */
typedef struct remote_connect_list_domains_ret remote_connect_list_domains_ret;
struct remote_connect_list_domains_ret {
    uint32_t ids_len;
    int32_t *ids_val;
};
bool remote_connect_list_domains_ret_filter(virXdr *xdr, void *obj);

/* 21 CONNECT_LIST_DEFINED_DOMAINS: args int maxnames (remote_int_msg) */
typedef struct remote_connect_list_defined_domains_ret remote_connect_list_defined_domains_ret;
struct remote_connect_list_defined_domains_ret {
    uint32_t names_len;
    char **names_val;
};
bool remote_connect_list_defined_domains_ret_filter(virXdr *xdr, void *obj);

/* ---- domains ---------------------------------------------------------- */

/* 24 DOMAIN_LOOKUP_BY_UUID args */
typedef struct remote_domain_lookup_by_uuid_args remote_domain_lookup_by_uuid_args;
struct remote_domain_lookup_by_uuid_args {
    guint8 uuid[REMOTE_UUID_BUFLEN];
};
bool remote_domain_lookup_by_uuid_args_filter(virXdr *xdr, void *obj);

/* 350 DOMAIN_DEFINE_XML_FLAGS and 10 DOMAIN_CREATE_XML args: { xml; flags } */
typedef struct remote_domain_xml_flags_args remote_domain_xml_flags_args;
struct remote_domain_xml_flags_args {
    char *xml;
    uint32_t flags;
};
bool remote_domain_xml_flags_args_filter(virXdr *xdr, void *obj);

/* 29 DOMAIN_SET_AUTOSTART args */
typedef struct remote_domain_set_autostart_args remote_domain_set_autostart_args;
struct remote_domain_set_autostart_args {
    remote_nonnull_domain dom;
    int32_t autostart;
};
bool remote_domain_set_autostart_args_filter(virXdr *xdr, void *obj);

/* 16 DOMAIN_GET_INFO ret (state and nrVirtCpu take 4 bytes each) */
typedef struct remote_domain_get_info_ret remote_domain_get_info_ret;
struct remote_domain_get_info_ret {
    uint32_t state;
    uint64_t maxMem;
    uint64_t memory;
    uint32_t nrVirtCpu;
    uint64_t cpuTime;
};
bool remote_domain_get_info_ret_filter(virXdr *xdr, void *obj);

/* 212 DOMAIN_GET_STATE ret */
typedef struct remote_domain_get_state_ret remote_domain_get_state_ret;
struct remote_domain_get_state_ret {
    int32_t state;
    int32_t reason;
};
bool remote_domain_get_state_ret_filter(virXdr *xdr, void *obj);

/* 56 DOMAIN_GET_SCHEDULER_TYPE ret */
typedef struct remote_domain_get_scheduler_type_ret remote_domain_get_scheduler_type_ret;
struct remote_domain_get_scheduler_type_ret {
    char *type;
    int32_t nparams;
};
bool remote_domain_get_scheduler_type_ret_filter(virXdr *xdr, void *obj);

/* 121 DOMAIN_GET_SECURITY_LABEL ret */
typedef struct remote_domain_get_security_label_ret remote_domain_get_security_label_ret;
struct remote_domain_get_security_label_ret {
    uint32_t label_len;
    char *label_val;
    int32_t enforcing;
};
bool remote_domain_get_security_label_ret_filter(virXdr *xdr, void *obj);

/* 426 DOMAIN_GET_MESSAGES ret */
typedef struct remote_domain_get_messages_ret remote_domain_get_messages_ret;
struct remote_domain_get_messages_ret {
    uint32_t msgs_len;
    char **msgs_val;
};
bool remote_domain_get_messages_ret_filter(virXdr *xdr, void *obj);

/* ---- events ----------------------------------------------------------- */

/* 316 CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY args -> ret int callbackID */
typedef struct remote_connect_domain_event_callback_register_any_args
    remote_connect_domain_event_callback_register_any_args;
struct remote_connect_domain_event_callback_register_any_args {
    int32_t eventID;
    remote_domain dom;  /* optional filter */
};
bool remote_connect_domain_event_callback_register_any_args_filter(virXdr *xdr, void *obj);

/* 107 DOMAIN_EVENT_LIFECYCLE (legacy MESSAGE) */
typedef struct remote_domain_event_lifecycle_msg remote_domain_event_lifecycle_msg;
struct remote_domain_event_lifecycle_msg {
    remote_nonnull_domain dom;
    int32_t event;
    int32_t detail;
};
bool remote_domain_event_lifecycle_msg_filter(virXdr *xdr, void *obj);

/* 318 DOMAIN_EVENT_CALLBACK_LIFECYCLE */
typedef struct remote_domain_event_callback_lifecycle_msg
    remote_domain_event_callback_lifecycle_msg;
struct remote_domain_event_callback_lifecycle_msg {
    int32_t callbackID;
    remote_domain_event_lifecycle_msg msg;
};
bool remote_domain_event_callback_lifecycle_msg_filter(virXdr *xdr, void *obj);

/* 169 DOMAIN_EVENT_REBOOT (legacy MESSAGE) */
typedef struct remote_domain_event_reboot_msg remote_domain_event_reboot_msg;
struct remote_domain_event_reboot_msg {
    remote_nonnull_domain dom;
};
bool remote_domain_event_reboot_msg_filter(virXdr *xdr, void *obj);

/* 319 DOMAIN_EVENT_CALLBACK_REBOOT */
typedef struct remote_domain_event_callback_reboot_msg
    remote_domain_event_callback_reboot_msg;
struct remote_domain_event_callback_reboot_msg {
    int32_t callbackID;
    remote_domain_event_reboot_msg msg;
};
bool remote_domain_event_callback_reboot_msg_filter(virXdr *xdr, void *obj);

/* 362 CONNECT_EVENT_CONNECTION_CLOSED: { int reason } = remote_int_msg */

/* ---- the procedure table ----------------------------------------------- */

/*
 * What we know how to encode/decode for a procedure. A NULL filter means
 * a void payload. For MESSAGE procedures (events) @args describes the
 * message body and @ret is unused.
 */
typedef struct _remoteProcedure remoteProcedure;
struct _remoteProcedure {
    int proc;
    const char *name;
    virXdrFilter argsFilter;
    size_t argsSize;
    virXdrFilter retFilter;
    size_t retSize;
    bool isEvent;
};

/* The codec for @proc, or NULL if we have none (answer VIR_ERR_NO_SUPPORT). */
const remoteProcedure *remoteProcedureLookup(int proc);
/* libvirt's name of @proc ("DOMAIN_LOOKUP_BY_NAME"), NULL if unknown. */
const char *remoteProcedureName(int proc);
