#!/bin/sh
# SPDX-License-Identifier: MIT
# transcript.sh: prints docs/transcript.md by running a real incident from new to close
# through the sitrep binary. tests/cli/transcript.sh checks the committed file is current.
#   SITREP=path/to/sitrep sh docs/transcript.sh > docs/transcript.md
set -eu
: "${SITREP:?set SITREP to the sitrep binary}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-transcript-XXXXXX")
trap 'rm -rf "$dir"' EXIT
printf '[general]\nuser = alice\n' >"$dir/sitrep.conf"
export NO_COLOR=1 XDG_CONFIG_HOME="$dir" XDG_STATE_HOME="$dir"

# step TIME CMD...: prints the command as typed and its real output.
step() {
	at=$1
	shift
	printf '\n```console\n$ SITREP_NOW=%s sitrep' "$at"
	for a in "$@"; do
		case $a in
		*[!A-Za-z0-9_./:=-]*) printf " '%s'" "$a" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
	printf '\n'
	SITREP_NOW=$at "$SITREP" --config "$dir/sitrep.conf" --store "$dir/s.db" "$@" 2>&1 ||
		printf '[exit status %d]\n' $?
	printf '```\n'
}

cat <<'HEAD'
# A P1 incident from `new` to `close`

This transcript is produced by `docs/transcript.sh` running the real `sitrep` binary
(`make check` verifies that it still matches). The clock is fixed per step with `SITREP_NOW`,
the user is `alice` (from `[general] user`), and the defaults of `sitrep.conf(5)` apply:
P1 must be acknowledged within 15 minutes and resolved within an hour, with a status update
every 15 minutes; unacknowledged P1s escalate to L2 after 15 minutes, L3 after 30, L4 after 60.

03:12 — the error-rate alert fires and the on-call engineer opens an incident.
HEAD
step 2026-11-23T03:12:00Z incident new --sev P1 --title "Checkout API returning 5xx" --service checkout --impact "Customers cannot pay"
step 2026-11-23T03:12:00Z incident link INC-2026-001 a3f9c27e41d0b8e5 --what "HighErrorRate{service=checkout}"
printf '\n03:29 — nobody has acknowledged it; the timers show the breach and a tick escalates it.\n'
step 2026-11-23T03:29:00Z incident list
step 2026-11-23T03:29:00Z incident tick
printf '\n03:31 — alice acknowledges it (now at L2), takes command and starts investigating.\n'
step 2026-11-23T03:31:00Z incident ack INC-2026-001
step 2026-11-23T03:31:30Z incident assign INC-2026-001 commander alice
step 2026-11-23T03:32:00Z incident status INC-2026-001 investigating
step 2026-11-23T03:35:00Z incident note INC-2026-001 5xx started with the 03:05 deploy of checkout v1.42
step 2026-11-23T03:36:00Z incident update-sent INC-2026-001 --channel "#inc-checkout"
printf '\nTrying to close an incident that is not resolved is refused, and nothing is written.\n'
step 2026-11-23T03:37:00Z incident close INC-2026-001
printf '\n03:38 — the cause is identified and the deploy rolled back; monitoring.\n'
step 2026-11-23T03:38:00Z incident status INC-2026-001 identified
step 2026-11-23T03:44:00Z incident status INC-2026-001 monitoring
step 2026-11-23T03:58:00Z incident resolve INC-2026-001 --cause "checkout v1.42 sent requests to a retired payments endpoint" --resolution "rolled back to v1.41"
printf '\n09:00 — after the review, the incident is closed. Its full record:\n'
step 2026-11-23T09:00:00Z incident close INC-2026-001
step 2026-11-23T09:00:00Z incident show INC-2026-001
step 2026-11-23T09:00:00Z incident show INC-2026-001 --json
