#!/usr/bin/env python3
"""virt-manager's new-VM wizard against virtkitd (issues 10, 11 and 12), and its VNC console.

Debian's virt-manager runs for real on an Xvfb display of its own, pointed
at a system-mode test virtkitd in a network namespace of this test's own
(so libvirt's `default` NAT network, defined and autostarted by the daemon
on its first start, makes its bridge there and nowhere else).
tests/daemon/virtmanager-wizard.py goes through the wizard as a user does
(Manual install, generic OS, memory, a new 1 GiB disk on the storage page,
the name; Forward, Finish); the rest is virt-manager's code. Checked here
with python3-libvirt and QEMU itself:
- the wizard's default storage is the daemon's `default` pool: the new
  qcow2 volume is in it (created through the storage API, 1 GiB), and
  QEMU has that file open as the guest's disk;
- the network page offered the `default` network and the guest has a tap
  in its bridge;
- the guest is defined (persistent) and running.
Then "Import existing disk image" of a raw file in a folder no pool has:
virt-manager (virtinst) makes a dir pool of that folder itself (create,
autostart), the file is that pool's volume and the guest runs from it.
Then an ISO install (a tiny ISO made with xorriso, a volume of an `isos`
dir pool): the wizard's "Local install media" with a new disk, and
`virt-install --cdrom ISO --disk size=1`: each guest runs with the ISO
in QEMU's CD-ROM drive (a removable device, read-only) first in its boot
order, and its new qcow2 disk in the default pool.
A second run in session mode with the `default` pool undefined first:
virt-manager builds the default pool itself (define, build, start,
autostart at $XDG_DATA_HOME/images) and puts the new disk there.
Then virt-manager's console of a running VGA guest on qemu:///system
(virtkitd's socket where libvirt's client looks, in a mount namespace):
gtk-vnc gets its descriptor from virDomainOpenGraphicsFD and draws the
guest's screen (SeaBIOS's text, not a uniform image).
Last, its serial console of a guest with a shell on ttyS0 (VTE over
virDomainOpenConsole): output shown, a typed command run by the guest.
"""
import ctypes
import json
import os
import re
import select
import shutil
import subprocess
import sys

from vkdtest import Daemon, Skip, kill_pid, run_tests, virsh, wait_for
from vkdtest import test_guest_dir

LIBVIRT_PY = "/usr/lib/python3/dist-packages"
if LIBVIRT_PY not in sys.path:
    sys.path.append(LIBVIRT_PY)

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

HERE = os.path.dirname(os.path.abspath(__file__))
WIZARD = os.path.join(HERE, "virtmanager-wizard.py")
XVFB = "/usr/bin/Xvfb"
CLONE_NEWNET = 0x40000000
xvfb = None  # (Popen, display)


def need_tools():
    if not os.path.exists("/usr/share/virt-manager/virtManager/createvm.py"):
        raise Skip("virt-manager not installed (scripts/deps.sh)")
    if not os.access(XVFB, os.X_OK):
        raise Skip("Xvfb not installed (scripts/deps.sh)")


def start_xvfb():
    """An Xvfb on a free display, its number read from -displayfd (no
    guess, no sleep). Killed by pid at the end."""
    global xvfb
    if xvfb:
        return xvfb[1]
    r, w = os.pipe()
    p = subprocess.Popen([XVFB, "-displayfd", str(w), "-screen", "0", "1280x1024x24",
                          "-nolisten", "tcp"], pass_fds=(w,), stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    buf = b""
    try:
        while not buf.endswith(b"\n"):
            ready, _, _ = select.select([r], [], [], 60)
            if not ready:
                raise AssertionError("Xvfb did not report its display in 60 s")
            chunk = os.read(r, 64)
            if not chunk:
                raise AssertionError("Xvfb exited: %s" % p.poll())
            buf += chunk
    finally:
        os.close(r)
    xvfb = (p, ":" + buf.decode().strip())
    return xvfb[1]


def stop_xvfb():
    global xvfb
    if xvfb:
        kill_pid(xvfb[0].pid)
        xvfb[0].wait()
        xvfb = None


def run_wizard(d, uri, name, osname, env_extra=None, extra=(), system_socket=None):
    display = start_xvfb()
    result = os.path.join(d.root, "wizard-%s.json" % name)
    home = os.path.join(d.root, "home")
    os.makedirs(home, exist_ok=True)
    env = dict(os.environ, DISPLAY=display, HOME=home, LC_ALL="C.UTF-8",
               XDG_CONFIG_HOME=os.path.join(home, ".config"),
               XDG_CACHE_HOME=os.path.join(home, ".cache"),
               GSETTINGS_BACKEND="memory", NO_AT_BRIDGE="1", GDK_BACKEND="x11")
    env.update(env_extra or {})
    argv = ["/usr/bin/python3", WIZARD, uri, name, result, "--os", osname, "--mem", "256",
            "--disk", "1", "--timeout", "300"] + list(extra)
    if system_socket:
        # virt-manager on qemu:///system, as a user of the installed daemon:
        # in a mount namespace of its own, /run is a fresh tmpfs whose
        # libvirt/libvirt-sock (where libvirt's client looks) is
        # @system_socket
        argv = ["unshare", "-m", "sh", "-c",
                "mount --make-rprivate / && mount -t tmpfs none /run && "
                "mkdir /run/libvirt && : >/run/libvirt/libvirt-sock && "
                "mount --bind \"$0\" /run/libvirt/libvirt-sock && exec \"$@\"",
                system_socket] + argv
    p = subprocess.run(argv, capture_output=True, text=True, timeout=400, env=env)
    try:
        with open(result) as f:
            res = json.load(f)
    except (OSError, ValueError):
        res = {"ok": False, "errors": ["no result file"], "steps": []}
    if p.returncode != 0 or not res["ok"]:
        raise AssertionError("the wizard did not finish (%d):\nsteps: %s\nerrors: %s\n"
                             "stdout tail:\n%s\nstderr tail:\n%s\ndaemon log:\n%s"
                             % (p.returncode, "\n  ".join(res.get("steps", [])),
                                "\n".join(res.get("errors", [])), p.stdout[-3000:],
                                p.stderr[-4000:], d.log()[-3000:]))
    return res


def qemu_block_files(d, uri, name):
    out = virsh(uri, "qemu-monitor-command", name, '{"execute":"query-block"}').stdout
    files = []
    for dev in json.loads(out)["return"]:
        ins = dev.get("inserted")
        if ins:
            files.append(ins.get("file"))
    return files


def check_guest(conn, uri, d, name, pool_path):
    dom = conn.lookupByName(name)
    assert dom.isActive() and dom.isPersistent(), (dom.isActive(), dom.isPersistent())
    state, _ = dom.state()
    assert state == libvirt.VIR_DOMAIN_RUNNING, state
    x = dom.XMLDesc(0)
    m = re.search(r"<disk type='file' device='disk'>\s*<driver name='qemu' type='qcow2'[^>]*/>"
                  r"\s*<source file='([^']+)'", x)
    assert m, x
    path = m.group(1)
    assert os.path.dirname(path) == pool_path, (path, pool_path)
    # the volume is the default pool's, made through the storage API
    vol = conn.storageVolLookupByPath(path)
    assert vol.storagePoolLookupByVolume().name() == "default"
    vtype, capacity, _ = vol.info()
    assert capacity == 1 << 30, capacity
    vx = vol.XMLDesc(0)
    assert "<format type='qcow2'/>" in vx, vx
    info = json.loads(subprocess.run(["qemu-img", "info", "-U", "--output=json", path],
                                     capture_output=True, text=True, check=True).stdout)
    assert info["format"] == "qcow2" and info["virtual-size"] == 1 << 30, info
    # QEMU itself has the volume open as the guest's disk
    files = qemu_block_files(d, uri, name)
    assert path in files, (path, files)
    # the graphics virt-manager added, served by QEMU where the live XML says
    g = re.search(r"<graphics type='(vnc|spice)' port='(\d+)'", x)
    assert g, x
    q = json.loads(virsh(uri, "qemu-monitor-command", name,
                         '{"execute":"query-%s"}' % g.group(1)).stdout)["return"]
    qport = q.get("service") if g.group(1) == "vnc" else q.get("port")
    assert q["enabled"] and str(qport) == g.group(2), (q, g.group(0))
    return dom, x


def enter_netns():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        raise Skip("unshare(CLONE_NEWNET): %s" % os.strerror(ctypes.get_errno()))
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)


def test_system_default_pool_and_network():
    need_tools()
    d = Daemon()
    os.chmod(d.root, 0o711)
    os.environ["VIRTKIT_NETWORK_DEFAULT"] = "1"
    try:
        d.start()
    finally:
        os.environ.pop("VIRTKIT_NETWORK_DEFAULT")
    uri = d.uri()
    conn = libvirt.open(uri)
    pool = conn.storagePoolLookupByName("default")
    assert pool.isActive(), "the default pool is not running"
    pool_path = re.search(r"<path>([^<]+)</path>", pool.XMLDesc(0)).group(1)
    wait_for(lambda: conn.networkLookupByName("default").isActive(),
             "the default network to be started (autostart)", timeout=60)
    bridge = conn.networkLookupByName("default").bridgeName()

    res = run_wizard(d, uri, "vmwiz", "generic")
    print("# " + "\n# ".join(res["steps"]), flush=True)
    assert res["network_choice"][:2] == ["network", "default"], res["network_choice"]
    dom, x = check_guest(conn, uri, d, "vmwiz", pool_path)
    # the interface virt-manager chose: on the default network, a tap in
    # its bridge
    m = re.search(r"<interface type='network'>.*?<target dev='([^']+)'/>", x, re.S)
    assert m and "<source network='default'" in x, x
    tap = m.group(1)
    # (sysfs shows the host's namespace: ask ip)
    link = json.loads(subprocess.run(["ip", "-j", "link", "show", "dev", tap],
                                     capture_output=True, text=True, check=True).stdout)
    assert link[0].get("master") == bridge, (tap, link, bridge)
    # virt-manager made the volume in the pool: the pool lists it
    pool.refresh(0)
    assert os.path.basename(x.split("<source file='")[1].split("'")[0]) in pool.listVolumes()
    dom.destroy()
    dom.undefine()

    # "Import existing disk image" of a file in no pool: virt-manager
    # (virtinst) makes a dir pool of its folder, autostarted, and the
    # guest runs from that pool's volume
    folder = os.path.join(d.root, "myimages")
    os.mkdir(folder, 0o755)
    image = os.path.join(folder, "imported.raw")
    with open(image, "wb") as f:
        f.truncate(64 << 20)
    run_wizard(d, uri, "vmimp", "generic", extra=("--import-path", image))
    ipool = conn.storagePoolLookupByName("myimages")
    assert ipool.isActive() and ipool.isPersistent() and ipool.autostart() == 1
    assert "<path>%s</path>" % folder in ipool.XMLDesc(0)
    vol = conn.storageVolLookupByPath(image)
    assert vol.storagePoolLookupByVolume().name() == "myimages"
    dom = conn.lookupByName("vmimp")
    assert dom.isActive() and dom.isPersistent()
    x = dom.XMLDesc(0)
    assert "<source file='%s'" % image in x, x
    assert image in qemu_block_files(d, uri, "vmimp")
    dom.destroy()
    conn.close()
    assert d.stop() == 0


def test_iso_installs():
    need_tools()
    d = Daemon()
    os.chmod(d.root, 0o711)
    # the wizard's network page wants the default network (as a new host has)
    os.environ["VIRTKIT_NETWORK_DEFAULT"] = "1"
    try:
        d.start()
    finally:
        os.environ.pop("VIRTKIT_NETWORK_DEFAULT")
    uri = d.uri()
    conn = libvirt.open(uri)
    pool_path = re.search(r"<path>([^<]+)</path>",
                          conn.storagePoolLookupByName("default").XMLDesc(0)).group(1)
    iso_installs(d, uri, conn, pool_path)
    conn.close()
    assert d.stop() == 0


def make_iso(d):
    """A tiny ISO 9660 image (xorriso) as the volume of an `isos` dir pool."""
    if not shutil.which("xorriso"):
        raise AssertionError("xorriso missing (scripts/deps.sh)")
    src = os.path.join(d.root, "isosrc")
    folder = os.path.join(d.root, "isos")
    os.makedirs(src)
    os.mkdir(folder, 0o755)
    with open(os.path.join(src, "README"), "w") as f:
        f.write("virtkit install media\n")
    iso = os.path.join(folder, "tiny.iso")
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-V", "VKTINY", "-o", iso, src],
                   capture_output=True, check=True)
    os.chmod(iso, 0o644)
    virsh(d.uri(), "pool-create-as", "isos", "dir", "--target", folder)
    return iso


def check_cdrom(conn, uri, d, name, iso):
    dom = conn.lookupByName(name)
    x = dom.XMLDesc(0)
    m = re.search(r"<disk type='file' device='cdrom'>.*?</disk>", x, re.S)
    assert m and "<source file='%s'" % iso in m.group(0) and "<readonly/>" in m.group(0), x
    boots = re.findall(r"<boot dev='(\w+)'/>", x)
    assert boots and boots[0] == "cdrom", boots
    out = virsh(uri, "qemu-monitor-command", name, '{"execute":"query-block"}').stdout
    drives = [b for b in json.loads(out)["return"]
              if b.get("inserted", {}).get("file") == iso]
    assert drives and drives[0]["removable"] and drives[0]["inserted"]["ro"], out
    vol = conn.storageVolLookupByPath(iso)
    assert vol.storagePoolLookupByVolume().name() == "isos"
    return dom


def iso_installs(d, uri, conn, pool_path):
    iso = make_iso(d)
    # the wizard: "Local install media", a new disk
    run_wizard(d, uri, "vmiso", "generic", extra=("--iso", iso))
    check_guest(conn, uri, d, "vmiso", pool_path)
    check_cdrom(conn, uri, d, "vmiso", iso).destroy()
    # virt-install --cdrom ISO --disk size=1
    p = subprocess.run(["virt-install", "--connect", uri, "--name", "vicd", "--memory", "256",
                        "--vcpus", "1", "--cdrom", iso, "--disk", "size=1",
                        "--osinfo", "detect=on,require=off", "--virt-type", "qemu",
                        "--network", "none", "--graphics", "none", "--noautoconsole"],
                       capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, LC_ALL="C", HOME=d.root))
    assert p.returncode == 0, (p.stdout, p.stderr, d.log()[-3000:])
    dom = check_cdrom(conn, uri, d, "vicd", iso)
    assert dom.isActive() and dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING
    x = dom.XMLDesc(0)
    m = re.search(r"<disk type='file' device='disk'>.*?<source file='([^']+)'", x, re.S)
    assert m and os.path.dirname(m.group(1)) == pool_path, x
    vol = conn.storageVolLookupByPath(m.group(1))
    assert vol.storagePoolLookupByVolume().name() == "default" and vol.info()[1] == 1 << 30
    assert m.group(1) in qemu_block_files(d, uri, "vicd")
    dom.destroy()


VNC_GUEST = """<domain type='qemu'>
  <name>vncvm</name>
  <memory unit='KiB'>65536</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <graphics type='vnc' autoport='yes'/>
    <video><model type='vga'/></video>
  </devices>
</domain>
"""


def test_vnc_console():
    """virt-manager shows a running guest's VNC screen: its console window
    (--show-domain-console) connects gtk-vnc over the fd it gets from
    virDomainOpenGraphicsFD and shows the guest's framebuffer (SeaBIOS on a
    VGA display: no disk, no boot needed). virt-manager takes the fd path
    only on a local URI, and takes any URI with a transport (qemu+unix://)
    for a remote one whose guest listens on localhost ("Guest is on a
    remote host with transport 'unix'..."): it runs on plain qemu:///system,
    whose socket is virtkitd's in a mount namespace of its own.
    The screen must be drawn (not uniform: SeaBIOS's text) within the
    wizard's deadline; the wizard script looks at it twice a second only
    (looking on every 50 ms tick starved gtk-vnc, whose signals go
    through GLib idle sources: the screen stayed blank until the guest
    changed it, against Debian's libvirtd exactly as against virtkitd)."""
    need_tools()
    d = Daemon().start()
    uri = d.uri()
    path = os.path.join(d.root, "vncvm.xml")
    with open(path, "w") as f:
        f.write(VNC_GUEST)
    virsh(uri, "define", path)
    virsh(uri, "start", "vncvm")
    res = run_wizard(d, "qemu:///system", "vncvm", "generic", extra=("--show-console",),
                     system_socket=d.sock)
    print("# " + "\n# ".join(res["steps"]), flush=True)
    con = res["console"]
    assert con["viewer"] == "vnc" and con["open_graphics_fd"] >= 1, con
    # the size QEMU's VGA shows (query-vnc has no size: its text-mode
    # 720x400 or a graphics mode), and more than one colour on it
    assert con["width"] >= 640 and con["height"] >= 400, con
    assert con["colours"] >= 2, con
    virsh(uri, "destroy", "vncvm")
    d.stop()


def shell_guest_dir():
    """The test guest with a shell on its serial console (variant shell)."""
    d = test_guest_dir("shell")
    if not d:
        raise Skip("the shell test guest cannot be built here")
    return d


SERIAL_GUEST = """<domain type='qemu'>
  <name>vmserial</name>
  <memory unit='MiB'>256</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <kernel>%s/vmlinuz</kernel><initrd>%s/initrd.gz</initrd>
    <cmdline>console=ttyS0 no_timer_check cryptomgr.notests quiet</cmdline></os>
  <features><acpi/></features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='pty'/>
    <console type='pty'/>
    <memballoon model='none'/>
  </devices>
</domain>
"""


def test_serial_console():
    """virt-manager's serial console of a guest without graphics: its
    console window (--show-domain-console) offers "Serial 1" as the only
    console and opens it by the device's alias from the live XML
    (virDomainOpenConsole(serial0) over a stream); the guest is started
    from that window, its boot output (GUEST-READY) and its shell's prompt
    appear in the VTE terminal, and a command typed into the terminal runs
    in the guest: `echo $((6*7))VKTYPED` is answered 42VKTYPED, which only
    the guest's shell can compute. The live XML carries the aliases Debian's
    libvirtd gives the same guest (serial0 on the serial and its console)."""
    need_tools()
    guest = shell_guest_dir()
    d = Daemon().start()
    uri = d.uri()
    path = os.path.join(d.root, "vmserial.xml")
    with open(path, "w") as f:
        f.write(SERIAL_GUEST % (guest, guest))
    virsh(uri, "define", path)
    try:
        res = run_wizard(d, uri, "vmserial", "generic", extra=("--serial-console",))
        print("# " + "\n# ".join(res["steps"]), flush=True)
        ser = res["serial"]
        assert ser["label"] == "Serial 1", ser
        assert ser["open_console"] and set(ser["open_console"]) == {"serial0"}, ser
        text = ser["text"]
        assert "GUEST-READY" in text and "vkguest# " in text, text
        # the typed line (echoed by the guest's tty) and the shell's answer
        assert "echo $((6*7))VKTYPED" in text and "\n42VKTYPED" in text, text
        live = virsh(uri, "dumpxml", "vmserial").stdout
        m = re.search(r"<serial type='pty'>\s*<source path='([^']+)'/>.*?"
                      r"<alias name='serial0'/>\s*</serial>", live, re.S)
        assert m, live
        c = re.search(r"<console type='pty' tty='([^']+)'>.*?<alias name='serial0'/>", live,
                      re.S)
        assert c and c.group(1) == m.group(1), live
    finally:
        virsh(uri, "destroy", "vmserial", check=False)
    assert d.stop() == 0


def test_session_builds_default_pool():
    need_tools()
    d = Daemon(mode="session")
    d.start()
    uri = "qemu+unix:///session?socket=%s" % d.sock
    conn = libvirt.open(uri)
    # no default pool: virt-manager makes one, as for a new user
    old = conn.storagePoolLookupByName("default")
    old.destroy()
    old.undefine()
    data = os.path.join(d.root, "xdgdata")
    res = run_wizard(d, uri, "vmsess", "debian11", env_extra={"XDG_DATA_HOME": data})
    pool = conn.storagePoolLookupByName("default")
    pool_path = os.path.join(data, "images")
    assert re.search(r"<path>%s</path>" % re.escape(pool_path), pool.XMLDesc(0)), pool.XMLDesc(0)
    assert pool.isActive() and pool.isPersistent() and pool.autostart() == 1
    assert os.path.isdir(pool_path)
    dom, x = check_guest(conn, uri, d, "vmsess", pool_path)
    # a known OS: q35 and virtio, as virt-manager picks them
    assert re.search(r"machine='pc-q35-", x) and "bus='virtio'" in x, x
    dom.destroy()
    conn.close()
    assert d.stop() == 0
    assert res["ok"]


if __name__ == "__main__":
    if os.geteuid() == 0:
        try:
            enter_netns()
            skip = None
        except Skip as e:
            skip = str(e)
    else:
        skip = "needs root (a network namespace of its own)"

    def guard(fn):
        def run():
            if skip:
                raise Skip(skip)
            fn()
        return run

    try:
        run_tests([
            ("virt-manager new-VM wizard, system: default pool, new qcow2, default network, "
             "running; import of a file in no pool makes its pool",
             guard(test_system_default_pool_and_network)),
            ("ISO installs from a pool: the wizard's local install media, virt-install "
             "--cdrom; a new disk in the default pool", guard(test_iso_installs)),
            ("virt-manager new-VM wizard, session: it builds the default pool itself",
             guard(test_session_builds_default_pool)),
            ("virt-manager shows a running guest's VNC screen (OpenGraphicsFD, gtk-vnc)",
             guard(test_vnc_console)),
            ("virt-manager's serial console: boot and shell output in its terminal, a "
             "typed command runs in the guest", guard(test_serial_console)),
        ])
    finally:
        stop_xvfb()
