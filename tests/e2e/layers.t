#!/bin/sh
# harness/ is laid out by stage of the one-way flow (load -> plan -> jobs
# -> results -> report), each folder's main header saying which folders it
# may use; tests/layers.sh reads the #include graph and names every
# include of a folder not declared, every cycle, every folder without its
# declaration. The harness must have none; small trees of our own show
# that each kind of fault is found and named.
. "$(dirname "$0")/lib/tap.sh"
LAYERS=$LM_SRCDIR/tests/layers.sh

sh "$LAYERS" "$LM_SRCDIR/harness" >"$TMP/harness.out" 2>&1
s=$?
sed 's/^/# /' "$TMP/harness.out" >&2
ok "$s" "harness/: every include reaches a folder its folder may use, and there is no cycle"

# tree DIR FILE=TEXT...: a fixture tree, "\n" in TEXT a newline.
tree() {
	d=$TMP/$1
	shift
	for fv in "$@"; do
		f=${fv%%=*}
		mkdir -p "$d/$(dirname "$f")"
		printf '%b\n' "${fv#*=}" >"$d/$f"
	done
}
# verdict DIR: its exit status, its lines in DIR.out.
verdict() {
	sh "$LAYERS" "$TMP/$1" >"$TMP/$1.out" 2>&1
}

tree clean 'low/a.h=/* May use: nothing. */' 'high/b.h=/* May use: low. */\n#include "low/a.h"' \
	'high/b.c=#include "high/b.h"\n#include <stdio.h>\n#include "gen.h"' 'main.c=#include "high/b.h"'
verdict clean
ok $? "a tree whose includes follow its declarations passes (system and generated headers ignored)"

tree up 'low/a.h=/* May use: nothing. */' 'low/a.c=#include "low/a.h"\n#include "high/b.h"' \
	'high/b.h=/* May use: low. */'
verdict up
ok "$(test $? -ne 0 && has "$TMP/up.out" '^low/a\.c includes high/b\.h: low/ may use nothing$' && echo 0 || echo 1)" \
	"an upward include is named with what its folder may use"

tree side 'a/a.h=/* May use: nothing. */' 'b/b.h=/* May use: nothing. */\n#include "a/a.h"'
verdict side
ok "$(test $? -ne 0 && has "$TMP/side.out" '^b/b\.h includes a/a\.h: b/ may use nothing$' && echo 0 || echo 1)" \
	"an include into a folder not declared, upward or sideways, is named"

tree cycle 'x/x.h=/* May use: nothing. */' 'x/p.h=#include "x/q.h"' 'x/q.c=#include "x/q.h"\n#include "x/r.h"' \
	'x/q.h=' 'x/r.c=#include "x/p.h"' 'x/r.h='
verdict cycle
ok "$(test $? -ne 0 && has "$TMP/cycle.out" '^an include cycle: x/p -> x/q -> x/r -> x/p$' && echo 0 || echo 1)" \
	"a cycle through .c and .h files of one folder is named, module by module"

tree undeclared 'x/x.h=/* nothing said */' 'y/y.h=/* May use: nothing. */' 'y/z.h=/* May use: nothing. */'
verdict undeclared
ok "$(test $? -ne 0 && has "$TMP/undeclared.out" '^x/: 0 headers declare' &&
	has "$TMP/undeclared.out" '^y/: 2 headers declare' && echo 0 || echo 1)" \
	"a folder must say once what it may use"

tree loop 'a/a.h=/* May use: b. */' 'b/b.h=/* May use: a, c. */'
verdict loop
ok "$(test $? -ne 0 && has "$TMP/loop.out" '^the folders. declarations have a cycle' &&
	has "$TMP/loop.out" "declares it may use 'c', which is no folder" && echo 0 || echo 1)" \
	"declarations that make a cycle, or name no folder, are refused"

done_testing
