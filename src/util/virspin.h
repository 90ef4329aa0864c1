/* virspin.h: adaptive busy-polling before a blocking wait on a descriptor */
#pragma once

#include <glib.h>
#include <stdbool.h>

/*
 * A thread about to sleep in poll() for an answer that usually comes
 * within microseconds (an RPC reply; the next call of a client calling
 * in a loop) may first poll without blocking for a short while. When the
 * peer runs on another CPU that would otherwise idle, the answer is then
 * picked up without waking a sleeping thread: such a wakeup costs ~25 us
 * on this project's virtual machines (the virtual CPU halts and must be
 * woken), two per round trip, where a lookup's work is ~10 us on both
 * sides together.
 *
 * Spinning never takes a CPU someone else wants: it is allowed only while
 * the machine has no more runnable threads than CPUs (the running count
 * of /proc/loadavg, read at most every VIR_SPIN_CHECK_MS). And it adapts
 * (QEMU's I/O threads poll the same way): a spin that ends without the
 * answer (the peer was slower, or waited for this very CPU) stops
 * spinning; VIR_SPIN_PROBE_EVERY waits later one spin is tried again; a
 * spin that catches the answer keeps the full VIR_SPIN_MAX_US budget.
 * Where spinning never pays, that costs one 50 us spin per 64 waits.
 * VIRTKIT_NO_SPIN (set to anything) in the environment turns it off.
 */

#define VIR_SPIN_MAX_US 50
#define VIR_SPIN_PROBE_EVERY 64
#define VIR_SPIN_CHECK_MS 20

/* One per waiting thread (or per holder of the lock a waiter holds). */
typedef struct {
    gint64 budgetUs;        /* the next spin's length; 0: block at once */
    unsigned int sinceZero; /* waits since the budget fell to 0 */
} virSpin;

void virSpinInit(virSpin *s);

/* How long (us) to poll without blocking before this wait; 0: none. */
gint64 virSpinBudget(virSpin *s);

/* The spin of this wait (one with a budget, where a first poll found
 * nothing) ended with the answer (@caught) or without it. */
void virSpinDone(virSpin *s, bool caught);
