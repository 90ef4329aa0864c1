"""vkdtest: helpers for virtkitd integration tests (real daemon, real clients, real QEMU).

Every process a test starts is tracked by pid and killed/reaped by pid at
the end: daemons are our children (subprocess.Popen); QEMU processes are
children of the daemon in their own session, so they are found by their
command line naming this test's private temporary directory (unique per
run), then killed by pid. Waits poll with a deadline; a deadline that
passes fails the test, it never decides a result by itself.
"""
import glob
import json
import os
import random
import re
import shutil
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback

VIRTKITD = os.environ.get("VIRTKITD") or (sys.argv[1] if len(sys.argv) > 1 else None)
VIRSH = shutil.which("virsh") or "/usr/bin/virsh"

# The daemon under test was built with ASan+UBSan (tests/daemon/meson.build
# sets this in the build-asan tree): it runs with leak detection on (a
# narrow suppressions file for third-party libraries), and any sanitizer
# report in its stderr fails the test that started it.
SANITIZED = os.environ.get("VKD_SANITIZED") == "1"
LSAN_SUPP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lsan.supp")
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                   "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer")


def sanitizer_env(env=None, asan_extra=""):
    """@env (default: ours) with the sanitizer settings for a daemon;
    @asan_extra appends ASAN_OPTIONS (e.g. a smaller quarantine for a test
    that measures RSS: ASan holds 256 MB of freed blocks by default)."""
    env = dict(os.environ if env is None else env)
    if SANITIZED:
        env["ASAN_OPTIONS"] = ("detect_leaks=1:halt_on_error=1:abort_on_error=1:"
                               "print_summary=1:detect_stack_use_after_return=0" +
                               (":" + asan_extra if asan_extra else ""))
        env["LSAN_OPTIONS"] = "suppressions=%s:print_suppressions=0" % LSAN_SUPP
        env["UBSAN_OPTIONS"] = "halt_on_error=1:abort_on_error=1:print_stacktrace=1"
    return env

REMOTE_PROGRAM = 0x20008086
KEEPALIVE_PROGRAM = 0x6B656570


# ---- TAP ---------------------------------------------------------------

class Skip(Exception):
    pass


class Todo(Exception):
    """A known defect outside this suite's code, reported as TAP 'not ok # TODO'
    (visible in every run, not counted as a failure until fixed)."""
    pass


def _on_signal(signum, frame):
    # meson's timeout (SIGTERM) or ^C: leave no daemon or QEMU behind
    cleanup_all()
    sys.exit(128 + signum)


def run_tests(tests):
    """Run [(name, fn)] and print TAP. Exit status 1 if any failed.
    `--only=I,J` / `--skip=I,J` on the command line (1-based positions in
    @tests) run a part of the list, so that meson can run a long suite as
    parts side by side (tests/daemon/meson.build)."""
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    for arg in sys.argv[1:]:
        kind, _, val = arg.partition("=")
        picked = {int(x) for x in val.split(",") if x}
        assert kind in ("--only", "--skip") and picked, "bad argument %r" % arg
        assert max(picked) <= len(tests), "%r: only %d tests" % (arg, len(tests))
        tests = [t for i, t in enumerate(tests, 1) if (i in picked) == (kind == "--only")]
    print("1..%d" % len(tests), flush=True)
    failed = 0
    for i, (name, fn) in enumerate(tests, 1):
        t0 = time.monotonic()
        try:
            _started.clear()
            fn()
            check_sanitizers()
            print("ok %d - %s" % (i, name), flush=True)
        except Skip as e:
            print("ok %d - %s # SKIP %s" % (i, name, e), flush=True)
        except Todo as e:
            print("not ok %d - %s # TODO %s" % (i, name, str(e).splitlines()[0]), flush=True)
            for line in str(e).splitlines()[1:]:
                print("# " + line, flush=True)
        except Exception:
            failed += 1
            print("not ok %d - %s" % (i, name), flush=True)
            for line in traceback.format_exc().splitlines():
                print("# " + line, flush=True)
        finally:
            cleanup_all()
            print("# %d took %.1f s" % (i, time.monotonic() - t0), flush=True)
    sys.exit(1 if failed else 0)


CLONE_NEWNET = 0x40000000
# what the network suites run inside their namespace
NETNS_TOOLS = ("/usr/sbin/ip", "/usr/sbin/nft", "/usr/sbin/dnsmasq", "/usr/bin/busybox",
               "/usr/bin/nsenter")


def sh_result(cmd, check=True):
    """Runs @cmd under /bin/sh (60 s at most) and returns its
    CompletedProcess; with @check a failure raises AssertionError with its
    output."""
    p = subprocess.run(["/bin/sh", "-c", cmd], capture_output=True, text=True, timeout=60)
    if check and p.returncode != 0:
        raise AssertionError("%s: %d\n%s%s" % (cmd, p.returncode, p.stdout, p.stderr))
    return p


def sh(cmd, check=True):
    """sh_result(@cmd, @check)'s standard output."""
    return sh_result(cmd, check).stdout


def run_argv(*argv, check=True, env=None, timeout=120):
    """Runs @argv (no shell; @timeout s at most) with @env added to this
    process's environment and returns its CompletedProcess; with @check a
    failure raises AssertionError with its output."""
    p = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout,
                       env=dict(os.environ, **env) if env else None)
    if check and p.returncode != 0:
        raise AssertionError("%s: %d\n%s%s" % (argv, p.returncode, p.stdout, p.stderr))
    return p


class LoopDevices:
    """The loop devices a test attaches, each on a new sparse file, and
    detaches again by the device names it recorded (never by a search)."""

    def __init__(self):
        self.devs = []

    def attach(self, backing, mib, partscan=False):
        """A loop device on @backing, made a sparse file of @mib MiB; with
        @partscan the kernel scans it for partitions (loopNpM nodes)."""
        with open(backing, "wb") as f:
            f.truncate(mib << 20)
        dev = run_argv("losetup", "--find", "--show", *(["--partscan"] if partscan else []),
                       backing).stdout.strip()
        assert dev.startswith("/dev/loop"), dev
        self.devs.append(dev)
        return dev

    def detach_all(self):
        for dev in self.devs:
            run_argv("losetup", "-d", dev, check=False)
        self.devs.clear()


def expect_error(fn, code, domain, text=None, exact=False):
    """Calls @fn(): it must raise libvirt.libvirtError with @code in
    @domain and, when @text is given, a message containing it (equal to it
    with @exact). Returns the error; anything else fails the test. (The
    message is str(e) too: libvirt-python makes it the exception's text.)"""
    import libvirt

    try:
        fn()
    except libvirt.libvirtError as e:
        got = (e.get_error_code(), e.get_error_domain(), e.get_error_message())
        assert got[:2] == (code, domain), "got %r, wanted %d/%d" % (got, code, domain)
        if text is not None:
            assert (got[2] == text) if exact else (text in got[2]), \
                "got %r, wanted %s %r" % (got[2], "exactly" if exact else "a message with",
                                          text)
        return e
    raise AssertionError("no error, wanted %d/%d %r" % (code, domain, text))


def expect_error_exact(fn, code, domain, message=None):
    """expect_error with the whole @message (when given) to match."""
    return expect_error(fn, code, domain, message, exact=True)


def unshare_netns(tools=()):
    """Moves this process into a network namespace of its own, with lo up,
    where a test may make bridges, taps and rules that die with it. Skip
    when not root, when one of @tools is missing or when unshare fails."""
    import ctypes
    if os.geteuid() != 0:
        raise Skip("needs root (a network namespace of its own)")
    for tool in tools:
        if not os.access(tool, os.X_OK):
            raise Skip("needs " + tool)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        raise Skip("unshare(CLONE_NEWNET): %s" % os.strerror(ctypes.get_errno()))
    sh("ip link set lo up")


def quiet(*a):
    """An error handler that drops libvirt's messages."""


def _port_free(port):
    """Whether TCP @port binds on 127.0.0.1 now."""
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def wait_for(cond, what, timeout=30.0, step=0.02):
    deadline = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(step)


# ---- processes ------------------------------------------------------------

_daemons = []
_tmpdirs = []
_started = []      # every Daemon started by the current test


def check_sanitizers():
    """Fail if a daemon of this test printed a sanitizer report. Under ASan
    a daemon the test left running is stopped with SIGTERM first, so that
    LeakSanitizer checks it as it exits."""
    for d in _started:
        if SANITIZED and d.proc is not None and d.proc.poll() is None:
            d.stop(signal.SIGTERM)
        report = d.sanitizer_report()
        if report:
            raise AssertionError("sanitizer report from virtkitd (pid %d):\n%s"
                                 % (d.pid, report))


def pid_alive(pid):
    """False once the process has exited: gone, or a zombie whose every
    thread is gone, which is when its pidfd turns readable. That is the
    daemon's own test (it watches QEMU through a pidfd): a leader shown as
    'Z' in /proc while its other threads still exit is alive to it, and a
    test that restarts the daemon then would see a guest that dies later."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return False
    try:
        readable, _, _ = select.select([fd], [], [], 0)
        return not readable
    finally:
        os.close(fd)


def qemu_pids(tag):
    """Pids of live QEMU processes belonging to the daemon rooted at @tag:
    their working directory (the per-domain lib dir) or their log file is
    under @tag (the command line passes the monitor as a descriptor)."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                cmd = f.read().decode(errors="replace")
            if "qemu-system" not in cmd:
                continue
            where = [os.readlink("/proc/%s/cwd" % d)]
            for fd in ("1", "2"):
                try:
                    where.append(os.readlink("/proc/%s/fd/%s" % (d, fd)))
                except OSError:
                    pass
        except OSError:
            continue
        if any(w.startswith(tag + "/") for w in where) and pid_alive(int(d)):
            out.append(int(d))
    return out


def helper_pids(tag):
    """Pids of live helpers a daemon rooted at @tag started and that outlive
    it by design (a network's dnsmasq: running networks are adopted at the
    next start; a guest's virtiofsd or swtpm, adopted with its guest), by the pid
    files under @tag, checked against their command
    line naming @tag."""
    out = []
    for pidfile in glob.glob(os.path.join(tag, "**", "*.pid"), recursive=True):
        try:
            with open(pidfile) as f:
                pid = int(f.read().strip())
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                cmd = f.read().decode(errors="replace")
        except (OSError, ValueError):
            continue
        if pid > 1 and ("dnsmasq" in cmd or "virtiofsd" in cmd or "swtpm" in cmd) and \
                tag + "/" in cmd:
            out.append(pid)
    return out


def kill_pid(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def cleanup_all():
    for d in list(_daemons):
        try:
            d.kill()
        except AssertionError:
            pass
    for t in list(_tmpdirs):
        for pid in qemu_pids(t) + helper_pids(t):
            kill_pid(pid)
        wait_for(lambda: not qemu_pids(t), "QEMU processes of %s to exit" % t, 20)
        shutil.rmtree(t, ignore_errors=True)
        # a child the killed daemon was starting may exec into QEMU only now
        for pid in qemu_pids(t):
            kill_pid(pid)
        _tmpdirs.remove(t)


def make_tmpdir():
    # short: monitor socket paths must fit in sun_path
    t = tempfile.mkdtemp(prefix="vkd", dir="/tmp")
    _tmpdirs.append(t)
    return t


class Daemon:
    """One virtkitd in its own directories under @root."""

    def __init__(self, root=None, extra=(), mode="system", asan_extra=""):
        self.mode = mode
        self.asan_extra = asan_extra
        self.root = root or make_tmpdir()
        self.dirs = {k: os.path.join(self.root, k)
                     for k in ("config", "state", "run", "log", "cache")}
        self.extra = list(extra)
        self.port_windows = None  # qemu.conf graphics port windows, when start writes them
        self.proc = None
        self.stderr_path = os.path.join(self.root, "virtkitd.stderr")

    @property
    def sock(self):
        return os.path.join(self.dirs["run"], "virtkit-sock")

    @property
    def sock_ro(self):
        return os.path.join(self.dirs["run"], "virtkit-sock-ro")

    def uri(self, driver="qemu", path="/system"):
        return "%s+unix://%s?socket=%s" % (driver, path if driver == "qemu" else "/default",
                                            self.sock)

    def argv(self):
        return [VIRTKITD, "--" + self.mode,
                "--config-dir", self.dirs["config"], "--state-dir", self.dirs["state"],
                "--runtime-dir", self.dirs["run"], "--log-dir", self.dirs["log"],
                "--cache-dir", self.dirs["cache"]] + \
            (["--verbose"] if os.environ.get("VKD_VERBOSE") else []) + self.extra

    def start(self, wait=True):
        # No cgroups unless a test asks (libvirt's qemu.conf knob): test
        # daemons run side by side with guests of the same name and id,
        # which would share one machine/qemu-ID-NAME group, and a killed
        # daemon leaves its groups behind. tests/daemon/test_cgroup.py
        # writes its own qemu.conf.
        conf = os.path.join(self.dirs["config"], "qemu.conf")
        if self.mode == "system" and not os.path.exists(conf):
            os.makedirs(self.dirs["config"], exist_ok=True)
            # Automatic VNC/SPICE/WebSocket ports from a window of this
            # daemon's own: daemons side by side would otherwise all pick
            # 5900 and race for it between the bind check and QEMU's bind.
            # Display windows stay below Linux's ephemeral ports (32768),
            # which any outgoing connection may hold, and start at a port
            # free now (domxml-to-native prints a window's first port).
            for _ in range(50):
                base = 20 * random.randrange(1340)
                if _port_free(5900 + base):
                    break
            self.port_windows = (5900 + base, 5919 + base, 35900 + base, 35919 + base)
            with open(conf, "w") as f:
                f.write("cgroup_controllers = [ ]\n"
                        "remote_display_port_min = %d\n"
                        "remote_display_port_max = %d\n"
                        "remote_websocket_port_min = %d\n"
                        "remote_websocket_port_max = %d\n"
                        % (5900 + base, 5919 + base, 35900 + base, 35919 + base))
        err = open(self.stderr_path, "ab")
        self.proc = subprocess.Popen(self.argv(), stdin=subprocess.DEVNULL,
                                     stdout=err, stderr=err,
                                     env=sanitizer_env(asan_extra=self.asan_extra))
        err.close()
        _daemons.append(self)
        if self not in _started:
            _started.append(self)
        if wait:
            self.wait_ready()
        return self

    def connectable(self):
        if self.proc.poll() is not None:
            raise AssertionError("virtkitd exited with %s during startup:\n%s"
                                 % (self.proc.returncode, self.log()))
        # A real answer, not just a connect: until the new daemon binds, the
        # old socket may still be held open by a child of a killed daemon.
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        try:
            s.connect(self.sock)
            s.sendall(frame(REMOTE_PROGRAM, 1, 66, 0, 0, 0))    # AUTH_LIST
            return len(s.recv(28)) > 0
        except OSError:
            return False
        finally:
            s.close()

    def wait_ready(self, timeout=60):
        wait_for(self.connectable, "virtkitd to accept on %s" % self.sock, timeout)

    def log(self):
        try:
            with open(self.stderr_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def sanitizer_report(self, context=60):
        """The first sanitizer report in this daemon's stderr, or ''."""
        lines = self.log().splitlines()
        for i, line in enumerate(lines):
            if any(m in line for m in SANITIZER_MARKS):
                return "\n".join(lines[max(0, i - 2):i + context])
        return ""

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self, sig=signal.SIGTERM, timeout=90):
        """Signal and reap; returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("virtkitd did not exit after signal %d" % sig)
        if self in _daemons:
            _daemons.remove(self)
        return rc

    def kill(self):
        return self.stop(signal.SIGKILL)

    def wait_exit(self, timeout=90):
        """Reap a daemon already told to exit; returns its status."""
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("virtkitd did not exit")
        if self in _daemons:
            _daemons.remove(self)
        return rc

    @property
    def pid(self):
        return self.proc.pid


# ---- real clients ---------------------------------------------------------

def run_scenario(script, golden, guest, shell, timeout=900):
    """Runs the virsh scenario @script (beside this file) with @shell (a
    virsh-compatible program) through a new virtkitd on the test guest
    @guest, and compares its output with @golden, recorded with virsh
    against libvirtd: AssertionError with the diff when they differ."""
    import difflib

    d = Daemon().start()
    work = make_tmpdir()
    os.chmod(work, 0o755)
    p = subprocess.run([os.path.join(os.path.dirname(os.path.abspath(__file__)), script),
                        d.uri(), work, guest],
                       capture_output=True, text=True, timeout=timeout,
                       env=dict(os.environ, VIRSH=shell))
    with open(golden) as f:
        want = f.read()
    if p.stdout != want:
        raise AssertionError("%s through virtkitd differs from virsh against libvirtd:\n" %
                             shell + "".join(difflib.unified_diff(
                                 want.splitlines(True), p.stdout.splitlines(True),
                                 "libvirtd", "virtkitd")))
    assert d.stop() == 0


def virsh(uri, *args, check=True, readonly=False, timeout=120):
    argv = [VIRSH, "-q"] + (["-r"] if readonly else []) + ["-c", uri] + list(args)
    env = dict(os.environ, LC_ALL="C", LANG="C")
    env.pop("LIBVIRT_DEFAULT_URI", None)
    p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
    if check and p.returncode != 0:
        raise AssertionError("%s failed (%d):\nstdout: %s\nstderr: %s"
                             % (" ".join(argv), p.returncode, p.stdout, p.stderr))
    return p


def qmp(uri, name, cmd, args=None):
    """One QMP command @cmd (with the dict @args) on domain @name through
    Debian's virsh qemu-monitor-command; its "return" (an error fails)."""
    req = {"execute": cmd}
    if args:
        req["arguments"] = args
    return json.loads(virsh(uri, "qemu-monitor-command", name, json.dumps(req)).stdout)["return"]


def qom_get(uri, name, path, prop):
    """QEMU's property @prop of the QOM object @path of domain @name."""
    return qmp(uri, name, "qom-get", {"path": path, "property": prop})


def domstate(uri, name):
    return virsh(uri, "domstate", "--reason", name).stdout.strip()


class VirshEvents:
    """`virsh event --all --loop` in the background; lines collected."""

    def __init__(self, uri, *extra):
        env = dict(os.environ, LC_ALL="C", LANG="C")
        # stdbuf: virsh block-buffers stdout into a pipe
        self.proc = subprocess.Popen(["stdbuf", "-oL", VIRSH, "-c", uri, "event", "--loop"]
                                     + list(extra),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=env)
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.buf = ""

    def lines(self):
        try:
            chunk = self.proc.stdout.read()
        except (BlockingIOError, TypeError):
            chunk = None
        if chunk:
            self.buf += chunk
        return [l for l in self.buf.splitlines() if l.startswith("event ")]

    def sync(self, uri, probe_xml, workdir, timeout=60):
        """Return once this listener receives events: define and undefine a
        probe domain 'evsync' until its event line shows up."""
        f = write(os.path.join(workdir, "evsync.xml"), probe_xml)
        deadline = time.monotonic() + timeout
        while True:
            # one connection for both (test:///default resets when the
            # last connection closes, and the listener may not be in yet)
            virsh(uri, "define %s; undefine evsync" % f)
            step = time.monotonic() + 1
            while time.monotonic() < step:
                if any("evsync" in l for l in self.lines()):
                    return
                time.sleep(0.02)
            if time.monotonic() > deadline:
                raise AssertionError("virsh event never received the probe events: %r"
                                     % self.buf)

    def wait_line(self, pattern, timeout=60):
        rx = re.compile(pattern)
        return wait_for(lambda: [l for l in self.lines() if rx.search(l)],
                        "event line matching %r (have %r)" % (pattern, self.buf), timeout)

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ---- raw frames ------------------------------------------------------------

def frame(prog, vers, proc, mtype, serial, status, payload=b""):
    body = struct.pack(">IIiiIi", prog, vers, proc, mtype, serial, status) + payload
    return struct.pack(">I", len(body) + 4) + body


def xdr_string(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b + b"\0" * ((4 - len(b) % 4) % 4)


class RawClient:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(30)
        self.s.connect(path)
        self.serial = 0

    def send(self, data):
        self.s.sendall(data)

    def recv_frame(self):
        """(header tuple, payload) or None on EOF."""
        hdr = self._recvn(4)
        if hdr is None:
            return None
        (n,) = struct.unpack(">I", hdr)
        body = self._recvn(n - 4)
        if body is None:
            return None
        return struct.unpack(">IIiiIi", body[:24]), body[24:]

    def _recvn(self, n):
        buf = b""
        while len(buf) < n:
            try:
                c = self.s.recv(n - len(buf))
            except (ConnectionResetError, socket.timeout):
                return None
            if not c:
                return None
            buf += c
        return buf

    def call(self, proc, payload=b"", prog=REMOTE_PROGRAM, vers=1, status=0, mtype=0):
        serial = self.serial
        self.serial += 1
        self.send(frame(prog, vers, proc, mtype, serial, status, payload))
        while True:
            r = self.recv_frame()
            if r is None:
                return None
            if r[0][3] == 1 and r[0][4] == serial:   # REPLY to us
                return r

    def is_closed(self, timeout=30):
        """True once the peer closes (frames still arriving are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.s.settimeout(left)
            try:
                if self.s.recv(65536) == b"":
                    return True
            except ConnectionResetError:
                return True
            except socket.timeout:
                return False

    def close(self):
        self.s.close()


def parse_error(payload):
    """(code, domain, message) of a remote_error payload."""
    code, domain, has = struct.unpack(">iiI", payload[:12])
    msg = None
    if has:
        (n,) = struct.unpack(">I", payload[12:16])
        msg = payload[16:16 + n].decode()
    return code, domain, msg


def parse_error_full(payload):
    """Every field of a remote_error: dict with code, domain, message,
    level, str1, str2, str3, int1, int2 (the dom and net pointers skipped)."""
    off = 0

    def i32():
        nonlocal off
        (v,) = struct.unpack(">i", payload[off:off + 4])
        off += 4
        return v

    def opt_str():
        nonlocal off
        if not i32():
            return None
        (n,) = struct.unpack(">I", payload[off:off + 4])
        off += 4
        v = payload[off:off + n].decode()
        off += (n + 3) // 4 * 4
        return v

    e = {"code": i32(), "domain": i32(), "message": opt_str(), "level": i32()}
    if i32():                       # remote_domain: name, uuid[16], id
        opt_name = i32()            # remote_nonnull_string length
        off += (opt_name + 3) // 4 * 4 + 16 + 4
    e["str1"], e["str2"], e["str3"] = opt_str(), opt_str(), opt_str()
    e["int1"], e["int2"] = i32(), i32()
    return e


# ---- guests -------------------------------------------------------------------

def diskless_xml(name, uuid=None, memory_kib=65536):
    """A minimal TCG guest that sits in firmware (no kernel, no ACPI handler)."""
    u = "<uuid>%s</uuid>" % uuid if uuid else ""
    return """<domain type='qemu'>
  <name>%s</name>%s
  <memory unit='KiB'>%d</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>
</domain>
""" % (name, u, memory_kib)


def test_guest_dir(variant=None):
    """The folder of the tiny booting guest of scripts/build-test-guest.sh
    (its vmlinuz and initrd.gz), built if needed; @variant one of the
    script's variants (VIRTKIT_TEST_GUEST_VARIANT: agent, events, hotplug,
    balloon, net, shell, ...). None when it cannot be built."""
    here = os.path.dirname(os.path.abspath(__file__))
    script = os.path.join(here, "..", "..", "scripts", "build-test-guest.sh")
    env = dict(os.environ)
    if variant:
        env["VIRTKIT_TEST_GUEST_VARIANT"] = variant
    try:
        p = subprocess.run([script], capture_output=True, text=True, timeout=600, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return None
    d = p.stdout.strip()
    if p.returncode != 0 or not all(os.path.exists(os.path.join(d, f))
                                    for f in ("vmlinuz", "initrd.gz")):
        return None
    return d


def booting_xml(name, guest, serial_log):
    return """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'><source path='%s'/><target port='0'/></serial>
  </devices>
</domain>
""" % (name, guest, guest, serial_log)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def console_text(path):
    """All the guest console log @path holds so far ("" while the file does
    not exist or cannot be read); bytes that are not UTF-8 are replaced."""
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


class PtyConsole:
    """A guest's pty serial console (the path of its <source path> in the
    live XML): what it printed so far, lines to type, commands to run in the
    guest's shell. Opened without becoming the test's controlling tty."""

    def __init__(self, path):
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        self.text = ""

    def read(self):
        """Everything the guest printed since the console was opened."""
        while select.select([self.fd], [], [], 0)[0]:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            self.text += chunk.decode(errors="replace")
        return self.text

    def type(self, line):
        os.write(self.fd, (line + "\n").encode())

    def run(self, cmd, tag, timeout=120):
        """Run @cmd in the guest's shell; the non-blank lines it printed
        between TAG-BEGIN and TAG-END, stripped."""
        self.type("echo %s-BEGIN; %s; echo %s-END" % (tag, cmd, tag))
        pat = re.compile(r"^%s-BEGIN\r?\n(.*?)^%s-END" % (tag, tag), re.M | re.S)
        wait_for(lambda: pat.search(self.read()), "the guest's answer to %r" % cmd,
                 timeout=timeout)
        return [l.strip() for l in pat.search(self.text).group(1).splitlines() if l.strip()]

    def close(self):
        os.close(self.fd)


def console_whole_lines(path):
    """The lines of the guest console log @path that the guest has ended
    (a line still being written, without its newline, is left out: a wait
    on it could see "GUEST-IP 10.77.0" of "GUEST-IP 10.77.0.9"); [] while
    the file does not exist."""
    try:
        with open(path, errors="replace") as f:
            return f.read().split("\n")[:-1]
    except FileNotFoundError:
        return []

def guest_report(uri, name, serial, daemon=None, tail=40):
    """What to print when a wait on a guest's console fails: the console's
    tail, the domain state, QEMU's own run state and log, the daemon's
    stderr. Never raises (it runs on a failure path)."""
    out = []

    def section(title, fn):
        try:
            text = fn()
        except Exception as e:          # noqa: BLE001 - a report must not fail
            text = "(%s: %s)" % (type(e).__name__, e)
        out.append("--- %s ---\n%s" % (title, text.rstrip()))

    def console_tail():
        with open(serial, errors="replace") as f:
            return "\n".join(f.read().splitlines()[-tail:])

    def qemu_log():
        logs = [os.path.join(r, f) for r, _, fs in os.walk(daemon.dirs["log"]) for f in fs
                if f == name + ".log"]
        text = []
        for p in logs:
            with open(p, errors="replace") as f:
                text.append("%s:\n%s" % (p, "\n".join(f.read().splitlines()[-15:])))
        return "\n".join(text) or "(no %s.log under %s)" % (name, daemon.dirs["log"])

    section("console %s (last %d lines)" % (serial, tail), console_tail)
    section("domstate --reason", lambda: virsh(uri, "domstate", "--reason", name,
                                               check=False, timeout=30).stdout)
    section("QEMU query-status",
            lambda: virsh(uri, "qemu-monitor-command", name, '{"execute":"query-status"}',
                          check=False, timeout=30).stdout)
    # where the vCPU is: HLT=1 idles (waits for an interrupt), else it runs
    section("QEMU info registers (RIP, HLT)",
            lambda: "\n".join(l for l in virsh(uri, "qemu-monitor-command", "--hmp", name,
                                                "info registers", check=False,
                                                timeout=30).stdout.splitlines()
                              if "RIP=" in l))
    if daemon:
        section("QEMU log", qemu_log)
        section("virtkitd stderr (last %d lines)" % tail,
                lambda: "\n".join(daemon.log().splitlines()[-tail:]))
    return "\n".join(out)


def qemu_cpu_seconds(pids):
    """CPU time (user + system, all threads) the processes @pids used so far."""
    total = 0.0
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
    return total


def wait_guest(cond, what, timeout, uri, name, serial, daemon=None, cpu_budget=None,
               cap=300):
    """wait_for on a guest's console; on a timeout the failure carries
    guest_report(). With @cpu_budget (seconds of QEMU CPU time) and @daemon,
    a guest that had less CPU than that since the wait began is starved, not
    stuck (TCG boots cost 1-8 s of CPU; at load 40 on 2 cores QEMU gets a
    few per cent of one): the wait goes on past @timeout, up to @cap
    seconds, until the guest used its budget."""
    pids = qemu_pids(daemon.root) if (daemon and cpu_budget) else []
    cpu0 = qemu_cpu_seconds(pids)
    t0 = time.monotonic()
    while True:
        v = cond()
        if v:
            return v
        waited = time.monotonic() - t0
        if waited > timeout:
            used = qemu_cpu_seconds(pids) - cpu0
            if not pids or used >= cpu_budget or waited > cap:
                raise AssertionError(
                    "timed out after %.0f s waiting for %s%s\n%s"
                    % (waited, what, " (QEMU used %.1f s of CPU meanwhile)" % used
                       if pids else "", guest_report(uri, name, serial, daemon)))
        time.sleep(0.05)
