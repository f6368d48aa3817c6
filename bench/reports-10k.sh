#!/bin/sh
# Writing every report format (results.json, junit.xml, results.tap,
# index.html) for 10,000 synthetic results (tests/unit/test_reports.c),
# three times; then, where Chromium is installed, how long the page takes
# to render and to apply a #filter= (the page puts both in its title) and
# how long Chromium runs in all.
#
#   bench/reports-10k.sh        (builds build/tests/test_reports when needed)
set -eu
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
B=${LM_BUILDDIR:-$top/build}
make -s -C "$top" "$B/tests/test_reports" >/dev/null
B=$(cd "$B" && pwd)
for i in 1 2 3; do
	echo "run $i:"
	LM_BUILDDIR=$B "$B/tests/test_reports" | sed -n 's/^# /  /p'
done
ls -l "$B/reports-10k" | awk 'NR > 1 { printf "%-14s %10d bytes\n", $9, $5 }'
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	echo "chromium is not installed: no page timings"
	exit 0
fi
for h in "" "#filter=lld%20fail" "#filter=fail"; do
	for i in 1 2 3; do
		t0=$(now)
		title=$(timeout 120 "$browser" --headless --no-sandbox --disable-gpu --virtual-time-budget=10000 \
			--dump-dom "file://$B/reports-10k/index.html$h" 2>/dev/null | grep -o '<title>[^<]*' | sed 's/<title>//')
		t1=$(now)
		echo "chromium ${h:-(no filter)}: $title; $(echo "$t1 $t0" | awk '{ printf "%.2f", $1 - $2 }') s in all"
	done
done
