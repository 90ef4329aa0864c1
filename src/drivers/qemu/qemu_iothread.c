/* qemu_iothread.c: a guest's IOThreads in QEMU (command line) */

#define G_LOG_DOMAIN "virtkit.qemu.iothread"

#include "qemu_iothread.h"

char *
qemuIOThreadAlias(unsigned int id)
{
    return g_strdup_printf("iothread%u", id);
}

static void
appendPool(GString *s, int min, int max)
{
    if (min >= 0)
        g_string_append_printf(s, ",\"thread-pool-min\":%d", min);
    if (max >= 0)
        g_string_append_printf(s, ",\"thread-pool-max\":%d", max);
}

void
qemuBuildIOThreadArgs(GPtrArray *a, const virDomainDef *def)
{
    for (size_t i = 0; i < def->niothreads; i++) {
        const virDomainIOThreadDef *t = def->iothreads[i];
        GString *s = g_string_new(NULL);

        g_string_append_printf(s, "{\"qom-type\":\"iothread\",\"id\":\"iothread%u\"",
                               t->id);
        appendPool(s, t->poolMin, t->poolMax);
        g_string_append_c(s, '}');
        g_ptr_array_add(a, g_strdup("-object"));
        g_ptr_array_add(a, g_string_free(s, FALSE));
    }
    if (def->defaultPoolMin >= 0 || def->defaultPoolMax >= 0) {
        GString *s = g_string_new("{\"qom-type\":\"main-loop\",\"id\":\"main-loop\"");

        appendPool(s, def->defaultPoolMin, def->defaultPoolMax);
        g_string_append_c(s, '}');
        g_ptr_array_add(a, g_strdup("-object"));
        g_ptr_array_add(a, g_string_free(s, FALSE));
    }
}
