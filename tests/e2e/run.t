#!/bin/sh
# A run over small case sets with the real linkers: outcomes, compile-once,
# reports, exit status, a broken case file among good ones.
. "$(dirname "$0")/lib/tap.sh"

R=$TMP/reports
"$LINKMATRIX" run -j2 --report "$R" "$E2E/cases/good" >"$TMP/out" 2>&1
ok $? "good cases: exit 0"
check "hello compared with the reference: PASS with GNU ld" has "$TMP/out" '^PASS +hello:default x86_64-linux-gnu bfd'
check "shared library case passes with lld" has "$TMP/out" '^PASS +shared-lib:default x86_64-linux-gnu lld'
check "an expected link error passes" has "$TMP/out" '^PASS +link-error:default x86_64-linux-gnu mold'
check "Wild is not installed: one line says so for its tests, with the variable to set" \
	has "$TMP/out" '^linkmatrix: wild: 4 tests skipped: not installed: .*set LINKMATRIX_LINKER_WILD'
check "and it comes before the tests' lines" sh -c "sed '/^PASS/q' '$TMP/out' | grep -q '^linkmatrix: wild: '"
check "no line per test for it" sh -c "! grep -q '^SKIP .* wild' '$TMP/out'"
check "the reports keep each SKIP, never a PASS" \
	has "$R/latest/results.tap" '^ok [0-9]+ - hello:default x86_64-linux-gnu wild # SKIP not installed'
check "each build compiled once, whatever the linkers" has "$TMP/out" '^linkmatrix: 4 builds .* 5 compiler runs, each build compiled once'
check "reports/latest points at a run with results.tap" test -f "$R/latest/results.tap"
check "results.tap is read by prove" prove --exec cat "$R/latest/results.tap"
check "passing tests leave no artefacts behind, nor the pool of spare directories" \
	sh -c "test -d '$R/latest/work' && test -z \"\$(ls -A '$R/latest/work')\""
check "nor their commands in results.json" sh -c "python3 -c \"
import json, sys
r = json.load(open('$R/latest/results.json'))['results']
sys.exit(not all(x['commands'] == [] and x['repro'] == '' for x in r if x['outcome'] == 'PASS'))\""

"$LINKMATRIX" run -j2 --report "$R" --linker mold "$E2E/cases/good" >"$TMP/out" 2>&1
ok $? "--linker mold: exit 0"
check "--linker mold runs only mold" sh -c "! grep -E '^(PASS|FAIL).* (bfd|lld|gold)' '$TMP/out'"
check "the hidden reference still compiles once" has "$TMP/out" '5 compiler runs'

"$LINKMATRIX" run -j2 --report "$R" --filter '^hello:static$' "$E2E/cases/good" >"$TMP/out" 2>&1
check "--filter selects case:variant names" has "$TMP/out" '^linkmatrix: 1 builds'

"$LINKMATRIX" run -j2 --keep --report "$R" --filter '^hello:static$' "$E2E/cases/good" >"$TMP/out" 2>&1
check "--keep: a build's directory is work/CASE@VARIANT@TARGET, its objects in build/" \
	test -f "$R/latest/work/hello@static@x86_64-linux-gnu/build/hello.o"
check "--keep: and each linker's test in a directory of its own there" \
	test -x "$R/latest/work/hello@static@x86_64-linux-gnu/lld/hello"

# A failed build's directory can be a passing one's, reused (harness/os/spare.h):
# none of the other's linker directories stay in it.
mkdir -p "$TMP/reuse"
cat >"$TMP/reuse/a-pass.yaml" <<'EOF'
name: a-pass
files:
  p.c: |
    int main(void) { return 0; }
build:
  - output: p
    inputs: [p.c]
run:
  - args: [p]
EOF
cat >"$TMP/reuse/b-fail.yaml" <<'EOF'
name: b-fail
requires:
  linkers: [lld]
files:
  f.c: |
    int main(void) { return 3; }
build:
  - output: f
    inputs: [f.c]
run:
  - args: [f]
EOF
"$LINKMATRIX" run -j1 --report "$R" --linker bfd,lld,mold "$TMP/reuse" >"$TMP/out" 2>&1
check "a failed build after a passing one: its directory holds build/ and its tests' (lld's, the reference's)" \
	sh -c "cd '$R/latest/work/b-fail@default@x86_64-linux-gnu' && test \"\$(ls -A | tr '\n' ' ')\" = 'bfd.reference build lld '"
check "the passing build's directory is gone, and so is the pool" \
	sh -c "test \"\$(ls -A '$R/latest/work')\" = b-fail@default@x86_64-linux-gnu"

# A test program starts with stdin, stdout and stderr alone: not with what
# the harness was started with (here 7 and 9, as a shell or make's
# jobserver leave them), nor with the harness's own files (its report).
mkdir -p "$TMP/fds"
cat >"$TMP/fds/fds.yaml" <<'EOF'
name: fds
files:
  fds.c: |
    #include <fcntl.h>
    #include <stdio.h>
    int main(void)
    {
        for (int fd = 3; fd < 256; fd++)
            if (fcntl(fd, F_GETFD) >= 0)
                printf("%d ", fd);
        puts("end");
        return 0;
    }
build:
  - output: fds
    inputs: [fds.c]
run:
  - args: [fds]
    expect: { stdout: '^end$' }
EOF
# And in the C locale, whatever the caller's (a case's env may set another).
cat >"$TMP/fds/locale.yaml" <<'EOF'
name: locale
files:
  locale.c: |
    #include <stdio.h>
    #include <stdlib.h>
    int main(void) { printf("LC_ALL=%s\n", getenv("LC_ALL")); return 0; }
build:
  - output: locale
    inputs: [locale.c]
run:
  - args: [locale]
    expect: { stdout: '^LC_ALL=C$' }
EOF
LC_ALL=de_DE.UTF-8 LANGUAGE=de "$LINKMATRIX" run -j2 --report "$R" --linker bfd "$TMP/fds" \
	>"$TMP/out" 2>&1 7</dev/null 9>/dev/null
check "a test program inherits no descriptor past stderr, from the harness or its caller" \
	has "$TMP/out" '^PASS +fds:default x86_64-linux-gnu bfd'
check "children run with LC_ALL=C, not the caller's locale" \
	has "$TMP/out" '^PASS +locale:default x86_64-linux-gnu bfd'

"$LINKMATRIX" run -j2 --report "$R" --shard 1/2 "$E2E/cases/good" >"$TMP/s1" 2>&1
"$LINKMATRIX" run -j2 --report "$R" --shard 2/2 "$E2E/cases/good" >"$TMP/s2" 2>&1
check "shards 1/2 and 2/2 split the builds" sh -c "grep -q '^linkmatrix: 2 builds' '$TMP/s1' && grep -q '^linkmatrix: 2 builds' '$TMP/s2'"

"$LINKMATRIX" run -j2 --report "$R" "$E2E/cases/good" "$E2E/cases/broken/unknown-key.yaml" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "a broken case file makes the run exit 1"
check "the broken file is an ERROR naming file:line:col" has "$TMP/out" "unknown-key.yaml:7:5: unknown key 'ldflag'"
check "the good cases still ran" has "$TMP/out" '^PASS +shared-lib:default x86_64-linux-gnu bfd'

LINKMATRIX_OPTS="--linker gold --quiet" "$LINKMATRIX" run -j2 --report "$R" "$E2E/cases/good" >"$TMP/out" 2>&1
check "LINKMATRIX_OPTS is honoured" sh -c "grep -q '^linkmatrix: .* 4 PASS' '$TMP/out' && ! grep -q '^PASS' '$TMP/out'"

"$LINKMATRIX" run -j2 --report "$R" --tap "$E2E/cases/good/hello.yaml" >"$TMP/tap" 2>"$TMP/err"
check "--tap prints TAP that prove reads" prove --exec cat "$TMP/tap"

"$LINKMATRIX" run -j2 --report "$R" --timeout 5 "$E2E/cases/hang.yaml" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "a hanging test program: exit 1"
check "it is a TIMEOUT at stage run" has "$TMP/out" '^TIMEOUT +hang:default x86_64-linux-gnu mold \[run\]: hang timed out after 1 s'
check "and nothing is left running" sh -c "! pgrep -x hang >/dev/null"

# More cases than a window (a run loads, plans and runs 64 cases at a
# time, its records kept on disk): every one reported, in the order of
# the case names, not of the files (named the other way round here), and
# shards taken over the whole run, not window by window. Each case SKIPs
# (no sparc64 target), so none compiles.
W=$TMP/window
mkdir -p "$W"
i=0
while [ $i -lt 100 ]; do
	k=$(printf %02d $i)
	printf 'name: skip%s\nrequires: { arch: [sparc64] }\nfiles: { a.c: "int main(void) { return 0; }" }\nbuild: [{ output: a, inputs: [a.c] }]\n' "$k" >"$W/f$((199 - i)).yaml"
	i=$((i + 1))
done
"$LINKMATRIX" run -j2 --report "$R" --linker bfd -t x86_64-linux-gnu "$W" >"$TMP/out" 2>&1
check "100 cases, two windows: 100 tests, every one in the report" \
	sh -c "grep -q '^linkmatrix: 100 tests: .* 100 SKIP' '$TMP/out' && test \$(grep -c '^ok' '$R/latest/results.tap') -eq 100"
check "in the order of the case names" sh -c "python3 -c \"
import json, sys
ids = [x['id'] for x in json.load(open('$R/latest/results.json'))['results']]
sys.exit(ids != sorted(ids) or ids[0] != 'skip00:default x86_64-linux-gnu bfd')\""
"$LINKMATRIX" run -j2 --report "$R" --linker bfd -t x86_64-linux-gnu --shard 2/3 "$W" >"$TMP/out" 2>&1
check "shard 2/3 takes every third build of the whole run (33), across windows" \
	sh -c "grep -q '^linkmatrix: 33 tests' '$TMP/out' && grep -q 'skip64:default' '$R/latest/results.tap' &&
		! grep -q 'skip65:default' '$R/latest/results.tap'"

# A failed link says why in the linker's words, past the -v banners.
"$LINKMATRIX" run -j2 --report "$R" --linker bfd,lld "$E2E/cases/link-fail" >"$TMP/out" 2>&1
check "GNU ld's complaint is in the message" \
	has "$TMP/out" "^FAIL +undefined:default x86_64-linux-gnu bfd \\[link\\]: linking main: exit 1: .*undefined reference to .missing'$"
check "lld's too" \
	has "$TMP/out" '^FAIL +undefined:default x86_64-linux-gnu lld \[link\]: linking main: exit 1: ld(\.lld)?: error: undefined symbol: missing$'
check "a complaint without a keyword: GNU ld's own line, not the echoed command or collect2's summary" \
	has "$TMP/out" "^FAIL +protected-copy:default x86_64-linux-gnu bfd \\[link\\]: linking main: exit 1: .*ld: main.o: copy relocation against non-copyable protected symbol .value' in liberror.so$"
"$LINKMATRIX" run --report "$R" --linker mold "$LM_SRCDIR/cases/real/init-array-uncovered.yaml" >/dev/null 2>&1
check "mold's fatal complaint too" \
	has "$R/latest/results.json" '"message": "linking main: exit 1: mold: fatal: late.ld:1: '
"$LINKMATRIX" run --report "$R" --linker bfd "$LM_SRCDIR/cases/real/init-array-uncovered.yaml" >/dev/null 2>&1
check "a rule failure says how the run went wrong here: the constructor's output is missing" \
	has "$R/latest/results.json" "main breaks gabi-init-array-covered .*; on this host, main: exit 0, and its stdout does not match '\\^early late main\\$'"

# stdin given as text, as nothing, and not at all; the harness itself
# started with stdin and stdout closed (its pipes must not take fds 0 and 1).
"$LINKMATRIX" run --report "$R" --linker bfd "$E2E/cases/stdio" <&- >&- 2>"$TMP/err"
ok $? "stdin text, empty and absent: exit 0 with the harness's stdin and stdout closed"
check "and the test PASSes, the linker found" sh -c "grep -q '\"outcome\": \"PASS\"' '$R/latest/results.json'"

# --tag: the cases with one of the tags, a broken file still reported.
T=$TMP/tagged
mkdir -p "$T"
for c in one:a two:b three:a,b; do
	printf 'name: %s\ntags: [%s]\nfiles: { m.c: "int main(void) { return 0; }" }\nbuild: [{ output: m, inputs: [m.c] }]\n' \
		"${c%%:*}" "${c#*:}" >"$T/${c%%:*}.yaml"
done
printf 'name: broken\nbild: []\n' >"$T/broken.yaml"
"$LINKMATRIX" run --report "$R" --linker bfd --tag b "$T" >"$TMP/out" 2>&1
check "--tag runs the cases with that tag" has "$TMP/out" '^PASS +two:default x86_64-linux-gnu bfd'
check "... one of its tags" has "$TMP/out" '^PASS +three:default x86_64-linux-gnu bfd'
check "... and not the others" sh -c "! grep -q ' one:default' '$TMP/out'"
check "... and a broken file, whose tags nobody knows" has "$TMP/out" '^ERROR +.*broken.yaml \[load\]'

done_testing
