/* qemu_command_panic.c: the QEMU options of the <panic> devices, as libvirt 9.0 gives them */

#define G_LOG_DOMAIN "virtkit.qemu.command"

#include "qemu_command.h"

bool
qemuDomainHasHypervPanic(const virDomainDef *def)
{
    for (size_t i = 0; i < def->npanics; i++) {
        if (def->panics[i]->model == VIR_DOMAIN_PANIC_MODEL_HYPERV)
            return true;
    }
    return false;
}

void
qemuBuildPanics(GPtrArray *argv, const virDomainDef *def)
{
    for (size_t i = 0; i < def->npanics; i++) {
        const virDomainPanicDef *panic = def->panics[i];

        /* hyperv is a CPU property (hv-crash), the others not x86's */
        if (panic->model != VIR_DOMAIN_PANIC_MODEL_ISA)
            continue;
        g_ptr_array_add(argv, g_strdup("-device"));
        if (panic->addr.type == VIR_DOMAIN_DEVICE_ADDRESS_TYPE_ISA)
            g_ptr_array_add(argv,
                            g_strdup_printf("pvpanic,ioport=%u", panic->addr.iobase));
        else
            g_ptr_array_add(argv, g_strdup("pvpanic"));
    }
}
