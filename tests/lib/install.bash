# shellcheck shell=bash
# shellcheck disable=SC2030,SC2031  # seed_home sets the variables in a subshell on purpose
# shellcheck disable=SC2154  # status, stderr_lines: set by bats' run
# Helpers for the install, index and failure-path end-to-end tests.  Load
# after common:
#
#   load ../lib/common
#   load ../lib/install
#
# fast_env             retries, delays and timeouts small enough for tests
# seed_home VERSION... (in setup_file) install versions once into a home kept
#                      in $BATS_FILE_TMPDIR/seed
# use_seed             (in setup, after fresh_home) copy that NODUS_HOME here
# expect_error CODE [ERE]
#                      after `run --separate-stderr`: the status is CODE and
#                      stderr ends with an error line "nodus: ..." (matching
#                      ERE when given)
# assert_clean_failure versions/ as snapshot_versions left it, nothing
#                      partial in it, no staging left in tmp/
# sha256_of FILE, mirror_sha256 VERSION [EXT], tarball_path VERSION [EXT],
# meta_value VERSION KEY, wait_for CMD..., mirror_save FILE... / mirror_restore
# serve_safety_data    (in setup) the real release schedule and vulnerability
#                      database (tests/fixtures) served by the test mirror
#                      under /data/, nodus pointed at them, today 2026-11-26

bats_require_minimum_version 1.5.0

fast_env() {
    export NODUS_RETRY_DELAY_MS=10
    export NODUS_RETRIES=2
    export NODUS_STALL_TIMEOUT=5
    export NODUS_CONNECT_TIMEOUT=5
}

seed_home() {
    local seed=$BATS_FILE_TMPDIR/seed
    rm -rf "$seed"
    mkdir -p "$seed/.cache" "$seed/.config"
    (
        unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy XDG_DATA_HOME NODUS_VERSION
        export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
        export HOME=$seed NODUS_HOME=$seed/nodus XDG_CACHE_HOME=$seed/.cache \
            XDG_CONFIG_HOME=$seed/.config NODUS_MIRROR=$MIRROR_URL NODUS_ALLOW_UNSIGNED=1 \
            NODUS_SCHEDULE_URL=off NODUS_VULNS_URL=off
        cd "$seed" && "$NODUS_BUILD/nodus" --quiet install "$@"
    )
}

use_seed() {
    mkdir -p "$NODUS_HOME"
    cp -pR "$BATS_FILE_TMPDIR/seed/nodus/." "$NODUS_HOME/"
}

sha256_of() {
    python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$1"
}

# tarball_path VERSION [EXT]: the URL path of a release tarball on the mirror.
tarball_path() {
    local v=$1
    case $v in v*) ;; *) v=v$v ;; esac
    printf '/%s/%s\n' "$v" "$(tarball_name "$v" "${2:-tar.xz}")"
}

mirror_sha256() {
    sha256_of "$MIRROR_DIR$(tarball_path "$@")"
}

# meta_value VERSION KEY: KEY's value in versions/VERSION/.nodus-meta.
meta_value() {
    sed -n "s/^$2=//p" "$NODUS_HOME/versions/$1/.nodus-meta"
}

expect_error() {
    local want=$1 re=${2:-} last=
    if [ "${#stderr_lines[@]}" -gt 0 ]; then
        last=${stderr_lines[${#stderr_lines[@]} - 1]}
    fi
    if [ "$status" -ne "$want" ]; then
        printf 'expect_error: exit status %s, expected %s\nstderr:\n%s\n' "$status" "$want" "${stderr-}" >&2
        return 1
    fi
    case $last in
    "nodus: warning: "*) ;;
    "nodus: "*)
        if [ -n "$re" ] && ! [[ $last =~ $re ]]; then
            printf 'expect_error: the error does not match /%s/:\n%s\n' "$re" "$last" >&2
            return 1
        fi
        return 0
        ;;
    esac
    printf 'expect_error: stderr does not end with an error line "nodus: ...":\n%s\n' "${stderr-}" >&2
    return 1
}

assert_clean_failure() {
    assert_versions_same && assert_no_partial && assert_no_staging
}

# wait_for CMD...: retry CMD every 0.05 s for up to 10 s.
wait_for() {
    local i
    for ((i = 0; i < 200; i++)); do
        "$@" && return 0
        sleep 0.05
    done
    echo "wait_for: timed out: $*" >&2
    return 1
}

# mirror_save FILE...: keep a copy of mirror files a test is about to edit,
# under $BATS_TEST_TMPDIR/mirror-orig/<full path>; mirror_restore (in
# teardown) puts them back.
mirror_save() {
    local f
    for f in "$@"; do
        mkdir -p "$BATS_TEST_TMPDIR/mirror-orig${f%/*}"
        cp -p "$f" "$BATS_TEST_TMPDIR/mirror-orig$f"
        printf '%s\n' "$f" >>"$BATS_TEST_TMPDIR/mirror-saved"
    done
}

mirror_restore() {
    local f
    [ -f "$BATS_TEST_TMPDIR/mirror-saved" ] || return 0
    while IFS= read -r f; do
        cp -p "$BATS_TEST_TMPDIR/mirror-orig$f" "$f"
    done <"$BATS_TEST_TMPDIR/mirror-saved"
    rm -f "$BATS_TEST_TMPDIR/mirror-saved"
}

serve_safety_data() {
    mkdir -p "$MIRROR_DIR/data"
    cp "$NODUS_TESTS_DIR/fixtures/nodejs-release-schedule.json" "$MIRROR_DIR/data/schedule.json"
    cp "$NODUS_TESTS_DIR/fixtures/nodejs-security-wg-vuln-core-index.json" "$MIRROR_DIR/data/vulns.json"
    export NODUS_SCHEDULE_URL=$MIRROR_URL/data/schedule.json
    export NODUS_VULNS_URL=$MIRROR_URL/data/vulns.json
    export NODUS_NOW=2026-11-26
}
