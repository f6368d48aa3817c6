#!/bin/sh
# The real failures of docs/elf-rules.md as bundled cases (cases/real): on
# the glibc and musl targets, with the four Debian linkers, each fails for
# the right linkers for the right reason and is recorded as XFAIL, so the
# run is green; the others pass.
. "$(dirname "$0")/lib/tap.sh"

R=$TMP/reports
"$LINKMATRIX" run -j2 --report "$R" --linker bfd,gold,lld,mold \
	--target x86_64-linux-gnu,x86_64-linux-musl "$LM_SRCDIR/cases/real" >"$TMP/out" 2>&1
ok $? "the real failures: exit 0, every failure known"
# outcome ID STAGE REGEX: the test's outcome, stage and message.
outcome() {
	python3 - "$R/latest/results.json" "$@" <<'PY'
import json, re, sys
path, tid, want, stage, msg = sys.argv[1:6]
for t in json.load(open(path))["results"]:
    if "%s:%s %s %s" % (t["case"], t["variant"], t["target"], t["linker"]) == tid:
        ok = t["outcome"] == want and t["stage"] == stage and re.search(msg, t["message"])
        if not ok:
            print("# %s: %s %s %s" % (tid, t["outcome"], t["stage"], t["message"]), file=sys.stderr)
        sys.exit(not ok)
print("# no test %s" % tid, file=sys.stderr)
sys.exit(1)
PY
}
# finding ID RULE REGEX: the test has a finding of RULE whose place matches.
finding() {
	python3 - "$R/latest/results.json" "$@" <<'PY'
import json, re, sys
path, tid, rule, where = sys.argv[1:5]
for t in json.load(open(path))["results"]:
    if "%s:%s %s %s" % (t["case"], t["variant"], t["target"], t["linker"]) == tid:
        hit = [f["where"] for f in t["findings"] if f["rule"] == rule]
        if not any(re.search(where, w) for w in hit):
            print("# %s: %s: %s" % (tid, rule, hit), file=sys.stderr)
            sys.exit(1)
        sys.exit(0)
sys.exit(1)
PY
}
G=x86_64-linux-gnu
M=x86_64-linux-musl
for l in lld mold; do
	check "$l's static program breaks the illumos rule, found on Linux" outcome \
		"illumos-static-phdr:static $G $l" XFAIL elf-rule \
		'illumos-phdr-needs-interp \[illumos\]: PT_PHDR .* without PT_INTERP; the illumos kernel sends SIGKILL during exec.*on this host, main: exit 0$'
done
for l in bfd gold; do
	check "$l's static program is clean for illumos" outcome "illumos-static-phdr:static $G $l" PASS '' ''
done
for l in bfd lld; do
	check "$l: the uncovered .init_array is named, and the constructor's output is missing" outcome \
		"init-array-uncovered:default $G $l" XFAIL elf-rule \
		"gabi-init-array-covered .*\\.init_array\\.late .* never run; on this host, main: exit 0, and its stdout does not match"
done
check "gold writes DT_INIT_ARRAY twice, and the loader's choice, the last, is said" outcome \
	"init-array-orphan:default $G gold" XFAIL elf-rule \
	'gabi-dyn-unique .*DT_INIT_ARRAY is written 2 times .*last 0x[0-9a-f]+ .*uses the last.*it also breaks gabi-init-array-covered.*stdout does not match'
check "  and the array it leaves unrun is .init_array, the one the first entry covered" finding \
	"init-array-orphan:default $G gold" gabi-init-array-covered '^section [0-9]+ \.init_array '
for l in bfd lld; do
	check "$l leaves the orphan .myinit out of DT_INIT_ARRAY, and the rule names it" finding \
		"init-array-orphan:default $G $l" gabi-init-array-covered '^section [0-9]+ \.myinit .* is outside'
done
check "mold covers .myinit alone, and the rule names .init_array" finding \
	"init-array-orphan:default $G mold" gabi-init-array-covered '^section [0-9]+ \.init_array .* is outside'
check "a known failure's reason is on its result's line, folded" \
	has "$TMP/out" '^XFAIL +eh-frame-textrel:default x86_64-linux-gnu lld \[known failure: lld 14 puts .*\(gabi-textrel\)\]$'
check "gold rejects the script" outcome "init-array-uncovered:default $G gold" XFAIL link 'syntax error'
check "mold rejects the script" outcome "init-array-uncovered:default $G mold" XFAIL link 'mold: fatal: late.ld'
check "lld's plugin crashes dlopen, and gabi-textrel explains it" outcome \
	"eh-frame-textrel:default $G lld" XFAIL elf-rule \
	'plugin.so breaks gabi-textrel .*\(\.eh_frame\).*on this host, loader: killed by signal 11 \(SIGSEGV\)'
for l in bfd gold; do
	check "$l's plugin with a writable .eh_frame loads" outcome "eh-frame-textrel:default $G $l" PASS '' ''
done
check "mold's loads too, its FDE an absolute address with no relocation: gabi-eh-frame-absolute" outcome \
	"eh-frame-textrel:default $G mold" XFAIL elf-rule \
	'gabi-eh-frame-absolute \[gabi\]: 1 FDE in .eh_frame with an absolute initial location and no dynamic relocation, the first for plugin_answer at 0x[0-9a-f]+ \(\.text\)'
check "gold keeps the absolute FDE pointer and relocates it: a pass, with a warning that bfd's has no such relocation" \
	sh -c "python3 -c \"import json,sys; r=[t for t in json.load(open('$R/latest/results.json'))['results'] if t['id']=='eh-frame-textrel:default $G gold'][0]; sys.exit(not any('into .eh_frame, 0 in bfd' in w for w in r['warnings']))\""
for l in bfd mold; do
	check "$l's musl static-pie with DT_RELR dies at start-up, and musl-relr says why" outcome \
		"musl-relr-static-pie:static-pie $M $l" XFAIL elf-rule \
		'musl-relr \[linux-musl-1\.2\.3\]: DT_RELR .*on this host, main: killed by signal 11 \(SIGSEGV\)'
done
check "GNU ld's dies in memcpy (a function without a size), reading .tdata at its link-time address: fd's crash" \
	outcome "musl-relr-static-pie:static-pie $M bfd" XFAIL elf-rule \
	'\(at memcpy\+0x[0-9a-f]+ in main, file offset 0x[0-9a-f]+\); 0x[0-9a-f]+, the address it read or wrote, is the link-time address of section \.tdata: a relocation that should have added the load bias 0x[0-9a-f]+ was not applied$'
check "mold's jumps to frame_dummy's link-time address, and the probe names it" \
	outcome "musl-relr-static-pie:static-pie $M mold" XFAIL elf-rule \
	'0x[0-9a-f]+, the address it jumped to, is the link-time address of frame_dummy: a relocation'
check "gold makes no static-pie, and says so" outcome \
	"musl-relr-static-pie:static-pie $M gold" XFAIL link '--no-dynamic-linker: unknown option'
check "lld 14 ignores -z pack-relative-relocs: no DT_RELR, a real static-pie (its mode is checked), and it runs" outcome \
	"musl-relr-static-pie:static-pie $M lld" PASS '' ''
check "mold's glibc PIE lacks GLIBC_ABI_DT_RELR: the rule, then the loader's refusal" outcome \
	"glibc-relr-version:pie $G mold" XFAIL elf-rule \
	'glibc-relr-version .*on this host, main was refused by the loader \(glibc ld\.so\): .*DT_RELR without GLIBC_ABI_DT_RELR dependency'
check "GNU ld's has the version need and runs" outcome "glibc-relr-version:pie $G bfd" PASS '' ''
for l in bfd gold lld mold; do
	check "$l is proved by its own banner or mark, not failed by the marks its inputs brought" outcome \
		"proof-input-mark:default $G $l" PASS '' ''
done
for l in bfd lld; do
	check "$l: a script that ends RELRO after .got.plt: the PLT slot in RELRO is named, and the death in glibc's lazy binder" outcome \
		"plt-got-relro-script:default $G $l" XFAIL elf-rule \
		'glibc-plt-got-relro .*PLT GOT slot .*in PT_GNU_RELRO, first at 0x[0-9a-f]+ \(\.got\.plt\), without BIND_NOW.*on this host, main: killed by signal 11 \(SIGSEGV\): .*_dl_(fixup|runtime_resolve|lookup)'
	check "  and musl, which binds at load time, runs it" outcome "plt-got-relro-script:default $M $l" PASS '' ''
done
check "gold makes no PT_GNU_RELRO from the script: it runs" outcome "plt-got-relro-script:default $G gold" PASS '' ''
for t in $G $M; do
	check "lld puts R, R E and R segments on one page ($t): the shared page, and the entry point that loses PF_X" outcome \
		"script-page-shared:default $t lld" XFAIL elf-rule \
		"gabi-load-page-shared .*share the page at 0x[0-9a-f]+: mapped last, PT_LOAD [0-9]+'s is the page, .* loses PF_X, and e_entry is there.*killed by signal 11 \\(SIGSEGV\\): jumping to the entry point, which is not mapped or not executable"
done
check "  GNU ld makes one R E segment of them: it runs" outcome "script-page-shared:default $G bfd" PASS '' ''
check "the musl case is SKIP on glibc, not run" outcome \
	"musl-relr-static-pie:static-pie $G bfd" SKIP '' 'musl'

done_testing
