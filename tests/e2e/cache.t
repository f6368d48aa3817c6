#!/bin/sh
# The compile and link cache: a second run takes every compile and link
# from it with the same outcomes; a linker that changed (size, mtime,
# content) is run again for everything it links, the others still come
# from the cache; damaged entries read as misses; concurrent runs share it.
. "$(dirname "$0")/lib/tap.sh"

LINKMATRIX_CACHE=$TMP/cache
export LINKMATRIX_CACHE
R=$TMP/reports
mkdir -p "$TMP/bin"
cp "$(command -v mold)" "$TMP/bin/mold"
LINKMATRIX_LINKER_MOLD=$TMP/bin/mold
export LINKMATRIX_LINKER_MOLD
outcomes() {  # outcomes FILE: the sorted result lines, without times
	grep -E '^(PASS|FAIL|XFAIL|XPASS|SKIP|ERROR|TIMEOUT) ' "$1" | sed 's/ ([0-9.]* s)$//' | sort
}
# relinked LINKER CACHED: whether every link by LINKER ran anew, and every
# one by CACHED (if given) came from the cache, in the latest results.
relinked() {
	python3 - "$R/latest/results.json" "$1" "${2:-}" <<'PY'
import json, sys
res, again, cached = json.load(open(sys.argv[1]))["results"], sys.argv[2], sys.argv[3]
def links(l):
    return [c for x in res if x["linker"] == l for c in x["commands"] if "shims/%s/" % l in c["command"]]
ok = links(again) and all("cache" not in c["status"] for c in links(again))
if cached:
    ok = ok and links(cached) and all("from the cache" in c["status"] for c in links(cached))
sys.exit(not ok)
PY
}
# The bundled cases: static programs among them, restored from the cache
# and run at once (they once failed to start: ETXTBSY).
"$LINKMATRIX" run -j2 --report "$R" "$LM_SRCDIR/cases" >"$TMP/cold" 2>&1
ok $? "a cold run of the bundled cases: exit 0"
# bundles DIR: how many bundles the cache DIR holds.
bundles() { grep -rl '^linkmatrix-cache-bundle 3$' "$1" | wc -l; }
builds=$(sed -n 's/^linkmatrix: \([0-9]*\) builds .*/\1/p' "$TMP/cold")
check "it fills the cache: a bundle a build, or one for builds that compile alike" \
	test "$(bundles "$TMP/cache")" -gt 0 -a "$(bundles "$TMP/cache")" -le "$builds"
"$LINKMATRIX" run -j2 --keep --report "$R" "$LM_SRCDIR/cases" >"$TMP/warm" 2>&1
ok $? "the warm run: exit 0"
check "nothing is compiled" has "$TMP/warm" '^linkmatrix: [0-9]+ builds .*: 0 compiler runs'
check "every compile and link comes from the cache" has "$TMP/warm" 'compiles and links from the cache in '
outcomes "$TMP/cold" >"$TMP/cold.o"
outcomes "$TMP/warm" >"$TMP/warm.o"
check "with the same outcomes" cmp "$TMP/cold.o" "$TMP/warm.o"
check "the log says a command's outcome was cached" has "$R/latest/results.json" '"status": "exit 0 \(from the cache\)"'

# A rebuilt linker: mold's links run again, GNU ld's still come from the cache.
C=$E2E/cases/good
LINKMATRIX_CACHE=$TMP/cache-good "$LINKMATRIX" run -j2 --report "$R" "$C" >"$TMP/out" 2>&1
# Its 4 builds: hello's two variants compile alike and share a bundle.
check "a build's compiles and its tests' links are one file, beside the tools' digests" \
	test "$(bundles "$TMP/cache-good")" -eq 3 -a \
	"$(find "$TMP/cache-good" -type f -size +64c | wc -l)" -eq 3
"$LINKMATRIX" run -j2 --report "$R" "$C" >"$TMP/out" 2>&1
touch "$TMP/bin/mold"
"$LINKMATRIX" run -j2 --keep --report "$R" "$C" >"$TMP/out" 2>&1
ok $? "after touching mold: exit 0"
check "mold links again (its mtime changed), GNU ld's come from the cache" relinked mold bfd
printf 'x' >>"$TMP/bin/mold"
"$LINKMATRIX" run -j2 --keep --report "$R" "$C" >"$TMP/out" 2>&1
check "and again after a byte was added to it" relinked mold

# Damaged entries are misses: the run compiles again and passes.
find "$TMP/cache" -type f -size +1k | while read -r f; do
	head -c 200 "$f" >"$f.cut" && mv "$f.cut" "$f"
done
"$LINKMATRIX" run -j2 --report "$R" "$C" >"$TMP/out" 2>&1
ok $? "with every entry cut short: exit 0"
check "the compiles ran again" has "$TMP/out" '^linkmatrix: 4 builds .*: 5 compiler runs'

# Two runs at once share the cache; neither sees a torn entry.
rm -rf "$TMP/cache"
"$LINKMATRIX" run -j2 --report "$R/a" "$LM_SRCDIR/cases/basic" >"$TMP/a" 2>&1 &
"$LINKMATRIX" run -j2 --report "$R/b" "$LM_SRCDIR/cases/basic" >"$TMP/b" 2>&1
rb=$?
wait $!
ra=$?
ok $((ra + rb)) "two concurrent runs on one cache: both exit 0"
"$LINKMATRIX" run -j2 --report "$R" "$LM_SRCDIR/cases/basic" >"$TMP/out" 2>&1
ok $? "and a third after them: exit 0"
# Two runs closing one bundle at the same moment may lose what the other
# added (jobs/cache.c says so: it is made again next time), so the third
# run is served from the cache, not necessarily for everything.
check "from the cache they filled" has "$TMP/out" '; [1-9][0-9]* compiles and links from the cache'

"$LINKMATRIX" run -j2 --report "$R" --no-cache "$C" >"$TMP/out" 2>&1
check "--no-cache compiles and links anew" \
	sh -c "grep -q ': 5 compiler runs, each build compiled once\$' '$TMP/out'"

# Cached output names the run that reads it, not the run that wrote it
# (the linker's complaint names its shim, under the run's directory).
C=$LM_SRCDIR/cases/real/init-array-uncovered.yaml
"$LINKMATRIX" run --report "$TMP/r1" --linker gold "$C" >/dev/null 2>&1
"$LINKMATRIX" run --report "$TMP/r2" --linker gold "$C" >/dev/null 2>&1
check "a cached link error names this run's directory, not the writer's" \
	has "$TMP/r2/latest/results.json" "exit 1 \\(from the cache\\): $TMP/r2/[^ ]*/shims/gold/ld: error"

done_testing
