# SPDX-License-Identifier: MIT
# bench_runbook.sh: render a ~1 MB runbook at width 100, sitrep against lowdown -Tterm, same run.
set -eu
: "${SITREP:?}" "${SRCDIR:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-bench-runbook-XXXXXX")
trap 'rm -rf "$T"' EXIT
command -v lowdown >/dev/null || { echo "lowdown missing (apt-get install lowdown)"; exit 0; }

# ~1 MB: the shipped runbooks' constructs repeated (headings, lists, tables, code, quotes)
: >"$T/big.md"
i=0
while [ "$(wc -c <"$T/big.md")" -lt 1000000 ]; do
	for f in "$SRCDIR"/data/runbooks/*.md; do
		sed -e '/^---$/,/^---$/d' -e "s/^# /# [$i] /" "$f" >>"$T/big.md"
	done
	i=$((i + 1))
done
size=$(wc -c <"$T/big.md")
echo "input: $size bytes"
# sanity: both produce output
"$SITREP" runbook show "$T/big.md" --width 100 --plain >"$T/a.txt"
lowdown -Tterm --term-width=100 --term-columns=100 "$T/big.md" >"$T/b.txt"
echo "output: sitrep $(wc -l <"$T/a.txt") lines, lowdown $(wc -l <"$T/b.txt") lines"

# the layout itself, without process start-up (sitrep links ~40 shared libraries)
[ -x "${BUILDDIR:-.}/tests/bench/bench_runbook_render" ] &&
	"${BUILDDIR:-.}/tests/bench/bench_runbook_render" "$T/big.md" 100 20

if command -v hyperfine >/dev/null && command -v jq >/dev/null; then
	hyperfine -N --warmup 3 --min-runs 30 --export-json "$T/h.json" \
		"$SITREP runbook show $T/big.md --width 100 --plain" \
		"lowdown -Tterm --term-width=100 --term-columns=100 $T/big.md" >"$T/h.out" 2>&1 ||
		hyperfine --warmup 3 --min-runs 20 --export-json "$T/h.json" \
			"$SITREP runbook show $T/big.md --width 100 --plain > /dev/null" \
			"lowdown -Tterm --term-width=100 --term-columns=100 $T/big.md > /dev/null" >"$T/h.out"
	a=$(jq '.results[0].mean * 1000' "$T/h.json")
	b=$(jq '.results[1].mean * 1000' "$T/h.json")
	am=$(jq '.results[0].min * 1000' "$T/h.json")
	bm=$(jq '.results[1].min * 1000' "$T/h.json")
	printf 'best run: sitrep %.1f ms, lowdown -Tterm %.1f ms, ratio %.2f\n' "$am" "$bm" \
		"$(echo "$am / $bm" | bc -l)"
	# CPU time too: on a loaded machine wall time mostly measures the neighbours
	ac=$(jq '(.results[0].user + .results[0].system) * 1000' "$T/h.json")
	bc=$(jq '(.results[1].user + .results[1].system) * 1000' "$T/h.json")
	printf 'cpu time: sitrep %.1f ms, lowdown -Tterm %.1f ms, ratio %.2f\n' "$ac" "$bc" \
		"$(echo "$ac / $bc" | bc -l)"
else
	# fallback: 20 runs each, wall time
	t0=$(date +%s%N)
	for _ in $(seq 20); do "$SITREP" runbook show "$T/big.md" --width 100 --plain >/dev/null; done
	t1=$(date +%s%N)
	for _ in $(seq 20); do lowdown -Tterm --term-width=100 "$T/big.md" >/dev/null; done
	t2=$(date +%s%N)
	a=$(echo "($t1 - $t0) / 20000000" | bc -l)
	b=$(echo "($t2 - $t1) / 20000000" | bc -l)
fi
ratio=$(echo "$a / $b" | bc -l)
printf 'render 1 MB at width 100 (wall): sitrep %.1f ms, lowdown -Tterm %.1f ms, ratio %.2f (target <= 0.50): %s\n' \
	"$a" "$b" "$ratio" "$(echo "$ratio <= 0.5" | bc -l | sed 's/1/ok/;s/0/SLOW/')"
