# SPDX-License-Identifier: MIT
# feeds.sh: sitrep against real Prometheus, Alertmanager and node exporter: alerts, silences
# both ways with amtool, query results equal to promtool's, stale data when Alertmanager
# stops, and the health check.
set -u
. "$SRCDIR/tests/integration/servers.sh"
srv_need "$PROM_BIN" "$AM_BIN" "$NODE_BIN" "$AMTOOL" "$PROMTOOL"
command -v jq >/dev/null 2>&1 || { echo "SKIP: jq missing"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 missing"; exit 77; }

srv_setup
srv_start_node || exit 1
srv_start_am || exit 1
srv_start_prom || exit 1
srv_sitrep_conf
srv_test_helpers

# --- the firing rule reaches Alertmanager and sitrep shows it ---
if srv_until "S alerts --json | jqt '[.alerts[] | select(.labels.alertname == \"SitrepTestFiring\")] | length == 1'" 150; then
	ok "firing alert listed"
else
	fail "SitrepTestFiring never appeared in sitrep alerts"
fi
out=$(S alerts)
echo "$out" | grep -q "active  *critical  *SitrepTestFiring" && ok "human table" ||
	fail "table lacks the alert: $out"
S alerts alertname=NoSuchAlert | grep -q "(no alerts)" && ok "matcher filters" ||
	fail "matcher did not filter"
S alerts 'severity=~"crit.*"' --json | jqt '.alerts | length == 1' &&
	ok "regex matcher" || fail "regex matcher"
S alerts 'bad"matcher' >/dev/null 2>&1; rc=$?
test $rc -eq 2 && ok "bad matcher is a usage error" || fail "bad matcher exit $rc"

# --- silences: sitrep -> amtool, amtool -> sitrep, expire ---
id=$(S silence add SitrepTestFiring --comment "integration test" --for 10m)
rc=$?
if test $rc -eq 0 && AMT silence query -q | grep -qx "$id"; then
	ok "silence $id made by sitrep is listed by amtool"
else
	fail "silence from sitrep (rc $rc, id '$id') not in amtool: $(AMT silence query)"
fi
AMT silence query -o json | jqt --arg id "$id" '.[] | select(.id == $id) |
	.createdBy == "it-tester" and .comment == "integration test"' &&
	ok "author and comment" || fail "author/comment wrong"
aid=$(AMT silence add team=ops --comment="from amtool" --author=amtool-user --duration=1h)
S silence list | grep "$aid" | grep -q "from amtool" && ok "amtool silence shown by sitrep" ||
	fail "amtool silence $aid not in sitrep silence list: $(S silence list)"
S silence list --json | jqt --arg id "$aid" '.silences[] | select(.id == $id) |
	.matchers == ["team=\"ops\""]' && ok "silence json" || fail "silence json"
if srv_until "S alerts --silenced --json | jqt '[.alerts[] | select(.state == \"silenced\")] | length == 1'" 50; then
	ok "alert shown as silenced"
else
	fail "alert never silenced"
fi
S alerts | grep -q SitrepTestFiring && fail "silenced alert shown without --silenced" ||
	ok "silenced hidden by default"
S silence expire "$aid" >/dev/null && S silence expire "$id" >/dev/null || fail "expire failed"
AMT silence query -q | grep -q . && fail "silences left after expire: $(AMT silence query)" ||
	ok "expired via sitrep"
S silence list --expired | grep -q "$aid" && ok "expired list" || fail "expired list"

# --- query results equal promtool's ---
norm_sitrep() {
	jq -r '.series[] | ([.labels | to_entries[] | select(.key != "__name__") |
		"\(.key)=\"\(.value)\""] | join(", ")) as $l | (.labels.__name__ // "") as $n |
		(if $l == "" and $n != "" then $n else $n + "{" + $l + "}" end) + " => " +
		.samples[0][1]' | sort
}
norm_promtool() { sed 's/ @\[.*//' | sort; }
for expr in up 'vector(42.5)' 'count by (job) (up)' prometheus_build_info 'sitrep:up:sum'; do
	srv_until "test -n \"\$(\"$PROMTOOL\" query instant \"$PROM_URL\" '$expr')\"" 50
	a=$(S query "$expr" --json | norm_sitrep)
	b=$("$PROMTOOL" query instant "$PROM_URL" "$expr" | norm_promtool)
	if test -n "$a" && test "$a" = "$b"; then
		ok "query $expr equals promtool"
	else
		fail "query $expr: sitrep [$a] promtool [$b]"
	fi
done
sleep 2
now=$(date +%s)
a=$(S query up --range 20s --step 2s --json | jq '[.series[] | (.samples | length) > 1] | all and length == 2')
test "$a" = true && ok "range query" || fail "range query: $a"
S query 'sum(' 2>"$SRV_DIR/err" >/dev/null; rc=$?
test $rc -eq 1 && grep -q "HTTP 400: bad_data" "$SRV_DIR/err" && ok "query error shown" ||
	fail "query error (rc $rc): $(cat "$SRV_DIR/err")"

# --- no Alertmanager configured: Prometheus's own alerts ---
printf '[prometheus]\nurl = %s\n' "$PROM_URL" > "$SRV_DIR/prom-only.conf"
chmod 600 "$SRV_DIR/prom-only.conf"
"$SITREP" --config "$SRV_DIR/prom-only.conf" --store "$SR_STORE" alerts > "$SRV_DIR/out" 2>&1
grep -q "firing  *critical  *SitrepTestFiring  *default" "$SRV_DIR/out" && ok "prometheus alerts" ||
	fail "prometheus alerts: $(cat "$SRV_DIR/out")"

# --- health checks ---
S check | grep -q "node-exporter  *ok  *200" && ok "node exporter check" || fail "check: $(S check)"
cp "$SR_CONF" "$SRV_DIR/bad.conf"
printf '[check closed]\nurl = http://127.0.0.1:1/\ntimeout = 2s\n' >> "$SRV_DIR/bad.conf"
"$SITREP" --config "$SRV_DIR/bad.conf" --store "$SR_STORE" check --json > "$SRV_DIR/check.json"
rc=$?
test $rc -eq 1 && jqt '[.checks[].ok] == [true, false]' "$SRV_DIR/check.json" &&
	ok "failing check exits 1" || fail "failing check rc $rc: $(cat "$SRV_DIR/check.json")"

# --- Alertmanager goes away: last good data marked stale, no crash ---
S alerts --json >/dev/null
srv_stop "$AM_PID"
S alerts >"$SRV_DIR/out" 2>"$SRV_DIR/err"; rc=$?
if test $rc -eq 1 && grep -q "^STALE  main: last good data" "$SRV_DIR/out" &&
   grep -q "SitrepTestFiring" "$SRV_DIR/out" && grep -q "$AM_URL" "$SRV_DIR/err" &&
   grep -q "Couldn't connect" "$SRV_DIR/err"; then
	ok "stale marker after Alertmanager stopped"
else
	fail "stale (rc $rc): $(cat "$SRV_DIR/out" "$SRV_DIR/err")"
fi
S alerts --json 2>/dev/null | jqt '.stale[0].instance == "main" and .stale[0].age_seconds >= 0
	and (.alerts | length) == 1' && ok "stale json" || fail "stale json"
S silence list >/dev/null 2>&1; rc=$?
test $rc -eq 1 && ok "silence list fails cleanly" || fail "silence list rc $rc"

test $fails -eq 0
