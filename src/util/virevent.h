/* virevent.h: internal helpers around the public event-loop API (virEvent*) */
#pragma once

#include <stdbool.h>

/*
 * True once an event loop implementation is registered, either the
 * default one (virEventRegisterDefaultImpl) or the application's own
 * (virEventRegisterImpl). Code that needs timers or watches (domain event
 * dispatch, keepalive) checks this before relying on virEventAdd*.
 * Thread-safe.
 */
bool virEventIsRegistered(void);

/*
 * True when the registered implementation is the built-in GLib one, whose
 * loop is the default GMainContext: code that owns its own GSources may
 * attach them there directly. Thread-safe.
 */
bool virEventIsDefaultImpl(void);
