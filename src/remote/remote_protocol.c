/* remote_protocol.c: XDR filters for REMOTE_PROGRAM structures and the procedure table */
#define G_LOG_DOMAIN "virtkit.remote.protocol"
#include "remote_protocol.h"

bool
remote_nonnull_domain_filter(virXdr *xdr, void *obj)
{
    remote_nonnull_domain *d = obj;

    return virXdrString(xdr, &d->name, REMOTE_STRING_MAX) &&
           virXdrOpaqueFixed(xdr, d->uuid, REMOTE_UUID_BUFLEN) &&
           virXdrInt(xdr, &d->id);
}

bool
remote_domain_filter(virXdr *xdr, void *obj)
{
    return virXdrPointer(xdr, obj, sizeof(remote_nonnull_domain),
                         remote_nonnull_domain_filter);
}

bool
remote_domain_args_filter(virXdr *xdr, void *obj)
{
    remote_domain_args *a = obj;

    return remote_nonnull_domain_filter(xdr, &a->dom);
}

bool
remote_domain_flags_args_filter(virXdr *xdr, void *obj)
{
    remote_domain_flags_args *a = obj;

    return remote_nonnull_domain_filter(xdr, &a->dom) &&
           virXdrUInt(xdr, &a->flags);
}

bool
remote_domain_ret_filter(virXdr *xdr, void *obj)
{
    remote_domain_ret *r = obj;

    return remote_nonnull_domain_filter(xdr, &r->dom);
}

bool
remote_int_msg_filter(virXdr *xdr, void *obj)
{
    remote_int_msg *m = obj;

    return virXdrInt(xdr, &m->value);
}

bool
remote_uhyper_ret_filter(virXdr *xdr, void *obj)
{
    remote_uhyper_ret *r = obj;

    return virXdrUHyper(xdr, &r->value);
}

bool
remote_string_msg_filter(virXdr *xdr, void *obj)
{
    remote_string_msg *m = obj;

    return virXdrString(xdr, &m->value, REMOTE_STRING_MAX);
}

bool
remote_connect_open_args_filter(virXdr *xdr, void *obj)
{
    remote_connect_open_args *a = obj;

    return virXdrOptString(xdr, &a->name, REMOTE_STRING_MAX) &&
           virXdrUInt(xdr, &a->flags);
}

bool
remote_connect_get_max_vcpus_args_filter(virXdr *xdr, void *obj)
{
    remote_connect_get_max_vcpus_args *a = obj;

    return virXdrOptString(xdr, &a->type, REMOTE_STRING_MAX);
}

bool
remote_auth_list_ret_filter(virXdr *xdr, void *obj)
{
    remote_auth_list_ret *r = obj;

    return virXdrArray(xdr, (void **)&r->types_val, &r->types_len,
                       REMOTE_AUTH_TYPE_LIST_MAX, sizeof(int32_t), 4,
                       virXdrIntElem);
}

bool
remote_node_get_info_ret_filter(virXdr *xdr, void *obj)
{
    remote_node_get_info_ret *r = obj;

    return virXdrCharFixed(xdr, r->model, REMOTE_NODE_MODEL_LEN) &&
           virXdrUHyper(xdr, &r->memory) &&
           virXdrInt(xdr, &r->cpus) &&
           virXdrInt(xdr, &r->mhz) &&
           virXdrInt(xdr, &r->nodes) &&
           virXdrInt(xdr, &r->sockets) &&
           virXdrInt(xdr, &r->cores) &&
           virXdrInt(xdr, &r->threads);
}

bool
remote_node_get_security_model_ret_filter(virXdr *xdr, void *obj)
{
    remote_node_get_security_model_ret *r = obj;

    return virXdrCharVar(xdr, &r->model_val, &r->model_len,
                         REMOTE_SECURITY_MODEL_MAX) &&
           virXdrCharVar(xdr, &r->doi_val, &r->doi_len, REMOTE_SECURITY_DOI_MAX);
}

bool
remote_connect_list_all_domains_args_filter(virXdr *xdr, void *obj)
{
    remote_connect_list_all_domains_args *a = obj;

    return virXdrInt(xdr, &a->need_results) && virXdrUInt(xdr, &a->flags);
}

bool
remote_connect_list_all_domains_ret_filter(virXdr *xdr, void *obj)
{
    remote_connect_list_all_domains_ret *r = obj;

    /* A nonnull domain is at least 4 (name length) + 16 + 4 bytes. */
    return virXdrArray(xdr, (void **)&r->domains_val, &r->domains_len,
                       REMOTE_DOMAIN_LIST_MAX, sizeof(remote_nonnull_domain), 24,
                       remote_nonnull_domain_filter) &&
           virXdrUInt(xdr, &r->ret);
}

bool
remote_connect_list_domains_ret_filter(virXdr *xdr, void *obj)
{
    remote_connect_list_domains_ret *r = obj;

    return virXdrArray(xdr, (void **)&r->ids_val, &r->ids_len,
                       REMOTE_DOMAIN_LIST_MAX, sizeof(int32_t), 4, virXdrIntElem);
}

bool
remote_connect_list_defined_domains_ret_filter(virXdr *xdr, void *obj)
{
    remote_connect_list_defined_domains_ret *r = obj;

    return virXdrArray(xdr, (void **)&r->names_val, &r->names_len,
                       REMOTE_DOMAIN_LIST_MAX, sizeof(char *), 4,
                       virXdrStringElem);
}

bool
remote_domain_lookup_by_uuid_args_filter(virXdr *xdr, void *obj)
{
    remote_domain_lookup_by_uuid_args *a = obj;

    return virXdrOpaqueFixed(xdr, a->uuid, REMOTE_UUID_BUFLEN);
}

bool
remote_domain_xml_flags_args_filter(virXdr *xdr, void *obj)
{
    remote_domain_xml_flags_args *a = obj;

    return virXdrString(xdr, &a->xml, REMOTE_STRING_MAX) &&
           virXdrUInt(xdr, &a->flags);
}

bool
remote_domain_set_autostart_args_filter(virXdr *xdr, void *obj)
{
    remote_domain_set_autostart_args *a = obj;

    return remote_nonnull_domain_filter(xdr, &a->dom) &&
           virXdrInt(xdr, &a->autostart);
}

bool
remote_domain_get_info_ret_filter(virXdr *xdr, void *obj)
{
    remote_domain_get_info_ret *r = obj;

    return virXdrUInt(xdr, &r->state) &&
           virXdrUHyper(xdr, &r->maxMem) &&
           virXdrUHyper(xdr, &r->memory) &&
           virXdrUInt(xdr, &r->nrVirtCpu) &&
           virXdrUHyper(xdr, &r->cpuTime);
}

bool
remote_domain_get_state_ret_filter(virXdr *xdr, void *obj)
{
    remote_domain_get_state_ret *r = obj;

    return virXdrInt(xdr, &r->state) && virXdrInt(xdr, &r->reason);
}

bool
remote_domain_get_scheduler_type_ret_filter(virXdr *xdr, void *obj)
{
    remote_domain_get_scheduler_type_ret *r = obj;

    return virXdrString(xdr, &r->type, REMOTE_STRING_MAX) &&
           virXdrInt(xdr, &r->nparams);
}

bool
remote_domain_get_security_label_ret_filter(virXdr *xdr, void *obj)
{
    remote_domain_get_security_label_ret *r = obj;

    return virXdrCharVar(xdr, &r->label_val, &r->label_len,
                         REMOTE_SECURITY_LABEL_MAX) &&
           virXdrInt(xdr, &r->enforcing);
}

bool
remote_domain_get_messages_ret_filter(virXdr *xdr, void *obj)
{
    remote_domain_get_messages_ret *r = obj;

    return virXdrArray(xdr, (void **)&r->msgs_val, &r->msgs_len,
                       REMOTE_DOMAIN_MESSAGES_MAX, sizeof(char *), 4,
                       virXdrStringElem);
}

bool
remote_connect_domain_event_callback_register_any_args_filter(virXdr *xdr, void *obj)
{
    remote_connect_domain_event_callback_register_any_args *a = obj;

    return virXdrInt(xdr, &a->eventID) && remote_domain_filter(xdr, &a->dom);
}

bool
remote_domain_event_lifecycle_msg_filter(virXdr *xdr, void *obj)
{
    remote_domain_event_lifecycle_msg *m = obj;

    return remote_nonnull_domain_filter(xdr, &m->dom) &&
           virXdrInt(xdr, &m->event) &&
           virXdrInt(xdr, &m->detail);
}

bool
remote_domain_event_callback_lifecycle_msg_filter(virXdr *xdr, void *obj)
{
    remote_domain_event_callback_lifecycle_msg *m = obj;

    return virXdrInt(xdr, &m->callbackID) &&
           remote_domain_event_lifecycle_msg_filter(xdr, &m->msg);
}

bool
remote_domain_event_reboot_msg_filter(virXdr *xdr, void *obj)
{
    remote_domain_event_reboot_msg *m = obj;

    return remote_nonnull_domain_filter(xdr, &m->dom);
}

bool
remote_domain_event_callback_reboot_msg_filter(virXdr *xdr, void *obj)
{
    remote_domain_event_callback_reboot_msg *m = obj;

    return virXdrInt(xdr, &m->callbackID) &&
           remote_domain_event_reboot_msg_filter(xdr, &m->msg);
}

/* ---- table ---------------------------------------------------------------- */

#define F(t) t##_filter, sizeof(t)
#define VOID NULL, 0

#define PROC(num, args, ret) \
    [REMOTE_PROC_##num] = { REMOTE_PROC_##num, #num, args, ret, false }
#define EVENT(num, body) \
    [REMOTE_PROC_##num] = { REMOTE_PROC_##num, #num, body, VOID, true }

static const remoteProcedure remoteProcedures[] = {
    PROC(CONNECT_OPEN, F(remote_connect_open_args), VOID),
    PROC(CONNECT_CLOSE, VOID, VOID),
    PROC(CONNECT_GET_TYPE, VOID, F(remote_string_msg)),
    PROC(CONNECT_GET_VERSION, VOID, F(remote_uhyper_ret)),
    PROC(CONNECT_GET_LIB_VERSION, VOID, F(remote_uhyper_ret)),
    PROC(CONNECT_GET_HOSTNAME, VOID, F(remote_string_msg)),
    PROC(CONNECT_GET_URI, VOID, F(remote_string_msg)),
    PROC(CONNECT_SUPPORTS_FEATURE, F(remote_int_msg), F(remote_int_msg)),
    PROC(AUTH_LIST, VOID, F(remote_auth_list_ret)),
    PROC(CONNECT_IS_SECURE, VOID, F(remote_int_msg)),
    PROC(CONNECT_GET_CAPABILITIES, VOID, F(remote_string_msg)),
    PROC(CONNECT_GET_MAX_VCPUS, F(remote_connect_get_max_vcpus_args), F(remote_int_msg)),
    PROC(NODE_GET_INFO, VOID, F(remote_node_get_info_ret)),
    PROC(NODE_GET_SECURITY_MODEL, VOID, F(remote_node_get_security_model_ret)),
    PROC(CONNECT_LIST_ALL_DOMAINS, F(remote_connect_list_all_domains_args),
         F(remote_connect_list_all_domains_ret)),
    PROC(CONNECT_NUM_OF_DOMAINS, VOID, F(remote_int_msg)),
    PROC(CONNECT_LIST_DOMAINS, F(remote_int_msg), F(remote_connect_list_domains_ret)),
    PROC(CONNECT_NUM_OF_DEFINED_DOMAINS, VOID, F(remote_int_msg)),
    PROC(CONNECT_LIST_DEFINED_DOMAINS, F(remote_int_msg),
         F(remote_connect_list_defined_domains_ret)),
    PROC(DOMAIN_LOOKUP_BY_NAME, F(remote_string_msg), F(remote_domain_ret)),
    PROC(DOMAIN_LOOKUP_BY_UUID, F(remote_domain_lookup_by_uuid_args), F(remote_domain_ret)),
    PROC(DOMAIN_LOOKUP_BY_ID, F(remote_int_msg), F(remote_domain_ret)),
    PROC(DOMAIN_DEFINE_XML, F(remote_string_msg), F(remote_domain_ret)),
    PROC(DOMAIN_DEFINE_XML_FLAGS, F(remote_domain_xml_flags_args), F(remote_domain_ret)),
    PROC(DOMAIN_UNDEFINE, F(remote_domain_args), VOID),
    PROC(DOMAIN_UNDEFINE_FLAGS, F(remote_domain_flags_args), VOID),
    PROC(DOMAIN_CREATE, F(remote_domain_args), VOID),
    PROC(DOMAIN_CREATE_WITH_FLAGS, F(remote_domain_flags_args), F(remote_domain_ret)),
    PROC(DOMAIN_CREATE_XML, F(remote_domain_xml_flags_args), F(remote_domain_ret)),
    PROC(DOMAIN_SHUTDOWN, F(remote_domain_args), VOID),
    PROC(DOMAIN_SHUTDOWN_FLAGS, F(remote_domain_flags_args), VOID),
    PROC(DOMAIN_REBOOT, F(remote_domain_flags_args), VOID),
    PROC(DOMAIN_RESET, F(remote_domain_flags_args), VOID),
    PROC(DOMAIN_DESTROY, F(remote_domain_args), VOID),
    PROC(DOMAIN_DESTROY_FLAGS, F(remote_domain_flags_args), VOID),
    PROC(DOMAIN_SUSPEND, F(remote_domain_args), VOID),
    PROC(DOMAIN_RESUME, F(remote_domain_args), VOID),
    PROC(DOMAIN_GET_INFO, F(remote_domain_args), F(remote_domain_get_info_ret)),
    PROC(DOMAIN_GET_STATE, F(remote_domain_flags_args), F(remote_domain_get_state_ret)),
    PROC(DOMAIN_GET_XML_DESC, F(remote_domain_flags_args), F(remote_string_msg)),
    PROC(DOMAIN_GET_AUTOSTART, F(remote_domain_args), F(remote_int_msg)),
    PROC(DOMAIN_SET_AUTOSTART, F(remote_domain_set_autostart_args), VOID),
    PROC(DOMAIN_IS_ACTIVE, F(remote_domain_args), F(remote_int_msg)),
    PROC(DOMAIN_IS_PERSISTENT, F(remote_domain_args), F(remote_int_msg)),
    PROC(DOMAIN_IS_UPDATED, F(remote_domain_args), F(remote_int_msg)),
    PROC(DOMAIN_HAS_MANAGED_SAVE_IMAGE, F(remote_domain_flags_args), F(remote_int_msg)),
    PROC(DOMAIN_GET_OS_TYPE, F(remote_domain_args), F(remote_string_msg)),
    PROC(DOMAIN_GET_MAX_MEMORY, F(remote_domain_args), F(remote_uhyper_ret)),
    PROC(DOMAIN_GET_VCPUS_FLAGS, F(remote_domain_flags_args), F(remote_int_msg)),
    PROC(DOMAIN_GET_SCHEDULER_TYPE, F(remote_domain_args),
         F(remote_domain_get_scheduler_type_ret)),
    PROC(DOMAIN_GET_SECURITY_LABEL, F(remote_domain_args),
         F(remote_domain_get_security_label_ret)),
    PROC(DOMAIN_GET_MESSAGES, F(remote_domain_flags_args),
         F(remote_domain_get_messages_ret)),
    PROC(DOMAIN_SNAPSHOT_NUM, F(remote_domain_flags_args), F(remote_int_msg)),
    PROC(CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
         F(remote_connect_domain_event_callback_register_any_args), F(remote_int_msg)),
    PROC(CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, F(remote_int_msg), VOID),
    PROC(CONNECT_DOMAIN_EVENT_REGISTER_ANY, F(remote_int_msg), VOID),
    PROC(CONNECT_DOMAIN_EVENT_DEREGISTER_ANY, F(remote_int_msg), VOID),
    PROC(CONNECT_REGISTER_CLOSE_CALLBACK, VOID, VOID),
    PROC(CONNECT_UNREGISTER_CLOSE_CALLBACK, VOID, VOID),
    EVENT(DOMAIN_EVENT_LIFECYCLE, F(remote_domain_event_lifecycle_msg)),
    EVENT(DOMAIN_EVENT_CALLBACK_LIFECYCLE, F(remote_domain_event_callback_lifecycle_msg)),
    EVENT(DOMAIN_EVENT_REBOOT, F(remote_domain_event_reboot_msg)),
    EVENT(DOMAIN_EVENT_CALLBACK_REBOOT, F(remote_domain_event_callback_reboot_msg)),
    EVENT(CONNECT_EVENT_CONNECTION_CLOSED, F(remote_int_msg)),
};

const remoteProcedure *
remoteProcedureLookup(int proc)
{
    if (proc <= 0 || (size_t)proc >= G_N_ELEMENTS(remoteProcedures))
        return NULL;
    if (remoteProcedures[proc].name == NULL)
        return NULL;
    return &remoteProcedures[proc];
}
