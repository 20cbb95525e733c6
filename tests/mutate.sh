#!/bin/sh
# SPDX-License-Identifier: MIT
# mutate.sh: mutation testing of the core modules (`make mutate`; not part of `make check`).
#
# Copies the source tree (tracked and untracked files, as they are now) into a scratch git
# repository, builds it once (no sanitizers, -O1), then runs mutate.py over each module with the
# narrowest test command that covers it. mutate.py edits files in place and restores them with
# `git checkout`, so it only ever touches the scratch copy.
#
# Environment (all optional):
#   MUTATE_PY       the driver (default: ../shared/tools/mutate.py next to the source tree)
#   MUTATE_SEED     seed of the sample (default 1)
#   MUTATE_SAMPLE   mutants per module (default 40)
#   MUTATE_TIMEOUT  seconds per build or test run before the mutant counts as killed (default 60)
#   MUTATE_MODULES  space-separated subset of the modules below (default: all)
#   MUTATE_DIR      the scratch directory (default: a new mktemp -d, removed at the end)
#   MUTATE_OUT      directory for one JSON file of results per module (default: not kept)
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
SEED=${MUTATE_SEED:-1}
SAMPLE=${MUTATE_SAMPLE:-40}
TIMEOUT=${MUTATE_TIMEOUT:-60}
MODULES=${MUTATE_MODULES:-"incident change store_sqlite text matcher alertmgr jsonr prom runbook config slack"}

if [ -z "${MUTATE_PY:-}" ]; then
	for c in "$SRCDIR/../shared/tools/mutate.py" "$SRCDIR/../../shared/tools/mutate.py"; do
		[ -f "$c" ] && { MUTATE_PY=$c; break; }
	done
fi
[ -f "${MUTATE_PY:-}" ] || { echo "mutate: set MUTATE_PY to mutate.py (see docs/testing.md)" >&2; exit 2; }

# The unit test programs that cover each module (run directly, not through make check).
tests_of() {
	case $1 in
	incident) echo "test_incident test_change" ;;
	change) echo "test_change" ;;
	store_sqlite) echo "test_store" ;;
	text) echo "test_text" ;;
	matcher) echo "test_matcher" ;;
	alertmgr) echo "test_alertmgr" ;;
	jsonr) echo "test_prom test_alertmgr" ;;
	prom) echo "test_prom" ;;
	runbook) echo "test_runbook" ;;
	config) echo "test_config" ;;
	slack) echo "test_slack" ;;
	*) return 1 ;;
	esac
}

if [ -n "${MUTATE_DIR:-}" ]; then
	W=$MUTATE_DIR
	mkdir -p "$W"
else
	W=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-mutate-XXXXXX")
	trap 'rm -rf "$W"' EXIT
	trap 'exit 130' INT TERM
fi
echo "mutate: scratch copy in $W (seed $SEED, $SAMPLE per module, driver $MUTATE_PY)"
rm -rf "$W/tree"
mkdir -p "$W/tree"
(cd "$SRCDIR" && git ls-files -co --exclude-standard -z | xargs -0 tar cf -) | (cd "$W/tree" && tar xf -)
(cd "$W/tree" && git init -q && git add -A && git -c user.name=mutate -c user.email=mutate@localhost \
	commit -qm scratch) || exit 2
(cd "$W/tree" && autoreconf -fi >/dev/null 2>&1 && mkdir -p b && cd b &&
	../configure -q CFLAGS="-O1 -g0" >/dev/null) || { echo "mutate: configure failed" >&2; exit 2; }
progs=
for m in $MODULES; do
	t=$(tests_of "$m") || { echo "mutate: unknown module $m" >&2; exit 2; }
	for p in $t; do progs="$progs tests/unit/$p"; done
done
make -C "$W/tree/b" -j2 $progs >"$W/build.log" 2>&1 || { tail -n 30 "$W/build.log"; exit 2; }
for p in $progs; do
	(cd "$W/tree/b" && SRCDIR="$W/tree" ./$p >/dev/null 2>&1) ||
		{ echo "mutate: $p fails before any mutation" >&2; exit 2; }
done

summary=
for m in $MODULES; do
	progs=
	run=
	for p in $(tests_of "$m"); do
		progs="$progs tests/unit/$p"
		run="$run && SRCDIR=\"$W/tree\" ./tests/unit/$p"
	done
	echo "== $m ($(tests_of "$m"))"
	json="$W/$m.json"
	python3 "$MUTATE_PY" --tree "$W/tree" --seed "$SEED" --sample "$SAMPLE" --timeout "$TIMEOUT" \
		--build "make -C b -s $progs >/dev/null 2>&1" \
		--test "cd b$run >/dev/null 2>&1" --json "$json" "src/$m.c" | tee "$W/$m.log"
	score=$(grep '^mutation score' "$W/$m.log" | sed 's/^mutation score: //')
	summary="$summary$(printf '%-13s %s' "$m" "$score")
"
	grep ' survived ' "$W/$m.log" | sed 's/^/  SURVIVED /'
	[ -n "${MUTATE_OUT:-}" ] && { mkdir -p "$MUTATE_OUT"; cp "$json" "$MUTATE_OUT/"; }
done
echo "== mutation scores (seed $SEED, sample $SAMPLE)"
printf '%s' "$summary"
