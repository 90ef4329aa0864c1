/* libvirt-network-port.c: public entry points of network ports (a guest interface's place on a network) */
#define G_LOG_DOMAIN "virtkit.api"

#include <string.h>

#include "libvirt_internal.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_NETWORK

/*
 * As libvirt-network.c: the last error is reset first; an invalid network
 * fails with VIR_ERR_INVALID_NETWORK, an invalid port handle with
 * VIR_ERR_INVALID_NETWORK_PORT, a NULL required argument with
 * VIR_ERR_INVALID_ARG, a driver without the call (libvirt's test driver)
 * with VIR_ERR_NO_SUPPORT (all VIR_FROM_NETWORK); the driver reports
 * VIR_ERR_NO_NETWORK when the network is gone and VIR_ERR_NO_NETWORK_PORT
 * "Network port with UUID U does not exist" when the port is.
 */

#define portDriver(net) ((net)->conn->networkDriver)

/**
 * virNetworkListAllPorts:
 * @network: a network handle
 * @ports: where to store the array of port handles (NULL-terminated; free
 *   each with virNetworkPortFree and the array with free()), or NULL to
 *   only count them
 * @flags: extra flags, none yet: pass 0
 *
 * The ports of @network: one per guest interface plugged into it (the QEMU
 * driver creates one when a guest starts) and those made with
 * virNetworkPortCreateXML. A network that is not running has none.
 *
 * Returns the number of ports, or -1 in case of error (the common ones).
 */
int
virNetworkListAllPorts(virNetworkPtr network, virNetworkPortPtr **ports,
                       unsigned int flags)
{
    virConnectPtr conn;
    int ret;

    virResetLastError();
    if (ports)
        *ports = NULL;
    virCheckNetworkReturn(network, -1);
    conn = network->conn;
    if (portDriver(network) && portDriver(network)->networkListAllPorts) {
        if ((ret = portDriver(network)->networkListAllPorts(network, ports, flags)) < 0)
            goto error;
        return ret;
    }
    virReportUnsupportedError();
error:
    virDispatchError(conn);
    return -1;
}

/**
 * virNetworkPortLookupByUUID:
 * @net: a network handle
 * @uuid: the raw UUID of the port (VIR_UUID_BUFLEN bytes)
 *
 * Returns a new port handle (free with virNetworkPortFree), or NULL in
 * case of error: the common ones, VIR_ERR_NO_NETWORK_PORT.
 */
virNetworkPortPtr
virNetworkPortLookupByUUID(virNetworkPtr net, const unsigned char *uuid)
{
    VIR_ENTRY(virCheckNetworkReturn(net, NULL), net->conn);
    virCheckNonNullArgGoto(uuid, error);
    VIR_ENTRY_CALL_PTR(networkDriver, networkPortLookupByUUID, net, uuid);
}

/**
 * virNetworkPortLookupByUUIDString:
 * @net: a network handle
 * @uuidstr: the UUID of the port as a string
 *
 * Returns a new port handle, or NULL in case of error: those of
 * virNetworkPortLookupByUUID, VIR_ERR_INVALID_ARG "uuidstr in ... must be a
 * valid UUID".
 */
virNetworkPortPtr
virNetworkPortLookupByUUIDString(virNetworkPtr net, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    virResetLastError();
    virCheckNetworkReturn(net, NULL);
    virCheckNonNullArgGoto(uuidstr, error);
    if (virUUIDParse(uuidstr, uuid) < 0) {
        virAPIReportInvalidArg(VIR_FROM_THIS, __func__, "uuidstr",
                               "uuidstr in %s must be a valid UUID", __func__);
        goto error;
    }
    return virNetworkPortLookupByUUID(net, uuid);
error:
    virDispatchError(net->conn);
    return NULL;
}

/**
 * virNetworkPortCreateXML:
 * @net: a network handle
 * @xmldesc: a <networkport> document
 * @flags: bitwise-OR of virNetworkPortCreateFlags
 *
 * Adds a port to the running network @net. Without
 * VIR_NETWORK_PORT_CREATE_RECLAIM the port has no <plug> and the network
 * gives it one (its bridge); with it the <plug> is taken as given.
 *
 * Returns a new port handle, or NULL in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection,
 * VIR_ERR_OPERATION_INVALID when @net is not active,
 * VIR_ERR_NETWORK_PORT_EXIST for a UUID already in use, the XML's errors.
 */
virNetworkPortPtr
virNetworkPortCreateXML(virNetworkPtr net, const char *xmldesc, unsigned int flags)
{
    VIR_ENTRY(virCheckNetworkReturn(net, NULL), net->conn);
    virCheckNonNullArgGoto(xmldesc, error);
    virCheckReadOnlyGoto(net->conn, error);
    VIR_ENTRY_CALL_PTR(networkDriver, networkPortCreateXML, net, xmldesc, flags);
}

/**
 * virNetworkPortGetXMLDesc:
 * @port: a port handle
 * @flags: extra flags, none yet: pass 0
 *
 * Returns the <networkport> document of @port (free with free()), or NULL
 * in case of error (the common ones).
 */
char *
virNetworkPortGetXMLDesc(virNetworkPortPtr port, unsigned int flags)
{
    VIR_ENTRY(virCheckNetworkPortReturn(port, NULL), port->net->conn);
    VIR_ENTRY_CALL_PTR(networkDriver, networkPortGetXMLDesc, port, flags);
}

/**
 * virNetworkPortGetParameters:
 * @port: a port handle
 * @params: where to store the new array of parameters (free with
 *   virTypedParamsFree)
 * @nparams: where to store their number
 * @flags: extra flags, none yet: pass 0
 *
 * The bandwidth settings of @port (VIR_NETWORK_PORT_BANDWIDTH_*, all
 * unsigned int): those of a direction (inbound: average, peak, floor,
 * burst; outbound: average, peak, burst) when the port has a rate for it.
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_INVALID_ARG for a NULL @params or @nparams.
 */
int
virNetworkPortGetParameters(virNetworkPortPtr port, virTypedParameterPtr *params,
                            int *nparams, unsigned int flags)
{
    VIR_ENTRY(virCheckNetworkPortReturn(port, -1), port->net->conn);
    virCheckNonNullArgGoto(params, error);
    virCheckNonNullArgGoto(nparams, error);
    VIR_ENTRY_CALL_ZERO(networkDriver, networkPortGetParameters, port, params, nparams,
                        flags);
}

/**
 * virNetworkPortSetParameters:
 * @port: a port handle
 * @params: the new bandwidth settings (VIR_NETWORK_PORT_BANDWIDTH_*)
 * @nparams: their number
 * @flags: extra flags, none yet: pass 0
 *
 * Replaces the bandwidth settings of @port: a direction given without an
 * average has no rate afterwards. As libvirt's network driver, this
 * records the settings on the port; shaping the tap is the hypervisor
 * driver's (virDomainSetInterfaceParameters).
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection, VIR_ERR_INVALID_ARG
 * for an unknown parameter or one not of type uint, VIR_ERR_CONFIG_UNSUPPORTED
 * for a floor (virtkit makes no QoS classes).
 */
int
virNetworkPortSetParameters(virNetworkPortPtr port, virTypedParameterPtr params,
                            int nparams, unsigned int flags)
{
    VIR_ENTRY(virCheckNetworkPortReturn(port, -1), port->net->conn);
    virCheckNonNegativeArgGoto(nparams, error);
    if (nparams)
        virCheckNonNullArgGoto(params, error);
    virCheckReadOnlyGoto(port->net->conn, error);
    VIR_ENTRY_CALL_ZERO(networkDriver, networkPortSetParameters, port, params, nparams,
                        flags);
}

/**
 * virNetworkPortDelete:
 * @port: a port handle
 * @flags: extra flags, none yet: pass 0
 *
 * Removes the port from its network. The handle stays valid (free it with
 * virNetworkPortFree).
 *
 * Returns 0 in case of success, -1 in case of error: the common ones,
 * VIR_ERR_OPERATION_DENIED on a read-only connection.
 */
int
virNetworkPortDelete(virNetworkPortPtr port, unsigned int flags)
{
    VIR_ENTRY(virCheckNetworkPortReturn(port, -1), port->net->conn);
    virCheckReadOnlyGoto(port->net->conn, error);
    VIR_ENTRY_CALL_ZERO(networkDriver, networkPortDelete, port, flags);
}
