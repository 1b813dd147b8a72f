# fish completion for nodus.
#
# Loaded by 'nodus init fish | source', or installed as
# share/fish/vendor_completions.d/nodus.fish. Never touches the network:
# remote versions come from the cached index. The command and option lists
# are checked against 'nodus help --commands' and the usage lines by
# tests/e2e/50-docs.bats.

# $NODUS_HOME as nodus computes it: NODUS_HOME when absolute, else
# $XDG_DATA_HOME/nodus when that is absolute, else ~/.local/share/nodus.
function __nodus_home
    if string match -q -- '/*' "$NODUS_HOME"
        echo $NODUS_HOME
    else if string match -q -- '/*' "$XDG_DATA_HOME"
        echo $XDG_DATA_HOME/nodus
    else
        echo $HOME/.local/share/nodus
    end
end

function __nodus_cache_dir
    if string match -q -- '/*' "$XDG_CACHE_HOME"
        echo $XDG_CACHE_HOME/nodus
    else
        echo $HOME/.cache/nodus
    end
end

# The words after "nodus" before the cursor that are not options: the
# command first, then its arguments.
function __nodus_words
    set -l toks (commandline -opc)
    for t in $toks[2..-1]
        switch $t
            case '-*'
            case '*'
                echo $t
        end
    end
end

# __nodus_is CMD...: the command on the line is one of CMD.
function __nodus_is
    set -l w (__nodus_words)
    set -q w[1]; and contains -- $w[1] $argv
end

# __nodus_at CMD N: the command is CMD and it has N arguments so far.
function __nodus_at
    set -l w (__nodus_words)
    set -q w[1]; and test "$w[1]" = $argv[1]; and test (math (count $w) - 1) -eq $argv[2]
end

function __nodus_no_command
    set -l w (__nodus_words)
    not set -q w[1]
end

# __nodus_arg I: the I-th argument of the command.
function __nodus_arg
    set -l w (__nodus_words)
    set -l i (math $argv[1] + 1)
    set -q w[$i]; and echo $w[$i]
end

function __nodus_installed
    set -l cur (commandline -ct)
    for d in (__nodus_home)/versions/v*
        test -d $d; or continue
        set -l v (basename $d)
        string match -qr -- '^v[0-9]' $v; or continue
        if string match -q -- 'v*' $cur
            printf '%s\tinstalled\n' $v
        else
            printf '%s\tinstalled\n' (string sub -s 2 -- $v)
        end
    end
end

function __nodus_aliases
    for f in (__nodus_home)/aliases/*
        test -f $f; and printf '%s\talias for %s\n' (basename $f) (head -n 1 $f)
    end
end

# lts/* and lts/<codename> for each line of $NODUS_HOME/lts.
function __nodus_lts
    printf 'lts/*\tthe newest LTS line\n'
    set -l f (__nodus_home)/lts
    test -r $f; or return 0
    while read -l name major rest
        test -n "$name"; and printf 'lts/%s\tLTS line v%s\n' $name $major
    end <$f
end

# Versions in the cached release index, and their majors; grep and sed,
# never the network.
function __nodus_remote
    set -l f (__nodus_cache_dir)/index.json
    test -r $f; or return 0
    set -l cur (commandline -ct)
    set -l vs (grep -o '"version"[[:space:]]*:[[:space:]]*"v[0-9][^"]*"' $f 2>/dev/null | sed -e 's/.*"v\([^"]*\)"$/\1/')
    if string match -q -- 'v*' $cur
        printf 'v%s\trelease\n' $vs
    else
        printf '%s\trelease\n' $vs
    end
    printf '%s\trelease line\n' (string replace -r '\..*' '' -- $vs | awk '!seen[$0]++')
end

function __nodus_local_specs
    __nodus_installed
    __nodus_aliases
    __nodus_lts
    printf 'latest\tthe newest release\n'
    printf 'system\tthe node on PATH outside nodus\n'
end

function __nodus_remote_specs
    __nodus_lts
    printf 'latest\tthe newest release\n'
    __nodus_aliases
    __nodus_remote
end

function __nodus_shim_names
    printf '%s\n' node npm npx corepack
    for f in (__nodus_home)/shims/*
        basename $f
    end
end

complete -c nodus -f

# Global options.
complete -c nodus -l offline -d 'use the cached index only and download nothing'
complete -c nodus -s q -l quiet -d 'no notes and no progress bars'
complete -c nodus -l verbose -d 'say why (the archive format chosen)'
complete -c nodus -l json -d 'print the result as JSON'
complete -c nodus -l no-color -d 'no colour'
complete -c nodus -n __nodus_no_command -s V -l version -d 'print the version of nodus'
complete -c nodus -n __nodus_no_command -s h -l help -d 'list the commands'

# Commands.
complete -c nodus -n __nodus_no_command -a install -d 'download, verify and install Node.js releases'
complete -c nodus -n __nodus_no_command -a uninstall -d 'remove installed versions'
complete -c nodus -n __nodus_no_command -a ls -d 'list installed versions, newest first'
complete -c nodus -n __nodus_no_command -a ls-remote -d 'list the releases of the mirror'
complete -c nodus -n __nodus_no_command -a use -d 'use a version in this shell'
complete -c nodus -n __nodus_no_command -a pin -d 'pin this project to a version'
complete -c nodus -n __nodus_no_command -a default -d 'show, set or unset the version used everywhere else'
complete -c nodus -n __nodus_no_command -a current -d 'the active version and what chose it'
complete -c nodus -n __nodus_no_command -a which -d 'the real executable a shim would run'
complete -c nodus -n __nodus_no_command -a exec -d 'run one command under a version'
complete -c nodus -n __nodus_no_command -a init -d 'print the shell setup'
complete -c nodus -n __nodus_no_command -a reshim -d 'recreate the shims'
complete -c nodus -n __nodus_no_command -a alias -d 'list, show or set an alias for a spec'
complete -c nodus -n __nodus_no_command -a unalias -d 'remove aliases'
complete -c nodus -n __nodus_no_command -a prune -d 'remove versions nothing refers to'
complete -c nodus -n __nodus_no_command -a cache -d 'show or clear the cache'
complete -c nodus -n __nodus_no_command -a config -d 'read and change config.yaml'
complete -c nodus -n __nodus_no_command -a doctor -d 'check the setup'
complete -c nodus -n __nodus_no_command -a import -d 'adopt versions other managers installed'
complete -c nodus -n __nodus_no_command -a mirror -d 'copy releases, verified, into a mirror directory'
complete -c nodus -n __nodus_no_command -a help -d 'show help for nodus or one command'
complete -c nodus -n __nodus_no_command -a version -d 'print the version of nodus'
complete -c nodus -n __nodus_no_command -a audit -d 'check for end of life and known vulnerabilities'
complete -c nodus -n __nodus_no_command -a upgrade -d 'move release lines to their newest release'

# install [SPEC...] [--lts] [--latest]
complete -c nodus -n '__nodus_is install' -l lts -d 'the newest LTS release'
complete -c nodus -n '__nodus_is install' -l latest -d 'the newest release of the Current line'
complete -c nodus -n '__nodus_is install' -l allow-unsigned -d 'accept a mirror without signatures'
complete -c nodus -n '__nodus_is install' -a '(__nodus_remote_specs)'

# uninstall SPEC...
complete -c nodus -n '__nodus_is uninstall' -a '(__nodus_installed)'

# ls [SPEC] [--json], ls-remote [SPEC] [--lts] [--json]
complete -c nodus -n '__nodus_is ls list' -l json -d 'print a JSON array'
complete -c nodus -n '__nodus_at ls 0; or __nodus_at list 0' -a '(__nodus_installed; __nodus_lts; __nodus_aliases)'
complete -c nodus -n '__nodus_is ls-remote list-remote' -l lts -d 'only releases of LTS lines'
complete -c nodus -n '__nodus_is ls-remote list-remote' -l json -d 'print a JSON array'
complete -c nodus -n '__nodus_at ls-remote 0; or __nodus_at list-remote 0' -a '(__nodus_lts; __nodus_remote)'

# use SPEC, pin SPEC, default [SPEC|--unset]
complete -c nodus -n '__nodus_at use 0' -a '(__nodus_local_specs)'
complete -c nodus -n '__nodus_at pin 0' -a '(__nodus_local_specs)'
complete -c nodus -n '__nodus_at default 0' -a '(__nodus_local_specs)'
complete -c nodus -n '__nodus_at default 0' -l unset -d 'remove the default'

# current [--json], which [COMMAND] [--json], doctor [--json]
complete -c nodus -n '__nodus_is current' -l json -d 'print a JSON object'
complete -c nodus -n '__nodus_is which' -l json -d 'print a JSON object'
complete -c nodus -n '__nodus_at which 0' -a '(__nodus_shim_names)'
complete -c nodus -n '__nodus_is doctor' -l json -d 'print the checks as JSON'

# exec [--install] SPEC -- COMMAND [ARG...]
complete -c nodus -n '__nodus_at exec 0' -l install -d 'install the version first when needed'
complete -c nodus -n '__nodus_at exec 0' -a '(__nodus_local_specs)'
complete -c nodus -n '__nodus_is exec; and not __nodus_at exec 0' -F -a '(__fish_complete_subcommand --fcs-skip=3)'

# init [bash|zsh|fish]
complete -c nodus -n '__nodus_at init 0' -a 'bash zsh fish'

# alias [NAME [SPEC]], unalias NAME...
complete -c nodus -n '__nodus_is alias' -l json -d 'print JSON'
complete -c nodus -n '__nodus_at alias 0' -a '(__nodus_aliases)'
complete -c nodus -n '__nodus_at alias 1' -a '(__nodus_local_specs)'
complete -c nodus -n '__nodus_is unalias' -a '(__nodus_aliases)'

# prune [--dry-run]
complete -c nodus -n '__nodus_is prune' -l dry-run -d 'print what would be removed'

# cache dir|clear
complete -c nodus -n '__nodus_at cache 0' -a dir -d 'print the cache directory'
complete -c nodus -n '__nodus_at cache 0' -a clear -d 'delete the cached index and downloads'

# config list|get KEY|set KEY VALUE|unset KEY|path
complete -c nodus -n '__nodus_at config 0' -a list -d 'every setting and where its value comes from'
complete -c nodus -n '__nodus_at config 0' -a get -d 'the value of a setting'
complete -c nodus -n '__nodus_at config 0' -a set -d 'set a setting in config.yaml'
complete -c nodus -n '__nodus_at config 0' -a unset -d 'remove a setting from config.yaml'
complete -c nodus -n '__nodus_at config 0' -a path -d 'the path of config.yaml'
set -l __nodus_key_cond '__nodus_at config 1; and contains -- (__nodus_arg 1) get set unset'
complete -c nodus -n $__nodus_key_cond -a mirror -d 'where releases come from'
complete -c nodus -n $__nodus_key_cond -a index_ttl -d 'seconds before the cached index is revalidated'
complete -c nodus -n $__nodus_key_cond -a archive_format -d 'which tarball to download (auto, xz or gz)'
complete -c nodus -n $__nodus_key_cond -a auto_install -d 'a shim installs a missing version'
complete -c nodus -n $__nodus_key_cond -a engines_node -d 'read engines.node in package.json'
complete -c nodus -n $__nodus_key_cond -a color -d 'colour in human output'
complete -c nodus -n $__nodus_key_cond -a verify_signatures -d 'require a valid release signature'
complete -c nodus -n $__nodus_key_cond -a allow_unsigned -d 'accept mirrors that publish no signature'
complete -c nodus -n $__nodus_key_cond -a keys_dir -d 'a directory of extra release keys'
complete -c nodus -n $__nodus_key_cond -a ca_file -d 'CA bundle for HTTPS'
complete -c nodus -n $__nodus_key_cond -a schedule_url -d 'the Node.js release schedule, or off'
complete -c nodus -n $__nodus_key_cond -a vulns_url -d 'the Node.js vulnerability database, or off'
complete -c nodus -n $__nodus_key_cond -a max_extract_bytes -d 'bytes of files one release may unpack'
complete -c nodus -n $__nodus_key_cond -a max_extract_entries -d 'entries one release may have'
complete -c nodus -n $__nodus_key_cond -a download_cache_max -d 'bytes of verified tarballs kept in the cache'
complete -c nodus -n $__nodus_key_cond -a shared_dirs -d 'read-only versions directories, colon-separated'
set -l __nodus_value_cond '__nodus_at config 2; and test (__nodus_arg 1) = set; and test (__nodus_arg 2) ='
complete -c nodus -n "$__nodus_value_cond archive_format" -a 'auto xz gz'
complete -c nodus -n "$__nodus_value_cond color" -a 'auto always never'
for __nodus_k in auto_install engines_node verify_signatures allow_unsigned
    complete -c nodus -n "$__nodus_value_cond $__nodus_k" -a 'true false'
end
set -e __nodus_k
complete -c nodus -n "$__nodus_value_cond keys_dir" -F
complete -c nodus -n "$__nodus_value_cond ca_file" -F

# import [nvm|fnm|n|volta...] [--dry-run]
complete -c nodus -n '__nodus_is import' -l dry-run -d 'print what would be imported'
complete -c nodus -n '__nodus_is import' -a 'nvm fnm n volta'

# mirror DIR [SPEC...] [--platform P...]
complete -c nodus -n '__nodus_is mirror' -l platform -x -a 'linux-x64 linux-arm64 linux-armv7l linux-ppc64le linux-s390x linux-x64-musl darwin-x64 darwin-arm64' -d 'a platform to copy'
complete -c nodus -n '__nodus_is mirror' -l allow-unsigned -d 'accept a mirror without signatures'

# help [COMMAND]
complete -c nodus -n '__nodus_at help 0' -a 'install uninstall ls ls-remote use pin default current which exec init reshim alias unalias prune cache config doctor import mirror help version audit upgrade'

# audit [SPEC...|DIR...] [--json] [--fail-on=...] [--severity=...]
complete -c nodus -n '__nodus_is audit' -l json -d 'print a JSON array'
complete -c nodus -n '__nodus_is audit' -l fail-on -x -a 'eol vulnerable eol,vulnerable none' -d 'what makes the exit status 9'
complete -c nodus -n '__nodus_is audit' -l severity -x -a 'low medium high critical' -d 'the lowest severity that fails'
complete -c nodus -n '__nodus_is audit' -a '(__fish_complete_directories; __nodus_installed)'
# upgrade [SPEC...] [--dry-run] [--keep]
complete -c nodus -n '__nodus_is upgrade' -l dry-run -d 'print the plan, change nothing'
complete -c nodus -n '__nodus_is upgrade' -l keep -d 'keep the old versions'
complete -c nodus -n '__nodus_is upgrade' -a '(__nodus_installed)'
complete -c nodus -n '__nodus_is install' -s j -l jobs -x -a '1 2 3 4' -d 'how many releases at once'
complete -c nodus -n '__nodus_is install' -l reinstall-packages-from -x -a '(__nodus_installed)' -d 'global packages of an installed version'
