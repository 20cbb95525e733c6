# SPDX-License-Identifier: MIT
# secrets.sh: tokens and passwords from the config never appear in any output, --json or error,
# and a config holding one inline must be private (chmod 600).
. "$SRCDIR/tests/lib.sh"

command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
command -v sqlite3 >/dev/null && command -v jq >/dev/null || { echo "sqlite3/jq missing"; exit 77; }
C1=canaryTOKENaa11 C2=canaryPASSbb22 C3=canaryUSERINFOcc33 C4=canaryHEADERdd44
C5=canaryFILEee55 C6=canaryENVff66 C7=canaryRESERVEDgg77 C8=canaryPCTENChh88
# what the server sees of them: basic auth as base64, a percent-encoded password decoded
B2=$(printf 'ops:%s' "$C2" | base64) B3=$(printf 'ops:%s' "$C3" | base64)
B8=$(printf 'ops:p/ss%s' "$C8" | base64)
# message targets: an inline webhook URL, a bot token, a webhook URL from the environment
C9=canaryHOOKii99 C10=canaryBOTTOKENjj00 C11=canaryMMHOOKkk11
printf '%s\n' "$C5" >"$T/token_file"
export SITREP_TEST_TOKEN="$C6"

# A local server that echoes every credential it is sent: a 401 whose body repeats the
# Authorization header and every other header, and (for the Alertmanager that sends an X-Api-Key)
# a 200 alert list whose annotations repeat them, so the echo reaches the store's cached body.
port_file="$T/port"
py_serve "$port_file" 300 <<'PY' &
import http.server, json, socketserver, sys
class H(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body, ctype="text/plain"):
        self.send_response(code); self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        echo = "; ".join("%s: %s" % kv for kv in self.headers.items())
        if self.path.startswith("/api/v2/alerts") and "X-Api-Key" in self.headers:
            a = {"labels": {"alertname": "Echo", "severity": "warning"},
                 "annotations": {"summary": echo, "description": echo},
                 "startsAt": "2026-11-23T03:00:00Z", "endsAt": "2026-11-23T04:00:00Z",
                 "updatedAt": "2026-11-23T03:00:00Z", "fingerprint": "e000000000000001",
                 "status": {"state": "active", "silencedBy": [], "inhibitedBy": []},
                 "receivers": [{"name": "r"}]}
            self.reply(200, json.dumps([a]).encode(), "application/json")
        elif self.path.startswith("/healthz") or self.command == "POST" and (
                self.path.startswith("/services/") or self.path.startswith("/hooks/") or
                self.path.startswith("/api/chat.postMessage")):
            # the message targets: a 500 that repeats the request line (a webhook URL's
            # path is its secret) and every header (the bot token)
            self.reply(500, ("internal error; you sent %s %s; %s" %
                             (self.command, self.path, echo)).encode())
        else:
            self.reply(401, ("401 Unauthorized: you sent " + echo).encode())
    do_POST = do_GET
    do_DELETE = do_GET
    def log_message(self, *a): pass
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
[alertmanager slash]
url = http://ops:pa/ss$C7@127.0.0.1:$port/
[alertmanager query]
url = http://ops:pa?ss$C7@127.0.0.1:$port/
[alertmanager hash]
url = http://ops:pa#ss$C7@127.0.0.1:$port/
[alertmanager at]
url = http://ops:p@ss$C7@127.0.0.1:$port/
[alertmanager pct]
url = http://ops:p%2Fss$C8@127.0.0.1:$port/
[slack hook]
webhook = http://127.0.0.1:$port/services/$C9
[slack bot]
token = $C10
channel = C1
api_url = http://127.0.0.1:$port/api
[mattermost mm]
webhook_env = SITREP_TEST_HOOK
EOF2
export SITREP_TEST_HOOK="http://127.0.0.1:$port/hooks/$C11"
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
collect S check --json
collect S alerts --json
# status messages through every target (the server answers 500: they stay pending)
for to in hook bot mm; do collect S slack INC-2026-001 update --send --to $to --wait 0; done
collect S outbox list
collect S outbox list --all --json
collect S outbox flush --wait 0
collect S slack INC-2026-001 --format blocks

# every channel: stdout and stderr of every command, and the store (cached bodies included)
sqlite3 "$T/s.db" .dump >"$T/store.dump" 2>&1 || fail "cannot dump the store"
# the cached bodies as text (the dump writes blobs in hex)
sqlite3 "$T/s.db" "SELECT source, CAST(body AS TEXT) FROM feed_cache" >>"$T/store.dump"
cat "$T/s.db" "$T/s.db-wal" >"$T/store.raw" 2>/dev/null
for c in "$C1" "$C2" "$C3" "$C4" "$C5" "$C6" "$C7" "$C8" "$C9" "$C10" "$C11" "$B2" "$B3" "$B8"; do
	for f in "$T/all" "$T/store.dump" "$T/store.raw"; do
		if grep -aqF "$c" "$f"; then
			fail "secret $c leaked into $(basename "$f"):"
			grep -aF "$c" "$f" | head -3 | cut -c1-300 >&2
		else pass; fi
	done
done
# the requests really went out, were echoed and failed visibly (so the outputs above are the
# error paths), and the echoing 200 answer was cached with the credentials scrubbed
grep -q "500" "$T/all" && pass || fail "no HTTP 500 reported: $(head -20 "$T/all")"
grep -q "401 Unauthorized: you sent" "$T/all" && pass || fail "no echoed 401 reported"
grep -q "Authorization: Bearer \*\*\*" "$T/all" && pass || fail "the echoed token is not shown scrubbed"
grep -q "X-Api-Key: \*\*\*" "$T/store.dump" && pass || fail "no scrubbed echo in the cached body"
# --json stays valid after scrubbing
S alerts --json >"$T/am.json" 2>/dev/null
strict_json "$T/am.json" "alerts --json with echoed credentials"
jq -e '.stale | length >= 1' "$T/am.json" >/dev/null && pass || fail "no stale[] errors in alerts --json"
grep -q "HTTP 500 from hook" "$T/all" && pass || fail "the webhook was not tried"
grep -q "HTTP 500 from bot" "$T/all" && pass || fail "the bot token was not tried"
grep -q "HTTP 500 from mm" "$T/all" && pass || fail "the Mattermost webhook was not tried"
# an echoed credential is an error path: none of them may crash (silence add against seven
# failing Alertmanagers freed one error twice)
if grep -q '^\[exit 1[2-9][0-9]\]' "$T/all"; then
	fail "a command died of a signal: $(grep '^\[exit 1[2-9][0-9]\]' "$T/all" | head -3)"
else pass; fi

# secrets typed into stored text (title, impact, note, cause, resolution) are in the store, as
# typed, but reach no output: list, show, --json, --csv, exports (md, json, -o FILE), messages
# in every format (printed, -o FILE, and the payload queued in the outbox for the receiver)
T2() { "$SITREP" --config "$cfg" --store "$T/typed.db" "$@"; }
nl='
'
: >"$T/typed"
typed() {
	"$@" >>"${TYPED:-$T/typed}" 2>&1
	echo "[exit $?]" >>"${TYPED:-$T/typed}"	# not the command: its arguments hold the secrets
}
typed T2 incident new --sev P1 --title "pasted $C1 by mistake" \
	--impact "hook http://127.0.0.1:$port/services/$C9${nl}and $C10"
typed T2 incident note INC-2026-001 "password $C2${nl}basic $B2 header $C4 file $C5 env $C6"
typed T2 incident set INC-2026-001 cause "userinfo $C3 and p/ss$C8"
typed T2 incident resolve INC-2026-001 --resolution "rotated $SITREP_TEST_HOOK"
for f in "" --json --csv; do typed T2 incident list --all $f; done
typed T2 incident show INC-2026-001
typed T2 incident show INC-2026-001 --json
typed T2 export INC-2026-001
typed T2 export INC-2026-001 --format json
typed T2 export INC-2026-001 -o "$T/export.md"
for fmt in text mrkdwn blocks mattermost; do
	typed T2 slack INC-2026-001 resolved --format $fmt
	typed T2 slack INC-2026-001 resolved --format $fmt -o "$T/msg.$fmt"
done
typed T2 slack INC-2026-001 resolved --send --to hook --wait 0
sqlite3 "$T/typed.db" "SELECT payload FROM outbox" >"$T/outbox.payload" 2>&1
cat "$T/export.md" "$T"/msg.* >>"$T/typed"
grep -q "pasted \*\*\* by mistake" "$T/typed" && pass || fail "the masked title is not shown"
grep -q "pasted \*\*\* by mistake" "$T/outbox.payload" && pass ||
	fail "no masked message in the outbox: $(head -c 300 "$T/outbox.payload")"
grep -qF "$C1" "$T/typed.db" && pass || fail "the store does not hold the title as typed"
for c in "$C1" "$C2" "$C3" "$C4" "$C5" "$C6" "$C8" "$C9" "$C10" "$C11" "$B2"; do
	for f in "$T/typed" "$T/outbox.payload"; do
		if grep -aqF "$c" "$f"; then
			fail "typed secret $c reached $(basename "$f"):"
			grep -aF "$c" "$f" | head -3 | cut -c1-300 >&2
		else pass; fi
	done
done
for j in "incident list --all --json" "incident show INC-2026-001 --json" \
	"export INC-2026-001 --format json" "slack INC-2026-001 resolved --format blocks"; do
	# shellcheck disable=SC2086
	T2 $j >"$T/j.json" 2>/dev/null
	strict_json "$T/j.json" "$j with masked secrets"
done

# a secret holding what the outputs escape ("&" in mrkdwn and HTML, "_" "*" "<" in Markdown,
# '"' and a backslash in JSON) is masked in its escaped form too: every channel masks after
# its own escaping, so the escaped forms are secrets as well
CE='canaryESC&x_y<z>*q"b\s'
cat >"$T/esc.conf" <<EOF2
[prometheus]
url = http://127.0.0.1:$port/
token = $CE

[slack hook]
webhook = http://127.0.0.1:$port/services/T0/B0/zz
EOF2
chmod 600 "$T/esc.conf"
T3() { "$SITREP" --config "$T/esc.conf" --store "$T/esc.db" "$@"; }
TYPED="$T/esc"
: >"$TYPED"
typed T3 incident new --sev P2 --title "pasted $CE by mistake" --impact "x $CE y"
typed T3 incident note INC-2026-001 "note $CE"
for f in "" --json --csv; do typed T3 incident list --all $f; done
typed T3 incident show INC-2026-001 --json
typed T3 export INC-2026-001
typed T3 export INC-2026-001 --format json
for fmt in text mrkdwn blocks mattermost; do
	typed T3 slack INC-2026-001 update --format $fmt
done
typed T3 slack INC-2026-001 update --send --to hook --wait 0
sqlite3 "$T/esc.db" "SELECT payload FROM outbox" >>"$TYPED" 2>&1
grep -c 'pasted \*\*\* by mistake' "$TYPED" >"$T/n" || :
[ "$(cat "$T/n")" -ge 10 ] && pass || fail "the escaped secret was not masked in every output: $(cat "$T/n"): $(head -c 600 "$TYPED")"
if grep -aq 'canaryESC' "$TYPED"; then
	fail "an escaped form of a secret reached an output:"
	grep -a 'canaryESC' "$TYPED" | head -5 | cut -c1-300 >&2
else pass; fi

# a config with an inline secret that others can read is refused, with the fix
chmod 644 "$cfg"
run 2 S incident list
expect_err "chmod 600"
for c in "$C1" "$C2" "$C3" "$C4" "$C7" "$C8" "$C9" "$C10"; do
	grep -qF "$c" "$T/err" "$T/out" && fail "secret $c in the refusal" || pass
done
# a password with each reserved character unencoded, alone in a 0644 file: still a secret
for ch in / '?' '#' @ ; do
	printf '[alertmanager x]\nurl = http://ops:pa%sss%s@127.0.0.1:%s/\n' "$ch" "$C7" "$port" >"$T/one.conf"
	chmod 644 "$T/one.conf"
	run 2 "$SITREP" --config "$T/one.conf" --store "$T/s.db" alerts
	expect_err "chmod 600"
	grep -qF "$C7" "$T/err" "$T/out" && fail "password with '$ch' printed" || pass
	chmod 600 "$T/one.conf"
	run 1 "$SITREP" --config "$T/one.conf" --store "$T/s.db" alerts
	grep -qF "$C7" "$T/err" "$T/out" && fail "password with '$ch' printed: $(cat "$T/err")" || pass
done
finish
