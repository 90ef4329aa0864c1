/* qemu_boot.c: the boot order QEMU gets (bootindex), as libvirt 9.0 assigns it at start */

#define G_LOG_DOMAIN "virtkit.qemu.boot"

#include "qemu_boot.h"

void
qemuDomainPrepareBootOrder(virDomainDef *def)
{
    unsigned int byDevice[VIR_DOMAIN_DISK_DEVICE_LAST] = { 0 };
    unsigned int net = 0;

    if (def->os.nBootDevs == 0)
        return;
    for (size_t i = 0; i < def->os.nBootDevs && i < VIR_DOMAIN_BOOT_LAST; i++) {
        switch (def->os.bootDevs[i]) {
        case VIR_DOMAIN_BOOT_CDROM:
            byDevice[VIR_DOMAIN_DISK_DEVICE_CDROM] = (unsigned int)i + 1;
            break;
        case VIR_DOMAIN_BOOT_FLOPPY:
            byDevice[VIR_DOMAIN_DISK_DEVICE_FLOPPY] = (unsigned int)i + 1;
            break;
        case VIR_DOMAIN_BOOT_DISK:
            byDevice[VIR_DOMAIN_DISK_DEVICE_DISK] = (unsigned int)i + 1;
            break;
        case VIR_DOMAIN_BOOT_NET:
            net = (unsigned int)i + 1;
            break;
        default:
            break;
        }
    }
    /* the first disk of each kind takes its kind's place, the others none */
    for (size_t i = 0; i < def->ndisks; i++) {
        virDomainDiskDef *disk = def->disks[i];

        if (disk->device < 0 || disk->device >= VIR_DOMAIN_DISK_DEVICE_LAST) {
            disk->effectiveBootIndex = 0;
            continue;
        }
        disk->effectiveBootIndex = byDevice[disk->device];
        byDevice[disk->device] = 0;
    }
    for (size_t i = 0; i < def->nnets; i++)
        def->nets[i]->effectiveBootIndex = i == 0 ? net : 0;
}
