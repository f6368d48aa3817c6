#!/bin/sh
# layers.sh DIR: checks the #include graph of a source tree laid out as
# harness/ is: one folder per stage, each folder's main header saying in a
# comment line "May use: a, b, c." (or "May use: nothing.") which other
# folders its files may include; files at the top (main.c) may include
# anything. Prints one line per include that reaches a folder not declared
# (an upward or sideways edge), per folder without exactly one declaration,
# per declaration naming no folder, per cycle among the declarations, and
# per cycle among the modules (a .c and its .h are one module, as the
# cycle a -> b.h, b.c -> a.h is one). Exit 0 when there is nothing to say.
#
# Only quoted includes that name a file of the tree count: system headers
# and generated ones (build/gen) are not part of the graph.
set -u
root=${1:?usage: layers.sh DIR}
cd "$root" || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lm-layers.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
status=0

# The folders and their declarations: "FOLDER USED..." per line.
: >"$tmp/decl"
for d in */; do
	d=${d%/}
	hdrs=$(grep -l 'May use:' "$d"/*.h 2>/dev/null)
	count=$(printf '%s' "$hdrs" | grep -c .)
	if [ "$count" -ne 1 ]; then
		echo "$d/: $count headers declare what the folder may use (one must)"
		status=1
		continue
	fi
	used=$(sed -n 's/.*May use: *\(.*\)\..*/\1/p' "$hdrs" | head -n 1 | tr ',' ' ')
	[ "$used" = nothing ] && used=
	for u in $used; do
		if [ ! -d "$u" ]; then
			echo "$hdrs: declares it may use '$u', which is no folder"
			status=1
		fi
	done
	echo "$d $used" >>"$tmp/decl"
done

# The declarations must be a one-way order themselves.
awk '{ print $1, $1; for (i = 2; i <= NF; i++) print $1, $i }' "$tmp/decl" >"$tmp/declpairs"
if ! tsort "$tmp/declpairs" >/dev/null 2>"$tmp/declloop"; then
	echo "the folders' declarations have a cycle:" $(sed -n 's/^tsort: //p' "$tmp/declloop" | grep -v 'input contains a loop')
	status=1
fi

# Every quoted include that names a file of the tree: "FILE TARGET".
find . -name '*.[ch]' | sed 's|^\./||' | sort >"$tmp/files"
while read -r f; do
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
	while read -r t; do
		[ -f "$t" ] && echo "$f $t"
	done
done <"$tmp/files" >"$tmp/edges"

# Edges into a folder the including folder does not declare.
awk -v declfile="$tmp/decl" '
	BEGIN {
		while ((getline line < declfile) > 0) {
			n = split(line, w, " ")
			for (i = 2; i <= n; i++) may[w[1] " " w[i]] = 1
			names[w[1]] = line
		}
	}
	function folder(p) { return index(p, "/") ? substr(p, 1, index(p, "/") - 1) : "" }
	{
		from = folder($1); to = folder($2)
		if (from == "" || from == to || (from " " to) in may) next
		split(names[from], w, " ")
		list = ""
		for (i = 2; i in w; i++) list = list (list == "" ? "" : ", ") w[i]
		printf "%s includes %s: %s/ may use %s\n", $1, $2, from, (list == "" ? "nothing" : list)
		bad = 1
	}
	END { exit bad }' "$tmp/edges" || status=1

# Cycles among modules (FILE.c and FILE.h as one): a depth-first walk
# names each edge back into the path it is on, with that path.
sed 's/\.[ch]\( \|$\)/\1/g' "$tmp/edges" | awk '$1 != $2' | sort -u | awk '
	function walk(v,   i, k, w, path) {
		state[v] = 1
		stack[++depth] = v
		for (i = 1; i <= nout[v]; i++) {
			w = out[v, i]
			if (state[w] == 1) {
				path = ""
				for (k = 1; k <= depth; k++)
					if (path != "" || stack[k] == w) path = path stack[k] " -> "
				print "an include cycle: " path w
				bad = 1
			} else if (!state[w])
				walk(w)
		}
		depth--
		state[v] = 2
	}
	{ out[$1, ++nout[$1]] = $2; node[$1] = 1; node[$2] = 1 }
	END {
		n = 0
		for (v in node) order[++n] = v
		# the same walk, hence the same report, on every awk
		for (i = 2; i <= n; i++)
			for (k = i; k > 1 && order[k - 1] > order[k]; k--) {
				t = order[k]; order[k] = order[k - 1]; order[k - 1] = t
			}
		for (i = 1; i <= n; i++)
			if (!state[order[i]]) walk(order[i])
		exit bad
	}' || status=1
exit $status
