# SPDX-License-Identifier: MIT
# slack_receiver.py: a local stand-in for Slack's incoming webhooks, chat.postMessage and
# conversations.history (and a Mattermost webhook) on 127.0.0.1, for tests/cli/outbox.sh.
# Usage: slack_receiver.py PORT_FILE LOG_FILE TOKEN. Every message accepted is appended to
# LOG_FILE as one JSON line. Webhook behaviour comes from the path:
#   /hook/ok/NAME            200 "ok"
#   /hook/429once/NAME       429 with Retry-After: 2 the first time, then 200
#   /hook/500twice/NAME      500 twice, then 200
#   /hook/400once/NAME       400 invalid_payload the first time, then 200
#   /hook/err/CODE/WORDS     CODE with body WORDS (e.g. 404 channel_not_found)
#   /hook/hang/NAME          logs its arrival ("hang": true), never answers (within 30 s)
# /api/chat.postMessage answers by channel: C_MISSING -> ok:false channel_not_found,
# C_NOTIN -> not_in_channel, C_429 -> 429 Retry-After: 2 once; a wrong token -> invalid_auth.
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

PORT_FILE, LOG_FILE, TOKEN = sys.argv[1], sys.argv[2], sys.argv[3]
LOCK = threading.Lock()
SEEN = {}
MESSAGES = {}  # channel -> [message]
TS = [1700000000]


def count(key):
    with LOCK:
        SEEN[key] = SEEN.get(key, 0) + 1
        return SEEN[key]


def log(entry):
    with LOCK:
        with open(LOG_FILE, "a") as f:
            f.write(json.dumps(entry) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, code, body, extra=None, ctype="application/json"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        u = urlparse(self.path)
        q = parse_qs(u.query)
        if u.path == "/api/conversations.history":
            if self.headers.get("Authorization") != "Bearer " + TOKEN:
                return self.reply(200, json.dumps({"ok": False, "error": "invalid_auth"}))
            ch = q.get("channel", [""])[0]
            with LOCK:
                msgs = list(reversed(MESSAGES.get(ch, [])))
            return self.reply(200, json.dumps({"ok": True, "messages": msgs}))
        self.reply(404, "not found", ctype="text/plain")

    def do_POST(self):
        u = urlparse(self.path)
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            body = json.loads(raw)
        except ValueError:
            return self.reply(400, "invalid_payload", ctype="text/plain")
        parts = u.path.strip("/").split("/")
        now = time.time()
        if parts[0] == "hook":
            mode = parts[1]
            if mode == "hang":
                log({"path": u.path, "time": now, "hang": True})
                time.sleep(30)
                return
            if mode == "429once" and count(u.path) == 1:
                return self.reply(429, "rate_limited", {"Retry-After": "2"}, "text/plain")
            if mode == "500twice" and count(u.path) <= 2:
                return self.reply(500, "internal_error", ctype="text/plain")
            if mode == "400once" and count(u.path) == 1:
                return self.reply(400, "invalid_payload", ctype="text/plain")
            if mode == "err":
                return self.reply(int(parts[2]), parts[3], ctype="text/plain")
            log({"path": u.path, "time": now, "text": body.get("text"), "body": body})
            return self.reply(200, "ok", ctype="text/plain")
        if u.path == "/api/chat.postMessage":
            if self.headers.get("Authorization") != "Bearer " + TOKEN:
                return self.reply(200, json.dumps({"ok": False, "error": "invalid_auth"}))
            ch = body.get("channel", "")
            if ch == "C_MISSING":
                return self.reply(200, json.dumps({"ok": False, "error": "channel_not_found"}))
            if ch == "C_NOTIN":
                return self.reply(200, json.dumps({"ok": False, "error": "not_in_channel"}))
            if ch == "C_429" and count(u.path + ch) == 1:
                return self.reply(429, json.dumps({"ok": False, "error": "ratelimited"}),
                                  {"Retry-After": "2"})
            with LOCK:
                TS[0] += 1
                ts = "%d.000100" % TS[0]
                msg = {"ts": ts, "text": body.get("text"), "metadata": body.get("metadata"),
                       "thread_ts": body.get("thread_ts")}
                MESSAGES.setdefault(ch, []).append(msg)
            sid = ((body.get("metadata") or {}).get("event_payload") or {}).get("sitrep_id")
            log({"path": u.path, "time": now, "channel": ch, "ts": ts,
                 "thread_ts": body.get("thread_ts"), "sitrep_id": sid,
                 "text": body.get("text"), "blocks": len(body.get("blocks") or [])})
            return self.reply(200, json.dumps({"ok": True, "channel": ch, "ts": ts}))
        self.reply(404, "no_service", ctype="text/plain")


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a sender killed mid-request resets its connection: expected here


srv = Server(("127.0.0.1", 0), Handler)
srv.daemon_threads = True
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
srv.serve_forever()
