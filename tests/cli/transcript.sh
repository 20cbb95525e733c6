# SPDX-License-Identifier: MIT
# transcript.sh: docs/transcript.md must be exactly what docs/transcript.sh prints today.
. "$SRCDIR/tests/lib.sh"
sh "$SRCDIR/docs/transcript.sh" >"$T/transcript.md" 2>"$T/err" || fail "docs/transcript.sh failed: $(cat "$T/err")"
if diff -u "$SRCDIR/docs/transcript.md" "$T/transcript.md" >"$T/diff"; then pass; else
	fail "docs/transcript.md is stale; regenerate: SITREP=./sitrep sh docs/transcript.sh > docs/transcript.md"
	head -40 "$T/diff" >&2
fi
finish
