# bash completion for listen(1)

_listen()
{
	local cur prev words cword
	_init_completion -s || return

	case $prev in
		--allow | -F | --filter)
			_filedir
			return
			;;
		-N | --net)
			COMPREPLY=($(compgen -W "$(ip netns list 2>/dev/null | cut -d' ' -f1)" -- "$cur"))
			return
			;;
		--netns)
			COMPREPLY=($(compgen -W "$(cd /proc 2>/dev/null && printf '%s\n' [0-9]*)" -- "$cur"))
			_filedir
			return
			;;
		state | exclude)
			COMPREPLY=($(compgen -W 'established syn-sent syn-recv fin-wait-1 fin-wait-2
				time-wait closed close-wait last-ack listening closing all connected
				synchronized bucket big' -- "$cur"))
			return
			;;
		dev)
			COMPREPLY=($(compgen -W '= !=' -- "$cur"))
			_available_interfaces
			return
			;;
		sport | dport)
			COMPREPLY=($(compgen -W '= != < <= > >=' -- "$cur"))
			return
			;;
		--process)
			# Process names as the kernel keeps them (comm), or a pid.
			COMPREPLY=($(compgen -W "$(cat /proc/[0-9]*/comm 2>/dev/null | sort -u)" -- "$cur"))
			return
			;;
		--user)
			COMPREPLY=($(compgen -u -- "$cur"))
			return
			;;
		--fail-on)
			COMPREPLY=($(compgen -W 'low medium high' -- "$cur"))
			return
			;;
		--owners)
			COMPREPLY=($(compgen -W 'auto proc bpf' -- "$cur"))
			return
			;;
		-A | --query | --socket)
			# A comma-separated list: complete the word after the last comma.
			local done=
			[[ $cur == *,* ]] && done=${cur%,*},
			COMPREPLY=($(compgen -P "$done" -W 'all inet tcp udp mptcp sctp unix unix_stream unix_dgram unix_seqpacket vsock vsock_stream vsock_dgram' -- "${cur##*,}"))
			return
			;;
		-f | --family)
			COMPREPLY=($(compgen -W 'inet inet6 unix vsock' -- "$cur"))
			return
			;;
		--format)
			COMPREPLY=($(compgen -W 'table json json-lines prom' -- "$cur"))
			return
			;;
		--width)
			# A number of columns: the terminal's, to start from.
			COMPREPLY=($(compgen -W "${COLUMNS:-80}" -- "$cur"))
			return
			;;
		--color | --colour | --json | --watch)
			# Their values are optional, so only ever attached: after a blank, the next
			# word is not the option's but a filter's (--json lines is an error).
			if $split; then
				local values='auto always never'
				[[ $prev == --json ]] && values='array lines'
				[[ $prev == --watch ]] && values='250ms 500ms 1s 2s 5s'
				COMPREPLY=($(compgen -W "$values" -- "$cur"))
				return
			fi
			;;
	esac
	$split && return

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '-t --tcp -u --udp -x --unix -M --mptcp -S --sctp --vsock -A --query --socket
			-f --family -K --kill --dry-run -r --resolve -O --oneline -Z --context
			-z --contexts -4 --ipv4 -6 --ipv6 -l --listening
			-w --raw -0 --packet -a --all -n --numeric -p --processes -e --extended -o --options
			-m --memory -i --info -s --summary -H --no-header -j --json
			--json= --format= --pids -F --filter --no-services --no-scope --no-reach --no-unit --color --color=
			-N --net --netns --all-netns --process --user --ss-columns -W --wide --width=
			--colour --colour= --audit --allow --fail-on= --watch --watch= --owners= --verbose
			-h --help -V --version' -- "$cur"))
		[[ ${COMPREPLY-} == *= ]] && compopt -o nospace 2>/dev/null
	else
		# The filter: ss's keywords (a port list like :8080 is typed, not completed).
		COMPREPLY=($(compgen -W 'state exclude sport dport src dst dev autobound and or not' -- "$cur"))
	fi
} &&
	complete -F _listen listen
