#!/usr/bin/env python3
"""capture-rpc.py: record what clients send to virtkitd, as rpc fuzz seeds.

  capture-rpc.py --listen PROXY_SOCK --upstream DAEMON_SOCK --out DIR --name NAME

A UNIX-socket proxy: every byte is forwarded both ways; the bytes a client
sends (the daemon's input, exactly what tests/fuzz/fuzz-rpc reads) are
written to DIR/NAME-N, one file per connection. Stop it with SIGTERM.
(For a per-frame log of both directions, /work/shared/tools/rpc-proxy.py.)
"""
import argparse
import os
import select
import signal
import socket
import sys
import threading

ap = argparse.ArgumentParser()
ap.add_argument("--listen", required=True)
ap.add_argument("--upstream", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--name", required=True)
args = ap.parse_args()

os.makedirs(args.out, exist_ok=True)
if os.path.exists(args.listen):
    os.unlink(args.listen)
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(args.listen)
srv.listen(16)
count = [0]


def stop(*_):
    try:
        os.unlink(args.listen)
    except OSError:
        pass
    os._exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)


def pump(c, n):
    u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    u.connect(args.upstream)
    path = os.path.join(args.out, "%s-%d" % (args.name, n))
    with open(path, "wb") as rec:
        socks = [c, u]
        while socks:
            r, _, _ = select.select(socks, [], [])
            for s in r:
                data = s.recv(65536)
                other = u if s is c else c
                if not data:
                    try:
                        other.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                    socks.remove(s)
                    continue
                if s is c:
                    rec.write(data)
                    rec.flush()
                other.sendall(data)
    c.close()
    u.close()


while True:
    c, _ = srv.accept()
    count[0] += 1
    threading.Thread(target=pump, args=(c, count[0]), daemon=True).start()
