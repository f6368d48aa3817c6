#!/bin/sh
# How a test program died: the start probe (Linux, ptrace) tells a kill
# during exec from a death in the loader, in start-up code before main and
# in main, and names the function and file; limits and runaways (a flood
# of output, a file past the limit, a child that outlives its parent, a
# program that closes its outputs) are each reported and leave nothing
# running.
. "$(dirname "$0")/lib/tap.sh"

R=$TMP/reports
"$LINKMATRIX" run -j2 --linker bfd --report "$R" "$E2E/cases/death" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "the run exits 1 for its failures, and goes on past them"
J=$R/latest/results.json

probe() {  # probe NAME FILE REGEX: a point that needs ptrace
	if grep -q 'where it died is not known: .*ptrace\|could not be started: Operation not permitted' "$TMP/out"; then
		ok 0 "$1 # SKIP ptrace is refused here"
	else
		check "$1" has "$2" "$3"
	fi
}
probe "killed during exec: before its first instruction" "$TMP/out" \
	'^FAIL +killed-at-exec:default .*\[run\]: main killed by signal 11 \(SIGSEGV\): the kernel killed it during exec, before its first instruction$'
probe "a shared library's constructor: in the loader, before the entry point, naming the function and file" "$TMP/out" \
	"^FAIL +crash-in-library:default .*: before the program's entry point, while the dynamic loader .* \(at boom\+0x[0-9a-f]+ in libboom.so, file offset 0x[0-9a-f]+\); it read or wrote 0x10; nothing maps the first page: a null pointer$"
probe "the program's constructor (PIE): after the entry point, before main" "$TMP/out" \
	'^FAIL +crash-in-constructor:pie .*: after the entry point, before main .*\(at boom\+0x[0-9a-f]+ in main, file offset'
probe "the program's constructor (static): no loader, still before main" "$TMP/out" \
	'^FAIL +crash-in-constructor:static .*: after the entry point, before main '
probe "a crash in main: in main or later, at main" "$TMP/out" \
	'^FAIL +crash-in-main:default .*\[run\]: main killed by signal 11 \(SIGSEGV\): in main or later \(at main\+0x'
probe "a call through a null pointer: where it jumped, and the call that did it" "$TMP/out" \
	'^FAIL +null-call:default .*\[run\]: main killed by signal 11 \(SIGSEGV\): in main or later \(at 0x0\); it jumped to 0x0 from a call returning to main\+0x[0-9a-f]+ in main, file offset 0x[0-9a-f]+; nothing maps the first page: a call through a null function pointer'
probe "a read through a null pointer: the address" "$TMP/out" \
	'^FAIL +null-read:default .*\(at main\+0x[0-9a-f]+ in main, .*\); it read or wrote 0x4; nothing maps the first page: a null pointer$'
probe "an exhausted stack: the fault beside the stack pointer" "$TMP/out" \
	'^FAIL +stack-overflow:default .*\(at f\+0x[0-9a-f]+ in main, .*\); it read or wrote 0x[0-9a-f]+, beside its stack pointer 0x[0-9a-f]+: the stack is exhausted'
probe "results.json says how far it got" "$J" '"died": "loader"'
for v in pie static; do
	probe "e_entry in data ($v): gabi-entry-executable, and the probe says it jumped to an entry point that cannot run, not 'in the loader'" "$TMP/out" \
		"^FAIL +entry-not-code:$v .*\\[elf-rule\\]: main breaks gabi-entry-executable \\[gabi\\]: e_entry 0x[0-9a-f]+ \\(\\.data\\) is in a PT_LOAD without PF_X; .*on this host, main: killed by signal 11 \\(SIGSEGV\\): jumping to the entry point, which is not mapped or not executable \\(at not_code\\+0x0 in main, "
done
check "a missing interpreter: the rule names it and the system's" has "$TMP/out" \
	'^FAIL +missing-interp:default .*\[elf-rule\]: main breaks glibc-interp-path \[linux-glibc[-0-9.]*\]: PT_INTERP /lib/ld-nowhere.so.1, where this target.s loader is /lib64/ld-linux-x86-64.so.2; '
# Under make check-valgrind the harness's children exec through valgrind,
# whose own exit on a failed exec hides execve's ENOENT.
if [ -n "${LM_VALGRIND_PROGRAM:-}" ]; then
	ok 0 "  and the run says the interpreter does not exist # SKIP valgrind reports the failed exec itself"
else
	check "  and the run says it is the interpreter that does not exist" has "$TMP/out" \
		'^FAIL +missing-interp:default .*; on this host, main could not be started: its interpreter /lib/ld-nowhere.so.1 does not exist'
fi
probe "a program that stops itself under ptrace: said so, never an exit status" "$TMP/out" \
	'^FAIL +traceme:default .*\[run\]: main stopped at signal 10 \(SIGUSR1\) with the harness as its tracer \(it called PTRACE_TRACEME\), and was killed'
check "  its exit status is nowhere in the result" sh -c "! grep -q '^FAIL +traceme:.*exit status' '$TMP/out'"
check "the expected signal passes, unprobed" has "$TMP/out" '^PASS +expected-signal:default'
check "a flood of output is killed at the limit, not waited for until the timeout" \
	has "$TMP/out" '^FAIL +flood:default .*: flood killed by the harness after writing more than 64 MiB of output$'
check "the output is cut at the cap, and the bytes written are counted" \
	sh -c "grep -q '\"stdout_bytes\": [0-9]\{8,\}' '$J'"
check "a file past the limit: SIGXFSZ, named as the limit" \
	has "$TMP/out" '^FAIL +big-file:default .*SIGXFSZ\): it wrote a file past its 256 MiB limit$'
check "a program that closes its outputs is still waited for (exit 3)" has "$TMP/out" '^PASS +closes-stdout:default'
check "a child that outlives its parent does not hold up the test" has "$TMP/out" '^PASS +orphan:default'
check "and is not left running" sh -c "! pgrep -f '^lm-orphan-sleeper' >/dev/null"
check "a grandchild that left the process group (setsid) does not hold up the test" has "$TMP/out" '^PASS +escaper:default'
check "and is not left running: the harness, its subreaper, kills it" sh -c "! pgrep -f '^lm-escaper-sleeper' >/dev/null"

# --diagnose: our own ELF summary of the program, then the target's
# commands (gdb, LD_DEBUG), each logged with its output.
"$LINKMATRIX" run -j2 --linker bfd --diagnose --report "$R" "$E2E/cases/death/crash-in-library.yaml" >"$TMP/out" 2>&1
J=$R/latest/results.json
check "--diagnose logs the ELF summary of the program" has "$J" '"command": "linkmatrix elf show main"'
check "which names the interpreter and the NEEDED entries" \
	sh -c "grep -q 'interpreter: /lib.*ld-linux' '$J' && grep -q 'DT_NEEDED            libboom.so' '$J'"
if command -v gdb >/dev/null; then
	check "gdb's backtrace shows the library's constructor called by the loader" \
		sh -c "grep -q 'in boom ()' '$J' && grep -q '_dl_init' '$J'"
else
	ok 0 "gdb's backtrace # SKIP gdb is not installed"
fi
check "LD_DEBUG=libs shows the loader finding libboom.so" has "$J" 'find library=libboom.so'
"$LINKMATRIX" run -j2 --linker bfd --report "$R" "$E2E/cases/death/crash-in-library.yaml" >"$TMP/out" 2>&1
check "without --diagnose, none of it" sh -c "! grep -q 'elf show' '$R/latest/results.json'"

# The interpreter the target has: a loader at a path no table lists that
# the host has (Debian's multiarch path) is the target's; a target whose
# file lists its loaders holds programs to that list.
real=$(readlink -f /lib64/ld-linux-x86-64.so.2 2>/dev/null)
if [ "$(uname -m)" = x86_64 ] && [ -n "$real" ] && [ "$real" != /lib64/ld-linux-x86-64.so.2 ]; then
	mkdir -p "$TMP/interp" "$TMP/interp-targets"
	cat >"$TMP/interp/other-path.yaml" <<EOF
name: other-path
requires: { libc: [glibc] }
files:
  main.c: |
    int main(void) { return 0; }
build:
  - { output: main, inputs: [main.c], ldflags: ['-Wl,--dynamic-linker=$real'] }
run:
  - args: [main]
EOF
	"$LINKMATRIX" run -j2 --linker bfd --target x86_64-linux-gnu --report "$R" "$TMP/interp" >"$TMP/out" 2>&1
	check "a loader at a path of the host's that no table lists passes" has "$TMP/out" '^PASS +other-path:default'
	{ cat "$LM_SRCDIR/targets.d/x86_64-linux-gnu.yaml"; echo 'interpreters: [/opt/lm-none/ld.so]'; } \
		>"$TMP/interp-targets/x86_64-linux-gnu.yaml"
	"$LINKMATRIX" targets --targets-dir "$TMP/interp-targets" >"$TMP/t" 2>&1
	check "linkmatrix targets shows the target's loaders and where they come from" \
		has "$TMP/t" '^    loader /opt/lm-none/ld.so \(its file.s list\)$'
	"$LINKMATRIX" run -j2 --linker bfd --targets-dir "$TMP/interp-targets" --report "$R" "$TMP/interp" >"$TMP/out" 2>&1
	check "a target's own list of loaders is the only one" has "$TMP/out" \
		"^FAIL +other-path:default .*glibc-interp-path \\[linux-glibc[-0-9.]*\\]: PT_INTERP $real, where this target.s loader is /opt/lm-none/ld.so; "
else
	ok 0 "a loader at a path no table lists # SKIP this host's loader has no second path"
	ok 0 "linkmatrix targets shows the target's loaders # SKIP as above"
	ok 0 "a target's own list of loaders is the only one # SKIP as above"
fi

done_testing
