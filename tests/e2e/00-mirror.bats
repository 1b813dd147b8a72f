#!/usr/bin/env bats
# The test infrastructure itself: the generated mirror and the HTTP server
# with its faults.  Needs python3 and curl, not the nodus binaries.

load ../lib/common

setup_file() {
    setup_mirror --evil
}

teardown_file() {
    teardown_mirror
}

setup() {
    fresh_home
    PLAT=$(node_platform)
}

# get URLPATH [curl options...]: fetch into $BATS_TEST_TMPDIR/body; print
# "<http code> <bytes>"; curl's exit status is the function's.
get() {
    local path=$1
    shift
    curl -s -o "$BATS_TEST_TMPDIR/body" -w '%{http_code} %{size_download}' \
        "$@" "$MIRROR_URL$path"
}

sha256_of() {
    python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$1"
}

# list_tar FILE: "<type> <name> [-> <link>]" per entry, in archive order.
list_tar() {
    python3 - "$1" <<'EOF'
import sys, tarfile
kinds = {tarfile.REGTYPE: "file", tarfile.DIRTYPE: "dir", tarfile.SYMTYPE: "symlink",
         tarfile.LNKTYPE: "hardlink", tarfile.FIFOTYPE: "fifo", tarfile.CHRTYPE: "chardev",
         tarfile.BLKTYPE: "blockdev"}
with tarfile.open(sys.argv[1]) as tf:
    for m in tf.getmembers():
        line = "%s %s" % (kinds.get(m.type, "other"), m.name)
        if m.issym() or m.islnk():
            line += " -> " + m.linkname
        if m.ischr():
            line += " %d,%d" % (m.devmajor, m.devminor)
        print(line)
EOF
}

@test "index.json and index.tab are served; index.json is valid JSON in the live layout" {
    run get /index.json
    [ "$status" -eq 0 ]
    [ "${output%% *}" = 200 ]
    python3 -m json.tool "$BATS_TEST_TMPDIR/body" >/dev/null
    # One compact object per line between "[" and "]".
    [ "$(head -n 1 "$BATS_TEST_TMPDIR/body")" = "[" ]
    [ "$(tail -n 1 "$BATS_TEST_TMPDIR/body")" = "]" ]
    grep -q '^{"version":"v22.11.0","date":"2024-10-29","files":\[' "$BATS_TEST_TMPDIR/body"
    python3 - "$BATS_TEST_TMPDIR/body" <<'EOF'
import json, sys
rows = {r["version"]: r for r in json.load(open(sys.argv[1]))}
assert rows["v22.11.0"]["lts"] == "Jod" and rows["v22.11.0"]["security"] is False
assert rows["v22.11.0"]["npm"] == "10.9.0" and rows["v22.11.0"]["modules"] == "127"
assert rows["v23.1.0"]["lts"] is False
assert rows["v18.20.4"]["security"] is True
assert "linux-x64" in rows["v20.18.0"]["files"]
assert "npm" not in rows["v0.1.14"] and rows["v0.1.14"]["files"] == ["src"]
for v in range(88, 99):
    assert rows["v%d.0.0" % v]["lts"] is False, v
assert len(rows) == 759 + 11, len(rows)
EOF
    run get /index.tab
    [ "$output" = "200 $(wc -c <"$MIRROR_DIR/index.tab" | tr -d ' ')" ]
    [ "$(head -n 1 "$BATS_TEST_TMPDIR/body" | cut -f1,2)" = "$(printf 'version\tdate')" ]
}

@test "without --evil the index is the real one and index.tab is the fixture" {
    local out=$BATS_TEST_TMPDIR/plain
    python3 "$NODUS_TESTS_LIB/mkmirror.py" "$out" --versions v20.17.0 --platforms linux-x64
    cmp "$out/index.tab" "$NODUS_TESTS_DIR/fixtures/nodejs-dist-index.tab"
    ! grep -q v98.0.0 "$out/index.json" || false
    [ "$(head -c 30 "$out/index.json")" = '[
{"version":"v23.1.0","date":' ]
}

@test "tarballs match their SHASUMS256.txt lines, which cover every file, sorted" {
    local v name
    for v in v23.1.0 v22.11.0 v20.18.0 v18.20.4; do
        run get "/$v/SHASUMS256.txt"
        [ "${output%% *}" = 200 ]
        cp "$BATS_TEST_TMPDIR/body" "$BATS_TEST_TMPDIR/SHASUMS256.txt"
        # The real format: 64 hex digits, two spaces, the name; sorted.
        ! grep -vE '^[0-9a-f]{64}  [^ ]+$' "$BATS_TEST_TMPDIR/SHASUMS256.txt" || false
        LC_ALL=C sort -k2 -c "$BATS_TEST_TMPDIR/SHASUMS256.txt"
        [ "$(wc -l <"$BATS_TEST_TMPDIR/SHASUMS256.txt")" -eq 10 ]
        for name in "node-$v-$PLAT.tar.xz" "node-$v-$PLAT.tar.gz" "node-$v-headers.tar.xz"; do
            run get "/$v/$name"
            [ "${output%% *}" = 200 ]
            grep -qx "$(sha256_of "$BATS_TEST_TMPDIR/body")  $name" "$BATS_TEST_TMPDIR/SHASUMS256.txt"
        done
        (cd "$MIRROR_DIR/$v" && printf '%s\n' node-*) | LC_ALL=C sort >"$BATS_TEST_TMPDIR/files"
        awk '{print $2}' "$BATS_TEST_TMPDIR/SHASUMS256.txt" | diff - "$BATS_TEST_TMPDIR/files"
    done
}

@test "a release tarball has the official layout, in tar's order" {
    local v=v22.11.0 top
    top=node-$v-$PLAT
    list_tar "$MIRROR_DIR/$v/$top.tar.xz" >"$BATS_TEST_TMPDIR/list"
    [ "$(head -n 1 "$BATS_TEST_TMPDIR/list")" = "dir $top" ]
    grep -qx "file $top/bin/node" "$BATS_TEST_TMPDIR/list"
    grep -qx "symlink $top/bin/npm -> ../lib/node_modules/npm/bin/npm-cli.js" "$BATS_TEST_TMPDIR/list"
    grep -qx "symlink $top/bin/npx -> ../lib/node_modules/npm/bin/npx-cli.js" "$BATS_TEST_TMPDIR/list"
    grep -qx "symlink $top/bin/corepack -> ../lib/node_modules/corepack/dist/corepack.js" "$BATS_TEST_TMPDIR/list"
    grep -qx "file $top/include/node/node.h" "$BATS_TEST_TMPDIR/list"
    grep -qx "file $top/share/doc/node/README" "$BATS_TEST_TMPDIR/list"
    grep -qx "file $top/LICENSE" "$BATS_TEST_TMPDIR/list"
    # Every directory comes before anything inside it.
    python3 - "$MIRROR_DIR/$v/$top.tar.gz" <<'EOF'
import sys, tarfile
seen = set()
with tarfile.open(sys.argv[1]) as tf:
    for m in tf.getmembers():
        parent = m.name.rstrip("/").rpartition("/")[0]
        assert parent == "" or parent in seen, m.name
        if m.isdir():
            seen.add(m.name.rstrip("/"))
        assert m.uid == 0 and m.gid == 0, m.name
        assert m.mode in (0o644, 0o755, 0o777), (m.name, oct(m.mode))
EOF
    # Same tree in the .tar.gz.
    diff "$BATS_TEST_TMPDIR/list" <(list_tar "$MIRROR_DIR/$v/$top.tar.gz")
}

@test "the fake node, npm, npx and corepack work, also through symlinks" {
    local a b
    cd "$BATS_TEST_TMPDIR"
    tar -xJf "$MIRROR_DIR/v22.11.0/node-v22.11.0-$PLAT.tar.xz"
    tar -xzf "$MIRROR_DIR/v20.18.0/node-v20.18.0-$PLAT.tar.gz"
    a=$BATS_TEST_TMPDIR/node-v22.11.0-$PLAT
    b=$BATS_TEST_TMPDIR/node-v20.18.0-$PLAT
    [ "$("$a/bin/node" --version)" = v22.11.0 ]
    [ "$("$a/bin/node" -v)" = v22.11.0 ]
    [ "$("$a/bin/node" -p process.version)" = v22.11.0 ]
    [ "$("$a/bin/node" -e 'console.log(process.version)')" = v22.11.0 ]
    [ "$("$a/bin/node" -p process.versions.node)" = 22.11.0 ]
    [ "$("$a/bin/node" -p process.execPath)" = "$(cd "$a/bin" && pwd -P)/node" ]
    [ "$(FOO=bar "$a/bin/node" -p process.env.FOO)" = bar ]
    [ "$("$a/bin/node" script.js x y)" = "node v22.11.0 script.js x y" ]
    run "$a/bin/node" -e 'process.exit(7)'
    [ "$status" -eq 7 ]
    [ "$("$a/bin/npm" --version)" = 10.9.0 ]
    [ "$("$b/bin/npm" --version)" = 10.8.2 ]
    [ "$("$a/bin/npx" --version)" = 10.9.0 ]
    [ "$("$a/bin/corepack" --version)" = 0.29.4 ]
    [ "$("$a/bin/node" "$a/lib/node_modules/npm/bin/npm-cli.js" -v)" = 10.9.0 ]
    [ "$("$a/bin/node" "$a/bin/npm" -v)" = 10.9.0 ]

    # A global package, installed through a symlink to npm (as a shim would
    # be) with the other version's bin first on PATH.
    mkdir -p pkg/bin
    printf '{"name":"@acme/hello","version":"1.0.0","bin":{"hello":"./bin/hello.js"}}\n' >pkg/package.json
    printf '#!/usr/bin/env node\nconsole.log("hello")\n' >pkg/bin/hello.js
    ln -s "$a/bin/npm" npm-shim
    PATH=$b/bin:$PATH ./npm-shim install -g ./pkg
    [ "$(readlink "$a/bin/hello")" = ../lib/node_modules/@acme/hello/bin/hello.js ]
    [ -x "$a/lib/node_modules/@acme/hello/bin/hello.js" ]
    [ ! -e "$b/bin/hello" ]
    [ "$(PATH=$a/bin:$PATH "$a/bin/hello" hi)" = "node v22.11.0 $a/bin/hello hi" ]
    "$a/bin/npm" ls -g | grep -qx '+-- @acme/hello@1.0.0'
    [ "$("$a/bin/npm" prefix -g)" = "$a" ]
    [ "$("$a/bin/npm" root -g)" = "$a/lib/node_modules" ]
    "$a/bin/npm" uninstall -g @acme/hello
    [ ! -e "$a/bin/hello" ]
    [ ! -L "$a/bin/hello" ]
    [ ! -e "$a/lib/node_modules/@acme" ]
    [ -L "$a/bin/npm" ]
    [ -L "$a/bin/corepack" ]

    # npm run: ./node_modules/.bin first on PATH, nothing else added.
    printf '{"scripts":{"v":"node --version"}}\n' >package.json
    [ "$(PATH=$b/bin:$PATH "$a/bin/npm" run v)" = v20.18.0 ]
}

@test "mkmirror.py is deterministic; unknown versions get a row; no corepack from v25" {
    local one=$BATS_TEST_TMPDIR/one two=$BATS_TEST_TMPDIR/two
    python3 "$NODUS_TESTS_LIB/mkmirror.py" "$one" --versions v20.17.0,25.0.0 --platforms linux-x64
    python3 "$NODUS_TESTS_LIB/mkmirror.py" "$two" --versions v20.17.0,25.0.0 --platforms linux-x64
    diff -r "$one" "$two"
    # A tarball does not depend on what else was built.
    [ "$(grep -- '-linux-x64.tar.xz$' "$one/v20.17.0/SHASUMS256.txt")" = \
      "$(grep -- '-linux-x64.tar.xz$' "$MIRROR_DIR/v20.17.0/SHASUMS256.txt")" ]
    grep -q '^{"version":"v25.0.0",.*"lts":false' "$one/index.json"
    ! list_tar "$one/v25.0.0/node-v25.0.0-linux-x64.tar.xz" | grep -q corepack || false
    list_tar "$one/v25.0.0/node-v25.0.0-linux-x64.tar.xz" | grep -q 'bin/npx ->'
    run python3 "$NODUS_TESTS_LIB/mkmirror.py" "$BATS_TEST_TMPDIR/x" --versions v91.0.0
    [ "$status" -ne 0 ]
}

@test "evil releases contain what they should" {
    local v top ext
    for ext in tar.xz tar.gz; do
        v=v91.0.0 top=node-v91.0.0-$PLAT
        list_tar "$MIRROR_DIR/$v/$top.$ext" >"$BATS_TEST_TMPDIR/l"
        [ "$(tail -n 1 "$BATS_TEST_TMPDIR/l")" = "file $top/../../evil" ]
        grep -qx "file $top/bin/node" "$BATS_TEST_TMPDIR/l"

        v=v92.0.0 top=node-v92.0.0-$PLAT
        [ "$(list_tar "$MIRROR_DIR/$v/$top.$ext" | tail -n 1)" = "file /tmp/nodus-evil-abs" ]

        v=v93.0.0 top=node-v93.0.0-$PLAT
        [ "$(list_tar "$MIRROR_DIR/$v/$top.$ext" | tail -n 1)" = "symlink $top/bin/evil -> /etc/passwd" ]

        v=v94.0.0 top=node-v94.0.0-$PLAT
        [ "$(list_tar "$MIRROR_DIR/$v/$top.$ext" | tail -n 1)" = "hardlink $top/bin/evil -> /etc/passwd" ]

        v=v90.0.0 top=node-v90.0.0-$PLAT
        list_tar "$MIRROR_DIR/$v/$top.$ext" | tail -n 2 >"$BATS_TEST_TMPDIR/l"
        printf '%s\n' "fifo $top/bin/evil-fifo" "chardev $top/bin/evil-dev 1,3" |
            diff - "$BATS_TEST_TMPDIR/l"

        v=v89.0.0 top=node-v89.0.0-$PLAT
        list_tar "$MIRROR_DIR/$v/$top.$ext" | tail -n 2 >"$BATS_TEST_TMPDIR/l"
        printf '%s\n' "symlink $top/escape -> /tmp" "file $top/escape/nodus-evil-v89" |
            diff - "$BATS_TEST_TMPDIR/l"
    done

    # Apart from v95-v98 the checksums are right.
    for v in v88.0.0 v89.0.0 v90.0.0 v91.0.0 v92.0.0 v93.0.0 v94.0.0; do
        (cd "$MIRROR_DIR/$v" && grep -- "-$PLAT.tar" SHASUMS256.txt | sha256sum -c --quiet -) ||
            [ "$v" = v88.0.0 ]
    done
}

@test "evil checksum cases: substituted, corrupt, missing line, malformed line, 404" {
    local name
    # v88: valid archives, but not the ones SHASUMS256.txt describes.
    name=node-v88.0.0-$PLAT.tar.xz
    ! grep -qx "$(sha256_of "$MIRROR_DIR/v88.0.0/$name")  $name" "$MIRROR_DIR/v88.0.0/SHASUMS256.txt" || false
    list_tar "$MIRROR_DIR/v88.0.0/$name" | grep -qx "file node-v88.0.0-$PLAT/bin/node"
    tar -xJOf "$MIRROR_DIR/v88.0.0/$name" "node-v88.0.0-$PLAT/bin/node" | grep -q '^NODE_VERSION=v88.0.0-evil$'

    # v95: bytes flipped after the checksum was taken.
    name=node-v95.0.0-$PLAT.tar.gz
    grep -q "  $name\$" "$MIRROR_DIR/v95.0.0/SHASUMS256.txt"
    ! grep -qx "$(sha256_of "$MIRROR_DIR/v95.0.0/$name")  $name" "$MIRROR_DIR/v95.0.0/SHASUMS256.txt" || false

    # v96: only near misses, carrying the right digest.
    name=node-v96.0.0-$PLAT.tar.xz
    ! grep -q "  $name\$" "$MIRROR_DIR/v96.0.0/SHASUMS256.txt" || false
    grep -qx "$(sha256_of "$MIRROR_DIR/v96.0.0/$name")  $name.bak" "$MIRROR_DIR/v96.0.0/SHASUMS256.txt"
    grep -qx "$(sha256_of "$MIRROR_DIR/v96.0.0/$name")  archive/$name" "$MIRROR_DIR/v96.0.0/SHASUMS256.txt"

    # v97: the lines for the tarballs are malformed.
    grep -qE "^[0-9a-f]{63}  node-v97.0.0-$PLAT.tar.xz\$" "$MIRROR_DIR/v97.0.0/SHASUMS256.txt"
    grep -qE "^[0-9a-f]{30}x[0-9a-f]{33}  node-v97.0.0-$PLAT.tar.gz\$" "$MIRROR_DIR/v97.0.0/SHASUMS256.txt"

    # v98: in the index and in SHASUMS256.txt, not on the server.
    grep -q "  node-v98.0.0-$PLAT.tar.xz\$" "$MIRROR_DIR/v98.0.0/SHASUMS256.txt"
    run get "/v98.0.0/node-v98.0.0-$PLAT.tar.xz"
    [ "${output%% *}" = 404 ]
    run get /v98.0.0/SHASUMS256.txt
    [ "${output%% *}" = 200 ]
}

@test "ETag and Last-Modified revalidate with 304; a changed file gets a new ETag" {
    local etag lm
    curl -s -D "$BATS_TEST_TMPDIR/h" -o /dev/null "$MIRROR_URL/index.json"
    etag=$(grep -i '^etag:' "$BATS_TEST_TMPDIR/h" | cut -d' ' -f2- | tr -d '\r')
    lm=$(grep -i '^last-modified:' "$BATS_TEST_TMPDIR/h" | cut -d' ' -f2- | tr -d '\r')
    [[ $etag =~ ^\"[0-9a-f]{40}\"$ ]]
    [ -n "$lm" ]
    grep -qi '^content-length: [0-9]' "$BATS_TEST_TMPDIR/h"

    run get /index.json -H "If-None-Match: $etag"
    [ "$output" = "304 0" ]
    run get /index.json -H 'If-None-Match: "nope", '"$etag"
    [ "$output" = "304 0" ]
    run get /index.json -H 'If-None-Match: "nope"'
    [ "${output%% *}" = 200 ]
    run get /index.json -H "If-Modified-Since: $lm"
    [ "$output" = "304 0" ]
    run get /index.json -H 'If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT'
    [ "${output%% *}" = 200 ]
    # curl's own conditional GET.
    run get /index.json -z "$lm"
    [ "$output" = "304 0" ]
    [ "$(requests_matching "^GET /index.json 304 range=- inm=$etag ims=-\$")" -eq 1 ]
    [ "$(requests_matching "^GET /index.json 304 range=- inm=- ims=$lm\$")" -eq 2 ]

    # Rewriting the file changes both validators.
    cp -p "$MIRROR_DIR/index.json" "$BATS_TEST_TMPDIR/index.json.saved"
    printf '[]\n' >"$MIRROR_DIR/index.json"
    run get /index.json -H "If-None-Match: $etag"
    [ "$output" = "200 3" ]
    run get /index.json -H "If-Modified-Since: $lm"
    [ "$output" = "200 3" ]
    mv -f "$BATS_TEST_TMPDIR/index.json.saved" "$MIRROR_DIR/index.json"
    run get /index.json -H "If-None-Match: $etag"
    [ "$output" = "304 0" ]
}

@test "Range gives 206 with Content-Range, 416 past the end; If-Range is honoured" {
    local f=v22.11.0/node-v22.11.0-$PLAT.tar.xz size etag
    size=$(wc -c <"$MIRROR_DIR/$f" | tr -d ' ')
    run get "/$f" -r 1000- -D "$BATS_TEST_TMPDIR/h"
    [ "$output" = "206 $((size - 1000))" ]
    grep -qi "^content-range: bytes 1000-$((size - 1))/$size" "$BATS_TEST_TMPDIR/h"
    tail -c +1001 "$MIRROR_DIR/$f" | cmp - "$BATS_TEST_TMPDIR/body"
    [ "$(requests_matching "^GET /$f 206 range=bytes=1000- ")" -eq 1 ]

    run get "/$f" -r 10-19
    [ "$output" = "206 10" ]
    run get "/$f" -r -100
    [ "$output" = "206 100" ]
    run get "/$f" -r "$size-"
    [ "${output%% *}" = 416 ]
    run get "/$f" -r "$((size + 5))-"
    [ "${output%% *}" = 416 ]

    etag=$(curl -sI "$MIRROR_URL/$f" | grep -i '^etag:' | cut -d' ' -f2 | tr -d '\r')
    run get "/$f" -r 1000- -H "If-Range: $etag"
    [ "${output%% *}" = 206 ]
    run get "/$f" -r 1000- -H 'If-Range: "stale"'
    [ "$output" = "200 $size" ]
    # curl's own resume.
    head -c 5000 "$MIRROR_DIR/$f" >"$BATS_TEST_TMPDIR/part"
    curl -s -C - -o "$BATS_TEST_TMPDIR/part" "$MIRROR_URL/$f"
    cmp "$BATS_TEST_TMPDIR/part" "$MIRROR_DIR/$f"
}

@test "missing files and paths outside the root are 404; HEAD works" {
    run get /v21.0.0/SHASUMS256.txt
    [ "${output%% *}" = 404 ]
    run get /../../../etc/passwd --path-as-is
    [ "${output%% *}" = 404 ]
    run get /%2e%2e/%2e%2e/etc/passwd --path-as-is
    [ "${output%% *}" = 404 ]
    run get /v22.11.0
    [ "${output%% *}" = 404 ]
    curl -sI "$MIRROR_URL/index.tab" >"$BATS_TEST_TMPDIR/h"
    grep -qi "^content-length: $(wc -c <"$MIRROR_DIR/index.tab" | tr -d ' ')" "$BATS_TEST_TMPDIR/h"
    [ "$(requests_matching '^HEAD /index.tab 200 ')" -eq 1 ]
}

@test "fault status:N answers N; faults match by glob and only that path" {
    set_faults '[{"match": "/index.json", "fault": "status:404"},
                 {"match": "/v22.11.0/*.tar.xz", "fault": "status:500"},
                 {"match": "*/SHASUMS256.txt", "fault": "status:503"}]'
    run get /index.json
    [ "${output%% *}" = 404 ]
    run get "/v22.11.0/node-v22.11.0-$PLAT.tar.xz"
    [ "${output%% *}" = 500 ]
    run get "/v22.11.0/node-v22.11.0-$PLAT.tar.gz"
    [ "${output%% *}" = 200 ]
    run get /v20.18.0/SHASUMS256.txt
    [ "${output%% *}" = 503 ]
    run get /index.tab
    [ "${output%% *}" = 200 ]
    # curl -f turns them into exit 22.
    run curl -sf -o /dev/null "$MIRROR_URL/index.json"
    [ "$status" -eq 22 ]
    [ "$(requests_matching '^GET /index.json 404 ')" -eq 2 ]
    clear_faults
    run get /index.json
    [ "${output%% *}" = 200 ]
}

@test "fault count applies to the first N matching requests only" {
    set_faults '[{"match": "/index.json", "fault": "status:500", "count": 2},
                 {"match": "/index.json", "fault": "status:404", "count": 1}]'
    run get /index.json
    [ "${output%% *}" = 500 ]
    run get /index.tab # does not match: does not use up the count
    [ "${output%% *}" = 200 ]
    run get /index.json
    [ "${output%% *}" = 500 ]
    run get /index.json
    [ "${output%% *}" = 404 ]
    run get /index.json
    [ "${output%% *}" = 200 ]
    run get /index.json
    [ "${output%% *}" = 200 ]
    # Setting faults again starts the counts again.
    set_faults '[{"match": "/index.json", "fault": "status:500", "count": 1}]'
    run get /index.json
    [ "${output%% *}" = 500 ]
    run get /index.json
    [ "${output%% *}" = 200 ]
    # A single object is a list of one.
    set_faults '{"match": "/index.tab", "fault": "status:418"}'
    run get /index.tab
    [ "${output%% *}" = 418 ]
}

@test "fault truncate: curl error 18 after half the body" {
    local f=v22.11.0/node-v22.11.0-$PLAT.tar.xz size
    size=$(wc -c <"$MIRROR_DIR/$f" | tr -d ' ')
    set_faults '[{"match": "*.tar.xz", "fault": "truncate"}]'
    run get "/$f"
    [ "$status" -eq 18 ]
    [ "$output" = "200 $((size / 2))" ]
    head -c $((size / 2)) "$MIRROR_DIR/$f" | cmp - "$BATS_TEST_TMPDIR/body"
    # The fault applies to a resumed (206) body too.
    run get "/$f" -r 1000-
    [ "$status" -eq 18 ]
    [ "$output" = "206 $(((size - 1000) / 2))" ]
}

@test "faults wrong-length (curl 18), close (curl 52), reset (curl 56)" {
    local f=v22.11.0/node-v22.11.0-$PLAT.tar.gz
    set_faults '[{"match": "*.tar.gz", "fault": "wrong-length"}]'
    run get "/$f"
    [ "$status" -eq 18 ]
    cmp "$BATS_TEST_TMPDIR/body" "$MIRROR_DIR/$f"
    set_faults '[{"match": "*.tar.gz", "fault": "close"}]'
    run get "/$f"
    [ "$status" -eq 52 ]
    [ "$(requests_matching "^GET /$f 000 ")" -eq 1 ]
    set_faults '[{"match": "*.tar.gz", "fault": "reset"}]'
    run get "/$f"
    [ "$status" -eq 56 ]
}

@test "fault wrong-bytes: same length, different digest" {
    local f=v20.18.0/node-v20.18.0-$PLAT.tar.xz size
    size=$(wc -c <"$MIRROR_DIR/$f" | tr -d ' ')
    set_faults '[{"match": "/v20.18.0/*", "fault": "wrong-bytes"}]'
    run get "/$f"
    [ "$status" -eq 0 ]
    [ "$output" = "200 $size" ]
    [ "$(sha256_of "$BATS_TEST_TMPDIR/body")" != "$(sha256_of "$MIRROR_DIR/$f")" ]
    [ "$(cmp -l "$BATS_TEST_TMPDIR/body" "$MIRROR_DIR/$f" | wc -l)" -eq 16 ]
}

@test "fault slow:BPS drips the body" {
    local f=v22.11.0/SHASUMS256.txt size t
    size=$(wc -c <"$MIRROR_DIR/$f" | tr -d ' ')
    set_faults "[{\"match\": \"/$f\", \"fault\": \"slow:$size\"}]"
    t=$(curl -s -o "$BATS_TEST_TMPDIR/body" -w '%{time_total}' "$MIRROR_URL/$f")
    cmp "$BATS_TEST_TMPDIR/body" "$MIRROR_DIR/$f"
    # About one second; well above an unthrottled local fetch.
    python3 -c 'import sys; t = float(sys.argv[1]); assert 0.8 <= t <= 5, t' "$t"
    # curl's low-speed limit gives up on it (exit 28).
    set_faults "[{\"match\": \"/$f\", \"fault\": \"slow:50\"}]"
    run curl -s -o /dev/null -y 1 -Y 1000 "$MIRROR_URL/$f"
    [ "$status" -eq 28 ]
}

@test "fault stall sends 1 KiB then nothing; delay:S answers late" {
    local f=v22.11.0/node-v22.11.0-$PLAT.tar.xz
    set_faults '[{"match": "*.tar.xz", "fault": "stall"}, {"match": "/index.tab", "fault": "delay:1"}]'
    run get "/$f" -m 2
    [ "$status" -eq 28 ]
    [ "${output#* }" = 1024 ]
    run curl -s -o /dev/null -w '%{http_code} %{time_starttransfer}' "$MIRROR_URL/index.tab"
    [ "$status" -eq 0 ]
    python3 -c 'import sys; code, t = sys.argv[1].split(); assert code == "200" and float(t) >= 0.9, sys.argv[1]' "$output"
}

@test "fault redirect:URL and redirect-loop" {
    set_faults '[{"match": "/old/index.json", "fault": "redirect:/index.json"},
                 {"match": "/abs", "fault": "redirect:'"$MIRROR_URL"'/index.tab"},
                 {"match": "/loop/*", "fault": "redirect-loop"}]'
    run get /old/index.json -D "$BATS_TEST_TMPDIR/h"
    [ "${output%% *}" = 302 ]
    grep -qi '^location: /index.json' "$BATS_TEST_TMPDIR/h"
    run get /old/index.json -L
    [ "${output%% *}" = 200 ]
    cmp "$BATS_TEST_TMPDIR/body" "$MIRROR_DIR/index.json"
    run get /abs -L
    cmp "$BATS_TEST_TMPDIR/body" "$MIRROR_DIR/index.tab"
    run get /loop/x -L --max-redirs 5
    [ "$status" -eq 47 ]
    [ "$(requests_matching '^GET /loop/x 302 ')" -eq 6 ]
}

@test "fault html-200 answers 200 with an HTML page" {
    set_faults '[{"match": "*/SHASUMS256.txt", "fault": "html-200"}]'
    run get /v22.11.0/SHASUMS256.txt -D "$BATS_TEST_TMPDIR/h"
    [ "$status" -eq 0 ]
    [ "${output%% *}" = 200 ]
    grep -qi '^content-type: text/html' "$BATS_TEST_TMPDIR/h"
    grep -q '<html>' "$BATS_TEST_TMPDIR/body"
    ! grep -q node-v22 "$BATS_TEST_TMPDIR/body" || false
}

@test "fault huge streams zeros without a length, plain or chunked" {
    set_faults '[{"match": "/index.json", "fault": "huge"},
                 {"match": "/index.tab", "fault": "huge-chunked:3000000"}]'
    curl -s -D "$BATS_TEST_TMPDIR/h" "$MIRROR_URL/index.json" | head -c 20000000 >"$BATS_TEST_TMPDIR/body" || true
    [ "$(wc -c <"$BATS_TEST_TMPDIR/body")" -eq 20000000 ]
    [ "$(tr -d '\0' <"$BATS_TEST_TMPDIR/body" | wc -c)" -eq 0 ]
    ! grep -qi '^content-length' "$BATS_TEST_TMPDIR/h" || false
    run get /index.tab -D "$BATS_TEST_TMPDIR/h"
    [ "$status" -eq 0 ]
    [ "$output" = "200 3000000" ]
    grep -qi '^transfer-encoding: chunked' "$BATS_TEST_TMPDIR/h"
    # It does not end by itself.
    run curl -s -o /dev/null -m 1 "$MIRROR_URL/index.json"
    [ "$status" -eq 28 ]
}

@test "HEAD ignores body faults; the server keeps working after all that" {
    set_faults '[{"match": "*", "fault": "truncate"}]'
    run curl -sI "$MIRROR_URL/index.json"
    [ "$status" -eq 0 ]
    clear_faults
    # Two requests on one kept-alive connection.
    run curl -s -o /dev/null -o /dev/null -w '%{http_code} %{num_connects}\n' \
        "$MIRROR_URL/index.json" "$MIRROR_URL/index.tab"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "200 1" ]
    [ "${lines[1]}" = "200 0" ]
}

@test "the server listens on 127.0.0.1 only" {
    run get /index.json
    [ "${output%% *}" = 200 ]
    if [ "$(uname -s)" = Linux ]; then
        # Another loopback address reaches a 0.0.0.0 listener, not ours.
        run curl -s -o /dev/null "http://127.0.0.2:$MIRROR_PORT/index.json"
        [ "$status" -eq 7 ]
        python3 - "$MIRROR_PORT" <<'EOF'
import sys
port = "%04X" % int(sys.argv[1])
found = []
for table in ("/proc/net/tcp", "/proc/net/tcp6"):
    try:
        lines = open(table).read().splitlines()[1:]
    except OSError:
        continue
    for line in lines:
        local, state = line.split()[1], line.split()[3]
        if state == "0A" and local.endswith(":" + port):
            found.append(local)
assert found == ["0100007F:" + port], found
EOF
    fi
}

@test "the log has one line per request in the documented format" {
    reset_log
    curl -s -o /dev/null "$MIRROR_URL/index.json"
    curl -s -o /dev/null -r 5- -H 'If-None-Match: "x"' "$MIRROR_URL/index.tab"
    [ "$(wc -l <"$MIRROR_LOG")" -eq 2 ]
    [ "$(sed -n 1p "$MIRROR_LOG")" = "GET /index.json 200 range=- inm=- ims=-" ]
    [ "$(sed -n 2p "$MIRROR_LOG")" = 'GET /index.tab 206 range=bytes=5- inm="x" ims=-' ]
    [ "$(requests_matching '^GET ')" -eq 2 ]
    [ "$(requests_matching '^POST ')" -eq 0 ]
}

@test "set_faults rejects invalid JSON" {
    run set_faults '[{"match": "*", "fault": }]'
    [ "$status" -ne 0 ]
    [ ! -e "$MIRROR_DIR/_faults.json" ]
}

@test "fresh_home gives a clean environment" {
    [ "$HOME" = "$BATS_TEST_TMPDIR/home" ]
    [ "$NODUS_HOME" = "$HOME/.local/share/nodus" ]
    [ "$XDG_CACHE_HOME" = "$HOME/.cache" ]
    [ -d "$XDG_CACHE_HOME" ]
    [ "$XDG_CONFIG_HOME" = "$HOME/.config" ]
    [ -z "${XDG_DATA_HOME:-}" ]
    [ "$NODUS_MIRROR" = "$MIRROR_URL" ]
    [ "${PATH%%:*}" = "$NODUS_BUILD" ]
    [ "$PWD" = "$NODUS_TEST_WORK" ]
    [ ! -e "$MIRROR_DIR/_faults.json" ]
    [ ! -s "$MIRROR_LOG" ]
}

@test "assert_no_partial, assert_no_staging and the versions snapshot catch changes" {
    local vdir=$NODUS_HOME/versions
    assert_no_partial # no versions/ at all is fine
    mkdir -p "$vdir/v22.11.0/bin" "$NODUS_HOME/tmp"
    printf '#!/bin/sh\n' >"$vdir/v22.11.0/bin/node"
    chmod 755 "$vdir/v22.11.0/bin/node"
    assert_no_partial
    assert_no_staging
    snapshot_versions
    assert_versions_same

    touch "$NODUS_HOME/tmp/install.lock"
    assert_no_staging
    mkdir "$NODUS_HOME/tmp/staging-1"
    run assert_no_staging
    [ "$status" -ne 0 ]

    for junk in .tmp-v20.18.0 v20.18.0.partial v20.18; do
        mkdir "$vdir/$junk"
        run assert_no_partial
        [ "$status" -ne 0 ]
        rmdir "$vdir/$junk"
    done
    mkdir "$vdir/v20.18.0" # no bin/node
    run assert_no_partial
    [ "$status" -ne 0 ]
    run assert_versions_same
    [ "$status" -ne 0 ]
    rmdir "$vdir/v20.18.0"
    assert_versions_same

    printf 'x' >>"$vdir/v22.11.0/bin/node"
    run assert_versions_same
    [ "$status" -ne 0 ]
}

@test "SIGTERM stops the server cleanly" {
    local dir=$BATS_TEST_TMPDIR/srv pid i rc
    mkdir -p "$dir/root"
    echo hi >"$dir/root/a.txt"
    python3 "$NODUS_TESTS_LIB/mirror.py" --root "$dir/root" --port-file "$dir/port" \
        --log "$dir/log" </dev/null >"$dir/out" 2>&1 3>&- &
    pid=$!
    for ((i = 0; i < 100; i++)); do [ -s "$dir/port" ] && break; sleep 0.1; done
    [ "$(curl -s "http://127.0.0.1:$(cat "$dir/port")/a.txt")" = hi ]
    kill -TERM "$pid"
    rc=0
    wait "$pid" || rc=$?
    [ "$rc" -eq 0 ]
    [ ! -s "$dir/out" ]
}

@test "the server wrote nothing to stderr (no tracebacks from dropped connections)" {
    [ ! -s "$MIRROR_STDERR" ] || {
        cat "$MIRROR_STDERR" >&2
        false
    }
}
