# SPDX-License-Identifier: MIT
# typed_secret.sh: a secret of the configuration typed into stored text (an incident's title,
# impact, a note, a root cause) never reaches the console: not the dashboard, the incident list
# and detail, the Slack view, the clipboard (OSC 52), the desktop notification (OSC 777) of a
# new incident, nor the wallboard. Everything the terminal received is captured (pipe-pane).
. "$SRCDIR/tests/tui/tmux.sh"
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
unset SITREP_NOW	# the clock runs: a new incident is news

C1=canaryTOKENaa11 C2=canaryPASSbb22 C9=canaryHOOKii99
HOOK="https://hooks.example.invalid/services/$C9"
mkdir -p "$T/cfg"
cat >"$T/cfg/sitrep.conf" <<EOF
[prometheus]
url = http://127.0.0.1:1/
token = $C1
[alertmanager main]
url = http://127.0.0.1:1/
username = ops
password = $C2
[slack ops]
webhook = $HOOK
[console]
notify = osc777
EOF
chmod 600 "$T/cfg/sitrep.conf"
B2=$(printf 'ops:%s' "$C2" | base64)
DB="$T/s.db"
nl='
'
S() { "$SITREP" --config "$T/cfg/sitrep.conf" --store "$DB" "$@" >/dev/null 2>&1 || fail "sitrep $*"; }
S incident new --sev P1 --title "Login broken $C1 pasted" --impact "hook is $HOOK${nl}pw $C2"
S incident note INC-2026-001 "tried the token ${C1}${nl}and the password $C2 and $B2"
S incident set INC-2026-001 cause "leaked ${C2}"

start 120 40 -- --config "$T/cfg/sitrep.conf" --store "$DB"
TM set-option -g allow-passthrough on >/dev/null 2>&1
TM pipe-pane -O -t 0 "cat >>'$T/raw'"
expect "Login broken *** pasted"
keys 3
expect "Login broken *** pasted"
keys Enter
expect "hook is ***"
expect "tried the token ***"
expect "and the password *** and ***"
expect "leaked ***"
keys q
keys 6
expect "Slack preview"
expect "Login broken *** pasted"
keys y
expect "to the clipboard (OSC 52)"
keys 1
# a new incident while the console runs: news, a desktop notification with its title
S incident new --sev P1 --title "Second $C1 incident"
expect "Second *** incident" 100
n=50
while ! grep -aq "777;notify" "$T/raw" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
grep -aq "777;notify;sitrep;.*Second \*\*\* incident" "$T/raw" && pass ||
	fail "no OSC 777 notification of the new incident (masked) in the output"
# a secret cut by the notification's length limit: "NEW P1 INC-2026-003 P1: Padded abcd" is 35
# bytes, then 11 copies of the 15-byte token; a limit of 200 bytes applied before the masking
# would leave 14 bytes of the 11th copy unmasked
S incident new --sev P1 --title "Padded abcd$C1$C1$C1$C1$C1$C1$C1$C1$C1$C1$C1"
n=100
while ! grep -aq "777;notify;sitrep;NEW P1 INC-2026-003" "$T/raw" 2>/dev/null && [ $n -gt 0 ]; do
	sleep 0.1
	n=$((n - 1))
done
grep -aq "777;notify;sitrep;NEW P1 INC-2026-003 P1: Padded abcd\*\*\*" "$T/raw" && pass ||
	fail "no OSC 777 notification of the padded incident"
never "$T/raw" "canaryTOK" "part of a secret cut by the notification's length limit"
keys q
expect_exit 0
start 120 40 -- --config "$T/cfg/sitrep.conf" --store "$DB" --wallboard --wallboard-cycle 600
TM pipe-pane -O -t 0 "cat >>'$T/raw'"
expect "Login broken *** pasted"
keys q
expect_exit 0
[ -s "$T/raw" ] && pass || fail "pipe-pane captured nothing"
python3 - "$T/raw" "$T/clip" <<'PY' || fail "no OSC 52 payload in the console's output"
import base64, re, sys
m = re.findall(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07", open(sys.argv[1], "rb").read())
if not m:
    sys.exit(1)
open(sys.argv[2], "wb").write(base64.b64decode(m[-1]))
PY
grep -q "Login broken \*\*\* pasted" "$T/clip" && pass || fail "the clipboard lacks the masked title"
for c in "$C1" "$C2" "$C9" "$B2" "$HOOK"; do
	never "$T/raw" "$c" "a secret ($c) on the console"
	never "$T/clip" "$c" "a secret ($c) in the clipboard"
done
finish
