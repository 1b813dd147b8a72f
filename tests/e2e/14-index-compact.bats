#!/usr/bin/env bats
# A huge release index: parsed once after it is fetched, then read from a
# compact cache (cache/nodus/index.bin) by every later command, with peak
# memory a small multiple of the index's size. The compact cache is used
# only while index.json is the file it was made from, and a damaged one is
# rebuilt, never trusted.

bats_require_minimum_version 1.5.0

load ../lib/common
load ../lib/install

setup_file() {
    setup_mirror --platforms "$(node_platform)" --versions v22.11.0,v20.18.0
}

teardown_file() {
    teardown_mirror
}

setup() {
    fresh_home
    fast_env
    CACHE=$XDG_CACHE_HOME/nodus
}

teardown() {
    mirror_restore
}

@test "ls-remote writes the compact cache; a later command reads it, not index.json" {
    nodus ls-remote 22 > first
    [ -s "$CACHE/index.bin" ]
    # index.json turned to garbage in place, with its size, inode and mtime
    # kept: only a command that reads the compact cache still works.
    cp -p "$CACHE/index.json" ref
    size=$(wc -c < ref)
    head -c "$size" /dev/zero | tr '\0' ' ' | dd of="$CACHE/index.json" conv=notrunc status=none
    touch -r ref "$CACHE/index.json"
    run --separate-stderr nodus --offline ls-remote 22
    [ "$status" -eq 0 ]
    [ "$output" = "$(cat first)" ]
    nodus --offline --json ls-remote 22 | python3 -c 'import json,sys; assert json.load(sys.stdin)[0]["version"].startswith("v22.")'
}

@test "a compact cache that does not match index.json is not used" {
    nodus ls-remote 22 > /dev/null
    cp "$CACHE/index.bin" old.bin
    # A newer index.json (another release at the top) makes the old compact
    # cache stale: the release must be seen.
    python3 - "$CACHE/index.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
row = dict(rows[0], version="v99.1.0")
json.dump([row] + rows, open(sys.argv[1], "w"))
PY
    run --separate-stderr nodus --offline ls-remote 99
    [ "$status" -eq 0 ]
    [[ $output == v99.1.0* ]]
    ! cmp -s old.bin "$CACHE/index.bin" # rebuilt for the new file
}

@test "a damaged compact cache is rebuilt, never trusted" {
    nodus ls-remote 22 > first
    bin=$CACHE/index.bin
    size=$(wc -c < "$bin")
    # Cut short, and scribbled on in the middle (offsets and strings).
    for damage in cut scribble header; do
        nodus --offline ls-remote 22 > /dev/null
        case $damage in
        cut) truncate -s $((size / 2)) "$bin" ;;
        scribble) head -c 4096 /dev/urandom | dd of="$bin" bs=1 seek=200 conv=notrunc status=none ;;
        header) printf 'NODUSIX1\377\377\377\377' | dd of="$bin" conv=notrunc status=none ;;
        esac
        run --separate-stderr nodus --offline ls-remote 22
        [ "$status" -eq 0 ] || { echo "$damage: $stderr"; false; }
        [ "$output" = "$(cat first)" ] || { echo "$damage: wrong list"; false; }
        [ "$(wc -c < "$bin")" -eq "$size" ] || { echo "$damage: not rebuilt"; false; }
    done
}

@test "cache clear removes the compact cache too" {
    nodus ls-remote 22 > /dev/null
    [ -e "$CACHE/index.bin" ]
    nodus cache clear
    [ ! -e "$CACHE/index.bin" ]
}

# Peak memory (GNU time's maximum RSS) with a 16 MiB index: jansson took 13
# times the index's size for every command.
@test "a 16 MiB index: peak memory a small multiple of its size" {
    [ -x /usr/bin/time ] || skip "GNU time (/usr/bin/time) is not installed"
    # AddressSanitizer's shadow memory and redzones are not nodus's.
    ! ldd "$NODUS_BUILD/nodus-core" 2>/dev/null | grep -q libasan || skip "a sanitizer build"
    mirror_save "$MIRROR_DIR/index.json"
    python3 "$NODUS_SRC_DIR/bench/bigindex.py" "$MIRROR_DIR/index.json" big.json 16
    mv big.json "$MIRROR_DIR/index.json"
    mib=16
    /usr/bin/time -f '%M' -o rss1 nodus ls-remote 22 > /dev/null
    /usr/bin/time -f '%M' -o rss2 nodus ls-remote 22 > /dev/null
    /usr/bin/time -f '%M' -o rss3 nodus --json ls-remote 22 > /dev/null
    echo "peak KiB: fetch $(tail -1 rss1), cached $(tail -1 rss2), --json $(tail -1 rss3)"
    [ "$(tail -1 rss1)" -lt $((mib * 1024 * 6)) ]
    [ "$(tail -1 rss2)" -lt $((mib * 1024 * 4)) ]
    [ "$(tail -1 rss3)" -lt $((mib * 1024 * 4)) ]
}
