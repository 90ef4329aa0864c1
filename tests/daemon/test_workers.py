#!/usr/bin/env python3
"""virtkitd's pools and orderly exit, with a guest that ignores SIGTERM
(QEMU stopped with SIGSTOP) so that a destroy holds a worker for the whole
grace period (destroy_grace_period in qemu.conf)."""
import os
import signal
import threading

import libvirt

from vkdtest import Daemon, diskless_xml, pid_alive, qemu_pids, run_tests, wait_for, write

libvirt.registerErrorHandler(lambda ctx, err: None, None)
GRACE = 4


def sigterm_pending(pid):
    """SIGTERM queued to the (stopped) process: the destroy has begun."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("ShdPnd:"):
                    return int(line.split()[1], 16) & (1 << (signal.SIGTERM - 1))
    except FileNotFoundError:
        raise AssertionError("QEMU %d exited before the grace period" % pid)
    return False


def stuck_guest(d, name):
    conn = libvirt.open(d.uri())
    dom = conn.defineXML(diskless_xml(name))
    dom.create()
    pids = qemu_pids(d.root)
    assert len(pids) == 1
    stop_qemu(pids[0])
    return conn, dom, pids[0]


def proc_state(pid):
    with open("/proc/%d/stat" % pid) as f:
        st = f.read()
    return st[st.rindex(")") + 2]


def stop_qemu(pid):
    os.kill(pid, signal.SIGSTOP)
    wait_for(lambda: proc_state(pid) == "T", "QEMU %d to stop" % pid)


def destroy_in_thread(dom):
    result = {}

    def run():
        try:
            result["rc"] = dom.destroy()
        except libvirt.libvirtError as e:
            result["error"] = str(e)
    t = threading.Thread(target=run)
    t.start()
    return t, result


def test_priority_pool():
    d = Daemon(extra=["--min-workers", "1", "--max-workers", "1", "--prio-workers", "1"])
    os.makedirs(d.dirs["config"], exist_ok=True)
    write(os.path.join(d.dirs["config"], "qemu.conf"), "destroy_grace_period = %d\n" % GRACE)
    d.start()
    conn, dom, pid = stuck_guest(d, "stuck")
    t, result = destroy_in_thread(dom)
    try:
        wait_for(lambda: sigterm_pending(pid), "the destroy to signal QEMU")
        # the only regular worker is inside that destroy for GRACE seconds;
        # state queries go to the priority pool and get through meanwhile
        conn2 = libvirt.open(d.uri())
        st = conn2.lookupByName("stuck").state()
        assert t.is_alive(), "destroy finished before the state query returned"
        assert st[0] == libvirt.VIR_DOMAIN_RUNNING, st
        conn2.close()
    finally:
        t.join(60)
    assert result.get("rc") == 0, result
    assert not pid_alive(pid)
    conn.close()


def test_sigterm_finishes_calls_in_flight():
    d = Daemon()
    os.makedirs(d.dirs["config"], exist_ok=True)
    write(os.path.join(d.dirs["config"], "qemu.conf"), "destroy_grace_period = %d\n" % GRACE)
    d.start()
    conn = libvirt.open(d.uri())
    other = conn.defineXML(diskless_xml("other"))
    other.create()
    other_pid = qemu_pids(d.root)[0]
    dom = conn.defineXML(diskless_xml("stuck"))
    dom.create()
    pid = [p for p in qemu_pids(d.root) if p != other_pid][0]
    stop_qemu(pid)
    t, result = destroy_in_thread(dom)
    wait_for(lambda: sigterm_pending(pid), "the destroy to signal QEMU")
    d.proc.send_signal(signal.SIGTERM)
    t.join(60)
    assert result.get("rc") == 0, "call in flight at SIGTERM: %r" % result
    rc = d.wait_exit()
    assert rc == 0, "exit status %r\n%s" % (rc, d.log())
    assert not pid_alive(pid), "destroyed guest still there"
    assert pid_alive(other_pid), "the daemon's exit killed a running guest"
    # the next daemon finds it running
    d.start()
    c2 = libvirt.open(d.uri())
    st = c2.lookupByName("other").state()
    assert st == [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED], \
        "after restart: %r\n%s" % (st, d.log()[-2000:])
    c2.lookupByName("other").destroy()
    c2.close()


if __name__ == "__main__":
    run_tests([
        ("priority pool serves state queries while the workers are stuck",
         test_priority_pool),
        ("SIGTERM: the call in flight completes, other guests keep running",
         test_sigterm_finishes_calls_in_flight),
    ])
