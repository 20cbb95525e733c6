# SPDX-License-Identifier: MIT
# why.sh: the console says why (issue 11), at 80x24, against a local Alertmanager that answers
# 401 and echoes every credential it is sent. Nothing was ever fetched, so the dashboard, the
# alerts view and the wallboard say "No alerts known — Alertmanager main: ... HTTP 401 ..." where
# the alerts would be, never "No firing alerts", "No alerts" or "data 0s old"; the secrets
# (token, password, header value) never reach the terminal. The clipboard (OSC 52, captured with
# pipe-pane and base64-decoded) carries the Slack text sanitised like the screen: no ESC, OSC,
# BEL, C1 or bidi control from a hostile title, and no secret of the configuration.
. "$SRCDIR/tests/tui/tmux.sh"
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }

C1=canaryTOKENaa11 C2=canaryPASSbb22 C3=canaryHEADERdd44
port_file="$T/port"
py_serve "$port_file" 240 <<'PY' &
import http.server, socketserver, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        echo = "; ".join("%s: %s" % kv for kv in self.headers.items())
        body = ("401 Unauthorized: you sent " + echo).encode()
        self.send_response(401); self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    do_POST = do_GET
    def log_message(self, *a): pass
PY
served $! "$port_file"

mkdir -p "$T/cfg"
cat >"$T/cfg/sitrep.conf" <<EOF
[alertmanager main]
url = http://127.0.0.1:$port/
token = $C1
interval = 2s

[alertmanager backup]
url = http://127.0.0.1:$port/
username = ops
password = $C2
header = X-Api-Key: $C3
interval = 2s

[slack ops]
webhook = https://hooks.example.invalid/services/$C1
EOF
chmod 600 "$T/cfg/sitrep.conf"
B2=$(printf 'ops:%s' "$C2" | base64)
DB="$T/s.db"
# a hostile title: an OSC 52 write of its own, a clear-screen CSI, a C1 CSI, a bidi override
evil=$(printf 'Pool\033]52;c;ZXZpbA==\007 \033[2J\302\233 \342\200\256 exhausted')
"$SITREP" --config "$T/cfg/sitrep.conf" --store "$DB" incident new --sev P2 \
	--title "$evil" >/dev/null 2>&1 || fail "incident new"

start 80 24 -- --config "$T/cfg/sitrep.conf" --store "$DB"
TM pipe-pane -O -t 0 "cat >>'$T/raw'"
expect "Open incidents: 1"
# the dashboard: where the alerts would be, what is known
expect "No alerts known — Alertmanager main: http://127.0.0.1:$port/: HTTP 401"
expect_not "No firing alerts" "No alerts known"
# the alerts view
keys 2
expect "No alerts known"
expect_not "No alerts." "No alerts known"
# the clipboard: the Slack text of the incident, copied with y
keys 6
expect "Slack preview"
keys y
expect "to the clipboard (OSC 52)"
keys 1
keys C-l
sleep 0.3
TM pipe-pane -t 0
[ -s "$T/raw" ] && pass || fail "pipe-pane captured nothing"
for c in "$C1" "$C2" "$C3" "$B2"; do
	never "$T/raw" "$c" "a secret ($c) on the console's screen"
done
# the OSC 52 payload, decoded
python3 - "$T/raw" "$T/clip" <<'PY' || fail "no OSC 52 payload in the console's output"
import base64, re, sys
raw = open(sys.argv[1], "rb").read()
m = re.findall(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07", raw)
if not m:
    sys.exit(1)
open(sys.argv[2], "wb").write(base64.b64decode(m[-1]))
PY
if [ -s "$T/clip" ]; then pass; else fail "empty clipboard payload"; fi
grep -q "exhausted" "$T/clip" && pass || fail "the clipboard lacks the title: $(head -c 300 "$T/clip" | cat -v)"
never "$T/clip" "$(printf '\033')" "an ESC in the clipboard"
never "$T/clip" "$(printf '\007')" "a BEL in the clipboard"
never "$T/clip" "$(printf '\302[\200-\237]')" "a C1 control in the clipboard"
never "$T/clip" "$(printf '\342\200[\252-\256]')" "a bidi override in the clipboard"
for c in "$C1" "$C2" "$C3" "$B2"; do
	never "$T/clip" "$c" "a secret ($c) in the clipboard"
done
keys q
expect_exit 0

# the wallboard: the reason, not "data 0s old" for data never fetched
start 80 24 -- --config "$T/cfg/sitrep.conf" --store "$DB" --wallboard
expect "STALE: am ERR: No alerts known — Alertmanager"
expect_not "data 0s old" "am ERR: No alerts known"
keys q
expect_exit 0
finish
