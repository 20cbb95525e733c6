# SPDX-License-Identifier: MIT
# silences.sh: the whole life of a silence from the command line against a real Alertmanager
# (issue 12): add, list active and pending, extend, expire, list recently expired, re-create;
# an Alertmanager that cannot be asked is named and the list is not "(no silences)"; the list
# fits an 80-column terminal and is whole when piped.
set -u
. "$SRCDIR/tests/integration/servers.sh"
srv_need "$AM_BIN" "$AMTOOL"
command -v jq >/dev/null 2>&1 || { echo "SKIP: jq missing"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 missing"; exit 77; }
command -v script >/dev/null 2>&1 || { echo "SKIP: script (util-linux) missing"; exit 77; }

srv_setup
srv_start_am || exit 1
srv_sitrep_conf
srv_test_helpers
am_state() { curl -fsS "$AM_URL/api/v2/silence/$1" | jq -r .status.state; }

# --- an Alertmanager that cannot be asked ---
port=$(srv_port)
printf '[alertmanager down]\nurl = http://127.0.0.1:%s\n' "$port" >"$SRV_DIR/down.conf"
chmod 600 "$SRV_DIR/down.conf"
"$SITREP" --config "$SRV_DIR/down.conf" --store "$SR_STORE" silence list \
	>"$SRV_DIR/out" 2>"$SRV_DIR/err"; rc=$?
test $rc -eq 1 && grep -q "Alertmanager down unreachable" "$SRV_DIR/err" && ! test -s "$SRV_DIR/out" &&
	ok "unreachable named, exit 1, no empty list" ||
	fail "unreachable (rc $rc): out [$(cat "$SRV_DIR/out")] err [$(cat "$SRV_DIR/err")]"
"$SITREP" --config "$SRV_DIR/down.conf" --store "$SR_STORE" silence list --json >"$SRV_DIR/out" 2>&1
test $? -eq 1 && ! grep -q '"silences"' "$SRV_DIR/out" && ok "unreachable --json prints no list" ||
	fail "unreachable --json: $(cat "$SRV_DIR/out")"
# one of two unreachable: the answer of the other, the failure named, exit 1
{ cat "$SR_CONF"; printf '[alertmanager down]\nurl = http://127.0.0.1:%s\n' "$port"; } >"$SRV_DIR/two.conf"
chmod 600 "$SRV_DIR/two.conf"

# --- add, list active and pending ---
id=$(S silence add alertname=DiskFull instance=db-1 --comment "disk swap, ticket OPS-12" --for 10m)
test -n "$id" && ok "added $id" || fail "silence add"
start=$(($(date +%s) + 3600))
pend=$(curl -fsS -X POST -H 'Content-Type: application/json' "$AM_URL/api/v2/silences" -d "$(jq -n \
	--arg s "$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%SZ)" \
	--arg e "$(date -u -d "@$((start + 7200))" +%Y-%m-%dT%H:%M:%SZ)" \
	'{matchers: [{name: "job", value: "batch", isRegex: false, isEqual: true}],
	  startsAt: $s, endsAt: $e, createdBy: "planner", comment: "maintenance window"}')" |
	jq -r .silenceID)
test -n "$pend" && ok "pending silence $pend" || fail "pending silence not made"
# a maintenance window made by sitrep: --start in the future, --for counted from it (issue 16)
mstart=$(($(date +%s) + 7200))
mstart_s=$(date -u -d "@$mstart" +%Y-%m-%dT%H:%M:%SZ)
mw=$(S silence add service=db --start "$mstart_s" --for 30m --comment "db upgrade window")
test -n "$mw" && test "$(am_state "$mw")" = pending && ok "maintenance window $mw pending in Alertmanager" ||
	fail "silence add --start: [$mw] $(am_state "$mw" 2>&1)"
test "$(curl -fsS "$AM_URL/api/v2/silence/$mw" | jq -r '.startsAt | sub("\\.[0-9]+"; "") | fromdate')" = "$mstart" &&
	test "$(am_end "$mw")" = $((mstart + 1800)) && ok "window from --start for --for" ||
	fail "window times: $(curl -fsS "$AM_URL/api/v2/silence/$mw")"
S silence add service=db --start 2020-01-01T00:00:00Z --comment past >"$SRV_DIR/out" 2>&1
test $? -eq 2 && grep -q "bad --start" "$SRV_DIR/out" && ok "--start in the past refused" ||
	fail "--start in the past: $(cat "$SRV_DIR/out")"
S silence add service=db --start "$mstart_s" --until "$mstart_s" --comment x >"$SRV_DIR/out" 2>&1
test $? -eq 2 && ok "--until not after --start refused" || fail "--until before --start: $(cat "$SRV_DIR/out")"
S silence list >"$SRV_DIR/out" 2>&1
grep "$id" "$SRV_DIR/out" | grep -Eq "active  *ends in (9m|10m00s)" && ok "active listed with time left" ||
	fail "active row: $(cat "$SRV_DIR/out")"
grep "$pend" "$SRV_DIR/out" | grep -Eq "pending  *starts in (5[89]m|1h00m)" && ok "pending listed" ||
	fail "pending row: $(cat "$SRV_DIR/out")"
grep "$mw" "$SRV_DIR/out" | grep -Eq "pending  *starts in (1h5[89]m|2h00m)" && ok "window listed as pending" ||
	fail "window row: $(cat "$SRV_DIR/out")"
S silence list --json | jqt --arg id "$pend" '.silences[] | select(.id == $id) | .state == "pending"' &&
	ok "pending in json" || fail "pending json"
"$SITREP" --config "$SRV_DIR/two.conf" --store "$SR_STORE" silence list >"$SRV_DIR/out" 2>"$SRV_DIR/err"
test $? -eq 1 && grep -q "$id" "$SRV_DIR/out" && grep -q "Alertmanager down unreachable" "$SRV_DIR/err" &&
	ok "one of two unreachable: the other's list, the failure named" ||
	fail "two instances: $(cat "$SRV_DIR/out" "$SRV_DIR/err")"

# --- 80 columns on a terminal, whole when piped ---
S silence add alertname=VeryLongAlertNameForTheTable service=checkout-payments-gateway \
	--comment "a long comment that explains why this silence exists, with the ticket number OPS-4711" \
	--for 2h >/dev/null
NO_COLOR=1 script -qec "stty cols 80 rows 24; $SITREP --config $SR_CONF --store $SR_STORE silence list" \
	/dev/null | tr -d '\r' >"$SRV_DIR/tty"
maxw=$(python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$SRV_DIR/tty")
test "$maxw" -le 80 && grep -q "$id" "$SRV_DIR/tty" && grep -q "$pend" "$SRV_DIR/tty" &&
	ok "terminal table fits 80 columns with whole IDs ($maxw)" ||
	fail "terminal table $maxw columns: $(cat "$SRV_DIR/tty")"
S silence list | grep -q "with the ticket number OPS-4711" && ok "piped: comment whole" ||
	fail "piped comment cut: $(S silence list)"

# --- extend ---
before=$(am_end "$id")
out=$(S silence extend "$id" --by 1h); rc=$?
nid=$(echo "$out" | sed -n 's/^extended \([^ ]*\) until .*/\1/p')
test $rc -eq 0 && test -n "$nid" && ok "extend: $out" || fail "extend (rc $rc): $out"
after=$(am_end "$nid")
test $((after - before)) -ge 3590 && test $((after - before)) -le 3610 &&
	ok "ends one hour later ($before -> $after)" || fail "extend end $before -> $after"
test "$(am_state "$nid")" = active && ok "extended silence active" || fail "extended state"
S silence extend "$nid" --until 2000-01-01T00:00:00Z >/dev/null 2>&1
test $? -eq 2 && ok "--until in the past refused" || fail "--until in the past"
S silence extend no-such-id >"$SRV_DIR/out" 2>&1
test $? -eq 1 && grep -q "no-such-id\|404\|not found" "$SRV_DIR/out" && ok "unknown ID" ||
	fail "unknown ID: $(cat "$SRV_DIR/out")"

# --- expire, recently expired, re-create ---
S silence expire "$nid" >/dev/null && ok "expired" || fail "expire"
test "$(am_state "$nid")" = expired && ok "Alertmanager says expired" || fail "state after expire"
S silence list | grep -q "$nid" && fail "expired one still in the active list" || ok "gone from active"
S silence list --expired | grep "$nid" | grep -q "expired  *ended [0-9]*s ago" && ok "recently expired listed" ||
	fail "expired list: $(S silence list --expired)"
S silence list --all | grep -q "$pend" && S silence list --all | grep -q "$nid" && ok "--all" ||
	fail "--all: $(S silence list --all)"
S silence extend "$nid" --by 1h >"$SRV_DIR/out" 2>&1
test $? -eq 1 && grep -q "has expired: re-create it" "$SRV_DIR/out" && ok "extend of expired refused" ||
	fail "extend expired: $(cat "$SRV_DIR/out")"
out=$(S silence recreate "$nid" --comment "again, OPS-12"); rc=$?
rid=$(echo "$out" | sed -n 's/^created \([^ ]*\) until .*/\1/p')
test $rc -eq 0 && test -n "$rid" && test "$rid" != "$nid" && ok "re-created: $out" ||
	fail "recreate (rc $rc): $out"
curl -fsS "$AM_URL/api/v2/silence/$rid" | jqt '.status.state == "active" and .comment == "again, OPS-12"
	and .createdBy == "it-tester"
	and ([.matchers[] | "\(.name)=\(.value)"] | sort == ["alertname=DiskFull", "instance=db-1"])' &&
	ok "same matchers, new comment, our name" || fail "recreated silence: $(curl -fsS "$AM_URL/api/v2/silence/$rid")"
# 1h when --for is not given, as for `silence add`
left=$(( $(am_end "$rid") - $(date +%s) ))
test "$left" -ge 3500 && test "$left" -le 3600 && ok "for an hour ($left s)" ||
	fail "recreated duration $left"
S silence recreate "$rid" >"$SRV_DIR/out" 2>&1
test $? -eq 1 && grep -q "is active: extend it instead" "$SRV_DIR/out" && ok "re-create of active refused" ||
	fail "recreate active: $(cat "$SRV_DIR/out")"
"$SITREP" --config "$SR_CONF" --store "$SR_STORE" --readonly silence extend "$rid" >/dev/null 2>&1
test $? -eq 1 && ok "--readonly refuses extend" || fail "readonly extend"

test $fails -eq 0
