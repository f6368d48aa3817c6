#!/bin/sh
# `linkmatrix elf diff` against the baseline a porter would use without it:
# `readelf -aW` on both files and `diff` of the texts. The input is one
# generated program (F functions, R pointer-table entries, so R dynamic
# relocations in a PIE) linked with two linkers; medians of N runs each,
# side by side, with peak RSS.
#
#   bench/elf-diff.sh [F] [R] [N]      defaults 20000 200000 5
set -eu
LM=${LINKMATRIX:-$(dirname "$0")/../build/linkmatrix}
F=${1:-20000}
R=${2:-200000}
N=${3:-5}
LINKERS=${LINKERS:-"lld bfd"}
W=$(mktemp -d "${TMPDIR:-/tmp}/lm-bench-diff.XXXXXX")
trap 'rm -rf "$W"' EXIT

# The program: F functions over 10 files, and a table of R pointers to them.
i=0
while [ "$i" -lt 10 ]; do
	awk -v k="$i" -v f="$F" 'BEGIN { for (j = k; j < f; j += 10) printf "int f%d(void) { return %d; }\n", j, j }' >"$W/f$i.c"
	i=$((i + 1))
done
awk -v f="$F" -v r="$R" 'BEGIN {
	for (j = 0; j < f; j++) printf "int f%d(void);\n", j
	printf "int (*const table[%d])(void) = {\n", r
	for (j = 0; j < r; j++) printf "f%d,\n", j % f
	printf "};\nint main(int argc, char **argv) { (void)argv; return table[argc]() != 1; }\n"
}' >"$W/main.c"
for c in "$W"/*.c; do gcc -O1 -fPIE -c -o "${c%.c}.o" "$c"; done
set -- $LINKERS
A=$1 B=$2
gcc -pie -fuse-ld="$A" -o "$W/$A.out" "$W"/*.o
gcc -pie -fuse-ld="$B" -o "$W/$B.out" "$W"/*.o

. "$(dirname "$0")/lib.sh"

baseline() {
	readelf -aW "$W/$A.out" >"$W/a.txt" 2>/dev/null
	readelf -aW "$W/$B.out" >"$W/b.txt" 2>/dev/null
	diff "$W/a.txt" "$W/b.txt" >"$W/ab.diff" || true
}

relocs=$(readelf -rW "$W/$A.out" | grep -c 'R_X86_64_RELATIVE' || true)
echo "program: $F functions, $R table entries; $A.out $(( $(wc -c <"$W/$A.out") / 1024 )) KiB, $relocs relative relocations"
"$LM" elf diff "$W/$A.out" "$W/$B.out" >"$W/lm.txt" 2>&1 || true   # warm the page cache
lm=$(time_runs "$LM" elf diff "$W/$A.out" "$W/$B.out")
bl=$(time_runs baseline)
echo "linkmatrix elf diff $A $B: median $lm s, peak RSS $(peak_kb "$LM" elf diff "$W/$A.out" "$W/$B.out") KiB, $(wc -l <"$W/lm.txt") lines"
echo "readelf -aW x2 + diff: median $bl s, $(wc -l <"$W/ab.diff") lines of diff"
echo "$lm $bl" | awk '{ printf "ratio linkmatrix / baseline: %.3f (%d runs each)\n", $1 / $2, '"$N"' }'
