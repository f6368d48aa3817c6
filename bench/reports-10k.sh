#!/bin/sh
# Writing every report format (results.json, junit.xml, results.tap,
# index.html) for 10,000 synthetic results, three times, and the page's
# render and filter time in headless Chromium where it is installed.
#
#   bench/reports-10k.sh        (after make; uses build/)
set -eu
B=${LM_BUILDDIR:-$(dirname "$0")/../build}
B=$(cd "$B" && pwd)
make -s -C "$(dirname "$0")/.." "$B/tests/test_reports" >/dev/null 2>&1 || true
for i in 1 2 3; do
	LM_BUILDDIR=$B "$B/tests/test_reports" | sed -n 's/^# //p'
done
ls -l "$B/reports-10k" | awk 'NR > 1 { printf "%-14s %10d bytes\n", $9, $5 }'
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$browser" ]; then
	for h in "" "#filter=lld%20fail"; do
		timeout 120 "$browser" --headless --no-sandbox --disable-gpu --virtual-time-budget=10000 \
			--dump-dom "file://$B/reports-10k/index.html$h" 2>/dev/null |
			grep -o '<title>[^<]*</title>' | sed "s|^|chromium ${h:-(no filter)}: |"
	done
fi
