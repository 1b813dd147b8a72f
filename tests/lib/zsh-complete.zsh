#!/usr/bin/env zsh
# zsh-complete.zsh DIR LINE
#
# Print, one a line, the matches zsh's completion system offers for LINE
# (such as 'nodus use '), with the completion function found in DIR (which
# holds _nodus). It runs an interactive zsh in a pseudo-terminal (zsh/zpty)
# with a throwaway ZDOTDIR whose .zshrc runs compinit, presses TAB after
# LINE, and records what reaches compadd. Exits 2 when zsh/zpty is missing,
# 1 on a timeout.
emulate -L zsh
setopt no_unset
zmodload zsh/zpty 2>/dev/null || { print -u2 'zsh/zpty is not available'; exit 2 }

local dir=${1:?usage: zsh-complete.zsh DIR LINE} line=${2:?usage: zsh-complete.zsh DIR LINE}
local zd
zd=$(mktemp -d "${TMPDIR:-/tmp}/zsh-complete.XXXXXX")
local out=$zd/matches

print -r -- 'unsetopt global_rcs' >$zd/.zshenv
cat >$zd/.zshrc <<EOF
fpath=(${(q)dir} \$fpath)
autoload -Uz compinit
compinit -u -d ${(q)zd}/.zcompdump
# Record every match that completion functions add; calls that only ask
# compadd to compute something (-O, -A, -D) pass straight through.
compadd() {
  if (( \${@[(I)-[OAD]]} )); then
    builtin compadd "\$@"
    return
  fi
  local -a __matches
  builtin compadd -O __matches "\$@"
  (( \$#__matches )) && print -rl -- "\${__matches[@]}" >>${(q)out}
  builtin compadd "\$@"
}
__nodus_test_done() { print -r -- '-- done --' >>${(q)out}; }
__nodus_test_arm() { comppostfuncs=(__nodus_test_done); }
precmd_functions+=(__nodus_test_arm)
zstyle ':completion:*' list-prompt ''
zstyle ':completion:*' select-prompt ''
PS1='nodus-test-ready> '
EOF

: >$out
export ZDOTDIR=$zd
zpty nodus_test zsh -i
# Wait for the first prompt, so that .zshrc has run.
local waited=0 text=''
while (( waited < 100 )); do
  zpty -r -t nodus_test text 2>/dev/null || true
  [[ $text == *nodus-test-ready* ]] && break
  sleep 0.05
  (( ++waited ))
done
zpty -w -n nodus_test "$line"$'\t'
waited=0
while (( waited < 200 )); do
  [[ -s $out ]] && grep -qx -- '-- done --' $out && break
  zpty -r -t nodus_test text 2>/dev/null || true
  sleep 0.05
  (( ++waited ))
done
zpty -d nodus_test
if ! grep -qx -- '-- done --' $out; then
  print -u2 "zsh-complete: no completion after 10 s for: $line"
  rm -rf $zd
  exit 1
fi
grep -vx -- '-- done --' $out | awk '!seen[$0]++' || true
rm -rf $zd
