/* daemon_pool.h: the worker pool and the priority pool that run decoded calls */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef struct _vkdPool vkdPool;

/* A job: @func(@data) runs on a pool thread; it must not touch the main
 * context's objects except through thread-safe calls. */
typedef void (*vkdPoolFunc)(gpointer data);

/* @minWorkers threads are started at once, up to @maxWorkers on demand;
 * @prioWorkers more serve high-priority jobs once every regular worker is
 * taken. Never fails (aborts on thread creation failure as GLib does). */
vkdPool *vkdPoolNew(unsigned int minWorkers, unsigned int maxWorkers,
                    unsigned int prioWorkers, vkdPoolFunc func);

/* Queue @data. A @highPriority job goes to the priority pool when every
 * regular worker is busy, so it gets through while calls are stuck on a
 * guest. Thread-safe. */
void vkdPoolSubmit(vkdPool *pool, gpointer data, bool highPriority);

/* Jobs queued or running (both pools). */
unsigned int vkdPoolPending(vkdPool *pool);

/* Run every queued job to completion, wait for them, then free. */
void vkdPoolFree(vkdPool *pool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkdPool, vkdPoolFree)
