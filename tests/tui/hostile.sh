# SPDX-License-Identifier: MIT
# hostile.sh: escape sequences (OSC 52 clipboard writes, CSI), BEL, C1 controls, bidi overrides
# and invalid UTF-8 in alert labels and annotations, incident rows, notes and a runbook pass
# through every view of the console; the raw bytes the console writes to the terminal
# (captured with tmux pipe-pane) never carry them.
. "$SRCDIR/tests/tui/tmux.sh"
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }

evil=$(printf 'E\033]52;c;ZXZpbA==\007\033[2J\302\233\342\200\256\342\201\246\377\300\200x')

# the demo fixtures, with every alert's labels and annotations made hostile
mkdir -p "$T/fx" "$T/rb"
cp "$SRCDIR"/data/demo/* "$T/fx/"
python3 - "$T/fx/alerts.json" <<'PY'
import json, sys
EVIL = "E\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b\u202e\u2066\udcff\udcc0\udc80x"
p = sys.argv[1]
alerts = json.load(open(p))
for a in alerts:
    a["labels"]["instance"] = EVIL
    a["labels"]["team"] = EVIL
    a["annotations"]["summary"] = "Evil " + EVIL
    a["annotations"]["description"] = EVIL
    if "runbook_url" in a["annotations"]:
        a["annotations"]["runbook_url"] = "evil.md"
data = json.dumps(alerts, ensure_ascii=False).encode("utf-8", "surrogateescape")
open(p, "wb").write(data)
PY
printf -- '---\ntitle: Evil %s\n---\n# Evil %s\n\n%s [link %s](other.md)\n\n- [ ] step %s\n\n```\n%s\n```\n\n| a | %s |\n|---|---|\n| %s | b |\n' \
	"$evil" "$evil" "$evil" "$evil" "$evil" "$evil" "$evil" "$evil" >"$T/rb/evil.md"
printf '[runbooks]\ndirs = %s\n' "$T/rb" >"$T/c.conf"

S() { "$SITREP" --config "$T/c.conf" --store "$T/s.db" "$@" >/dev/null 2>&1 || fail "setup: $*"; }
S incident new --sev P1 --title "$evil" --service "$evil" --impact "$evil"
S incident note INC-2026-001 "$evil"
S incident assign INC-2026-001 commander "$evil"
S incident link INC-2026-001 a3f9c27e41d0b8e5 --what "$evil"

start 120 40 SITREP_TUI_FIXTURES="$T/fx" SITREP_RUNBOOK_INDEX="$T/idx.db" -- \
	--config "$T/c.conf" --store "$T/s.db"
expect "Open incidents"
TM pipe-pane -O -t 0 "cat >>'$T/raw'"
keys C-l
expect "ZXZpbA=="	# the hostile text is on screen, made harmless
keys 2
expect "Evil"
keys Enter
keys j Enter
keys 3
expect "INC-2026-001"
keys Enter
expect "ZXZpbA=="
keys q 4
keys : r u n b o o k Space e v i l Enter
expect "Evil"
keys 5
keys 6
expect "INCIDENT"
keys 7
keys 1
keys C-l
sleep 0.3
TM pipe-pane -t 0
[ -s "$T/raw" ] && pass || fail "pipe-pane captured nothing"

never "$T/raw" "$(printf '\033]')" "an OSC sequence (ESC ])"
never "$T/raw" "$(printf '\007')" "a BEL"
never "$T/raw" "$(printf '\302[\200-\237]')" "a C1 control"
never "$T/raw" "$(printf '\342\200[\252-\256]')" "a bidi override"
never "$T/raw" "$(printf '\342\201[\246-\251]')" "a bidi isolate"
never "$T/raw" "$(printf '\377')" "invalid UTF-8 (0xff)"
never "$T/raw" "$(printf '\300\200')" "an overlong NUL"
keys q
keys q
expect_exit 0
finish
