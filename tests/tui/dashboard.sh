# SPDX-License-Identifier: MIT
# dashboard.sh: the demo console's first screen: header, panels, incidents with timers, alerts.
. "$SRCDIR/tests/tui/tmux.sh"

start 120 40 -- --demo
expect "Open incidents: 4"
# header: user, UTC and local clock, each source's freshness
expect "sitrep  tester DEMO"
expect "prom ok 0s  am ok 0s  03:12:00 UTC  03:12 UTC"
expect "1 dashboard  2 alerts  3 incidents  4 runbook  5 metrics  6 slack  7 help"
# panels: value, threshold, sparkline
expect "error rate"
expect "7.0% crit 5.0%"
expect "57.6% warn 80.0%"
# incidents, most urgent first, live timers, breach marks, escalation level
expect "INC-2026-005 P1  triggered     L2  22m00s ✗ -7m00s  38m00s    ✗ -7m00s  Checkout API returning 5xx"
expect "INC-2026-004 P2  investigating L1  50m00s met       3h10m     ✗ -5m00s  Search p95 latency above 2s"
expect_not "Orders DB connection pool exhausted" "Search p95 latency above 2s"	# closed: not on the dashboard
# firing alerts, most severe first; silenced/inhibited counted apart; linked incident shown
expect "Firing alerts: 7 (2 silenced or inhibited)"
expect "critical  HighErrorRate            21m00s  INC-2026-005  Checkout 5xx ratio at 18.2%"
expect_not "KubePodCrashLooping" "Firing alerts: 7"
golden dashboard-120x40

keys q
expect_exit 0
# the shell has the terminal back: the console's screen is gone
expect_not "Open incidents" "SITREP-EXIT=0"
finish
