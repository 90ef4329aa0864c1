#!/usr/bin/env python3
# record-qmp.py: record a QMP conversation with the real QEMU into tests/data/qmp/NAME.txt
#
# Usage: record-qmp.py SCENARIO OUTFILE
# Scenarios: basic, powerdown, error, setaction. The file format is the one
# the qemumonitor test replays:
#   # comment
#   -> {json}     a command virtkit sends (the replay checks "execute" and "arguments")
#   <- {json}     a line QEMU sent (replies carry the "id" of the command; the
#                 replay substitutes the id the client really used)
#   <- EOF        QEMU closed the connection
# Lines are recorded exactly as QEMU sent them, in the order they arrived.
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import time

GUEST = subprocess.run([os.path.join(os.path.dirname(__file__), '..', '..',
                                     'scripts', 'build-test-guest.sh')],
                       check=True, capture_output=True, text=True).stdout.strip()


class Rec:
    def __init__(self, args, serial):
        self.tmp = tempfile.mkdtemp()
        self.serial = serial
        sock = os.path.join(self.tmp, 'qmp.sock')
        self.lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.lsock.bind(sock)
        self.lsock.listen(1)
        fd = self.lsock.fileno()
        os.set_inheritable(fd, True)
        argv = ['qemu-system-x86_64', '-S', '-no-shutdown', '-nodefaults',
                '-no-user-config', '-display', 'none',
                '-chardev', 'socket,id=charmonitor,fd=%d,server=on,wait=off' % fd,
                '-mon', 'chardev=charmonitor,id=monitor,mode=control',
                '-accel', 'tcg'] + args
        self.proc = subprocess.Popen(argv, pass_fds=[fd])
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(sock)
        self.buf = b''
        self.lines = []
        self.n = 0
        self.since = []
        self.recv()  # greeting

    def recv(self, timeout=10):
        deadline = time.time() + timeout
        while b'\n' not in self.buf:
            r, _, _ = select.select([self.s], [], [], max(0, deadline - time.time()))
            if not r:
                raise TimeoutError('no line from QEMU')
            try:
                d = self.s.recv(65536)
            except ConnectionResetError:
                d = b''
            if not d:
                self.lines.append('<- EOF')
                return None
            self.buf += d
        line, self.buf = self.buf.split(b'\n', 1)
        line = line.decode().rstrip('\r')
        self.lines.append('<- ' + line)
        m = json.loads(line)
        if 'event' in m:
            self.since.append(m['event'])
        return m

    def cmd(self, name, args=None):
        self.n += 1
        c = {'execute': name}
        if args is not None:
            c['arguments'] = args
        c['id'] = 'virtkit-%d' % self.n
        self.since = []
        line = json.dumps(c, separators=(',', ':'))
        self.lines.append('-> ' + line)
        self.s.sendall(line.encode() + b'\n')
        while True:
            m = self.recv()
            if m is None or m.get('id') == c['id']:
                return m

    def wait_event(self, name):
        if name in self.since:
            return
        while True:
            m = self.recv()
            if m is None:
                raise RuntimeError('EOF while waiting for ' + name)
            if m.get('event') == name:
                return m

    def wait_serial(self, word, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with open(self.serial) as f:
                    if word in f.read():
                        return
            except FileNotFoundError:
                pass
            time.sleep(0.05)
        raise TimeoutError('guest never printed ' + word)

    def wait_eof(self):
        while self.recv() is not None:
            pass
        self.proc.wait(timeout=30)


def guest_args(serial):
    return ['-machine', 'q35', '-m', '256', '-smp', '1',
            '-kernel', GUEST + '/vmlinuz', '-initrd', GUEST + '/initrd.gz',
            '-append', 'console=ttyS0 no_timer_check quiet',
            '-chardev', 'file,id=ser0,path=' + serial,
            '-device', 'isa-serial,chardev=ser0']


def main():
    scenario, out = sys.argv[1], sys.argv[2]
    try:
        run(scenario, out)
    except Exception:
        sys.stderr.write('\n'.join(LINES[0]) + '\n')
        for p in PROCS:
            p.kill()
            p.wait()
        raise


LINES = [[]]
PROCS = []


def run(scenario, out):
    serial = tempfile.mktemp(suffix='.serial')
    r = Rec(guest_args(serial), serial)
    LINES[0] = r.lines
    PROCS.append(r.proc)
    comment = []
    if scenario == 'basic':
        comment.append('start paused, query-status, cont, stop, cont, quit (QEMU 7.2, TCG)')
        r.cmd('qmp_capabilities')
        r.cmd('query-status')
        r.cmd('cont')
        r.cmd('query-status')
        r.cmd('stop')
        r.cmd('query-status')
        r.cmd('cont')
        r.cmd('quit')
        r.wait_eof()
    elif scenario == 'powerdown':
        comment.append('test guest: cont, GUEST-READY, system_powerdown, guest powers off;')
        comment.append('query-status in shutdown, cont refused (needs reset), quit, EOF')
        r.cmd('qmp_capabilities')
        r.cmd('cont')
        r.wait_serial('GUEST-READY')
        r.cmd('system_powerdown')
        r.wait_event('STOP')
        r.cmd('query-status')
        r.cmd('cont')
        r.cmd('quit')
        r.wait_eof()
    elif scenario == 'error':
        comment.append('error replies: unknown command, bad argument, then system_reset')
        r.cmd('qmp_capabilities')
        r.cmd('cont')
        r.cmd('no-such-command')
        r.cmd('set-action', {'reboot': 'bogus'})
        r.cmd('system_reset')
        r.wait_event('RESET')
        r.cmd('quit')
        r.wait_eof()
    elif scenario == 'setaction':
        comment.append('set-action reboot=shutdown (on_reboot=destroy), cont, query-status, SIGTERM-free quit')
        r.cmd('qmp_capabilities')
        r.cmd('set-action', {'reboot': 'shutdown'})
        r.cmd('cont')
        r.cmd('query-status')
        r.cmd('system_reset')
        r.wait_event('STOP')
        r.cmd('query-status')
        r.cmd('quit')
        r.wait_eof()
    else:
        sys.exit('unknown scenario')
    if r.proc.poll() is None:
        r.proc.kill()
        r.proc.wait()
    with open(out, 'w') as f:
        for c in comment:
            f.write('# ' + c + '\n')
        f.write('# recorded by tests/qemumonitor/record-qmp.py ' + scenario + '\n')
        for l in r.lines:
            f.write(l + '\n')
    try:
        os.unlink(serial)
    except FileNotFoundError:
        pass


main()
