#!/bin/sh
# SPDX-License-Identifier: MIT
# valgrind-sitrep.sh: runs the real sitrep under valgrind for `make check-valgrind`; any memory
# error or leak turns into exit status 99, which no test expects.
exec valgrind --quiet --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect,possible \
	--show-leak-kinds=definite,indirect,possible "$SITREP_REAL" "$@"
