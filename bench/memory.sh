#!/bin/sh
# The harness's own peak RSS against the number of cases: for each N, N
# generated cases (bench/gen-cases.sh) run with GNU ld, gold, lld and mold,
# once with an empty cache (cold) and once more (warm, every compile and
# link from the cache, so the harness is most of what runs). Prints the
# peak RSS the run's summary gives (getrusage, without its children).
#
#   bench/memory.sh [J] [N...]      defaults 2, 200 2000
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
LM=${LINKMATRIX:-$SRC/build/linkmatrix}
J=${1:-2}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- 200 2000
W=$(mktemp -d "${TMPDIR:-/tmp}/lm-bench-memory.XXXXXX")
trap 'rm -rf "$W"' EXIT

rss() {  # rss N CACHE: one run's peak RSS
	LINKMATRIX_CACHE=$2 "$LM" run -q -j"$J" --report "$W/reports" \
		--linker bfd,gold,lld,mold "$W/cases$1" 2>&1 |
		sed -n 's/.*harness peak RSS \([0-9.]* MB\).*/\1/p'
}

printf '%8s %8s %12s %12s\n' cases tests "cold RSS" "warm RSS"
for n in "$@"; do
	"$SRC/bench/gen-cases.sh" "$n" "$W/cases$n"
	rm -rf "$W/cache"
	cold=$(rss "$n" "$W/cache")
	warm=$(rss "$n" "$W/cache")
	printf '%8s %8s %12s %12s\n' "$n" $((n * 4)) "$cold" "$warm"
done
