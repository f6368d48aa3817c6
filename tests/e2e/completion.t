#!/bin/sh
# The bash and zsh completions: installed by make install, and completing
# subcommands, a command's options, case names, and linker and target
# names after --linker and --target (comma lists too), as the program
# says them. bash's is run as bash runs it (COMP_WORDS, COMP_CWORD); zsh's
# with compadd, compset and _files stood in for, which only a completion
# widget has.
. "$(dirname "$0")/lib/tap.sh"

MAKE=$(command -v gmake || command -v make)
"$MAKE" -s -C "$LM_SRCDIR" install-completion DESTDIR="$TMP/inst" PREFIX=/usr >"$TMP/make" 2>&1
ok $? "make install-completion DESTDIR=... installs"
bashc=$TMP/inst/usr/share/bash-completion/completions/linkmatrix
zshc=$TMP/inst/usr/share/zsh/site-functions/_linkmatrix
check "bash's where bash-completion looks" test -r "$bashc"
check "zsh's where zsh's fpath looks" test -r "$zshc"

# What each completes: the words typed (the last one being completed),
# then the completions expected among those offered, | between.
cat >"$TMP/cases" <<'CASES'
|run|elf|linkers|--help
e|elf
elf |check|diff|show|rules
report c|compare
run --max|--max-failures
elf diff --i|--ignore
suite mold --ta|--tap|--targets-dir
run --linker l|lld
run --linker bfd,m|bfd,mold
run -l g|gold
run --target x86_64-linux-g|x86_64-linux-gnu
run --target a|all
repro common-symbols --diff-reference g|gold
run common-sym|common-symbols
list common-sym|common-symbols
CASES

# Each case a test point, from what the completion in $1 (bash or zsh)
# offered.
complete_cases() {
	while IFS='|' read -r words want; do
		"complete_$1" "$words" >"$TMP/got" 2>&1
		miss=
		for w in $(echo "$want" | tr '|' ' '); do grep -qx -- "$w=\{0,1\}" "$TMP/got" || miss="$miss $w"; done
		[ -z "$miss" ]
		ok $? "$1: linkmatrix $words<TAB>"
		[ -z "$miss" ] || { echo "# missing:$miss; got:" >&2; sed 's/^/#   /' "$TMP/got" >&2; }
	done <"$TMP/cases"
}

complete_bash() {
	# shellcheck disable=SC2016
	bash -c '. "$1"; read -ra COMP_WORDS <<<"$2 $3"
		case $3 in *" " | "") COMP_WORDS+=("");; esac
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _linkmatrix
		printf "%s\n" "${COMPREPLY[@]}"' bash "$bashc" "$LINKMATRIX" "$1"
}

complete_zsh() {
	# shellcheck disable=SC2016
	zsh -f -c 'compset() { local m=${(M)PREFIX##$~2}; [[ -n $m ]] || return 1; IPREFIX+=$m; PREFIX=${PREFIX#$m}; }
		compadd() { while [[ $1 == -* && $1 != -- ]]; do [[ $1 == -S ]] && shift; shift; done
			[[ $1 == -- ]] && shift; local w; for w; do [[ $w == ${PREFIX}* ]] && print -r -- "$IPREFIX$w"; done; }
		_files() { :; }
		source "$1" >/dev/null 2>&1
		words=("$2" ${=3}); [[ -z $3 || $3 == *" " ]] && words+=("")
		CURRENT=${#words}; PREFIX=${words[CURRENT]}; IPREFIX=
		_linkmatrix' zsh "$zshc" "$LINKMATRIX" "$1"
}

if command -v bash >/dev/null; then
	complete_cases bash
	# bash's '=' is a word of its own: --linker=<TAB>.
	bash -c '. "$1"; COMP_WORDS=("$2" run --linker = b); COMP_CWORD=4; _linkmatrix
		printf "%s\n" "${COMPREPLY[@]}"' bash "$bashc" "$LINKMATRIX" >"$TMP/got" 2>&1
	check "bash: --linker=b completes the linker" has "$TMP/got" '^bfd$'
	bash -c '. "$1"; complete -p linkmatrix' bash "$bashc" >"$TMP/got" 2>&1
	check "bash: the function is linkmatrix's completion" has "$TMP/got" '_linkmatrix linkmatrix$'
else
	echo "# SKIP no bash"
fi

if command -v zsh >/dev/null; then
	zsh -n "$zshc"; ok $? "zsh -n: the zsh completion parses"
	# compinit finds it by its #compdef line.
	mkdir -p "$TMP/fpath" && cp "$zshc" "$TMP/fpath/"
	# shellcheck disable=SC2016
	zsh -f -c 'fpath=("$1" $fpath); autoload -U compinit; compinit -u -d "$2"; print -r -- $_comps[linkmatrix]' \
		zsh "$TMP/fpath" "$TMP/zcompdump" >"$TMP/got" 2>&1
	check "zsh: compinit registers _linkmatrix" has "$TMP/got" '^_linkmatrix$'
	complete_cases zsh
	complete_zsh "run --linker=bfd,mo" >"$TMP/got" 2>&1
	check "zsh: --linker=bfd,mo completes the linker" has "$TMP/got" '^--linker=bfd,mold$'
else
	echo "# SKIP no zsh (configure --install-deps installs it)"
fi

"$MAKE" -s -C "$LM_SRCDIR" uninstall DESTDIR="$TMP/inst" PREFIX=/usr >"$TMP/make" 2>&1
check "make uninstall removes them" test ! -e "$bashc" -a ! -e "$zshc"

done_testing
