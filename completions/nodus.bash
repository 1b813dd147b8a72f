# bash completion for nodus                                  -*- shell-script -*-
#
# Loaded by the code 'nodus init bash' prints, or installed as
# share/bash-completion/completions/nodus. Needs nothing but bash itself.
# Never touches the network: remote versions come from the cached index.
# The command and option lists are checked against 'nodus help --commands'
# and the usage lines by tests/e2e/50-docs.bats.

# $NODUS_HOME as nodus computes it: NODUS_HOME when absolute, else
# $XDG_DATA_HOME/nodus when that is absolute, else ~/.local/share/nodus.
_nodus_home()
{
    if [[ ${NODUS_HOME-} == /* ]]; then
        printf '%s\n' "$NODUS_HOME"
    elif [[ ${XDG_DATA_HOME-} == /* ]]; then
        printf '%s\n' "$XDG_DATA_HOME/nodus"
    else
        printf '%s\n' "$HOME/.local/share/nodus"
    fi
}

_nodus_cache()
{
    if [[ ${XDG_CACHE_HOME-} == /* ]]; then
        printf '%s\n' "$XDG_CACHE_HOME/nodus"
    else
        printf '%s\n' "$HOME/.cache/nodus"
    fi
}

# Installed versions, without the leading v (with it when the word has one).
_nodus_installed()
{
    local d f
    d=$(_nodus_home)/versions
    [[ -d $d ]] || return 0
    for f in "$d"/v[0-9]*; do
        [[ -d $f ]] || continue
        f=${f##*/}
        if [[ $1 == v* ]]; then printf '%s\n' "$f"; else printf '%s\n' "${f#v}"; fi
    done
}

_nodus_aliases()
{
    local d f
    d=$(_nodus_home)/aliases
    [[ -d $d ]] || return 0
    for f in "$d"/*; do
        [[ -f $f ]] && printf '%s\n' "${f##*/}"
    done
}

# lts/* and lts/<codename> for every line in $NODUS_HOME/lts
# ("codename major first-version" per line).
_nodus_lts()
{
    local f name rest
    printf '%s\n' 'lts/*'
    f=$(_nodus_home)/lts
    [[ -r $f ]] || return 0
    while read -r name rest; do
        [[ -n $name ]] && printf 'lts/%s\n' "$name"
    done <"$f"
}

# Versions in the cached release index, newest first as the index has them,
# plus each major once. Parsed with grep and sed: no JSON tool, no network.
_nodus_remote()
{
    local f
    f=$(_nodus_cache)/index.json
    [[ -r $f ]] || return 0
    grep -o '"version"[[:space:]]*:[[:space:]]*"v[0-9][^"]*"' "$f" 2>/dev/null |
        sed -e 's/.*"v\([^"]*\)"$/\1/' |
        if [[ $1 == v* ]]; then sed 's/^/v/'; else cat; fi
    grep -o '"version"[[:space:]]*:[[:space:]]*"v[0-9][0-9]*\.' "$f" 2>/dev/null |
        sed -e 's/.*"v\([0-9]*\)\.$/\1/' | awk '!seen[$0]++'
}

_nodus_shim_names()
{
    local d f
    printf '%s\n' node npm npx corepack
    d=$(_nodus_home)/shims
    [[ -d $d ]] || return 0
    for f in "$d"/*; do
        [[ -e $f || -L $f ]] && printf '%s\n' "${f##*/}"
    done
}

# Set COMPREPLY to the lines of a list that start with the current word.
_nodus_reply()
{
    local cur=$1 line
    shift
    COMPREPLY=()
    while IFS= read -r line; do
        [[ -n $line && $line == "$cur"* ]] && COMPREPLY+=("$line")
    done < <(printf '%s\n' "$@")
}

_nodus_reply_lines()
{
    local cur=$1 line
    COMPREPLY=()
    while IFS= read -r line; do
        [[ -n $line && $line == "$cur"* ]] && COMPREPLY+=("$line")
    done
}

_nodus()
{
    local cur=${COMP_WORDS[COMP_CWORD]}
    local commands='install uninstall ls ls-remote use pin default current which exec init reshim alias unalias prune cache config doctor import mirror help version audit upgrade'
    local globals='--offline --quiet -q --verbose --json --no-color'
    local config_keys='mirror index_ttl archive_format auto_install engines_node color verify_signatures allow_unsigned keys_dir ca_file schedule_url vulns_url max_extract_bytes max_extract_entries download_cache_max shared_dirs'
    local i w cmd='' cmdi=0

    # The command is the first word that is not a global option.
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
        -*) ;;
        *)
            cmd=$w
            cmdi=$i
            break
            ;;
        esac
    done

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            # shellcheck disable=SC2086
            _nodus_reply "$cur" $globals --help -h --version -V
        else
            # shellcheck disable=SC2086
            _nodus_reply "$cur" $commands
        fi
        return 0
    fi
    case $cmd in
    list) cmd='ls' ;;
    list-remote) cmd=ls-remote ;;
    esac

    # The words after the command, options left out; after "--" (exec)
    # everything belongs to the command being run.
    local -a args=()
    local dashdash=0
    for ((i = cmdi + 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if ((dashdash)); then
            args+=("$w")
        elif [[ $w == -- ]]; then
            dashdash=1
            args=()
        elif [[ $w != -* ]]; then
            args+=("$w")
        fi
    done
    local n=${#args[@]}

    if [[ $cmd == exec ]] && ((dashdash || n >= 1)); then
        # The command to run, then its arguments (files).
        if ((dashdash && n == 0)) || ((!dashdash && n == 1)); then
            mapfile -t COMPREPLY < <(compgen -c -- "$cur" | sort -u)
        else
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        fi
        return 0
    fi

    if [[ $cur == -* ]]; then
        local opts=''
        case $cmd in
        install) opts='--lts --latest --jobs --allow-unsigned --reinstall-packages-from' ;;
        ls) opts='--json' ;;
        ls-remote) opts='--lts --json' ;;
        current | which | doctor | alias) opts='--json' ;;
        exec) opts='--install --' ;;
        prune | import) opts='--dry-run' ;;
        default) opts='--unset' ;;
        audit) opts='--json --fail-on --severity' ;;
        upgrade) opts='--dry-run --keep' ;;
        mirror) opts='--platform --allow-unsigned' ;;
        esac
        # shellcheck disable=SC2086
        _nodus_reply "$cur" $opts $globals
        return 0
    fi

    case $cmd in
    install)
        _nodus_reply_lines "$cur" < <(_nodus_lts; printf '%s\n' latest; _nodus_aliases; _nodus_remote "$cur")
        ;;
    uninstall | upgrade)
        _nodus_reply_lines "$cur" < <(_nodus_installed "$cur")
        ;;
    audit)
        _nodus_reply_lines "$cur" < <(compgen -d -- "$cur"; _nodus_installed "$cur")
        ;;
    ls)
        ((n == 0)) && _nodus_reply_lines "$cur" < <(_nodus_installed "$cur"; _nodus_lts; _nodus_aliases)
        ;;
    ls-remote)
        ((n == 0)) && _nodus_reply_lines "$cur" < <(_nodus_lts; printf '%s\n' latest; _nodus_remote "$cur")
        ;;
    use | pin | default | exec)
        ((n == 0)) && _nodus_reply_lines "$cur" < <(_nodus_installed "$cur"; _nodus_aliases; _nodus_lts; printf '%s\n' latest system)
        ;;
    which)
        ((n == 0)) && _nodus_reply_lines "$cur" < <(_nodus_shim_names)
        ;;
    init)
        ((n == 0)) && _nodus_reply "$cur" bash zsh fish
        ;;
    alias)
        if ((n == 0)); then
            _nodus_reply_lines "$cur" < <(_nodus_aliases)
        elif ((n == 1)); then
            _nodus_reply_lines "$cur" < <(_nodus_installed "$cur"; _nodus_lts; printf '%s\n' latest system; _nodus_aliases)
        fi
        ;;
    unalias)
        _nodus_reply_lines "$cur" < <(_nodus_aliases)
        ;;
    cache)
        ((n == 0)) && _nodus_reply "$cur" dir clear
        ;;
    config)
        if ((n == 0)); then
            _nodus_reply "$cur" list get set unset path
        elif ((n == 1)); then
            # shellcheck disable=SC2086
            case ${args[0]} in
            get | set | unset) _nodus_reply "$cur" $config_keys ;;
            esac
        elif ((n == 2)) && [[ ${args[0]} == set ]]; then
            case ${args[1]} in
            archive_format) _nodus_reply "$cur" auto xz gz ;;
            color) _nodus_reply "$cur" auto always never ;;
            auto_install | engines_node | verify_signatures | allow_unsigned) _nodus_reply "$cur" true false ;;
            keys_dir | ca_file)
                compopt -o filenames 2>/dev/null
                mapfile -t COMPREPLY < <(compgen -f -- "$cur")
                ;;
            esac
        fi
        ;;
    import)
        _nodus_reply "$cur" nvm fnm n volta
        ;;
    mirror)
        if [[ ${COMP_WORDS[COMP_CWORD - 1]} == --platform ]]; then
            _nodus_reply "$cur" linux-x64 linux-arm64 linux-armv7l linux-ppc64le linux-s390x linux-x64-musl darwin-x64 darwin-arm64
        elif ((n == 0)); then
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        else
            _nodus_reply_lines "$cur" < <(_nodus_lts; printf '%s\n' latest; _nodus_remote "$cur")
        fi
        ;;
    help)
        # shellcheck disable=SC2086
        ((n == 0)) && _nodus_reply "$cur" $commands
        ;;
    esac
    return 0
}

complete -F _nodus nodus
