#!/bin/sh
# index.html: self-contained, parsed by xmllint, and in a real headless
# Chromium: no console messages (a deliberately broken page shows the
# check can fail), one cell per result outside the folded columns and
# targets (all SKIP, or not usable), unfolded by a click, the failures by
# cause with their counts and links to their tests, filtering by the URL
# hash, the detail panel with a test's hostile output escaped, screenshots
# (the failures by cause, desktop and phone width) for review, and 10,000
# results timed. Without chromium the browser points SKIP.
. "$(dirname "$0")/lib/tap.sh"

# Cases of our own besides tests/e2e/cases/elf (PASS and FAIL): a program
# printing what would break a careless page, tagged for the filter, and a
# case no target here meets (SKIP). A second, unusable target makes the
# page group rows by target, and folds them; mold, made not found, is a
# column of SKIP, folded.
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
LINKMATRIX_LINKER_MOLD=/nonexistent "$LINKMATRIX" run -j2 --report "$R" --check-profile illumos --target "${host:-x86_64-linux-gnu},x86_64-illumos" \
	"$E2E/cases/elf" "$TMP/cases" >"$TMP/run.out" 2>&1
P=$R/latest/index.html
J=$R/latest/results.json
check "a run writes index.html" test -s "$P"

# expect WHAT [WORDS]: from results.json, what the page must show. It
# folds a linker whose every result is SKIP and a target that is not usable
# or whose every result is SKIP: their cells are not drawn. The page's
# filter: a row (target, case:variant) stays when one of its drawn results
# has every word in its case, variant, target, linker, outcome, tags or
# stage (lowercase, substrings).
expect() {
	python3 - "$J" "$@" <<'EOF'
import json, sys
data = json.load(open(sys.argv[1]))
res = data["results"]
what, words = sys.argv[2], " ".join(sys.argv[3:]).lower().split()
usable = {t["name"]: t["usable"] for t in data["targets"]}
def only_skip(key, v):
    return all(r["outcome"] == "SKIP" for r in res if r[key] == v)
fold_l = {r["linker"] for r in res if only_skip("linker", r["linker"])}
fold_t = {r["target"] for r in res if not usable.get(r["target"], True) or only_skip("target", r["target"])}
drawn = [r for r in res if r["linker"] not in fold_l and r["target"] not in fold_t]
def text(r):
    return " ".join([r["case"], r["variant"], r["target"], r["linker"], r["outcome"],
                     " ".join(r["tags"]), r["stage"]]).lower()
if what == "results":
    print(len(res))
elif what == "cells":
    print(len(drawn))
elif what == "rows":
    rows = {}
    for r in drawn:
        key = (r["target"], r["case"], r["variant"])
        rows[key] = rows.get(key, False) or all(w in text(r) for w in words)
    print(sum(rows.values()))
elif what == "index":  # of the first result of case WORDS[0] with outcome WORDS[1]
    print(next(i for i, r in enumerate(res) if r["case"] == words[0] and r["outcome"] == words[1].upper()))
elif what == "folds":  # the fold lines' beginnings
    for l in sorted(fold_l):
        print("%s: %d tests, all SKIP: " % (l, sum(r["linker"] == l for r in res)))
    for t in sorted(fold_t):
        print("%s: %d tests, " % (t, sum(r["target"] == t for r in res)))
EOF
}
results=$(expect results)
cells=$(expect cells)
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
		"a page that logs an error fails that check" "one cell per drawn result" "every row without a filter" \
		"rows grouped by target" "a linker named __proto__" "folded columns and targets" "unfolded by a click" "failures by cause" \
		"a cause's test link opens it" "filter 'bfd fail'" "filter by tag" "filter matching nothing" "detail panel" \
		"hostile output escaped" "incomplete banner" "why incomplete" "failures-by-cause screenshot" "a blank screenshot fails that check" \
		"screenshots" "no Chromium left running" "10,000 results" "10,000 results filtered" "10,000 results: hostile cause"; do
		ok 0 "$name # SKIP chromium is not installed"
	done
	done_testing
	exit
fi
shots=${LM_BUILDDIR:-$TMP}/screenshots
mkdir -p "$shots"
# chrome ARGS...: headless, a profile of its own, nothing fetched in the
# background, killed when it hangs.
profile=$TMP/chromium-profile
chrome() {
	timeout -k 5 60 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" --virtual-time-budget=5000 "$@"
}
# dump URL OUT: the DOM after the page's scripts ran (OUT.html), what
# Chromium logged (OUT.log), the seconds it took (OUT.secs)
dump() {
	t0=$(date +%s.%N)
	chrome --enable-logging=stderr --v=0 --dump-dom "$1" >"$2.html" 2>"$2.log"
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
# with_script NAME JS: a copy of the page that runs JS after its own script
with_script() {
	js=$(printf '%s' "$2" | sed 's/[&|\\]/\\&/g')
	sed "s|</body>|<script>$js</script></body>|" "$P" >"$TMP/page-$1.html"
}

dump "file://$P" "$TMP/all"
check "no console messages, no uncaught exception" clean "$TMP/all"
# The same check on pages broken on purpose: an exception, console.error.
with_script throws 'document.title = "linkmatrix: ready"; undefinedFunction();'
dump "file://$TMP/page-throws.html" "$TMP/throws"
check "a page that throws fails that check" rejected "$TMP/throws" 'Uncaught ReferenceError: undefinedFunction'

with_script logs 'console.error("broken on purpose");'
dump "file://$TMP/page-logs.html" "$TMP/logs"
check "a page that logs an error fails that check" rejected "$TMP/logs" 'broken on purpose'

check "one matrix cell per result outside the folds ($cells of $results)" \
	sh -c "[ $cells -lt $results ] && [ $(count 'class="cell ' "$TMP/all.html") -eq $cells ]"
rows=$(expect rows)
check "every row shown without a filter ($rows)" test "$(shown "$TMP/all")" -eq "$rows"
check "rows grouped by target: one header row per target" test "$(count 'class="target' "$TMP/all.html")" -eq 2

# folded OUT: a line per folded column (<div class="fold">) and target
# (<tr class="target folded">), each beginning as expect folds says, and
# no other; mold's says why it is not there.
folded() {
	expect folds >"$TMP/folds"
	python3 - "$1.html" "$TMP/folds" <<'EOF'
import html, re, sys
dom = open(sys.argv[1], encoding="utf-8", errors="replace").read()
want = open(sys.argv[2]).read().splitlines()
lines = [html.unescape(re.sub(r"<[^>]*>", "", m)) for m in
         re.findall(r'<div class="fold">(.*?)</div>', dom) +
         re.findall(r'<tr class="target folded"><td[^>]*>(.*?)</td>', dom)]
bad = [w for w in want if sum(l.startswith(w) and l.endswith("\u2014 show") for l in lines) != 1]
bad += [] if len(lines) == len(want) else ["%d fold lines, %d wanted: %s" % (len(lines), len(want), lines)]
bad += [] if any(l.startswith("mold: ") and "not found: LINKMATRIX_LINKER_MOLD=/nonexistent" in l for l in lines) \
    else ["no line says mold was not found"]
for b in bad:
    print("# " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}
check "folded: all-SKIP columns and the unusable target, one line each ($(expect folds | wc -l))" folded "$TMP/all"
# A click on every "show" (the page is drawn anew after each).
with_script unfold 'for (var k = 0, b; k < 100 && (b = [].filter.call(document.querySelectorAll("button.unfold"), function (x) { return x.textContent === "show"; })[0]); k++) b.click();'
dump "file://$TMP/page-unfold.html" "$TMP/unfold"
unfolded() {
	clean "$TMP/unfold" && [ "$(count 'class="cell ' "$TMP/unfold.html")" -eq "$results" ] &&
		[ "$(count 'class="target folded"' "$TMP/unfold.html")" -eq 0 ] &&
		[ "$(count '>fold</button>' "$TMP/unfold.html")" -eq "$(expect folds | wc -l)" ]
}
check "unfolded by a click: every result's cell, each fold line says fold" unfolded

# Names from the run key the page's maps: a linker called __proto__ is
# one column like any other.
sed 's/"\([ln]\)":"bfd"/"\1":"__proto__"/g' "$P" >"$TMP/page-proto.html"
dump "file://$TMP/page-proto.html" "$TMP/proto"
proto_ok() {
	clean "$TMP/proto" && [ "$(count 'class="cell ' "$TMP/proto.html")" -eq "$cells" ] &&
		[ "$(count '<th>__proto__<span' "$TMP/proto.html")" -eq 1 ]
}
check "a linker named __proto__: one column, every cell" proto_ok

# causes OUT: the failures by cause shown, its groups the largest first,
# each group's count its number of links, every test that went wrong
# linked once by its id to its own result, all of html-escape's failures
# (one cause, whatever the linker) in one group.
causes() {
	python3 - "$J" "$1.html" <<'EOF'
import html, json, re, sys
res = json.load(open(sys.argv[1]))["results"]
dom = open(sys.argv[2], encoding="utf-8", errors="replace").read()
bad = sorted(i for i, r in enumerate(res) if r["outcome"] in ("FAIL", "ERROR", "TIMEOUT", "XPASS"))
groups = [(int(n), [(int(i), html.unescape(t)) for i, t in re.findall(r'<a href="#show=(\d+)">(.*?)</a>', body)])
          for n, body in re.findall(r'<li class="group" data-n="(\d+)">(.*?)</li>', dom)]
err = [] if '<section id="causes">' in dom else ["the section is hidden"]
err += ["group of %d with %d links" % (n, len(l)) for n, l in groups if n != len(l)]
err += ["link to %d says %r, its id is %r" % (i, t, res[i]["id"]) for _, l in groups for i, t in l if res[i]["id"] != t]
linked = sorted(i for _, l in groups for i, _ in l)
err += [] if linked == bad else ["linked %s, went wrong %s" % (linked, bad)]
sizes = [n for n, _ in groups]
err += [] if sizes == sorted(sizes, reverse=True) else ["not the largest first: %s" % sizes]
esc = {k for k, (_, l) in enumerate(groups) for i, _ in l if res[i]["case"] == "html-escape"}
err += [] if len(esc) == 1 else ["html-escape's failures in %d groups" % len(esc)]
head = "%d tests, %d causes" % (len(bad), len(groups))
err += [] if '<span id="causesum">%s</span>' % head in dom else ["no heading '%s'" % head]
for e in err:
    print("# " + e, file=sys.stderr)
print("%d tests in %d groups" % (len(bad), len(groups)))
sys.exit(1 if err or not groups else 0)
EOF
}
dump "file://$P#causes" "$TMP/causes"
check "failures by cause ($(causes "$TMP/causes" 2>/dev/null)): counts, order, every id linked to its test" \
	causes "$TMP/causes"
# Following a test's link opens it in the panel.
with_script link 'document.querySelector("#causelist a").click();'
dump "file://$TMP/page-link.html" "$TMP/link"
first=$(grep -o '<a href="#show=[0-9]*"' "$TMP/causes.html" | head -1 | tr -dc 0-9)
link_opens() {
	want=$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]; print(r["case"])' "$J" "$first")
	grep -q 'id="panel" aria-live="polite" class="open"' "$TMP/link.html" && grep -q "<h2>$want[: ]" "$TMP/link.html"
}
check "a cause's test link opens that test (#show=$first)" link_opens

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
# Stopped by --max-failures: the banner says why, as results.json does,
# the reason's text as data.
sed 's|"complete":true|"complete":false,"incomplete":"stopped after 3 failures \\u003cb\\u003e(--max-failures 3)"|' "$P" \
	>"$TMP/page-stopped.html"
dump "file://$TMP/page-stopped.html" "$TMP/stopped"
check "the banner says why the run is incomplete, as text" \
	has "$TMP/stopped.html" '<span id="incompletewhy">stopped after 3 failures &lt;b&gt;\(--max-failures 3\)</span>'


rm -f "$shots/failures-by-cause.png" "$shots/desktop.png" "$shots/phone.png" "$shots/phone-panel.png"
shot() {  # shot SIZE FILE URL
	chrome --hide-scrollbars --run-all-compositor-stages-before-draw --window-size="$1" \
		--screenshot="$2" "$3" >/dev/null 2>&1
}
# png FILE W H: a PNG of W x H pixels (its IHDR), not of one colour: its
# rows, decompressed, hold more than a few byte values.
png() {
	python3 - "$@" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("# %s: not a PNG" % sys.argv[1])
w, h = struct.unpack(">II", data[16:24])
idat, at = b"", 8
while at < len(data):
    n, kind = struct.unpack(">I4s", data[at:at + 8])
    idat += data[at + 8:at + 8 + n] if kind == b"IDAT" else b""
    at += 12 + n
values = len(set(zlib.decompress(idat)))
print("# %s: %dx%d, %d bytes, %d byte values" % (sys.argv[1], w, h, len(data), values), file=sys.stderr)
sys.exit(0 if (w, h) == (int(sys.argv[2]), int(sys.argv[3])) and values > 16 else 1)
EOF
}
# The view is at the top of the page; headless Chromium scrolled to an
# anchor (#causes) paints what lies above it blank in the screenshot.
shot 1280,900 "$shots/failures-by-cause.png" "file://$P"
check "failures-by-cause screenshot: a 1280x900 PNG, not blank ($shots/failures-by-cause.png)" \
	png "$shots/failures-by-cause.png" 1280 900
echo '<!DOCTYPE html><title>blank</title>' >"$TMP/blank.html"
shot 1280,900 "$TMP/blank.png" "file://$TMP/blank.html"
check "and a blank page's screenshot fails that check" not png "$TMP/blank.png" 1280 900
shot 1280,900 "$shots/desktop.png" "file://$P#show=$i"
shot 390,844 "$shots/phone.png" "file://$P"
shot 390,844 "$shots/phone-panel.png" "file://$P#show=$i"
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
	# Its test 7's message is hostile, and so is its cause.
	check "10,000 results: a hostile cause is text" \
		grep -q '<span class="cause">[^<]*&lt;b&gt;&amp;amp;' "$TMP/big.html"
else
	for name in "every cell" "the filter" "a hostile cause"; do
		ok 0 "10,000 results: $name # SKIP no tests/test_reports in \$LM_BUILDDIR to write them"
	done
fi

if command -v pgrep >/dev/null; then
	check "no Chromium left running with this test's profile" not pgrep -f -- "--user-data-dir=$profile"
else
	ok 0 "no Chromium left running # SKIP no pgrep"
fi

done_testing
