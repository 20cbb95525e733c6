#!/bin/sh
# SPDX-License-Identifier: MIT
# build.sh: installs what sitrep needs on Debian 12, builds it, and runs the demo or the tests.
#   ./build.sh demo   install, build, start sitrep on its built-in demo data
#   ./build.sh test   install, build with -Werror + ASan/UBSan, run the whole test suite:
#                     make check, valgrind, cppcheck, a libFuzzer smoke run, make distcheck
# Both are idempotent: packages already installed are not fetched again, and the build in
# _build/ (or _build-test/) is reused. When the source tree itself was configured by hand
# (README, "Building by hand": ./configure in the tree), autoconf refuses any build in a
# subdirectory: `demo` then builds in place, and `test` says exactly what to run.
#
# Environment (for the test of this script, tests/cli/build.sh):
#   SITREP_BUILD_NO_APT=1  do not install packages
#   SITREP_BUILD_NO_RUN=1  `demo` builds and prints the command it would run instead of it
set -eu

cd "$(dirname "$0")"
top=$(pwd)

# Build tools and libraries, then what the tests drive (real servers, peers, checkers).
BUILD_PKGS="build-essential autoconf automake pkg-config libncurses-dev libcurl4-gnutls-dev
libcjson-dev libpq-dev libsqlite3-dev libmd4c-dev libinih-dev libcmocka-dev nettle-dev libical-dev
tzdata"
TEST_PKGS="jq tmux valgrind cppcheck sqlite3 python3 clang libclang-rt-14-dev lowdown hyperfine
prometheus prometheus-alertmanager prometheus-node-exporter postgresql curl screen openssl
python3-jsonschema"

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

install_pkgs() {
	[ "${SITREP_BUILD_NO_APT:-}" = 1 ] && return 0
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "== installing:$missing"
	as_root apt-get update -qq
	# shellcheck disable=SC2086
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

configure_in() {
	dir=$1
	shift
	if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
		autoreconf -fi
	fi
	mkdir -p "$dir"
	# Reconfigure when the flags changed since the last run.
	if [ ! -f "$dir/Makefile" ] || [ "$(cat "$dir/.flags" 2>/dev/null)" != "$*" ]; then
		(cd "$dir" && "$top/configure" -q "$@")
		echo "$*" >"$dir/.flags"
	fi
	make -C "$dir" -j"$(nproc)" >/dev/null
}

# The tree was configured in place (./configure here): no build in a subdirectory can be
# configured until that one is removed (`make distclean`).
configured_in_place() {
	[ -f "$top/config.status" ]
}

run_demo() {
	if [ "${SITREP_BUILD_NO_RUN:-}" = 1 ]; then
		echo "== built; would run: $* --demo"
		exit 0
	fi
	exec "$@" --demo
}

case "${1:-}" in
demo)
	# shellcheck disable=SC2086
	install_pkgs $BUILD_PKGS
	if configured_in_place; then
		echo "== this tree was configured in place (./configure here): building in place"
		make -j"$(nproc)" >/dev/null
		run_demo ./sitrep
	fi
	configure_in _build
	run_demo ./_build/sitrep
	;;
test)
	if configured_in_place; then
		cat >&2 <<'EOF'
build.sh test: this tree was configured in place (./configure was run here), and autoconf
then refuses the builds in _build-test/, _build-vg/ and _build-fuzz/ that the tests need
(their flags differ). Remove the in-place build, then run the tests again:

    make distclean && ./build.sh test

(Or keep building in place by hand: make check, as in the README.)
EOF
		exit 1
	fi
	# shellcheck disable=SC2086
	install_pkgs $BUILD_PKGS $TEST_PKGS
	configure_in _build-test --enable-werror --enable-sanitizers
	echo "== make check (ASan + UBSan, -Werror)"
	make -C _build-test -j"$(nproc)" check || {
		cat _build-test/test-suite.log 2>/dev/null | tail -n 200
		exit 1
	}
	echo "== valgrind: unit tests"
	configure_in _build-vg
	make -C _build-vg -j"$(nproc)" check-valgrind
	echo "== cppcheck"
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
		--inline-suppr --std=c11 -D__GNUC__ -I src -I cli src cli tui 2>&1
	echo "== fuzz smoke (clang + libFuzzer, ${FUZZ_SECONDS:-20} s per target)"
	configure_in _build-fuzz CC=clang --enable-fuzzing
	make -C _build-fuzz fuzz-smoke FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
	echo "== make distcheck"
	make -C _build-vg -j"$(nproc)" distcheck >/dev/null || {
		# distcheck builds and tests in _build-vg/sitrep-*/_build/sub: show what failed there
		for log in _build-vg/sitrep-*/_build/sub/test-suite.log; do
			[ -f "$log" ] && tail -n 200 "$log"
		done
		exit 1
	}
	echo "== all tests passed"
	;;
*)
	echo "usage: $0 demo|test" >&2
	exit 2
	;;
esac
