#!/usr/bin/env python3
"""capture-frames.py: record the libvirt RPC frames between a client and a daemon.

Listens on a UNIX socket, forwards every byte to the daemon's socket, and
appends one line per complete frame to OUT:

    c|s PROG PROC TYPE STATUS HEX-OF-THE-WHOLE-FRAME

(c = client to server, s = server to client). Used to record
libvirt-9.0-frames.txt: real virsh 9.0 against the real libvirtd 9.0, so
that rpc-protogen can check our generated XDR filters byte for byte
against libvirt's own encodings. Keepalive frames are skipped. Frames that
carry fds (types 4/5) are not handled: record commands that pass none.

Usage: capture-frames.py LISTEN_SOCK UPSTREAM_SOCK OUT
Stops on SIGTERM.
"""

import os
import signal
import socket
import struct
import sys
import threading

KEEPALIVE = 0x6B656570


def pump(src, dst, tag, out, lock):
    buf = b""
    while True:
        try:
            data = src.recv(65536)
        except OSError:
            data = b""
        if not data:
            break
        dst.sendall(data)
        buf += data
        while len(buf) >= 4:
            (n,) = struct.unpack(">I", buf[:4])
            if n < 28 or len(buf) < n:
                break
            frame, buf = buf[:n], buf[n:]
            prog, vers, proc, mtype, serial, status = struct.unpack(">IIiiIi", frame[4:28])
            if prog == KEEPALIVE:
                continue
            with lock:
                out.write("%s %d %d %d %d %s\n" % (tag, prog, proc, mtype, status, frame.hex()))
                out.flush()
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def main():
    listen, upstream, outpath = sys.argv[1:4]
    out = open(outpath, "a")
    lock = threading.Lock()
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if os.path.exists(listen):
        os.unlink(listen)
    srv.bind(listen)
    os.chmod(listen, 0o777)
    srv.listen(16)
    signal.signal(signal.SIGTERM, lambda *a: (os.unlink(listen), os._exit(0)))
    while True:
        c, _ = srv.accept()
        u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        u.connect(upstream)
        threading.Thread(target=pump, args=(c, u, "c", out, lock), daemon=True).start()
        threading.Thread(target=pump, args=(u, c, "s", out, lock), daemon=True).start()


if __name__ == "__main__":
    main()
