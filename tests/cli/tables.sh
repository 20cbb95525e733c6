# SPDX-License-Identifier: MIT
# tables.sh: CLI tables (`incident list`, `alerts`, `check`, `silence list`) fit an 80-column
# terminal (columns shortened or dropped by priority, identifiers never cut) and are whole when
# piped: an error message is never cut (issue 12). The terminal is a real pty (script(1)).
. "$SRCDIR/tests/lib.sh"

command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
command -v script >/dev/null || { echo "script (util-linux) missing"; exit 77; }

port_file="$T/port"
python3 - >"$T/routes.json" <<'PY'
import json
def alert(i):
    return {"labels": {"alertname": "CheckoutLatencyHigh%d" % i, "severity": "critical",
                       "instance": "checkout-%d.eu-west-1.prod.example.com:9100" % i,
                       "service": "checkout-payments-gateway", "team": "payments"},
            "annotations": {"summary": "p99 latency of the checkout API above 2 s for 10 minutes "
                                       "on instance %d, customers see timeouts" % i},
            "startsAt": "2026-11-23T03:00:00Z", "endsAt": "2026-11-23T04:00:00Z",
            "updatedAt": "2026-11-23T03:00:00Z", "fingerprint": "f%015d" % i,
            "status": {"state": "active", "silencedBy": [], "inhibitedBy": []}, "receivers": []}
print(json.dumps({"/api/v2/alerts": {"status": 200, "body": [alert(1), alert(2)]}}))
PY
python3 "$SRCDIR/tests/json_server.py" "$T/routes.json" "$port_file" 600 &
served $! "$port_file"
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

CONF="$T/sitrep.conf"
cat >"$CONF" <<CONF
[alertmanager main]
url = http://127.0.0.1:$port

[check payments-gateway-health-endpoint-in-the-eu-region]
url = http://127.0.0.1:$dead/a/rather/long/path/to/the/health/endpoint/of/the/gateway
timeout = 2s

[check api]
url = http://127.0.0.1:$port/health
CONF
chmod 600 "$CONF"
S() { "$SITREP" --config "$CONF" --store "$T/s.db" "$@"; }

# tty COLS CMD...: runs the command on a COLS x 24 pseudo-terminal; output in $T/out.
tty() {
	cols=$1
	shift
	NO_COLOR=1 SITREP_NOW=${SITREP_NOW:-} script -qec "stty cols $cols rows 24; $*" /dev/null |
		tr -d '\r' >"$T/out"
}
# widest: the widest line of $T/out in columns.
widest() {
	python3 -c 'import sys; print(max([len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")] or [0]))' "$T/out"
}
fits() {
	w=$(widest)
	if [ "$w" -le "$1" ]; then pass; else fail "$2: $w columns on a $1-column terminal"; cat "$T/out" >&2; fi
}

# --- incident list ---
export SITREP_NOW=2026-11-23T03:12:00Z
S incident new --sev P1 --title "Checkout API 5xx for all customers in the EU region since the deploy of 14:02" >/dev/null
S incident new --sev P3 --title "Backup failed" >/dev/null
export SITREP_NOW=2026-11-23T03:30:00Z
tty 80 "$SITREP" --config "$CONF" --store "$T/s.db" incident list
fits 80 "incident list"
expect_out "DUE"
expect_out "INC-2026-001 P1  triggered     L2  respond 3m00s OVERDUE"
expect_out "INC-2026-002 P3  triggered     L1  update 1h42m left"
expect_out "Checkout API 5xx for"
tty 100 "$SITREP" --config "$CONF" --store "$T/s.db" incident list
fits 100 "incident list at 100"
expect_out "AGE"
run 0 S incident list
expect_out "RESPOND         RESOLVE         NEXT UPDATE"
expect_out "Checkout API 5xx for all customers in the EU region since the deploy of 14:02"
unset SITREP_NOW

# --- alerts ---
tty 80 "$SITREP" --config "$CONF" --store "$T/s.db" alerts
fits 80 "alerts"
expect_out "CheckoutLatencyHigh1"
expect_out "CheckoutLatencyHigh2"
expect_out "SUMMARY"
run 0 S alerts
expect_out "checkout-1.eu-west-1.prod.example.com:9100"
expect_out "customers see timeouts"

# --- check: an error message is never cut when piped ---
tty 80 "$SITREP" --config "$CONF" --store "$T/s.db" check
fits 80 "check"
expect_out "payments-gateway-health-endpoint-in-the-eu-region"
expect_out "FAIL"
run 1 S check
expect_out "/a/rather/long/path/to/the/health/endpoint/of/the/gateway: Couldn't connect to server"
expect_out "expected HTTP 200 from http://127.0.0.1:$port/health"
finish
