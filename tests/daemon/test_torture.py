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

from vkdtest import Daemon, diskless_xml, pid_alive, qemu_pids, run_tests, wait_for

KILLS = int(os.environ.get("VKD_TORTURE_KILLS", "200"))
SEED = int(os.environ.get("VKD_TORTURE_SEED", str(int(time.time()))))

libvirt.registerErrorHandler(lambda ctx, err: None, None)


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
    except libvirt.libvirtError:
        pass
    finally:
        try:
            conn.close()
        except libvirt.libvirtError:
            pass


def verify(d, model, doubt):
    conn = libvirt.open(d.uri())
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
        q = qemu_names(d.root)
        active = {n for n, x in doms.items() if x.isActive()}
        for pid, name in q.items():
            assert name in active, "orphan QEMU %d for %s (active: %r)" % (pid, name, active)
        byname = {n: p for p, n in q.items()}
        for name, pid in list(model.running.items()):
            if name in doubt:
                continue
            assert name in active, "running guest %s was killed" % name
            if pid is not None:
                assert byname.get(name) == pid, "guest %s has a new QEMU" % name
            model.running[name] = byname.get(name)
        # follow the daemon for calls cut by the kill
        for name in doubt:
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
        for name in sorted(model.defined - set(model.running))[:-12]:
            doms[name].undefine()
            model.defined.discard(name)
            model.undefined.add(name)
        if len(model.undefined) > 200:
            model.undefined = set(sorted(model.undefined)[-200:])
    finally:
        conn.close()


def test_torture():
    rng = random.Random(SEED)
    print("# seed %d, %d kills" % (SEED, KILLS), flush=True)
    d = Daemon().start()
    model = Model()
    verify(d, model, set())
    for k in range(KILLS):
        log = []
        stop = threading.Event()
        if rng.random() < 0.1:
            # kill during startup (definitions/status/reconnect)
            d.kill()
            d.start(wait=False)
            time.sleep(rng.uniform(0, 0.02))
            d.kill()
            d.start()
            verify(d, model, set())
            continue
        t = threading.Thread(target=worker, args=(d.uri(), model, rng, stop, log))
        t.start()
        time.sleep(rng.uniform(0.002, 0.06))
        d.kill()
        stop.set()
        t.join(60)
        assert not t.is_alive(), "client stuck after the daemon died"
        doubt = set()
        if log and log[-1][0] != "ok":
            doubt.add(log[-1][1])
        d.start()
        verify(d, model, doubt)
    # clean exit at the end: every guest destroyed, nothing left
    conn = libvirt.open(d.uri())
    for x in conn.listAllDomains():
        if x.isActive():
            x.destroy()
    conn.close()
    wait_for(lambda: not qemu_pids(d.root), "guests to exit")
    assert d.stop() == 0


if __name__ == "__main__":
    run_tests([("%d SIGKILLs during define/undefine/start/destroy" % KILLS, test_torture)])
