#!/bin/sh
# How fast each linker links: the table after the summary (a row per
# linker that linked, its tests counted right, sane seconds), results.json's
# "link" per result, read back and kept by report merge, a file without it
# read; run --time-tests lists the slowest tests slowest first; links from
# the cache keep the times of when they ran, and the table counts them;
# -q leaves the table out; the page has the table, a linker's name as
# text. No duration is asserted beyond sanity.
. "$(dirname "$0")/lib/tap.sh"

# Two links under test a test (a library and a program), an archive made
# by the target's tools (not timed), a case no target meets (SKIP) and one
# that does not compile (no link).
mkdir -p "$TMP/cases"
cat >"$TMP/cases/two.yaml" <<'EOF2'
name: lt-two-links
files:
  lib.c: |
    int lib(void) { return 42; }
  arc.c: |
    int arc(void) { return 0; }
  main.c: |
    #include <stdio.h>
    int lib(void); int arc(void);
    int main(void) { printf("%d\n", lib() + arc()); return 0; }
variants:
  exe: { mode: exe }
  pie: { mode: pie }
build:
  - { output: libarc.a, mode: archive, inputs: [arc.c] }
  - { output: liblt.so, mode: shared, inputs: [lib.c] }
  - { output: main, inputs: [main.c, liblt.so, libarc.a] }
run:
  - args: [main]
    expect: { stdout: '^42$' }
EOF2
cat >"$TMP/cases/skip.yaml" <<'EOF2'
name: lt-skip
requires: { os: [illumos] }
files: { main.c: "int main(void) { return 0; }\n" }
build: [{ output: main, inputs: [main.c] }]
EOF2
cat >"$TMP/cases/broken.yaml" <<'EOF2'
name: lt-broken
files: { main.c: "int main(void) { return }\n" }
build: [{ output: main, inputs: [main.c] }]
EOF2
R=$TMP/reports
"$LINKMATRIX" run -j2 --linker bfd,lld --report "$R" --time-tests "$TMP/cases" >"$TMP/run.out" 2>&1
J=$R/latest/results.json

# The table's rows: LINKER TESTS CACHED WALL CPU MEDIAN-WALL MEDIAN-CPU.
rows() { sed -n '/^linkmatrix: link seconds/,/^linkmatrix: /p' "$1" | grep '^  ' | grep -v '^  linker '; }
rows "$TMP/run.out" >"$TMP/rows"
sane() {  # every row: its tests, none cached, seconds not negative, total >= median
	awk -v want="$2" -v cached="$3" 'BEGIN { n = 0 }
		{ n++; if ($2 != want || $3 != cached || $4 < 0 || $5 < 0 || $6 < 0 || $7 < 0 || $4 < $6 || $5 < $7) bad = 1 }
		END { exit bad || n != 2 }' "$1"
}
check "the table: a row for bfd and one for lld, in that order" \
	sh -c "[ \"\$(awk '{ print \$1 }' '$TMP/rows' | tr '\n' ' ')\" = 'bfd lld ' ]"
check "each: 2 tests (not the skipped one nor the one that did not compile), none cached, seconds >= 0, total >= median" \
	sane "$TMP/rows" 2 0

# results.json: two links a test, CPU known (wait4 on Linux), none for a test that did not link.
links() {
	python3 - "$1" "$2" <<'EOF2'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
what = sys.argv[2]
for r in res:
    l = r.get("link")
    if what == "all":
        print(r["case"], r["variant"], r["linker"], r["outcome"],
              "-" if l is None else "%d %d %s %s" % (l["links"], l["cached"], l["seconds"], l.get("cpu_seconds", "?")))
    elif l is not None:
        print(r["id"], l["links"], l["cached"], l["seconds"], l["cpu_seconds"])
EOF2
}
links "$J" all >"$TMP/links"
check "results.json: each test of bfd and lld that linked has link: 2 links, 0 cached, seconds and CPU seconds" \
	sh -c "[ \$(grep -c '^lt-two-links [a-z]* [a-z]* PASS 2 0 [0-9.e-]* [0-9.e-]*\$' '$TMP/links') -eq 4 ]"
check "no link for a skipped test or one that did not compile" \
	sh -c "! grep -E '^lt-(skip|broken) .* [0-9]+ [0-9]+ ' '$TMP/links'"

"$LINKMATRIX" report merge "$J" -o "$TMP/merged" >/dev/null 2>&1
ok $? "report merge reads it back"
links "$TMP/merged/results.json" link >"$TMP/m"
links "$J" link >"$TMP/o"
check "and keeps every link's times" cmp "$TMP/o" "$TMP/m"
python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
for r in d['results']: r.pop('link', None)
json.dump(d, open(sys.argv[2], 'w'), indent=1)" "$J" "$TMP/old.json"
"$LINKMATRIX" report merge "$TMP/old.json" -o "$TMP/old" >/dev/null 2>&1
ok $? "a file written before link times (no link) is read"
check "and stays without" sh -c "! grep -q '\"link\"' '$TMP/old/results.json'"
sed 's/"links": 2,/"links": 0,/' "$J" >"$TMP/zero.json"
"$LINKMATRIX" report merge "$TMP/zero.json" -o "$TMP/zero" >"$TMP/zero.out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a link of no links is refused"

# --time-tests: every test (8 of them) at most 20, slowest first.
sed -n '/^linkmatrix: the [0-9]* slowest tests of/,/^linkmatrix: reports/p' "$TMP/run.out" | grep '^  ' >"$TMP/slow"
check "--time-tests: the heading, then every one of the 8 tests" \
	sh -c "grep -q '^linkmatrix: the 8 slowest tests of 8 ' '$TMP/run.out' && [ \$(wc -l <'$TMP/slow') -eq 8 ]"
check "sorted by the test's seconds, slowest first" sh -c "awk '{ print \$1 }' '$TMP/slow' | sort -rn -c"
check "a test that linked shows its links' seconds, one that did not '-'" \
	sh -c "grep -q ' [0-9.]* *lt-two-links:exe x86_64-linux-gnu bfd\$' '$TMP/slow' && grep -q ' - *lt-skip:default' '$TMP/slow'"

# The cache: a second run links nothing anew; its tests keep the first's times.
C=$TMP/cache
"$LINKMATRIX" run -j2 --linker bfd,lld --cache-dir "$C" --report "$TMP/c1" "$TMP/cases" >"$TMP/c1.out" 2>&1
"$LINKMATRIX" run -j2 --linker bfd,lld --cache-dir "$C" --report "$TMP/c2" "$TMP/cases" >"$TMP/c2.out" 2>&1
rows "$TMP/c2.out" >"$TMP/c2.rows"
check "a warm run's table: every test's links from the cache" sane "$TMP/c2.rows" 2 2
# Each link's seconds are kept to the microsecond: the sum may differ in its last digit.
same_times() {
	python3 - "$TMP/c1/latest/results.json" "$TMP/c2/latest/results.json" <<'EOF2'
import json, sys
def links(p):
    return {r["id"]: r["link"] for r in json.load(open(p))["results"] if "link" in r}
a, b = links(sys.argv[1]), links(sys.argv[2])
ok = len(b) == 4 and a.keys() == b.keys() and all(
    b[k]["links"] == 2 and b[k]["cached"] == 2 and abs(a[k]["seconds"] - b[k]["seconds"]) < 1e-5
    and abs(a[k]["cpu_seconds"] - b[k]["cpu_seconds"]) < 1e-5 for k in a)
sys.exit(0 if ok else 1)
EOF2
}
check "results.json: cached 2 of 2 links, with the seconds the first run measured" same_times

"$LINKMATRIX" run -j2 -q --linker bfd,lld --report "$TMP/q" "$TMP/cases" >"$TMP/q.out" 2>&1
check "-q: the summary without the table" sh -c "grep -q '^linkmatrix: [0-9]* tests:' '$TMP/q.out' && ! grep -q 'link seconds' '$TMP/q.out'"
check "without --time-tests, no list of the slowest" sh -c "! grep -q 'slowest tests' '$TMP/q.out'"

# The page: the table, a linker's name as text (results.json can name
# any linker: one that sorts after bfd, with markup in it).
sed 's/"linker": "lld"/"linker": "lld<i>\&"/' "$J" >"$TMP/named.json"
"$LINKMATRIX" report merge "$TMP/named.json" -o "$TMP/named" >/dev/null 2>&1
ok $? "a report whose linker is named lld<i>& merges"
P=$TMP/named/index.html
check "its page carries the table's data, the name's '<' escaped" grep -q '"times":\[{"n":"bfd","t":2,"k":0' "$P"
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$browser" ]; then
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --virtual-time-budget=5000 --dump-dom \
		"file://$P" >"$TMP/dom.html" 2>/dev/null
	grep -o '<table id="timetable">.*</table></details>' "$TMP/dom.html" >"$TMP/table.html"
	check "the page shows the table: a row per linker" \
		test "$(grep -o '<tr><td>' "$TMP/table.html" | wc -l)" -eq 2
	check "the name as text, not markup" \
		sh -c "grep -q '<td>lld&lt;i&gt;&amp;</td>' '$TMP/table.html' && ! grep -q '<i>' '$TMP/table.html'"
else
	for name in "the page shows the table" "the name as text"; do
		ok 0 "$name # SKIP chromium is not installed"
	done
fi

done_testing
