# SPDX-License-Identifier: MIT
# runbook.sh: `sitrep runbook ...` and `sitrep incident check` end to end with the real binary.
. "$SRCDIR/tests/lib.sh"

command -v jq >/dev/null || { echo "jq missing"; exit 77; }
export SITREP_RUNBOOK_INDEX="$T/index/runbooks.db"
RB="$T/rb"
mkdir -p "$RB/team"
cp "$SRCDIR/tests/fixtures/runbook/dir1/disk-full.md" "$RB/"
cp "$SRCDIR/tests/fixtures/runbook/dir1/checklist.md" "$RB/team/"
printf '# Evil \033[2J title\n\nText with \033]0;pwned\007 an OSC and \302\233 a C1 CSI.\n' >"$RB/evil.md"
printf 'binary\000file\001\002' >"$RB/binary.md"
CONF="$T/sitrep.conf"
cat >"$CONF" <<CONF
[runbooks]
dirs = $RB

[runbooks map]
MappedAlert = team/checklist.md

[panel errors]
query = up
runbook = high-latency.md
CONF
S() { "$SITREP" --config "$CONF" --store "$T/s.db" "$@"; }

# --- list ---
run 0 S runbook list
expect_out "disk-full"
expect_out "team/checklist"
expect_out "high-error-rate     High error rate  #http #availability #slo"
expect_out "db-connection-pool"
run 0 S runbook list --json
jq_is '[.[] | select(.name == "disk-full")][0].alerts | join(",")' "DiskFull,DiskAlmostFull"
jq_is '[.[] | select(.name == "service-down")][0].title' "Service down"
jq_is '[.[].name] | length >= 11' true
run 2 S runbook list --bogus
expect_err 'unknown option "--bogus"'

# --- show ---
run 0 S runbook show disk-full --width 40 --plain
expect_out "Disk full"
expect_out "═════════"
expect_out "Run df -h and look for the fullest"
run 0 S runbook show db-connection-pool --width 80
expect_out "pg_terminate_backend(pid)"
expect_out "• [ ] Terminate idle-in-transaction sessions"
expect_no_out "$(printf '\033')"
# every shipped runbook renders at 40, 80, 120 with no line wider than asked (code wraps)
for f in "$SRCDIR"/data/runbooks/*.md; do
	for w in 40 80 120; do
		S runbook show "$f" --width "$w" >"$T/show" 2>"$T/err" || fail "show $f --width $w"
		# the "Links" list keeps URLs whole
		widest=$(sed '/^Links$/,$d' "$T/show" | LC_ALL=C.UTF-8 wc -L)
		[ "$widest" -le "$w" ] && pass || fail "$(basename "$f") at $w: a line is $widest wide"
	done
done
# a PromQL threshold in a table cell and a long code line wrap when piped, never cut (issue 12)
cat >"$T/thresholds.md" <<'MD'
# Thresholds

| Alert | Fires when (PromQL) | Then |
|---|---|---|
| HighErrorRate | `sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05` | roll back |

```promql
histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="checkout"}[5m]))) > 2.5
```
MD
for w in 40 60 80; do
	run 0 S runbook show "$T/thresholds.md" --width "$w"
	widest=$(LC_ALL=C.UTF-8 wc -L <"$T/out")
	[ "$widest" -le "$w" ] && pass || fail "thresholds at $w: a line is $widest wide"
	expect_no_out "…"
	# the whole expressions are there once the pieces are joined back: the second column's
	# cells (between the borders), and the code line's continuations
	cell=$(python3 -c 'import sys
ls = open(sys.argv[1], encoding="utf-8").read().split("\n")
body = ls[[i for i, l in enumerate(ls) if l.startswith("├")][0]:]
print("".join(l.split("│")[2].strip() for l in body if l.startswith("│")).replace(" ", ""))' "$T/out")
	[ "$cell" = 'sum(rate(http_requests_total{status=~"5.."}[5m]))/sum(rate(http_requests_total[5m]))>0.05' ] &&
		pass || fail "table threshold at $w: $cell"
	code=$(python3 -c 'import sys
ls = [l.rstrip("\n").lstrip() for l in open(sys.argv[1], encoding="utf-8") if "histogram" in l or l.lstrip().startswith("↪")]
print("".join(l[2:] if l.startswith("↪ ") else l for l in ls))' "$T/out")
	[ "$code" = 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="checkout"}[5m]))) > 2.5' ] &&
		pass || fail "code threshold at $w: $code"
done
run 0 S runbook show disk-full#mitigation --width 60
expect_out "Mitigation"
expect_no_out "Run df -h"
run 1 S runbook show disk-full#nowhere
expect_err "no heading #nowhere"
# links between runbooks: local targets are checked, broken ones say so
run 0 S runbook show "$SRCDIR/tests/fixtures/runbook/dir1/links.md" --width 80
expect_out "[1] disk-full.md#checks"
expect_out "[4] missing.md  (broken link: no such file)"
expect_out "[5] https://example.com/x.md"
expect_no_out "[1] disk-full.md#checks  (broken"
expect_no_out "[3] #links  (broken"
expect_out "[6] #nowhere  (broken link: no such heading)"
run 0 S runbook show disk-full --toc
expect_out "Disk full  #disk-full"
expect_out "  Checks  #checks"
run 1 S runbook show disk-ful
expect_err "no runbook \"disk-ful\" (closest: disk-full"
run 1 S runbook show "$T/missing.md"
expect_err "missing.md: No such file or directory"
run 1 S runbook show binary
expect_err "binary.md: not a text file"
run 0 S runbook show evil --width 60
expect_no_out "$(printf '\033')"
expect_no_out "$(printf '\302\233')"
expect_out "Evil �[2J title"
run 2 S runbook show disk-full --width 3
expect_err "--width wants a number"
run 0 S runbook show --help
expect_out "usage: sitrep runbook show NAME|PATH"
# colour on request of a terminal is not testable here; NO_COLOR output is plain
run 0 env -u NO_COLOR "$SITREP" --config "$CONF" runbook show disk-full --plain
expect_no_out "$(printf '\033')"

# --- bad input: a 1,000-deep list, a 200-column table, a large file ---
awk 'BEGIN { for (i = 0; i < 1000; i++) { s = ""; for (k = 0; k < i; k++) s = s "  "; print s "- item " i } }' >"$T/deep.md"
run 0 S runbook show "$T/deep.md" --width 80
expect_out "item 999"
awk 'BEGIN { for (r = 0; r < 3; r++) { s = "|"; for (c = 0; c < 200; c++) s = s (r == 1 ? "---|" : " c" c " |"); print s } }' >"$T/wide.md"
run 0 S runbook show "$T/wide.md" --width 80
expect_out "│…"
awk 'BEGIN { for (i = 0; i < 60000; i++) print "## Part " i "\n\nSome *text* and `code` for part " i ".\n" }' >"$T/big.md"
run 0 S runbook show "$T/big.md" --width 100
expect_out "Part 59999"

# --- for: each rule ---
run 0 S runbook for DiskFull
expect_out "DiskFull -> $RB/disk-full.md"
expect_out "rule: front-matter"
run 0 S runbook for Anything --runbook-url "https://wiki.example.com/rb/disk-full"
expect_out "rule: annotation-url"
run 0 S runbook for Anything --runbook-url "team/checklist.md#checklist-runbook"
expect_out "-> $RB/team/checklist.md#checklist-runbook"
expect_out "rule: annotation"
run 0 S runbook for Anything --runbook-label service-down
expect_out "rule: label"
run 0 S runbook for MappedAlert
expect_out "rule: map"
run 0 S runbook for Unknown --panel errors
expect_out "high-latency.md"
expect_out "rule: panel"
run 0 S runbook for HighErrorRate --json
jq_is '.rule' front-matter
jq_is '.runbook' high-error-rate
run 1 S runbook for HighErorRate
expect_out "HighErorRate: no runbook"
expect_out "closest: high-error-rate"
run 1 S runbook for HighErorRate --json
jq_is '.rule' none
jq_is '.closest[0]' high-error-rate
run 2 S runbook for X --panel nosuch
expect_err "no panel \"nosuch\""

# --- for: runbook_url values as alert rules write them (the directory is $T/rb) ---
printf '# Queue backlog\n\nDrain it.\n' >"$RB/queue-backlog.md"
for url in rb/disk-full.md ./disk-full.md "rb/disk-full.md#checks" \
	https://wiki.example.com/runbooks/disk-full https://wiki.example.com/runbooks/disk-full.html \
	https://wiki.example.com/display/OPS/DiskFull; do
	run 0 S runbook for Anything --runbook-url "$url"
	expect_out "Anything -> $RB/disk-full.md"
	expect_out "rule: annotation"
done
# the alert name matches a runbook's file name, ignoring case and dashes
run 0 S runbook for QueueBacklog
expect_out "QueueBacklog -> $RB/queue-backlog.md"
expect_out "rule: name (the alert name matches runbook queue-backlog (ignoring case and dashes))"
run 0 S runbook for queue_backlog --json
jq_is '.rule' name
jq_is '.runbook' queue-backlog
# never a file outside the runbook directories, however it is named
echo "# secret" >"$T/secret.md"
for url in "$T/secret.md" "$RB/disk-full.md" ../secret.md rb/../secret.md secret.md /etc/passwd; do
	run 1 S runbook for Nothing --runbook-url "$url"
	expect_out "Nothing: no runbook"
done
# without --runbook-url, the alert as the Alertmanager has it now: the console's answer
port_file="$T/am-port"
python3 - >"$T/routes.json" <<'PY'
import json
def alert(name, ann, labels):
    return {"labels": dict({"alertname": name, "severity": "critical"}, **labels),
            "annotations": ann, "startsAt": "2026-11-23T03:00:00Z",
            "endsAt": "2026-11-23T04:00:00Z", "updatedAt": "2026-11-23T03:00:00Z",
            "fingerprint": "f" + name, "receivers": [],
            "status": {"state": "suppressed", "silencedBy": ["s1"], "inhibitedBy": []}}
print(json.dumps({"/api/v2/alerts": {"status": 200, "body": [
    alert("QueueStuck", {"runbook_url": "rb/queue-backlog.md#drain"}, {}),
    alert("DiskFull", {}, {"runbook": "team/checklist"})]}}))
PY
python3 "$SRCDIR/tests/json_server.py" "$T/routes.json" "$port_file" 600 &
served $! "$port_file"
{ cat "$CONF"; printf '\n[alertmanager main]\nurl = http://127.0.0.1:%s\n' "$port"; } >"$T/am.conf"
chmod 600 "$T/am.conf"
A() { "$SITREP" --config "$T/am.conf" --store "$T/s.db" "$@"; }
run 0 A runbook for QueueStuck
expect_out "QueueStuck -> $RB/queue-backlog.md#drain"
expect_out "rule: annotation (runbook_url annotation rb/queue-backlog.md#drain)"
expect_out "alert: as Alertmanager main has it now (runbook_url rb/queue-backlog.md#drain"
run 0 A runbook for DiskFull --json
jq_is '.rule' label
jq_is '.alert_from' main
jq_is '.runbook' team/checklist
# asked not to, or told the annotation: the Alertmanager is not asked
run 1 A runbook for QueueStuck --offline
expect_out "QueueStuck: no runbook"
run 0 A runbook for DiskFull --runbook-url disk-full.md --json
jq_is '.alert_from' null
jq_is '.rule' annotation
# an Alertmanager that cannot be asked: named, and the rules without the alert still apply
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
{ cat "$CONF"; printf '\n[alertmanager down]\nurl = http://127.0.0.1:%s\n' "$dead"; } >"$T/dead.conf"
chmod 600 "$T/dead.conf"
run 0 "$SITREP" --config "$T/dead.conf" --store "$T/s.db" runbook for HighErrorRate
expect_err "Alertmanager down unreachable"
expect_out "rule: front-matter"

# a team directory that cannot be read is named and hides none of the shipped runbooks
cat >"$T/bad.conf" <<CONF
[runbooks]
dirs = $T/secret.md/x, $RB
CONF
run 0 "$SITREP" --config "$T/bad.conf" --store "$T/s.db" runbook list
expect_out "high-error-rate"
expect_out "queue-backlog"
expect_err "warning: runbook directory $T/secret.md/x: Not a directory (skipped)"
run 0 "$SITREP" --config "$T/bad.conf" --store "$T/s.db" runbook for HighErrorRate
expect_out "rule: front-matter"

# --- index and search ---
run 0 S runbook index
expect_out "added"
grep -q " 0 added" "$T/out" && fail "index added nothing" || pass
run 0 S runbook index
expect_out " 0 added, 0 updated, 0 removed"
touch -d '+1 minute' "$RB/disk-full.md"
run 0 S runbook index
expect_out " 0 added, 1 updated, 0 removed"
run 0 S runbook search pg_terminate_backend
expect_out "db-connection-pool#"
expect_out "**pg_terminate_backend**"
run 0 S runbook search terminate idle --json
jq_is '.[0].name' db-connection-pool
jq_is '.[0].rank' 1
jq_is '.[0].snippet | contains("\u0002")' false
run 0 S runbook search connection pool --json
jq_is '.[0].name' db-connection-pool
run 1 S runbook search xyzzyplugh
expect_err "no runbook matches"
run 2 S runbook search
expect_err "search for what?"
run 0 S runbook search 'a"b OR (' --json
rm "$RB/disk-full.md"
run 0 S runbook index
expect_out "1 removed"
run 0 S runbook search vacuum --json
jq_is '[.[] | select(.name == "disk-full")] | length' 0
run 0 S runbook --help
expect_out "sitrep runbook search QUERY"
run 2 S runbook frobnicate
expect_err "unknown command"

# --- incident check: ticks a checklist item on the timeline ---
run 0 S incident check --help
expect_out "sitrep incident check ID RUNBOOK N"
export SITREP_NOW=2026-11-23T03:12:00Z
run 0 S incident new --sev P2 --title "Pool exhausted"
run 0 S incident check INC-2026-001 team/checklist 3
expect_out "INC-2026-001: checked team/checklist item 3: Mitigate with kubectl rollout undo"
run 1 S incident check INC-2026-001 team/checklist 9
expect_err "has 4 checklist items (1..4), not 9"
run 1 S incident check INC-2026-001 high-nothing 1
expect_err "no runbook \"high-nothing\""
run 1 S incident check INC-2026-999 team/checklist 1
expect_err "INC-2026-999"
run 0 S incident show INC-2026-001
expect_out "Mitigate with kubectl rollout undo"

# --- symbolic link loops and links out of the runbook directories ---
LR="$T/loops"
mkdir -p "$LR/rb/sub/deeper" "$LR/outside" "$LR/second"
printf '# Top\n' >"$LR/rb/top.md"
printf '# Deep\n' >"$LR/rb/sub/deeper/deep.md"
printf '# Secret\n' >"$LR/outside/secret.md"
printf '# Second\n' >"$LR/second/two.md"
ln -s .. "$LR/rb/sub/deeper/up"		# to a parent
ln -s . "$LR/rb/self"			# to itself
ln -s "$LR/rb" "$LR/rb/sub/again"	# absolute, to the root
ln -s / "$LR/rb/slash"			# out, to everything
ln -s "$LR/outside" "$LR/rb/out"	# out, to a directory not configured
ln -s "$LR/outside/secret.md" "$LR/rb/leak.md"	# out, to a file
ln -s "$LR/second" "$LR/rb/to-second"	# to another configured root: allowed
ln -s sub/deeper/deep.md "$LR/rb/alias.md"	# inside: allowed
mkdir -p "$LR/rb/a/b/c"
ln -s ../../.. "$LR/rb/a/b/c/ring"	# a longer cycle
cat >"$LR/c.conf" <<CONF
[runbooks]
dirs = $LR/rb, $LR/second
CONF
export SITREP_RUNBOOK_INDEX="$LR/index.db"
run 0 timeout 20 "$SITREP" --config "$LR/c.conf" --store "$T/s.db" runbook list
mine=$(grep -c -E '^(top|sub/deeper/deep|alias|to-second/two|two) ' "$T/out")
[ "$mine" -ge 4 ] && pass || { fail "runbooks under loops: $mine of 4+"; cat "$T/out" >&2; }
# each directory once: deep.md appears under one name only (alias.md is a file link)
[ "$(grep -c 'Deep' "$T/out")" -eq 2 ] && pass || { fail "deep.md seen other than via sub/ and alias"; cat "$T/out" >&2; }
[ "$(wc -l <"$T/out")" -lt 40 ] && pass || fail "runbook list grew to $(wc -l <"$T/out") lines"
expect_no_out "Secret"
expect_no_out "secret"
expect_no_out "slash/"
expect_no_out "/up/"
run 1 timeout 20 "$SITREP" --config "$LR/c.conf" --store "$T/s.db" runbook search Secret
expect_err "no runbook matches"

finish
