#!/bin/sh
# The command line: usage errors, the linkers and targets listings, validate.
. "$(dirname "$0")/lib/tap.sh"

"$LINKMATRIX" >"$TMP/out" 2>&1; ok $(($? == 2 ? 0 : 1)) "no command: exit 2"
"$LINKMATRIX" frobnicate >"$TMP/out" 2>&1; ok $(($? == 2 ? 0 : 1)) "unknown command: exit 2"
"$LINKMATRIX" run --no-such-option >"$TMP/out" 2>&1; ok $(($? == 2 ? 0 : 1)) "unknown option: exit 2"
check "the message names the option" has "$TMP/out" "unknown option '--no-such-option'"
"$LINKMATRIX" run --linker nosuch --report "$TMP/r" "$E2E/cases/good" >"$TMP/out" 2>&1
ok $(($? == 2 ? 0 : 1)) "unknown linker: exit 2"
check "the message names the linker" has "$TMP/out" "unknown linker 'nosuch'"

"$LINKMATRIX" linkers >"$TMP/linkers" 2>&1; ok $? "linkers: exit 0"
check "GNU ld found with its version" has "$TMP/linkers" '^bfd +2\.[0-9]+'
# Wild where cargo install puts it ({cargo_bin}), whatever PATH says; with
# no cargo place holding it, not installed, and where it was looked for.
mkdir -p "$TMP/cargo/bin" "$TMP/nocargo"
printf '#!/bin/sh\necho "Wild version 0.8.0 (compatible with GNU linkers)"\n' >"$TMP/cargo/bin/wild"
chmod +x "$TMP/cargo/bin/wild"
env -u CARGO_HOME CARGO_INSTALL_ROOT="$TMP/cargo" PATH=/usr/bin:/bin "$LINKMATRIX" linkers >"$TMP/linkers3" 2>&1
check "Wild found in cargo's install root, outside PATH" has "$TMP/linkers3" "^wild +0\.8\.0 +$TMP/cargo/bin/wild"
# Wild's newer --version (since 2026-03-31): "Wild 0.8.0 non-git-build".
printf '#!/bin/sh\necho "Wild 0.9.1 non-git-build (compatible with GNU linkers)"\n' >"$TMP/cargo/bin/wild"
env -u CARGO_HOME CARGO_INSTALL_ROOT="$TMP/cargo" PATH=/usr/bin:/bin "$LINKMATRIX" linkers >"$TMP/linkers5" 2>&1
check "a Wild of the newer version format, found with its version" has "$TMP/linkers5" "^wild +0\.9\.1 +$TMP/cargo/bin/wild"
env -u CARGO_INSTALL_ROOT -u CARGO_HOME HOME="$TMP/nocargo" PATH=/usr/bin:/bin "$LINKMATRIX" linkers >"$TMP/linkers4" 2>&1
check "Wild: not installed, and where it was looked for" \
	has "$TMP/linkers4" "^wild .*not installed: found none of wild ld.wild $TMP/nocargo/.cargo/bin/wild "
check "illumos ld: /usr/bin/ld is GNU ld, not the illumos link-editor" \
	has "$TMP/linkers" "^illumos-ld .*/usr/bin/ld is not illumos-ld"
LINKMATRIX_LINKER_MOLD=/nonexistent "$LINKMATRIX" linkers >"$TMP/linkers2" 2>&1
check "env override of a linker's path is honoured" has "$TMP/linkers2" '^mold .*LINKMATRIX_LINKER_MOLD=/nonexistent: not an executable'

"$LINKMATRIX" targets >"$TMP/targets" 2>&1; ok $? "targets: exit 0"
check "the native target is usable" has "$TMP/targets" '^x86_64-linux-gnu +usable'

"$LINKMATRIX" validate "$E2E/cases/good"/*.yaml >"$TMP/out" 2>&1; ok $? "validate: good cases exit 0"
"$LINKMATRIX" validate "$E2E/cases/broken" >"$TMP/bad" 2>&1; ok $(($? == 1 ? 0 : 1)) "validate: broken cases exit 1"
check "unknown key named with line:column" has "$TMP/bad" "unknown-key.yaml:7:5: unknown key 'ldflag' in a build step"
check "malformed YAML named with line:column" has "$TMP/bad" 'bad-yaml.yaml:[0-9]+:[0-9]+: malformed YAML'
check "path traversal refused" has "$TMP/bad" "escape.yaml:3:3: file name '../../escaped.c' is not a name: "
check "bad mode value" has "$TMP/bad" "types.yaml:6:11: unknown mode 'executable'"
check "bad integer" has "$TMP/bad" "types.yaml:10:21: a run step's expect: 'exit' must be an integer, not 'zero'"
check "bad signal" has "$TMP/bad" "types.yaml:10:35: unknown signal 'SIGNOPE'"
check "unknown linker in expect-failure" has "$TMP/bad" "refs.yaml:8:[0-9]+: expect-failure names linker 'nosuchlinker'"
check "input that is neither file nor output" has "$TMP/bad" "refs.yaml:5:[0-9]+: input 'nothere.c' of 'a' is neither a file"

# Every number from the command line is bounded: none wraps (--shard 1/-1
# was read as 1/4294967295 and written so into results.json).
while IFS='|' read -r opt re; do
	# shellcheck disable=SC2086
	"$LINKMATRIX" run $opt --report "$TMP/nums" >"$TMP/out" 2>&1
	st=$?
	if [ $st -eq 2 ] && has "$TMP/out" "$re"; then ok 0 "run $opt: exit 2, refused"; else
		echo "# exit $st" >&2; ok 1 "run $opt: exit 2, refused"; fi
done <<EOF
--shard 1/-1|--shard needs I/N with 1 <= I <= N <= 100000, not '1/-1'
--shard 1/100001|--shard needs I/N with 1 <= I <= N <= 100000
--shard 0x1/2|--shard needs I/N
-j 0|--jobs needs a whole number from 1 to 4096, not 0
-j 99999999999|--jobs needs a whole number from 1 to 4096, not 99999999999
--timeout inf|--timeout needs seconds above 0, up to a week \(604800\), not inf
--build-timeout 0|--build-timeout needs seconds above 0
--max-failures 99999999999|--max-failures needs a whole number up to 1000000000
EOF
check "nothing was written for them" test ! -e "$TMP/nums"

# Did you mean: an option, a command, a subcommand, a linker, a target and
# a case, each mistyped, is refused (exit 2) with the nearest name.
while IFS='|' read -r args re; do
	# shellcheck disable=SC2086
	"$LINKMATRIX" $args >"$TMP/out" 2>&1
	st=$?
	if [ $st -eq 2 ] && has "$TMP/out" "$re"; then ok 0 "$args: exit 2, suggested"; else
		echo "# exit $st" >&2; ok 1 "$args: exit 2, suggested"; fi
done <<EOF
run --max-failure 3|unknown option '--max-failure' \(did you mean --max-failures\?\)
run --max-failure=3|unknown option '--max-failure=3' \(did you mean --max-failures\?\)
elf diff --ignroe x a b|unknown option '--ignroe' \(did you mean --ignore\?\)
lnkers|unknown command 'lnkers' \(did you mean 'linkers'\?\)
elf shw x|linkmatrix elf: unknown subcommand 'shw' \(did you mean 'show'\?\)
report compre a b|linkmatrix report: unknown subcommand 'compre' \(did you mean 'compare'\?\)
import wlid x -o y|linkmatrix import: unknown subcommand 'wlid' \(did you mean 'wild'\?\)
suite mlod x|linkmatrix suite: unknown subcommand 'mlod' \(did you mean 'mold'\?\)
run --linker lldd --report $TMP/dym common-symbols|unknown linker 'lldd' \(did you mean 'lld'\? see 'linkmatrix linkers'\)
run --diff-reference gld --report $TMP/dym common-symbols|--diff-reference: unknown linker 'gld' \(did you mean 'gold'\?
run --target x86_64-linux-gn --report $TMP/dym common-symbols|unknown target 'x86_64-linux-gn' \(did you mean 'x86_64-linux-gnu'\? see 'linkmatrix targets'\)
repro common-symbols --linker bdf|unknown linker 'bdf' \(did you mean 'bfd'\?
list common-symbol|'common-symbol' is neither a case file, a directory, nor the name of a bundled case \(did you mean 'common-symbols'\?\)
EOF
"$LINKMATRIX" run --linker zzzzzz --report "$TMP/dym" common-symbols >"$TMP/out" 2>&1
check "nothing near: no suggestion" has "$TMP/out" "unknown linker 'zzzzzz' \(see 'linkmatrix linkers'\)$"

# --help of every command and subcommand: its usage line on stdout, exit 0.
# The commands are those the top level's help lists.
"$LINKMATRIX" --help >"$TMP/help" 2>&1; ok $? "--help: exit 0"
"$LINKMATRIX" help >"$TMP/help2" 2>&1; ok $? "help: exit 0"
check "help is --help" cmp "$TMP/help" "$TMP/help2"
check "--help names LINKMATRIX_HOME" has "$TMP/help" '^  LINKMATRIX_HOME '
sed -n '/^commands:/,/^$/s/^  \([a-z]\{1,\}\( [a-z]\{1,\}\)\{0,1\}\)\( .*\)\{0,1\}$/\1/p' "$TMP/help" >"$TMP/cmds"
check "the help lists 16 commands" test "$(wc -l <"$TMP/cmds")" -eq 16
while read -r cmd; do
	# shellcheck disable=SC2086
	"$LINKMATRIX" $cmd --help >"$TMP/out" 2>"$TMP/err"
	st=$?
	if [ $st -eq 0 ] && has "$TMP/out" "^usage: linkmatrix $cmd( |$)" && [ ! -s "$TMP/err" ]; then
		ok 0 "$cmd --help: its usage, exit 0"; else echo "# exit $st" >&2; ok 1 "$cmd --help: its usage, exit 0"; fi
	# shellcheck disable=SC2086
	"$LINKMATRIX" help $cmd >"$TMP/out2" 2>&1
	check "help $cmd is $cmd --help" cmp "$TMP/out" "$TMP/out2"
done <"$TMP/cmds"
for group in elf report import suite; do
	"$LINKMATRIX" $group --help >"$TMP/out" 2>&1
	st=$?
	if [ $st -eq 0 ] && has "$TMP/out" "^usage: linkmatrix $group "; then ok 0 "$group --help: exit 0"; else
		echo "# exit $st" >&2; ok 1 "$group --help: exit 0"; fi
	"$LINKMATRIX" $group >"$TMP/out" 2>&1; ok $(($? == 2 ? 0 : 1)) "$group alone: exit 2"
done
"$LINKMATRIX" elf show >"$TMP/out" 2>&1; ok $(($? == 2 ? 0 : 1)) "elf show without a file: exit 2"

# --names: what completion asks the program for.
"$LINKMATRIX" linkers --names >"$TMP/names" 2>&1; ok $? "linkers --names: exit 0"
check "linkers --names: one name a line" has "$TMP/names" '^bfd$'
"$LINKMATRIX" targets --names >"$TMP/names" 2>&1
check "targets --names: one name a line" has "$TMP/names" '^x86_64-linux-gnu$'
"$LINKMATRIX" list --names >"$TMP/names" 2>&1
check "list --names: the case names" has "$TMP/names" '^common-symbols$'
"$LINKMATRIX" validate --names x >"$TMP/out" 2>&1; ok $(($? == 2 ? 0 : 1)) "validate has no --names"

done_testing
