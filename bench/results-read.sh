#!/bin/sh
# results.json read back, at 1,000 results and at 100,000 (419 MB) of the
# shape of a big nightly run (bench/gen-results.sh): `report compare` of
# two runs and `report merge` of four shards into every format, each's wall
# time (the median of R runs) and peak RSS, beside `cat` of the same bytes
# (the time to read them at all). Time should grow with the results, by
# about their ratio (100); peak RSS should not grow at all.
#
#   bench/results-read.sh [R] [N...]      defaults 3, 1000 100000
set -eu
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/.." && pwd)
LM=${LINKMATRIX:-$SRC/build/linkmatrix}
N=${1:-3}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- 1000 100000
W=$(mktemp -d "${TMPDIR:-/tmp}/lm-bench-results.XXXXXX")
trap 'rm -rf "$W"' EXIT

mb() {  # KiB as MB, or "?" when peak_kb could not tell
	case $1 in
	'' | *[!0-9]*) echo "?" ;;
	*) awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }' ;;
	esac
}

printf '%8s %10s %8s %11s %12s %11s %12s\n' results size "cat s" "compare s" "compare RSS" \
	"merge s" "merge RSS"
for n in "$@"; do
	"$SRC/bench/gen-results.sh" "$n" >"$W/old.json"
	"$SRC/bench/gen-results.sh" "$n" 0/0 10 >"$W/new.json"
	for i in 1 2 3 4; do "$SRC/bench/gen-results.sh" "$n" "$i/4" >"$W/s$i.json"; done
	bytes=$(wc -c <"$W/old.json")
	cat_s=$(time_runs sh -c "cat '$W/old.json' '$W/new.json' >/dev/null")
	cmp_s=$(time_runs "$LM" report compare "$W/old.json" "$W/new.json")
	cmp_kb=$(peak_kb "$LM" report compare "$W/old.json" "$W/new.json")
	merge="$LM report merge $W/s1.json $W/s2.json $W/s3.json $W/s4.json -o $W/merged"
	# shellcheck disable=SC2086
	merge_s=$(time_runs $merge)
	# shellcheck disable=SC2086
	merge_kb=$(peak_kb $merge)
	printf '%8s %10s %8s %11s %12s %11s %12s\n' "$n" "$(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }')" \
		"$cat_s" "$cmp_s" "$(mb "$cmp_kb")" "$merge_s" "$(mb "$merge_kb")"
	rm -rf "$W"/*
done
