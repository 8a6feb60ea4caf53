# fish completion for listen(1)

complete -c listen -f
complete -c listen -s t -l tcp -d 'TCP sockets'
complete -c listen -s u -l udp -d 'UDP sockets'
complete -c listen -s 4 -l ipv4 -d 'IPv4 only'
complete -c listen -s 6 -l ipv6 -d 'IPv6 only'
complete -c listen -s l -l listening -d 'Listening TCP and bound UDP sockets'
complete -c listen -s a -l all -d 'Sockets in every state'
complete -c listen -s n -l numeric -d 'Ports as numbers'
complete -c listen -s p -l processes -d 'Processes holding each socket'
complete -c listen -s e -l extended -d 'Uid, inode, cookie, cgroup, v6only, shutdown state'
complete -c listen -s H -l no-header -d 'No column titles and no summary line'
complete -c listen -s j -d 'A JSON array of sockets'
complete -c listen -l json -a 'array lines' -d 'JSON output: an array, or one object per line'
complete -c listen -l format -x -a 'table json json-lines prom' -d 'Output format'
complete -c listen -l no-services -d 'No Service column and no warnings'
complete -c listen -l no-scope -d 'No Scope column'
complete -c listen -l no-reach -d 'No Reach column: the firewall ruleset is not read'
complete -c listen -l no-unit -d 'No Unit column'
complete -c listen -l ss-columns -d 'Exactly the columns of ss'
complete -c listen -l process -x -a '(__fish_complete_proc)' -d 'Only sockets a process of this name or pid holds'
complete -c listen -l user -x -a '(__fish_complete_users)' -d 'Only sockets a process of this user holds'
complete -c listen -s N -l net -x -a '(ip netns list 2>/dev/null | string split -f1 " ")' -d 'In the network namespace NAME'
complete -c listen -l netns -r -F -d 'In the network namespace of a pid or an nsfs file'
complete -c listen -l all-netns -d 'Every network namespace, with a Netns column'
complete -c listen -l color -a 'auto always never' -d 'Colour warnings'
complete -c listen -l colour -a 'auto always never' -d 'Colour warnings'
complete -c listen -l audit -d 'Review the services reachable beyond loopback, by risk'
complete -c listen -l allow -r -F -d 'Allow-list of approved services'
complete -c listen -l fail-on -x -a 'low medium high' -d 'Exit 3 on an unapproved finding at this level'
complete -c listen -l pids -d 'Only the pids of the holders, one per line'
complete -c listen -s F -l filter -r -F -d 'Read the filter from a file'
complete -c listen -s h -l help -d 'Show the help'
complete -c listen -s V -l version -d 'Show the version'

# The filter, as ss reads it: a port list (:8080) is typed, keywords are completed.
function __listen_prev_is
    contains -- (commandline -opc)[-1] $argv
end
complete -c listen -n '__listen_prev_is state exclude' -x -a 'established syn-sent syn-recv fin-wait-1 fin-wait-2 time-wait closed close-wait last-ack listening closing all connected synchronized bucket big' -d 'State'
complete -c listen -n '__listen_prev_is dev' -x -a '(__fish_print_interfaces)' -d 'Device'
complete -c listen -n '__listen_prev_is sport dport' -x -a '= != "<" "<=" ">" ">="' -d 'Comparison'
complete -c listen -n 'not __listen_prev_is state exclude dev sport dport -F --filter --allow --format --fail-on --process --user' -a 'state exclude sport dport src dst dev autobound and or not' -d 'Filter'
