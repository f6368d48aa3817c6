#!/bin/sh
# linkmatrix against the test suite one would write by hand: N generated
# cases (two C files, one a static library member, a shared library, output
# checked), each run with GNU ld, gold, lld and mold,
#   (a) by a per-test shell script in the style of mold's test suite:
#       every test compiles its sources, links with -fuse-ld=L, runs the
#       program and greps its output; tests run J at a time (xargs -P);
#   (b) by `linkmatrix run -jJ` with an empty cache (cold);
#   (c) by the same again (warm: unchanged linkers, every compile and link
#       from the cache).
# Prints the wall times, the ratios, and linkmatrix's own CPU share and
# peak RSS.
#
#   bench/matrix.sh [N] [J]      defaults 200 2
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
LM=${LINKMATRIX:-$SRC/build/linkmatrix}
N=${1:-200}
J=${2:-2}
LINKERS="bfd gold lld mold"
W=$(mktemp -d "${TMPDIR:-/tmp}/lm-bench-matrix.XXXXXX")
trap 'rm -rf "$W"' EXIT
. "$SRC/bench/lib.sh"

mkdir -p "$W/shell"
"$SRC/bench/gen-cases.sh" "$N" "$W/cases"

# (a): one script per test, as a hand-written suite has.
cat >"$W/shell/test.sh" <<'SH'
#!/bin/sh
# test.sh CASE-DIR N LINKER: compile, link, run, grep; exit 1 on failure.
set -e
src=$1 i=$2 l=$3
t=$(mktemp -d "$src/t.XXXXXX")
cd "$t"
printf 'int util%d(int x) { return x * %d; }\n' "$i" $((i % 7 + 2)) >util.c
printf '#include <stdio.h>\nint util%d(int x);\nvoid greet%d(void) { printf("ok %%d\\n", util%d(%d)); }\n' "$i" "$i" "$i" "$i" >lib.c
printf 'void greet%d(void);\nint main(void) { greet%d(); return 0; }\n' "$i" "$i" >main.c
cc -fPIC -c util.c
ar rcs libutil.a util.o
cc -fPIC -c lib.c
cc -fuse-ld="$l" -shared -o libgreet.so lib.o libutil.a
cc -c main.c
cc -fuse-ld="$l" -o main main.o libgreet.so -L.
LD_LIBRARY_PATH=. ./main | grep -q "^ok $((i * (i % 7 + 2)))\$"
cd / && rm -rf "$t"
SH
chmod +x "$W/shell/test.sh"
shell_suite() {
	i=0
	while [ "$i" -lt "$N" ]; do
		for l in $LINKERS; do echo "$i $l"; done
		i=$((i + 1))
	done | xargs -P "$J" -n 2 sh -c '"$0" "$1" "$2" "$3"' "$W/shell/test.sh" "$W/shell"
}

lm() {  # lm CACHE: one linkmatrix run; its summary in $W/lm.out
	LINKMATRIX_CACHE=$1 "$LM" run -q -j"$J" --report "$W/reports" \
		--linker "$(echo $LINKERS | tr ' ' ,)" "$W/cases" >"$W/lm.out" 2>&1 || true
}
t0=$(now); shell_suite; t1=$(now)
t_shell=$(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')
t0=$(now); lm "$W/cache"; t1=$(now)
t_cold=$(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')
cpu_cold=$(sed -n 's/.*harness CPU \([0-9.]* s ([0-9.]* s in the kernel) = [0-9.]*%\).*/\1/p' "$W/lm.out")
rss_cold=$(sed -n 's/.*harness peak RSS \([0-9.]* MB\).*/\1/p' "$W/lm.out")
summary=$(grep ' tests: ' "$W/lm.out")
t0=$(now); lm "$W/cache"; t1=$(now)
t_warm=$(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')
cpu_warm=$(sed -n 's/.*harness CPU \([0-9.]* s\).*/\1/p' "$W/lm.out")
t0=$(now); lm off; t1=$(now)
t_nocache=$(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')
cpu_nocache=$(sed -n 's/.*harness CPU \([0-9.]* s ([0-9.]* s in the kernel) = [0-9.]*%\).*/\1/p' "$W/lm.out")

echo "$N cases x 4 linkers ($LINKERS), -j$J"
echo "$summary"
printf '%-34s %8s\n' "(a) shell script per test" "$t_shell s"
printf '%-34s %8s   harness CPU %s of its children, its peak RSS %s\n' "(b) linkmatrix, cold cache" "$t_cold s" "$cpu_cold" "$rss_cold"
printf '%-34s %8s   harness CPU %s\n' "(c) linkmatrix, warm cache" "$t_warm s" "$cpu_warm"
printf '%-34s %8s   harness CPU %s of its children\n' "    linkmatrix, no cache" "$t_nocache s" "$cpu_nocache"
echo "$t_cold $t_shell $t_warm" | awk '{ printf "cold / shell = %.2f   warm / cold = %.2f\n", $1 / $2, $3 / $1 }'
