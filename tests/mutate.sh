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
#   MUTATE_BEFORE   a git revision: its unit test programs run against the same mutants too, so
#                   one run gives the score before and after the tests changed (same sample)
#   MUTATE_SANITIZE 1: build the scratch copy with --enable-sanitizers (ASan+UBSan, as make
#                   check in CI) in b-san/ instead of b/, and run the tests with make check's
#                   ASAN_OPTIONS/UBSAN_OPTIONS: a mutant a sanitizer reports counts as killed
#
# A MUTATE_DIR that already holds a built scratch copy is reused: the current files are copied
# over it and only what changed is rebuilt.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
SEED=${MUTATE_SEED:-1}
# The build directory inside the scratch tree: b/ (plain, -O0) or b-san/ (ASan+UBSan); both can
# live in one MUTATE_DIR, each configured once.
if [ "${MUTATE_SANITIZE:-0}" = 1 ]; then
	B=b-san
	CONF_SAN=--enable-sanitizers
	# as make check (Makefile.am): leaks reported, UBSan stops the program
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0; export ASAN_OPTIONS
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1; export UBSAN_OPTIONS
else
	B=b
	CONF_SAN=
fi
SAMPLE=${MUTATE_SAMPLE:-40}
TIMEOUT=${MUTATE_TIMEOUT:-60}
MODULES=${MUTATE_MODULES:-"incident change store_sqlite text matcher alertmgr jsonr prom runbook config slack
	template outbox postmortem chain oncall ical feed format severity stats session"}

if [ -z "${MUTATE_PY:-}" ]; then
	for c in "$SRCDIR/../shared/tools/mutate.py" "$SRCDIR/../../shared/tools/mutate.py"; do
		[ -f "$c" ] && { MUTATE_PY=$c; break; }
	done
fi
[ -f "${MUTATE_PY:-}" ] || { echo "mutate: set MUTATE_PY to mutate.py (see docs/testing.md)" >&2; exit 2; }

# The unit test programs that cover each module (run directly, not through make check). An
# entry ending in .sh is a shell test under tests/ (e.g. cli/export.sh): the sitrep binary is
# then rebuilt for each mutant and the script run with make check's environment; MUTATE_BEFORE
# leaves shell tests out of the earlier verdict (they are not versioned with the unit tests).
tests_of() {
	case $1 in
	incident) echo "test_incident test_change" ;;
	change) echo "test_change" ;;
	store_sqlite) echo "test_store" ;;
	text) echo "test_text" ;;
	matcher) echo "test_matcher" ;;
	alertmgr) echo "test_alertmgr" ;;
	jsonr) echo "test_jsonr test_prom test_alertmgr" ;;
	prom) echo "test_prom" ;;
	runbook) echo "test_runbook" ;;
	config) echo "test_config" ;;
	slack) echo "test_slack" ;;
	template) echo "test_template" ;;
	outbox) echo "test_outbox test_chain" ;;
	postmortem) echo "test_postmortem cli/export.sh" ;;
	chain) echo "test_chain" ;;
	oncall) echo "test_oncall" ;;
	ical) echo "test_oncall" ;;
	feed) echo "test_feed" ;;
	format) echo "test_format" ;;
	severity) echo "test_config" ;;
	stats) echo "test_postmortem" ;;
	session) echo "test_format" ;;
	*) return 1 ;;
	esac
}

# prog_of TEST: what make builds for it
prog_of() {
	case $1 in
	*.sh) echo sitrep ;;
	*) echo "tests/unit/$1" ;;
	esac
}
# run_of TEST: the command that runs it from the build directory
run_of() {
	case $1 in
	*.sh) echo "SITREP=\"$W/tree/$B/sitrep\" SRCDIR=\"$W/tree\" BUILDDIR=\"$W/tree/$B\" SITREP_DATADIR=\"$W/tree/data\" TMPDIR=\"$W/tmp\" sh \"$W/tree/tests/$1\"" ;;
	*) echo "SRCDIR=\"$W/tree\" ./tests/unit/$1" ;;
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
echo "mutate: scratch copy in $W (seed $SEED, $SAMPLE per module, build $B, driver $MUTATE_PY)"
mkdir -p "$W/tree"
# The files as they are now go through a staging copy; only those whose content differs are
# copied into the tree (cp gives them a new mtime: tar would keep the old one, and make would
# not rebuild what an interrupted run built from a mutated file).
rm -rf "$W/stage"
mkdir -p "$W/stage"
(cd "$SRCDIR" && git ls-files -co --exclude-standard -z | xargs -0 tar cf -) | (cd "$W/stage" && tar xf -)
(cd "$W/stage" && find . -type f) | while read -r f; do
	cmp -s "$W/stage/$f" "$W/tree/$f" || { mkdir -p "$(dirname "$W/tree/$f")" &&
		cp "$W/stage/$f" "$W/tree/$f"; }
done
rm -rf "$W/stage"
(cd "$W/tree" && { [ -d .git ] || git init -q; } && printf 'b/\nb-san/\n' >.git/info/exclude &&
	git add -A &&
	{ git diff --cached --quiet 2>/dev/null ||
	  git -c user.name=mutate -c user.email=mutate@localhost commit -qm scratch; }) || exit 2
if [ ! -f "$W/tree/$B/Makefile" ]; then
	(cd "$W/tree" && autoreconf -fi >/dev/null 2>&1 && mkdir -p $B && cd $B &&
		../configure -q $CONF_SAN CFLAGS="-O0 -g0" >/dev/null) ||
		{ echo "mutate: configure failed" >&2; exit 2; }
fi
progs=
for m in $MODULES; do
	t=$(tests_of "$m") || { echo "mutate: unknown module $m" >&2; exit 2; }
	for p in $t; do progs="$progs $(prog_of "$p")"; done
done
# the generated sources (BUILT_SOURCES) first: make PROG alone does not make them
built=$(printf 'print-built:\n\t@echo $(BUILT_SOURCES)\n' |
	make -C "$W/tree/$B" -s --no-print-directory -f Makefile -f - print-built 2>/dev/null)
make -C "$W/tree/$B" -j2 $built $progs >"$W/build.log" 2>&1 || { tail -n 30 "$W/build.log"; exit 2; }
mkdir -p "$W/tmp"
for m in $MODULES; do
	for p in $(tests_of "$m"); do
		(cd "$W/tree/$B" && eval "$(run_of "$p")" >/dev/null 2>&1) ||
			{ echo "mutate: $p fails before any mutation" >&2; exit 2; }
	done
done

# before_cmds PROG: the commands that compile MUTATE_BEFORE's PROG.c to b/before/PROG.o and
# link it as b/before/PROG (taken from make's own commands for the current PROG).
before_cmds() {
	make -C "$W/tree/$B" -n -W "tests/unit/$1.c" "tests/unit/$1" 2>/dev/null | python3 -c '
import re, sys
p = sys.argv[1]
for l in sys.stdin:
    l = l.split(";", 1)[-1].strip() if l.startswith("echo ") else l.strip()
    if "-c -o tests/unit/%s-%s.o" % (p, p) in l:
        l = re.sub(r" -MT \S+ -MD -MP -MF \S+", "", l)
        l = l[:l.index(" -c -o ")] + " -c -o before/%s.o before/%s.c" % (p, p)
        print(l)
    elif l.startswith(("gcc", "cc", "clang")) and " -o tests/unit/%s " % p in l:
        print(l.replace(" -o tests/unit/%s tests/unit/%s-%s.o" % (p, p, p),
                        " -o before/%s before/%s.o" % (p, p)))
' "$1"
}
summary=
for m in $MODULES; do
	progs=
	run=
	bbuild=
	brun=
	for p in $(tests_of "$m"); do
		progs="$progs $(prog_of "$p")"
		run="$run && $(run_of "$p")"
		case $p in *.sh) continue ;; esac
		if [ -n "${MUTATE_BEFORE:-}" ]; then
			mkdir -p "$W/tree/$B/before"
			# a program that did not exist then is left out of the earlier verdict
			git -C "$SRCDIR" show "$MUTATE_BEFORE:tests/unit/$p.c" \
				>"$W/tree/$B/before/$p.c" 2>/dev/null || continue
			before_cmds "$p" >"$W/tree/$B/before/$p.sh"
			[ "$(wc -l <"$W/tree/$B/before/$p.sh")" -eq 2 ] ||
				{ echo "mutate: cannot build the $MUTATE_BEFORE $p" >&2; exit 2; }
			head -n 1 "$W/tree/$B/before/$p.sh" | (cd "$W/tree/$B" && sh) || exit 2
			bbuild="$bbuild && $(tail -n 1 "$W/tree/$B/before/$p.sh")"
			brun="$brun && SRCDIR=\"$W/tree\" timeout $TIMEOUT ./before/$p"
		fi
	done
	echo "== $m ($(tests_of "$m"))"
	json="$W/$m.json"
	: >"$W/$m.before"
	test="cd $B$run >/dev/null 2>&1"
	build="make -C $B -s $progs >/dev/null 2>&1"
	if [ -n "$bbuild" ]; then
		# the earlier tests' verdict on the same mutant, one line per mutant that built
		build="$build && cd $B$bbuild >/dev/null 2>&1"
		test="(cd $B$brun >/dev/null 2>&1; echo \$? >>\"$W/$m.before\"); $test"
	fi
	# The test runs under timeout(1) a little before mutate.py's own limit: mutate.py stops only
	# the shell it started, and a hung test program (with any stand-in server it started) went
	# on running without a parent; timeout signals its whole process group.
	printf '%s\n' "$test" >"$W/$m.test.sh"
	test="timeout -k 5 $((TIMEOUT > 20 ? TIMEOUT - 10 : TIMEOUT)) sh \"$W/$m.test.sh\""
	python3 "$MUTATE_PY" --tree "$W/tree" --seed "$SEED" --sample "$SAMPLE" --timeout "$TIMEOUT" \
		--build "$build" --test "$test" --json "$json" "src/$m.c" | tee "$W/$m.log"
	score=$(grep '^mutation score' "$W/$m.log" | sed 's/^mutation score: //')
	if [ -n "$bbuild" ]; then
		bk=$(grep -vc '^0$' "$W/$m.before")
		bn=$(wc -l <"$W/$m.before")
		score="$score; with the $MUTATE_BEFORE tests: $bk/$bn killed"
	fi
	summary="$summary$(printf '%-13s %s' "$m" "$score")
"
	grep ' survived ' "$W/$m.log" | sed 's/^/  SURVIVED /'
	[ -n "${MUTATE_OUT:-}" ] && { mkdir -p "$MUTATE_OUT"; cp "$json" "$W/$m.before" "$MUTATE_OUT/"; }
done
echo "== mutation scores (seed $SEED, sample $SAMPLE)"
printf '%s' "$summary"
