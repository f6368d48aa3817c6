#!/bin/sh
# Rust sources in cases: rustc builds the crate and drives the link with
# the target's C driver, through the same linker selection and proof as C
# (the banner read out of rustc's linker-messages warnings, the mark in the
# output); what rustc cannot build for a target (no rustc, no std for its
# Rust target) is SKIP, saying so; a Rust step rustc cannot make is
# refused where the case says it.
. "$(dirname "$0")/lib/tap.sh"

"$LINKMATRIX" targets >"$TMP/targets" 2>&1
if ! grep -q '^    Rust: .* --target x86_64-unknown-linux-gnu$' "$TMP/targets"; then
	ok 0 "# SKIP no rustc with std for x86_64-unknown-linux-gnu: $(grep -m1 'no Rust' "$TMP/targets")"
	done_testing
	exit
fi
check "targets says which rustc builds a target's Rust" \
	has "$TMP/targets" '^    Rust: /.*rustc --target x86_64-unknown-linux-gnu$'

C=$LM_SRCDIR/cases/rust
R=$TMP/r
"$LINKMATRIX" run -j2 --linker bfd,lld --report "$R" "$C/std.yaml" "$C/cdylib-init-array.yaml" \
	>"$TMP/out" 2>&1
ok $? "the std program and the cdylib with GNU ld and lld: exit 0"
for t in rust-std:pie rust-std:exe rust-cdylib-init-array:default; do
	for l in bfd lld; do
		check "$t with $l: PASS (GNU ld proven by its banner alone)" \
			has "$TMP/out" "^PASS +$t x86_64-linux-gnu $l "
	done
done
"$LINKMATRIX" repro "$C/cdylib-init-array.yaml" --linker lld -o "$TMP/repro" >"$TMP/out" 2>&1
ok $? "repro of the cdylib with lld"
check "the link is rustc's, the linker's flags given through it" has "$TMP/repro/repro.sh" \
	'^run "\$RUSTC" --edition=2021 --crate-name=libnif_so --crate-type=cdylib .*-Clink-arg=-B\$here/shims/lld/.* -o libnif.so nif.rs'
"$TMP/repro/repro.sh" >"$TMP/out" 2>&1
ok $? "repro.sh replays it without linkmatrix: exit 0"

# A driver that runs another linker than the one asked for: its banner is
# seen through rustc, and the output's mark says who ran.
L=$TMP/linkers
mkdir "$L"
cp "$LM_SRCDIR"/linkers.d/*.yaml "$E2E"/fault-linkers/fault-impostor.yaml "$L"/
PATH=$E2E/fault-linkers:$PATH "$LINKMATRIX" run --linkers-dir "$L" --linker fault-impostor \
	--report "$TMP/f" "$C/std.yaml" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "a Rust link by an impostor: exit 1"
check "FAIL at proof, naming the linker that ran" has "$TMP/out" \
	'^FAIL +rust-std:pie x86_64-linux-gnu fault-impostor \[proof\]: .*carries the mark of lld, not fault-impostor'

# A target whose Rust std is not there: SKIP, saying so.
T=$TMP/targets.d
mkdir "$T"
cp "$LM_SRCDIR"/targets.d/* "$T"/
sed -i 's/^rust-target: x86_64-unknown-linux-gnu /rust-target: x86_64-unknown-nonesuch /' "$T/x86_64-linux-gnu.yaml"
"$LINKMATRIX" run --targets-dir "$T" --linker bfd --report "$TMP/s" "$C/std.yaml" >"$TMP/out" 2>&1
ok $? "no Rust for the target: exit 0"
check "SKIP with rustc's reason" has "$TMP/out" \
	"^SKIP +rust-std:pie x86_64-linux-gnu bfd: the case has Rust code; target x86_64-linux-gnu cannot build it: .*does not know the target x86_64-unknown-nonesuch"

# A static musl program: on the musl target, where rustup has its std.
"$LINKMATRIX" run --target x86_64-linux-musl --linker bfd --report "$TMP/m" "$C/static-musl.yaml" \
	>"$TMP/out" 2>&1
if grep -q '^    Rust: .* --target x86_64-unknown-linux-musl$' "$TMP/targets"; then
	check "static musl Rust with GNU ld: PASS" has "$TMP/out" '^PASS +rust-static-musl:default x86_64-linux-musl bfd '
else
	check "static musl Rust: SKIP, saying why" has "$TMP/out" \
		'^(SKIP +rust-static-musl:default x86_64-linux-musl bfd: .*Rust|linkmatrix: target x86_64-linux-musl: 1 test skipped: not usable)'
fi

# What rustc cannot make is refused where the case says it.
cat >"$TMP/bad.yaml" <<'CASE'
name: bad-rust
files:
  a.rs: 'fn main() {}'
  b.rs: 'fn f() {}'
  c.c: 'int x;'
build:
  - { output: two, inputs: [a.rs, b.rs] }
  - { output: late, inputs: [c.c, a.rs] }
  - { output: lib.a, mode: archive, inputs: [a.rs] }
CASE
"$LINKMATRIX" validate "$TMP/bad.yaml" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "validate refuses them: exit 1"
check "one crate a step" has "$TMP/out" "bad.yaml:7:5: .*build step 'two': rustc builds one crate a step"
check "its root first" has "$TMP/out" "bad.yaml:8:5: .*build step 'late': rustc builds one crate a step"
check "no archive" has "$TMP/out" "bad.yaml:9:5: .*build step 'lib.a' is Rust: rustc makes exe, pie, static, static-pie and shared \(cdylib\) files, not archive"
done_testing
