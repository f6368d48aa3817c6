#!/bin/sh
# The man pages: installed by make install (install-man), rendered by
# man -l without a warning, with their sections, and holding every command,
# option and environment variable the program's --help lists, so the page
# and the program cannot drift apart (docs-options.t checks the other way).
. "$(dirname "$0")/lib/tap.sh"

MAKE=$(command -v gmake || command -v make)
"$MAKE" -s -C "$LM_SRCDIR" install-man DESTDIR="$TMP/inst" PREFIX=/usr >"$TMP/make" 2>&1
ok $? "make install-man DESTDIR=... installs"
man1=$TMP/inst/usr/share/man/man1/linkmatrix.1
man5=$TMP/inst/usr/share/man/man5/linkmatrix-case.5
check "linkmatrix(1) installed, readable by all" test -n "$(find "$man1" -perm -444)"
check "linkmatrix-case(5) installed" test -r "$man5"

if ! command -v man >/dev/null; then
	echo "# SKIP no man(1) here (configure --install-deps installs man-db)"
	done_testing
	exit
fi
for page in "$man1" "$man5"; do
	name=$(basename "$page")
	MANWIDTH=80 man --warnings -l "$page" >"$TMP/$name.txt" 2>"$TMP/$name.err"
	ok $? "man -l $name renders"
	check "$name: no warning from man --warnings" test ! -s "$TMP/$name.err" ||
		sed 's/^/#   /' "$TMP/$name.err" >&2
done
txt1=$TMP/linkmatrix.1.txt
for s in NAME SYNOPSIS DESCRIPTION COMMANDS ENVIRONMENT FILES 'EXIT STATUS' EXAMPLES 'SEE ALSO'; do
	check "linkmatrix(1) has $s" has "$txt1" "^$s\$"
done
for s in NAME SYNOPSIS DESCRIPTION KEYS EXAMPLE 'SEE ALSO'; do
	check "linkmatrix-case(5) has $s" has "$TMP/linkmatrix-case.5.txt" "^$s\$"
done

# Every command of --help in the synopsis, every option of its --help in
# the page, every variable of the environment section.
"$LINKMATRIX" --help >"$TMP/help"
sed -n '/^commands:/,/^$/s/^  \([a-z]\{1,\}\( [a-z]\{1,\}\)\{0,1\}\)\( .*\)\{0,1\}$/\1/p' "$TMP/help" >"$TMP/cmds"
check "the help lists commands" test -s "$TMP/cmds"
sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' "$txt1" >"$TMP/synopsis"
missing=
while read -r cmd; do
	grep -q "^ *linkmatrix $cmd\( \|\$\)" "$TMP/synopsis" || missing="$missing '$cmd'"
	# shellcheck disable=SC2086
	"$LINKMATRIX" $cmd --help |
		sed -n 's/^ \{1,\}\(-\([a-zA-Z]\), \)\{0,1\}--\([a-z][a-z-]*\).*/\2 \3/p' >"$TMP/opts"
	while read -r letter long; do
		[ -z "$long" ] && long=$letter letter=
		grep -q -- "--$long\\b" "$txt1" || missing="$missing '$cmd --$long'"
		[ -z "$letter" ] || grep -q -- "-$letter, --$long\\b" "$txt1" ||
			missing="$missing '$cmd -$letter'"
	done <"$TMP/opts"
done <"$TMP/cmds"
[ -z "$missing" ]
ok $? "every command and option of the help is in linkmatrix(1)"
[ -z "$missing" ] || echo "# missing:$missing" >&2
sed -n 's/^  \(LINKMATRIX_[A-Z_]*\) .*/\1/p' "$TMP/help" >"$TMP/vars"
check "the help lists the environment" has "$TMP/vars" '^LINKMATRIX_HOME$'
missing=
while read -r v; do
	sed -n '/^ENVIRONMENT/,/^FILES/p' "$txt1" | grep -q "^ *$v" || missing="$missing $v"
done <"$TMP/vars"
[ -z "$missing" ]
ok $? "every variable of the help is in linkmatrix(1)'s ENVIRONMENT"
[ -z "$missing" ] || echo "# missing:$missing" >&2

# The example of linkmatrix-case(5) is a valid case.
mkdir -p "$TMP/example"
MANWIDTH=200 man -l "$man5" 2>/dev/null | sed -n '/^EXAMPLE$/,/^SEE ALSO$/p' | sed '1d;$d;s/^       //' \
	>"$TMP/example/hello.yaml"
"$LINKMATRIX" validate "$TMP/example/hello.yaml" >"$TMP/out" 2>&1
ok $? "linkmatrix-case(5)'s example is a valid case"

"$MAKE" -s -C "$LM_SRCDIR" uninstall DESTDIR="$TMP/inst" PREFIX=/usr >"$TMP/make" 2>&1
check "make uninstall removes the pages" test ! -e "$man1" -a ! -e "$man5"

done_testing
