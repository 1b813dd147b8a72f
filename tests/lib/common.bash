# shellcheck shell=bash
# Helpers for the nodus end-to-end tests (bats).  In a test file:
#
#   load ../lib/common
#   setup_file()    { setup_mirror; }          # or: setup_mirror --evil
#   teardown_file() { teardown_mirror; }
#   setup()         { fresh_home; }
#
# setup_mirror [mkmirror.py options...]
#     Builds the fake Node.js mirror (once per bats run and option set, kept
#     in $BATS_RUN_TMPDIR), copies it to $BATS_FILE_TMPDIR/mirror, starts
#     tests/lib/mirror.py on 127.0.0.1 and exports
#       MIRROR_URL     http://127.0.0.1:PORT
#       MIRROR_DIR     the served directory (this file's own copy: edit freely)
#       MIRROR_LOG     one line per request (see mirror.py)
#       MIRROR_STDERR  the server's stderr (empty unless something is wrong)
#       MIRROR_PID, MIRROR_PORT
# teardown_mirror     stops the server.
# fresh_home          per test: a new HOME, NODUS_HOME, XDG dirs, NODUS_MIRROR,
#                     $NODUS_BUILD first on PATH, proxies off, cwd an empty
#                     directory ($NODUS_TEST_WORK); clears faults and the log.
# set_faults JSON / clear_faults, reset_log, requests_matching REGEX,
# snapshot_versions / assert_versions_same, assert_no_partial,
# assert_no_staging, node_platform, tarball_name: see below.

NODUS_TESTS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NODUS_TESTS_DIR=$(dirname "$NODUS_TESTS_LIB")
NODUS_SRC_DIR=$(dirname "$NODUS_TESTS_DIR")
: "${NODUS_BUILD:=$NODUS_SRC_DIR/build}"
export NODUS_BUILD NODUS_TESTS_LIB NODUS_TESTS_DIR NODUS_SRC_DIR

# ------------------------------------------------------------------ mirror

# _mirror_template ARGS...: print the path of a built mirror for these
# mkmirror.py options, building it first if no earlier test file did.
_mirror_template() {
    local base key tmpl lock waited=0
    base=${BATS_RUN_TMPDIR:-${BATS_FILE_TMPDIR:?}}
    key=$(printf '%s\n' "$@" | cksum | cut -d' ' -f1)
    tmpl=$base/mirror-template-$key
    lock=$tmpl.lock
    if [ ! -d "$tmpl" ]; then
        # mkdir is atomic: one test file builds, parallel ones wait.
        until mkdir "$lock" 2>/dev/null; do
            if [ "$waited" -ge 1200 ]; then
                echo "setup_mirror: timed out waiting for $lock" >&2
                return 1
            fi
            sleep 0.1
            waited=$((waited + 1))
        done
        if [ ! -d "$tmpl" ]; then
            rm -rf "$tmpl.partial"
            if ! python3 "$NODUS_TESTS_LIB/mkmirror.py" "$tmpl.partial" "$@" >&2; then
                rmdir "$lock"
                echo "setup_mirror: mkmirror.py failed" >&2
                return 1
            fi
            mv "$tmpl.partial" "$tmpl"
        fi
        rmdir "$lock"
    fi
    printf '%s\n' "$tmpl"
}

setup_mirror() {
    local tmpl port_file i
    tmpl=$(_mirror_template "$@") || return 1
    MIRROR_DIR=$BATS_FILE_TMPDIR/mirror
    rm -rf "$MIRROR_DIR"
    cp -pR "$tmpl" "$MIRROR_DIR" || return 1
    port_file=$BATS_FILE_TMPDIR/mirror.port
    MIRROR_LOG=$BATS_FILE_TMPDIR/mirror.log
    MIRROR_STDERR=$BATS_FILE_TMPDIR/mirror.stderr
    rm -f "$port_file"
    : >"$MIRROR_LOG"
    # fd 3 closed: bats waits for it, and the server outlives this function.
    python3 "$NODUS_TESTS_LIB/mirror.py" --root "$MIRROR_DIR" \
        --port-file "$port_file" --log "$MIRROR_LOG" --exit-with-pid "$$" \
        </dev/null >"$MIRROR_STDERR" 2>&1 3>&- &
    MIRROR_PID=$!
    for ((i = 0; i < 100; i++)); do
        [ -s "$port_file" ] && break
        if ! kill -0 "$MIRROR_PID" 2>/dev/null; then
            echo "setup_mirror: mirror.py exited:" >&2
            cat "$MIRROR_STDERR" >&2
            return 1
        fi
        sleep 0.1
    done
    if [ ! -s "$port_file" ]; then
        echo "setup_mirror: no port file after 10 s" >&2
        kill "$MIRROR_PID" 2>/dev/null
        return 1
    fi
    MIRROR_PORT=$(cat "$port_file")
    MIRROR_URL=http://127.0.0.1:$MIRROR_PORT
    export MIRROR_DIR MIRROR_LOG MIRROR_STDERR MIRROR_PID MIRROR_PORT MIRROR_URL
}

teardown_mirror() {
    local i
    [ -n "${MIRROR_PID:-}" ] || return 0
    kill -TERM "$MIRROR_PID" 2>/dev/null || return 0
    for ((i = 0; i < 50; i++)); do
        kill -0 "$MIRROR_PID" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$MIRROR_PID" 2>/dev/null || true
}

# set_faults JSON: install fault rules (see mirror.py), e.g.
#   set_faults '[{"match": "*.tar.*", "fault": "truncate", "count": 1}]'
# The file is replaced atomically, so use counts start again.
set_faults() {
    local f=$MIRROR_DIR/_faults.json
    printf '%s\n' "$1" >"$f.tmp"
    if ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f.tmp"; then
        echo "set_faults: not valid JSON: $1" >&2
        rm -f "$f.tmp"
        return 1
    fi
    mv -f "$f.tmp" "$f"
}

clear_faults() {
    rm -f "$MIRROR_DIR/_faults.json"
}

# reset_log: forget the requests logged so far.
reset_log() {
    : >"$MIRROR_LOG"
}

# requests_matching REGEX: print how many log lines match the extended regex,
# e.g.  [ "$(requests_matching '^GET /index.json 200 ')" -eq 1 ]
requests_matching() {
    grep -cE -- "$1" "$MIRROR_LOG" || true
}

# ------------------------------------------------------------------- home

fresh_home() {
    local v
    for v in $(compgen -e); do
        case $v in
        NODUS_BUILD | NODUS_TESTS_* | NODUS_SRC_DIR) ;;
        XDG_* | NODUS_* | npm_config_* | NPM_CONFIG_*) unset "$v" ;;
        esac
    done
    # libcurl honours proxies; the mirror is local.
    unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
    export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost

    export HOME=$BATS_TEST_TMPDIR/home
    export NODUS_HOME=$HOME/.local/share/nodus
    export XDG_CACHE_HOME=$HOME/.cache
    export XDG_CONFIG_HOME=$HOME/.config
    mkdir -p "$HOME" "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME"
    if [ -n "${MIRROR_URL:-}" ]; then
        export NODUS_MIRROR=$MIRROR_URL
        # The generated mirror is unsigned; the signature tests sign it
        # themselves and unset this.
        export NODUS_ALLOW_UNSIGNED=1
        # The tests were written for one format; auto's own tests
        # (15-archive-format.bats) set it back.
        export NODUS_ARCHIVE_FORMAT=xz
    fi
    # The release schedule and vulnerability data are off unless a test
    # serves them (60-safety.bats): their default URLs are not reachable here.
    export NODUS_SCHEDULE_URL=off NODUS_VULNS_URL=off
    export PATH=$NODUS_BUILD:$PATH

    # Version files are looked for from the working directory up.
    export NODUS_TEST_WORK=$BATS_TEST_TMPDIR/work
    mkdir -p "$NODUS_TEST_WORK"
    cd "$NODUS_TEST_WORK" || return 1

    if [ -n "${MIRROR_DIR:-}" ]; then
        clear_faults
        reset_log
    fi
}

# ------------------------------------------------------ versions/ checks

# _versions_state: everything about $NODUS_HOME/versions that a failed
# install must not change: each entry's path, type, mode, and for files the
# size, mtime and SHA-256, for symlinks the target.
_versions_state() {
    python3 - "$NODUS_HOME/versions" <<'EOF'
import hashlib, os, stat, sys
root = sys.argv[1]
if not os.path.lexists(root):
    print("(no versions directory)")
    sys.exit(0)
out = []
for dirpath, dirnames, filenames in os.walk(root):
    for name in dirnames + filenames:
        p = os.path.join(dirpath, name)
        rel = os.path.relpath(p, root)
        st = os.lstat(p)
        mode = "%o" % stat.S_IMODE(st.st_mode)
        if stat.S_ISDIR(st.st_mode):
            out.append("d %s %s" % (mode, rel))
        elif stat.S_ISLNK(st.st_mode):
            out.append("l %s -> %s" % (rel, os.readlink(p)))
        elif stat.S_ISREG(st.st_mode):
            with open(p, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            out.append("f %s %d %d %s %s" % (mode, st.st_size, st.st_mtime_ns, digest, rel))
        else:
            out.append("? %o %s" % (st.st_mode, rel))
for line in sorted(out):
    print(line)
EOF
}

# snapshot_versions [FILE]: record the state of $NODUS_HOME/versions.
snapshot_versions() {
    _versions_state >"${1:-$BATS_TEST_TMPDIR/versions.snapshot}"
}

# assert_versions_same [FILE]: fail, showing a diff, unless
# $NODUS_HOME/versions is exactly as snapshot_versions recorded it.
assert_versions_same() {
    local snap=${1:-$BATS_TEST_TMPDIR/versions.snapshot}
    if ! _versions_state | diff -u "$snap" - >&2; then
        echo "assert_versions_same: \$NODUS_HOME/versions changed (diff above)" >&2
        return 1
    fi
}
assert_versions_unchanged() { assert_versions_same "$@"; }

# assert_no_partial: $NODUS_HOME/versions (if it exists) holds only
# directories named v<semver>, each with an executable bin/node.
assert_no_partial() {
    local d=$NODUS_HOME/versions e name bad=0
    local re='^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$'
    [ -e "$d" ] || [ -L "$d" ] || return 0
    if [ -L "$d" ] || [ ! -d "$d" ]; then
        echo "assert_no_partial: $d is not a directory" >&2
        return 1
    fi
    for e in "$d"/* "$d"/.[!.]* "$d"/..?*; do
        [ -e "$e" ] || [ -L "$e" ] || continue
        name=${e##*/}
        if [[ ! $name =~ $re ]]; then
            echo "assert_no_partial: unexpected entry in versions/: $name" >&2
            bad=1
        elif [ -L "$e" ] || [ ! -d "$e" ]; then
            echo "assert_no_partial: versions/$name is not a directory" >&2
            bad=1
        elif [ ! -f "$e/bin/node" ] || [ ! -x "$e/bin/node" ]; then
            echo "assert_no_partial: versions/$name has no executable bin/node" >&2
            bad=1
        fi
    done
    return "$bad"
}

# assert_no_staging: $NODUS_HOME/tmp is absent or empty (lock files, named
# *.lock, are allowed).
assert_no_staging() {
    local d=$NODUS_HOME/tmp e bad=0
    [ -d "$d" ] || return 0
    for e in "$d"/* "$d"/.[!.]* "$d"/..?*; do
        [ -e "$e" ] || [ -L "$e" ] || continue
        case ${e##*/} in *.lock) continue ;; esac
        echo "assert_no_staging: left behind in tmp/: ${e##*/}" >&2
        bad=1
    done
    return "$bad"
}

# ------------------------------------------------------------------ names

# node_platform: this machine in Node's file names: linux-x64, darwin-arm64...
node_platform() {
    local os arch
    case $(uname -s) in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) os=$(uname -s | tr '[:upper:]' '[:lower:]') ;;
    esac
    case $(uname -m) in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) arch=$(uname -m) ;;
    esac
    printf '%s-%s\n' "$os" "$arch"
}

# tarball_name VERSION [EXT]: node-v22.11.0-linux-x64.tar.xz (EXT: tar.xz, tar.gz)
tarball_name() {
    local v=$1
    case $v in v*) ;; *) v=v$v ;; esac
    printf 'node-%s-%s.%s\n' "$v" "$(node_platform)" "${2:-tar.xz}"
}
