# SPDX-License-Identifier: MIT
# build.sh: `./build.sh demo` after the README's "Building by hand" (./configure in the tree)
# builds in place instead of failing with "source directory already configured"; `./build.sh
# test` says exactly what to run (issue 12). Works on a scratch copy of the source tree,
# configured in place at -O0 to keep it short; packages are not installed
# (SITREP_BUILD_NO_APT=1) and the demo is not started (SITREP_BUILD_NO_RUN=1).
. "$SRCDIR/tests/lib.sh"

[ -f "$SRCDIR/build.sh" ] || { echo "build.sh not in this tree"; exit 77; }
command -v autoreconf >/dev/null || { echo "autoreconf missing"; exit 77; }

SRC="$T/src"
mkdir -p "$SRC"
(cd "$SRCDIR" && tar cf - --exclude='./_build*' --exclude=./.git --exclude=./autom4te.cache .) |
	(cd "$SRC" && tar xf -)
cd "$SRC" || exit 1
chmod -R u+w .
# a tree built in place already: start from a clean one, as a user following the README
if [ -f config.status ]; then make distclean >/dev/null 2>&1 || { fail "make distclean"; finish; }; fi
[ -x configure ] || autoreconf -fi >/dev/null 2>&1 || { fail "autoreconf"; finish; }

# the README's "Building by hand", first step
./configure -q CFLAGS=-O0 >"$T/configure.log" 2>&1 || { fail "configure: $(tail -5 "$T/configure.log")"; finish; }
run 0 env SITREP_BUILD_NO_APT=1 SITREP_BUILD_NO_RUN=1 ./build.sh demo
expect_out "configured in place"
expect_out "would run: ./sitrep --demo"
grep -q "already configured" "$T/out" "$T/err" && fail "autoconf's refusal reached the user" || pass
[ -x ./sitrep ] && ./sitrep --version >/dev/null && pass || fail "no working ./sitrep after build.sh demo"
[ -d _build ] && fail "a _build/ was made although the tree is configured in place" || pass
# again: nothing to rebuild, same answer
run 0 env SITREP_BUILD_NO_APT=1 SITREP_BUILD_NO_RUN=1 ./build.sh demo
expect_out "would run: ./sitrep --demo"

# the tests need their own build directories: the exact commands, exit 1
run 1 env SITREP_BUILD_NO_APT=1 ./build.sh test
expect_err "configured in place"
expect_err "make distclean && ./build.sh test"
[ -d _build-test ] && fail "build.sh test made _build-test/ anyway" || pass

# after the advice, the ordinary way works again (configure only: the build is the same)
make distclean >/dev/null 2>&1 || fail "make distclean"
[ -f config.status ] && fail "still configured in place" || pass
finish
