# SPDX-License-Identifier: MIT
# comms.sh: `sitrep slack ID --copy` writes one OSC 52 sequence whose base64 decodes to the
# rendered message, sanitised (no ESC, no BEL from the incident) and without the webhook
# secret; the binary starts without libpq, libical and libcurl (dlopen()ed on first use).
. "$SRCDIR/tests/lib.sh"

command -v base64 >/dev/null || { echo "base64 missing"; exit 77; }
DB="$T/s.db"
SECRET="https://hooks.example.com/services/T0/B0/canary-7c1e"
export USER=dana SITREP_NOW=2026-11-23T03:12:00Z HOOK="$SECRET"
printf '[slack ops]\nwebhook_env = HOOK\n' >"$T/sitrep.conf"
S() { "$SITREP" --config "$T/sitrep.conf" --store "$DB" "$@"; }
title=$(printf 'Checkout \033]52;c;ZXZpbA==\007 <!channel> \033[31mred')
run 0 S incident new --sev P1 --title "$title" --service checkout
run 0 S slack INC-2026-001 update
cp "$T/out" "$T/printed"

run 0 S slack INC-2026-001 update --copy
expect_err "copied"
# one sequence: ESC ] 52 ; c ; BASE64 BEL, nothing else on stdout
seq=$(cat "$T/out")
case "$seq" in
$(printf '\033]52;c;')*"$(printf '\007')") pass ;;
*) fail "not one OSC 52 sequence: $(od -c "$T/out" | head -3)" ;;
esac
b64=${seq#"$(printf '\033]52;c;')"}
b64=${b64%"$(printf '\007')"}
printf '%s' "$b64" | grep -q '^[A-Za-z0-9+/]*=*$' && pass || fail "bytes outside base64 after the introducer"
printf '%s' "$b64" | base64 -d >"$T/clip" || fail "the payload is not base64"
# the clipboard holds the message as printed (without the final newline)
printf '%s' "$(cat "$T/printed")" | cmp -s - "$T/clip" && pass ||
	fail "clipboard differs from the printed message: $(od -c "$T/clip" | head -5)"
grep -q "INCIDENT UPDATE" "$T/clip" && pass || fail "no message in the clipboard"
# nothing from the incident can act on the terminal it is pasted into
if LC_ALL=C grep -q "$(printf '[\033\007\233]')" "$T/clip"; then fail "control bytes in the clipboard"; else pass; fi
grep -qF "canary-7c1e" "$T/out" "$T/err" "$T/clip" && fail "the webhook secret reached the output" || pass
# mrkdwn: the mention is escaped in what is copied too
run 0 S slack INC-2026-001 update --format mrkdwn --copy
b64=$(sed "s/^$(printf '\033')]52;c;//; s/$(printf '\007')\$//" "$T/out")
printf '%s' "$b64" | base64 -d | grep -qF '&lt;!channel&gt;' && pass || fail "mrkdwn copy not escaped"
run 2 S slack INC-2026-001 update --copy --send
expect_err "--copy goes without --send and -o"

# --- the on-call field (issue 16): a rotation-backed L1 names who is on call now, with
# overrides laid over the schedule; golden files for the alert in text and mrkdwn
GOLDEN="$SRCDIR/tests/fixtures/slack/golden"
cat >"$T/oncall.conf" <<'CONF'
[rotation primary]
members = alice, bob, carol
handoff = mon 09:00
timezone = Europe/Berlin
start = 2026-01-05

[escalation]
L1 = rotation:primary
CONF
O() { "$SITREP" --config "$T/oncall.conf" --store "$T/o.db" "$@"; }
export SITREP_NOW=2026-12-02T14:00:00Z
run 0 O incident new --sev P1 --title "Checkout down" --service checkout
# Wed 2026-12-02: carol's week (oncall.sh)
for fmt in text mrkdwn; do
	run 0 O slack INC-2026-001 alert --format $fmt
	[ "${SITREP_UPDATE_GOLDEN:-0}" = 1 ] && cp "$T/out" "$GOLDEN/oncall-alert.$fmt"
	cmp -s "$T/out" "$GOLDEN/oncall-alert.$fmt" && pass ||
		{ fail "alert --format $fmt differs from oncall-alert.$fmt"; diff "$GOLDEN/oncall-alert.$fmt" "$T/out" >&2; }
done
expect_out "On-call: On-call engineer carol (on call in primary)"
# an override: frank covers now, and the message says so
run 0 O oncall override primary --who frank --from 2026-12-02T13:00:00Z --until 2026-12-02T18:00:00Z
run 0 O slack INC-2026-001 alert
expect_out "frank (on call in primary)"
grep -q carol "$T/out" && fail "the override was not laid over the rotation" || pass
# escalated to a rotation-backed level: the escalation message names its person
printf '[rotation second]\nmembers = dave, erin\nlength = 1d\nhandoff = 08:00\ntimezone = UTC\nstart = 2026-12-01\n' >"$T/second.conf"
sed 's/^L1 = rotation:primary$/L1 = rotation:primary\nL2 = rotation:second/' "$T/oncall.conf" >>"$T/second.conf"
mv "$T/second.conf" "$T/oncall.conf"
run 0 O incident escalate INC-2026-001
run 0 O slack INC-2026-001 escalation
expect_out "(on call in second)"
export SITREP_NOW=2026-11-23T03:12:00Z

# libraries a short command never uses are not loaded at start (src/lazy.h)
if command -v readelf >/dev/null; then
	readelf -d "$SITREP" >"$T/dyn"
	for lib in libpq libical libcurl libicu; do
		grep -q "NEEDED.*$lib" "$T/dyn" && fail "$lib is linked: loaded at every start" || pass
	done
fi
finish
