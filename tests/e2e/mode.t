#!/bin/sh
# The mode asked for is the kind of file made: each output is checked
# after its link (stage mode), and each target is probed per mode when it
# is detected, so a driver that drops a mode's flag (Debian's musl-gcc and
# -static-pie; here a fault-injection wrapper of gcc) makes that mode's
# tests SKIP with the reason instead of passing on another kind of file.
. "$(dirname "$0")/lib/tap.sh"

R=$TMP/reports
"$LINKMATRIX" run -j2 --report "$R" --linker bfd,gold,lld,mold "$E2E/cases/mode/interp-in-static.yaml" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "a static program with PT_INTERP fails the run"
for l in lld mold; do
	check "$l: FAIL at mode, naming what was made instead" has "$TMP/out" \
		"^FAIL +interp-in-static:default x86_64-linux-gnu $l \\[mode\\]: main: asked for static \\(-static\\), the link made a dynamic executable \\(ET_EXEC, PT_INTERP /lib64/ld-linux-x86-64.so.2\\); on this host, main: "
done
for l in bfd gold; do
	check "$l makes a static program of it, and passes" has "$TMP/out" "^PASS +interp-in-static:default x86_64-linux-gnu $l"
done
check "results.json has the stage" has "$R/latest/results.json" '"stage": "mode"'

# Where it died in the loader, by the loader's own symbols (Debian keeps
# them in libc6-dbg, found by the build id).
id=$(readelf -n /lib64/ld-linux-x86-64.so.2 2>/dev/null | sed -n 's/.*Build ID: \([0-9a-f]*\).*/\1/p')
if [ -z "$id" ] || [ ! -f "/usr/lib/debug/.build-id/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-).debug" ] ||
	grep -q 'where it died is not known' "$TMP/out"; then
	ok 0 "the loader's function where it died # SKIP no debug symbols of ld.so here, or no ptrace"
else
	check "the loader's function where it died, from its debug symbols" has "$TMP/out" \
		'^FAIL +interp-in-static:default x86_64-linux-gnu lld .*while the dynamic loader loaded, relocated and initialised it \(at [a-z_0-9]+\+0x[0-9a-f]+ in ld-linux-x86-64.so.2, file offset'
fi

T=$TMP/targets.d
mkdir -p "$T"
sed -e 's/^name: .*/name: x86_64-dropper/' -e 's/^cc: .*/cc: lm-cc-drops-static-pie/' \
	-e '/^default:/d' -e '/^cxx:/d' "$LM_SRCDIR/targets.d/x86_64-linux-gnu.yaml" >"$T/x86_64-dropper.yaml"
PATH=$E2E/fault-cc:$PATH
export PATH
"$LINKMATRIX" targets --targets-dir "$T" >"$TMP/t" 2>&1
check "the target's probe finds that its driver makes a dynamic PIE for -static-pie" has "$TMP/t" \
	'^    no static-pie: lm-cc-drops-static-pie -static-pie makes a dynamic PIE \(ET_DYN, PT_INTERP /lib64/ld-linux-x86-64.so.2, DT_NEEDED libc.so.6\)$'
check "  and nothing else" sh -c "! grep -q '^    no \\(exe\\|pie\\|static\\|shared\\):' '$TMP/t'"
"$LINKMATRIX" run -j2 --targets-dir "$T" --target x86_64-dropper --linker bfd,lld --report "$R" \
	"$LM_SRCDIR/cases/basic/modes.yaml" >"$TMP/out" 2>&1
ok $? "the run is green: the mode the target cannot make is not run"
check "static-pie tests SKIP with the probe's reason" has "$TMP/out" \
	'^SKIP +modes:static-pie x86_64-dropper lld: target x86_64-dropper cannot make a static-pie file: lm-cc-drops-static-pie -static-pie makes a dynamic PIE'
check "the other modes run" has "$TMP/out" '^PASS +modes:static x86_64-dropper lld'

# mode: object, one source compiled with the step's own flags, once.
"$LINKMATRIX" run -j2 --report "$TMP/o" --linker bfd,lld "$E2E/cases/mode/object-step.yaml" >"$TMP/out" 2>&1
ok $? "an object step's source compiled with its own flags, linked by each linker"
check "  with lld too" has "$TMP/out" "^PASS +object-step:default x86_64-linux-gnu lld "
"$LINKMATRIX" repro "$E2E/cases/mode/object-step.yaml" --linker lld -o "$TMP/orepro" >"$TMP/out" 2>&1
check "repro.sh compiles it as the run did" has "$TMP/orepro/repro.sh" \
	"^run \"\\\$CC\" -DANSWER=42 -c a.c -o a.c.o \|\| \{ echo 'FAIL: building a.c.o'; exit 1; \}$"
printf 'name: o\nfiles: { a.c: "int x;", b.c: "int y;" }\nbuild: [{ output: x.o, mode: object, inputs: [a.c, b.c], ldflags: [-s] }]\n' >"$TMP/o.yaml"
"$LINKMATRIX" validate "$TMP/o.yaml" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "an object of two sources, with ldflags: refused"
check "  one source" has "$TMP/out" "object 'x.o' is one C, C\+\+ or assembly source compiled"
check "  no ldflags" has "$TMP/out" "object 'x.o' is made by the compiler: ldflags, libs and link expectations do not apply"
printf 'name: t\nfiles: { a.c: "int main(void){return 0;}" }\nbuild: [{ output: a, inputs: [a.c], thin: true }]\n' >"$TMP/t.yaml"
"$LINKMATRIX" validate "$TMP/t.yaml" >"$TMP/out" 2>&1
check "thin: only an archive" has "$TMP/out" "'a' is not an archive: only an archive is thin"
done_testing
