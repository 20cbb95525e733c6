# SPDX-License-Identifier: MIT
# http_server.py: a misbehaving HTTP server for test_http: slow, hanging, failing, huge,
# truncated and echoing answers on 127.0.0.1 (a free port, printed on the first line).
# With --tls CERT KEY it speaks HTTPS.
# For test_outbox it is also a scripted Slack / Mattermost stand-in:
#   /slack/...      every request is logged, and answered with the next queued answer;
#                   with none queued, /slack/api/chat.postMessage answers 200
#                   {"ok":true,"ts":"<n>.000100"} (n counts up from 1700000001), others 200 "ok"
#   POST /_answer   body {"status": N, "body": "...", "headers": {...}}: queued (in order)
#   GET  /_log      the /slack/ requests received since the last /_log, a JSON list of
#                   {"method", "path", "auth", "type", "body"}; clears it
#   POST /_reset    forgets queued answers and the log, starts the ts count again
import gzip
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs


# Canned answers set by the test: path -> (status, body). POST /set?path=P&status=N sets one.
MOCK = {}
LOCK = threading.Lock()
ANSWERS = []
LOG = []
TS = [1700000000]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, code, body, ctype="application/json", extra=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        u = urlparse(self.path)
        q = parse_qs(u.query)
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        p = u.path
        if p.startswith(("/_", "/slack/")):
            return self.scripted(p, body)
        if p == "/set":
            MOCK[q["path"][0]] = (int(q.get("status", ["200"])[0]), body)
            self.reply(200, b"{}")
        elif p in MOCK:
            status, data = MOCK[p]
            if status == 0:
                time.sleep(60)  # hang
            else:
                self.reply(status, data)
        elif p == "/ok":
            self.reply(200, b'{"ok":true}')
        elif p == "/slow":
            time.sleep(int(q.get("ms", ["1000"])[0]) / 1000.0)
            self.reply(200, b'{"slow":true}')
        elif p == "/hang":
            time.sleep(60)
        elif p == "/500":
            self.reply(500, b'{"status":"error","errorType":"internal","error":"boom"}')
        elif p == "/garbage":
            self.reply(200, b"\x00\xff<html>not json", "text/html")
        elif p == "/huge":
            size = int(q.get("bytes", ["1000000"])[0])
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if "cl" in q:
                self.send_header("Content-Length", str(size))
            else:
                self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"x" * 65536
            sent = 0
            try:
                while sent < size:
                    c = chunk[: min(len(chunk), size - sent)]
                    if "cl" in q:
                        self.wfile.write(c)
                    else:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(c), c))
                    sent += len(c)
                if "cl" not in q:
                    self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif p == "/close":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"partial":')
            self.wfile.flush()
            self.close_connection = True
        elif p == "/gzip":
            data = gzip.compress(b'{"zipped":"' + b"z" * 5000 + b'"}')
            if "gzip" in (self.headers.get("Accept-Encoding") or ""):
                self.reply(200, data, extra={"Content-Encoding": "gzip"})
            else:
                self.reply(406, b"no gzip accepted")
        elif p == "/echo":
            out = {
                "method": self.command,
                "path": self.path,
                "body": body.decode("utf-8", "replace"),
                "headers": {k.lower(): v for k, v in self.headers.items()},
            }
            self.reply(200, json.dumps(out).encode())
        else:
            self.reply(404, b"not found", "text/plain")

    def scripted(self, p, body):
        if p == "/_answer":
            with LOCK:
                ANSWERS.append(json.loads(body))
            return self.reply(200, b"{}")
        if p == "/_log":
            with LOCK:
                out = json.dumps(LOG).encode()
                del LOG[:]
            return self.reply(200, out)
        if p == "/_reset":
            with LOCK:
                del ANSWERS[:]
                del LOG[:]
                TS[0] = 1700000000
            return self.reply(200, b"{}")
        with LOCK:
            LOG.append({"method": self.command, "path": self.path,
                        "auth": self.headers.get("Authorization"),
                        "type": self.headers.get("Content-Type"),
                        "body": body.decode("utf-8", "replace")})
            a = ANSWERS.pop(0) if ANSWERS else None
            if a is None and p.endswith("/chat.postMessage"):
                TS[0] += 1
                a = {"body": json.dumps({"ok": True, "ts": "%d.000100" % TS[0]})}
        if a is None:
            return self.reply(200, b"ok", "text/plain")
        self.reply(a.get("status", 200), a.get("body", "").encode(), extra=a.get("headers"))

    do_GET = handle_any
    do_POST = handle_any
    do_DELETE = handle_any


def main():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    if len(sys.argv) == 4 and sys.argv[1] == "--tls":
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[2], sys.argv[3])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    # One write, and stdout then points nowhere: the test may close its end at any time.
    try:
        os.write(1, b"%d\n" % srv.server_address[1])
    except BrokenPipeError:
        pass
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    srv.serve_forever()


if __name__ == "__main__":
    main()
