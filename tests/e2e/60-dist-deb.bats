#!/usr/bin/env bats
# The release tarball (make dist) and the Debian package (debian/).
#
# make dist must give the same bytes twice, a .sha256 that checks, and a
# tree that builds. The .deb is built once per file (setup_file) from a copy
# of the working tree (tracked and untracked files that git does not
# ignore), checked with lintian, unpacked with dpkg -x into a scratch root,
# and run from there against the test mirror. Both are skipped under the
# sanitizer and portable builds (NODUS_BUILD=.../build-san, build-portable):
# they do not use the binaries under test, and the plain run of make check
# has checked them already. The make they start gets a clean environment:
# `make check PORTABLE=1` exports PORTABLE=1 through MAKEFLAGS, and the
# tree it builds would then land in build-portable, not build.

load ../lib/common
load ../lib/install

VERSION=v22.11.0

# Any build but the plain one (.ci/run runs them after it): */build-san, */build-portable, */build-portable-san.
not_plain_run() {
    case ${NODUS_BUILD%/} in */build) return 1 ;; esac
    return 0
}

clean_make() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u PORTABLE -u SANITIZE make "$@"
}

setup_file() {
    setup_mirror
    DEB_SKIP=
    if not_plain_run; then
        DEB_SKIP="only the plain run rebuilds the package"
    elif ! command -v dpkg-buildpackage >/dev/null || ! command -v dh >/dev/null; then
        DEB_SKIP="dpkg-buildpackage or debhelper is not installed (.ci/run installs them)"
    elif ! command -v git >/dev/null || ! git -C "$NODUS_SRC_DIR" rev-parse --git-dir >/dev/null 2>&1; then
        DEB_SKIP="the source is not a git checkout"
    fi
    export DEB_SKIP
    [ -z "$DEB_SKIP" ] || return 0
    local top=$BATS_FILE_TMPDIR/deb
    mkdir -p "$top/src"
    (cd "$NODUS_SRC_DIR" && git ls-files -z --cached --others --exclude-standard |
        tar --null -T - -cf -) | tar -x -C "$top/src"
    # nocheck: the unit tests run in make check anyway; parallel=2 is the
    # machine's share. The whole build takes about a minute.
    if ! (cd "$top/src" && unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES PORTABLE SANITIZE &&
        DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc -b >"$top/build.log" 2>&1); then
        tail -40 "$top/build.log" >&2
        echo "setup_file: dpkg-buildpackage failed" >&2
        return 1
    fi
    DEB=$(ls "$top"/nodus_*.deb)
    ROOT=$top/root
    dpkg -x "$DEB" "$ROOT"
    export DEB ROOT
}

teardown_file() {
    teardown_mirror
}

setup() {
    fresh_home
    fast_env
}

@test "make dist: the same bytes twice, a .sha256 that checks, a tree that builds" {
    not_plain_run && skip "built from git, not from the binaries under test (checked in the plain run)"
    git -C "$NODUS_SRC_DIR" rev-parse --git-dir >/dev/null 2>&1 || skip "the source is not a git checkout"
    local v a=$BATS_TEST_TMPDIR/a b=$BATS_TEST_TMPDIR/b
    v=$(sed -n 's/^#define NODUS_VERSION_STR "\(.*\)"$/\1/p' "$NODUS_SRC_DIR/src/ctx.h")
    [ -n "$v" ]
    clean_make -s -C "$NODUS_SRC_DIR" dist DISTDIR="$a"
    sleep 1 # a second later: nothing may depend on the time of the run
    clean_make -s -C "$NODUS_SRC_DIR" dist DISTDIR="$b"
    cmp "$a/nodus-$v.tar.gz" "$b/nodus-$v.tar.gz"
    cmp "$a/nodus-$v.tar.gz.sha256" "$b/nodus-$v.tar.gz.sha256"
    (cd "$a" && sha256sum -c "nodus-$v.tar.gz.sha256")
    # gzip -n: no name or time in the gzip header (bytes 4-7 are MTIME).
    [ "$(od -An -tx1 -j4 -N4 "$a/nodus-$v.tar.gz" | tr -d ' \n')" = 00000000 ]
    # Everything under one top directory, nothing from the build.
    run tar -tzf "$a/nodus-$v.tar.gz"
    [ "$status" -eq 0 ]
    ! printf '%s\n' "$output" | grep -v "^nodus-$v/"
    ! printf '%s\n' "$output" | grep -E "^nodus-$v/build(-san)?/"
    printf '%s\n' "$output" | grep -qx "nodus-$v/src/shim.c"
    tar -xzf "$a/nodus-$v.tar.gz" -C "$a"
    clean_make -s -j2 -C "$a/nodus-$v" >"$BATS_TEST_TMPDIR/build.log" 2>&1 || {
        tail -30 "$BATS_TEST_TMPDIR/build.log"
        false
    }
    run "$a/nodus-$v/build/nodus" --version
    [ "$status" -eq 0 ]
    [[ $output == *"$v"* ]]
}

@test "the .deb puts each file where Debian wants it, and lintian finds no error" {
    [ -z "$DEB_SKIP" ] || skip "$DEB_SKIP"
    local f
    for f in usr/bin/nodus usr/libexec/nodus/nodus-core usr/libexec/nodus/nodus-shim; do
        [ -x "$ROOT/$f" ] || { echo "missing $f"; false; }
    done
    for f in usr/share/man/man1/nodus.1.gz usr/share/bash-completion/completions/nodus \
        usr/share/zsh/vendor-completions/_nodus usr/share/fish/vendor_completions.d/nodus.fish \
        usr/share/doc/nodus/copyright; do
        [ -f "$ROOT/$f" ] || { echo "missing $f"; false; }
    done
    # Every shipped release key, and nothing in /usr/local.
    [ "$(ls "$ROOT/usr/share/nodus/keys" | wc -l)" -eq "$(ls "$NODUS_SRC_DIR"/share/keys/*.asc | wc -l)" ]
    [ ! -e "$ROOT/usr/local" ]
    if ! command -v lintian >/dev/null; then
        skip "lintian is not installed (.ci/run installs it); the layout is checked"
    fi
    run lintian --fail-on error "$DEB"
    echo "$output"
    [ "$status" -eq 0 ]
    ! printf '%s\n' "$output" | grep -q '^E:'
}

@test "nodus from the .deb (dpkg -x) reports its version and installs from the mirror" {
    [ -z "$DEB_SKIP" ] || skip "$DEB_SKIP"
    local v
    v=$(sed -n 's/^#define NODUS_VERSION_STR "\(.*\)"$/\1/p' "$NODUS_SRC_DIR/src/ctx.h")
    # The build tree's binaries must not be found by mistake.
    export PATH=$ROOT/usr/bin:/usr/bin:/bin
    unset NODUS_CORE NODUS_SHIM
    run "$ROOT/usr/bin/nodus" --version
    [ "$status" -eq 0 ]
    [[ $output == *"$v"* ]]
    run --separate-stderr "$ROOT/usr/bin/nodus" install "$VERSION"
    [ "$status" -eq 0 ]
    [ -x "$NODUS_HOME/versions/$VERSION/bin/node" ]
    # The shims are the package's shim.
    cmp "$NODUS_HOME/shims/node" "$ROOT/usr/libexec/nodus/nodus-shim" ||
        [ "$(readlink -f "$NODUS_HOME/shims/node")" = "$(readlink -f "$ROOT/usr/libexec/nodus/nodus-shim")" ]
    NODUS_VERSION=$VERSION run "$NODUS_HOME/shims/node" --version
    [ "$status" -eq 0 ]
    [ "$output" = "$VERSION" ]
}

@test "nodus-core from the .deb verifies signatures with the keys in /usr/share/nodus/keys" {
    [ -z "$DEB_SKIP" ] || skip "$DEB_SKIP"
    command -v gpg >/dev/null || skip "gpg is not installed (it signs the test mirror)"
    local gh key=$ROOT/usr/share/nodus/keys/zz-nodus-test.asc
    gh=$(mktemp -d "${TMPDIR:-/tmp}/nodus-gpg.XXXXXX")
    export GNUPGHOME=$gh
    gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
        --quick-gen-key 'Nodus Deb Test <deb@nodus.invalid>' ed25519 sign never
    # The scratch root is this file's own: the test key goes where the
    # package keeps the release keys, and nowhere else (no NODUS_KEYS_DIR).
    gpg --batch --armor --export deb@nodus.invalid >"$key"
    gpg --batch --yes --quiet --pinentry-mode loopback --passphrase '' --local-user deb@nodus.invalid \
        --clearsign -o "$MIRROR_DIR/$VERSION/SHASUMS256.txt.asc" "$MIRROR_DIR/$VERSION/SHASUMS256.txt"
    gpgconf --kill gpg-agent >/dev/null 2>&1 || true
    rm -rf "$gh"
    unset NODUS_ALLOW_UNSIGNED NODUS_KEYS_DIR GNUPGHOME
    run --separate-stderr "$ROOT/usr/bin/nodus" install "$VERSION"
    rm -f "$key" "$MIRROR_DIR/$VERSION/SHASUMS256.txt.asc"
    echo "$stderr"
    [ "$status" -eq 0 ]
    grep -qx 'signature=verified' "$NODUS_HOME/versions/$VERSION/.nodus-meta"
    grep -q 'Nodus Deb Test' "$NODUS_HOME/versions/$VERSION/.nodus-meta"
}
