# A few TAP helpers for the end-to-end tests (POSIX sh).
n=0
failed=0
ok() {  # ok COND-EXIT-STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}
check() {  # check NAME CMD...: a test point from a command's status
	name=$1
	shift
	if "$@" >/dev/null; then ok 0 "$name"; else ok 1 "$name"; fi
}
has() {  # has FILE REGEX
	grep -E -q -- "$2" "$1" || { echo "# no line matches '$2' in $1:" >&2; sed 's/^/#   /' "$1" >&2; return 1; }
}
done_testing() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
: "${LINKMATRIX:?set LINKMATRIX to the program under test}"
: "${LM_SRCDIR:?set LM_SRCDIR to the source tree}"
E2E=$LM_SRCDIR/tests/e2e
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lm-e2e.XXXXXX")
# Each run compiles and links anew unless a test asks for the cache
# (cache.t): counts of compiler runs are part of what tests check.
LINKMATRIX_CACHE=off
export LINKMATRIX_CACHE
trap 'rm -rf "$TMP"' EXIT
echo "TAP version 13"
