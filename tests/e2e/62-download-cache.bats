#!/usr/bin/env bats
# The download cache ($XDG_CACHE_HOME/nodus/downloads/<sha256>): a verified
# tarball is kept by its digest, so that an install of the same release on
# a fresh NODUS_HOME with the same cache (a CI run that persists the cache
# directory) fetches no tarball; a damaged cache is fetched again.

load ../lib/common
load ../lib/install

VERSION=v22.11.0

setup_file() {
    setup_mirror
}

teardown_file() {
    teardown_mirror
}

setup() {
    fresh_home
    fast_env
    TARBALL=$(tarball_path $VERSION)
    SHA=$(mirror_sha256 $VERSION)
    KEPT=$XDG_CACHE_HOME/nodus/downloads/$SHA
}

teardown() {
    mirror_restore
}

@test "a second install on a fresh NODUS_HOME with the same cache fetches no tarball" {
    run --separate-stderr nodus install $VERSION
    [ "$status" -eq 0 ]
    cmp "$KEPT" "$MIRROR_DIR$TARBALL"
    [ -z "$(ls "$XDG_CACHE_HOME/nodus/downloads" | grep '\.part$')" ]
    # A new machine (CI run): nothing but the cache directory is kept.
    export NODUS_HOME=$BATS_TEST_TMPDIR/other-home
    reset_log
    run --separate-stderr nodus install $VERSION
    echo "$stderr"
    [ "$status" -eq 0 ]
    [[ $stderr == *"using the download kept in"* ]]
    [ "$(requests_matching '\.tar\.(xz|gz) ')" -eq 0 ]
    [ "$("$NODUS_HOME/versions/$VERSION/bin/node" -v)" = $VERSION ]
    [ "$(meta_value $VERSION sha256)" = "$SHA" ]
    # The checksums are still fetched and their signature checked.
    [ "$(requests_matching "^GET /$VERSION/SHASUMS256.txt")" -ge 1 ]
}

@test "a cached tarball that no longer matches its digest is fetched again, not installed" {
    nodus install $VERSION 2>/dev/null
    printf 'garbage!' | dd of="$KEPT" bs=1 seek=100 conv=notrunc 2>/dev/null
    export NODUS_HOME=$BATS_TEST_TMPDIR/other-home
    reset_log
    run --separate-stderr nodus install $VERSION
    echo "$stderr"
    [ "$status" -eq 0 ]
    [[ $stderr != *"using the download kept"* ]]
    [ "$(requests_matching "^GET $TARBALL 200 ")" -eq 1 ]
    [ "$("$NODUS_HOME/versions/$VERSION/bin/node" -v)" = $VERSION ]
    cmp "$KEPT" "$MIRROR_DIR$TARBALL"
}

@test "a cache entry that is not a regular file is ignored, and the install goes to the network" {
    mkdir -p "$(dirname "$KEPT")"
    mkfifo "$KEPT"
    run --separate-stderr timeout 60 nodus install $VERSION
    echo "$stderr"
    [ "$status" -eq 0 ]
    [ "$(requests_matching "^GET $TARBALL 200 ")" -eq 1 ]
    [ "$("$NODUS_HOME/versions/$VERSION/bin/node" -v)" = $VERSION ]
}

@test "nodus cache clear removes the kept downloads" {
    nodus install $VERSION 2>/dev/null
    [ -f "$KEPT" ]
    run --separate-stderr nodus cache clear
    [ "$status" -eq 0 ]
    [ ! -e "$KEPT" ]
}

# kept: the digests in downloads/, sorted, on one line.
kept() {
    (cd "$XDG_CACHE_HOME/nodus/downloads" && ls | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
}

@test "the cache stays within download_cache_max: the least recently used tarball goes first" {
    local a b c size
    a=$(mirror_sha256 v22.11.0) b=$(mirror_sha256 v20.18.0) c=$(mirror_sha256 v18.20.4)
    size=$(stat -c %s "$MIRROR_DIR$(tarball_path v22.11.0)")
    # Room for two of these tarballs, not three.
    export NODUS_DOWNLOAD_CACHE_MAX=$((size * 5 / 2))
    nodus --quiet install 22.11.0
    nodus --quiet install 20.18.0
    [ "$(kept)" = "$(printf '%s\n' "$a" "$b" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')" ]
    # 22.11.0 used again (a fresh home, from the cache): now the newest.
    touch -d '2 minutes ago' "$XDG_CACHE_HOME/nodus/downloads/$a" "$XDG_CACHE_HOME/nodus/downloads/$b"
    touch -d '1 minute ago' "$XDG_CACHE_HOME/nodus/downloads/$b"
    NODUS_HOME=$BATS_TEST_TMPDIR/other-home run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    [[ $stderr == *"using the download kept in"* ]]
    nodus --quiet install 18.20.4
    [ "$(kept)" = "$(printf '%s\n' "$a" "$c" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')" ]
    # Not a tarball of the cache: never touched.
    echo mine >"$XDG_CACHE_HOME/nodus/downloads/notes.txt"
    export NODUS_DOWNLOAD_CACHE_MAX=0
    nodus --quiet uninstall 20.18.0
    nodus --quiet install 20.18.0
    [ "$(kept)" = notes.txt ]
}

@test "download_cache_max in the config file, and 0 keeps no tarball after an install" {
    mkdir -p "$XDG_CONFIG_HOME/nodus"
    printf 'download_cache_max: 0\n' >"$XDG_CONFIG_HOME/nodus/config.yaml"
    run -0 nodus config get download_cache_max
    [ "$output" = 0 ]
    nodus --quiet install 22.11.0
    [ "$("$NODUS_HOME/versions/v22.11.0/bin/node" -v)" = v22.11.0 ]
    [ -z "$(ls -A "$XDG_CACHE_HOME/nodus/downloads")" ]
    run --separate-stderr nodus config set download_cache_max lots
    [ "$status" -eq 2 ]
    [[ $stderr == *"'download_cache_max' must be a whole number"* ]]
}
