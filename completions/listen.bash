# bash completion for listen(1)

_listen()
{
	local cur prev words cword
	_init_completion -s || return

	case $prev in
		--allow)
			_filedir
			return
			;;
		--fail-on)
			COMPREPLY=($(compgen -W 'low medium high' -- "$cur"))
			return
			;;
		--format)
			COMPREPLY=($(compgen -W 'table json json-lines prom' -- "$cur"))
			return
			;;
		--color | --colour)
			COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
			return
			;;
		--json)
			COMPREPLY=($(compgen -W 'array lines' -- "$cur"))
			return
			;;
	esac
	$split && return

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '-t --tcp -u --udp -4 --ipv4 -6 --ipv6 -l --listening
			-a --all -n --numeric -p --processes -e --extended -H --no-header -j --json
			--json= --format= --no-services --no-scope --color --color= --colour
			--colour= --audit --allow --fail-on= -h --help -V --version' -- "$cur"))
		[[ ${COMPREPLY-} == *= ]] && compopt -o nospace 2>/dev/null
	fi
} &&
	complete -F _listen listen
