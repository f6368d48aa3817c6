#!/bin/sh
# What the ssh runner costs per test, against the native runner in the
# same run: the bundled cases with one linker, run here and through a real
# sshd on 127.0.0.1 (the self-tests' set-up: tests/e2e/lib/sshd.sh, which
# needs root). Prints the median seconds per test and per program run,
# each way, and the difference.
#
#   bench/ssh-runner.sh [LINKER] [JOBS]      defaults bfd 1
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
LM=${LINKMATRIX:-$SRC/build/linkmatrix}
L=${1:-bfd}
J=${2:-1}
W=$(mktemp -d "${TMPDIR:-/tmp}/lm-bench-ssh.XXXXXX")
. "$SRC/tests/e2e/lib/sshd.sh"
if ! sshd_usable; then
	echo "bench/ssh-runner.sh: needs root and openssh-server" >&2
	exit 2
fi
sshd_start "$W/keys"
trap 'sshd_stop; rm -rf "$W"' EXIT
mkdir -p "$W/targets" "$W/remote"
cp "$SRC/targets.d/x86_64-linux-gnu.yaml" "$W/targets/"
ssh_target "$W/targets/over-ssh.yaml" over-ssh "$W/remote"

for t in x86_64-linux-gnu over-ssh; do
	"$LM" run -q -j"$J" --linker "$L" --target "$t" --targets-dir "$W/targets" \
		--report "$W/$t" "$SRC/cases" >/dev/null 2>&1 || true
done
python3 - "$W/x86_64-linux-gnu/latest/results.json" "$W/over-ssh/latest/results.json" <<'PY'
import json, statistics, sys
def load(path):
    recs = [r for r in json.load(open(path))["results"] if r["outcome"] == "PASS"]
    runs = [c["seconds"] for r in recs for c in r["commands"]
            if not c["command"].startswith(("/", "gcc", "cc"))]
    return len(recs), statistics.median(r["seconds"] for r in recs), statistics.median(runs)
(n1, t1, r1), (n2, t2, r2) = load(sys.argv[1]), load(sys.argv[2])
print(f"{'':12} {'tests':>6} {'per test':>10} {'per run':>10}")
print(f"{'native':12} {n1:6d} {t1*1000:8.1f}ms {r1*1000:8.1f}ms")
print(f"{'ssh':12} {n2:6d} {t2*1000:8.1f}ms {r2*1000:8.1f}ms")
print(f"ssh runner overhead per test: {(t2-t1)*1000:.1f} ms (median)")
PY
