# SPDX-License-Identifier: MIT
# lib.sh: helpers for the shell tests of the sitrep binary (sourced, POSIX sh + bash).
set -u

: "${SITREP:?SITREP must name the sitrep binary (make check sets it)}"
TEST_NAME=$(basename "$0" .sh)
T=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-test-$TEST_NAME-XXXXXX")
export XDG_CONFIG_HOME="$T/config" XDG_STATE_HOME="$T/state" XDG_CACHE_HOME="$T/cache"
export HOME="$T/home"
export NO_COLOR=1
unset SITREP_NOW
mkdir -p "$HOME"
failures=0
checks=0

LIB_MAIN_PID=$$
cleanup() {
	# A forked child (a background job killed before it exec'd) must not remove $T. The
	# command substitution forks; exec makes sh take that fork's place, so sh's parent is the
	# shell running this trap (without exec it was the fork, never $$, and $T stayed behind).
	[ "$(exec sh -c 'echo $PPID')" = "$LIB_MAIN_PID" ] || return 0
	rm -rf "$T"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

pass() {
	checks=$((checks + 1))
}

# run EXPECTED_STATUS CMD...: runs CMD, keeps stdout in $T/out and stderr in $T/err.
run() {
	want=$1
	shift
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" != "$want" ]; then
		fail "exit $got, wanted $want: $*"
		sed 's/^/  stdout: /' "$T/out" >&2
		sed 's/^/  stderr: /' "$T/err" >&2
	else
		pass
	fi
}

# expect_out TEXT / expect_err TEXT: the last run's stdout/stderr holds TEXT (fixed string).
expect_out() {
	if grep -qF -- "$1" "$T/out"; then pass; else
		fail "stdout lacks \"$1\""
		sed 's/^/  stdout: /' "$T/out" >&2
	fi
}
expect_err() {
	if grep -qF -- "$1" "$T/err"; then pass; else
		fail "stderr lacks \"$1\""
		sed 's/^/  stderr: /' "$T/err" >&2
	fi
}
expect_no_out() {
	if grep -qF -- "$1" "$T/out"; then
		fail "stdout has \"$1\""
	else pass; fi
}

# jq_is FILTER EXPECTED: jq on the last stdout.
jq_is() {
	got=$(jq -r "$1" "$T/out" 2>&1)
	if [ "$got" = "$2" ]; then pass; else fail "jq '$1' gave '$got', wanted '$2'"; fi
}

# served PID PORT_FILE: after starting a local test server (PID) that writes its port to
# PORT_FILE, waits for it (5 s at most), sets $port, and stops that PID at exit.
served() {
	srv=$1
	i=0
	# up to 30 s: a Python server starts slowly on a loaded 2-core machine; stop early if it died
	while [ ! -s "$2" ] && [ $i -lt 300 ] && kill -0 "$srv" 2>/dev/null; do
		sleep 0.1; i=$((i + 1))
	done
	port=$(cat "$2" 2>/dev/null)
	[ -n "$port" ] || { fail "the test server did not start"; finish; }
	trap 'kill $srv 2>/dev/null; cleanup' EXIT
}

# receiver LOG [TOKEN]: starts the local Slack stand-in (tests/cli/slack_receiver.py), which
# appends every message it accepts to LOG; sets $port (see served).
receiver() {
	: >"$1"
	python3 "$SRCDIR/tests/cli/slack_receiver.py" "$T/port" "$1" "${2:-xoxb-unused}" &
	served $! "$T/port"
}

# never FILE PATTERN WHAT: no byte sequence in FILE matches PATTERN (a grep pattern of raw bytes);
# otherwise a failure naming WHAT, with the first matches shown through cat -v.
never() {
	if LC_ALL=C grep -q "$2" "$1"; then
		fail "$3 reached the output:"
		LC_ALL=C grep -n "$2" "$1" | head -3 | cut -c1-200 | cat -v >&2
	else
		pass
	fi
}

# strict_json FILE WHAT: FILE holds one JSON document valid by RFC 8259 (Python's json with
# NaN, Infinity and -Infinity refused, the bytes valid UTF-8); otherwise a failure naming WHAT.
strict_json() {
	if python3 -c '
import json, sys
def refuse(c):
    raise ValueError("non-standard number " + c)
json.loads(open(sys.argv[1], "rb").read().decode("utf-8"), parse_constant=refuse)
' "$1" 2>"$T/strict_json.err"; then
		pass
	else
		fail "$2: not strict JSON: $(tail -1 "$T/strict_json.err") in $(head -c 200 "$1" | cat -v)"
	fi
}

finish() {
	echo "$TEST_NAME: $checks passed, $failures failed"
	[ "$failures" -eq 0 ]
	exit $?
}

# py_serve PORT_FILE REQUESTS: serves with the Python handler class H read from stdin (with
# the imports it needs) on 127.0.0.1 at a free port, written to PORT_FILE; one request at a
# time, stopping after REQUESTS requests or idle seconds. Run it in the background, then
# `served $! PORT_FILE`.
py_serve() {
	{
		cat
		printf '%s\n' 'import socketserver as _ss, sys as _sys' \
			'with _ss.TCPServer(("127.0.0.1", 0), H) as _s:' \
			'    open(_sys.argv[1], "w").write(str(_s.server_address[1]))' \
			'    _s.timeout = 1' \
			"    for _ in range($2):" \
			'        _s.handle_request()'
	} >"$1.py"
	exec python3 "$1.py" "$1"
}

# --- the whole store's round trip, shared by tests/cli/store.sh and integration/store_pg.sh ---
# full_store_conf PORT: $T/c.conf with a rotation and a Slack target whose webhook (on PORT, a
# closed one) refuses connections.
full_store_conf() {
	export HOOK_REFUSED="http://127.0.0.1:$1/hook/ok/r"
	cat >"$T/c.conf" <<CONF
[rotation primary]
members = alice, bob
handoff = mon 09:00
timezone = UTC
[slack refused]
webhook_env = HOOK_REFUSED
CONF
}
# full_store_fill CMD: through CMD (sitrep on the source store) an incident with a summary, two
# action items (one done), an override and a message left pending; FULL_INC is its id.
full_store_fill() {
	run 0 "$1" incident new --sev P1 --title "checkout down"
	FULL_INC=$(sed -n 's/^\(INC-[0-9]*-[0-9]*\):.*/\1/p' "$T/out")
	run 0 "$1" incident set "$FULL_INC" summary "the cache fell over"
	run 0 "$1" incident action "$FULL_INC" "alert on cache misses" --owner bob --due 2026-03-10
	run 0 "$1" incident action "$FULL_INC" "runbook" --owner carol --due 2026-03-05 --kind process
	run 0 "$1" action done A2
	run 0 "$1" oncall override primary --who dana --from 2026-03-01T12:00:00Z \
		--until 2026-03-02T12:00:00Z
	run 0 "$1" slack "$FULL_INC" update --to refused --send
}
# full_store_migrate FROM TO: the first copy takes everything and verifies it on the target
# (FULL_SUM: the source's checksum); a second one copies nothing. After each copy the command
# in FULL_KEEP runs, when set (store_pg.sh keeps every output to look for its password).
full_store_migrate() {
	run 0 "$SITREP" --config "$T/c.conf" store migrate --from "$1" --to "$2"
	${FULL_KEEP:-:}
	expect_out "copied 1 overrides, 1 outbox messages"
	expect_out "both: 2 action items, 1 overrides, 1 outbox messages; the chains of 6 events verified on the target"
	FULL_SUM=$(sed -n 's/^source: .*checksum \([0-9a-f]*\)$/\1/p' "$T/out")
	expect_out "target: 1 incidents, 6 events, checksum $FULL_SUM (verified)"
	run 0 "$SITREP" --config "$T/c.conf" store migrate --from "$1" --to "$2"
	${FULL_KEEP:-:}
	expect_out "copied 0 incidents (0 events), 1 already there"
	expect_out "copied 0 overrides, 0 outbox messages"
}
