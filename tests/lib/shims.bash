# shellcheck shell=bash
# Helpers for the shim and version-selection tests (tests/e2e/2*.bats).
# Load after common.bash:
#
#   load ../lib/common
#   load ../lib/shims
#   setup_file()    { setup_mirror && make_home_template 22.11.0 20.18.0 18.20.4; }
#   teardown_file() { teardown_mirror; }
#   setup()         { home_from_template; }
#
# make_home_template VERSION...
#     Installs the versions once per file, through the real `nodus install`
#     from the test mirror, into a throwaway HOME kept in
#     $BATS_FILE_TMPDIR/template (exported as NODUS_TESTS_TEMPLATE, a name
#     that fresh_home keeps).
# home_from_template
#     fresh_home, then a private copy of the template's HOME (so each test
#     can change versions/, shims/ and the default freely); exports SHIMS.
# shims_first
#     puts $SHIMS at the front of PATH, as `nodus init` does.
# project DIR FILE CONTENT
#     mkdir -p DIR and write CONTENT (printf %b: \n, \r, \xEF work) to DIR/FILE.
# custom_bin VERSION NAME SCRIPT
#     writes an executable NAME into versions/VERSION/bin (SCRIPT is its
#     text) and runs `nodus reshim`.

make_home_template() {
    local tmpl=$BATS_FILE_TMPDIR/template
    rm -rf "$tmpl"
    mkdir -p "$tmpl/home" "$tmpl/work" || return 1
    (
        for v in $(compgen -e); do
            case $v in
            NODUS_BUILD | NODUS_TESTS_* | NODUS_SRC_DIR) ;;
            XDG_* | NODUS_* | npm_config_* | NPM_CONFIG_*) unset "$v" ;;
            esac
        done
        unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
        export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
        export HOME=$tmpl/home
        export NODUS_HOME=$HOME/.local/share/nodus
        export XDG_CACHE_HOME=$HOME/.cache XDG_CONFIG_HOME=$HOME/.config
        export NODUS_MIRROR=${MIRROR_URL:?setup_mirror first}
        # The generated mirror is unsigned (as in fresh_home).
        export NODUS_ALLOW_UNSIGNED=1
        cd "$tmpl/work" || exit 1
        "$NODUS_BUILD/nodus" install "$@" >"$tmpl/install.log" 2>&1 || {
            echo "make_home_template: nodus install $* failed:" >&2
            cat "$tmpl/install.log" >&2
            exit 1
        }
    ) || return 1
    NODUS_TESTS_TEMPLATE=$tmpl/home
    # The fake npm is a python3 script found through PATH; when python3 is a
    # version manager's shim (pyenv's costs ~0.1 s a call), go straight to
    # the interpreter it runs.
    local py
    py=$(python3 -c 'import sys; print(sys.executable)') && [ -x "$py" ] || return 1
    mkdir -p "$tmpl/pybin" && ln -sf "$py" "$tmpl/pybin/python3" || return 1
    NODUS_TESTS_PYBIN=$tmpl/pybin
    export NODUS_TESTS_TEMPLATE NODUS_TESTS_PYBIN
}

home_from_template() {
    fresh_home || return 1
    rm -rf "$HOME"
    cp -a "${NODUS_TESTS_TEMPLATE:?make_home_template first}" "$HOME" || return 1
    SHIMS=$NODUS_HOME/shims
    export SHIMS
    if [ -n "${NODUS_TESTS_PYBIN:-}" ]; then
        export PATH=$NODUS_TESTS_PYBIN:$PATH
    fi
}

shims_first() {
    export PATH=$SHIMS:$PATH
}

project() {
    mkdir -p "$1" || return 1
    printf '%b' "$3" >"$1/$2"
}

custom_bin() {
    local bin=$NODUS_HOME/versions/$1/bin
    [ -d "$bin" ] || {
        echo "custom_bin: no $bin" >&2
        return 1
    }
    printf '%s\n' "$3" >"$bin/$2" && chmod 755 "$bin/$2" &&
        "$NODUS_BUILD/nodus" reshim
}
