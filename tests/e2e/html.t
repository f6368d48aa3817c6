#!/bin/sh
# index.html: self-contained, and in a real headless Chromium: no console
# errors, one cell per result, filtering by the URL hash, the detail panel,
# screenshots (desktop and phone width) for review. Without chromium the
# browser points SKIP.
. "$(dirname "$0")/lib/tap.sh"

R=$TMP/reports
"$LINKMATRIX" run -j2 --report "$R" --check-profile illumos "$E2E/cases/elf" >/dev/null 2>&1
P=$R/latest/index.html
check "a run writes index.html" test -s "$P"
check "self-contained: no external scripts, styles or images" \
	sh -c "! grep -Eiq '(src|href)=\"(https?:)?//|<link |@import' '$P'"
check "the data cannot close its script element early: two </script>, data and code" \
	test "$(grep -o '</script>' "$P" | wc -l)" -eq 2

browser=$(command -v chromium || command -v chromium-browser || true)
skip_all() {
	for name in "$@"; do ok 0 "# SKIP chromium is not installed: $name"; done
}
if [ -z "$browser" ]; then
	skip_all "no console errors" "one cell per result" "filter" "filter to nothing" \
		"detail panel" "screenshots" "10,000 results"
	done_testing
	exit
fi
shots=${LM_BUILDDIR:-$TMP}/html-screenshots
mkdir -p "$shots"
# dump URL OUT: the DOM after the page's scripts ran, and what Chromium logged
dump() {
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
		--virtual-time-budget=10000 --dump-dom "$1" >"$2.html" 2>"$2.log"
}
count() { grep -o "$1" "$2" | wc -l; }
results=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["results"]))' "$R/latest/results.json")

dump "file://$P" "$TMP/all"
check "no console errors" sh -c "! grep -Eq 'Uncaught|CONSOLE.*(Error|error)' '$TMP/all.log'"
check "one matrix cell per result ($results)" test "$(count 'class="cell ' "$TMP/all.html")" -eq "$results"
check "every row shown without a filter" has "$TMP/all.html" '<title>linkmatrix: ready in [0-9]+ ms, 3 rows shown</title>'

dump "file://$P#filter=lld%20fail" "$TMP/f"
check "filter 'lld fail': the two rows where lld failed" test "$(count 'data-shown="1"' "$TMP/f.html")" -eq 2
dump "file://$P#filter=no-such-thing" "$TMP/n"
check "a filter matching nothing shows no row" test "$(count 'data-shown="1"' "$TMP/n.html")" -eq 0

dump "file://$P#show=0" "$TMP/p"
check "the detail panel opens with the repro command and the findings" \
	sh -c "grep -q 'id=\"panel\" aria-live=\"polite\" class=\"open\"' '$TMP/p.html' && grep -q 'id=\"repro\"' '$TMP/p.html'"

timeout 120 "$browser" --headless --no-sandbox --disable-gpu --screenshot="$shots/desktop.png" \
	--window-size=1280,900 "file://$P#show=3" >/dev/null 2>&1
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --screenshot="$shots/phone.png" \
	--window-size=390,844 "file://$P" >/dev/null 2>&1
check "screenshots written for review ($shots)" test -s "$shots/desktop.png" -a -s "$shots/phone.png"

big=${LM_BUILDDIR:-}/reports-10k/index.html
if [ -n "${LM_BUILDDIR:-}" ] && [ -s "$big" ]; then
	dump "file://$big#filter=lld%20fail" "$TMP/big"
	title=$(grep -o '<title>[^<]*</title>' "$TMP/big.html")
	echo "# 10,000 results ($(wc -c <"$big") bytes): $title"
	check "10,000 results render and filter without errors" \
		sh -c "grep -q 'ready in' '$TMP/big.html' && ! grep -q Uncaught '$TMP/big.log'"
else
	ok 0 "# SKIP no 10,000-result page (tests/unit/test_reports writes it first)"
fi

done_testing
