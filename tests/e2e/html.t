#!/bin/sh
# index.html: self-contained, parsed by xmllint, and in a real headless
# Chromium: no console messages (a deliberately broken page shows the
# check can fail), one cell per result, filtering by the URL hash, the
# detail panel with a test's hostile output escaped, screenshots (desktop
# and phone width) for review, and 10,000 results timed. Without chromium
# the browser points SKIP.
. "$(dirname "$0")/lib/tap.sh"

# Cases of our own besides tests/e2e/cases/elf (PASS and FAIL): a program
# printing what would break a careless page, tagged for the filter, and a
# case no target here meets (SKIP). A second, unusable target makes the
# page group rows by target.
mkdir -p "$TMP/cases"
cat >"$TMP/cases/escape.yaml" <<'EOF'
name: html-escape
description: a failing program whose output would break a careless page
tags: [tls]
files:
  main.c: |
    #include <stdio.h>
    int main(void) { puts("</script><!--<script> <b>bold</b> & done"); return 3; }
build:
  - output: main
    inputs: [main.c]
run:
  - args: [main]
EOF
cat >"$TMP/cases/skip.yaml" <<'EOF'
name: html-skip
description: a requirement no target here meets
requires: { os: [illumos] }
files:
  main.c: |
    int main(void) { return 0; }
build:
  - output: main
    inputs: [main.c]
EOF
host=$("$LINKMATRIX" targets 2>/dev/null | awk '/, default$/ { print $1 }')
R=$TMP/reports
"$LINKMATRIX" run -j2 --report "$R" --check-profile illumos --target "${host:-x86_64-linux-gnu},x86_64-illumos" \
	"$E2E/cases/elf" "$TMP/cases" >"$TMP/run.out" 2>&1
P=$R/latest/index.html
J=$R/latest/results.json
check "a run writes index.html" test -s "$P"

# expect WHAT [WORDS]: from results.json, what the page must show. The
# page's filter: a row (target, case:variant) stays when one of its results
# has every word in its case, variant, target, linker, outcome, tags or
# stage (lowercase, substrings).
expect() {
	python3 - "$J" "$@" <<'EOF'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
what, words = sys.argv[2], " ".join(sys.argv[3:]).lower().split()
def text(r):
    return " ".join([r["case"], r["variant"], r["target"], r["linker"], r["outcome"],
                     " ".join(r["tags"]), r["stage"]]).lower()
if what == "results":
    print(len(res))
elif what == "rows":
    rows = {}
    for r in res:
        key = (r["target"], r["case"], r["variant"])
        rows[key] = rows.get(key, False) or all(w in text(r) for w in words)
    print(sum(rows.values()))
elif what == "index":  # of the first result of case WORDS[0] with outcome WORDS[1]
    print(next(i for i, r in enumerate(res) if r["case"] == words[0] and r["outcome"] == words[1].upper()))
EOF
}
results=$(expect results)
check "the run has PASS, FAIL and SKIP results" \
	sh -c "grep -q '\"outcome\": \"PASS\"' '$J' && grep -q '\"outcome\": \"FAIL\"' '$J' && grep -q '\"outcome\": \"SKIP\"' '$J'"

# Self-contained: nothing fetched, no address outside the data (which may
# quote anything a test printed).
check "self-contained: no http(s):// outside the data, no external script, style or image" \
	sh -c "! grep -v 'id=\"data\"' '$P' | grep -Eiq 'https?://|(src|href)=\"//|<link |@import'"
check "the data cannot end its script element early: two </script>, data and code" \
	test "$(grep -o '</script>' "$P" | wc -l)" -eq 2
not() { ! "$@"; }
# libxml2 before 2.14 knows HTML 4 only: HTML5 element names are its sole
# complaint about a well-formed page.
html_ok() {
	xmllint --html --noout "$1" 2>"$1.xmllint"
	! grep 'parser error' "$1.xmllint" |
		grep -Ev 'Tag (header|aside|details|summary|main|nav|section) invalid' | sed 's/^/# /' | grep . >&2
}
if command -v xmllint >/dev/null; then
	check "xmllint --html parses it" html_ok "$P"
	sed 's|<div class="wrap">|<div class="wrap"><p <b>x</i></span>|' "$P" >"$TMP/bad.html"
	check "and that check fails for a broken page" not html_ok "$TMP/bad.html" 2>/dev/null
else
	for name in "xmllint --html parses it" "and that check fails for a broken page"; do
		ok 0 "$name # SKIP xmllint is not installed (libxml2-utils)"
	done
fi

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	for name in "no console messages" "a page that throws fails that check" \
		"a page that logs an error fails that check" "one cell per result" "every row without a filter" \
		"rows grouped by target" "filter 'bfd fail'" "filter by tag" "filter matching nothing" "detail panel" \
		"hostile output escaped" "incomplete banner" "screenshots" "10,000 results" "10,000 results filtered"; do
		ok 0 "$name # SKIP chromium is not installed"
	done
	done_testing
	exit
fi
shots=${LM_BUILDDIR:-$TMP}/html-screenshots
mkdir -p "$shots"
# dump URL OUT: the DOM after the page's scripts ran (OUT.html), what
# Chromium logged (OUT.log), the seconds it took (OUT.secs)
dump() {
	t0=$(date +%s.%N)
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
		--virtual-time-budget=5000 --dump-dom "$1" >"$2.html" 2>"$2.log"
	echo "$(date +%s.%N) $t0" | awk '{ printf "%.1f\n", $1 - $2 }' >"$2.secs"
}
# Chromium 120+ logs every console message, whatever its level, as
# "INFO:CONSOLE:LINE] "text", source: ..." (older ones: "CONSOLE(LINE)"),
# and an exception as such a message starting "Uncaught". The page logs
# nothing, so any of them is a failure. The title says it got to the end.
clean() {
	grep -q '<title>linkmatrix: ready' "$1.html" ||
		{ echo "# the page did not finish: $(grep -o '<title>[^<]*' "$1.html")" >&2; return 1; }
	! grep -E 'Uncaught|CONSOLE[(:]' "$1.log" | sed 's/^/# /' | grep . >&2
}
# rejected OUT TEXT: clean() fails on OUT, for a message with TEXT
rejected() {
	not clean "$1" 2>/dev/null && grep -E 'Uncaught|CONSOLE[(:]' "$1.log" | grep -q "$2"
}
count() { grep -o "$1" "$2" | wc -l; }
shown() { count 'data-shown="1"' "$1.html"; }

dump "file://$P" "$TMP/all"
check "no console messages, no uncaught exception" clean "$TMP/all"
# The same check on pages broken on purpose: an exception, console.error.
sed 's|</body>|<script>document.title = "linkmatrix: ready"; undefinedFunction();</script></body>|' "$P" >"$TMP/page-throws.html"
dump "file://$TMP/page-throws.html" "$TMP/throws"
check "a page that throws fails that check" rejected "$TMP/throws" 'Uncaught ReferenceError: undefinedFunction'

sed 's|</body>|<script>console.error("broken on purpose");</script></body>|' "$P" >"$TMP/page-logs.html"
dump "file://$TMP/page-logs.html" "$TMP/logs"
check "a page that logs an error fails that check" rejected "$TMP/logs" 'broken on purpose'

check "one matrix cell per result ($results)" test "$(count 'class="cell ' "$TMP/all.html")" -eq "$results"
rows=$(expect rows)
check "every row shown without a filter ($rows)" test "$(shown "$TMP/all")" -eq "$rows"
check "rows grouped by target: one header row per target" test "$(count 'class="target"' "$TMP/all.html")" -eq 2

# bfd: GNU/Linux's reference linker, there wherever this test runs.
want=$(expect rows bfd fail)
dump "file://$P#filter=bfd%20fail" "$TMP/f"
check "#filter=bfd fail: the $want rows where bfd failed" sh -c "[ $want -gt 0 ] && [ $want -lt $rows ] && [ $(shown "$TMP/f") -eq $want ]"
want=$(expect rows tls)
dump "file://$P#filter=TLS" "$TMP/t"
check "#filter=TLS: by tag, any case: $want rows" sh -c "[ $want -gt 0 ] && [ $(shown "$TMP/t") -eq $want ]"
dump "file://$P#filter=no-such-thing" "$TMP/n"
check "a filter matching nothing shows no row" test "$(shown "$TMP/n")" -eq 0

i=$(expect index html-escape fail)
dump "file://$P#show=$i" "$TMP/p"
check "#show=$i opens the detail panel: repro, findings with consequence, commands" \
	sh -c "grep -q 'id=\"panel\" aria-live=\"polite\" class=\"open\"' '$TMP/p.html' && grep -q 'id=\"repro\"' '$TMP/p.html' \
		&& grep -q 'consequence: ' '$TMP/p.html' && grep -q '(the one that decided)' '$TMP/p.html'"
check "the test's output is text in the panel, not markup" \
	grep -q '&lt;/script&gt;&lt;!--&lt;script&gt; &lt;b&gt;bold&lt;/b&gt; &amp; done' "$TMP/p.html"

# An interrupted run (results.json's "complete": false) gets a banner.
sed 's|"complete":true|"complete":false|' "$P" >"$TMP/page-incomplete.html"
dump "file://$TMP/page-incomplete.html" "$TMP/inc"
check "a banner on an incomplete run's page, none on a complete one's" \
	sh -c "grep -q '<div id=\"incomplete\" class=\"banner\">' '$TMP/inc.html' && \
		grep -q '<div id=\"incomplete\" class=\"banner\" hidden=\"\">' '$TMP/all.html'"

rm -f "$shots/desktop.png" "$shots/phone.png" "$shots/phone-panel.png"
shot() {  # shot SIZE FILE URL
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=5000 \
		--window-size="$1" --screenshot="$shots/$2" "$3" >/dev/null 2>&1
}
shot 1280,900 desktop.png "file://$P#show=$i"
shot 390,844 phone.png "file://$P"
shot 390,844 phone-panel.png "file://$P#show=$i"
check "screenshots written for review ($shots)" \
	test -s "$shots/desktop.png" -a -s "$shots/phone.png" -a -s "$shots/phone-panel.png"

# 10,000 results: the unit test's synthetic report, written afresh here.
gen=${LM_BUILDDIR:+$LM_BUILDDIR/tests/test_reports}
if [ -n "$gen" ] && [ -x "$gen" ] && ! LM_BUILDDIR=$TMP/big "$gen" >"$TMP/big.tap" 2>&1; then
	sed 's/^/# /' "$TMP/big.tap" >&2
	ok 1 "10,000 results: tests/test_reports writes them"
elif [ -n "$gen" ] && [ -x "$gen" ]; then
	big=$TMP/big/reports-10k
	dump "file://$big/index.html" "$TMP/big"
	J=$big/results.json
	want=$(expect rows lld fail)
	dump "file://$big/index.html#filter=lld%20fail" "$TMP/bigf"
	title() { grep -o '<title>[^<]*' "$1.html" | sed 's/<title>linkmatrix: //'; }
	echo "# 10,000 results, index.html $(wc -c <"$big/index.html") bytes: $(title "$TMP/big");" \
		"chromium $(cat "$TMP/big.secs") s in all"
	echo "# with #filter=lld fail: $(title "$TMP/bigf"); chromium $(cat "$TMP/bigf.secs") s in all"
	big_ok() { [ "$(count 'class="cell ' "$TMP/big.html")" -eq 10000 ] && clean "$TMP/big"; }
	check "10,000 results: no console message, every cell" big_ok
	check "10,000 results: #filter=lld fail keeps $want rows" test "$(shown "$TMP/bigf")" -eq "$want"
else
	for name in "every cell" "the filter"; do
		ok 0 "10,000 results: $name # SKIP no tests/test_reports in \$LM_BUILDDIR to write them"
	done
fi

done_testing
