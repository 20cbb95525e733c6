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

# libraries a short command never uses are not loaded at start (src/lazy.h)
if command -v readelf >/dev/null; then
	readelf -d "$SITREP" >"$T/dyn"
	for lib in libpq libical libcurl libicu; do
		grep -q "NEEDED.*$lib" "$T/dyn" && fail "$lib is linked: loaded at every start" || pass
	done
fi
finish
