# SPDX-License-Identifier: MIT
# corpus.sh: runs every fuzz target over its seeds (tests/fixtures/NAME) and its crash
# regressions (tests/fuzz/regress/NAME) — in ordinary builds through tests/fuzz/driver.c.
set -u
rc=0
n=0
for prog in "$BUILDDIR"/tests/fuzz/fuzz_*; do
	case $prog in *.c | *.o | *.log | *.trs) continue ;; esac
	[ -x "$prog" ] || continue
	name=$(basename "$prog")
	name=${name#fuzz_}
	if ! "$prog" "$SRCDIR/tests/fixtures/$name" "$SRCDIR/tests/fuzz/regress/$name" >/dev/null; then
		echo "FAIL: fuzz_$name on its corpus"
		rc=1
	else
		n=$((n + 1))
	fi
done
[ "$n" -gt 0 ] || { echo "no fuzz targets built"; exit 1; }
if [ $rc -eq 0 ]; then echo "$n passed, 0 failed"; fi
exit $rc
