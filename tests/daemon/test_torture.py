#!/usr/bin/env python3
"""Crash torture: define/undefine (and now and then start/destroy) through
python3-libvirt while virtkitd is SIGKILLed at random moments, then restarted.

After every restart: each definition whose define returned (and was not
undefined since) is there and its XML parses; no domain whose undefine
returned came back; every guest whose start returned (and was not destroyed
since) still runs under the same QEMU pid; no QEMU runs that the daemon
does not report as active (no orphan). Calls cut by the kill are "in
doubt": either outcome is accepted, then the model follows what the daemon
reports.

VKD_TORTURE_KILLS sets the number of kills (default 200; `make torture` more).
"""
import os
import random
import re
import threading
import time
import xml.etree.ElementTree as ET

import libvirt

from vkdtest import (Daemon, diskless_xml, kill_pid, pid_alive, qemu_pids, run_tests,
                     wait_for)

KILLS = int(os.environ.get("VKD_TORTURE_KILLS", "200"))
SEED = int(os.environ.get("VKD_TORTURE_SEED", str(int(time.time()))))

libvirt.registerErrorHandler(lambda ctx, err: None, None)

# QEMUs left running that the restarted daemon does not report active:
# (kill#, pid, name, history of that name).
ORPHANS = []
TORTURE_RAN = []


def qemu_names(root):
    """{pid: guest name} of the live QEMUs of this daemon."""
    out = {}
    for pid in qemu_pids(root):
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        for i, a in enumerate(argv):
            if a == b"-name" and i + 1 < len(argv):
                m = re.match(rb"(?:guest=)?([^,]+)", argv[i + 1])
                out[pid] = m.group(1).decode()
    return out


class Model:
    def __init__(self):
        self.defined = set()      # define returned, no undefine returned since
        self.undefined = set()    # undefine returned
        self.running = {}         # name -> QEMU pid, start returned, no destroy since
        self.seq = 0
        self.calls = {}           # op -> calls that returned
        self.doubts = 0           # calls cut by a kill
        self.cut = {}             # op -> calls cut by a kill
        self.hist = {}            # name -> [(kill#, event)] for failure reports
        self.kill = 0

    def note(self, name, what):
        self.hist.setdefault(name, []).append((self.kill, what))


def worker(uri, model, rng, stop, log):
    try:
        conn = libvirt.open(uri)
    except libvirt.libvirtError:
        return
    try:
        while not stop.is_set():
            r = rng.random()
            inactive = sorted(model.defined - set(model.running))
            if r < 0.08 and inactive and len(model.running) < 2:
                name = rng.choice(inactive)
                log.append(("start", name))
                conn.lookupByName(name).create()
                model.running[name] = None      # pid filled in by the checker
            elif r < 0.16 and model.running:
                name = rng.choice(sorted(model.running))
                log.append(("destroy", name))
                conn.lookupByName(name).destroy()
                del model.running[name]
            elif r < 0.55 or not inactive:
                model.seq += 1
                name = "t%d" % model.seq
                log.append(("define", name))
                conn.defineXML(diskless_xml(name))
                model.defined.add(name)
                model.undefined.discard(name)
            else:
                name = rng.choice(inactive)
                log.append(("undefine", name))
                conn.lookupByName(name).undefine()
                model.defined.discard(name)
                model.undefined.add(name)
            log.append(("ok", name))
            op = log[-2][0]
            model.note(name, op + " returned")
            model.calls[op] = model.calls.get(op, 0) + 1
    except libvirt.libvirtError:
        pass
    finally:
        try:
            conn.close()
        except libvirt.libvirtError:
            pass


def verify(d, model, doubt):
    try:
        conn = libvirt.open(d.uri())
    except libvirt.libvirtError as e:
        raise AssertionError("cannot connect after restart (%s); daemon %s\n%s" % (
            e, "exited with %r" % d.proc.returncode if d.proc.poll() is not None
            else "alive", d.log()[-3000:]))
    try:
        doms = {x.name(): x for x in conn.listAllDomains()}
        for name in model.defined - doubt:
            assert name in doms, "defined domain %s lost" % name
            root = ET.fromstring(doms[name].XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
            assert root.findtext("name") == name
            cfg = os.path.join(d.dirs["config"], name + ".xml")
            ET.parse(cfg)       # the file on disk parses too
        for name in model.undefined - doubt:
            assert name not in doms, "undefined domain %s came back" % name
        active = {n for n, x in doms.items() if x.isActive()}

        def orphans():
            return {p: n for p, n in qemu_names(d.root).items() if n not in active}
        # a QEMU the daemon is ending (a start cut half-way) may take a moment
        left = orphans()
        if left:
            try:
                wait_for(lambda: not orphans(), "orphans %r to exit" % left, 2)
            except AssertionError:
                # recorded for the second check; killed (by pid) so that the
                # torture goes on with a clean slate
                for pid, name in orphans().items():
                    ORPHANS.append((model.kill, pid, name, model.hist.get(name)))
                    kill_pid(pid)
                wait_for(lambda: not orphans(), "killed orphans to exit")
        q = qemu_names(d.root)
        byname = {n: p for p, n in q.items()}
        for name, pid in list(model.running.items()):
            if name in doubt:
                continue
            assert name in active, "running guest %s was killed: %r" % (name, model.hist.get(name))
            if pid is not None:
                assert byname.get(name) == pid, "guest %s has a new QEMU" % name
            model.running[name] = byname.get(name)
        # follow the daemon for calls cut by the kill
        pending = set()
        for name in doubt:
            state = doms[name].state() if name in doms else None
            model.note(name, "in doubt; daemon says %r" % (state,))
            if state == [libvirt.VIR_DOMAIN_PAUSED, libvirt.VIR_DOMAIN_PAUSED_STARTING_UP]:
                # a start cut half-way: the reconnect (asynchronous) ends
                # it; decide at the next check
                pending.add(name)
                model.running.pop(name, None)
                continue
            if name in doms:
                model.defined.add(name)
                model.undefined.discard(name)
                if doms[name].isActive():
                    model.running[name] = byname.get(name)
                else:
                    model.running.pop(name, None)
            else:
                model.defined.discard(name)
                model.undefined.add(name)
                model.running.pop(name, None)
        # keep the set small: the checks read every definition
        for name in sorted(model.defined - set(model.running) - pending)[:-12]:
            doms[name].undefine()
            model.defined.discard(name)
            model.undefined.add(name)
        if len(model.undefined) > 200:
            model.undefined = set(sorted(model.undefined)[-200:])
        return pending
    finally:
        conn.close()


def test_torture():
    rng = random.Random(SEED)
    print("# seed %d, %d kills" % (SEED, KILLS), flush=True)
    d = Daemon().start()
    model = Model()
    pending = verify(d, model, set())
    for k in range(KILLS):
        model.kill = k
        log = []
        stop = threading.Event()
        if rng.random() < 0.1:
            # kill during startup (definitions/status/reconnect)
            d.kill()
            d.start(wait=False)
            time.sleep(rng.uniform(0, 0.02))
            d.kill()
            for name in model.running:
                model.note(name, "daemon killed during startup")
            d.start()
            pending = verify(d, model, pending)
            continue
        t = threading.Thread(target=worker, args=(d.uri(), model, rng, stop, log))
        t.start()
        # mostly short (cut define/undefine), sometimes long enough for a
        # guest start (~0.2 s under TCG) to complete or be cut half-way
        time.sleep(rng.uniform(0.002, 0.06) if rng.random() < 0.8 else rng.uniform(0.1, 0.6))
        d.kill()
        stop.set()
        t.join(60)
        assert not t.is_alive(), "client stuck after the daemon died"
        doubt = set(pending)
        if log and log[-1][0] != "ok":
            doubt.add(log[-1][1])
            model.doubts += 1
            model.cut[log[-1][0]] = model.cut.get(log[-1][0], 0) + 1
        d.start()
        pending = verify(d, model, doubt)
    print("# calls that returned: %r; cut by a kill: %r" % (model.calls, model.cut),
          flush=True)
    assert model.calls.get("define", 0) > KILLS // 4, "the torture did little work"
    # clean exit at the end: every guest destroyed, nothing left
    conn = libvirt.open(d.uri())
    for x in conn.listAllDomains():
        if x.isActive():
            try:
                x.destroy()
            except libvirt.libvirtError as e:
                # A guest whose start the last kill cut short (QEMU still
                # paused at start-up) is ended by the restarted daemon's
                # reconnect, as libvirt does, possibly between the list and
                # the destroy: accept that, and only that.
                if e.get_error_code() != libvirt.VIR_ERR_OPERATION_INVALID:
                    raise
                assert not x.isActive(), "destroy refused a running guest: %s" % e
                print("# %s ended on its own before the final destroy" % x.name(), flush=True)
    conn.close()
    wait_for(lambda: not qemu_pids(d.root), "guests to exit")
    assert d.stop() == 0
    TORTURE_RAN.append(True)


def test_no_orphans():
    """Checked apart from the other invariants: a QEMU spawned by a start the
    kill cut short must be known to the next daemon (reconnected or ended)."""
    assert TORTURE_RAN, "the torture did not run to its end"
    # A start cut by a SIGKILL must never leave a QEMU that no status file
    # names: the child waits before exec until its pid is recorded
    # (virProcessSpawnHeld in qemuProcessStart) and exits if we die first.
    assert not ORPHANS, ("%d QEMU(s) orphaned by a start cut short\n%r"
                         % (len(ORPHANS), ORPHANS[:5]))

if __name__ == "__main__":
    run_tests([("%d SIGKILLs during define/undefine/start/destroy: definitions kept, "
                "undefined stay gone, running guests survive" % KILLS, test_torture),
               ("no QEMU orphaned by a SIGKILL of the daemon", test_no_orphans)])
