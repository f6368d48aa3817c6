#!/bin/sh
# linkmatrix elf diff on real linker outputs, and diffs in runs: attached
# to failures, required empty by a case, against a chosen reference.
. "$(dirname "$0")/lib/tap.sh"

printf 'int main(void) { return 0; }\n' >"$TMP/m.c"
for l in bfd lld; do
	mkdir -p "$TMP/$l"
	gcc -fuse-ld=$l -o "$TMP/$l/main" "$TMP/m.c" || echo "# gcc -fuse-ld=$l failed" >&2
done
cp "$TMP/bfd/main" "$TMP/bfd-copy"

"$LINKMATRIX" elf diff "$TMP/bfd/main" "$TMP/bfd-copy" >"$TMP/out" 2>&1
ok $? "a file against its copy: no differences, exit 0"
"$LINKMATRIX" elf diff "$TMP/lld/main" "$TMP/bfd/main" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "lld's output against GNU ld's: differences, exit 1"
check "columns are named by the shortest distinct path suffix" has "$TMP/out" '^key +lld/main \| bfd/main$'
check "keys are names, not addresses: which sections a segment holds" \
	has "$TMP/out" '^segment\.LOAD\.RX\.sections +[.a-z_ ]+ \| [.a-z_ ]+$'
check "GNU ld's versioned names in .symtab are split: the version is its own key" \
	has "$TMP/out" '^symtab\.__libc_start_main\.version +- \| GLIBC_2\.34$'
check "nothing is keyed by address" sh -c "! grep -Eq '^[^ ]*0x[0-9a-f]{4,}' '$TMP/out'"
check "the default ignores leave out .comment" sh -c "! grep -q '^comment ' '$TMP/out'"
"$LINKMATRIX" elf diff --no-default-ignores "$TMP/lld/main" "$TMP/bfd/main" >"$TMP/out" 2>&1
check "--no-default-ignores shows it" has "$TMP/out" '^comment +.*LLD'
"$LINKMATRIX" elf diff --ignore 'segment.*,section.*,symtab.*' "$TMP/lld/main" "$TMP/bfd/main" >"$TMP/out" 2>&1
check "--ignore takes globs" sh -c "! grep -Eq '^(segment|section|symtab)\.' '$TMP/out'"
"$LINKMATRIX" elf diff "$TMP/lld/main" "$TMP/bfd/main" "$TMP/lld/main" >"$TMP/out" 2>&1
ok $? "matching any one reference is enough: exit 0 with lld itself among them"
"$LINKMATRIX" elf diff --json "$TMP/lld/main" "$TMP/bfd/main" >"$TMP/json" 2>&1
check "--json is valid JSON" python3 -m json.tool "$TMP/json"
check "and says which default-ignore list it used" has "$TMP/json" '"default-ignores": 1'
printf 'not ELF\n' >"$TMP/text"
"$LINKMATRIX" elf diff "$TMP/text" "$TMP/bfd/main" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a non-ELF input: exit 2"
check "naming the file and what is wrong" has "$TMP/out" "$TMP/text: not an ELF file"

if command -v aarch64-linux-gnu-gcc >/dev/null; then
	aarch64-linux-gnu-gcc -o "$TMP/arm64" "$TMP/m.c"
	"$LINKMATRIX" elf diff "$TMP/arm64" "$TMP/bfd/main" >"$TMP/out" 2>&1
	ok $(($? == 1 ? 0 : 1)) "another machine is a difference, not an error: exit 1"
	check "the machines are named in header.machine" has "$TMP/out" '^header\.machine +183 \| 62$'
else
	ok 0 "# SKIP aarch64-linux-gnu-gcc is not installed"
	ok 0 "# SKIP aarch64-linux-gnu-gcc is not installed"
fi

R=$TMP/reports
C=$E2E/cases/diff
"$LINKMATRIX" run -j2 --report "$R" "$C" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "a case requiring an empty diff fails for other linkers: exit 1"
check "the reference linker itself passes" has "$TMP/out" '^PASS +diff-require-empty:strict x86_64-linux-gnu bfd'
check "lld fails at stage diff, with the count" \
	has "$TMP/out" '^FAIL +diff-require-empty:strict x86_64-linux-gnu lld \[diff\]: [0-9]+ differences from bfd.s outputs; the case requires none'
check "the keys are in the TAP detail" has "$R/latest/results.tap" '^    segment\.PHDR\.R +present \| -$'
check "ignore ['*'] against gold: nothing left to differ" has "$TMP/out" '^PASS +diff-ignore-all:default x86_64-linux-gnu lld'

"$LINKMATRIX" run -j2 --report "$R" --check-profile illumos "$E2E/cases/elf/static.yaml" >"$TMP/out" 2>&1
check "a failed test carries the diff against the reference linker's output" \
	has "$R/latest/results.tap" '^    main against bfd.s: [0-9]+ differences$'
"$LINKMATRIX" run -j2 --report "$R" --check-profile illumos --diff-reference gold "$E2E/cases/elf/static.yaml" >"$TMP/out" 2>&1
check "--diff-reference chooses the linker to diff against" has "$R/latest/results.tap" '^    main against gold.s: [0-9]+ differences$'
check "long groups are cut with a count" has "$R/latest/results.tap" '^    \.\.\. and [0-9]+ more [a-z_]+\.\* keys$'

done_testing
