/* qemuaddresstest.c: the PCI free-slot allocator (qemu_domain_address.h) as hotplug uses it */
#include <string.h>

#include "domain_conf.h"
#include "qemu_domain_address.h"
#include "virerror.h"

#define Q35 "pc-q35-7.2"
#define PC "pc-i440fx-7.2"

static virDomainDef *
defineAssigned(const char *machine, const char *devices)
{
    g_autofree char *xml = g_strdup_printf(
        "<domain type='qemu'><name>t</name><memory>262144</memory>"
        "<os><type arch='x86_64' machine='%s'>hvm</type></os><devices>%s</devices></domain>",
        machine, devices);
    virDomainDef *def = virDomainDefParseString(xml, 0);

    g_assert_nonnull(def);
    g_assert_cmpint(qemuDomainAssignAddresses(def, machine), ==, 0);
    return def;
}

/* q35: a hotplugged PCIe device takes the spare root port define left;
 * released, the same address comes back; with no free port, libvirt's
 * error and the output untouched. */
static void
test_q35_hotplug(void)
{
    g_autoptr(virDomainDef) def =
        defineAssigned(Q35, "<disk type='file' device='disk'><source file='/a'/>"
                            "<target dev='vda' bus='virtio'/></disk>");
    g_autoptr(qemuPCIAddressSet) set = qemuPCIAddressSetNew(def, Q35);
    unsigned int flags = qemuDomainPCIDeviceConnectFlags(def, "virtio-net-pci");
    virDomainDeviceAddress addr = { 0 };
    virDomainDeviceAddress again = { 0 };
    virDomainDeviceAddress none = { .type = VIR_DOMAIN_DEVICE_ADDRESS_TYPE_NONE,
                                    .bus = 77 };

    g_assert_nonnull(set);
    g_assert_true(flags & QEMU_PCI_CONNECT_PCIE_DEVICE);
    /* usb pci.1, disk pci.2, balloon pci.3, the spare is pci.4 */
    g_assert_cmpint(qemuPCIAddressReserveNext(set, flags, &addr), ==, 0);
    g_assert_cmpint(addr.type, ==, VIR_DOMAIN_DEVICE_ADDRESS_TYPE_PCI);
    g_assert_cmpuint(addr.bus, ==, 4);
    g_assert_cmpuint(addr.slot, ==, 0);
    g_assert_cmpint(qemuPCIAddressReserveNext(set, flags, &none), ==, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "internal error: No more available PCI slots");
    g_assert_cmpuint(none.bus, ==, 77);
    qemuPCIAddressRelease(set, &addr);
    g_assert_cmpint(qemuPCIAddressReserveNext(set, flags, &again), ==, 0);
    g_assert_cmpmem(&again, sizeof(again), &addr, sizeof(addr));
    /* taken: an explicit reservation of it is refused as libvirt does */
    g_assert_cmpint(qemuPCIAddressReserve(set, &addr, flags), ==, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "XML error: Attempted double use of PCI Address 0000:04:00.0");
}

/* pc: conventional PCI slots on pci.0, the PIIX3 slot never handed out,
 * 31 slots in all. */
static void
test_pc_fill(void)
{
    g_autoptr(virDomainDef) def = defineAssigned(PC, "");
    g_autoptr(qemuPCIAddressSet) set = qemuPCIAddressSetNew(def, PC);
    unsigned int flags = qemuDomainPCIDeviceConnectFlags(def, "virtio-net-pci");
    virDomainDeviceAddress addr = { 0 };
    unsigned int n = 0;

    g_assert_nonnull(set);
    g_assert_true(flags & QEMU_PCI_CONNECT_PCI_DEVICE);
    while (qemuPCIAddressReserveNext(set, flags, &addr) == 0) {
        g_assert_cmpuint(addr.bus, ==, 0);
        g_assert_cmpuint(addr.slot, !=, 1); /* PIIX3 */
        g_assert_cmpuint(addr.slot, !=, 2); /* the memballoon's */
        g_assert_cmpuint(addr.slot, !=, 0);
        n++;
    }
    g_assert_cmpuint(n, ==, 29); /* slots 3..31 */
}

/* a device definition whose addresses collide is refused */
static void
test_conflict(void)
{
    g_autofree char *xml = g_strdup(
        "<domain type='qemu'><name>t</name><memory>262144</memory>"
        "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
        "<interface type='user'><address type='pci' bus='0' slot='5'/></interface>"
        "<interface type='user'><address type='pci' bus='0' slot='5'/></interface>"
        "</devices></domain>");
    g_autoptr(virDomainDef) def = virDomainDefParseString(xml, 0);

    g_assert_nonnull(def);
    g_assert_cmpint(qemuDomainAssignAddresses(def, PC), ==, -1);
    g_assert_cmpint(virGetLastError()->code, ==, VIR_ERR_XML_ERROR);
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_DOMAIN);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "XML error: Attempted double use of PCI Address 0000:00:05.0");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu/address/q35-hotplug", test_q35_hotplug);
    g_test_add_func("/qemu/address/pc-fill", test_pc_fill);
    g_test_add_func("/qemu/address/conflict", test_conflict);
    return g_test_run();
}
