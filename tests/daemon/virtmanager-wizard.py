#!/usr/bin/python3
"""Drive Debian's virt-manager new-VM wizard against a libvirt URI.

Runs virt-manager itself (its own main(), `--connect URI
--show-domain-creator`, first-run settings in memory) on the X display in
$DISPLAY (tests/daemon/test_virtmanager.py starts an Xvfb), and goes
through the wizard's pages the way a user does: it sets the widgets a user
sets (method, OS, memory, CPUs, disk size, name) and presses Forward and
Finish; everything else (validation, the default pool, the new volume, the
network, the definition, the start) is virt-manager's own code.

Usage: virtmanager-wizard.py URI NAME RESULT.json [--os OSINFO-ID] [--mem MIB]
                             [--disk GIB] [--import-path FILE] [--iso FILE]
                             [--console]
       virtmanager-wizard.py URI NAME RESULT.json --show-console
       virtmanager-wizard.py URI NAME RESULT.json --serial-console
--console waits, once the new guest runs, for the console page virt-manager
opens for it to show the guest's screen; --show-console skips the wizard
and opens the console of the running guest NAME (virt-manager's
--show-domain-console). Either way the viewer must connect (gtk-vnc's
vnc-initialized), the guest's desktop size be known and the framebuffer
image be of that size; the result gets "console" with the viewer type, the
size, whether the graphics came through virDomainOpenGraphicsFD, and how
many colours the image has (at least 2: something drawn). (virt-manager 4.1 gives a new VM SPICE
whatever its preference says, and Debian's has no SPICE viewer here.)
--serial-console opens the console window of the shut-off guest NAME
(one with a pty serial and no graphics), starts it as its Run button does,
and waits for virt-manager's serial page (a VTE terminal fed by
virDomainOpenConsole's stream) to show the guest's boot and shell output;
then types, through the terminal (its "commit" path, as keystrokes go),
a command the guest's shell evaluates and waits for its result: the
result gets "serial" with the device alias virt-manager opened and the
terminal's text.
The result file gets {"ok": bool, "steps": [...], "errors": [...]}; every
error dialog virt-manager would show is recorded there (and ends the run)
instead of waiting for a click. Exit status 0 when the wizard finished
with the new guest running as virt-manager sees it.
"""
import argparse
import json
import sys
import time
import traceback

sys.path.insert(0, "/usr/share/virt-manager")

ap = argparse.ArgumentParser()
ap.add_argument("uri")
ap.add_argument("name")
ap.add_argument("result")
ap.add_argument("--os", default="generic")
ap.add_argument("--mem", type=int, default=256)
ap.add_argument("--disk", type=int, default=1)
ap.add_argument("--timeout", type=float, default=240)
ap.add_argument("--import-path", help="'Import existing disk image' of this file "
                "(else 'Manual install' with a new disk)")
ap.add_argument("--iso", help="'Local install media' from this ISO (OS detection off, "
                "the OS given by --os), with a new disk")
ap.add_argument("--console", action="store_true")
ap.add_argument("--show-console", action="store_true")
ap.add_argument("--serial-console", action="store_true")
opts = ap.parse_args()

state = {"ok": False, "steps": [], "errors": []}
deadline = time.monotonic() + opts.timeout


def note(msg):
    state["steps"].append("%.1f %s" % (time.monotonic() - (deadline - opts.timeout), msg))
    print("wizard: " + msg, flush=True)


def finish(ok):
    state["ok"] = ok
    with open(opts.result, "w") as f:
        json.dump(state, f, indent=1)
    from virtManager.engine import vmmEngine
    vmmEngine.get_instance().exit_app()
    return False


def record_error(kind, args):
    text = " | ".join(str(a) for a in args if a)
    state["errors"].append("%s: %s" % (kind, text))
    note("virt-manager error dialog (%s): %s" % (kind, text))


def patch_error_dialogs():
    """virt-manager's error dialogs wait for a click: record them instead
    and end the run (the test reads them from the result)."""
    from virtManager import error as vmerror

    def show_err(self, summary, details=None, *a, **kw):
        record_error("show_err", (summary, details))
        GLib.idle_add(finish, False)

    def val_err(self, text1, text2=None, *a, **kw):
        record_error("val_err", (text1, text2))
        GLib.idle_add(finish, False)
        return False

    def yes_no(self, text1, text2=None, *a, **kw):
        # a question the wizard asks (e.g. "start the network?"): a user
        # answering yes
        note("question answered yes: %s %s" % (text1, text2 or ""))
        return True

    def warn_chkbox(self, text1, text2=None, *a, **kw):
        note("warning: %s %s" % (text1, text2 or ""))
        return False, False

    vmerror.vmmErrorDialog.show_err = show_err
    vmerror.vmmErrorDialog.val_err = val_err
    vmerror.vmmErrorDialog.yes_no = yes_no
    vmerror.vmmErrorDialog.warn_chkbox = warn_chkbox

    # what the console opens: the graphics fd from the connection (the
    # local path virt-manager has no fallback for) is noted
    from virtManager.object.domain import vmmDomain
    orig_open_fd = vmmDomain.open_graphics_fd

    def open_graphics_fd(self):
        fd = orig_open_fd(self)
        state["open_graphics_fd"] = state.get("open_graphics_fd", 0) + 1
        note("virDomainOpenGraphicsFD gave fd %s" % fd)
        return fd

    vmmDomain.open_graphics_fd = open_graphics_fd

    orig_open_console = vmmDomain.open_console

    def open_console(self, devname, stream, flags=0):
        state.setdefault("open_console", []).append(devname)
        note("virDomainOpenConsole(%s)" % devname)
        return orig_open_console(self, devname, stream, flags)

    vmmDomain.open_console = open_console


class Driver:
    """One step per main-loop tick: each waits for virt-manager to be ready
    for it, then acts as the user would."""

    def __init__(self):
        self.step = 0
        self.wiz = None
        self.conn = None
        self.patched = False

    def tick(self):
        try:
            if time.monotonic() > deadline:
                state["errors"].append("deadline passed at step %d" % self.step)
                finish(False)
                return False
            if state["errors"]:
                return False
            if self.run_step():
                self.step += 1
        except Exception:
            state["errors"].append(traceback.format_exc())
            finish(False)
            return False
        return True

    def page(self):
        return self.wiz.widget("create-pages").get_current_page()

    def forward(self, from_page):
        note("page %d: Forward" % from_page)
        self.wiz.widget("create-forward").clicked()

    def run_step(self):
        from virtManager.createvm import vmmCreateVM
        wiz = vmmCreateVM._instance
        s = self.step
        if s == 0 and not self.patched:
            # virt-manager's modules are loaded once its main loop runs
            patch_error_dialogs()
            self.patched = True
            if opts.show_console or opts.serial_console:
                from virtManager.engine import vmmEngine
                vmmEngine.get_instance().increment_window_counter()
                note("console of %s asked for" % opts.name)
                self.step = 20 if opts.serial_console else 7
                return False
        if s == 0:
            # the wizard is up, connected, and offers Forward
            if not wiz or not wiz.is_visible() or not wiz.conn or not wiz.conn.is_active():
                return False
            if not wiz.widget("create-forward").get_sensitive():
                return False
            self.wiz = wiz
            self.conn = wiz.conn
            # the app exits when its last window closes; the wizard closes
            # itself before it opens the new VM's window: count one for
            # the manager window a user has open (we end the app ourselves)
            from virtManager.engine import vmmEngine
            vmmEngine.get_instance().increment_window_counter()
            note("wizard shown on %s" % wiz.conn.get_uri())
            return True
        if s == 1:
            # page 1: "Manual install" (the disk is made on the storage page)
            # or "Import existing disk image"
            if opts.import_path:
                wiz.widget("method-import").set_active(True)
            elif opts.iso:
                wiz.widget("method-local").set_active(True)
            else:
                wiz.widget("method-manual").set_active(True)
            self.forward(self.page())
            return True
        if s == 2:
            if self.page() != 1:
                return False
            import virtinst
            osobj = virtinst.OSDB.lookup_os(opts.os)
            if opts.import_path:
                wiz.widget("install-import-entry").set_text(opts.import_path)
                note("import %s" % opts.import_path)
            if opts.iso:
                # the media entry a user types or browses into; no OS
                # on this ISO to detect: the user picks it
                wiz.widget("install-detect-os").set_active(False)
                wiz._mediacombo.set_path(opts.iso)
                note("install media %s" % opts.iso)
            wiz._os_list.select_os(osobj)
            note("OS chosen: %s" % wiz._os_list.get_selected_os().name)
            self.forward(1)
            return True
        if s == 3:
            if self.page() != 2:
                return False
            wiz.widget("mem").set_value(opts.mem)
            wiz.widget("cpus").set_value(1)
            note("memory %d MiB, 1 CPU" % opts.mem)
            self.forward(2)
            return True
        if s == 4 and opts.import_path:
            # an import skips the storage page
            return self.page() == 4
        if s == 4:
            if self.page() != 3:
                return False
            # virt-manager builds the default pool when it connects and
            # sees it once its connection has polled the pools (on the
            # pool's lifecycle event, from its tick thread): the storage
            # page offers the default location only then, as a user sees
            # it; on a busy machine that can come after the page shows
            if not wiz.conn.get_default_pool():
                return False
            wiz.widget("enable-storage").set_active(True)
            wiz._addstorage.widget("storage-create").set_active(True)
            wiz._addstorage.widget("storage-size").set_value(opts.disk)
            note("new disk of %d GiB (default storage)" % opts.disk)
            self.forward(3)
            return True
        if s == 5:
            if self.page() != 4:
                return False
            wiz.widget("create-vm-name").set_text(opts.name)
            sel = wiz._netlist.get_network_selection()
            note("name %s, network choice: %s" % (opts.name, sel))
            state["network_choice"] = list(sel)
            state["summary_storage"] = wiz.widget("summary-storage-path").get_text()
            note("Finish")
            wiz.widget("create-finish").clicked()
            return True
        if s == 6:
            # the install job is over when the wizard closed itself (it
            # does on success, after create and define; a failure shows an
            # error instead); virt-manager lists the new VM, running
            if self.wiz.is_visible():
                return False
            conn = self.wiz.conn or self.conn
            vm = None
            for c in [conn] if conn else []:
                try:
                    vm = c.get_vm_by_name(opts.name)
                except Exception:
                    vm = None
            if not vm:
                return False
            if not vm.is_active():
                return False
            note("virt-manager sees %s running" % opts.name)
            state["vm_status"] = vm.run_status()
            self.vm = vm
            if not opts.console:
                GLib.idle_add(finish, True)
            return True
        if s == 7:
            # the window virt-manager opened for the new VM, its console
            # page connected to the guest's display
            from virtManager.vmwindow import vmmVMWindow
            win = None
            for w in (vmmVMWindow._instances or {}).values():
                if w and w.vm and w.vm.get_name() == opts.name:
                    win = w
            console = win and win._console
            viewer = console and console._viewer
            if time.monotonic() > getattr(self, "next_status", 0):
                # what the console shows meanwhile (in the result if it
                # never connects)
                self.next_status = time.monotonic() + 5
                note("console: window %s, visible %s, viewer %s, open %s, pages %s/%s" % (
                    bool(win), bool(win and win.is_visible()), viewer and viewer.viewer_type,
                    bool(viewer and viewer.console_is_open()),
                    console and console.widget("console-pages").get_current_page(),
                    console and console.widget("console-gfx-pages").get_current_page()))
            if not viewer or not viewer.console_is_open():
                return False
            res = viewer.console_get_desktop_resolution()
            if not res or not res[0]:
                return False
            # The image is looked at twice a second, cheaply: this tick is a
            # timeout of the default priority, and a tick that takes longer
            # than its 50 ms period keeps GLib's idle sources from ever
            # running, gtk-vnc's among them, so the framebuffer is not
            # drawn (the first run of this test counted every pixel's
            # colour on each tick, and virt-manager showed a blank screen
            # until the guest changed it, against libvirtd as against
            # virtkitd)
            if time.monotonic() < getattr(self, "next_look", 0):
                return False
            self.next_look = time.monotonic() + 0.5
            pix = viewer.console_get_pixbuf()
            if not pix or pix.get_width() != res[0]:
                return False
            data = pix.get_pixels()
            step = pix.get_n_channels()
            stride = pix.get_rowstride()
            width = pix.get_width() * step
            first = bytes(data[:step])
            if all(data[y:y + width] == first * pix.get_width()
                   for y in range(0, stride * pix.get_height(), stride)):
                # the first update not drawn yet: a uniform screen
                self.blank = getattr(self, "blank", 0) + 1
                if self.blank % 10 == 1:
                    note("console: %dx%d, %d channels, uniform so far" % (
                        res[0], res[1], step))
                return False
            colours = len({bytes(data[i:i + 3]) for y in range(0, stride * pix.get_height(), stride)
                           for i in range(y, y + width, step)})
            state["console"] = {"viewer": viewer.viewer_type, "width": res[0],
                                "height": res[1], "colours": colours,
                                "open_graphics_fd": state.get("open_graphics_fd", 0)}
            note("console shows the guest's %s screen, %dx%d" % (viewer.viewer_type,
                                                                  res[0], res[1]))
            GLib.idle_add(finish, True)
            return True
        if s == 20:
            return self.serial_step()
        return False

    def serial_window(self):
        from virtManager.vmwindow import vmmVMWindow
        for w in (vmmVMWindow._instances or {}).values():
            if w and w.vm and w.vm.get_name() == opts.name:
                return w
        return None

    def serial_text(self, term):
        text = term.get_text(None, None)
        if isinstance(text, tuple):
            text = text[0]
        return text or ""

    def serial_step(self):
        win = self.serial_window()
        if not win or not win.is_visible():
            return False
        vm = win.vm
        if not getattr(self, "started", False):
            if vm.is_active():
                state["errors"].append("the guest runs before virt-manager starts it")
                finish(False)
                return False
            # the Run button's action (vmmVMActionsMenu: vm.startup())
            note("starting %s from its console window" % opts.name)
            vm.startup()
            self.started = True
            return False
        cons = win._console._serial_consoles
        if not cons:
            return False
        term = cons[0]._vteterminal
        # cheap: twice a second (see the VNC case)
        if time.monotonic() < getattr(self, "next_look", 0):
            return False
        self.next_look = time.monotonic() + 0.5
        text = self.serial_text(term)
        phase = getattr(self, "phase", 0)
        if phase == 0:
            if "GUEST-READY" not in text:
                return False
            note("serial console shows the boot (GUEST-READY)")
            term.feed_child(b"\n")
            self.phase = 1
        elif phase == 1:
            if "vkguest# " not in text:
                return False
            note("serial console shows the guest's shell prompt; typing a command")
            term.feed_child(b"echo $((6*7))VKTYPED\n")
            self.phase = 2
        elif phase == 2:
            if "42VKTYPED" not in text:
                return False
            note("serial console shows the guest's answer")
            state["serial"] = {"label": cons[0].name, "text": text[-3000:],
                               "open_console": state.get("open_console", [])}
            GLib.idle_add(finish, True)
            return True
        return False


def main():
    global GLib
    sys.argv = ["virt-manager", "--connect", opts.uri, "--show-domain-creator",
                "--no-fork", "--test-options=first-run"]
    if opts.show_console or opts.serial_console:
        sys.argv[3:4] = ["--show-domain-console", opts.name]
    from gi.repository import GLib as _GLib
    GLib = _GLib
    drv = Driver()
    GLib.timeout_add(50, drv.tick)
    from virtManager import virtmanager
    try:
        virtmanager.main()
    except SystemExit:
        pass
    if not state["ok"] and not state["errors"]:
        state["errors"].append("virt-manager exited before the wizard finished")
    with open(opts.result, "w") as f:
        json.dump(state, f, indent=1)
    sys.exit(0 if state["ok"] else 1)


GLib = None
main()
