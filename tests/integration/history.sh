# SPDX-License-Identifier: MIT
# history.sh: `sitrep alerts history NAME` (issue 16) against a real Prometheus: its always-
# firing rule shows in the last cell of the 24-hour strip (it has fired only since the server
# started), not in the first; an alert that never fired shows an empty strip; the strip is one
# range query of ALERTS{alertstate="firing",alertname=...}.
set -u
. "$SRCDIR/tests/integration/servers.sh"
srv_need "$PROM_BIN"
command -v jq >/dev/null 2>&1 || { echo "SKIP: jq missing"; exit 77; }
unset SITREP_NOW

srv_setup
srv_start_prom || exit 1
srv_sitrep_conf
srv_test_helpers

# ALERTS has samples once the rule has been evaluated a few times
fired() { S alerts history SitrepTestFiring --json >"$SRV_DIR/out" 2>&1 &&
	jq -e '.firing_seconds > 0' "$SRV_DIR/out" >/dev/null; }
srv_until fired 150 || fail "no firing history: $(cat "$SRV_DIR/out")"
jq -e '(.cells | length) == 48 and (.cells | endswith("#")) and (.cells | startswith("."))
	and .episodes == 1 and .cell_seconds == 1800 and .alertname == "SitrepTestFiring"' \
	"$SRV_DIR/out" >/dev/null && ok "firing rule: last cell only, one episode" ||
	fail "json: $(cat "$SRV_DIR/out")"
S alerts history SitrepTestFiring >"$SRV_DIR/out" 2>&1
grep -q '^|\.\{47\}#|$' "$SRV_DIR/out" && grep -q "fired 1 time," "$SRV_DIR/out" &&
	ok "text strip, plain when piped" || fail "text: $(cat "$SRV_DIR/out")"
S alerts history NeverFired --json >"$SRV_DIR/out" 2>&1
jq -e '.cells == ("." * 48) and .firing_seconds == 0 and .last_fired == null' "$SRV_DIR/out" >/dev/null &&
	ok "an alert that never fired: empty strip" || fail "never: $(cat "$SRV_DIR/out")"
# a hostile name is escaped into PromQL and never reaches the terminal raw
S alerts history "$(printf 'x"\033[2J')" >"$SRV_DIR/out" 2>&1
test $? -eq 0 && ! grep -q "$(printf '\033')" "$SRV_DIR/out" && ok "hostile name escaped and sanitised" ||
	fail "hostile: $(cat -v "$SRV_DIR/out")"

test $fails -eq 0
