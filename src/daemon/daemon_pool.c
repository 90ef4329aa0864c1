/* daemon_pool.c: two GThreadPools (regular, priority) in front of the dispatcher
 *
 * Thread protocol: vkdPoolSubmit is called from the main context, or from
 * a job starting the next job of the same client; jobs run on pool
 * threads. The only shared state is the two atomic counters; GThreadPool
 * does its own locking. A job may block on a guest for as long
 * as the driver lets it: that is why the priority pool exists.
 */
#define G_LOG_DOMAIN "virtkitd.pool"
#include "daemon_pool.h"


struct _vkdPool {
    GThreadPool *workers;
    GThreadPool *prio;
    unsigned int maxWorkers;
    vkdPoolFunc func;
    gint busy; /* jobs in the regular pool, queued or running */
    gint prioBusy;
};

typedef struct {
    vkdPool *pool;
    gpointer data;
    bool prio;
} vkdPoolJob;

static void
vkdPoolRun(gpointer jobptr, gpointer unused)
{
    vkdPoolJob *job = jobptr;
    vkdPool *pool = job->pool;

    pool->func(job->data);
    g_atomic_int_dec_and_test(job->prio ? &pool->prioBusy : &pool->busy);
    g_free(job);
}

vkdPool *
vkdPoolNew(unsigned int minWorkers, unsigned int maxWorkers, unsigned int prioWorkers,
           vkdPoolFunc func)
{
    vkdPool *pool = g_new0(vkdPool, 1);

    pool->func = func;
    pool->maxWorkers = maxWorkers;
    pool->workers = g_thread_pool_new(vkdPoolRun, NULL, maxWorkers, FALSE, NULL);
    pool->prio = g_thread_pool_new(vkdPoolRun, NULL, prioWorkers, FALSE, NULL);
    /* Keep min_workers threads around instead of GLib's default of
     * reaping idle ones after 15 s. */
    g_thread_pool_set_max_unused_threads(
        MAX((int)minWorkers, g_thread_pool_get_max_unused_threads()));
    return pool;
}

void
vkdPoolSubmit(vkdPool *pool, gpointer data, bool highPriority)
{
    vkdPoolJob *job = g_new0(vkdPoolJob, 1);

    job->pool = pool;
    job->data = data;
    if (highPriority && (unsigned int)g_atomic_int_get(&pool->busy) >= pool->maxWorkers) {
        job->prio = true;
        g_atomic_int_inc(&pool->prioBusy);
        g_thread_pool_push(pool->prio, job, NULL);
        return;
    }
    g_atomic_int_inc(&pool->busy);
    g_thread_pool_push(pool->workers, job, NULL);
}

unsigned int
vkdPoolPending(vkdPool *pool)
{
    return g_atomic_int_get(&pool->busy) + g_atomic_int_get(&pool->prioBusy);
}

void
vkdPoolFree(vkdPool *pool)
{
    if (!pool)
        return;
    g_thread_pool_free(pool->workers, FALSE, TRUE);
    g_thread_pool_free(pool->prio, FALSE, TRUE);
    g_free(pool);
}
