# SPDX-License-Identifier: MIT
"""silent_proxy.py: a TCP stand-in for a database host that stops answering (tests only).

    silent_proxy.py PORTFILE TARGET_PORT MODEFILE LOG

Listens on 127.0.0.1 (a free port, written to PORTFILE) and forwards every connection to
127.0.0.1:TARGET_PORT while MODEFILE says "forward". When it says "silent", the connections
open are closed, and new ones are accepted but never answered (nor closed): what a client
sees of a host behind a black hole that still completes the TCP handshake. Each accept is
logged to LOG ("accepted forward" / "accepted silent"). Stops by itself after 600 s.
"""
import os
import selectors
import socket
import sys
import time

portfile, target, modefile, logfile = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]


def mode():
    try:
        with open(modefile) as f:
            return f.read().strip()
    except OSError:
        return "forward"


def log(text):
    with open(logfile, "a") as f:
        f.write(text + "\n")


lsn = socket.socket()
lsn.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lsn.bind(("127.0.0.1", 0))
lsn.listen(64)
with open(portfile + ".tmp", "w") as f:
    f.write(str(lsn.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)

sel = selectors.DefaultSelector()
sel.register(lsn, selectors.EVENT_READ, None)
pairs = {}      # socket -> its peer (forwarded connections, both ends)
silent = []     # accepted and never answered
last = mode()
end = time.time() + 600


def drop(s):
    peer = pairs.pop(s, None)
    for x in (s, peer):
        if x is None:
            continue
        pairs.pop(x, None)
        try:
            sel.unregister(x)
        except (KeyError, ValueError):
            pass
        x.close()


while time.time() < end:
    now = mode()
    if now != last:
        last = now
        if now == "silent":
            for s in list(pairs):
                drop(s)
        else:
            for s in silent:
                s.close()
            silent.clear()
        log("mode " + now)
    for key, _ in sel.select(0.05):
        s = key.fileobj
        if s is lsn:
            c, _ = lsn.accept()
            if last == "silent":
                silent.append(c)
                log("accepted silent")
                continue
            up = socket.create_connection(("127.0.0.1", target))
            pairs[c], pairs[up] = up, c
            sel.register(c, selectors.EVENT_READ, None)
            sel.register(up, selectors.EVENT_READ, None)
            log("accepted forward")
            continue
        if s not in pairs:
            continue
        try:
            data = s.recv(65536)
        except OSError:
            data = b""
        if not data:
            drop(s)
        else:
            try:
                pairs[s].sendall(data)
            except OSError:
                drop(s)
