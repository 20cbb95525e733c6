# SPDX-License-Identifier: MIT
# secrets.sh: tokens and passwords from the config never appear in any output, --json or error,
# and a config holding one inline must be private (chmod 600).
. "$SRCDIR/tests/lib.sh"

command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
C1=canaryTOKENaa11 C2=canaryPASSbb22 C3=canaryUSERINFOcc33 C4=canaryHEADERdd44
C5=canaryFILEee55 C6=canaryENVff66
# message targets: an inline webhook URL, a bot token, a webhook URL from the environment
C7=canaryHOOKgg77 C8=canaryBOTTOKENhh88 C9=canaryMMHOOKii99
printf '%s\n' "$C5" >"$T/token_file"
export SITREP_TEST_TOKEN="$C6"

# A local server answering 500 (and echoing nothing secret) so requests really are sent.
port_file="$T/port"
python3 - "$port_file" <<'PY' &
import http.server, socketserver, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(500); self.send_header("Content-Type", "text/plain")
        self.end_headers(); self.wfile.write(b"internal error\n")
    do_POST = do_GET
    def log_message(self, *a): pass
with socketserver.TCPServer(("127.0.0.1", 0), H) as s:
    open(sys.argv[1], "w").write(str(s.server_address[1]))
    s.timeout = 1
    for _ in range(120):
        s.handle_request()
PY
served $! "$port_file"

cfg="$T/sitrep.conf"
cat >"$cfg" <<EOF2
[prometheus]
url = http://127.0.0.1:$port/
token = $C1

[alertmanager main]
url = http://ops:$C3@127.0.0.1:$port/
[alertmanager second]
url = http://127.0.0.1:$port/
username = ops
password = $C2
header = X-Api-Key: $C4
[alertmanager third]
url = http://127.0.0.1:1/
token_file = $T/token_file
[check api]
url = http://127.0.0.1:$port/healthz
token_env = SITREP_TEST_TOKEN
[slack hook]
webhook = http://127.0.0.1:$port/services/$C7
[slack bot]
token = $C8
channel = C1
api_url = http://127.0.0.1:$port/api
[mattermost mm]
webhook_env = SITREP_TEST_HOOK
EOF2
export SITREP_TEST_HOOK="http://127.0.0.1:$port/hooks/$C9"
chmod 600 "$cfg"

S() { "$SITREP" --config "$cfg" --store "$T/s.db" "$@"; }
: >"$T/all"
collect() {
	"$@" >>"$T/all" 2>&1
	echo "[exit $?] $*" >>"$T/all"
}
collect S alerts
collect S alerts --json
collect S alerts alertname=x --silenced --inhibited
collect S query up
collect S query up --json
collect S query 'rate(x[5m])' --range 1h
collect S silence list
collect S silence add alertname=x --for 1h --comment test
collect S silence expire 00000000-0000-0000-0000-000000000000
collect S check
collect S incident list --json
collect S --help
collect S incident new --sev P1 --title "secret check"
# status messages through every target (the server answers 500: they stay pending)
for to in hook bot mm; do collect S slack INC-2026-001 update --send --to $to --wait 0; done
collect S outbox list
collect S outbox list --all --json
collect S outbox flush --wait 0
collect S slack INC-2026-001 --format blocks

for c in "$C1" "$C2" "$C3" "$C4" "$C5" "$C6" "$C7" "$C8" "$C9"; do
	if grep -qF "$c" "$T/all"; then fail "secret $c leaked:"; grep -F "$c" "$T/all" | head -3 >&2; else pass; fi
done
# the requests really went out and failed visibly (so the outputs above are the error paths)
grep -q "500" "$T/all" && pass || fail "no HTTP 500 reported: $(head -20 "$T/all")"
grep -q "HTTP 500 from hook" "$T/all" && pass || fail "the webhook was not tried"
grep -q "HTTP 500 from bot" "$T/all" && pass || fail "the bot token was not tried"
grep -q "HTTP 500 from mm" "$T/all" && pass || fail "the Mattermost webhook was not tried"

# a config with an inline secret that others can read is refused, with the fix
chmod 644 "$cfg"
run 2 S incident list
expect_err "chmod 600"
for c in "$C1" "$C2" "$C3" "$C4" "$C7" "$C8"; do
	grep -qF "$c" "$T/err" "$T/out" && fail "secret $c in the refusal" || pass
done
finish
