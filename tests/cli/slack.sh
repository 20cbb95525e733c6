# SPDX-License-Identifier: MIT
# slack.sh: `sitrep slack`: every shipped template in every format against golden files,
# Block Kit limits checked with jq for a 10,000-character title and 500 timeline events,
# mentions and escapes that never get through, user templates and their load errors.
# SITREP_UPDATE_GOLDEN=1 rewrites the golden files from the current output.
. "$SRCDIR/tests/lib.sh"

command -v jq >/dev/null || { echo "jq missing"; exit 77; }
DB="$T/s.db"
S() { "$SITREP" --store "$DB" "$@"; }
GOLDEN="$SRCDIR/tests/fixtures/slack/golden"
export SITREP_NOW=2026-11-23T03:12:00Z USER=dana

# --- an incident worked for a while, and one resolved ---
run 0 S incident new --sev P1 --title "Checkout API returning 5xx" --service checkout \
	--impact "Customers cannot pay"
SITREP_NOW=2026-11-23T03:15:00Z run 0 S incident ack INC-2026-001
SITREP_NOW=2026-11-23T03:16:00Z run 0 S incident assign INC-2026-001 commander sam
SITREP_NOW=2026-11-23T03:18:00Z run 0 S incident status INC-2026-001 investigating
SITREP_NOW=2026-11-23T03:20:00Z run 0 S incident note INC-2026-001 "error rate 12% since deploy 4711; rolling back"
SITREP_NOW=2026-11-23T03:21:00Z run 0 S incident escalate INC-2026-001
run 0 S incident new --sev P3 --title "Backup job failed" --service backup
SITREP_NOW=2026-11-23T05:12:00Z run 0 S incident resolve INC-2026-002 --cause "disk full on backup host" --resolution "old snapshots pruned"
export SITREP_NOW=2026-11-23T03:25:00Z

golden() { # golden ID KIND FORMAT NAME
	run 0 S slack "$1" "$2" --format "$3"
	if [ "${SITREP_UPDATE_GOLDEN:-0}" = 1 ]; then cp "$T/out" "$GOLDEN/$4"; fi
	if cmp -s "$T/out" "$GOLDEN/$4"; then pass; else
		fail "slack $1 $2 --format $3 differs from golden $4"
		diff "$GOLDEN/$4" "$T/out" | head -20 >&2
	fi
	case $3 in blocks | mattermost)
		jq -e . "$T/out" >/dev/null 2>&1 && pass || fail "$4 is not JSON" ;;
	esac
}
for kind in alert update escalation can exec; do
	for fmt in text mrkdwn blocks mattermost; do
		golden INC-2026-001 $kind $fmt "$kind.$fmt"
	done
done
for fmt in text mrkdwn blocks mattermost; do
	golden INC-2026-002 resolved $fmt "resolved.$fmt"
done

# the kind the incident calls for by default, -o, --ascii
run 0 S slack INC-2026-001 -o "$T/msg.txt"
cmp -s "$T/msg.txt" "$GOLDEN/alert.text" && pass || fail "-o did not write the alert message"
run 0 S slack INC-2026-002 --ascii
expect_out "INCIDENT RESOLVED: Backup job failed"
never "$T/out" "$(printf '[\200-\377]')" "non-ASCII under --ascii"

# usage errors
run 2 S slack INC-2026-001 pager
expect_err 'unknown message kind "pager" (one of: alert, update, resolved, escalation, can, exec)'
run 2 S slack INC-2026-001 --format html
expect_err 'unknown format "html"'
run 1 S slack INC-2026-999
expect_err "INC-2026-999"

# --- hostile data: a 10,000-character title with mentions, markup and escapes ---
title=$(printf '<!channel> *down* <@U123> `rm -rf` \033[31mred\033]52;c;aGk=\007 @here ')
while [ ${#title} -lt 10000 ]; do title="$title<!here>&\"\\x"; done
title=$(printf '%s' "$title" | cut -c1-10000)
run 0 S incident new --sev P1 --title "$title" --service "svc\`x\`" --impact "<@U999>"
i=0
while [ $i -lt 500 ]; do
	printf 'note %d <!everyone> `x` \033[2J\n' $i
	i=$((i + 1))
done >"$T/notes"
while read -r line; do S incident note INC-2026-003 "$line" >/dev/null || fail "note"; done <"$T/notes"
# a user template with the title as a field and as text, then the whole timeline as
# alternating fields and text (a thousand blocks' worth)
mkdir -p "$XDG_CONFIG_HOME/sitrep/templates"
cat >"$XDG_CONFIG_HOME/sitrep/templates/update.mustache" <<'TPL'
{{#emoji}}{{update}} {{/emoji}}INCIDENT UPDATE: {{title}}
Title: {{title}}
{{title}}
{{#timeline}}
Event: {{time}}
{{actor}} wrote {{detail}}
{{/timeline}}
TPL
for kind in alert update escalation can exec; do
	run 0 S slack INC-2026-003 $kind --format blocks
	cp "$T/out" "$T/blocks.json"
	jq_is '.blocks | length <= 50' true
	jq_is '.blocks[0].type' header
	jq_is '.blocks[0].text.text | length <= 150' true
	jq_is '.text | length <= 150' true
	jq_is '[.blocks[] | select(.type == "section") | .text.text // empty | length] | all(. <= 3000)' true
	jq_is '[.blocks[] | .fields // empty | length] | all(. <= 10)' true
	jq_is '[.blocks[] | .fields // empty | .[] | .text | length] | all(. <= 2000)' true
	jq_is '[.. | objects | .text? | strings | length] | add <= 12000' true
	jq_is '.blocks[-1].type' context
	never "$T/out" '<[!@]' "a Slack mention ($kind blocks)"
	never "$T/out" '`' "a backtick ($kind blocks)"
	never "$T/out" "$(printf '\033')" "ESC ($kind blocks)"
	run 0 S slack INC-2026-003 $kind --format mrkdwn
	never "$T/out" '<[!@]' "a Slack mention ($kind mrkdwn)"
	never "$T/out" '@here\|@channel\|@everyone' "a broadcast word ($kind mrkdwn)"
	never "$T/out" "$(printf '\033')" "ESC ($kind mrkdwn)"
	run 0 S slack INC-2026-003 $kind --format mattermost
	jq_is '.text | length <= 16000' true
	jq -r .text "$T/out" >"$T/mm.txt"
	never "$T/mm.txt" '@here\|@channel\|@everyone\|@all' "a Mattermost broadcast ($kind)"
	run 0 S slack INC-2026-003 $kind --format text
	never "$T/out" "$(printf '\033')" "ESC ($kind text)"
	never "$T/out" "$(printf '\007')" "BEL ($kind text)"
done
# the long update really was shortened, and said so
run 0 S slack INC-2026-003 update --format blocks
jq_is '.blocks | length' 50
jq_is '.blocks[-1].elements[0].text | test("more not shown")' true

# --- user template errors: file:line:column and the nearest field ---
printf 'ALERT {{ref}}\nService: {{servce}}\n' >"$XDG_CONFIG_HOME/sitrep/templates/alert.mustache"
run 1 S slack INC-2026-001 alert
expect_err "templates/alert.mustache:2:10: unknown field \"servce\" (did you mean \"service\"?)"
printf 'x\n{{#timeline}}\n' >"$XDG_CONFIG_HOME/sitrep/templates/alert.mustache"
run 1 S slack INC-2026-001 alert
expect_err "templates/alert.mustache:2:1: unclosed section \"timeline\""
printf '{{=<< >>=}}\n<<ref>> <<= x =>>\n' >"$XDG_CONFIG_HOME/sitrep/templates/alert.mustache"
run 1 S slack INC-2026-001 alert
expect_err "templates/alert.mustache:2:9: bad delimiter tag"
rm "$XDG_CONFIG_HOME/sitrep/templates/alert.mustache"
run 0 S slack INC-2026-001 alert
expect_out "INCIDENT ALERT: Checkout API returning 5xx"

finish
