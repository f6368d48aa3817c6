#!/bin/sh
# A verdict survives its rerun and its repro: results.json records the
# options that decided the outcomes (verdict_options); run --failed takes
# them where its command line does not say, and says so; each repro
# command carries them, and repro.sh replays them (rules, timeouts, the
# diff a case requires, the run's expected failures).
. "$(dirname "$0")/lib/tap.sh"

R=$TMP/reports
V=$E2E/cases/verdict

# --check-profile: elf-rule FAILs stay FAILs when rerun.
"$LINKMATRIX" run -j2 --report "$R" --linker lld --check-profile illumos "$E2E/cases/elf/static.yaml" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "lld's static program checked for illumos fails: exit 1"
check "results.json records the options that decided it" \
	has "$R/latest/results.json" '^  "verdict_options": \{$'
check "  the profile" has "$R/latest/results.json" '^    "check_profile": \[$'
check "the repro command in results.json carries --check-profile" \
	has "$R/latest/results.json" '"repro": "linkmatrix repro .* --check-profile illumos -o '
check "  in TAP" has "$R/latest/results.tap" '^  repro: .* --check-profile illumos -o '
check "  in JUnit" has "$R/latest/junit.xml" '^repro: .* --check-profile illumos -o '
check "  in the HTML page" has "$R/latest/index.html" '--check-profile illumos -o '
cp "$R/latest/results.json" "$TMP/illumos.json"
"$LINKMATRIX" run -j2 --report "$R" --failed >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "--failed: exit 1, the rule still broken (it reran as PASS)"
check "it says which options it took from the run" \
	has "$TMP/out" '^linkmatrix: as the run in .*/latest/results.json decided its outcomes: --check-profile illumos$'
check "the FAIL is the same" has "$TMP/out" '^FAIL +elf-static:default x86_64-linux-gnu lld \[elf-rule\]'
"$LINKMATRIX" run -j2 --report "$R" --failed-from "$TMP/illumos.json" --check-profile linux-glibc-2.36 >"$TMP/out" 2>&1
ok $? "--failed-from with another --check-profile: the command line wins, exit 0"
check "  and it says the options differ from the run's" \
	has "$TMP/out" "^linkmatrix: note: outcomes are decided with options other than that run's: '--check-profile illumos' and '--check-profile linux-glibc-2.36'$"

# The environment that chooses what runs: a linker's override is recorded,
# set again by the rerun, and put before the repro command.
mkdir -p "$TMP/bin"
printf '#!/bin/sh\nexec ld.lld "$@"\n' >"$TMP/bin/ld.lld"
chmod +x "$TMP/bin/ld.lld"
(cd "$TMP" && LINKMATRIX_LINKER_LLD=bin/ld.lld "$LINKMATRIX" run -j2 --report "$R" --linker lld --check-profile illumos "$E2E/cases/elf/static.yaml") >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "a run with LINKMATRIX_LINKER_LLD=bin/ld.lld (relative): exit 1"
check "  recorded with its absolute path" has "$R/latest/results.json" "^      \"LINKMATRIX_LINKER_LLD=$TMP/bin/ld.lld\"\$"
check "  before the repro command" has "$R/latest/results.json" "\"repro\": \"LINKMATRIX_LINKER_LLD=$TMP/bin/ld.lld linkmatrix repro "
"$LINKMATRIX" run -j2 --report "$R" --failed >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "--failed without it: exit 1"
check "  it says it sets it" has "$TMP/out" "decided its outcomes: LINKMATRIX_LINKER_LLD=$TMP/bin/ld.lld --check-profile illumos\$"
check "  and the rerun's lld is that one" has "$R/latest/results.json" "^      \"path\": \"$TMP/bin/ld.lld\",\$"
sed 's|"LINKMATRIX_LINKER_LLD=.*"|"LD_PRELOAD=/tmp/x.so"|' "$R/latest/results.json" >"$TMP/preload.json"
"$LINKMATRIX" run -j2 --report "$R" --failed-from "$TMP/preload.json" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a results.json that would set LD_PRELOAD: refused, exit 2"
check "  saying why" has "$TMP/out" "verdict_options: environment 'LD_PRELOAD=/tmp/x.so' is not LINKMATRIX_NAME=value"

# Timeouts: a TIMEOUT stays a TIMEOUT when rerun; the repro times out too.
"$LINKMATRIX" run -j2 --report "$R" --linker bfd --timeout 1 "$V/slow.yaml" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "a two-second program with --timeout 1: exit 1"
check "  TIMEOUT" has "$TMP/out" '^TIMEOUT +verdict-slow:default x86_64-linux-gnu bfd'
"$LINKMATRIX" run -j2 --report "$R" --failed >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "--failed: exit 1 (with the default 10 s it passed)"
check "  TIMEOUT again, with the run's --timeout" \
	sh -c "grep -Eq '^TIMEOUT +verdict-slow' '$TMP/out' && grep -q 'decided its outcomes: --timeout 1\$' '$TMP/out'"
repro=$(sed -n 's/^ *"repro": "\(..*\)",$/\1/p' "$R/latest/results.json")
check "the repro command carries --timeout 1" sh -c "echo \"\$0\" | grep -q -- ' --timeout 1 -o '" "$repro"
(cd "$TMP" && PATH=$(dirname "$LINKMATRIX"):$PATH sh -c "$repro") >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "its repro.sh fails: exit 1 (it passed after two seconds)"
check "  saying the program timed out" has "$TMP/out" '^timed out after 1 s$'

# Known failures: an XPASS stays an XPASS when rerun; repro.sh says the verdict.
cat >"$TMP/known.yaml" <<'Y'
- case: elf-static
  linkers: [bfd]
  reason: expected to break an illumos rule
Y
"$LINKMATRIX" run -j2 --report "$R" --linker bfd --known-failures "$TMP/known.yaml" "$E2E/cases/elf/static.yaml" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "a known failure that passes: XPASS, exit 1"
"$LINKMATRIX" run -j2 --report "$R" --failed >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "--failed: exit 1 (without the list it was a PASS)"
check "  XPASS again" has "$TMP/out" '^XPASS +elf-static:default x86_64-linux-gnu bfd'
check "  the list taken by its absolute path" has "$TMP/out" "decided its outcomes: --known-failures '?$TMP/known.yaml'?\$"
repro=$(sed -n 's/^ *"repro": "\(..*\)",$/\1/p' "$R/latest/results.json")
(cd "$TMP" && PATH=$(dirname "$LINKMATRIX"):$PATH sh -c "$repro") >"$TMP/out" 2>&1
ok $? "its repro.sh passes: exit 0"
check "  and says the run calls that XPASS" \
	has "$TMP/out" '^the run calls this XPASS: expected to fail: expected to break an illumos rule$'

# A required empty diff is made whatever the selection: with --linker lld
# alone, the diff reference (bfd) still links, hidden.
"$LINKMATRIX" run -j2 --report "$R" --linker lld "$V/same-as-ref.yaml" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "a required empty diff, lld alone: exit 1 (it passed: no diff was made)"
check "  FAIL at stage diff against bfd" \
	has "$TMP/out" '^FAIL +verdict-same-as-ref:default x86_64-linux-gnu lld \[diff\]: [0-9]+ differences? from bfd.s outputs'
"$LINKMATRIX" run -j2 --report "$R" --linker lld --diff-reference gold "$V/same-as-ref.yaml" >"$TMP/out" 2>&1
check "--diff-reference gold: against gold's" has "$TMP/out" 'differences? from gold.s outputs'
repro=$(sed -n 's/^ *"repro": "\(..*\)",$/\1/p' "$R/latest/results.json")
check "  the repro command carries it" sh -c "echo \"\$0\" | grep -q -- ' --diff-reference gold -o '" "$repro"
(cd "$TMP" && PATH=$(dirname "$LINKMATRIX"):$PATH sh -c "$repro") >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "  its repro.sh diffs too: exit 1"
check "  saying which output differs" \
	has "$TMP/out" "^FAIL: main: differs from the diff reference's; the case requires no difference$"
"$LINKMATRIX" run -j2 --report "$R" --linker lld --diff-reference gold --failed >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "--failed: exit 1, still against gold"
check "  FAIL" has "$TMP/out" '^FAIL +verdict-same-as-ref:.* lld \[diff\]: .* from gold.s outputs'
"$LINKMATRIX" run -j2 --report "$R" --linker lld --diff-reference no-such "$V/same-as-ref.yaml" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "--diff-reference of an unknown linker: exit 2"
check "  naming it" has "$TMP/out" "^linkmatrix: --diff-reference: unknown linker 'no-such'"
mkdir -p "$TMP/linkers"
cp "$LM_SRCDIR"/linkers.d/*.yaml "$TMP/linkers/"
sed -i 's/^find:.*/find: [no-such-ld-gold]/' "$TMP/linkers/gold.yaml"
"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$TMP/linkers" --linker lld --diff-reference gold "$V/same-as-ref.yaml" >"$TMP/out" 2>&1
check "a diff reference that is not installed: SKIP, not a pass without a diff" \
	has "$TMP/out" "^SKIP +verdict-same-as-ref:.* lld: the case requires an empty diff against gold's outputs, and gold "

# Shards that decided with other options are not merged; compare says it.
"$LINKMATRIX" run -j2 --report "$R/a" --linker bfd --shard 1/2 "$E2E/cases/elf/static.yaml" "$V/same-as-ref.yaml" >/dev/null 2>&1
"$LINKMATRIX" run -j2 --report "$R/b" --linker bfd --shard 2/2 --timeout 5 "$E2E/cases/elf/static.yaml" "$V/same-as-ref.yaml" >/dev/null 2>&1
"$LINKMATRIX" report merge "$R/a/latest/results.json" "$R/b/latest/results.json" -o "$TMP/merged" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "merging shards run with other timeouts: exit 2"
check "  saying which options differ" has "$TMP/out" "decided outcomes with other options \('\(none\)' and '--timeout 5'\)"
"$LINKMATRIX" report compare "$R/a/latest/results.json" "$R/b/latest/results.json" >"$TMP/out" 2>&1
check "compare notes the runs' other options" \
	has "$TMP/out" "^note: the runs decided outcomes with other options: '\(none\)' and '--timeout 5'$"

# Files written before the options were recorded: a note, this command line's.
sed '/^  "verdict_options": {$/,/^  },$/d' "$TMP/illumos.json" >"$TMP/old.json"
check "(a file without verdict_options)" sh -c "! grep -q verdict_options '$TMP/old.json'"
"$LINKMATRIX" run -j2 --report "$R" --failed-from "$TMP/old.json" >"$TMP/out" 2>&1
ok $? "--failed-from such a file: read, exit 0 (no profile given)"
check "  with a note that it does not record them" \
	has "$TMP/out" 'old.json does not record the options that decided its outcomes .*: this command line.s apply$'
sed 's/^    "timeout": [0-9.]*,$/    "timeout": 0,/' "$TMP/illumos.json" >"$TMP/zero.json"
"$LINKMATRIX" run -j2 --report "$R" --failed-from "$TMP/zero.json" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a recorded timeout of 0: refused, exit 2"
check "  naming the field" has "$TMP/out" 'zero.json:[0-9]+:[0-9]+: verdict_options: timeouts 0 and 300'

done_testing
