#!/usr/bin/env bats
# Bad input from the mirror itself: the hostile releases v88-v98 of
# `mkmirror.py --evil` (see its header), and specs that name no release.
# Every test: an error line "nodus: ...", the specific exit status, and
# versions/ (which holds a good v20.18.0) exactly as it was, with nothing
# partial in it and no staging left in tmp/.  Nothing may land outside
# either.

load ../lib/common
load ../lib/install

setup_file() {
    setup_mirror --evil
    seed_home 20.18.0
}

teardown_file() {
    teardown_mirror
}

setup() {
    fresh_home
    fast_env
    use_seed
    snapshot_versions
    outside_state >"$BATS_TEST_TMPDIR/outside.before"
}

# outside_state: what a hostile tarball could reach outside NODUS_HOME.
outside_state() {
    python3 - /tmp/nodus-evil-abs /tmp/nodus-evil-v89 /etc/passwd <<'EOF'
import os, sys
for f in sys.argv[1:]:
    try:
        st = os.lstat(f)
        print(f, st.st_ino, st.st_nlink, st.st_size, st.st_mtime_ns, st.st_mode)
    except FileNotFoundError:
        print(f, "absent")
EOF
}

# bad_install CODE ERE SPEC: `nodus install SPEC` fails with CODE and an
# error matching ERE, and changes nothing.
bad_install() {
    run --separate-stderr nodus install "$3"
    expect_error "$1" "$2"
    [ -z "$output" ]
    assert_clean_failure
    [ "$("$NODUS_HOME/versions/v20.18.0/bin/node" -v)" = v20.18.0 ]
    # Nothing hostile landed in the test's directories (HOME, NODUS_HOME,
    # the cache, the working directory), nor anywhere else it aimed at.
    [ -z "$(find "$BATS_TEST_TMPDIR" -name '*evil*' -o -type p -o -type c -o -type b)" ]
    outside_state | diff "$BATS_TEST_TMPDIR/outside.before" -
}

# Bad input: 404 for the tarball (v98: listed, checksummed, not there).
@test "v98: the tarball is missing (404)" {
    bad_install 4 'HTTP 404' 98.0.0
    # A 404 is an answer, not a network hiccup: no retries.
    [ "$(requests_matching "^GET $(tarball_path v98.0.0) 404 ")" -eq 1 ]
}

# Bad input: malformed SHASUMS256.txt (v97: 63 hex digits / a non-hex digit).
@test "v97: SHASUMS256.txt is malformed" {
    bad_install 5 'SHASUMS256.txt.* is malformed' 97.0.0
    # Nothing is downloaded that cannot be verified.
    [ "$(requests_matching '\.tar\.')" -eq 0 ]
}

# Bad input: no SHASUMS256.txt line for the file (v96: "<name>.bak", "archive/<name>").
@test "v96: SHASUMS256.txt has no line for the tarball (only near misses)" {
    bad_install 3 "no $(node_platform) build .*SHASUMS256.txt" 96.0.0
    [ "$(requests_matching '\.tar\.')" -eq 0 ]
}

# Bad input: tarball bytes that do not match (v95: 16 bytes flipped).
@test "v95: the tarball's bytes do not match SHASUMS256.txt" {
    local want
    want=$(sed -n "s/^\([0-9a-f]*\)  $(tarball_name v95.0.0)\$/\1/p" "$MIRROR_DIR/v95.0.0/SHASUMS256.txt")
    [ ${#want} -eq 64 ]
    bad_install 5 "checksum mismatch for $(tarball_name v95.0.0): expected $want, got [0-9a-f]{64}" 95.0.0
}

# Bad input: a substituted tarball (v88: well-formed, wrong digest).
@test "v88: a valid tarball, but not the one SHASUMS256.txt lists" {
    bad_install 5 'checksum mismatch' 88.0.0
}

# Bad input: a hardlink pointing outside (v94: bin/evil -> /etc/passwd).
@test "v94: a hard link to a file outside the version directory" {
    bad_install 5 'hard link' 94.0.0
}

# Bad input: a symlink pointing outside (v93: bin/evil -> /etc/passwd).
@test "v93: a symlink pointing outside the version directory" {
    bad_install 5 'symlink .*outside' 93.0.0
}

# Bad input: an absolute path (v92: /tmp/nodus-evil-abs).
@test "v92: an entry with an absolute path" {
    bad_install 5 'absolute path' 92.0.0
}

# Bad input: a ../ entry (v91: <top>/../../evil).
@test "v91: an entry with a ../ component" {
    bad_install 5 "'\.\.'" 91.0.0
}

# Bad input: device and fifo entries (v90).
@test "v90: a FIFO and a character device entry" {
    bad_install 5 'device, fifo' 90.0.0
}

# Bad input: writing through a symlink (v89: escape -> /tmp, then escape/file).
@test "v89: a symlink to /tmp, then a file written through it" {
    bad_install 5 'symlink .*outside' 89.0.0
}

# Bad input: an unknown spec that is not a spec at all.
@test "an unknown spec: banana" {
    bad_install 2 "'banana' is not a version spec" banana
    [ "$(requests_matching .)" -eq 0 ]
}

# Bad input: well-formed specs that no release matches.
@test "an unknown spec: 99.99.99, lts/banana, lts/-99" {
    bad_install 3 "no release matches '99\.99\.99'" 99.99.99
    bad_install 3 "no LTS line named 'banana'" lts/banana
    bad_install 3 'no release matches' lts/-99
    [ "$(requests_matching '\.tar\.|SHASUMS')" -eq 0 ]
}

# Bad input: an option install does not have.
@test "an unknown option" {
    bad_install 2 "does not take the option '--frobnicate'" --frobnicate
}
