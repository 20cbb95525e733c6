# SPDX-License-Identifier: MIT
# actions.sh: working an incident from the console; alert -> incident -> ack -> runbook in
# three keys; silence form with its match preview; filter; runbook find; --readonly.
. "$SRCDIR/tests/tui/tmux.sh"

start 120 40 -- --demo
expect "Open incidents: 4"
# Enter on the dashboard opens the most urgent incident
keys Enter
expect "INC-2026-005 P1 triggered Checkout API returning 5xx"
expect "7m00s OVERDUE"
expect "▶ L2 Tech lead             @tech-lead"
keys a
expect "INC-2026-005: acknowledged by tester at L2"
expect "INC-2026-005 P1 acknowledged"
expect "03:12 tester   acknowledged by tester at L2"
keys a
expect "INC-2026-005 is already acknowledged"
# a note, a status, a role: each lands on the timeline
keys n
expect "INC-2026-005 note:"
keys 'rolled back checkout to v3.1' Enter
expect "03:12 tester   rolled back checkout to v3.1"
keys s 'identified' Enter
expect "status acknowledged -> identified"
keys o 'commander dana' Enter
expect "commander dana"
# escalation asks first; n cancels, y confirms
keys e
expect "Escalate to L3 Engineering manager @eng-manager? y to do it, any other key cancels"
keys n
expect "cancelled"
keys e y
expect "▶ L3 Engineering manager"
keys R 'restarted the pool' Enter
expect "Resolve (resolution: restarted the pool)? y to do it, any other key cancels"
expect_not "INC-2026-005 P1 resolved" "y to do it, any other key cancels"
keys y
expect "INC-2026-005 P1 resolved"
expect "Resolution   restarted the pool"
keys C
expect "Close INC-2026-005? y to do it, any other key cancels"
keys y
expect "INC-2026-005 P1 closed"
golden detail-closed-120x40
keys q 1
expect "Open incidents: 3"

# alert -> incident -> acknowledge -> runbook: three keys once the alert is selected
keys 2
expect "InstanceDown (1)"
# its detail pane: labels, annotations, its own expression over the last hour
expect 'runbook          service-down (front-matter: service-down lists the alert'
expect 'last hour        ███████████████████████████████████'
expect 'expression       up{job="payments-api"} == 0'
# Enter (no incident yet): the whole detail, every label and annotation, j/k scroll it
keys Enter
expect "description      The scrape target payments-api-2:8080"
keys q
expect "InstanceDown (1)"
keys i
expect "INC-2026-006 P1 triggered payments-api-2 has been unreachable for 3 minutes"
keys a
expect "INC-2026-006 P1 acknowledged"
# E de-escalates as e escalates: it asks first, then goes one level down, on the timeline
keys e y
expect "escalated L1 -> L2"
keys E
expect "De-escalate to L1 "
keys y
expect "de-escalated L2 -> L1"
keys E
expect "INC-2026-006 is already at L1"
keys r
expect "Service down"
expect "/ find  ]/[ next"
# in-page find
keys / 'rollback' Enter
expect "find: rollback"
keys ']'
expect "find: rollback"
keys B
expect "no earlier runbook"
# links: follow [1] to another runbook, B comes back
keys f
expect "Follow link number:"
keys 1 Enter
expect "── TLS certificate expiring"
keys B
expect "── Service down"
# full-text search across every runbook, Enter opens the hit at its section
keys S
expect "Search all runbooks:"
keys "idle" Enter
expect 'Search "idle"'
expect "db-connection-pool"
keys Enter
expect "── Database connection pool exhausted"
keys B
expect "── Service down"
# back on the incident: the runbook's checklist, ticked from the console onto the timeline
keys q
expect "Checklist service-down: 0/"
keys x
expect "Tick checklist item (1-"
keys 1 Enter
expect "Checklist service-down: 1/"
expect "[x]  1  Confirm the outage from outside"
expect "tester   service-down #1 [x] Confirm the outage"
keys x 1 Enter
expect "Checklist service-down: 0/"
keys q

# silence form: prefilled from the labels, with a live match preview
keys 2 Home
keys z
expect 'Silence 2h [matches 1 of 9 alerts]: alertname="InstanceDown",service="payments-api",instance="payments-api-2:8080"'
TM send-keys -t 0 C-u 'service="payments-api"'
sleep 0.2
expect "[matches 3 of 9 alerts]"
keys Enter
expect "Silence [matches 3 of 9 alerts] for 2h? y to do it, any other key cancels"
keys y
expect "demo: silenced 3 alert(s)"
expect "Silenced (4)"
# filter with matchers, then plain text
keys / 'severity="warning"' Enter
expect 'filter severity="warning"'
expect_not "BackupFailed" 'filter severity="warning"'
keys / C-u 'backup' Enter
expect "BackupFailed (1)"
expect_not "HighLatency" "BackupFailed (1)"
# group by a chosen label, sort within groups
keys / C-u Enter
keys b 'service' Enter
expect "Alerts: 9, by service, sorted by severity"
expect "service=payments-api (3)"
keys O
expect "Alerts: 9, by service, sorted by newest"
keys : q Enter
expect_exit 0

# --readonly: every change is refused with a message
start 120 40 -- --demo --readonly
expect "READ-ONLY"
keys 3 Enter a
expect "a (acknowledge) refused: read-only console (--readonly)"
keys : q Enter
expect_exit 0
finish
