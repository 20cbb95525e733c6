# SPDX-License-Identifier: MIT
# multi_am.sh: two real Alertmanagers fed by one Prometheus: sitrep merges their alerts by
# fingerprint, tags each with both instances, and sends a silence to the one chosen.
set -u
. "$SRCDIR/tests/integration/servers.sh"
srv_need "$PROM_BIN" "$AM_BIN" "$AMTOOL"
command -v jq >/dev/null 2>&1 || { echo "SKIP: jq missing"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 missing"; exit 77; }

srv_setup
srv_start_am || exit 1
A_URL=$AM_URL A_PORT=$AM_PORT
srv_start_am || exit 1
B_URL=$AM_URL B_PORT=$AM_PORT
AM_TARGETS="'127.0.0.1:$A_PORT', '127.0.0.1:$B_PORT'"
srv_start_prom || exit 1
printf '[general]\nuser = multi\n[alertmanager a]\nurl = %s\n[alertmanager b]\nurl = %s\n' \
	"$A_URL" "$B_URL" > "$SRV_DIR/m.conf"
chmod 600 "$SRV_DIR/m.conf"
S() { "$SITREP" --config "$SRV_DIR/m.conf" --store "$SRV_DIR/m.db" "$@"; }
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
jqt() { test "$(jq "$@" 2>/dev/null)" = true; }

if srv_until "S alerts --json | jqt '[.alerts[] | select(.labels.alertname == \"SitrepTestFiring\")] | length == 1 and .[0].instances == [\"a\", \"b\"]'" 150; then
	ok "one alert from two instances, tagged with both"
else
	fail "merge: $(S alerts --json)"
fi
S alerts | grep -q "SitrepTestFiring.*a,b" && ok "instances column" || fail "table: $(S alerts)"
id=$(S silence add SitrepTestFiring --comment "only b" --for 5m --instance b)
"$AMTOOL" --alertmanager.url="$B_URL" silence query -q | grep -qx "$id" && ok "silence on b" ||
	fail "silence $id not on b"
"$AMTOOL" --alertmanager.url="$A_URL" silence query -q | grep -q . && fail "silence leaked to a" ||
	ok "a untouched"
# Silenced on b, active on a: still active (active anywhere wins), and listed once.
srv_until "S alerts --json --silenced | jqt '.alerts[0].silenced_by | length == 1'" 50 &&
	S alerts --json | jqt '.alerts | length == 1 and .[0].state == "active"' &&
	ok "active on one instance wins" || fail "state merge: $(S alerts --json --silenced)"
S silence list | grep -q "$id.*only b.*b$" && ok "silence list names the instance" ||
	fail "silence list: $(S silence list)"
S silence expire "$id" >/dev/null && ok "expire finds it on b" || fail "expire"
test $fails -eq 0
