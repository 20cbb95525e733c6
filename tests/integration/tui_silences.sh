# SPDX-License-Identifier: MIT
# tui_silences.sh: the whole life of a silence from the console (issue 12), at 80x24, against
# a real Alertmanager: the form with a free-text duration (90m) and a comment, its matchers
# and live match count, created after y; the alert's detail names the silence covering it
# (id, author, comment, ends in); the silences view lists active, pending and recently
# expired silences, extends one, silences an expired one again and expires one, each after
# a y/n question, each checked on the Alertmanager itself.
. "$SRCDIR/tests/tui/tmux.sh"
. "$SRCDIR/tests/integration/servers.sh"
srv_need "$AM_BIN"
srv_need_cmds jq curl
unset SITREP_NOW	# the clock runs: silences are made now
srv_setup
trap 'srv_cleanup; cleanup_tmux' EXIT
srv_start_am || exit 1
C() { curl -fsS --noproxy '*' --max-time 5 "$@"; }
iso() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }

# the alert to silence, and two silences made outside: one pending (starts in 1 h), one expired
printf '[{"labels":{"alertname":"SilMe","service":"checkout"},"annotations":{"summary":"to be silenced"},"endsAt":"%s"}]' \
	"$(iso '+1 hour')" >"$SRV_DIR/a.json"
C -H 'Content-Type: application/json' --data @"$SRV_DIR/a.json" "$AM_URL/api/v2/alerts" >/dev/null ||
	fail "POST alert"
post_silence() {	# NAME START END COMMENT: prints the id
	printf '{"matchers":[{"name":"alertname","value":"%s","isRegex":false,"isEqual":true}],"startsAt":"%s","endsAt":"%s","createdBy":"ops","comment":"%s"}' \
		"$1" "$2" "$3" "$4" >"$SRV_DIR/s.json"
	C -H 'Content-Type: application/json' --data @"$SRV_DIR/s.json" "$AM_URL/api/v2/silences" |
		jq -r .silenceID
}
pend=$(post_silence Later "$(iso '+1 hour')" "$(iso '+3 hours')" "planned later")
old=$(post_silence WasOnce "$(iso '-1 minute')" "$(iso '+1 hour')" "over already")
C -X DELETE "$AM_URL/api/v2/silence/$old" >/dev/null || fail "expire $old"
state() { C "$AM_URL/api/v2/silence/$1" | jq -r .status.state; }
[ "$(state "$pend")" = pending ] && [ "$(state "$old")" = expired ] && pass ||
	fail "setup: pending $pend $(state "$pend"), expired $old $(state "$old")"

cat >"$SRV_DIR/c.conf" <<EOF
[general]
user = it-tester
[feeds]
alerts_interval = 2s
[alertmanager am]
url = $AM_URL
EOF
chmod 600 "$SRV_DIR/c.conf"
start 80 24 no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 -- --config "$SRV_DIR/c.conf" \
	--store "$SRV_DIR/s.db"
expect "am ok"
keys 2
expect "SilMe (1)"

# 1. the form: matchers and live match count; Tab walks the presets; free text 90m; a comment
keys z
expect 'Silence 2h [matches 1 of 1 alerts]: alertname="SilMe",service="checkout"'
keys Tab
expect 'Silence 4h [matches 1 of 1 alerts]: alertname="SilMe",service="checkout" for 4h'
TM send-keys -t 0 C-u 'alertname="SilMe" for 90m -- db maintenance'
# the prompt scrolls to keep its end (the cursor) in view
expect 'Silence 90m [matches 1 of 1 alerts]: '
expect 'for 90m -- db maintenance'
keys Enter
expect 'Silence [matches 1 of 1 alerts] for 90m ("db maintenance")? y to do it'
keys y
expect "created on am"
sil=$(C "$AM_URL/api/v2/silences" | jq -r '[.[] | select(.comment == "db maintenance" and .status.state == "active")][0].id')
span=$(C "$AM_URL/api/v2/silence/$sil" | jq -r '((.endsAt | sub("\\.[0-9]+"; "") | fromdate) - (.startsAt | sub("\\.[0-9]+"; "") | fromdate))')
by=$(C "$AM_URL/api/v2/silence/$sil" | jq -r .createdBy)
if [ "$sil" != null ] && [ "$by" = it-tester ] && [ "$span" -ge 5390 ] && [ "$span" -le 5410 ]; then
	pass
else fail "silence on the Alertmanager: id $sil by $by span $span"; fi

# 2. the alert's detail names the silence that covers it
expect "Silenced (1)" 60
keys Home j Enter	# the whole detail (g fetches every source; Home is the first row)
short=$(printf '%.8s' "$sil")
expect "silenced by      $short"
expect "$short it-tester ends in 1h2"
expect '"db maintenance"'
keys q
expect "Silenced (1)"

# 3. the silences view: active, pending, recently expired
keys L
expect "Silences: 1 active, 1 pending, 1 recently expired"
expect "active   $short"
expect "pending  $(printf '%.8s' "$pend")"
expect "expired  $(printf '%.8s' "$old")"
expect "matchers  alertname=\"SilMe\""	# the selected one's detail
expect "comment   db maintenance"

# 4. extend the active one by 1h: asked, then done on the Alertmanager
end0=$(C "$AM_URL/api/v2/silence/$sil" | jq -r '.endsAt | sub("\\.[0-9]+"; "") | fromdate')
keys +
expect "Extend $short by (1h 2h 4h 8h 1d, or e.g. 90m): 1h"
keys Enter
expect "Extend silence $short by 1h? y to do it"
keys y
expect "extended $short by 1h"
# the Alertmanager may keep the id or give a new one: the silence of these matchers ends later
ext=$(C "$AM_URL/api/v2/silences" | jq -r '[.[] | select(.comment == "db maintenance" and .status.state == "active")] | map(.endsAt | sub("\\.[0-9]+"; "") | fromdate) | max')
if [ "$ext" -ge $((end0 + 3590)) ]; then pass; else fail "extend: end $end0 -> $ext"; fi

# 5. silence again with the expired one's matchers (the last row), 2h
keys G
expect "comment   over already"
keys z
expect "for (1h 2h 4h 8h 1d, or e.g. 90m): 2h"
keys Enter
expect 'Silence again alertname="WasOnce" for 2h? y to do it'
keys y
expect "silenced again $(printf '%.8s' "$old") by 2h"
n=$(C "$AM_URL/api/v2/silences" | jq '[.[] | select(.status.state == "active" and .matchers[0].value == "WasOnce" and .createdBy == "it-tester")] | length')
[ "$n" = 1 ] && pass || fail "silence again: $n active WasOnce silences by it-tester"

# 6. expire the pending one: asked, then expired on the Alertmanager
expect "Silences: 2 active, 1 pending, 1 recently expired"
keys Home
n=8
while [ "$n" -gt 0 ]; do
	capture
	grep -q "comment   planned later" "$T/screen" && break
	keys j
	n=$((n - 1))
done
expect "comment   planned later"
keys X
expect "Expire silence $(printf '%.8s' "$pend") (pending) now? y to do it"
keys y
expect "expired silence $(printf '%.8s' "$pend") on am"
[ "$(state "$pend")" = expired ] && pass || fail "expire: $pend is $(state "$pend")"
expect "Silences: 2 active, 0 pending, 2 recently expired"

# a key that is not y cancels: nothing expired
keys Home
keys X n
expect "cancelled (nothing done)"
[ "$(C "$AM_URL/api/v2/silences" | jq '[.[] | select(.status.state == "active")] | length')" = 2 ] &&
	pass || fail "n expired something"
keys q q q	# silences, alerts, dashboard
expect_exit 0
finish
