# What zsh offers for a command line: starts an interactive zsh on a pseudo-terminal with the
# completion functions in FPATH_DIR, records every match that reaches compadd, and types LINE
# followed by a tab. Usage: zsh -f zsh-complete.zsh FPATH_DIR LINE OUT
zmodload zsh/zpty
dir=$1 line=$2 out=$3
: >$out
zpty z zsh -f -i
zpty -w z "fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "compadd() { builtin compadd -O __m \"\$@\"; print -rl -- \$__m >>${(q)out}; builtin compadd \"\$@\"; }"
zpty -w z "zstyle ':completion:*' menu no; : >${(q)out}.ready"
for i in {1..100}; do [[ -e $out.ready ]] && break; sleep 0.1; done
zpty -w -n z "$line"$'\t'
for i in {1..100}; do [[ -s $out ]] && break; sleep 0.1; done
sleep 0.3
zpty -d z
rm -f $out.ready
