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
fault_linkers() {  # L: linkers.d with the fault-injection linkers, in PATH
	L=$TMP/linkers.d
	mkdir -p "$L"
	cp "$LM_SRCDIR"/linkers.d/*.yaml "$E2E"/fault-linkers/*.yaml "$L"/
	PATH=$E2E/fault-linkers:$PATH
	export PATH
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
# The tests count on the linkers Debian packages (bfd, gold, lld, mold);
# Wild, which cargo builds (configure --install-deps), is wild.t's: it is
# hidden here, in PATH and in cargo's bin directory, and WILD names it.
# As linkmatrix looks: PATH first, then cargo's place ({cargo_bin}).
WILD=
keep=
for d in $(echo "$PATH" | tr ':' ' '); do
	if [ -x "$d/wild" ]; then WILD=${WILD:-$d/wild}; else keep=${keep:+$keep:}$d; fi
done
cargo_bin=${CARGO_INSTALL_ROOT:-${CARGO_HOME:-${HOME:-/nonexistent}/.cargo}}/bin
[ -z "$WILD" ] && [ -x "$cargo_bin/wild" ] && WILD=$cargo_bin/wild
PATH=$keep
CARGO_INSTALL_ROOT=$TMP/no-cargo
export PATH CARGO_INSTALL_ROOT
trap 'rm -rf "$TMP"' EXIT
echo "TAP version 13"
