"""virtkit: virtkit's own API (include/virtkit/virtkit.h) from Python, by ctypes over libvirtkit.

The module opens libvirtkit.so (``$VIRTKIT_LIB``, else ``libvirtkit.so.0`` on the
loader's path) and wraps the few libvirt calls needed to reach a domain
(connect, lookup) plus virtkit's ``vk*`` functions. It is independent of
python3-libvirt (which links Debian's libvirt, not libvirtkit).

    import virtkit
    conn = virtkit.open("qemu:///system")
    dom = conn.lookup("guest1")
    rep = dom.stop(timeout=30, kill=False, progress=print)
    print(rep.ended_by, rep.flushed, rep.steps["acpi"].elapsed_ms)

Errors raise ``virtkit.Error`` with libvirt's ``code``, ``domain`` and
``message``; a stop whose ladder ran out (the guest still runs) raises it with
``.report`` set. See docs/virtkit-api.md.
"""
import ctypes
import os

STEP_NONE, STEP_AGENT, STEP_ACPI, STEP_CLEAN_EXIT, STEP_KILL, STEP_LAST = range(6)
STEP_NAMES = ["none", "agent", "acpi", "clean-exit", "kill"]
OUTCOME_NAMES = ["not reached", "skipped", "survived", "ended", "failed"]

STOP_ALLOW_KILL = 1 << 0
STOP_SKIP_AGENT = 1 << 1
STOP_SKIP_ACPI = 1 << 2
STOP_SKIP_CLEAN_EXIT = 1 << 3
STOP_USE_DEFINITION = 1 << 4

# resumable events (docs/events-resumable.md)
EVENT_SINCE_NOW = (1 << 64) - 1
EVENT_ID_GAP = -1
EVENT_ID_SNAPSHOT = -2
EVENT_SUBSCRIBE_GAP_OK = 1 << 0
EVENT_SUBSCRIBE_SNAPSHOT = 1 << 1
EVENT_KINDS = ["domain", "network", "storage-pool"]


class _StepReport(ctypes.Structure):
    _fields_ = [("outcome", ctypes.c_int), ("elapsed_ms", ctypes.c_ulonglong),
                ("attempts", ctypes.c_uint), ("reason", ctypes.c_char * 128)]


class _Report(ctypes.Structure):
    _fields_ = [("ended_by", ctypes.c_int), ("flushed", ctypes.c_int),
                ("total_ms", ctypes.c_ulonglong), ("deadline_ms", ctypes.c_uint),
                ("steps", _StepReport * STEP_LAST)]


class _Progress(ctypes.Structure):
    _fields_ = [("step", ctypes.c_int), ("elapsed_ms", ctypes.c_ulonglong),
                ("attempt", ctypes.c_uint), ("deadline_ms", ctypes.c_uint),
                ("what", ctypes.c_char_p)]


class _Error(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("domain", ctypes.c_int),
                ("message", ctypes.c_char_p), ("level", ctypes.c_int),
                ("conn", ctypes.c_void_p), ("dom", ctypes.c_void_p),
                ("str1", ctypes.c_char_p), ("str2", ctypes.c_char_p),
                ("str3", ctypes.c_char_p), ("int1", ctypes.c_int),
                ("int2", ctypes.c_int), ("net", ctypes.c_void_p)]


class _Event(ctypes.Structure):
    _fields_ = [("seq", ctypes.c_ulonglong), ("epoch", ctypes.c_ulonglong),
                ("time_us", ctypes.c_longlong), ("requestor", ctypes.c_char_p),
                ("kind", ctypes.c_int), ("event_id", ctypes.c_int),
                ("dom", ctypes.c_void_p), ("name", ctypes.c_char_p),
                ("uuid", ctypes.c_void_p), ("num", ctypes.c_int * 4),
                ("big", ctypes.c_ulonglong * 2), ("str", ctypes.c_char_p * 6)]


_EVENT_FUNC = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(_Event), ctypes.c_void_p)
_PROGRESS_FUNC = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(_Progress),
                                  ctypes.c_void_p)
_ERROR_FUNC = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)
_FREE_FUNC = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


def _load():
    lib = ctypes.CDLL(os.environ.get("VIRTKIT_LIB") or "libvirtkit.so.0")
    lib.virConnectOpen.restype = ctypes.c_void_p
    lib.virConnectOpen.argtypes = [ctypes.c_char_p]
    lib.virConnectOpenReadOnly.restype = ctypes.c_void_p
    lib.virConnectOpenReadOnly.argtypes = [ctypes.c_char_p]
    lib.virConnectClose.argtypes = [ctypes.c_void_p]
    lib.virDomainLookupByName.restype = ctypes.c_void_p
    lib.virDomainLookupByName.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.virDomainFree.argtypes = [ctypes.c_void_p]
    lib.virDomainGetName.restype = ctypes.c_char_p
    lib.virDomainGetName.argtypes = [ctypes.c_void_p]
    lib.virGetLastError.restype = ctypes.POINTER(_Error)
    lib.virSetErrorFunc.argtypes = [ctypes.c_void_p, _ERROR_FUNC]
    lib.vkDomainStopWithProgress.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_uint,
                                             ctypes.POINTER(_Report), _PROGRESS_FUNC,
                                             ctypes.c_void_p]
    lib.vkConnectEventSubscribe.restype = ctypes.c_int
    lib.vkConnectEventSubscribe.argtypes = [ctypes.c_void_p, ctypes.c_ulonglong,
                                            ctypes.c_ulonglong, ctypes.c_uint, _EVENT_FUNC,
                                            ctypes.c_void_p, _FREE_FUNC]
    lib.vkConnectEventUnsubscribe.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.virEventRegisterDefaultImpl.restype = ctypes.c_int
    lib.virEventRunDefaultImpl.restype = ctypes.c_int
    return lib


_lib = _load()
# libvirt prints every error on stderr unless a handler is set: errors are
# raised as exceptions here instead.
_quiet = _ERROR_FUNC(lambda opaque, err: None)
_lib.virSetErrorFunc(None, _quiet)


class Error(Exception):
    """A libvirt-style error: code (virErrorNumber), domain (virErrorDomain), message."""

    def __init__(self, code, domain, message, report=None):
        super().__init__(message)
        self.code, self.domain, self.message, self.report = code, domain, message, report


def _raise(report=None):
    e = _lib.virGetLastError()
    if not e:
        raise Error(1, 0, "unknown error", report)
    msg = e.contents.message.decode() if e.contents.message else "unknown error"
    raise Error(e.contents.code, e.contents.domain, msg, report)


class StepReport:
    def __init__(self, s):
        self.outcome = OUTCOME_NAMES[s.outcome] if 0 <= s.outcome < len(OUTCOME_NAMES) \
            else "unknown"
        self.elapsed_ms = s.elapsed_ms
        self.attempts = s.attempts
        self.reason = s.reason.decode()

    def __repr__(self):
        return "StepReport(%s, %d ms, x%d, %r)" % (self.outcome, self.elapsed_ms,
                                                   self.attempts, self.reason)


class StopReport:
    """Which step ended the guest, whether QEMU's exit flushed its disks
    (True/False/None for unknown), time per step."""

    def __init__(self, r):
        self.ended_by = STEP_NAMES[r.ended_by] if 0 <= r.ended_by < STEP_LAST else "unknown"
        self.flushed = None if r.flushed < 0 else bool(r.flushed)
        self.total_ms = r.total_ms
        self.deadline_ms = r.deadline_ms
        self.steps = {STEP_NAMES[i]: StepReport(r.steps[i]) for i in range(1, STEP_LAST)}

    def __repr__(self):
        return "StopReport(ended_by=%s, flushed=%s, total_ms=%d, steps=%r)" % (
            self.ended_by, self.flushed, self.total_ms, self.steps)


class Domain:
    def __init__(self, ptr):
        self._ptr = ptr

    def name(self):
        return _lib.virDomainGetName(self._ptr).decode()

    def stop(self, timeout=0, kill=False, policy=0, progress=None):
        """vkDomainStopWithProgress: @timeout in seconds (float; 0: the domain's
        policy or 60 s), @kill allows SIGKILL at the deadline, @policy adds
        STOP_* flags, @progress(step_name, attempt, elapsed_ms, what) is called
        while it runs (possibly from a library thread). Returns a StopReport."""
        rep = _Report()
        flags = policy | (STOP_ALLOW_KILL if kill else 0)

        def cb(dom, p, opaque):
            if progress:
                pr = p.contents
                progress(STEP_NAMES[pr.step] if 0 <= pr.step < STEP_LAST else "unknown",
                         pr.attempt, pr.elapsed_ms, pr.what.decode() if pr.what else "")
        cfunc = _PROGRESS_FUNC(cb)
        if _lib.vkDomainStopWithProgress(self._ptr, int(timeout * 1000), flags,
                                         ctypes.byref(rep), cfunc, None) < 0:
            _raise(StopReport(rep) if rep.deadline_ms else None)
        return StopReport(rep)

    def __del__(self):
        if self._ptr:
            _lib.virDomainFree(self._ptr)
            self._ptr = None


class Event:
    """One journaled event: seq, epoch, time_us, requestor, kind ("domain",
    "network", "storage-pool"), event_id (VIR_*_EVENT_ID_*, EVENT_ID_GAP or
    EVENT_ID_SNAPSHOT), name, num/big/str (the callback's arguments;
    lifecycle: num[0] event, num[1] detail). A gap has seq 0 and big = the
    first and last seq lost (a gap journaled after a host crash has a seq of
    its own, requestor "crash": those seqs may be lost). A snapshot event
    (subscribe(snapshot=True)) has seq 0, big[0] the seq it stands at, and
    num = [state, reason] for a domain, [active, persistent] otherwise."""

    def __init__(self, e):
        self.seq, self.epoch, self.time_us = e.seq, e.epoch, e.time_us
        self.requestor = e.requestor.decode() if e.requestor else None
        self.kind = EVENT_KINDS[e.kind] if 0 <= e.kind < len(EVENT_KINDS) else str(e.kind)
        self.event_id = e.event_id
        self.name = e.name.decode() if e.name else None
        self.num = list(e.num)
        self.big = list(e.big)
        self.str = [x.decode() if x else None for x in e.str]

    def __repr__(self):
        return "Event(seq=%d, %s %r id=%d num=%r by %s)" % (
            self.seq, self.kind, self.name, self.event_id, self.num[:2], self.requestor)


_loop_thread = None

# The C callbacks of subscriptions, kept alive until libvirtkit lets go of
# them (its free callback, with the key as opaque): a subscription outlives
# Connection.close() and the Connection object (libvirtkit keeps the
# connection referenced until it is unsubscribed), and an event delivered
# through a callback Python had already freed crashed the process.
_live_callbacks = {}
_live_keys = iter(range(1, 1 << 62))


def _free_callback(opaque):
    _live_callbacks.pop(opaque, None)


_free_cfunc = _FREE_FUNC(_free_callback)


def event_loop_start():
    """Register libvirtkit's default event loop and run it in a daemon thread
    (subscription callbacks run there)."""
    global _loop_thread
    import threading
    if _loop_thread:
        return
    if _lib.virEventRegisterDefaultImpl() < 0:
        _raise()

    def run():
        while True:
            _lib.virEventRunDefaultImpl()
    _loop_thread = threading.Thread(target=run, daemon=True)
    _loop_thread.start()


class Connection:
    def __init__(self, ptr):
        self._ptr = ptr
        self._subs = {}

    def subscribe(self, callback, since=EVENT_SINCE_NOW, epoch=0, gap_ok=False,
                  snapshot=False):
        """vkConnectEventSubscribe: @callback(Event) for every journaled event
        after @since (EVENT_SINCE_NOW: live ones only) in @epoch (0: any), in
        order, from the event loop (event_loop_start). @snapshot: first one
        EVENT_ID_SNAPSHOT event per domain, network and pool (with the
        default @since). Returns the id."""
        def cb(conn, ev, opaque):
            callback(Event(ev.contents))
        cfunc = _EVENT_FUNC(cb)
        key = next(_live_keys)
        flags = (EVENT_SUBSCRIBE_GAP_OK if gap_ok else 0) | \
            (EVENT_SUBSCRIBE_SNAPSHOT if snapshot else 0)
        _live_callbacks[key] = cfunc
        sid = _lib.vkConnectEventSubscribe(self._ptr, epoch, since, flags,
                                           cfunc, key, _free_cfunc)
        if sid < 0:
            _live_callbacks.pop(key, None)
            _raise()
        self._subs[sid] = key
        return sid

    def unsubscribe(self, sid):
        rc = _lib.vkConnectEventUnsubscribe(self._ptr, sid)
        self._subs.pop(sid, None)
        if rc < 0:
            _raise()

    def lookup(self, name):
        ptr = _lib.virDomainLookupByName(self._ptr, name.encode())
        if not ptr:
            _raise()
        return Domain(ptr)

    def close(self):
        """Unsubscribes what this connection subscribed (a subscription
        would keep it open), then closes it."""
        if self._ptr:
            for sid in list(self._subs):
                if _lib.vkConnectEventUnsubscribe(self._ptr, sid) == 0:
                    self._subs.pop(sid, None)
            _lib.virConnectClose(self._ptr)
            self._ptr = None


def open(uri=None, readonly=False):
    """virConnectOpen (or ReadOnly) on libvirtkit; raises Error on failure."""
    fn = _lib.virConnectOpenReadOnly if readonly else _lib.virConnectOpen
    ptr = fn(uri.encode() if uri else None)
    if not ptr:
        _raise()
    return Connection(ptr)
