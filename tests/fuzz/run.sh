#!/bin/sh
# tests/fuzz/run.sh BUILD SECONDS: seeds each fuzz target's corpus (the
# bundled cases, small outputs of every installed linker, a results.json,
# the cache bundles of that run) and gives it its dictionary when it has
# one (tests/fuzz/TARGET.dict: the hostile names for fuzz_case),
# runs each target SECONDS, prints its executions, and fails on any crash,
# leak, timeout or sanitizer report (the input is kept in BUILD/crash-*).
set -u
B=$1
T=${2:-60}
C=$B/corpus
mkdir -p "$C/case" "$C/elf" "$C/diff" "$C/results" "$C/cache"
W=$(mktemp -d "${TMPDIR:-/tmp}/lm-fuzz.XXXXXX")
trap 'rm -rf "$W"' EXIT

i=0
for f in cases/*/*.yaml tests/e2e/cases/*/*.yaml tests/e2e/cases/*.yaml; do
	i=$((i + 1))
	cp "$f" "$C/case/seed$i.yaml"
done

printf 'int x = 1;\nint f(void) { return x; }\n__attribute__((constructor)) static void c(void) { x = 2; }\n' >"$W/f.c"
printf 'int f(void);\nint main(void) { return f(); }\n' >"$W/m.c"
cc -c -fPIC -o "$W/f.o" "$W/f.c" && cp "$W/f.o" "$C/elf/f.o"
cc -c -fPIE -o "$W/m.o" "$W/m.c"
for l in bfd gold lld mold; do
	cc -fuse-ld=$l -shared -o "$W/lib$l.so" "$W/f.o" 2>/dev/null || continue
	cc -fuse-ld=$l -pie -o "$W/main.$l" "$W/m.o" "$W/lib$l.so" 2>/dev/null
	cp "$W/lib$l.so" "$C/elf/lib$l.so"
	[ -f "$W/main.$l" ] && cp "$W/main.$l" "$C/elf/main.$l"
done
# diff: the first two bytes are the first file's length (little-endian).
prev=
for f in "$C"/elf/lib*.so; do
	if [ -n "$prev" ]; then
		n=$(wc -c <"$prev")
		printf "$(printf '\\%03o\\%03o' $((n & 255)) $((n >> 8 & 255)))" >"$C/diff/$(basename "$f").pair"
		cat "$prev" "$f" >>"$C/diff/$(basename "$f").pair"
	fi
	prev=$f
done
if [ -x build/linkmatrix ]; then
	LINKMATRIX_CACHE=$W/cache build/linkmatrix run -q --linker bfd,lld --report "$W/r" \
		tests/e2e/cases/good tests/e2e/cases/link-fail >/dev/null 2>&1
	cp "$W"/r/latest/results.json "$C/results/seed.json" 2>/dev/null
	grep -rl '^linkmatrix-cache-bundle' "$W/cache" 2>/dev/null | while read -r f; do
		cp "$f" "$C/cache/${f##*/}"
	done
fi

status=0
for t in case elf diff results cache; do
	log=$B/fuzz-$t.log
	dict=
	[ -f "tests/fuzz/$t.dict" ] && dict=-dict=tests/fuzz/$t.dict
	# shellcheck disable=SC2086
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	"$B/fuzz/fuzz_$t" $dict -max_total_time="$T" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$B/crash-$t-" "$C/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	echo "fuzz_$t: ${runs:-?} executions in $T s, exit $rc"
	if [ $rc -ne 0 ]; then
		status=1
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20
	fi
done
exit $status
