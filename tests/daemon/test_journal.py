#!/usr/bin/env python3
"""Resumable events (issue 13): virtkitd's event journal through virtkit's own API.

- A client (python/virtkit.py over libvirtkit) follows the live events,
  notes the last seq and epoch, and disconnects. Events happen while it is
  away (another client starts, destroys, defines and undefines guests); the
  daemon is stopped; a guest's QEMU is SIGKILLed while it is down; the
  daemon comes back. The client resubscribes from its last seq: it gets
  every missed event exactly once, in order, with contiguous seqs, the
  dead guest's STOPPED/FAILED among them (requestor "daemon"), each with
  its requestor; then live events go on with the next seq. Its model of the
  guests (the list it had, plus the events) equals a fresh list from
  python3-libvirt: no spurious change after the reconnect.
- Bounds and answers: a journal of 5 records (--event-journal-max 5) that
  saw more answers a resume from an older seq with OPERATION_INVALID ("no
  longer kept ... re-list"), or with a gap event first when asked; a wrong
  epoch and a seq never issued are refused; test:///default (no journal)
  answers NO_SUPPORT; vksh event-journal prints the same sequence.
"""
import os
import re
import signal
import subprocess
import sys
import threading

from vkdtest import (Daemon, Skip, booting_xml, diskless_xml, domstate, kill_pid, pid_alive,
                     qemu_pids, run_tests, test_guest_dir, virsh, wait_for, write)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

VIR_ERR_OPERATION_INVALID = 55
VIR_ERR_INVALID_ARG = 8
VIR_ERR_NO_SUPPORT = 3
DEFINED, UNDEFINED, STARTED, SUSPENDED, RESUMED, STOPPED = 0, 1, 2, 3, 4, 5


def virtkit_module():
    lib = os.environ.get("VIRTKIT_LIB")
    if not lib or not os.path.exists(lib):
        raise Skip("libvirtkit.so not found (VIRTKIT_LIB)")
    if os.environ.get("VKD_SANITIZED") == "1":
        raise Skip("python module: not with the ASan build's libvirtkit")
    import virtkit
    virtkit.event_loop_start()
    return virtkit


class Follower:
    """Collects a subscription's events (they arrive on the event loop thread)."""

    def __init__(self):
        self.events = []
        self.lock = threading.Lock()

    def __call__(self, ev):
        with self.lock:
            self.events.append(ev)

    def get(self):
        with self.lock:
            return list(self.events)

    def wait(self, pred, what, timeout=60):
        return wait_for(lambda: pred(self.get()), what, timeout)


def qemu_of(root, name):
    for pid in qemu_pids(root):
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            argv = f.read().split(b"\0")
        for i, a in enumerate(argv):
            if a == b"-name" and i + 1 < len(argv) and \
               re.match(rb"(guest=)?%s(,|$)" % re.escape(name.encode()), argv[i + 1]):
                return pid
    return None


def life(ev):
    return (ev.name, ev.num[0], ev.num[1])


def listing(uri):
    """{name: active} from python3-libvirt (Debian's libvirt), a fresh connection."""
    c = libvirt.open(uri)
    try:
        return {d.name(): bool(d.isActive()) for d in c.listAllDomains()}
    finally:
        c.close()


def apply(model, ev):
    if ev.kind != "domain" or ev.event_id != 0:
        return
    t = ev.num[0]
    if t == DEFINED:
        model.setdefault(ev.name, False)
    elif t == UNDEFINED:
        model.pop(ev.name, None)
    elif t in (STARTED, RESUMED, SUSPENDED):
        model[ev.name] = True
    elif t == STOPPED:
        model[ev.name] = False


def test_resume_across_disconnect_and_restart():
    vk = virtkit_module()
    d = Daemon().start()
    uri = d.uri()
    for n in ("j1", "j2", "j3"):
        write(os.path.join(d.root, n + ".xml"), diskless_xml(n))
    xml = lambda n: os.path.join(d.root, n + ".xml")  # noqa: E731

    conn = vk.open(uri)
    f = Follower()
    sid = conn.subscribe(f)
    virsh(uri, "define %s; define %s; start j1" % (xml("j1"), xml("j2")))
    f.wait(lambda evs: any(life(e) == ("j1", STARTED, 0) for e in evs), "j1 started")
    seen = f.get()
    last, epoch = seen[-1].seq, seen[-1].epoch
    seqs = [e.seq for e in seen]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), seqs
    assert all(e.epoch == epoch and e.requestor for e in seen), seen
    model = listing(uri)  # what the client knows before it goes away
    assert model == {"j1": True, "j2": False}, model
    conn.unsubscribe(sid)
    conn.close()

    # away: another client changes things; then the daemon restarts and a
    # guest dies while it is down
    virsh(uri, "start j2; destroy j2; define %s; undefine j3" % xml("j3"))
    pid = qemu_of(d.root, "j1")
    assert pid
    assert d.stop() == 0
    assert pid_alive(pid)
    kill_pid(pid)
    wait_for(lambda: not pid_alive(pid), "j1's QEMU to die")
    d.start()

    conn = vk.open(uri)
    g = Follower()
    conn.subscribe(g, since=last, epoch=epoch)
    want = [("j2", RESUMED, 0), ("j2", STARTED, 0), ("j2", STOPPED, 1),
            ("j3", DEFINED, 0), ("j3", UNDEFINED, 0), ("j1", STOPPED, 5)]
    g.wait(lambda evs: len(evs) >= len(want), "the %d missed events" % len(want))
    got = g.get()
    assert [life(e) for e in got] == want, got
    assert [e.seq for e in got] == list(range(last + 1, last + 1 + len(want))), got
    assert all(e.epoch == epoch for e in got), got
    assert got[-1].requestor == "daemon", got[-1]
    # the RESUMED of a start answers the client's 'cont': the client's, as
    # the STARTED and the destroy's STOPPED are
    assert all(e.requestor.startswith("client:") for e in got[:5]), got
    assert len({e.requestor for e in got[:5]}) == 1, got  # one virsh run, one client
    # the model from the old list plus the missed events is the new list
    for e in got:
        apply(model, e)
    assert model == listing(uri) == {"j1": False, "j2": False}, (model, listing(uri))
    # then live ones, numbered on
    virsh(uri, "undefine j2")
    g.wait(lambda evs: len(evs) > len(want), "a live event")
    live = g.get()[len(want)]
    assert (life(live), live.seq) == (("j2", UNDEFINED, 0), last + 1 + len(want)), live
    assert len(g.get()) == len(want) + 1, g.get()  # nothing twice

    # vksh prints the same sequence from the same point
    vksh = os.environ.get("VKSH")
    if vksh:
        out = subprocess.run([vksh, "-c", uri, "event-journal", "--since", str(last), "--epoch",
                              str(epoch)], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        lines = [l for l in out.stdout.splitlines() if l.startswith("seq ")]
        assert re.fullmatch(r"seq %d: event 'lifecycle' for domain 'j2': Resumed Unpaused "
                            r"\(requestor client:\d+:\d+\)" % (last + 1), lines[0]), lines
        assert lines[5].startswith("seq %d: event 'lifecycle' for domain 'j1': Stopped "
                                   "Failed (requestor daemon)" % (last + 6)), lines
        assert len(lines) == len(want) + 1, lines
        assert "resume with: --since %d --epoch %d" % (last + 7, epoch) in out.stdout, out.stdout
    conn.close()


def test_bounds_and_errors():
    vk = virtkit_module()
    d = Daemon(extra=["--event-journal-max", "5"]).start()
    uri = d.uri()
    conn = vk.open(uri)
    f = Follower()
    conn.subscribe(f)
    probe = write(os.path.join(d.root, "b.xml"), diskless_xml("b"))
    for _ in range(4):
        virsh(uri, "define %s; undefine b" % probe)
    f.wait(lambda evs: len(evs) >= 8, "8 live events")
    evs = f.get()
    epoch, head = evs[-1].epoch, evs[-1].seq
    first_kept = head - 4

    def refused(code, text, **kw):
        try:
            conn.subscribe(Follower(), **kw)
        except vk.Error as e:
            assert e.code == code and re.search(text, e.message), (e.code, e.message)
            return
        raise AssertionError("subscribe(%r) succeeded" % kw)

    refused(VIR_ERR_OPERATION_INVALID,
            r"events 2\.\.%d are no longer kept \(the journal starts at %d\): re-list"
            % (first_kept - 1, first_kept), since=1, epoch=epoch)
    refused(VIR_ERR_OPERATION_INVALID, r"epoch 12345 is gone .*re-list", since=1, epoch=12345)
    refused(VIR_ERR_INVALID_ARG, r"seq %d was never issued" % (head + 10), since=head + 10)
    # with a gap allowed: the gap first, then what is kept
    g = Follower()
    conn.subscribe(g, since=1, epoch=epoch, gap_ok=True)
    g.wait(lambda e: len(e) >= 6, "gap + 5 kept events")
    got = g.get()
    assert got[0].event_id == vk.EVENT_ID_GAP and got[0].big == [2, first_kept - 1], got[0]
    assert [e.seq for e in got[1:]] == list(range(first_kept, head + 1)), got
    # a read-only connection may subscribe
    ro = vk.open(uri, readonly=True)
    ro.subscribe(Follower(), since=head, epoch=epoch)
    ro.close()
    conn.close()
    # no journal behind an in-process driver or the test driver
    for u in ("test:///default", "test+unix:///default?socket=%s" % d.sock):
        c = vk.open(u)
        try:
            c.subscribe(Follower())
            raise AssertionError("subscribe on %s succeeded" % u)
        except vk.Error as e:
            assert e.code == VIR_ERR_NO_SUPPORT, (u, e.code, e.message)
        c.close()
    d.stop()
    # a daemon run without a journal (--event-journal-max 0) says so, keeps no
    # file, and tells at exit what its journal cost (nothing)
    d0 = Daemon(extra=["--event-journal-max", "0"]).start()
    c = vk.open(d0.uri())
    try:
        c.subscribe(Follower())
        raise AssertionError("subscribe without a journal succeeded")
    except vk.Error as e:
        assert (e.code, e.message) == (VIR_ERR_OPERATION_INVALID, "Requested operation is "
                                       "not valid: the event journal is not running"), e
    c.close()
    assert not os.path.exists(os.path.join(d0.root, "state", "events", "journal"))
    assert d0.stop() == 0


def vksh_journal(uri, *args, check=True):
    vksh = os.environ.get("VKSH")
    if not vksh:
        raise Skip("vksh not built")
    p = subprocess.run([vksh, "-c", uri, "event-journal"] + list(args), capture_output=True,
                       text=True, timeout=120)
    if check and p.returncode != 0:
        raise AssertionError("vksh event-journal %r: %d\n%s%s" % (args, p.returncode,
                                                                 p.stdout, p.stderr))
    return p


def test_vksh_resume_across_restart():
    """The same through vksh alone (also against the ASan daemon, where the
    python module cannot load the ASan libvirtkit)."""
    d = Daemon().start()
    uri = d.uri()
    probe = write(os.path.join(d.root, "p.xml"), diskless_xml("p"))
    virsh(uri, "define %s; undefine p" % probe)
    out = vksh_journal(uri, "--since", "0").stdout
    m = re.search(r"^resume with: --since (\d+) --epoch (\d+)$", out, re.M)
    assert m, out
    since, epoch = int(m.group(1)), m.group(2)
    xml = write(os.path.join(d.root, "v.xml"), diskless_xml("v"))
    virsh(uri, "define %s; start v; destroy v" % xml)
    assert d.stop() == 0
    d.start()
    out = vksh_journal(uri, "--since", str(since), "--epoch", epoch).stdout
    lines = [l for l in out.splitlines() if l.startswith("seq ")]
    want = ["Defined Added", "Resumed Unpaused", "Started Booted", "Stopped Destroyed"]
    assert [re.sub(r"^seq \d+: event 'lifecycle' for domain 'v': (.*) \(requestor .*\)$",
                   r"\1", l) for l in lines] == want, out
    assert [int(l.split()[1].rstrip(":")) for l in lines] == \
        list(range(since + 1, since + 1 + len(want))), out
    # an epoch that is not the daemon's: the answer says to re-list
    p = vksh_journal(uri, "--since", str(since), "--epoch", "1", check=False)
    assert p.returncode == 1 and "re-list" in p.stderr, (p.stdout, p.stderr)
    p = vksh_journal(uri, "--since", "1", "--epoch", epoch, "--gap-ok", check=False)
    assert p.returncode == 0, p.stderr


def journal_lines(uri, since=0):
    """[(seq, text, requestor)] of vksh event-journal --since @since."""
    out = vksh_journal(uri, "--since", str(since)).stdout
    got = []
    for line in out.splitlines():
        m = re.fullmatch(r"seq (\d+): (.*) \(requestor (\S+)\)", line)
        if m:
            got.append((int(m.group(1)), m.group(2), m.group(3)))
    return got


def test_requestors_and_objects():
    """Who caused each event, for each path, and the network and storage pool
    events beside the domains': a client's start (client:UID:PID, its RESUMED
    too), a guest's own power-off after virsh shutdown (SHUTDOWN and STOPPED:
    guest), a QEMU killed behind the daemon's back (STOPPED Failed: crash); a
    network defined and undefined, a dir pool defined, started, refreshed,
    stopped and undefined (client). One test guest boots."""
    guest = test_guest_dir()
    if not guest:
        raise Skip("test guest not available (scripts/build-test-guest.sh)")
    d = Daemon().start()
    uri = d.uri()
    serial = os.path.join(d.root, "rq.serial")
    virsh(uri, "define", write(os.path.join(d.root, "rq.xml"), booting_xml("rq", guest, serial)))
    virsh(uri, "define", write(os.path.join(d.root, "cr.xml"), diskless_xml("cr")))
    virsh(uri, "start rq; start cr")
    wait_for(lambda: os.path.exists(serial) and "GUEST-READY" in open(serial).read(),
             "the guest to boot", 240)
    virsh(uri, "shutdown", "rq")
    wait_for(lambda: domstate(uri, "rq") == "shut off (shutdown)", "rq to power off", 120)
    pid = qemu_of(d.root, "cr")
    assert pid
    kill_pid(pid)
    wait_for(lambda: domstate(uri, "cr") == "shut off (crashed)", "cr's crash to be seen", 60)
    target = os.path.join(d.root, "jpool")
    os.mkdir(target)
    virsh(uri, "pool-define-as jp dir --target %s; pool-start jp; pool-refresh jp; "
          "pool-destroy jp; pool-undefine jp" % target)
    net = write(os.path.join(d.root, "jn.xml"),
                "<network><name>jn</name><bridge name='vkjn0'/></network>\n")
    virsh(uri, "net-define %s; net-undefine jn" % net)

    got = journal_lines(uri)
    print("# " + "\n# ".join("%d %s (%s)" % g for g in got))
    assert [g[0] for g in got] == list(range(got[0][0], got[0][0] + len(got))), got

    def of(what):
        return [(t.split(": ", 1)[1] if ": " in t else t.split(" for ")[0], r)
                for _, t, r in got if re.search(r" for %s(:|$)" % re.escape(what), t)]

    client = {r for _, t, r in got if "Defined Added" in t}
    # two virsh runs (one pid each, unless the kernel gave the second the first's)
    assert 1 <= len(client) <= 2 and all(re.fullmatch(r"client:%d:\d+" % os.getuid(), c)
                                         for c in client), client
    rq = of("domain 'rq'")
    assert [e for e, _ in rq] == ["Defined Added", "Resumed Unpaused", "Started Booted",
                                  "Shutdown Finished after guest request",
                                  "Stopped Shutdown"], rq
    assert rq[1][1] == rq[2][1] and rq[1][1].startswith("client:"), rq
    assert [r for _, r in rq[3:]] == ["guest", "guest"], rq
    cr = of("domain 'cr'")
    assert cr[-1] == ("Stopped Failed", "crash"), cr
    jp = of("storage pool 'jp'")
    assert [e for e, _ in jp] == ["Defined", "Started", "event 'refresh'", "Stopped",
                                  "Undefined"], jp
    assert len({r for _, r in jp}) == 1 and jp[0][1].startswith("client:"), jp
    jn = of("network 'jn'")
    assert [e for e, _ in jn] == ["Defined", "Undefined"], jn
    assert all(r.startswith("client:") for _, r in jn), jn


def journal_records(path):
    """[(offset, length)] of the records of the journal file at @path."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"VKJOURN1", data[:16]
    off, recs = 16, []
    while off + 8 <= len(data):
        n = int.from_bytes(data[off:off + 4], "big")
        recs.append((off, 8 + n))
        off += 8 + n
    assert off == len(data), (off, len(data))
    return recs


def resume_point(out):
    m = re.search(r"^resume with: --since (\d+) --epoch (\d+)$", out, re.M)
    assert m, out
    return int(m.group(1)), m.group(2)


def test_crash_recovery():
    """Fault injection on the journal's losses. A daemon killed (SIGKILL) loses
    nothing: the log says so and the numbering goes on without a hole. A host
    crash (another boot id in journal.seq, the last two records never reached
    the disk): the log names the seqs that may be lost, up to the reservation,
    and a client resuming from a seq it saw gets a journaled gap (requestor
    crash) then the new events, in the same epoch. A torn tail (half a record)
    is cut off and told the same way."""
    d = Daemon().start()
    uri = d.uri()
    probe = write(os.path.join(d.root, "k.xml"), diskless_xml("k"))
    events = os.path.join(d.dirs["state"], "events")
    jpath = os.path.join(events, "journal")
    virsh(uri, "define %s; undefine k" % probe)
    seen, epoch = resume_point(vksh_journal(uri, "--since", "0").stdout)

    # the daemon killed: nothing lost, no hole
    d.stop(sig=signal.SIGKILL)
    assert not os.path.exists(os.path.join(events, "journal.closed"))
    d.start()
    assert re.search(r"event journal: the daemon did not stop cleanly \(it crashed or was "
                     r"killed\); nothing was lost: the kernel kept every write \(newest seq "
                     r"%d\)" % seen, d.log()), d.log()
    virsh(uri, "define %s; undefine k" % probe)
    out = vksh_journal(uri, "--since", str(seen), "--epoch", epoch).stdout
    seqs = [int(l.split()[1].rstrip(":")) for l in out.splitlines() if l.startswith("seq ")]
    assert seqs and seqs == list(range(seen + 1, seen + 1 + len(seqs))), out
    assert "gap" not in out, out
    seen = seqs[-1]

    # a host crash: another boot, the last two records lost
    d.stop(sig=signal.SIGKILL)
    with open(os.path.join(events, "journal.seq")) as f:
        boot, reserved = f.read().split()
    reserved = int(reserved)
    assert boot == open("/proc/sys/kernel/random/boot_id").read().strip(), boot
    assert reserved >= seen, (reserved, seen)
    write(os.path.join(events, "journal.seq"), "00000000-host-crash %d\n" % reserved)
    recs = journal_records(jpath)
    os.truncate(jpath, recs[-2][0])
    d.start()
    last = seen - 2
    assert re.search(r"event journal: the host went down before its last writes reached the "
                     r"disk: events %d\.\.%d may have been sent and lost \(the newest kept is "
                     r"seq %d, of [0-9: -]+ UTC\); a gap record \(seq %d\) tells resuming "
                     r"clients" % (last + 1, reserved, last, reserved + 1), d.log()), d.log()
    out = vksh_journal(uri, "--since", str(seen), "--epoch", epoch).stdout
    lines = [l for l in out.splitlines() if l.startswith("seq ")]
    assert lines[0] == ("seq %d: gap: events %d..%d may have been lost in a host crash "
                        "(requestor crash)" % (reserved + 1, last + 1, reserved)), out
    virsh(uri, "define %s; undefine k" % probe)
    out = vksh_journal(uri, "--since", str(reserved + 1), "--epoch", epoch).stdout
    seqs = [int(l.split()[1].rstrip(":")) for l in out.splitlines() if l.startswith("seq ")]
    assert seqs and seqs[0] == reserved + 2, out  # the same epoch, numbered on
    seen = seqs[-1]

    # a torn tail (same boot): cut off, the same gap
    d.stop(sig=signal.SIGKILL)
    with open(os.path.join(events, "journal.seq")) as f:
        reserved = int(f.read().split()[1])
    recs = journal_records(jpath)
    os.truncate(jpath, recs[-1][0] + recs[-1][1] // 2)
    d.start()
    assert re.search(r"event journal: the journal's tail was torn \(a crash while it was "
                     r"written\) before its last writes reached the disk: events %d\.\.%d may "
                     r"have been sent and lost" % (seen, reserved), d.log()), d.log()
    journal_records(jpath)  # the torn half record is gone from the file
    out = vksh_journal(uri, "--since", str(seen - 1), "--epoch", epoch).stdout
    assert ("seq %d: gap: events %d..%d may have been lost in a host crash (requestor crash)"
            % (reserved + 1, seen, reserved)) in out, out
    # a clean stop leaves nothing to recover
    assert d.stop() == 0
    assert os.path.exists(os.path.join(events, "journal.closed"))
    d.start()
    assert not os.path.exists(os.path.join(events, "journal.closed"))
    assert d.log().count("did not stop cleanly") == 1, d.log()
    assert d.log().count("before its last writes reached the disk") == 2, d.log()


def test_age_limit_and_snapshot():
    """--event-journal-max-age: events older than the age are no longer kept
    (a resume from before them is told to re-list), the newest always is
    (--since 0, everything kept, gets it). A snapshot subscription: one line
    per domain, network and pool with its state as of the newest seq, and the
    resume point is that seq; with a --since of its own it is refused."""
    d = Daemon(extra=["--event-journal-max-age", "1"]).start()
    uri = d.uri()
    for n in ("sa", "sb"):
        virsh(uri, "define", write(os.path.join(d.root, n + ".xml"), diskless_xml(n)))
    virsh(uri, "start sa")
    net = write(os.path.join(d.root, "sn.xml"),
                "<network><name>sn</name><bridge name='vksn0'/></network>\n")
    virsh(uri, "net-define %s" % net)
    head, epoch = resume_point(vksh_journal(uri, "--since", "0").stdout)
    assert head >= 6, head

    def aged():
        p = vksh_journal(uri, "--since", "1", "--epoch", epoch, check=False)
        return p.returncode == 1 and re.search(r"events 2\.\.%d are no longer kept \(the "
                                               r"journal starts at %d\): re-list"
                                               % (head - 1, head), p.stderr)
    wait_for(aged, "the journal to age its events out", 30, step=0.2)
    out = vksh_journal(uri, "--since", "0").stdout
    assert [l.split(":")[0] for l in out.splitlines() if l.startswith("seq ")] == \
        ["seq %d" % head], out

    out = vksh_journal(uri, "--since", "now", "--snapshot").stdout
    snap = sorted(l for l in out.splitlines() if l.startswith("snapshot "))
    assert snap == sorted([
        "snapshot at seq %d: domain 'sa': running (booted)" % head,
        "snapshot at seq %d: domain 'sb': shut off (unknown)" % head,
        "snapshot at seq %d: network 'sn': inactive, persistent" % head,
        "snapshot at seq %d: storage pool 'default': active, persistent" % head,
    ]), out
    assert "resume with: --since %d --epoch %s" % (head, epoch) in out, out
    p = vksh_journal(uri, "--since", "1", "--snapshot", check=False)
    assert p.returncode == 1 and "since must be VK_EVENT_SINCE_NOW" in p.stderr, p.stderr
    virsh(uri, "destroy sa; net-undefine sn")


def test_python_snapshot_then_live():
    """python: subscribe(snapshot=True) gives each object's state as of seq H,
    then the events after H, in order, from H + 1."""
    vk = virtkit_module()
    d = Daemon().start()
    uri = d.uri()
    virsh(uri, "define", write(os.path.join(d.root, "ps.xml"), diskless_xml("ps")))
    conn = vk.open(uri)
    f = Follower()
    conn.subscribe(f, snapshot=True)
    f.wait(lambda evs: len(evs) >= 2, "the snapshot")
    snap = [e for e in f.get() if e.event_id == vk.EVENT_ID_SNAPSHOT]
    assert {(e.kind, e.name, tuple(e.num[:2])) for e in snap} == {
        ("domain", "ps", (5, 0)), ("storage-pool", "default", (1, 1))}, snap
    at = snap[0].big[0]
    assert all(e.seq == 0 and e.big[0] == at for e in snap), snap
    virsh(uri, "start ps")
    f.wait(lambda evs: any(life(e) == ("ps", STARTED, 0) for e in evs), "ps started")
    live = [e for e in f.get() if e.event_id != vk.EVENT_ID_SNAPSHOT]
    assert [e.seq for e in live] == list(range(at + 1, at + 1 + len(live))), live
    assert [life(e) for e in live] == [("ps", RESUMED, 0), ("ps", STARTED, 0)], live
    conn.close()
    virsh(uri, "destroy ps")


# The cases of python's virtkit module run in daemon-vkpython (test_vkpython.py)
# against the plain daemon: make check runs this suite against the ASan daemon
# only, where python cannot load the ASan build's libvirtkit.
PYTHON_CASES = [
    ("a client resumes after a disconnect and a daemon restart (a guest died "
     "meanwhile): every missed event once, in order, then live ones; the re-list "
     "agrees", test_resume_across_disconnect_and_restart),
    ("a bounded journal answers lost events with an error or a gap; wrong epoch, "
     "unknown seq, no journal: refused", test_bounds_and_errors),
    ("a snapshot subscription, then live events numbered on", test_python_snapshot_then_live),
]

if __name__ == "__main__":
    run_tests([
        ("vksh event-journal resumes across a daemon restart; a wrong epoch is refused",
         test_vksh_resume_across_restart),
        ("requestors of a client's start, a guest's power-off, a QEMU crash; network and "
         "storage pool events journaled", test_requestors_and_objects),
        ("a killed daemon loses nothing; a host crash and a torn tail are told in the log "
         "and by a journaled gap", test_crash_recovery),
        ("the journal's age limit; a snapshot subscription", test_age_limit_and_snapshot),
    ])
