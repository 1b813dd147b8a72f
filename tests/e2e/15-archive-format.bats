#!/usr/bin/env bats
# archive_format: auto (the default) chooses .tar.xz or .tar.gz from the
# rate history in the cache; whatever it chooses is verified like any
# download, and the choice and its reason are in --verbose and .nodus-meta.

load ../lib/common
load ../lib/install

setup_file() {
    setup_mirror
}

teardown_file() {
    teardown_mirror
}

setup() {
    fresh_home
    fast_env
    export NODUS_ARCHIVE_FORMAT=auto
}

teardown() {
    mirror_restore
    clear_faults
}

# seed_rates LINK_BPS: a history that measured LINK_BPS to this mirror a
# minute ago, and an idle 2-core machine's pipeline rates.
seed_rates() {
    local now
    now=$(date +%s)
    mkdir -p "$XDG_CACHE_HOME/nodus"
    printf 'decode xz 15000000 11000000 %s\ndecode gz 60000000 35000000 %s\nlink %s %s %s\n' \
        "$now" "$now" "$1" "$((now - 60))" "$MIRROR_URL" >"$XDG_CACHE_HOME/nodus/rates"
}

@test "a slow link in the history: auto picks xz, says why, and the install is verified" {
    # 0.1 MB/s: slow enough that no load average makes the CPU matter more.
    seed_rates 100000
    run --separate-stderr nodus --verbose install 22.11.0
    [ "$status" -eq 0 ]
    [[ $stderr == *"archive format auto, xz: link 0.1 MB/s (measured to this mirror)"* ]]
    [ "$(meta_value v22.11.0 file)" = "$(tarball_name v22.11.0 tar.xz)" ]
    [ "$(meta_value v22.11.0 sha256)" = "$(mirror_sha256 v22.11.0 tar.xz)" ]
    [[ $(meta_value v22.11.0 format_choice) == "auto, xz: link 0.1 MB/s (measured to this mirror);"* ]]
    [ "$(requests_matching "^GET $(tarball_path v22.11.0 tar.gz) ")" -eq 0 ]
}

@test "a fast link in the history: auto picks gz, and the install is verified" {
    seed_rates 1000000000
    run --separate-stderr nodus --verbose install 22.11.0
    [ "$status" -eq 0 ]
    [[ $stderr == *"archive format auto, gz: link 1000.0 MB/s (measured to this mirror)"* ]]
    [ "$(meta_value v22.11.0 file)" = "$(tarball_name v22.11.0 tar.gz)" ]
    [ "$(meta_value v22.11.0 sha256)" = "$(mirror_sha256 v22.11.0 tar.gz)" ]
    [ "$(requests_matching "^GET $(tarball_path v22.11.0 tar.xz) ")" -eq 0 ]
    [ "$("$NODUS_HOME/versions/v22.11.0/bin/node" -v)" = v22.11.0 ]
}

@test "the chosen format with bytes that do not match: a checksum error, nothing installed" {
    seed_rates 1000000000
    mkdir -p "$NODUS_HOME/versions"
    snapshot_versions
    set_faults '[{"match": "*.tar.gz", "fault": "wrong-bytes"}]'
    run --separate-stderr nodus install 22.11.0
    expect_error 5 "checksum mismatch for $(tarball_name v22.11.0 tar.gz): expected $(mirror_sha256 v22.11.0 tar.gz)"
    assert_clean_failure
}

@test "auto falls back to the format the release has, and says so" {
    seed_rates 100000 # would pick xz; SHASUMS256.txt lists only the .tar.gz
    local sums=$MIRROR_DIR/v20.17.0/SHASUMS256.txt
    mirror_save "$sums"
    grep -v '\.tar\.xz$' "$BATS_TEST_TMPDIR/mirror-orig$sums" >"$sums"
    run --separate-stderr nodus install 20.17.0
    [ "$status" -eq 0 ]
    [ "$(meta_value v20.17.0 sha256)" = "$(mirror_sha256 v20.17.0 tar.gz)" ]
    [[ $(meta_value v20.17.0 format_choice) == "auto, xz: "*"; only the gz exists" ]]
}

@test "no history: auto decides from how fast the mirror answered, and the file matches the choice" {
    run --separate-stderr nodus --verbose install 22.11.0
    [ "$status" -eq 0 ]
    local why fmt
    why=$(meta_value v22.11.0 format_choice)
    [[ $why == "auto, "?z": link "*"(assumed: no history, and the mirror "* ]]
    fmt=${why#auto, }
    fmt=${fmt%%:*}
    [ "$(meta_value v22.11.0 file)" = "$(tarball_name v22.11.0 "tar.$fmt")" ]
    [ "$(meta_value v22.11.0 sha256)" = "$(mirror_sha256 v22.11.0 "tar.$fmt")" ]
}

@test "a garbled or hostile rates file is no history, not an error" {
    mkdir -p "$XDG_CACHE_HOME/nodus"
    printf 'link 1e999 1 %s\nlink -5 1 %s\n\001\002 garbage\ndecode xz nan nan 1\n' "$MIRROR_URL" "$MIRROR_URL" \
        >"$XDG_CACHE_HOME/nodus/rates"
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    [[ $(meta_value v22.11.0 format_choice) == *"(assumed: no history"* ]]
    # A rates file that is a directory, or huge, is ignored too.
    rm -rf "$NODUS_HOME" "$XDG_CACHE_HOME/nodus/rates"
    mkdir -p "$XDG_CACHE_HOME/nodus/rates"
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
}

@test "archive_format xz or gz in the config, or NODUS_ARCHIVE_FORMAT, overrides the history" {
    seed_rates 1000000000
    mkdir -p "$XDG_CONFIG_HOME/nodus"
    printf 'archive_format: xz\n' >"$XDG_CONFIG_HOME/nodus/config.yaml"
    unset NODUS_ARCHIVE_FORMAT
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    [ "$(meta_value v22.11.0 format_choice)" = "xz: archive_format is xz" ]
    [ "$(meta_value v22.11.0 file)" = "$(tarball_name v22.11.0 tar.xz)" ]
    rm -rf "$NODUS_HOME"
    NODUS_ARCHIVE_FORMAT=gz run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    [ "$(meta_value v22.11.0 file)" = "$(tarball_name v22.11.0 tar.gz)" ]
    rm -rf "$NODUS_HOME"
    NODUS_ARCHIVE_FORMAT=zip run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    [[ $stderr == *"NODUS_ARCHIVE_FORMAT='zip' is not auto, xz or gz; ignoring it"* ]]
    printf 'archive_format: zip\n' >"$XDG_CONFIG_HOME/nodus/config.yaml"
    run --separate-stderr nodus install 22.11.0
    [ "$status" -ne 0 ]
    [[ $stderr == *"'archive_format' must be one of auto|xz|gz, not 'zip'"* ]]
}
