#!/bin/sh
# Fault-injection "linkers" (tests/e2e/fault-linkers, not real linkers): one
# that crashes, one that hangs, one that runs another linker than it claims,
# one the compiler driver is never made to run,
# one that writes garbage, one that cuts its output short, one that exits 0
# without writing one, one that prints without end. Each is reported for
# what it is.
. "$(dirname "$0")/lib/tap.sh"

fault_linkers
R=$TMP/reports
"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" --build-timeout 3 \
	--linker bfd,fault-crash,fault-hang,fault-impostor,fault-ignored,fault-garbage,fault-truncated,fault-silent,fault-chatty \
	"$E2E/cases/good/shared-lib.yaml" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "faulty linkers make the run exit 1, not crash it"
check "GNU ld still passes beside them" has "$TMP/out" '^PASS +shared-lib:default x86_64-linux-gnu bfd'
check "a crashing linker: FAIL at link" \
	has "$TMP/out" 'FAIL +shared-lib:default x86_64-linux-gnu fault-crash \[link\]: linking libanswer.so: exit 1'
check "the report keeps the driver's word that ld died of SIGSEGV" \
	has "$R/latest/results.tap" 'ld terminated with signal 11'
check "a hanging linker: TIMEOUT at link" \
	has "$TMP/out" 'TIMEOUT +shared-lib:default x86_64-linux-gnu fault-hang \[link\]: linking libanswer.so: timed out after 3 s'
check "a linker that ran lld instead: FAIL at proof, naming lld" \
	has "$TMP/out" 'FAIL +shared-lib:default x86_64-linux-gnu fault-impostor \[proof\]: .*carries the mark of lld, not fault-impostor'
check "a driver that ran its own ld instead: FAIL at proof, naming bfd by the banner it printed" \
	has "$TMP/out" "FAIL +shared-lib:default x86_64-linux-gnu fault-ignored \\[proof\\]: the link printed the banner of bfd \\('GNU ld .*'\\), not that of fault-ignored: the driver ran bfd$"
check "a linker that wrote garbage: FAIL at proof, not an ELF file" \
	has "$TMP/out" 'FAIL +shared-lib:default x86_64-linux-gnu fault-garbage \[proof\]: .*not a readable ELF file'
check "a linker that wrote half its output: FAIL at proof, naming what is cut off" \
	has "$TMP/out" 'FAIL +shared-lib:default x86_64-linux-gnu fault-truncated \[proof\]: .*libanswer.so: truncated: program header [0-9]+ \(PT_LOAD\) has file bytes .* past the end of the file'
check "a linker that exits 0 and writes nothing: FAIL at link, saying so" \
	has "$TMP/out" 'FAIL +shared-lib:default x86_64-linux-gnu fault-silent \[link\]: linking libanswer.so: exit 0, but libanswer.so was not written$'
check "a linker that prints without end: killed at 64 MiB, not waited for until the timeout" \
	has "$TMP/out" 'FAIL +shared-lib:default x86_64-linux-gnu fault-chatty \[link\]: linking libanswer.so: killed by the harness after writing more than 64 MiB of output'
check "no hanging linker is left behind" sh -c "! pgrep -f '[s]leep 6007' >/dev/null"

done_testing
