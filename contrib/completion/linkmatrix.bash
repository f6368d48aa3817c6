# bash completion for linkmatrix(1). It asks the program: the commands
# from `linkmatrix --help`, a command's options from its --help, case,
# linker and target names from `list`, `linkers` and `targets --names`;
# so it completes what the linkmatrix being run knows, its own cases and
# linkers.d included. Installed by make install into
# share/bash-completion/completions/linkmatrix; or source it.

# The commands, "elf check" as one line.
_linkmatrix_commands() {
	"$1" --help 2>/dev/null | sed -n '/^commands:/,/^$/s/^  \([a-z]\{1,\}\( [a-z]\{1,\}\)\{0,1\}\)\( .*\)\{0,1\}$/\1/p'
}

# A command's options: "--name" for a flag, "--name=" for one with a value.
_linkmatrix_options() {
	# shellcheck disable=SC2086 # $2 is the command's words
	"$1" $2 --help 2>/dev/null |
		sed -n 's/^ \{1,\}\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\)\( [^ ]\{1,\}\)\{0,1\}  .*/\2\3/p' |
		sed 's/ .*/=/'
}

# COMPREPLY from a command's lines (a file name may hold spaces).
_linkmatrix_reply() {
	mapfile -t COMPREPLY < <("$@")
}

# Names for what follows an option, a comma list completed at its last item.
_linkmatrix_names() { # PROG WHAT CUR
	local head=
	case $3 in *,*) head=${3%,*},;; esac
	local IFS=$'\n' names
	names=$("$1" "$2" --names 2>/dev/null)
	[ "$2" = targets ] && names+=$'\n'all
	_linkmatrix_reply compgen -P "$head" -W "$names" -- "${3##*,}"
}

_linkmatrix() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local prog=${COMP_WORDS[0]} cmd='' i w
	local cmds
	cmds=$(_linkmatrix_commands "$prog")
	# --opt=VALUE: bash splits the '=' off as a word of its own.
	if [ "$cur" = = ]; then
		prev=${COMP_WORDS[COMP_CWORD-1]} cur=
	elif [ "$prev" = = ] && [ "$COMP_CWORD" -ge 2 ]; then
		prev=${COMP_WORDS[COMP_CWORD-2]}
	fi
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in -*|=) continue;; esac
		if [ -z "$cmd" ] || printf '%s\n' "$cmds" | grep -qx "$cmd [a-z]*"; then
			printf '%s\n' "$cmds" | grep -qx "${cmd:+$cmd }$w\( [a-z]*\)\{0,1\}" || break
			cmd=${cmd:+$cmd }$w
		fi
	done
	case $prev in
	--linker|-l|--diff-reference) _linkmatrix_names "$prog" linkers "$cur"; return;;
	--target|-t) _linkmatrix_names "$prog" targets "$cur"; return;;
	-j|--jobs|--timeout|--build-timeout|--max-failures|--shard|--filter|--filter-out) return;;
	-*)
		if [ -n "$cmd" ] && _linkmatrix_options "$prog" "$cmd" | grep -qx -- "$prev="; then
			_linkmatrix_reply compgen -f -- "$cur"
			return
		fi;;
	esac
	if [ -z "$cmd" ] || printf '%s\n' "$cmds" | grep -qx "$cmd [a-z]*"; then
		local next
		next=$(printf '%s\n' "$cmds" | sed -n "s/^${cmd:+$cmd }\([a-z]*\).*/\1/p" | sort -u)
		[ -z "$cmd" ] && next+=$'\n--help\n--version'
		_linkmatrix_reply compgen -W "$next" -- "$cur"
		return
	fi
	if [[ $cur == -* ]]; then
		_linkmatrix_reply compgen -W "$(_linkmatrix_options "$prog" "$cmd")" -- "$cur"
		[[ ${COMPREPLY[*]} == *= ]] && compopt -o nospace 2>/dev/null
		return
	fi
	case $cmd in
	run|list|repro)
		_linkmatrix_reply compgen -W "$("$prog" list --names 2>/dev/null)" -f -- "$cur";;
	*) _linkmatrix_reply compgen -f -- "$cur";;
	esac
}
complete -F _linkmatrix linkmatrix
