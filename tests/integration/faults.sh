# SPDX-License-Identifier: MIT
# faults.sh: the feed commands against a misbehaving local server (tests/unit/http_server.py):
# unreachable, HTTP errors, garbage, hangs, hostile labels, secrets kept out of messages,
# usage errors. Needs only python3 and jq.
set -u
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 missing"; exit 77; }
command -v jq >/dev/null 2>&1 || { echo "SKIP: jq missing"; exit 77; }

DIR=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-faults.XXXXXX")
SRV_PID=""
cleanup() {
	if test -n "$SRV_PID" && tr '\0' ' ' < "/proc/$SRV_PID/cmdline" 2>/dev/null |
	   grep -q http_server.py; then
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
	fi
	rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

python3 "$SRCDIR/tests/unit/http_server.py" > "$DIR/port" 2>"$DIR/server.log" &
SRV_PID=$!
i=0
while test $i -lt 100 && ! test -s "$DIR/port"; do sleep 0.1; i=$((i + 1)); done
PORT=$(head -n 1 "$DIR/port")
test -n "$PORT" || { echo "FAIL: test server did not start"; exit 1; }
U="http://127.0.0.1:$PORT"
set_answer() { curl -fsS -o /dev/null -XPOST --data-binary "$3" "$U/set?path=$1&status=$2"; }

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
jqt() { test "$(jq "$@" 2>/dev/null)" = true; }

conf() {
	cat > "$DIR/c.conf"
	chmod 600 "$DIR/c.conf"
}
S() { "$SITREP" --config "$DIR/c.conf" --store "$DIR/s.db" "$@" >"$DIR/out" 2>"$DIR/err"; }

# --- unreachable: the URL and curl's reason, exit 1; credentials never shown ---
conf <<EOF
[prometheus]
url = http://bob:hunter2secret@127.0.0.1:1/prom
token = tok-abcdef-secret
[alertmanager main]
url = http://127.0.0.1:1/am
[check down]
url = http://127.0.0.1:1/health
EOF
S query up; rc=$?
test $rc -eq 1 && grep -q "GET http://\*\*\*@127.0.0.1:1/prom/api/v1/query?query=up" "$DIR/err" &&
	grep -q "Couldn't connect" "$DIR/err" && ok "unreachable prometheus" ||
	fail "unreachable (rc $rc): $(cat "$DIR/err")"
grep -q "hunter2secret\|tok-abcdef" "$DIR/out" "$DIR/err" && fail "a credential was printed" ||
	ok "credentials not printed"
S alerts; rc=$?
test $rc -eq 1 && grep -q "127.0.0.1:1/am/api/v2/alerts" "$DIR/err" && grep -q "STALE  main: no data" "$DIR/out" &&
	ok "unreachable alertmanager" || fail "unreachable am (rc $rc): $(cat "$DIR/out" "$DIR/err")"
S check; rc=$?
test $rc -eq 1 && grep -q "down  *FAIL" "$DIR/out" && ok "failing check" || fail "check rc $rc"

# --- HTTP errors carry the server's own message; garbage is "unexpected response" ---
conf <<EOF
[prometheus]
url = $U/p
[alertmanager main]
url = $U/a
[check wrongstatus]
url = $U/p/api/v1/query
expect_status = 204
EOF
set_answer /p/api/v1/query 422 '{"status":"error","errorType":"execution","error":"many-to-many matching not allowed"}'
S query 'a / b'; rc=$?
test $rc -eq 1 && grep -q "HTTP 422: execution: many-to-many matching not allowed" "$DIR/err" &&
	ok "prometheus error envelope" || fail "envelope (rc $rc): $(cat "$DIR/err")"
S check; rc=$?
test $rc -eq 1 && grep -q "expected HTTP 204" "$DIR/out" && ok "unexpected status fails the check" ||
	fail "check status (rc $rc): $(cat "$DIR/out")"
set_answer /p/api/v1/query 200 '<html>captive portal</html>'
S query up; rc=$?
test $rc -eq 1 && grep -q "unexpected response from $U/p/api/v1/query?query=up: not a JSON object" "$DIR/err" &&
	ok "garbage" || fail "garbage (rc $rc): $(cat "$DIR/err")"
set_answer /p/api/v1/query 200 '{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":"x"}]}}'
S query up; rc=$?
test $rc -eq 1 && grep -q "data.result\[0\].value is not \[time, \"number\"\]" "$DIR/err" &&
	ok "wrong shape named" || fail "shape (rc $rc): $(cat "$DIR/err")"
set_answer /a/api/v2/alerts 500 'bad gateway'
S alerts --json; rc=$?
test $rc -eq 1 && grep -q "HTTP 500: bad gateway" "$DIR/err" && jqt '.alerts == [] and .stale[0].fetched_at == null' < "$DIR/out" &&
	ok "alertmanager 500" || fail "am 500 (rc $rc): $(cat "$DIR/out" "$DIR/err")"
set_answer /a/api/v2/silences 400 '"bad matcher format: x"'
S silence list; rc=$?
test $rc -eq 1 && grep -q "HTTP 400: bad matcher format: x" "$DIR/err" && ok "silence error" ||
	fail "silence error (rc $rc): $(cat "$DIR/err")"

# --- hostile text from the server never reaches the terminal raw ---
set_answer /a/api/v2/alerts 200 '[{"labels":{"alertname":"Evil\u001b]0;pwned\u0007","severity":"critical","x":"\u001b[2J\u202egnp.exe"},"annotations":{"summary":"line1\nline2\u001b[31m"},"fingerprint":"e1","receivers":[],"startsAt":"2026-11-23T19:00:00Z","endsAt":"2030-01-01T00:00:00Z","updatedAt":"2026-11-23T19:00:00Z","status":{"state":"active","silencedBy":[],"inhibitedBy":[]}}]'
S alerts; rc=$?
if test $rc -eq 0 && grep -q "Evil" "$DIR/out" && ! grep -q "$(printf '\033')" "$DIR/out" &&
   ! grep -q "$(printf '\007')" "$DIR/out" && ! grep -q "$(printf '\342\200\256')" "$DIR/out"; then
	ok "hostile labels sanitised in the table"
else
	fail "hostile labels (rc $rc): $(od -c "$DIR/out" | head)"
fi
S alerts --json; rc=$?
test $rc -eq 0 && ! grep -q "$(printf '\033')" "$DIR/out" &&
	jqt '.alerts[0].labels.alertname == "Evil\u001b]0;pwned\u0007"' < "$DIR/out" &&
	ok "hostile labels escaped in JSON, intact after decoding" || fail "hostile json: $(cat "$DIR/out")"

# --- answers read while they arrive: a large one whole, a broken one not at all ---
python3 - > "$DIR/big.json" <<'PY'
import json
print(json.dumps([{"labels": {"alertname": "Big%d" % (i % 40), "severity": "warning", "i": str(i)},
                   "annotations": {"summary": "alert \"%d\" ]}[{ with brackets" % i},
                   "fingerprint": "%016x" % i, "startsAt": "2026-11-23T19:00:00Z",
                   "status": {"state": "active", "silencedBy": [], "inhibitedBy": []}}
                  for i in range(20000)]))
PY
curl -fsS -o /dev/null -XPOST --data-binary "@$DIR/big.json" "$U/set?path=/a/api/v2/alerts&status=200"
S alerts --json; rc=$?
test $rc -eq 0 && jqt '(.alerts | length) == 20000 and .alerts[19999].labels.i == "19999" and .stale == []' < "$DIR/out" &&
	ok "20,000 alerts streamed" || fail "big answer (rc $rc): $(head -c 300 "$DIR/err")"
if command -v sqlite3 >/dev/null 2>&1; then
	test "$(sqlite3 "$DIR/s.db" "SELECT length(body) FROM feed_cache WHERE source = 'alerts:main'")" = \
		"$(wc -c < "$DIR/big.json" | tr -d ' ')" &&
		test "$(sqlite3 "$DIR/s.db" "SELECT hex(substr(body, -64)) FROM feed_cache WHERE source = 'alerts:main'")" = \
		"$(tail -c 64 "$DIR/big.json" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" &&
		ok "the streamed answer is cached byte for byte" || fail "cached copy differs"
fi
# TMPDIR missing: the spool falls back to /tmp (not under valgrind, which needs TMPDIR itself).
if test -z "${SITREP_REAL:-}"; then
	TMPDIR=/nonexistent/sitrep S alerts --json; rc=$?
	test $rc -eq 0 && jqt '(.alerts | length) == 20000' < "$DIR/out" &&
		ok "TMPDIR missing: the spool falls back to /tmp" ||
		fail "no TMPDIR (rc $rc): $(cat "$DIR/err")"
fi
# A full disk (a 1 MB file-size limit) mid-answer: the spools go on in memory, the answer is
# whole; only the last-good copy cannot be kept.
cp "$DIR/s.db" "$DIR/s.db.keep"
( ulimit -f 1024; "$SITREP" --config "$DIR/c.conf" --store "$DIR/s.db" alerts --json 2>"$DIR/err"
  echo $? > "$DIR/rc" ) | cat > "$DIR/out"	# a pipe: the output itself is not limited
rc=$(cat "$DIR/rc")
test $rc -eq 0 && jqt '(.alerts | length) == 20000 and .alerts[19999].labels.i == "19999"' < "$DIR/out" &&
	ok "disk full mid-answer: the whole answer all the same" ||
	fail "disk full mid-answer (rc $rc): $(head -c 300 "$DIR/err")"
cp "$DIR/s.db.keep" "$DIR/s.db"
rm -f "$DIR/s.db-wal" "$DIR/s.db-shm"
# Broken at the third alert: nothing of it printed; the cached answer, marked STALE.
set_answer /a/api/v2/alerts 200 '[{"labels":{"alertname":"N1"},"fingerprint":"n1"},{"labels":{"alertname":"N2"},"fingerprint":"n2"},{"labels":{"alertname":]}]'
S alerts --json; rc=$?
test $rc -eq 1 && grep -q "unexpected response from $U/a/api/v2/alerts?.*: invalid JSON in alert 2" "$DIR/err" &&
	jqt '(.alerts | length) == 20000 and ([.alerts[] | select(.labels.alertname == "N1")] == []) and .stale[0].age_seconds != null' < "$DIR/out" &&
	ok "broken mid-answer: nothing of it shown, last good data STALE" ||
	fail "broken mid-answer (rc $rc): $(cat "$DIR/err"; head -c 300 "$DIR/out")"
S alerts; rc=$?
test $rc -eq 1 && grep -q "STALE  main: last good data" "$DIR/out" && ! grep -q "N1" "$DIR/out" &&
	ok "broken mid-answer in the table" || fail "broken table (rc $rc): $(head -5 "$DIR/out")"

# --- a hanging server times out, with the URL ---
set_answer /h/api/v1/query 0 never	# status 0: the server accepts and never answers
conf <<EOF
[prometheus]
url = $U/h
timeout = 1s
EOF
start=$(date +%s)
S query up; rc=$?
took=$(( $(date +%s) - start ))
# The bound says "it did not hang": generous, because valgrind on a loaded machine starts slowly.
test $rc -eq 1 && test $took -le 20 && grep -q "Timeout was reached" "$DIR/err" && grep -q "$U/h/api/v1/query" "$DIR/err" &&
	ok "hang times out (${took}s)" || fail "hang (rc $rc, ${took}s): $(cat "$DIR/err")"

# --- usage ---
S query; test $? -eq 2 && ok "query without EXPR is a usage error" || fail "query usage"
S query up --range banana; test $? -eq 2 && ok "bad --range" || fail "bad --range"
S query up --step 5s; test $? -eq 2 && ok "--step without --range" || fail "--step alone"
S silence add alertname=X; test $? -eq 2 && grep -q "needs --comment" "$DIR/err" && ok "comment required" ||
	fail "silence without comment"
S silence frob; test $? -eq 2 && ok "unknown silence subcommand" || fail "silence frob"
for c in query alerts silence check; do
	S "$c" --help; test $? -eq 0 && grep -q "usage: sitrep $c" "$DIR/out" || fail "$c --help"
done
ok "--help on each command"
"$SITREP" --config "$DIR/c.conf" --store "$DIR/s.db" --readonly silence add a=b --comment x \
	>/dev/null 2>&1; test $? -eq 1 && ok "--readonly refuses a silence" || fail "readonly"

test $fails -eq 0
