# SPDX-License-Identifier: MIT
# watchdog.sh: the dead man's switch (issue 16) with the real pipeline: Prometheus fires an
# always-firing rule into Alertmanager; `sitrep check` passes while it arrives, and once
# Prometheus is stopped it fails with "ALERTING PIPELINE: NAME absent for ..." within the grace
# (plus the alert's own end, which Prometheus sets a few evaluations ahead).
set -u
. "$SRCDIR/tests/integration/servers.sh"
srv_need "$AM_BIN" "$PROM_BIN"
command -v jq >/dev/null 2>&1 || { echo "SKIP: jq missing"; exit 77; }
unset SITREP_NOW

srv_setup
srv_start_am || exit 1
srv_start_prom || exit 1
srv_sitrep_conf
printf '[feeds]\nwatchdog = SitrepTestFiring\nwatchdog_grace = 5s\n' >>"$SR_CONF"
srv_test_helpers

# never seen yet by this store: not provably alive
printf '[feeds]\nwatchdog = yes\n' >"$SRV_DIR/never.conf"
printf '[alertmanager main]\nurl = %s\n' "$AM_URL" >>"$SRV_DIR/never.conf"
chmod 600 "$SRV_DIR/never.conf"
"$SITREP" --config "$SRV_DIR/never.conf" --store "$SRV_DIR/never.db" check >"$SRV_DIR/out" 2>&1
test $? -eq 1 && grep -q "ALERTING PIPELINE: Watchdog not seen" "$SRV_DIR/out" &&
	ok "a watchdog never seen fails the check" || fail "never seen: $(cat "$SRV_DIR/out")"

alive() { S check >"$SRV_DIR/out" 2>&1; }
srv_until alive 150 && grep -q "pipeline ok: SitrepTestFiring firing" "$SRV_DIR/out" &&
	ok "check passes while the watchdog arrives" || fail "alive: $(cat "$SRV_DIR/out")"
S check --json >"$SRV_DIR/out" 2>"$SRV_DIR/err"
jq -e '.watchdog.ok == true and .watchdog.alert == "SitrepTestFiring" and .watchdog.absent_seconds == 0' \
	"$SRV_DIR/out" >/dev/null && ok "--json says ok" || fail "json: $(cat "$SRV_DIR/out")"

# --- Prometheus stops: the alert ends in Alertmanager, then the grace runs out ---
srv_stop "$PROM_PID"
stopped=$(date +%s)
dead() { ! S check >"$SRV_DIR/out" 2>&1 && grep -q "ALERTING PIPELINE: SitrepTestFiring absent for" "$SRV_DIR/out"; }
if srv_until dead 200; then
	took=$(($(date +%s) - stopped))
	# the alert's end (4 resend delays of 1 s, a few evaluations) + the 5 s grace + slack
	test "$took" -le 25 && ok "check fails ${took}s after Prometheus stopped (grace 5s)" ||
		fail "took ${took}s"
else
	fail "check never failed: $(cat "$SRV_DIR/out")"
fi
S check --json >"$SRV_DIR/out" 2>"$SRV_DIR/err"
test $? -eq 1 && grep -q "ALERTING PIPELINE" "$SRV_DIR/err" && jq -e '.watchdog.ok == false and .watchdog.absent_seconds > 5' "$SRV_DIR/out" >/dev/null &&
	ok "--json: not ok, absent for more than the grace" || fail "json dead: $(cat "$SRV_DIR/out")"

test $fails -eq 0
