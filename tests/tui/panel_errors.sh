# SPDX-License-Identifier: MIT
# panel_errors.sh: a dashboard panel whose Prometheus query fails shows why, in the panel: the
# error text of a 400 (Prometheus' own "bad_data: ... parse error"), of a 5xx, of a timeout and
# of a hostile error string (ESC, OSC, newlines, bidi) sanitised and flattened to one line. The
# reason is not hidden behind the source's URL (the panel's width would show nothing else), it is
# never "no data", and a panel that had a value and then fails says so beside the stale value.
# The metrics view (5) and the wallboard show the same reasons. A local stand-in Prometheus.
. "$SRCDIR/tests/tui/tmux.sh"
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
unset SITREP_NOW	# the clock runs: the feeds poll

port_file="$T/port"
python3 - "$port_file" "$T/flip" <<'PY' &
import http.server, json, os, socketserver, sys, time, urllib.parse
class H(http.server.BaseHTTPRequestHandler):
    def send(self, code, body, ctype="application/json"):
        body = body.encode() if isinstance(body, str) else body
        self.send_response(code); self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(u.query).get("query", [""])[0]
        ok = json.dumps({"status": "success", "data": {"resultType": "matrix", "result": [
            {"metric": {}, "values": [[time.time() - 60, "40"], [time.time(), "42"]]}]}})
        if not u.path.endswith("/query_range"):
            self.send(404, "not found", "text/plain")
        elif "rate(" in q and "[" not in q:
            self.send(400, json.dumps({"status": "error", "errorType": "bad_data",
                "error": "1:6: parse error: unexpected end of input in function call"}))
        elif "boom" in q:
            self.send(503, "upstream overloaded: try later\n", "text/plain")
        elif "slow" in q:
            time.sleep(4)
            self.send(200, ok)
        elif "evil" in q:
            self.send(422, json.dumps({"status": "error", "errorType": "execution",
                "error": "first line\nStatus: forged \x1b]52;c;ZXZpbA==\x07\x1b[2J\u202e reversed\r\nthird"}))
        elif "flip" in q and os.path.exists(sys.argv[2]):
            self.send(500, json.dumps({"status": "error", "errorType": "internal",
                "error": "tsdb closed after a while"}))
        else:
            self.send(200, ok)
    def log_message(self, *a): pass
class S(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    def handle_error(self, *a): pass	# a client that gave up on the slow answer
with S(("127.0.0.1", 0), H) as s:
    open(sys.argv[1], "w").write(str(s.server_address[1]))
    s.timeout = 1
    for _ in range(240):
        s.handle_request()
PY
served $! "$port_file"

mkdir -p "$T/cfg"
cat >"$T/cfg/sitrep.conf" <<EOF
[feeds]
panels_interval = 1s
[prometheus]
url = http://127.0.0.1:$port/
timeout = 1s
[panel badql]
query = rate(x
[panel five]
query = boom
[panel slowq]
query = slow
[panel evil]
query = evil
[panel flip]
query = flip
unit = percent
EOF
chmod 600 "$T/cfg/sitrep.conf"
DB="$T/s.db"

start 200 30 no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 -- --config "$T/cfg/sitrep.conf" --store "$DB"
# each reason, not the URL in front of it and not "no data"
expect "HTTP 400: bad_data: 1:6: parse error" 100
expect "HTTP 503: upstream overloaded" 100
expect "imeout" 100
expect "HTTP 422: execution: first line Stat" 100
expect "42.0%" 100
expect_not "no data" "HTTP 400: bad_data"
expect_not "http://127.0.0.1:$port" "HTTP 400: bad_data"
# the hostile reason is one line: nothing begins a line with "Status:" or "third"
capture
if grep -q '^ *Status: forged\|^ *third\|^ *reversed' "$T/screen"; then
	fail "the hostile error broke into lines"; sed 's/^/  screen: /' "$T/screen" >&2
else pass; fi
# a panel that had a value and then fails says so beside the stale value
: >"$T/flip"
expect "HTTP 500: internal: tsdb closed" 100
expect "42.0%" 5
# the metrics view gives the same reasons, whole
keys 5
expect "HTTP 422: execution: first line Status: forged �]52;c;ZXZpbA==��[2J� reversed third"
expect "HTTP 400: bad_data: 1:6: parse error: unexpected end of input in function call"
expect "HTTP 500: internal: tsdb closed after a while"
keys 1
TM pipe-pane -O -t 0 "cat >>'$T/raw'"
keys C-l
sleep 0.5
TM pipe-pane -t 0
never "$T/raw" "$(printf '\033]52')" "the server's OSC 52"
never "$T/raw" "$(printf '\342\200\256')" "the server's bidi override"
keys q
expect_exit 0

# the wallboard
start 200 30 no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 -- --config "$T/cfg/sitrep.conf" --store "$DB" --wallboard --wallboard-cycle 600
expect "badql: HTTP 400: bad_data: 1:6: parse" 100
expect "flip 42.0% stale: HTTP 500: internal"
keys q
expect_exit 0
finish
