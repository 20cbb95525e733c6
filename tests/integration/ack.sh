# SPDX-License-Identifier: MIT
# ack.sh: acknowledging alerts as silences (issue 16) against a real Alertmanager: `alerts ack`
# and `incident ack` make a silence on the alert's exact labels, by the user, commented
# "ACK! INC-... by USER", that amtool lists as an ordinary silence; `alerts --silenced` shows
# "acked by USER (INC-...)" apart from other silences; `incident tick` extends it while the
# incident is open and the alert fires, not once the alert stopped firing; resolving the
# incident expires it.
set -u
. "$SRCDIR/tests/integration/servers.sh"
srv_need "$AM_BIN" "$AMTOOL"
command -v jq >/dev/null 2>&1 || { echo "SKIP: jq missing"; exit 77; }
command -v curl >/dev/null 2>&1 || { echo "SKIP: curl missing"; exit 77; }
unset SITREP_NOW	# Alertmanager's clock is the real one; ticks later are set per command

srv_setup
srv_start_am || exit 1
srv_sitrep_conf
srv_test_helpers
am_sil() { curl -fsS "$AM_URL/api/v2/silence/$1"; }
# post LABELS-JSON [ENDS]: one alert, firing for an hour unless ENDS (RFC 3339) says otherwise
post() {
	ends=${2:-$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)}
	printf '[{"labels":%s,"annotations":{"summary":"s"},"endsAt":"%s"}]' "$1" "$ends" |
		curl -fsS -H 'Content-Type: application/json' --data @- "$AM_URL/api/v2/alerts" >/dev/null ||
		fail "POST alert $1"
}
post '{"alertname":"DiskFull","instance":"db-1","severity":"critical"}'
post '{"alertname":"HighLatency","instance":"web-1","severity":"warning"}'
post '{"alertname":"Other","instance":"x","severity":"info"}'
n3() { test "$(curl -fsS "$AM_URL/api/v2/alerts" | jq length)" = 3; }
srv_until n3 50 || fail "Alertmanager does not list the three alerts"
fp() { curl -fsS "$AM_URL/api/v2/alerts?filter=alertname%3D$1" | jq -r '.[0].fingerprint'; }

# --- sitrep alerts ack: exact labels, the user, the comment; amtool sees an ordinary silence ---
S alerts ack alertname=HighLatency >"$SRV_DIR/out" 2>&1; rc=$?
sid=$(sed -n 's/.*: silence \([0-9a-f-]*\)$/\1/p' "$SRV_DIR/out")
test $rc -eq 0 && test -n "$sid" && ok "alerts ack made silence $sid" || fail "alerts ack (rc $rc): $(cat "$SRV_DIR/out")"
am_sil "$sid" >"$SRV_DIR/sil.json"
jq -e '.createdBy == "it-tester" and .comment == "ACK! by it-tester" and .status.state == "active"
	and ([.matchers[] | select(.isRegex == false and .isEqual != false)] | length) == 3
	and ([.matchers[] | .name + "=" + .value] | sort) == ["alertname=HighLatency","instance=web-1","severity=warning"]' \
	"$SRV_DIR/sil.json" >/dev/null && ok "silence on the exact labels, by the user, karma-style comment" ||
	fail "ack silence: $(cat "$SRV_DIR/sil.json")"
e=$(am_end "$sid"); now=$(date +%s)
test $((e - now)) -ge 880 && test $((e - now)) -le 905 && ok "for 15m by default" || fail "ack ends in $((e - now))s"
AMT silence query -o json >"$SRV_DIR/amtool.json" 2>&1
jq -e --arg id "$sid" 'map(select(.id == $id)) | length == 1' "$SRV_DIR/amtool.json" >/dev/null &&
	ok "amtool lists the acknowledgement as a silence" || fail "amtool: $(cat "$SRV_DIR/amtool.json")"
# already silenced: not acknowledged again
S alerts ack alertname=HighLatency >"$SRV_DIR/out" 2>&1
test $? -eq 1 && grep -q "nothing acknowledged" "$SRV_DIR/out" && ok "an acked alert is not acked twice" ||
	fail "second ack: $(cat "$SRV_DIR/out")"

# --- an ordinary silence beside it: the list tells them apart ---
S silence add alertname=Other --comment "maintenance" --for 1h >/dev/null || fail "silence add"
silenced() { S alerts --silenced >"$SRV_DIR/out" 2>&1 && grep -q "HighLatency" "$SRV_DIR/out" &&
	grep "Other" "$SRV_DIR/out" | grep -q silenced; }
srv_until silenced 50 || true
grep "HighLatency" "$SRV_DIR/out" | grep -q "acked by it-tester" &&
	grep "Other" "$SRV_DIR/out" | grep -q " silenced " && ! grep "Other" "$SRV_DIR/out" | grep -q acked &&
	ok "alerts --silenced: 'acked by' apart from an ordinary silence" || fail "list: $(cat "$SRV_DIR/out")"

# --- incident ack acknowledges its linked alert ---
S incident new --sev P1 --title "disk full on db-1" >/dev/null || fail "incident new"
inc=INC-$(date -u +%Y)-001
S incident link "$inc" "$(fp DiskFull)" --what DiskFull >/dev/null || fail "incident link"
S incident ack "$inc" >"$SRV_DIR/out" 2>&1 || fail "incident ack: $(cat "$SRV_DIR/out")"
isid=$(sed -n 's/.*: silence \([0-9a-f-]*\)$/\1/p' "$SRV_DIR/out")
test -n "$isid" && am_sil "$isid" | jq -e --arg c "ACK! $inc by it-tester" '.comment == $c and .createdBy == "it-tester"' >/dev/null &&
	ok "incident ack acknowledged its linked alert ($isid)" || fail "incident ack: $(cat "$SRV_DIR/out")"
acked() { S alerts --silenced DiskFull >"$SRV_DIR/out" 2>&1 && grep -q "acked by it-tester ($inc)" "$SRV_DIR/out"; }
srv_until acked 50 && ok "shown as acked by it-tester ($inc)" || fail "acked row: $(cat "$SRV_DIR/out")"

# --- incident tick extends it while the incident is open and the alert fires ---
end0=$(am_end "$isid")
later=$(date -u -d '+10 min' +%Y-%m-%dT%H:%M:%SZ)
SITREP_NOW=$later S incident tick >"$SRV_DIR/out" 2>&1 || fail "tick: $(cat "$SRV_DIR/out")"
ext=$(sed -n "s/^$inc: ack [0-9a-f-]* extended.*//p" "$SRV_DIR/out" | wc -l)
cur=$(curl -fsS "$AM_URL/api/v2/silences" | jq -r --arg c "ACK! $inc by it-tester" \
	'[.[] | select(.comment == $c and .status.state == "active")] | .[0].endsAt | sub("\\.[0-9]+"; "") | fromdate')
want=$(($(date -d "$later" +%s) + 900))
test "$ext" -ge 1 && test "$cur" -ge $((want - 5)) && test "$cur" -le $((want + 5)) && test "$cur" -gt "$end0" &&
	ok "tick extended the ack to tick time + 15m" || fail "extend: end $end0 -> $cur (want $want): $(cat "$SRV_DIR/out")"
# a second tick at the same time: more than half left, nothing to do
SITREP_NOW=$later S incident tick >"$SRV_DIR/out" 2>&1
grep -q "extended" "$SRV_DIR/out" && fail "extended twice: $(cat "$SRV_DIR/out")" || ok "no extension while enough is left"

# --- an alert that stopped firing is not acknowledged again ---
post '{"alertname":"DiskFull","instance":"db-1","severity":"critical"}' "$(date -u -d '-1 min' +%Y-%m-%dT%H:%M:%SZ)"
gone() { test "$(curl -fsS "$AM_URL/api/v2/alerts?filter=alertname%3DDiskFull" | jq length)" = 0; }
srv_until gone 50 || fail "DiskFull still listed after its end"
before=$(curl -fsS "$AM_URL/api/v2/silences" | jq -c --arg c "ACK! $inc by it-tester" '[.[] | select(.comment == $c and .status.state == "active")] | map(.endsAt)')
SITREP_NOW=$(date -u -d '+20 min' +%Y-%m-%dT%H:%M:%SZ) S incident tick >"$SRV_DIR/out" 2>&1
after=$(curl -fsS "$AM_URL/api/v2/silences" | jq -c --arg c "ACK! $inc by it-tester" '[.[] | select(.comment == $c and .status.state == "active")] | map(.endsAt)')
test "$before" = "$after" && ! grep -q extended "$SRV_DIR/out" && ok "resolved alert: ack left to run out" ||
	fail "resolved alert re-acked: $before -> $after $(cat "$SRV_DIR/out")"

# --- resolving the incident expires its acknowledgement ---
S incident resolve "$inc" >"$SRV_DIR/out" 2>&1 || fail "resolve: $(cat "$SRV_DIR/out")"
n_active=$(curl -fsS "$AM_URL/api/v2/silences" | jq --arg c "ACK! $inc by it-tester" '[.[] | select(.comment == $c and .status.state == "active")] | length')
test "$n_active" = 0 && grep -q "expired (incident over)" "$SRV_DIR/out" && ok "resolve expired the ack" ||
	fail "after resolve: $n_active active; $(cat "$SRV_DIR/out")"
# the plain ack (no incident) and the ordinary silence are untouched by all this
test "$(am_sil "$sid" | jq -r .status.state)" = active && ok "an ack without incident is left alone" ||
	fail "plain ack: $(am_sil "$sid")"

test $fails -eq 0
