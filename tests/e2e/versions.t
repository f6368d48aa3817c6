#!/bin/sh
# Every installed version of a linker is a column (lld, lld@90, lld@91),
# and a build given by path (--linker NAME=PATH) is one of the family its
# version output names. The versions are fault-injection wrappers of the
# real ld.lld (tests/e2e/fault-linkers/lm-fault-lld-version): each claims
# a version, and those below 91 refuse -z now, as an old lld refused a -z
# value it did not know yet.
. "$(dirname "$0")/lib/tap.sh"

B=$TMP/bin
L=$TMP/linkers.d
mkdir -p "$B" "$L"
cp "$LM_SRCDIR"/linkers.d/*.yaml "$L"/
sed "s/^find: .*/find: [lm-ver-lld, 'lm-ver-lld-*']/" "$LM_SRCDIR/linkers.d/lld.yaml" >"$L/lld.yaml"
W=$E2E/fault-linkers/lm-fault-lld-version
for v in 89.0.0:lm-ver-lld 90.1.0:lm-ver-lld-90 91.0.0:lm-ver-lld-91 91.0.0:lm-ver-lld-91x \
	93.0.1:lm-ver-lld-93a 93.2.0:lm-ver-lld-93b 94.0.0:lm-mine; do
	printf '#!/bin/sh\nLM_FAULT_LLD_VERSION=%s exec "%s" "$@"\n' "${v%%:*}" "$W" >"$B/${v#*:}"
	chmod +x "$B/${v#*:}"
done
ln -s lm-ver-lld-91 "$B/lm-ver-lld-92"
PATH=$B:$PATH
export PATH
R=$TMP/reports
C=$TMP/case.yaml
cat >"$C" <<'YAML'
name: vcase
files:
  main.c: |
    int main(void) { return 0; }
variants:
  plain: {}
  now: { ldflags: ['-Wl,-z,now'] }
build:
  - output: main
    inputs: [main.c]
run:
  - args: [main]
YAML

"$LINKMATRIX" linkers --linkers-dir "$L" >"$TMP/linkers" 2>&1
check "the first found is the family's default, named as the family" \
	has "$TMP/linkers" '^lld +89\.0\.0 .*lm-ver-lld .*the default of its versions, which --linker lld selects'
check "another version is FAMILY@MAJOR" has "$TMP/linkers" '^lld@90 +90\.1\.0 .*lm-ver-lld-90 '
check "a version found twice (another binary, a symlink) is one column" \
	sh -c "[ \$(grep -c '91\\.0\\.0' '$TMP/linkers') = 1 ]"
check "two versions of one major are named whole" has "$TMP/linkers" '^lld@93\.0\.1 '
check "... both of them" has "$TMP/linkers" '^lld@93\.2\.0 '

"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" --linker 'lld@*' "$C" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "lld@* runs every version: the old ones fail, exit 1"
check "each version is a test of its own" has "$TMP/out" '^FAIL +vcase:now x86_64-linux-gnu lld@90 \[link\]'
check "the default is 'lld'" has "$TMP/out" '^FAIL +vcase:now x86_64-linux-gnu lld \[link\]'
check "the summary heads the lines where versions differ" \
	has "$TMP/out" '^linkmatrix: where versions of a linker differ \(1\):$'
check "the summary says which version changed it" \
	has "$TMP/out" '^  vcase:now x86_64-linux-gnu: lld fails \(at link\) up to 90, passes from 91$'
check "... and not where they agree" sh -c "! grep -q 'vcase:plain x86_64-linux-gnu: lld' '$TMP/out'"
check "the page says it too" has "$R/latest/index.html" 'lld fails \(at link\) up to 90, passes from 91'
grep -A6 '"name": "lld@90"' "$R/latest/results.json" >"$TMP/l90"
check "results.json gives each its family" has "$TMP/l90" '"family": "lld"'

"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" --linker lld "$C" >"$TMP/out" 2>&1
check "--linker lld is the default alone" sh -c "[ \$(grep -Ec '^[A-Z]+ +vcase' '$TMP/out') = 2 ]"
"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" --linker lld@89,lld@91 "$C" >"$TMP/out" 2>&1
check "FAMILY@VERSION names the default too" has "$TMP/out" '^PASS +vcase:plain x86_64-linux-gnu lld '
check "... and any other version" has "$TMP/out" '^PASS +vcase:now x86_64-linux-gnu lld@91 '
"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" --linker lld@95 "$C" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a version not installed: exit 2"
check "... saying so" has "$TMP/out" "no installed lld is version 95"

cat >"$TMP/known.yaml" <<'YAML'
- case: vcase
  variants: [now]
  linkers: ['lld@90']
  reason: lld 90 does not know -z now
YAML
"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" --linker 'lld@*' \
	--known-failures "$TMP/known.yaml" "$C" >"$TMP/out" 2>&1
check "a known failure names one version" has "$TMP/out" '^XFAIL +vcase:now x86_64-linux-gnu lld@90 '
check "... not the others" has "$TMP/out" '^FAIL +vcase:now x86_64-linux-gnu lld \['

sed 's/^name: vcase/name: vreq\nrequires: { linkers: [lld] }\nexpect-failure: [{ linkers: [lld@89, lld@90], variants: [now], reason: old } ]/' "$C" >"$TMP/req.yaml"
"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" "$TMP/req.yaml" >"$TMP/out" 2>&1
ok $? "a case's requires: [lld] is every version; its expect-failure names versions: exit 0"
check "... with lld@93.2.0 too" has "$TMP/out" '^PASS +vreq:now x86_64-linux-gnu lld@93\.2\.0 '
check "... the versions it names XFAIL" has "$TMP/out" '^XFAIL +vreq:now x86_64-linux-gnu lld@90 '
check "... other linkers SKIP" has "$TMP/out" '^SKIP +vreq:now x86_64-linux-gnu bfd'

# A build of one's own, given by path: a column named as given, driven and
# proven as the family its banner names.
"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" --linker bfd,mine="$B/lm-ver-lld-90" "$C" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "--linker NAME=PATH adds a linker: it fails here, exit 1"
check "it is a column of its own" has "$TMP/out" '^FAIL +vcase:now x86_64-linux-gnu mine \[link\]'
check "... proven as lld" has "$TMP/out" '^PASS +vcase:plain x86_64-linux-gnu mine '
grep -A1 '"added_linkers"' "$R/latest/results.json" >"$TMP/added"
check "the report records it, for a rerun" has "$TMP/added" "^ *\"mine=$B/lm-ver-lld-90\"\$"
check "its repro command adds it" \
	has "$R/latest/results.json" "linkmatrix repro .* --linker mine --target x86_64-linux-gnu --linker mine=$B/lm-ver-lld-90 "

"$LINKMATRIX" run --report "$R" --failed >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "run --failed adds it again and reruns its failure"
check "... the one failure" has "$TMP/out" '^FAIL +vcase:now x86_64-linux-gnu mine \[link\]'
check "... only it" sh -c "[ \$(grep -Ec '^[A-Z]+ +vcase' '$TMP/out') = 1 ]"
repro=$(sed -n 's/.*"repro": *"\(linkmatrix repro [^"]*\) && .*/\1/p' "$R/latest/results.json" | head -1)
(cd "$TMP" && eval "\"\$LINKMATRIX\"${repro#linkmatrix} --linkers-dir '$L'") >"$TMP/out" 2>&1
ok $? "the repro command of a linker given by path writes its script"
(cd "$TMP" && sh repro/vcase-now-x86_64-linux-gnu-mine/repro.sh) >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "... which fails as the run did"
check "... with the linker's own words" has "$TMP/out" 'unknown -z value: now'
"$LINKMATRIX" repro "$C:now" --linkers-dir "$L" --linker 'lld@*' -o "$TMP/rp" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "repro of lld@*: exit 2"
check "... it names several linkers" has "$TMP/out" "--linker lld@\\* names 5 linkers: a repro is of one"
"$LINKMATRIX" repro "$C:now" --linkers-dir "$L" --linker lld@90 -o "$TMP/rp90" >"$TMP/out" 2>&1
ok $? "repro of one version writes its script"
(cd "$TMP" && sh rp90/repro.sh) >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "... which runs that version: it fails"


"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" --linker x=/bin/true "$C" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a path that is no linker: exit 2"
check "... saying so" has "$TMP/out" '/bin/true is none of the linkers linkers.d describes'
"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" --linker gold="$B/lm-mine" "$C" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "a name already taken: exit 2"
check "... saying so" has "$TMP/out" "'gold' already names a linker"
"$LINKMATRIX" run -j2 --report "$R" --linkers-dir "$L" --linker 'A b=/bin/true' "$C" >"$TMP/out" 2>&1
check "a name outside the grammar is refused" has "$TMP/out" "a linker's name is 1 to 64 of"

# report compare across two builds of one linker.
LINKMATRIX_LINKER_LLD=$B/lm-ver-lld-90 "$LINKMATRIX" run -j2 --report "$TMP/r1" --linkers-dir "$L" \
	--linker lld "$C" >/dev/null 2>&1
LINKMATRIX_LINKER_LLD=$B/lm-ver-lld-91 "$LINKMATRIX" run -j2 --report "$TMP/r2" --linkers-dir "$L" \
	--linker lld "$C" >/dev/null 2>&1
"$LINKMATRIX" report compare "$TMP/r1/latest/results.json" "$TMP/r2/latest/results.json" >"$TMP/out" 2>&1
check "compare names the versions" has "$TMP/out" '^linkers whose version changed: lld 90\.1\.0 then, 91\.0\.0 now$'
check "... at the change" \
	has "$TMP/out" '^  PASS +vcase:now x86_64-linux-gnu lld \(was FAIL with lld 90\.1\.0; now 91\.0\.0\)$'

done_testing
