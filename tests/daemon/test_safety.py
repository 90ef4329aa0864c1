#!/usr/bin/env python3
"""A hostile local client against virtkitd (issue 8): teardown racing the
client's own calls, a client that never reads its replies, references a
client must not leak. Meant for the ASan+UBSan daemon (build-asan, where
vkdtest runs it with leak detection on and fails on any sanitizer report);
in the normal build the same traffic must leave the daemon serving."""
import signal
import struct
import threading
import time

from vkdtest import (Daemon, RawClient, Skip, frame, parse_error, run_tests, virsh,
                     wait_for, xdr_string, REMOTE_PROGRAM, SANITIZED)

OPEN, CLOSE, GET_CAPABILITIES, AUTH_LIST = 1, 2, 7, 66
REGISTER_ANY, DEREGISTER_ANY = 316, 317
REGISTER_CLOSE_CB, UNREGISTER_CLOSE_CB = 360, 361


def open_args(name):
    return struct.pack(">I", 1) + xdr_string(name) + struct.pack(">I", 0)


def call_frame(proc, serial, payload=b""):
    return frame(REMOTE_PROGRAM, 1, proc, 0, serial, 0, payload)


def register_lifecycle(serial):
    # eventID 0 (lifecycle), no domain filter
    return call_frame(REGISTER_ANY, serial, struct.pack(">iI", 0, 0))


def opened(d, uri="test:///default", path=None):
    c = RawClient(path or d.sock)
    r = c.call(OPEN, open_args(uri))
    assert r is not None and r[0][5] == 0, r and parse_error(r[1])
    return c


def served(d, path=None):
    c = RawClient(path or d.sock)
    try:
        r = c.call(AUTH_LIST)
        return r is not None and r[0][5] == 0
    finally:
        c.close()


def hammer(d, rounds_per_thread, threads, round_fn):
    """Run round_fn(d, thread, i) from @threads threads; re-raise the first
    failure. Stops early if the daemon dies (the caller reports it)."""
    errors = []

    def run(t):
        try:
            for i in range(rounds_per_thread):
                if d.proc.poll() is not None:
                    return
                round_fn(d, t, i)
        except Exception as e:      # noqa: BLE001 - reported below
            if d.proc.poll() is None:
                errors.append("thread %d: %r" % (t, e))

    ts = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert d.proc.poll() is None, "virtkitd died (status %s):\n%s" % (
        d.proc.returncode, d.sanitizer_report() or d.log()[-4000:])
    assert not errors, "%s\n%s" % (errors[:5], d.sanitizer_report())


# ---- 1. registration racing the client's teardown --------------------------------

def race_round(d, t, i):
    # test:///default: one state shared by every client; the QEMU driver's
    # state is the daemon's own
    uri = "test:///default" if t % 2 == 0 else "qemu:///system"
    kind = i % 4
    if kind == 0:
        # the recipe: open, register, close at once
        c = opened(d, uri)
        c.send(register_lifecycle(1))
        c.close()
    elif kind == 1:
        # the same without waiting for anything: the registration may run
        # before, during or after the open, and the close races both
        c = RawClient(d.sock)
        c.send(call_frame(OPEN, 0, open_args(uri)) + register_lifecycle(1) +
               register_lifecycle(2))
        c.close()
    elif kind == 2:
        # registrations and CONNECT_CLOSE in one write: CONNECT_CLOSE drops
        # every registration while the others may still be made
        c = opened(d, uri)
        c.send(register_lifecycle(1) + register_lifecycle(2) + call_frame(CLOSE, 3) +
               register_lifecycle(4))
        c.is_closed(timeout=30)
        c.close()
    else:
        # a deregistration naming the IDs the next registrations will get
        # (one daemon-wide counter): it may find one while it is being made
        c = opened(d, uri)
        r = c.call(REGISTER_ANY, struct.pack(">iI", 0, 0))
        assert r is not None and r[0][5] == 0, r and parse_error(r[1])
        last = struct.unpack(">i", r[1][:4])[0]
        out = register_lifecycle(10)
        for k in range(1, 4):
            out += call_frame(DEREGISTER_ANY, 10 + k, struct.pack(">i", last + k))
        c.send(out + register_lifecycle(20))
        c.close()


def test_register_then_close():
    d = Daemon().start()
    hammer(d, 800, 20, race_round)
    assert served(d)
    rc = d.stop(signal.SIGTERM)
    assert rc == 0, "exit status %r\n%s" % (rc, d.log()[-4000:])


def test_listeners_share_test_default():
    # Several clients of test:///default each register a lifecycle
    # callback (one state, one connection each, as libvirtd) and each gets
    # the events of another client's define.
    d = Daemon().start()
    listeners = [opened(d) for _ in range(3)]
    ids = []
    for c in listeners:
        r = c.call(REGISTER_ANY, struct.pack(">iI", 0, 0))
        assert r is not None and r[0][5] == 0, parse_error(r[1])
        ids.append(struct.unpack(">i", r[1][:4])[0])
    assert len(set(ids)) == 3, ids
    xml = "<domain type='test'><name>shared-ev</name><memory>65536</memory>" \
          "<os><type>hvm</type></os></domain>"
    c = opened(d)
    r = c.call(11, xdr_string(xml))        # DOMAIN_DEFINE_XML
    assert r is not None and r[0][5] == 0, parse_error(r[1])
    for cid, lc in zip(ids, listeners):
        while True:
            f = lc.recv_frame()
            assert f is not None, "listener %d got no event" % cid
            if f[0][3] == 2:                # MESSAGE
                break
        got_id = struct.unpack(">i", f[1][:4])[0]
        assert f[0][2] == 318 and got_id == cid, (f[0], got_id)   # CALLBACK_LIFECYCLE
        assert xdr_string("shared-ev") in f[1]
    for lc in listeners:
        lc.close()
    c.close()


# ---- 2. a client that never reads its replies --------------------------------------

class Hog:
    """A client that pipelines GET_CAPABILITIES and never reads a reply.
    Its sends block once the daemon stops reading it."""

    def __init__(self, d, path):
        self.c = opened(d, "test:///default", path=path)
        self.c.s.settimeout(None)
        self.sent = 0
        self.limit = 20000
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def run(self):
        burst = b"".join(call_frame(GET_CAPABILITIES, 1000 + i) for i in range(10))
        try:
            while self.sent < self.limit:
                self.c.s.sendall(burst)
                self.sent += 10
        except OSError:
            pass        # closed by close() below

    def close(self):
        try:
            self.c.s.shutdown(2)
        except OSError:
            pass
        self.t.join(30)
        self.c.close()


def wait_stalled(hogs, timeout=120):
    """Until every hog has sent everything or made no progress for 1 s.
    (Only ends the wait: the assertions are on what the daemon holds.)"""
    state = {"counts": None, "since": time.monotonic()}

    def done():
        counts = [h.sent for h in hogs]
        if all(c >= h.limit for c, h in zip(counts, hogs)):
            return True
        now = time.monotonic()
        if counts != state["counts"]:
            state["counts"], state["since"] = counts, now
            return False
        return now - state["since"] >= 1.0
    wait_for(done, "the non-reading clients to stall", timeout, step=0.1)


def test_reply_queue_bounded():
    # (ASan: a small quarantine, or freed blocks kept back read as growth)
    d = Daemon(asan_extra="quarantine_size_mb=4").start()
    # warm up with the same calls, read properly
    c = opened(d)
    for i in range(300):
        r = c.call(GET_CAPABILITIES)
        assert r is not None and r[0][5] == 0
    reply_len = len(r[1])
    c.close()
    before = d.rss_kib()

    hogs = [Hog(d, d.sock), Hog(d, d.sock_ro)]
    try:
        wait_stalled(hogs)
        during = d.rss_kib()
        # the daemon stopped reading them: a few hundred calls fit in the
        # kernel's socket buffers and the limits, not 20,000
        for h in hogs:
            assert h.sent < h.limit, "daemon kept reading a client that never reads " \
                "(%d calls, %d-byte replies)" % (h.sent, reply_len)
        # 2 x 20,000 replies of ~%d bytes would be ~110 MB; bounded: about
        # 2 x (64 replies + 5 in flight)
        assert during - before < 16 * 1024, \
            "RSS grew from %d to %d KiB with two clients not reading" % (before, during)

        # everyone else is served as usual meanwhile
        c = opened(d)
        worst = 0.0
        for i in range(50):
            t0 = time.monotonic()
            r = c.call(GET_CAPABILITIES)
            worst = max(worst, time.monotonic() - t0)
            assert r is not None and r[0][5] == 0, "other client not answered"
        c.close()
        assert worst < 5.0, "a call of another client took %.1f s" % worst
        print("# RSS %d -> %d KiB with two hogs (%d and %d calls sent); "
              "other client's slowest call %.3f s" %
              (before, during, hogs[0].sent, hogs[1].sent, worst), flush=True)
    finally:
        for h in hogs:
            h.close()
    assert served(d)


def test_event_flood_closes_non_reader():
    # Events do not wait for the client's calls: one that lets its unsent
    # output pass twice max_client_reply_bytes is disconnected.
    d = Daemon(extra=["--max-client-reply-bytes", "65536"]).start()
    hog = opened(d)
    r = hog.call(REGISTER_ANY, struct.pack(">iI", 0, 0))
    assert r is not None and r[0][5] == 0, parse_error(r[1])
    xml = "<domain type='test'><name>flood</name>" \
          "<uuid>8f3e2c1a-5b6d-4e7f-9a0b-1c2d3e4f5a6b</uuid><memory>65536</memory>" \
          "<os><type>hvm</type></os></domain>"
    c = opened(d)
    define = b"".join(call_frame(11, 100 + i, xdr_string(xml)) for i in range(20))
    closed_msg = "does not read its output"

    def flood():
        # each redefinition is one DEFINED/UPDATED event for the hog
        c.send(define)
        for _ in range(20):
            r = c.recv_frame()
            assert r is not None and r[0][5] == 0, r and parse_error(r[1])
        return closed_msg in d.log()
    wait_for(flood, "the daemon to drop the client that does not read its events",
             timeout=300, step=0)
    assert hog.is_closed(), "non-reading client still connected"
    hog.close()
    # the flooding client was never affected
    r = c.call(AUTH_LIST)
    assert r is not None and r[0][5] == 0
    c.close()


# ---- 3. close callback registration (360) without unregister ---------------------

def test_close_callback_released():
    if not SANITIZED:
        raise Skip("the leak check needs the ASan build (build-asan)")
    d = Daemon().start()
    for i in range(40):
        c = opened(d, "qemu:///system")
        r = c.call(REGISTER_CLOSE_CB)
        assert r is not None and r[0][5] == 0, parse_error(r[1])
        if i % 2:
            # as virsh does it: unregister, CONNECT_CLOSE
            r = c.call(UNREGISTER_CLOSE_CB)
            assert r is not None and r[0][5] == 0, parse_error(r[1])
            c.send(call_frame(CLOSE, 99))
            assert c.is_closed()
        c.close()
    # and real virsh connections (each registers a close callback)
    for _ in range(5):
        virsh(d.uri("qemu"), "list", "--all")
    # the read-only socket too, on the shared test driver
    for _ in range(10):
        c = opened(d, "test:///default", path=d.sock_ro)
        r = c.call(REGISTER_CLOSE_CB)
        assert r is not None and r[0][5] == 0, parse_error(r[1])
        c.close()
    assert served(d)
    rc = d.stop(signal.SIGTERM)
    # LeakSanitizer exits 23 and prints its report (run_tests checks it)
    assert rc == 0, "exit status %r\n%s" % (rc, d.sanitizer_report() or d.log()[-4000:])


if __name__ == "__main__":
    run_tests([
        ("register then close, 20 clients at a time (issue 8.1)", test_register_then_close),
        ("close callback released with the connection (issue 8.3)",
         test_close_callback_released),
        ("lifecycle listeners of test:///default side by side",
         test_listeners_share_test_default),
        ("a client that never reads: bounded memory, others served (issue 8.2)",
         test_reply_queue_bounded),
        ("event flood to a client that never reads: it is dropped",
         test_event_flood_closes_non_reader),
    ])
