#!/bin/sh
# The bad-input catalogue (docs/hostile-inputs.md): broken and hostile case
# files, each refused with its place and a clear message while the rest of
# the run goes on, nothing written outside the run's directory; and test
# programs that fork, allocate, print and write without end, bounded by
# limits.
# Faulty linkers are in faults.t, dying programs in death.t.
. "$(dirname "$0")/lib/tap.sh"

B=$E2E/cases/broken
H=$TMP/hostile
mkdir -p "$H"

# Hostile files made here rather than kept in the tree: too big, binary.
truncate -s 65M "$H/huge.yaml"
{ printf 'name: deep\nbuild: '; i=0; while [ $i -lt 20000 ]; do printf '[[[[[[[[[['; i=$((i + 10)); done; echo; } >"$H/deep.yaml"
{
	echo 'name: laughs'
	echo 'description: &a "lol lol lol lol lol lol lol lol lol lol"'
	p=a
	for l in b c d e f g h i j; do
		echo "x$l: &$l [*$p, *$p, *$p, *$p, *$p, *$p, *$p, *$p, *$p, *$p]"
		p=$l
	done
	echo 'build: []'
} >"$H/laughs.yaml"
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000' >"$H/elf.yaml"
printf 'name: "caf\351"\nbuild: []\n' >"$H/latin1.yaml"
printf 'name: nul\000\nbuild: []\n' >"$H/nul.yaml"
# Not regular files: read by the bytes they give, they never end or block.
ln -s /dev/zero "$H/zero.yaml"
mkfifo "$H/fifo.yaml"

# FILE|what it is|the message, as a regex
while IFS='|' read -r file what re; do
	timeout 60 "$LINKMATRIX" validate "$file" >"$TMP/out" 2>&1
	st=$?
	if [ $st -eq 1 ] && has "$TMP/out" "$re"; then ok 0 "$what: refused"; else
		echo "# exit $st" >&2; ok 1 "$what: refused"; fi
done <<EOF
$H/zero.yaml|a symlink to /dev/zero (it once grew validate to 24 GB)|^$H/zero.yaml: cannot read: not a regular file: a character device$
$H/fifo.yaml|a FIFO (it once blocked validate for ever)|^$H/fifo.yaml: cannot read: not a regular file: a FIFO$
$B/bad-yaml.yaml|malformed YAML|^$B/bad-yaml.yaml:5:1: malformed YAML: found unexpected end of stream while scanning a quoted scalar
$B/types.yaml|a wrong type|^$B/types.yaml:10:21: a run step's expect: 'exit' must be an integer, not 'zero'
$B/types.yaml|an unknown name|^$B/types.yaml:10:35: unknown signal 'SIGNOPE'
$B/unknown-key.yaml|an unknown key|^$B/unknown-key.yaml:7:5: unknown key 'ldflag' in a build step \(known: output,
$B/duplicate-key.yaml|a duplicate key|^$B/duplicate-key.yaml:8:5: duplicate key 'mode' in a build step \(first at line 7\)
$B/missing-source.yaml|a missing source file|^$B/missing-source.yaml:3:8: file 'a.c': '.*/no-such-source.c' is not a readable file
$B/refs.yaml|an input nothing provides|^$B/refs.yaml:5:5: input 'nothere.c' of 'a' is neither a file of the case
$B/refs.yaml|an unknown linker|^$B/refs.yaml:8:5: expect-failure names linker 'nosuchlinker', which no linkers.d file defines
$B/escape.yaml|a file name climbing out with ..|^$B/escape.yaml:3:3: file name '../../escaped.c' is not a name: letters, digits
$B/absolute.yaml|an absolute file name|^$B/absolute.yaml:3:3: file name '/tmp/lm-hostile-absolute.c' is not a name: 
$B/output-escape.yaml|an output climbing out with ..|^$B/output-escape.yaml:5:5: output '../../../../../lm-hostile-output' is not a name: .*, no '/'$
$B/name-escape.yaml|a case name that is a path|^$B/name-escape.yaml:1:1: case name '../../lm-hostile-name' is not a name: letters, digits and [.]_[+]-, not '.' or '-' first, at most 100 bytes$
$B/variant-escape.yaml|a variant name that climbs out of the run's directory|^$B/variant-escape.yaml:7:3: variant name '../../../../lm-hostile-variant' is not a name: letters, digits and [.]_[+]-, not '.' or '-' first, at most 100 bytes$
$B/variant-alias.yaml|a variant name that is another's directory|^$B/variant-alias.yaml:8:3: variant name 'x/../b' is not a name: 
$B/variant-newline.yaml|a newline in a variant name, shown as data|^$B/variant-newline.yaml:7:3: variant name 'a\\\\ntouch lm-hostile-newline' is not a name: 
$B/output-subst.yaml|a command substitution in an output name|^$B/output-subst.yaml:6:5: output '\\$\\(touch lm-hostile-subst\\)' is not a name: 
$B/output-quote.yaml|a quote in an output name|^$B/output-quote.yaml:5:5: output 'it's' is not a name: 
$B/name-amp.yaml|an ampersand in a case name (XML)|^$B/name-amp.yaml:1:1: case name 'a&b' is not a name: 
$B/name-todo.yaml|a TAP directive in a case name|^$B/name-todo.yaml:1:1: case name 'fails # TODO' is not a name: 
$B/input-option.yaml|a file name the tools would read as an option|^$B/input-option.yaml:3:3: file name '-lm.c' is not a name: 
$B/tag-space.yaml|a tag with a space, at its place in the list|^$B/tag-space.yaml:2:12: tag 'two words' is not a name: 
$B/bad-limits.yaml|a limit that is not a size|^$B/bad-limits.yaml:9:23: a run step's limits: 'memory' must be a size
$B/alias-cycle.yaml|an alias inside its own anchor|^$B/alias-cycle.yaml:6:13: alias \*steps names no finished node before it
$B/two-documents.yaml|two YAML documents|^$B/two-documents.yaml:7:1: more than one YAML document in one file
$B/empty.yaml|an empty file|^$B/empty.yaml: empty file
$H/huge.yaml|a 65 MiB file|^$H/huge.yaml: too big: more than 64 MiB, the limit of a YAML file$
$H/deep.yaml|20,000 levels of nesting|^$H/deep.yaml:2:71: nested more than 64 levels deep
$H/laughs.yaml|an alias bomb (a billion laughs)|^$H/laughs.yaml:[0-9]+:[0-9]+: aliases make this file expand past 1 MiB \(an alias bomb\?\)
$H/elf.yaml|binary bytes|^$H/elf.yaml:1:1: malformed YAML: control characters are not allowed
$H/latin1.yaml|bytes that are not UTF-8|^$H/latin1.yaml:1:12: malformed YAML: invalid trailing UTF-8 octet
$H/nul.yaml|a NUL byte|^$H/nul.yaml:1:10: malformed YAML: control characters are not allowed
EOF

"$LINKMATRIX" validate "$B/twin-a.yaml" "$B/twin-b.yaml" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "two cases of one name: exit 1"
check "the second is refused, naming the first" \
	has "$TMP/out" "^$B/twin-b.yaml: case name 'twin' is also used by $B/twin-a.yaml$"

# Two symlinks to ".." in a case directory: the walk sees each directory
# once and ends (it once never did).
mkdir -p "$TMP/cyc/cases"
ln -s .. "$TMP/cyc/cases/up1"
ln -s .. "$TMP/cyc/cases/up2"
cp "$E2E/cases/good/hello.yaml" "$TMP/cyc/cases/"
timeout 60 "$LINKMATRIX" list "$TMP/cyc" >"$TMP/out" 2>&1
ok $? "a directory tree with cycles: list ends, exit 0"
check "  each case listed once" sh -c "test \$(grep -c '^hello ' '$TMP/out') -eq 1"

# A file name is data in every writer: one whose name holds a newline, a
# forged result line, a control byte and '# TODO' stays one line on the
# console and in TAP, does not pass in prove, and leaves JUnit and JSON
# well-formed (a newline once put a forged PASS line on the console).
F=$TMP/forge
mkdir -p "$F"
printf 'name: bad\nbuild: [\n' >"$F/$(printf 'x\nPASS    forged:default x86_64-linux-gnu bfd\001 # TODO.yaml')"
"$LINKMATRIX" run --report "$TMP/forge-r" --linker bfd -t x86_64-linux-gnu "$F" >"$TMP/out" 2>&1
check "console: one line, the name shown with its escapes" \
	has "$TMP/out" '^ERROR +.*/x\\nPASS +forged:default x86_64-linux-gnu bfd\\x01 # TODO.yaml \[load\]: the case file is broken: 3:1: '
check "  and no line that reads as another result" sh -c "! grep -q '^PASS' '$TMP/out'"
check "TAP: prove counts the failure, '#' escaped" sh -c "! prove -e cat '$TMP/forge-r/latest/results.tap' >/dev/null 2>&1"
check "JUnit: well-formed XML" python3 -c "import xml.dom.minidom as m; m.parse('$TMP/forge-r/latest/junit.xml')"
check "JSON: valid" python3 -m json.tool "$TMP/forge-r/latest/results.json"

# All of them in one run with a good case: each an ERROR, the good case
# still passes, and nothing lands outside the run's directory.
rm -f /tmp/lm-hostile-absolute.c
R=$TMP/run/reports
mkdir -p "$TMP/run"
"$LINKMATRIX" run -j2 --report "$R" --linker bfd -t x86_64-linux-gnu \
	"$E2E/cases/good/hello.yaml" "$B" "$H" >"$TMP/out" 2>&1
ok $(($? == 1 ? 0 : 1)) "a run over them all: exit 1, not a crash"
check "the good case still passes" has "$TMP/out" '^PASS +hello:default x86_64-linux-gnu bfd'
# twin-a.yaml is good; its twin is not.
nbad=$(($(find "$B" "$H" -name '*.yaml' | wc -l) - 1))
check "each broken file is one ERROR ($nbad)" \
	sh -c "test \$(grep -c '^ERROR ' '$TMP/out') -eq $nbad"
check "results.json has them all, with their messages" \
	has "$R/latest/results.json" '"message": "the case file is broken: 2:71: nested more than 64 levels deep"'
check "nothing was written outside the run's directory" \
	sh -c "test -z \"\$(find '$TMP' -path '$R' -prune -o -name '*lm-hostile*' -print -o -name 'escaped.c' -print)\" &&
		! test -e /tmp/lm-hostile-absolute.c"

# Test programs that take what they can: bounded by their case's limits.
"$LINKMATRIX" run -j2 --report "$R" --linker bfd -t x86_64-linux-gnu \
	"$E2E/cases/hostile/alloc.yaml" "$E2E/cases/hostile/chatter.yaml" \
	"$E2E/cases/hostile/scribble.yaml" >"$TMP/out" 2>&1
check "allocating without end: malloc refused at the memory limit" \
	has "$TMP/out" '^PASS +alloc:default x86_64-linux-gnu bfd'
check "printing without end: killed at the output limit" \
	has "$TMP/out" '^FAIL +chatter:default x86_64-linux-gnu bfd \[run\]: chatter killed by the harness after writing more than 1 MiB of output$'
check "filling a file without end: SIGXFSZ at the file-size limit, named" \
	has "$TMP/out" '^FAIL +scribble:default x86_64-linux-gnu bfd \[run\]: scribble killed by signal 25 \(SIGXFSZ\): it wrote a file past its 1 MiB limit$'

# RLIMIT_NPROC does not bind root, so as root the fork bomb runs as nobody.
user=
if [ "$(id -u)" -ne 0 ]; then
	as_user() { "$@"; }
	user=$(id -u)
elif command -v setpriv >/dev/null 2>&1; then
	as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	user=65534
	chmod 755 "$TMP"
	chown -R 65534 "$TMP/run"
fi
if [ -n "$user" ] && ! as_user test -r "$E2E/cases/hostile/fork-bomb.yaml" -a -x "$LINKMATRIX"; then
	ok 0 "a fork bomb # SKIP the tree is not readable by an unprivileged user"
	ok 0 "its processes # SKIP"
elif [ -n "$user" ]; then
	as_user "$LINKMATRIX" run -j1 --report "$R" --linker bfd -t x86_64-linux-gnu \
		"$E2E/cases/hostile/fork-bomb.yaml" >"$TMP/run/out" 2>&1
	check "a fork bomb: fork refused at the processes limit" \
		has "$TMP/run/out" '^PASS +fork-bomb:default x86_64-linux-gnu bfd'
	# Killed, maybe not yet reaped by init: zombies are not running.
	check "and none of its processes is left running" \
		sh -c "! ps -o stat=,comm= -u $user | grep -v '^Z' | grep -q 'bomb'"
else
	ok 0 "a fork bomb # SKIP root, and no setpriv to run it as nobody"
	ok 0 "its processes # SKIP"
fi

done_testing
