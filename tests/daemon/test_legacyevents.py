#!/usr/bin/env python3
"""The legacy lifecycle callback API through virtkitd (issue 15).

virConnectDomainEventRegister / virConnectDomainEventDeregister, as
python3-libvirt's conn.domainEventRegister / domainEventDeregister use them
(one C registration per connection, however many python callbacks):
- over the wire as libvirt 9.0's client sends them: with feature 14
  (REMOTE_EVENT_CALLBACK) the first registration is 316 and the last
  deregistration 317; a server that says 0 to feature 14 (a proxy in this
  test rewrites the reply) gets 105 / 106 and sends the legacy message 107;
- the callbacks see the (event, detail) sequence of a define, start,
  suspend, resume, destroy, undefine that the same scenario gets from
  Debian's libvirtd 9.0 but for destroy's SHUTDOWN HOST, which virtkit
  does not send (VIRTKIT_SEQUENCE; LIBVIRTD_SEQUENCE recorded once with
  `python3 test_legacyevents.py --uri qemu+unix:///system?socket=...
  [legacy-client built against libvirt]` against the libvirtd of
  scripts/virsh-survey.py, as the other recorded values below);
- the daemon's side of 105/106 from a raw client, as libvirtd answers it:
  a second 105 on one connection is refused (INVALID_ARG, domain NONE,
  "event callback already tracked"), 106 drops the registration and a 106
  with none is INTERNAL_ERROR (domain RPC) "domain event 0 not registered";
- libvirtkit's own client (legacy-client.c, two C callbacks): the same
  procedures, messages, events and duplicate errors as the same program
  built against Debian's libvirt;
- (a deregistration of a C callback that is not registered fails in the
  client, before anything is sent: tests/api/test-event.c. python's own
  path to it, libvirtmod.virConnectDomainEventDeregister with nothing
  registered, crashes python3-libvirt 9.0 against libvirtd too.)
"""
import os
import socket
import struct
import subprocess
import sys
import threading
import time

from vkdtest import (Daemon, RawClient, diskless_xml, parse_error, run_tests, wait_for,
                     xdr_string)

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

# (event, detail) of define, create, suspend, resume, destroy, undefine of
# diskless_xml("legacy") as Debian's libvirtd 9.0 delivered them to a
# legacy callback (recorded with --uri; facts/lifecycle.md 5.2).
LIBVIRTD_SEQUENCE = [
    (0, 0),  # DEFINED ADDED
    (4, 0),  # RESUMED UNPAUSED (libvirtd's start resumes the -S'd QEMU)
    (2, 0),  # STARTED BOOTED
    (3, 0),  # SUSPENDED PAUSED
    (4, 0),  # RESUMED UNPAUSED
    (6, 2),  # SHUTDOWN HOST (QEMU's SHUTDOWN on the SIGTERM of destroy)
    (5, 1),  # STOPPED DESTROYED
    (1, 0),  # UNDEFINED REMOVED
]

# virtkit's one deliberate difference: its destroy ignores QEMU's SHUTDOWN
# on the SIGTERM it sends and ends the domain with one STOPPED DESTROYED
# (src/drivers/qemu/qemu_process.c, thread protocol; facts/lifecycle.md
# 7, pitfall 11: clients need only STOPPED).
VIRTKIT_SEQUENCE = [e for e in LIBVIRTD_SEQUENCE if e != (6, 2)]

SUPPORTS_FEATURE = 60
PROC_REGISTER, PROC_DEREGISTER, MSG_LIFECYCLE = 105, 106, 107
PROC_CB_REGISTER, PROC_CB_DEREGISTER, MSG_CB_LIFECYCLE = 316, 317, 318

_loop_started = False


def event_loop():
    """The default event implementation, run by one thread for the process."""
    global _loop_started
    if _loop_started:
        return
    libvirt.virEventRegisterDefaultImpl()

    def run():
        while True:
            libvirt.virEventRunDefaultImpl()
    threading.Thread(target=run, daemon=True).start()
    _loop_started = True


class Recorder:
    """Python callbacks for conn.domainEventRegister: (event, detail) of the
    domain @name, per callback."""

    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        self.got = {}

    def cb(self, tag):
        self.got[tag] = []

        def f(conn, dom, event, detail, opaque):
            assert opaque == tag, (opaque, tag)
            if dom.name() == self.name:
                with self.lock:
                    self.got[tag].append((event, detail))
        return f

    def of(self, tag):
        with self.lock:
            return list(self.got[tag])


def scenario(conn, name):
    """Define, start, suspend, resume, destroy, undefine @name."""
    dom = conn.defineXML(diskless_xml(name))
    dom.create()
    dom.suspend()
    dom.resume()
    dom.destroy()
    dom.undefine()


def legacy_sequence(uri):
    """Two python callbacks on one connection and one on a second
    connection see the whole sequence; after one is removed it sees no
    more. Returns the sequence."""
    event_loop()
    rec = Recorder("legacy")
    c1 = libvirt.open(uri)
    c2 = libvirt.open(uri)
    try:
        a, b, c = rec.cb("a"), rec.cb("b"), rec.cb("c")
        c1.domainEventRegister(a, "a")
        c1.domainEventRegister(b, "b")
        c2.domainEventRegister(c, "c")
        scenario(c1, "legacy")
        # the undefine's event is the last of the scenario
        wait_for(lambda: all((1, 0) in rec.of(t) for t in "abc"), "the lifecycle events", 60)
        seq = rec.of("a")
        assert rec.of("b") == seq and rec.of("c") == seq, rec.got
        # one python callback less: the others still get everything
        c1.domainEventDeregister(a)
        c1.defineXML(diskless_xml("legacy")).undefine()
        wait_for(lambda: len(rec.of("b")) == len(seq) + 2 and len(rec.of("c")) == len(seq) + 2,
                 "the define/undefine events", 60)
        assert rec.of("a") == seq, rec.of("a")
        assert rec.of("b")[len(seq):] == [(0, 0), (1, 0)], rec.of("b")
        # the last python callback of c1: the C registration goes
        c1.domainEventDeregister(b)
        c2.defineXML(diskless_xml("legacy")).undefine()
        wait_for(lambda: len(rec.of("c")) == len(seq) + 4, "c2's events", 60)
        assert len(rec.of("b")) == len(seq) + 2, rec.of("b")
        c2.domainEventDeregister(c)
        return seq
    finally:
        c1.close()
        c2.close()


# ---- a proxy that hides feature 14 -------------------------------------------

class FeatureProxy:
    """Forwards one UNIX socket to another and answers 0 to
    SUPPORTS_FEATURE(14), as a server without REMOTE_EVENT_CALLBACK;
    records (direction, procedure, type) of every frame."""

    def __init__(self, upstream, path, hide=True):
        self.hide = hide
        self.upstream = upstream
        self.path = path
        self.frames = []
        self.lock = threading.Lock()
        self.srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.srv.bind(path)
        self.srv.listen(8)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                cli, _ = self.srv.accept()
            except OSError:
                return
            up = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            up.connect(self.upstream)
            hidden = set()
            threading.Thread(target=self._pump, args=(cli, up, "c", hidden),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(up, cli, "s", hidden),
                             daemon=True).start()

    @staticmethod
    def _recvn(s, n):
        buf = b""
        while len(buf) < n:
            c = s.recv(n - len(buf))
            if not c:
                return None
            buf += c
        return buf

    def _pump(self, src, dst, direction, hidden):
        try:
            while True:
                h = self._recvn(src, 4)
                if h is None:
                    break
                (n,) = struct.unpack(">I", h)
                body = self._recvn(src, n - 4)
                if body is None:
                    break
                prog, vers, proc, mtype, serial, status = struct.unpack(">IIiiIi", body[:24])
                with self.lock:
                    self.frames.append((direction, proc, mtype))
                if self.hide and direction == "c" and proc == SUPPORTS_FEATURE and \
                        body[24:28] == \
                        struct.pack(">i", 14):
                    hidden.add(serial)
                if direction == "s" and proc == SUPPORTS_FEATURE and mtype == 1 and \
                        status == 0 and serial in hidden:
                    body = body[:24] + struct.pack(">i", 0)
                dst.sendall(struct.pack(">I", len(body) + 4) + body)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def procs(self, direction, mtype):
        with self.lock:
            return [p for (d, p, t) in self.frames if d == direction and t == mtype]

    def close(self):
        self.srv.close()


def test_python_legacy():
    d = Daemon().start()
    seq = legacy_sequence(d.uri())
    assert seq == VIRTKIT_SEQUENCE, seq


def test_python_legacy_wire():
    d = Daemon().start()
    legacy_wire(d.sock, d.root)


def legacy_wire(sock, tmpdir):
    """What python's legacy registrations send: 316/317 (and 318 messages)
    where the server has feature 14, 105/106 and 107 where it has not."""
    event_loop()
    for feature14 in (True, False):
        # with feature14 the proxy only records
        proxy = FeatureProxy(sock, os.path.join(tmpdir, "proxy-%d.sock" % feature14),
                             hide=not feature14)
        try:
            rec = Recorder("wire")
            conn = libvirt.open("qemu+unix:///system?socket=" + proxy.path)
            try:
                a, b = rec.cb("a"), rec.cb("b")
                conn.domainEventRegister(a, "a")
                conn.domainEventRegister(b, "b")
                conn.defineXML(diskless_xml("wire")).undefine()
                wait_for(lambda: len(rec.of("a")) >= 2 and len(rec.of("b")) >= 2,
                         "the define/undefine events", 60)
                assert rec.of("a") == [(0, 0), (1, 0)] == rec.of("b"), rec.got
                conn.domainEventDeregister(a)
                conn.domainEventDeregister(b)
            finally:
                conn.close()
            calls = proxy.procs("c", 0)
            msgs = proxy.procs("s", 2)
        finally:
            proxy.close()
        reg = [p for p in calls if p in (PROC_REGISTER, PROC_DEREGISTER, PROC_CB_REGISTER,
                                         PROC_CB_DEREGISTER, 167, 168)]
        if feature14 is False:
            assert reg == [PROC_REGISTER, PROC_DEREGISTER], calls
            assert msgs.count(MSG_LIFECYCLE) >= 2 and MSG_CB_LIFECYCLE not in msgs, msgs
        else:
            assert reg == [PROC_CB_REGISTER, PROC_CB_DEREGISTER], calls
            assert msgs.count(MSG_CB_LIFECYCLE) >= 2 and MSG_LIFECYCLE not in msgs, msgs


LEGACY_CLIENT_OUT = """register2: rc=-1 code=8 domain=0
cb1: lc 0/0 lc 1/0
cb2: lc 0/0 lc 1/0
deregister2: rc=-1 code=8
legacy-client: ok
"""


def client_wire(sock, tmpdir, client):
    """A C client of the legacy API (legacy-client.c: libvirtkit's remote
    driver, or built against Debian's libvirt to record) through the proxy,
    with and without feature 14: its output and the registration
    procedures it sent. Returns {feature14: (stdout, procs, messages)}."""
    out = {}
    for feature14 in (True, False):
        proxy = FeatureProxy(sock, os.path.join(tmpdir, "cproxy-%d.sock" % feature14),
                             hide=not feature14)
        try:
            p = subprocess.run([client, "qemu+unix:///system?socket=" + proxy.path],
                               capture_output=True, text=True, timeout=120)
            assert p.returncode == 0, (p.stdout, p.stderr)
            calls = proxy.procs("c", 0)
            msgs = proxy.procs("s", 2)
        finally:
            proxy.close()
        reg = [x for x in calls if x in (PROC_REGISTER, PROC_DEREGISTER, PROC_CB_REGISTER,
                                         PROC_CB_DEREGISTER, 167, 168)]
        life = sorted(set(m for m in msgs if m in (MSG_LIFECYCLE, MSG_CB_LIFECYCLE)))
        out[feature14] = (p.stdout, reg, life)
    return out


LIBVIRT_CLIENT_WIRE = {
    True: (LEGACY_CLIENT_OUT, [PROC_CB_REGISTER, PROC_CB_DEREGISTER], [MSG_CB_LIFECYCLE]),
    False: (LEGACY_CLIENT_OUT, [PROC_REGISTER, PROC_DEREGISTER], [MSG_LIFECYCLE]),
}


def test_client_wire():
    """libvirtkit's remote driver sends what libvirt's client sends."""
    d = Daemon().start()
    got = client_wire(d.sock, d.root, os.environ["VK_LEGACY_CLIENT"])
    assert got == LIBVIRT_CLIENT_WIRE, got


def raw_messages(c, timeout=30, until=None):
    """MESSAGE frames of raw client @c as (proc, name, event, detail), up
    to and without the lifecycle message of domain @until, or all that come
    within @timeout when @until is None."""
    got = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        c.s.settimeout(max(0.01, deadline - time.monotonic()))
        r = c.recv_frame()
        if r is None:
            break
        if r[0][3] != 2:
            continue
        m = (r[0][2],) + lifecycle_msg(r[1])
        if m[1] == until:
            return got
        got.append(m)
    assert until is None, ("no event of %s" % until, got)
    return got


def lifecycle_msg(payload):
    """(name, event, detail) of a remote_domain_event_lifecycle_msg."""
    (n,) = struct.unpack(">I", payload[:4])
    name = payload[4:4 + n].decode()
    off = 4 + (n + 3) // 4 * 4 + 16 + 4
    return (name,) + struct.unpack(">ii", payload[off:off + 8])


def raw_105_106(d_sock, uri):
    """The daemon's 105/106 as a raw client sees them; returns the observed
    facts as a list (compared with libvirtd's by --uri)."""
    event_loop()
    out = []
    c = RawClient(d_sock)
    assert c.call(66)[0][5] == 0  # AUTH_LIST
    r = c.call(1, struct.pack(">I", 1) + xdr_string("qemu:///system") + struct.pack(">I", 0))
    assert r and r[0][5] == 0, r and parse_error(r[1])
    other = libvirt.open(uri)

    def cause():
        """Events of 'raw', then one of 'sync' to know they all came."""
        other.defineXML(diskless_xml("raw")).undefine()
        other.defineXML(diskless_xml("sync"))
        return raw_messages(c, until="sync")

    def status(r):
        return (r[0][5], parse_error(r[1]) if r[0][5] else r[1])

    try:
        for _ in range(2):
            out.append(("105",) + status(c.call(PROC_REGISTER)))
        out.append(("events", cause()))
        other.lookupByName("sync").undefine()
        out.append(("106",) + status(c.call(PROC_DEREGISTER)))
        out.append(("106",) + status(c.call(PROC_DEREGISTER)))
        # none registered: nothing comes (a quiet period shows it)
        other.defineXML(diskless_xml("raw")).undefine()
        out.append(("events", raw_messages(c, timeout=2)))
    finally:
        other.close()
        c.close()
    return out


LIBVIRTD_RAW = [
    ("105", 0, b"\0\0\0\0"),   # cb_registered 0
    ("105", 1, (8, 0, "invalid argument: event callback already tracked")),
    ("events", [(107, "raw", 0, 0), (107, "raw", 1, 0)]),
    ("106", 0, b"\0\0\0\0"),
    ("106", 1, (1, 7, "internal error: domain event 0 not registered")),
    ("events", []),
]


def test_raw_105_106():
    d = Daemon().start()
    got = raw_105_106(d.sock, d.uri())
    assert got == LIBVIRTD_RAW, got


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--uri":
        # record against another daemon (Debian's libvirtd)
        uri = sys.argv[2]
        print("sequence", legacy_sequence(uri))
        sock = uri.split("socket=", 1)[1]
        print("raw", raw_105_106(sock, uri))
        legacy_wire(sock, os.environ.get("TMPDIR", "/tmp"))
        print("wire ok")
        if len(sys.argv) > 3:
            print("client", client_wire(sock, os.environ.get("TMPDIR", "/tmp"), sys.argv[3]))
        sys.exit(0)
    run_tests([
        ("python legacy callbacks: libvirtd's sequence", test_python_legacy),
        ("105/106/107 without feature 14, 316/317/318 with it", test_python_legacy_wire),
        ("raw 105/106: libvirtd's answers", test_raw_105_106),
        ("libvirtkit's client: libvirt's procedures", test_client_wire),
    ])
