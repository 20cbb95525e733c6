# SPDX-License-Identifier: MIT
# stats.sh: `sitrep stats` on a seeded store whose answers were worked out by hand (below),
# --service, --since/--until, --json and --csv; `sitrep incident list --all --csv`.
. "$SRCDIR/tests/lib.sh"

command -v jq >/dev/null || { echo "jq missing"; exit 77; }
DB="$T/s.db"
S() { "$SITREP" --store "$DB" "$@"; }
at() { SITREP_NOW="$1"; export SITREP_NOW; }

# Default policy: P1 respond 15m / resolve 1h / update every 15m; P2 1h / 4h / 30m;
# P3 4h / 24h / 2h. P1 escalates to L2 after 15m unacknowledged, L3 after 30m.
# A P1 checkout 11-20 10:00, ack 10:10 (TTA 600), updates 10:12 (12m: on time) and 10:40
#   (28m: late), escalated by hand to L2, resolved 10:50 (TTR 3000): both met.
at 2026-11-20T10:00:00Z; run 0 S incident new --sev P1 --title A --service checkout
at 2026-11-20T10:10:00Z; run 0 S incident ack INC-2026-001
at 2026-11-20T10:12:00Z; run 0 S incident update-sent INC-2026-001
at 2026-11-20T10:20:00Z; run 0 S incident escalate INC-2026-001
at 2026-11-20T10:40:00Z; run 0 S incident update-sent INC-2026-001
at 2026-11-20T10:50:00Z; run 0 S incident resolve INC-2026-001
at 2026-11-20T12:00:00Z; run 0 S incident close INC-2026-001
# B P1 checkout 11-21 08:00, the tick at 08:40 records L2 (08:15) and L3 (08:30); ack 08:40
#   (TTA 2400: respond breached), update 08:45 (45m: late), resolved 10:00 (TTR 7200: breached).
at 2026-11-21T08:00:00Z; run 0 S incident new --sev P1 --title B --service checkout
at 2026-11-21T08:40:00Z; run 0 S incident tick
expect_out "escalated L2 -> L3"
run 0 S incident ack INC-2026-002
at 2026-11-21T08:45:00Z; run 0 S incident update-sent INC-2026-002
at 2026-11-21T10:00:00Z; run 0 S incident resolve INC-2026-002
# C P2 search 11-22 09:00, ack 09:20 (TTA 1200), updates 09:25 and 09:50 (25m each: on time),
#   resolved 10:40 (TTR 6000): met.
at 2026-11-22T09:00:00Z; run 0 S incident new --sev P2 --title C --service search
at 2026-11-22T09:20:00Z; run 0 S incident ack INC-2026-003
at 2026-11-22T09:25:00Z; run 0 S incident update-sent INC-2026-003
at 2026-11-22T09:50:00Z; run 0 S incident update-sent INC-2026-003
at 2026-11-22T10:40:00Z; run 0 S incident resolve INC-2026-003
# D P3 search 11-23 06:00, still unacknowledged at 12:00: respond breached (6h > 4h).
at 2026-11-23T06:00:00Z; run 0 S incident new --sev P3 --title D --service search
# E P4 checkout on 10-01: outside the 30 days.
at 2026-10-01T06:00:00Z; run 0 S incident new --sev P4 --title E --service checkout
# F P2 checkout 11-23 11:00, ack 11:05 (TTA 300), open.
at 2026-11-23T11:00:00Z; run 0 S incident new --sev P2 --title '=HYPERLINK("x"),y' --service checkout
at 2026-11-23T11:05:00Z; run 0 S incident ack INC-2026-006
# action items: alice 2 open (one overdue), bob 1 open, carol 1 done
at 2026-11-23T11:10:00Z
run 0 S incident action INC-2026-001 "a1" --owner alice --due 2026-11-22
run 0 S incident action INC-2026-002 "a2" --owner alice --due 2026-12-22
run 0 S incident action INC-2026-005 "b1" --owner bob --due 2026-12-22
run 0 S incident action INC-2026-003 "c1" --owner carol --due 2026-12-22
run 0 S action done A4

export SITREP_NOW=2026-11-23T12:00:00Z
run 0 S stats --json
jq_is '.incidents' 5
jq_is '.open' 2
jq_is '[.by_severity[]] | join(",")' "2,2,1,0"
jq_is '.by_service | to_entries | map("\(.key)=\(.value)") | join(",")' "checkout=3,search=2"
# TTA 300 600 1200 2400: median (rank 2) 600, p90 (rank 4) 2400
jq_is '[.mtta.n, .mtta.median_seconds, .mtta.p90_seconds] | join(",")' "4,600,2400"
# TTR 3000 6000 7200: median (rank 2) 6000, p90 (rank 3) 7200
jq_is '[.mttr.n, .mttr.median_seconds, .mttr.p90_seconds] | join(",")' "3,6000,7200"
jq_is '[.sla.P1.respond.breached, .sla.P1.respond.n, .sla.P1.resolve.breached] | join(",")' "1,2,1"
jq_is '.sla.P1.respond.rate' 0.5
jq_is '[.sla.P2.respond.breached, .sla.P2.resolve.breached, .sla.P2.resolve.n] | join(",")' "0,0,2"
jq_is '[.sla.P3.respond.breached, .sla.P3.respond.n, .sla.P3.resolve.breached] | join(",")' "1,1,0"
jq_is '.sla.P4.respond.n' 0
jq_is '[.escalations.L2, .escalations.L3, .escalations.L4] | join(",")' "2,1,0"
jq_is '[.updates.sent, .updates.on_time] | join(",")' "5,3"
jq_is '.updates.rate' 0.6
jq_is '.open_actions.total' 3
jq_is '[.open_actions.by_owner[] | "\(.owner)=\(.open)/\(.overdue)"] | join(",")' "alice=2/1,bob=1/0"

run 0 S stats --service checkout --json
jq_is '.incidents' 3
jq_is '[.mtta.median_seconds, .mtta.p90_seconds] | join(",")' "600,2400"
jq_is '[.updates.sent, .updates.on_time] | join(",")' "3,1"
run 0 S stats --since 2026-11-22T00:00:00Z --until 2026-11-23T07:00:00Z --json
jq_is '.incidents' 2
jq_is '[.escalations.L2] | join(",")' "0"
run 0 S stats --since 60d --json
jq_is '.incidents' 6
jq_is '.by_severity.P4' 1

run 0 S stats
expect_out "Time to acknowledge: median 10m, p90 40m (4 acknowledged)"
expect_out "Time to resolve:     median 1h40m, p90 2h00m (3 resolved)"
expect_out "  P1           1/2     50%      1/2     50%"
expect_out "Escalations: L2 2 L3 1 L4 0"
expect_out "Status updates on time: 3 of 5 (60%)"
expect_out "  alice 2 (1 overdue)"
run 0 S stats --csv
expect_out "mtta_median_seconds,,600"
expect_out "respond_breach_rate,P3,1.0000"
expect_out "open_actions,alice,2"
run 2 S stats --json --csv
run 2 S stats --since yesterday
expect_err "bad --since or --until"

# incident list --all --csv: RFC 4180, formulas defused
run 0 S incident list --all --csv
expect_out "id,severity,status,level,service,title,created_at,acknowledged_at,resolved_at,closed_at,respond_breached,resolve_breached"
expect_out "INC-2026-006,P2,acknowledged,L1,checkout,\"'=HYPERLINK(\"\"x\"\"),y\",2026-11-23T11:00:00Z,2026-11-23T11:05:00Z,,,false,false"
expect_out "INC-2026-002,P1,resolved,L3,checkout,B,2026-11-21T08:00:00Z,2026-11-21T08:40:00Z,2026-11-21T10:00:00Z,,true,true"
if [ "$(wc -l <"$T/out")" -eq 7 ]; then pass; else fail "incident list --csv: $(wc -l <"$T/out") lines"; fi
if python3 -c 'import csv,sys; rows=list(csv.reader(open(sys.argv[1]))); sys.exit(0 if all(len(r)==12 for r in rows) else 1)' "$T/out"; then
	pass; else fail "a CSV row does not have 12 fields"; fi

finish
