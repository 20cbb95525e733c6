# SPDX-License-Identifier: MIT
# export.sh: `sitrep export` of a scripted incident (fixed SITREP_NOW, every event type sitrep
# writes, hostile text in every field) in both layouts and both formats, against golden files;
# every JSON export validated against docs/postmortem.schema.json; hostile text inert in
# Markdown and exact in JSON. SITREP_UPDATE_GOLDEN=1 rewrites the golden files.
. "$SRCDIR/tests/lib.sh"

command -v jq >/dev/null || { echo "jq missing"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
python3 -c 'import jsonschema' 2>/dev/null || { echo "python3-jsonschema missing"; exit 77; }
GOLD="$SRCDIR/tests/fixtures/postmortem"
DB="$T/s.db"
RB="$T/rb"
mkdir -p "$RB"
cp "$SRCDIR/tests/fixtures/runbook/dir1/checklist.md" "$RB/"
CONF="$T/sitrep.conf"
cat >"$CONF" <<CONF
[runbooks]
dirs = $RB

[alertmanager main]
url = http://127.0.0.1:9/
CONF
export SITREP_RUNBOOK_INDEX="$T/index.db"
export TZ=Europe/Paris
S() { "$SITREP" --config "$CONF" --store "$DB" "$@"; }
at() { SITREP_NOW="$1" USER="$2"; export SITREP_NOW USER; }

# validate FILE: the JSON file holds to the schema
validate() {
	if python3 - "$SRCDIR/docs/postmortem.schema.json" "$1" <<'PY'
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
PY
	then pass; else fail "$1 does not hold to docs/postmortem.schema.json"; fi
}

# golden NAME FILE: FILE equals the golden file NAME
golden() {
	if [ "${SITREP_UPDATE_GOLDEN:-}" = 1 ]; then cp "$2" "$GOLD/$1"; fi
	if diff -u "$GOLD/$1" "$2" >"$T/diff"; then pass; else
		fail "$1 differs from the golden file:"
		head -40 "$T/diff" >&2
	fi
}

ESC=$(printf '\033')
NOTE="# Not a heading | a | b | ${ESC}[31mred${ESC}[0m @here <!channel> [x](javascript:alert(1)) *bold* \`code\`"
TITLE='Checkout API 5xx | EU <!channel>'

# --- the scripted incident: every event type the CLI writes ---
at 2026-11-23T03:12:00Z alice
run 0 S incident new --sev P2 --title "$TITLE" --service checkout --impact "payments fail for *EU* customers <b>"
at 2026-11-23T03:13:00Z alice
run 0 S incident link INC-2026-001 a3f9c27e41d0b8e5 --what HighErrorRate
run 0 S incident link INC-2026-001 0c7e55a1b2d94f11
at 2026-11-23T03:14:00Z alice
run 0 S incident sev INC-2026-001 P1
# the last Alertmanager snapshot (the feed's last-good cache) says what the first alert is
sqlite3 "$DB" "INSERT INTO feed_cache (source, fetched_at, body) VALUES ('alerts:main', 1795403700,
  '[{\"annotations\":{\"summary\":\"5xx over 5%\"},\"endsAt\":\"2026-11-23T04:00:00Z\",
  \"fingerprint\":\"a3f9c27e41d0b8e5\",\"receivers\":[{\"name\":\"pager\"}],
  \"startsAt\":\"2026-11-23T03:05:30Z\",\"status\":{\"inhibitedBy\":[],\"silencedBy\":[],\"state\":\"active\"},
  \"updatedAt\":\"2026-11-23T03:10:00Z\",
  \"generatorURL\":\"http://prom:9090/graph?g0.expr=rate%28http_5xx%5B5m%5D%29\",
  \"labels\":{\"alertname\":\"HighErrorRate\",\"service\":\"checkout | eu\",\"severity\":\"critical\"}}]')"
at 2026-11-23T03:40:00Z sitrep
run 0 S incident tick
expect_out "escalated L1 -> L2"
at 2026-11-23T03:41:00Z bob
run 0 S incident ack INC-2026-001
run 0 S incident status INC-2026-001 investigating
run 0 S incident assign INC-2026-001 commander bob
run 0 S incident assign INC-2026-001 comms carol
at 2026-11-23T03:45:00Z bob
run 0 S incident assign INC-2026-001 commander dave
run 0 S incident escalate INC-2026-001
at 2026-11-23T03:50:00Z dave
run 0 S incident deescalate INC-2026-001
run 0 S incident note INC-2026-001 "$NOTE"
run 0 S incident check INC-2026-001 checklist.md 1
run 0 S incident check INC-2026-001 checklist.md 3
at 2026-11-23T03:55:00Z carol
run 0 S incident update-sent INC-2026-001 --channel '#inc-checkout' --text "We are on it <!channel> | 5xx @here"
run 0 S incident status INC-2026-001 identified
at 2026-11-23T04:10:00Z dave
run 0 S incident sev INC-2026-001 P2
run 0 S incident set INC-2026-001 summary "Checkout returned 5xx for 46 minutes"
run 0 S incident set INC-2026-001 trigger "cart-svc 4.2 deploy"
run 0 S incident set INC-2026-001 detection "HighErrorRate paged L1 after 4m"
run 0 S incident status INC-2026-001 monitoring
at 2026-11-23T04:20:00Z dave
run 0 S incident resolve INC-2026-001 --cause "connection pool of 5 | too small" --resolution "rolled back to 4.1"
at 2026-11-23T06:00:00Z dave
run 0 S incident close INC-2026-001
at 2026-11-24T09:00:00Z erin
run 0 S incident set INC-2026-001 went_well "paging worked; <script>alert(1)</script>"
run 0 S incident set INC-2026-001 went_wrong "1. no canary"
run 0 S incident set INC-2026-001 lucky "- low traffic"
run 0 S incident set INC-2026-001 review_at 2026-11-26T14:00:00+01:00
run 0 S incident action INC-2026-001 "Add a canary stage | gate" --owner alice --due 2026-12-01 --kind detect
run 0 S incident action INC-2026-001 "Size the pool from load tests" --owner bob --due 2026-11-20
run 0 S action done A1
at 2026-11-23T03:30:00Z alice
run 0 S incident new --sev P3 --title "Search slow"

# --- exports ---
export SITREP_NOW=2026-11-25T12:00:00Z
run 0 S export INC-2026-001
cp "$T/out" "$T/sre.md"
run 0 S export INC-2026-001 --layout pagerduty -o "$T/pd.md"
run 0 S export INC-2026-001 --format json -o "$T/sre.json"
run 0 S export INC-2026-001 --format json --layout pagerduty
cp "$T/out" "$T/pd.json"
golden sre.md "$T/sre.md"
golden pagerduty.md "$T/pd.md"
golden incident.json "$T/sre.json"
cmp -s "$T/sre.json" "$T/pd.json" && pass || fail "the JSON export depends on the layout"
validate "$T/sre.json"

# computed, never typed
jq_is() { got=$(jq -r "$1" "$T/sre.json" 2>&1); [ "$got" = "$2" ] && pass || fail "jq '$1' gave '$got', wanted '$2'"; }
jq_is '.timers[0].duration' 6m30s
jq_is '.timers[1].verdict' "met"
jq_is '.timers[1].duration' 29m
jq_is '.timers[2].verdict' "met"
jq_is '[.severity_time[] | "\(.severity)=\(.duration)"] | join(",")' "P1=56m,P2=12m"
jq_is '[.escalations[] | "\(.level) \(.contact) \(.by) \(.automatic)"] | join(";")' \
	"L2 @tech-lead sitrep true;L3 @eng-manager bob false;L2 @tech-lead dave false"
jq_is '.escalations[0].at' 2026-11-23T03:27:00Z
jq_is '[.roles[] | "\(.role)=\(.person)"] | join(",")' "commander=bob,comms=carol,commander=dave"
jq_is '.updates[0].text' 'We are on it <!channel> | 5xx @here'
jq_is '.updates[0].channel' '#inc-checkout'
jq_is '[.checklist[] | "\(.item):\(.done)"] | join(",")' "1:true,3:true"
jq_is '.alerts[0].generator_url' 'http://prom:9090/graph?g0.expr=rate%28http_5xx%5B5m%5D%29'
jq_is '.alerts[0].labels[1].value' 'checkout | eu'
jq_is '.alerts[1].known' false
jq_is '[.actions[] | .state] | join(",")' "done,overdue"
jq_is '.timeline[0].local' "2026-11-23 04:12:00 CET"
jq_is '.chain.head' "$(S incident verify INC-2026-001 | sed 's/.*sha256://')"
jq_is '.open' false
# exact in JSON
jq_is '.title' "$TITLE"
jq_is '[.timeline[] | select(.kind == "note") | .detail][0]' "$NOTE"
jq_is '.lessons.went_well' 'paging worked; <script>alert(1)</script>'

# inert in Markdown
for f in "$T/sre.md" "$T/pd.md"; do
	never "$f" "$ESC" "an escape byte"
	never "$f" '<!channel>' "an unescaped <!channel>"
	never "$f" '<script>' "raw HTML"
	never "$f" '^# Not a heading' "a heading from a note"
	never "$f" '^- low traffic' "a list item from a field"
	never "$f" '@here' "an @mention"
	# every table row has its own number of cells: a | in text never adds one
	awk -F'\\|' '/^\| / { gsub(/\\\|/, "x"); n = gsub(/\|/, "|"); if (!(FILENAME in c)) c[FILENAME] = 0 }
		/^\| (Time|Item|Timer|Measure|Service)/ { want = n }
		/^\|/ && want && n != want { bad = bad "\n" $0 }
		/^$/ { want = 0 } END { if (bad) { print "ragged table rows:" bad; exit 1 } }' "$f" &&
		pass || fail "a table of $f has a row with a different number of cells"
done
expect_md() { grep -qF -- "$1" "$T/sre.md" && pass || fail "sre.md lacks \"$1\""; }
expect_md '\<\!channel\>'
expect_md 'Checkout API 5xx \| EU'
expect_md '\# Not a heading'

# an open incident is exported with a banner; its JSON holds to the schema too
run 0 S export INC-2026-002
expect_out "> **DRAFT: This incident is still open (triggered at 2026-11-25T12:00:00Z)"
run 0 S export INC-2026-002 --format json -o "$T/open.json"
validate "$T/open.json"
run 0 S export INC-2026-002 --layout pagerduty
expect_out "DRAFT: This incident is still open"

# [general] timezone wins over TZ for the local time beside UTC
printf '[general]\ntimezone = America/New_York\n' >"$T/tz.conf"
run 0 "$SITREP" --config "$T/tz.conf" --store "$DB" export INC-2026-001 --format json
jq_is2() { got=$(jq -r "$1" "$T/out" 2>&1); [ "$got" = "$2" ] && pass || fail "jq '$1' gave '$got', wanted '$2'"; }
jq_is2 '.timeline[0].local' "2026-11-22 22:12:00 EST"
TZ=UTC run 0 S export INC-2026-001 --format json
jq_is2 '.timeline[0].local' "null"
jq_is2 '.local_shown' "false"
# a zone at GMT today had another offset once: its past local times are shown (only a zone
# that is UTC and always was skips asking)
SITREP_NOW=1971-05-25T23:59:59Z USER=ann run 0 "$SITREP" --store "$T/gmt.db" incident new --sev P3 --title old
TZ=Africa/Monrovia run 0 "$SITREP" --store "$T/gmt.db" export INC-1971-001 --format json --no-metrics
jq_is2 '.timeline[0].local' "1971-05-25 23:15:29 MMT"

# errors
run 1 S export INC-2026-404
expect_err "no incident INC-2026-404"
run 2 S export INC-2026-001 --format pdf
expect_err "bad --format \"pdf\""
printf '# {{titel}}\n' >"$T/bad.md"
run 1 S export INC-2026-001 --layout "$T/bad.md"
expect_err "unknown field \"titel\" (did you mean \"title\"?)"
printf '# {{title}} for {{{severity}}}\n{{#actions}}- {{text}} ({{owner}})\n{{/actions}}' >"$T/own.md"
run 0 S export INC-2026-001 --layout "$T/own.md"
expect_out "# Checkout API 5xx \| EU \<\!channel\> for P2"
expect_out "- Add a canary stage \| gate (alice)"
run 1 S export INC-2026-001 -o /proc/nonexistent/x.md
expect_err "/proc/nonexistent/x.md"

# a long draft is written out in pieces as it is made (64 kB at a time): every piece is
# scrubbed of the configuration's secrets, wherever a piece ends, on stdout and into -o FILE
C=canaryTOKENzz99
cp "$DB" "$T/big.db"
sqlite3 "$T/big.db" "
  WITH RECURSIVE e(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM e WHERE n < 3000)
  INSERT INTO events (incident_id, at, actor, kind, detail)
    SELECT 'INC-2026-001', 1795500000 + n, 'erin', 'note',
      'zz-note ' || n || ':' || replace(printf('%20s', ''), ' ', ' $C') FROM e;"
printf '[prometheus]\nurl = http://127.0.0.1:9/\ntoken = %s\n' "$C" >"$T/secret.conf"
chmod 600 "$T/secret.conf"
B() { "$SITREP" --config "$T/secret.conf" --store "$T/big.db" "$@"; }
for fmt in md json; do
	run 0 B export INC-2026-001 --no-metrics --format $fmt
	cp "$T/out" "$T/big.$fmt"
	run 0 B export INC-2026-001 --no-metrics --format $fmt -o "$T/big-o.$fmt"
	cmp -s "$T/big.$fmt" "$T/big-o.$fmt" && pass || fail "export -o FILE ($fmt) differs from stdout"
	[ "$(wc -c <"$T/big.$fmt")" -gt 400000 ] && pass || fail "the $fmt draft is too short to be written in pieces"
	never "$T/big.$fmt" "$C" "a secret ($fmt)"
	never "$T/big-o.$fmt" "$C" "a secret ($fmt, -o FILE)"
	n=$(grep -cE 'zz-note [0-9]+:( \*\*\*){20}( \||")' "$T/big.$fmt")
	[ "$n" = 3000 ] && pass || fail "$n of the 3,000 notes came out masked whole ($fmt)"
done
ls "$T" | grep -q 'tmp\.' && fail "a temporary file was left beside -o FILE" || pass

finish
